"""Translation QA (``helpsite check-po``): the checks Weblate and pofilter apply to Markdown.

Each check compares one msgstr with its msgid and returns :class:`Problem` records with
the offset in the msgstr they concern; :func:`check_catalog_file` turns them into
findings at ``path:line:col`` of that place in the PO file. The subset that makes a
translation dangerous to publish (scripts, smuggled directives) is exported as
:func:`unsafe_translation_problems` for the build, which falls back to the source text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpsite.catalogs import plurals
from helpsite.catalogs.markdown_tokens import (
    Tag,
    code_spans,
    emphasis_markers,
    links,
    mask_code,
    substitutions,
    tags,
)
from helpsite.catalogs.pofile import Catalog, Entry, POParseError, is_blank, read_catalog
from helpsite.checks.linktargets import TargetKind, classify, may_hold_unsafe_url
from helpsite.findings import Code, Finding
from helpsite.locales import LocaleError, normalize_tag


@dataclass(frozen=True)
class Problem:
    code: Code
    message: str
    offset: int = 0


UNSAFE_TAGS = {"script", "iframe", "object", "embed", "style", "form", "base", "meta", "link",
               "frame", "frameset", "svg", "math"}
EVENT_HANDLER = re.compile(r"\bon[a-z]+\s*=", re.I)
DIRECTIVE_MARKERS = {
    "```": re.compile(r"```"),
    "~~~": re.compile(r"~~~"),
    ":::": re.compile(r":::"),
    "{directive} or {role}": re.compile(
        r"\{(?:include|literalinclude|raw|eval-rst|eval-md|code-cell|toctree|only|"
        r"image|figure|csv-table|list-table)\}", re.I),
    ".. directive::": re.compile(r"(?m)^\s*\.\.\s+[a-z-]+::"),
}
_LETTERS = re.compile(r"[^\W\d_]", re.U)


def _multiset_difference(source: list[str], target: list[str]) -> tuple[list[str], list[str]]:
    missing = Counter(source) - Counter(target)
    extra = Counter(target) - Counter(source)
    return sorted(missing.elements()), sorted(extra.elements())


def check_links(msgid: str, msgstr: str) -> list[Problem]:
    source, target = links(msgid), links(msgstr)
    if len(source) != len(target):
        return [Problem(Code.QA_LINK_COUNT, f"the source has {len(source)} link(s) or "
                        f"image(s), the translation {len(target)}",
                        target[0].offset if target else 0)]
    missing, extra = _multiset_difference([lk.target for lk in source if lk.relative],
                                          [lk.target for lk in target if lk.relative])
    if missing or extra:
        where = next((lk.offset for lk in target if lk.target in extra), 0)
        return [Problem(Code.QA_LINK_TARGET, f"link target(s) {extra or '[]'} in the "
                        f"translation instead of {missing or '[]'}; keep targets as in the "
                        "source", where)]
    return []


def check_inline_code(msgid: str, msgstr: str) -> list[Problem]:
    missing, extra = _multiset_difference(code_spans(msgid), code_spans(msgstr))
    if not (missing or extra):
        return []
    where = msgstr.find(f"{extra[0]}") - 1 if extra else 0
    return [Problem(Code.QA_INLINE_CODE, "inline code differs from the source: "
                    f"missing {missing or '[]'}, changed or added {extra or '[]'}",
                    max(where, 0))]


def check_markup(msgid: str, msgstr: str) -> list[Problem]:
    source, target = emphasis_markers(msgid), emphasis_markers(msgstr)
    problems = []
    for kind in ("strong", "emphasis", "strikethrough"):
        if source[kind] != target[kind]:
            problems.append(Problem(Code.QA_MARKUP, f"{kind} markers: {source[kind]} in the "
                                    f"source, {target[kind]} in the translation"))
    return problems


def _tag_key(tag: Tag) -> str:
    kept = sorted((name, value if name in ("href", "src", "name", "id") else "")
                  for name, value in tag.attributes)
    attributes = " ".join(f"{n}={v!r}" if v else n for n, v in kept)
    return f"<{'/' if tag.closing else ''}{tag.name}{' ' if attributes else ''}{attributes}>"


def check_html_tags(msgid: str, msgstr: str) -> list[Problem]:
    target = tags(msgstr)
    missing, extra = _multiset_difference([_tag_key(t) for t in tags(msgid)],
                                          [_tag_key(t) for t in target])
    if not (missing or extra):
        return []
    where = next((t.offset for t in target if _tag_key(t) in extra), 0)
    return [Problem(Code.QA_HTML_TAGS, f"HTML tags differ from the source: missing "
                    f"{missing or '[]'}, added or changed {extra or '[]'}", where)]


def _is_image_source(tag: str, attribute: str) -> bool:
    # A raster data: image is safe only where it is an image (the validator's and the
    # build sanitizer's rule, from helpsite.checks.linktargets).
    return tag == "img" and attribute == "src"


def check_unsafe_html(msgid: str, msgstr: str) -> list[Problem]:
    has_tags, unsafe_url = "<" in msgstr, may_hold_unsafe_url(msgstr)
    if not has_tags and not unsafe_url:
        return []  # no tag, no autolink, and no link target that could be unsafe
    problems = []
    # A dangerous element the source already has is the source's problem (validate reports
    # it, the build's sanitizer drops it); a translation must not bring in new ones.
    allowed = Counter(t.name for t in tags(msgid) if not t.closing and t.name in UNSAFE_TAGS
                      ) if has_tags else Counter()
    for tag in tags(msgstr) if has_tags else []:
        if tag.name in UNSAFE_TAGS and not tag.closing:
            if allowed[tag.name] > 0:
                allowed[tag.name] -= 1
                continue
            problems.append(Problem(Code.QA_UNSAFE_HTML, f"<{tag.name}> is never published",
                                    tag.offset))
        for name, value in tag.attributes:
            if name.startswith("on"):
                problems.append(Problem(Code.QA_UNSAFE_HTML, f"event handler {name}= in "
                                        f"<{tag.name}>", tag.offset))
            elif classify(value, image=_is_image_source(tag.name, name)) is TargetKind.UNSAFE:
                problems.append(Problem(Code.QA_UNSAFE_HTML, f"{name}= uses an unsafe URL "
                                        f"scheme ({value.split(':', 1)[0]}:)", tag.offset))
    for link in links(msgstr) if unsafe_url else []:
        if classify(link.target, image=link.image) is TargetKind.UNSAFE:
            problems.append(Problem(Code.QA_UNSAFE_HTML, f"link to an unsafe URL "
                                    f"({link.target.split(':', 1)[0]}:)", link.offset))
    if not problems and has_tags:
        match = re.search(r"<[^>]*" + EVENT_HANDLER.pattern, mask_code(msgstr), re.I)
        if match:
            problems.append(Problem(Code.QA_UNSAFE_HTML, "event handler attribute (on*=)",
                                    match.start()))
    return problems


def check_directives(msgid: str, msgstr: str) -> list[Problem]:
    problems = []
    for name, pattern in DIRECTIVE_MARKERS.items():
        added = len(pattern.findall(msgstr)) - len(pattern.findall(msgid))
        if added > 0:
            match = pattern.search(msgstr)
            problems.append(Problem(Code.QA_DIRECTIVE, f"the translation adds {name} that the "
                                    "source does not have", match.start() if match else 0))
    return problems


def check_substitutions(msgid: str, msgstr: str) -> list[Problem]:
    missing, extra = _multiset_difference(substitutions(msgid), substitutions(msgstr))
    if not (missing or extra):
        return []
    return [Problem(Code.QA_SUBSTITUTION, f"substitutions differ: missing "
                    f"{['{{ ' + m + ' }}' for m in missing] or '[]'}, added "
                    f"{['{{ ' + e + ' }}' for e in extra] or '[]'}",
                    max(msgstr.find("{{"), 0))]


def check_newlines(msgid: str, msgstr: str) -> list[Problem]:
    problems = []
    if msgid.startswith("\n") != msgstr.startswith("\n"):
        problems.append(Problem(Code.QA_NEWLINE, "msgid and msgstr must both begin with a "
                                "newline, or neither"))
    if msgid.endswith("\n") != msgstr.endswith("\n"):
        problems.append(Problem(Code.QA_NEWLINE, "msgid and msgstr must both end with a "
                                "newline, or neither", max(len(msgstr) - 1, 0)))
    return problems


def make_unchanged_check(min_length: int) -> Callable[[str, str], list[Problem]]:
    def check_unchanged(msgid: str, msgstr: str) -> list[Problem]:
        if msgstr != msgid or len(msgid) < min_length:
            return []
        prose = mask_code(msgid)
        prose = re.sub(r"\]\([^)]*\)|<[^>]*>|https?://\S+", " ", prose)
        if len(_LETTERS.findall(prose)) < 3:
            return []  # only code, URLs or markup: nothing to translate
        return [Problem(Code.QA_UNCHANGED, "the translation is identical to the source "
                        "text; translate it (or confirm it must stay as it is)")]
    return check_unchanged


SAFETY_CHECKS: tuple[Callable[[str, str], list[Problem]], ...] = (
    check_unsafe_html, check_directives)
QUALITY_CHECKS: tuple[Callable[[str, str], list[Problem]], ...] = (
    check_links, check_inline_code, check_markup, check_html_tags, check_substitutions,
    check_newlines)


# Every problem the safety checks find needs one of these in the translation: a tag, an
# autolink or an event handler "<", a link "](", a fence "```" or "~~~", a MyST
# directive "{name}" or ":::", a reST directive "::". Most sentences have none, and the
# build checks every translation of the site.
_MAY_BE_UNSAFE = re.compile(r"[<\]`~{]|::")


def unsafe_problems(msgid: str, msgstr: str) -> list[Problem]:
    if _MAY_BE_UNSAFE.search(msgstr) is None:
        return []
    return [p for check in SAFETY_CHECKS for p in check(msgid, msgstr)]


def unsafe_translation_problems(msgid: str, msgstr: str) -> list[str]:
    """Why ``msgstr`` must not be published for ``msgid`` (empty list: it is safe).

    For the build: a translation with problems is replaced by its source text.
    """
    return [p.message for p in unsafe_problems(msgid, msgstr)]


def check_pair(msgid: str, msgstr: str, *, unchanged_min_length: int = 20) -> list[Problem]:
    if not msgstr:
        return []
    checks = (*SAFETY_CHECKS, *QUALITY_CHECKS, make_unchanged_check(unchanged_min_length))
    return [p for check in checks for p in check(msgid, msgstr)]


def _entry_findings(entry: Entry, display: str, unchanged_min_length: int) -> list[Finding]:
    findings = []
    pairs = [(entry.msgid, entry.msgstr)] if entry.msgid_plural is None else [
        (entry.msgid if index == 0 else entry.msgid_plural, text)
        for index, text in sorted(entry.msgstr_plural.items())]
    for msgid, msgstr in pairs:
        problems = [_BLANK_PROBLEM] if msgstr and is_blank(msgstr) else check_pair(
            msgid, msgstr, unchanged_min_length=unchanged_min_length)
        for problem in problems:
            line, column = (entry.msgstr_pos.position(problem.offset) if entry.msgstr_pos
                            else (entry.line, 1))
            findings.append(Finding.of(problem.code, display, line, column, problem.message))
    return findings


_BLANK_PROBLEM = Problem(Code.QA_BLANK, "the translation is only spaces or invisible "
                         "characters: it counts as untranslated and the page shows the source "
                         "text; translate it or empty the msgstr")


# ----------------------------------------------------------------- the catalog's header


def folder_locale(path: Path) -> str | None:
    """The locale folder a catalog sits in: ``nl-NL`` for ``locales/nl-NL/LC_MESSAGES/a.po``
    (None when the file is not below an ``LC_MESSAGES`` folder)."""
    parts = path.absolute().parts
    for index in range(len(parts) - 2, 0, -1):
        if parts[index] == "LC_MESSAGES":
            return parts[index - 1]
    return None


def _subtags(tag: str) -> tuple[str, str | None, str | None]:
    """(language, script, region) of a tag; ``nl_NL.UTF-8`` and ``sr@latin`` are read too."""
    parts = normalize_tag(re.split(r"[.@]", tag.strip(), maxsplit=1)[0]).split("-")
    script = next((p for p in parts[1:] if len(p) == 4), None)
    region = next((p for p in parts[1:] if len(p) == 2 or (len(p) == 3 and p.isdigit())), None)
    return parts[0], script, region


def language_mismatch(language: str, folder: str) -> str | None:
    """Why a ``Language`` header does not fit the locale folder (None: it fits).

    The language must be the folder's; a script or region the header names must be the
    folder's too, so ``nl`` and ``nl_NL`` fit ``nl-NL/``, ``fr`` and ``nl_BE`` do not."""
    try:
        header, expected = _subtags(language), _subtags(folder)
    except LocaleError:
        return f"'Language: {language}' is not a locale tag such as {folder.replace('-', '_')}"
    fits = header[0] == expected[0] and all(
        mine is None or theirs is None or mine == theirs
        for mine, theirs in zip(header[1:], expected[1:], strict=True))
    if fits:
        return None
    return (f"'Language: {language}' names another language than the folder {folder}/; "
            f"the catalog is not used for {folder} (fix the header to "
            f"'Language: {folder.replace('-', '_')}' or move the file)")


