"""The raw HTML policy: which inline HTML may reach a page.

Allowed: an anchor ``<a name="x">``/``<a id="x">`` (and ``</a>``), ``<br>``, and ``<img>``
with a safe ``src`` (http, https, a relative path, or a base64 PNG/JPEG/GIF/WebP data URL)
and plain attributes (alt, title, width, height). Everything else is rebuilt, escaped or
dropped, never passed through:

- code-running constructs (``<script>``, ``<style>``, ``<iframe>``, ``on*=`` handlers,
  ``javascript:``/``vbscript:`` URLs) are removed with their content → *unsafe*;
- other HTML elements lose their tags, their text stays → *dropped*;
- tag-like placeholders that are not HTML (``<user>``, ``<tenant name>``) are shown as
  text, which is what the writer meant → *dropped* (they belong in backticks).

The parser is the standard library's tokenizer; output is rebuilt from the tokens, so
nothing the tokenizer did not understand is ever copied through.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from helpsite.checks.linktargets import TargetKind, classify

ALLOWED_ATTRS = {
    "a": ("name", "id"),
    "br": (),
    "img": ("src", "alt", "title", "width", "height"),
}
# Elements whose content is code or could become code: removed with everything inside.
UNSAFE_ELEMENTS = {
    "script", "style", "iframe", "object", "embed", "applet", "frame", "frameset",
    "noscript", "template", "svg", "math", "base", "link", "meta", "form",
}
_RAWTEXT = {"script", "style", "iframe", "noscript", "template", "xmp", "noembed", "noframes"}
HTML_ELEMENTS = {
    "a", "abbr", "address", "area", "article", "aside", "audio", "b", "bdi", "bdo",
    "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite", "code", "col",
    "colgroup", "data", "datalist", "dd", "del", "details", "dfn", "dialog", "div", "dl", "dt",
    "em", "fieldset", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "i", "img", "input", "ins", "kbd", "label", "legend",
    "li", "main", "map", "mark", "menu", "meter", "nav", "ol", "optgroup", "option", "output",
    "p", "param", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp",
    "section", "select", "small", "source", "span", "strike", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "time", "title", "tr",
    "track", "tt", "u", "ul", "var", "video", "wbr", "xmp", "noembed", "noframes",
} | UNSAFE_ELEMENTS
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$")
_SAFE_NUMBER = re.compile(r"^\d{1,5}(px|%)?$")
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "background", "poster",
              "srcset", "data", "code", "codebase", "lowsrc", "dynsrc"}

UNSAFE = "unsafe"
DROPPED = "dropped"


@dataclass(frozen=True)
class Drop:
    kind: str  # UNSAFE or DROPPED
    what: str  # short description for the warning


@dataclass
class Sanitized:
    html: str
    drops: list[Drop] = field(default_factory=list)
    open_element: str | None = None  # an unsafe element left open at the end


def url_kind(url: str, *, image: bool = False) -> str | None:
    """None for a safe URL, else UNSAFE, by the validator's rule
    (:func:`helpsite.checks.linktargets.classify`): never javascript:, vbscript:, livescript:,
    file:, or data: (except raster images where an image is expected)."""
    unsafe = classify(html.unescape(url), image=image) is TargetKind.UNSAFE
    return UNSAFE if unsafe else None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Rebuilder(HTMLParser):
    def __init__(self, inside: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.drops: list[Drop] = []
        self.skipping: str | None = inside  # inside an unsafe element: drop everything

    # -- tags
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self.get_starttag_text() or f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self.get_starttag_text() or f"<{tag}/>")

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], text: str) -> None:
        if self.skipping:
            return
        if tag in UNSAFE_ELEMENTS:
            self.drops.append(Drop(UNSAFE, f"<{tag}> element removed with its content"))
            if tag in _RAWTEXT:
                self.skipping = tag
            return
        handlers = [name for name, _ in attrs if name.startswith("on")]
        if handlers:
            self.drops.append(Drop(UNSAFE, f"event handler {', '.join(handlers)} removed "
                                           f"from <{tag}>"))
        if tag not in ALLOWED_ATTRS:
            if tag in HTML_ELEMENTS:
                self.drops.append(Drop(DROPPED, f"<{tag}> tag left out (its text is kept)"))
            else:
                self.drops.append(Drop(DROPPED, f"{_short(text)} is not HTML; shown as text"))
                self.out.append(html.escape(text, quote=False))
            return
        self.out.append(self._rebuild(tag, attrs))

    def _rebuild(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        kept: list[tuple[str, str]] = []
        for name, value in attrs:
            if name.startswith("on"):
                continue
            value = value or ""
            if name not in ALLOWED_ATTRS[tag]:
                if name in _URL_ATTRS and url_kind(value):
                    self.drops.append(Drop(UNSAFE, f"{name}={_short(value, 40)} removed "
                                                   f"from <{tag}>"))
                elif tag != "a":
                    self.drops.append(Drop(DROPPED, f"attribute {name}= left out of <{tag}>"))
            elif name == "src":
                if url_kind(value, image=True):
                    self.drops.append(Drop(UNSAFE, f"<img> with src {_short(value, 40)} "
                                                   "removed"))
                    return ""
                kept.append((name, value))
            elif name in ("name", "id"):
                if _SAFE_ID.match(value):
                    kept.append(("id", value))
                else:
                    self.drops.append(Drop(DROPPED, f"anchor name {_short(value, 40)!r} is "
                                                    "not a plain id"))
            elif name in ("width", "height"):
                if _SAFE_NUMBER.match(value.strip()):
                    kept.append((name, value.strip()))
            else:
                kept.append((name, value))
        if tag == "img" and not any(n == "src" for n, _ in kept):
            self.drops.append(Drop(DROPPED, "<img> without a src left out"))
            return ""
        if tag == "a" and not kept:
            self.drops.append(Drop(DROPPED, "<a> tag left out (only <a name> anchors are "
                                            "allowed; write links in Markdown)"))
            return ""
        if tag == "a":
            kept = kept[:1]  # name and id both became id; one is enough
        rendered = "".join(f' {n}="{html.escape(v, quote=True)}"' for n, v in kept)
        return f"<{tag}{rendered}>"

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping:
                self.skipping = None
            return
        if tag == "a":
            self.out.append("</a>")
        elif tag not in ALLOWED_ATTRS and tag not in HTML_ELEMENTS:
            self.out.append(html.escape(f"</{tag}>", quote=False))

    # -- text and the rest
    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        """Writers' comments are invisible anyway; they are left out silently."""

    def handle_decl(self, decl: str) -> None:
        """<!DOCTYPE ...> has no place in an article."""

    def handle_pi(self, data: str) -> None:
        self.drops.append(Drop(DROPPED, "processing instruction left out"))

    def unknown_decl(self, data: str) -> None:
        self.drops.append(Drop(DROPPED, "<![...]> section left out"))


def sanitize_html(fragment: str, *, inside: str | None = None) -> Sanitized:
    """Rebuild an HTML fragment from allowlisted tokens. ``inside`` names an unsafe element
    left open by a previous fragment (MyST splits ``<script>x</script>`` into three nodes)."""
    parser = _Rebuilder(inside)
    parser.feed(fragment)
    parser.close()
    result = Sanitized("".join(parser.out), parser.drops, parser.skipping)
    return result
