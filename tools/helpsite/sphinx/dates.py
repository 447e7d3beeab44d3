"""``ms.date`` shown in the reader's locale with Babel ("15 april 2021" on a nl-NL page)."""

from __future__ import annotations

import datetime as dt
import html

from babel.dates import format_date

from helpsite.locales import LocaleError, babel_locale
from helpsite.sphinx import ui


def long_date(iso: str, tag: str) -> str:
    day = dt.date.fromisoformat(iso)
    try:
        return format_date(day, format="long", locale=babel_locale(tag))
    except LocaleError:
        return day.isoformat()


def date_html(iso: str, tag: str) -> str:
    """``<p class="helpsite-date">Last updated on <time datetime=…>…</time></p>``, with
    the label translated and only the date inside ``<time>``."""
    label = ui.text("Last updated on {date}", date="\x00")
    before, _, after = label.partition("\x00")
    time = f'<time datetime="{iso}">{html.escape(long_date(iso, tag))}</time>'
    return (f'<p class="helpsite-date">{html.escape(before)}{time}{html.escape(after)}</p>')