def check_language_header(catalog: Catalog, folder: str, display: str) -> Finding | None:
    """A ``po.language`` finding when the catalog says it is in another language than the
    folder it is in. No ``Language`` field at all is left to ``update-po``, which adds it."""
    language = catalog.header_value("Language")
    if language is None or not language.strip():
        return None
    problem = language_mismatch(language, folder)
    if problem is None:
        return None
    line = catalog.header_lines.get("language", catalog.header_line)
    return Finding.of(Code.PO_LANGUAGE, display, line, 1, problem)


def check_catalog_file(path: Path, display: str | None = None, *, include_fuzzy: bool = False,
                       unchanged_min_length: int = 20) -> list[Finding]:
    """QA findings of one PO file (parse errors are findings too)."""
    shown = display or str(path)
    try:
        catalog = read_catalog(path, shown)
    except POParseError as error:
        return error.findings
    findings = header_findings(catalog, folder_locale(path), shown)
    for entry in catalog.active:
        if entry.fuzzy and not include_fuzzy:
            continue
        findings.extend(_entry_findings(entry, shown, unchanged_min_length))
    return findings


def header_findings(catalog: Catalog, folder: str | None, display: str) -> list[Finding]:
    """``Language`` against the locale folder, ``Plural-Forms`` against CLDR."""
    findings = []
    if folder is not None and (language := check_language_header(catalog, folder, display)):
        findings.append(language)
    language = folder or catalog.header_value("Language")
    if language:
        findings.extend(plurals.check_plural_forms(catalog, language, display))
    return findings
