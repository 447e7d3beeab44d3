"""Helpers of the trust-boundary tests (test_trust_gates.py, test_trust_property.py): what a
page must never carry, and which output files hold a canary's text."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text", "data:application")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcset", "poster", "data")


def script_urls(html: str) -> list[str]:
    """Every script URL, event handler and article script of a page (browsers ignore white
    space inside a scheme, so it is squeezed out before comparing)."""
    soup = BeautifulSoup(html, "lxml")
    found = []
    for tag in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = tag.get(attribute)
            if value is None:
                continue
            squeezed = "".join(str(value).split()).lower()
            if squeezed.startswith(SCRIPT_SCHEMES):
                found.append(f"<{tag.name} {attribute}={value!r}>")
        found += [f"<{tag.name} {name}>" for name in tag.attrs if name.lower().startswith("on")]
    found += ["<script> in the article"] if soup.select("article script") else []
    return found


def files_holding(folder: Path, text: str) -> list[Path]:
    """The files below ``folder`` whose bytes contain ``text`` (links not followed)."""
    needle = text.encode()
    return [p for p in folder.rglob("*")
            if p.is_file() and not p.is_symlink() and needle in p.read_bytes()]
