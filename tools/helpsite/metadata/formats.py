"""The two value forms the schema names with ``format``: help-article dates and locale tags.

Both are plain functions so that the normalisation, the schema's format checker and the
finding messages agree on one definition.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

DATE_FORMAT = "helpsite-date"
LOCALE_FORMAT = "helpsite-locale"

# M/D/YYYY or MM/DD/YYYY; the canonical form has two-digit month and day.
_DATE_SHAPE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_CANONICAL_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def date_parts(text: str) -> tuple[int, int, int] | None:
    """(month, day, year) of an M/D/YYYY or MM/DD/YYYY string, or None for any other shape."""
    match = _DATE_SHAPE.fullmatch(text.strip())
    if match is None:
        return None
    month, day, year = (int(part) for part in match.groups())
    return month, day, year


def padded_date(text: str) -> str | None:
    """The MM/DD/YYYY spelling of an M/D/YYYY date; None when ``text`` has another shape."""
    parts = date_parts(text)
    if parts is None:
        return None
    month, day, year = parts
    return f"{month:02d}/{day:02d}/{year:04d}"


def date_problem(text: str) -> str | None:
    """Why ``text`` is not a real MM/DD/YYYY date, or None when it is one."""
    parts = date_parts(text)
    if parts is None:
        return "cannot be read as a date: write MM/DD/YYYY, for example 04/05/2021"
    month, day, year = parts
    if month > 12 and day <= 12:
        return (f"has no month {month}: dates are written month first (MM/DD/YYYY), "
                f"so this is probably {day:02d}/{month:02d}/{year}")
    try:
        date(year, month, day)
    except ValueError:
        return "is not a date that exists (check the month and the day)"
    if year < 1990:
        return f"year {year} is before any help article was written"
    return None


def is_help_date(value: object) -> bool:
    """The schema's ``helpsite-date`` format: a real date written exactly MM/DD/YYYY."""
    if not isinstance(value, str):
        return True  # the type keyword reports other types
    return bool(_CANONICAL_DATE.fullmatch(value)) and date_problem(value) is None


@lru_cache(maxsize=256)
def locale_problem(tag: str) -> str | None:
    """Why ``tag`` is not a language-region tag known to Babel (nl-NL), or None."""
    try:
        locale = Locale.parse(tag.strip(), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return "is not a known locale: write a language-region tag such as nl-NL or de-DE"
    if locale.territory is None:
        return f"has no region: write a language-region tag such as {_with_region(locale)}"
    return None


def _with_region(locale: Locale) -> str:
    """The tag with its most likely region added (nl -> nl-NL), as an example for the writer."""
    likely = get_global("likely_subtags").get(locale.language, "")
    region = likely.split("_")[-1] if likely.count("_") else "NL"
    return f"{locale.language}-{region}"


def is_locale_tag(value: object) -> bool:
    """The schema's ``helpsite-locale`` format."""
    if not isinstance(value, str):
        return True
    return locale_problem(value) is None
