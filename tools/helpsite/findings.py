"""The one registry of finding codes, and the finding record every check reports.

Every problem helpsite reports (validation, catalogs, build, link checking, import) is a
:class:`Finding` carrying a :class:`Code` from this module. Codes are stable, dotted names
grouped by concern (``yaml.syntax``, ``meta.unknown-key``); a project switches a code off,
or a whole group (``meta``), with ``suppress`` in its configuration. ``docs/finding-codes.md``
is generated from this registry, so a code is documented exactly where it is defined.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


_E, _W = Severity.ERROR, Severity.WARNING


class Code(Enum):
    """Every finding code: (stable name, default severity, what it means and how to fix it)."""

    # -- the file itself
    FILE_ENCODING = ("file.encoding", _E, "The file is not valid UTF-8. Re-save it as UTF-8.")
    FILE_EMPTY = ("file.empty", _E, "The file is empty: an article needs front matter and an H1.")
    FILE_UNREADABLE = ("file.unreadable", _E, "The file could not be read (permissions, I/O).")
    FILE_NAME = (
        "file.name",
        _W,
        "The file name has spaces, dashes other than '-', or invisible characters, which break "
        "URLs. Rename it with lowercase ASCII letters, digits and '-'.",
    )
    # -- front matter framing and YAML safety
    FM_MISSING = ("fm.missing", _E, "The article has no front matter (a '---' block at the top).")
    FM_UNTERMINATED = (
        "fm.unterminated",
        _E,
        "The front matter opened with '---' is never closed. Add a line '---' after the last key.",
    )
    YAML_SYNTAX = ("yaml.syntax", _E, "The front matter is not valid YAML.")
    YAML_DUPLICATE_KEY = (
        "yaml.duplicate-key",
        _E,
        "A key appears twice in the front matter; only one value can win. Remove one.",
    )
    YAML_ALIAS = (
        "yaml.alias",
        _E,
        "YAML anchors and aliases (&a, *a) are refused: they can expand without bound.",
    )
    YAML_TAG = (
        "yaml.tag",
        _E,
        "An explicit YAML tag (such as !!python/object) is refused; write plain values.",
    )
    YAML_TOO_LARGE = ("yaml.too-large", _E, "The front matter exceeds the size bound.")
    YAML_TOO_DEEP = ("yaml.too-deep", _E, "The front matter nests deeper than the bound.")
    YAML_NOT_MAPPING = (
        "yaml.not-mapping",
        _E,
        "The front matter must be a mapping of keys to values ('key: value' lines).",
    )
    # -- metadata (JSON Schema and the normalisation of real-world shapes)
    META_REQUIRED = ("meta.required", _E, "A required front-matter key is missing.")
    META_TYPE = ("meta.type", _E, "A front-matter value has the wrong type or form.")
    META_EMPTY = ("meta.empty", _W, "A front-matter key is present but has no value.")
    META_MISSPELLED_KEY = (
        "meta.misspelled-key",
        _E,
        "An unknown key that is very close to a known one: probably a typo, so the value is "
        "lost (a misspelled ms.custom loses the article's help IDs).",
    )
    META_UNKNOWN_KEY = ("meta.unknown-key", _W, "A front-matter key that helpsite does not know.")
    META_CUSTOM_SHAPE = (
        "meta.custom-shape",
        _W,
        "ms.custom should be a YAML list of quoted help IDs; this shape was accepted and "
        "normalised.",
    )
    META_DATE_FORMAT = (
        "meta.date-format",
        _W,
        "Dates are written MM/DD/YYYY with leading zeros (04/05/2021).",
    )
    META_DATE_INVALID = ("meta.date-invalid", _E, "The date does not exist or cannot be read.")
    META_LOCALE = ("meta.locale", _E, "The locale tag is not a known language-region (nl-NL).")
    # -- article body
    BODY_H1_MISSING = ("body.h1-missing", _E, "The article has no H1 title ('# Title').")
    BODY_H1_MULTIPLE = ("body.h1-multiple", _E, "The article has more than one H1.")
    BODY_HEADING_SKIP = (
        "body.heading-skip",
        _W,
        "A heading skips a level (an H2 followed by an H4); screen readers rely on the order.",
    )
    LINK_TARGET_MISSING = (
        "link.target-missing",
        _E,
        "A relative link or image points to a file that does not exist in the source tree.",
    )
    LINK_CASE_MISMATCH = (
        "link.case-mismatch",
        _E,
        "A relative link or image matches a file only when case is ignored; the built site is "
        "case-sensitive. Fix the case in the link or the file name.",
    )
    LINK_OUTSIDE_TREE = (
        "link.outside-tree",
        _E,
        "A relative link or image points outside the source tree; it would not be published.",
    )
    LINK_UNSAFE_SCHEME = (
        "link.unsafe-scheme",
        _E,
        "A link uses a javascript:, vbscript: or data: target, which is never published.",
    )
    LINK_EMPTY_TEXT = (
        "link.empty-text",
        _W,
        "A link has no text ([](url)): readers and screen readers see nothing to click.",
    )
    STEP_RUN_IN = (
        "step.run-in",
        _W,
        "A step number is run into a paragraph ('... details 4.To make ...'); start the step "
        "on its own line so it is numbered.",
    )
    HTML_DISALLOWED = (
        "html.disallowed",
        _W,
        "Raw HTML outside the allowlist (<a name>, <br>, <img>); it is dropped from the page. "
        "A placeholder in angle brackets (<mailbox>) is read as a tag and hidden: write it as "
        "code (`<mailbox>`).",
    )
    HTML_UNSAFE = (
        "html.unsafe",
        _E,
        "Raw HTML that can run code (<script>, on*= handlers, javascript: URLs); never published.",
    )
    # -- across the whole set of articles
    CORPUS_HELP_ID_SHARED = (
        "corpus.help-id-shared",
        _W,
        "The same help ID (ms.custom) is on several articles; readers arriving by that ID get "
        "a chooser instead of the article.",
    )
    CORPUS_TITLE_DUPLICATE = (
        "corpus.title-duplicate",
        _W,
        "Several articles have the same title; readers cannot tell them apart in search.",
    )
    # -- link checking over the built sites of all locales (helpsite.linkcheck)
    CHECK_BROKEN = ("check.broken", _E, "An external link answers with an error (404, 410, "
                    "500 ...) or its host does not exist. Fix or remove the link; in a "
                    "translation, compare it with the source article.")
    CHECK_INTERNAL_MISSING = ("check.internal-missing", _E, "A link, image or download points "
                              "to a file that is not in the built site of that locale.")
    CHECK_ANCHOR_MISSING = ("check.anchor-missing", _E, "The page exists but has no element "
                            "whose id (or <a name>) is the #fragment. Fix the fragment.")
    CHECK_ANCHOR_UNCHECKED = ("check.anchor-unchecked", _W, "The #fragment could not be "
                              "checked (the page is not HTML, or is longer than "
                              "max_body_bytes and the anchor was not in the part read).")
    CHECK_PAGE_MISSING = ("check.page-missing", _E, "A page of the source locale is missing "
                          "from the built site of a translation.")
    CHECK_HREFLANG_MISMATCH = ("check.hreflang-mismatch", _E, "A language link (hreflang) "
                               "leads to a page of another locale than the one it names.")
    CHECK_REDIRECT_PERMANENT = ("check.redirect-permanent", _W, "The URL moved permanently "
                                "(301/308); replace it with the new URL in the message.")
    CHECK_REDIRECT_LOOP = ("check.redirect-loop", _E, "The URL redirects in a circle; it never "
                           "reaches a page.")
    CHECK_TOO_MANY_REDIRECTS = ("check.too-many-redirects", _E, "The URL redirects more often "
                                "than max_redirects allows.")
    CHECK_TIMEOUT = ("check.timeout", _W, "The server did not answer within the timeout, "
                     "after the configured retries.")
    CHECK_RATE_LIMITED = ("check.rate-limited", _W, "The server kept answering 429/503 (too "
                          "many requests) after the retries and Retry-After waits allowed.")
    CHECK_HOST_UNREACHABLE = ("check.host-unreachable", _W, "The host could not be reached "
                              "(connection refused, no route, connect timeout); its other URLs "
                              "were not requested. Their state is unknown.")
    CHECK_DNS_UNAVAILABLE = ("check.dns-unavailable", _W, "Host names cannot be resolved on "
                             "this machine (no network or no DNS); external links were not "
                             "checked. Run again with network access.")
    CHECK_PRIVATE_ADDRESS = ("check.private-address", _E, "The link leads (directly or by a "
                             "redirect) to a private, loopback or link-local address, which "
                             "is never requested unless allow_private_addresses is set.")
    CHECK_UNSAFE_URL = ("check.unsafe-url", _E, "A javascript: or vbscript: URL in a built "
                        "page; it must never be published.")
    # -- gettext catalogs: reading and updating PO files (helpsite.catalogs)
    PO_SYNTAX = ("po.syntax", _E, "The PO file cannot be parsed (unterminated string, unknown "
                 "keyword or escape, msgstr without msgid). Fix the line in a text editor.")
    PO_CONFLICT_MARKER = ("po.conflict-marker", _E, "The PO file holds git conflict markers "
                          "(<<<<<<< ======= >>>>>>>); resolve the merge conflict first.")
    PO_DUPLICATE = ("po.duplicate", _E, "The same msgid (and msgctxt) appears twice; Sphinx "
                    "would silently use the first. Keep one entry.")
    PO_HEADER = ("po.header", _E, "The header entry (msgid \"\") is missing or malformed, or "
                 "does not declare charset=UTF-8.")
    PO_LANGUAGE = ("po.language", _E, "The 'Language' header does not match the locale folder "
                   "the file is in (locales/nl-NL/ needs Language: nl-NL or nl_NL).")
    PO_ENCODING = ("po.encoding", _E, "The PO file is not valid UTF-8. Re-save it as UTF-8.")
    PO_UNREADABLE = ("po.unreadable", _E, "The PO or POT file could not be read.")
    PO_CHANGED = ("po.changed-during-run", _E, "The PO file changed on disk while the update "
                  "ran; it was left as it is. Run the update again.")
    # -- translation QA on PO files (helpsite check-po; the build refuses unsafe ones)
    QA_LINK_COUNT = ("qa.link-count", _E, "The translation has a different number of Markdown "
                     "links or images than the source text.")
    QA_LINK_TARGET = ("qa.link-target", _E, "A relative or #anchor link target differs from the "
                      "source text; keep link targets exactly as in the source.")
    QA_INLINE_CODE = ("qa.inline-code", _E, "Inline code (`...`) must be copied unchanged from "
                      "the source text.")
    QA_MARKUP = ("qa.markup", _W, "Bold, italic or code markers (**, *, _, `) differ in number "
                 "from the source text.")
    QA_HTML_TAGS = ("qa.html-tags", _E, "The HTML tags differ from the source text.")
    QA_UNSAFE_HTML = ("qa.unsafe-html", _E, "The translation holds HTML or a URL that can run "
                      "code (<script>, on*= handlers, javascript: URLs); it is never published.")
    QA_DIRECTIVE = ("qa.directive", _E, "The translation adds a code fence, directive or role "
                    "(```, :::, {include}, {raw}) that the source text does not have.")
    QA_SUBSTITUTION = ("qa.substitution", _E, "A substitution ({{ name }}) was dropped, renamed "
                       "or added; keep them as in the source text.")
    QA_UNCHANGED = ("qa.unchanged", _W, "A long translation is identical to the source text: "
                    "probably not translated yet.")
    QA_NEWLINE = ("qa.newline", _E, "msgid and msgstr must both begin, and both end, with a "
                  "newline or neither (as msgfmt -c checks).")
    # -- importing existing translations (helpsite import sxs / markdown; helpsite.importers)
    IMPORT_SXS_UNPAIRED = ("import.sxs-unpaired", _E, "A side-by-side span has no partner (or "
                           "the ids differ); the sentence cannot be split. Repair the pair.")
    IMPORT_NO_H1 = ("import.no-h1", _E, "The article has no H1, so its source title cannot be "
                    "taken from it. Add '# Title' under the front matter.")
    IMPORT_NO_SOURCE = ("import.no-source", _W, "A translated article has no source article of "
                        "the same path; it was not imported.")
    IMPORT_NO_TRANSLATION = ("import.no-translation", _W, "A source article has no translated "
                             "article of the same path; its catalog is left untranslated.")
    IMPORT_SKIPPED = ("import.article-skipped", _W, "The article could not be read and was left "
                      "out (--skip-invalid); fix the errors reported for it and import again.")
    IMPORT_BLOCK_MISSING = ("import.block-missing", _W, "A block of the source article has no "
                            "counterpart in the translation; its message is left untranslated.")
    IMPORT_BLOCK_ADDED = ("import.block-added", _W, "The translation has a block the source "
                          "article does not have; it is not imported.")
    IMPORT_STRUCTURE = ("import.structure-mismatch", _W, "A block's structure differs between "
                        "source and translation (a list merged into a paragraph, a cell moved); "
                        "its message is left untranslated.")
    IMPORT_UNCERTAIN = ("import.uncertain-pair", _W, "A block next to a structural mismatch does "
                        "not clearly match its counterpart; its message is left untranslated.")
    IMPORT_AMBIGUOUS = ("import.ambiguous-message", _W, "The same source text is translated in "
                        "two different ways in one article; the first translation is used.")
    IMPORT_SOURCE_DIFFERS = ("import.source-differs", _W, "The source article differs from the "
                             "one already imported; the first is kept and only messages whose "
                             "source text is identical get this locale's translation.")
    IMPORT_EDIT_CONFLICT = ("import.edit-conflict", _W, "The translation was edited in the PO "
                            "file since the last import; the edit is kept, the imported text "
                            "is not written.")
    IMPORT_TRANSLATION_ONLY = ("import.translation-only-field", _W, "A translatable front-matter "
                               "field exists only in the translation; it is kept in the PO "
                               "header as X-Meta-<key>, not written to the source.")
    IMPORT_INCLUDE = ("import.include-skipped", _W, "Files under includes/ are not articles and "
                      "are not imported; inline their text or use a MyST {include} directive.")
    IMPORT_MEDIA_LOCALIZED = ("import.media-localized", _W, "A locale has its own version of "
                              "an image; it is kept beside it as media/<name>.<tag>.<ext>.")
    IMPORT_STATE = ("import.state", _E, "The import record under .helpsite-import/ cannot be "
                    "read; move it away to import afresh (edits can then not be detected).")
    # -- Sphinx builds of the per-locale sites (helpsite.sphinx; raw HTML policy)
    BUILD_HTML_DROPPED = ("build.html-dropped", _W, "Raw HTML outside the allowlist (<a name>, "
                          "<br>, <img> with a safe src) was left out of the page. Write it in "
                          "Markdown, or put a placeholder such as <user> in backticks.")
    BUILD_HTML_UNSAFE = ("build.html-unsafe", _E, "Raw HTML that could run code (<script>, "
                         "<style>, on*= handlers, javascript: URLs) was removed from the page, "
                         "whether it came from the article or from a translation.")
    BUILD_URL_UNSAFE = ("build.url-unsafe", _E, "A link, image or toctree target with a "
                        "javascript:, vbscript:, livescript:, file: or non-image data: URL was "
                        "removed from the page (the link text stays).")
    # -- the trust boundary (docs/security.md)
    BUILD_PATH_OUTSIDE_TREE = ("build.path-outside-tree", _E, "An image, download, include or "
                               "other file named in the content leads (through '..', an "
                               "absolute path or a symlink) outside the source folder; "
                               "nothing was read or copied. Move the file into the source "
                               "folder, or allow its folder with helpsite_allowed_paths.")
    BUILD_TRANSLATION_FILE = ("build.translation-file", _E, "A translation names an image or "
                              "download its source text does not name; it was left out. Use "
                              "the source's file or its localized variant (shot.nl-NL.png).")
    BUILD_RAW_URL = ("build.raw-url", _E, "raw or csv-table with :url: would make the build "
                     "fetch content from the network; refused. Copy the content into the "
                     "source folder, or allow the URL's prefix with helpsite_raw_url_prefixes.")
    BUILD_CATALOG_INVALID = ("build.catalog-invalid", _E, "A translation catalog (.po) could "
                             "not be read, so its article is built in the source language. "
                             "Fix the line named in the message.")
    BUILD_CATEGORY = ("build.category", _W, "An article has no usable value for the front-matter "
                      "key that groups articles into categories; it is listed under the "
                      "default category.")
    BUILD_SEARCH_INDEX = ("build.search-index", _W, "Pagefind could not index a locale's "
                          "pages, so its search page finds nothing new; the rest of the "
                          "site is built. Install pagefind[extended] (make venv) or fix "
                          "what the message names, then build again.")
    # -- reader features of the built sites (help-ID pages; helpsite.sphinx.helpids)
    BUILD_HELP_ID_INVALID = ("build.help-id-invalid", _W, "A value of ms.custom cannot be "
                             "part of an address (/<locale>/help/<id>/): use letters, digits, "
                             "'.', '_' and '-'. The article gets no help-ID page for it.")
    # -- a site built as separate jobs and merged (helpsite build --shard-out, helpsite merge)
    BUILD_SHARD_INVALID = ("build.shard-invalid", _E, "A folder given to helpsite merge is not "
                           "a shard: its helpsite-shard.json is missing or unreadable. Build "
                           "shards with helpsite build --shard-out DIR.")
    BUILD_SHARD_MISMATCH = ("build.shard-mismatch", _E, "Shards were built with different "
                            "settings (project, configured locales, base URL or helpsite "
                            "version); build every shard from the same commit and conf.py.")
    BUILD_SHARD_OVERLAP = ("build.shard-overlap", _E, "Two shards hold the same locale; give "
                           "each locale to one job of the matrix only.")
    BUILD_SHARD_CORRUPT = ("build.shard-corrupt", _E, "A file listed in the shard's manifest "
                           "is missing or has other content (an incomplete download or copy); "
                           "fetch the shard again.")

    # -- catalog and metadata defects (blank translations, Plural-Forms, over-long values)
    QA_BLANK = ("qa.blank-translation", _W, "A msgstr holds only spaces or invisible "
                "characters: it counts as untranslated and the page shows the source text. "
                "Translate it, or leave the msgstr empty (\"\").")
    PO_PLURAL_FORMS = ("po.plural-forms", _E, "The Plural-Forms header disagrees with the "
                       "CLDR plural rules of the catalog's language (Babel's data): another "
                       "nplurals, or a formula that picks another form for some n. Copy the "
                       "Plural-Forms line the message gives.")
    META_TOO_LONG = ("meta.too-long", _E, "A front-matter value is longer than its bound "
                     "(title 200 characters, description 300, names and IDs 100). Shorten it; "
                     "search results cut a title after about 60 characters anyway.")
    # -- link checking: status_policy and unresolved MyST links (helpsite.linkcheck)
    CHECK_STATUS_UNVERIFIED = ("check.status-unverified", _W, "The server answered with a "
                               "status that does not tell whether the page exists (401/403: "
                               "a login or bot protection; 503: down for now). Open the link "
                               "in a browser; status_policy in [tool.helpsite.linkcheck] sets "
                               "how such answers count ('error', 'warning' or 'ok').")
    CHECK_UNRESOLVED_LINK = ("check.unresolved-link", _E, "MyST could not resolve the link "
                             "target when the page was built and wrote it as '#/path', a "
                             "fragment no page has. In the Markdown, link to an existing file "
                             "by its relative path (../billing/x.md), to a heading (#slug), "
                             "or write a full https:// URL.")
    # -- one article that cannot be built (helpsite.sphinx.readerrors; fences: checks.bodyparser)
    BUILD_PAGE_FAILED = ("build.page-failed", _E, "Reading the article raised an error (a "
                         "parser, directive or transform failed: the message names it). The "
                         "page is left out of every locale's site, every other page is built, "
                         "and the build exits 1; the next build reads the article again. Fix "
                         "the line named, or report the error if the article looks right.")
    BODY_UNCLOSED_FENCE = ("body.unclosed-fence", _E, "A code fence (``` or ~~~) is never "
                           "closed, so everything after it is shown as code. Add a line with "
                           "the same fence characters (at least as many) where the code ends.")

    # -- the source tree as a whole: links and names (helpsite.checks.tree, sphinx.sourcetree)
    FILE_LINK_OUTSIDE = ("file.link-outside", _W, "A symbolic link in the source folder "
                         "leads outside it, or to nothing; the build leaves it out. Copy what "
                         "it points to into the source folder, or remove the link.")
    FILE_LINK_LOOP = ("file.link-loop", _W, "A symbolic link in the source folder leads to a "
                      "folder it is inside of: followed, it would publish the same pages "
                      "nested again and again. The build leaves it out; remove the link.")
    FILE_CASE_COLLISION = ("file.case-collision", _E, "Two files or folders in one folder "
                           "have names that differ only in case (A.md and a.md): on a "
                           "case-insensitive host or disk one page overwrites the other. "
                           "Rename one of them.")

    # -- handoff packages: import of a returned XLIFF or PO package (helpsite.handoff.package)
    HANDOFF_INVALID = ("handoff.invalid", _E, "A returned handoff package cannot be read (not "
                       "well-formed XML, not XLIFF 2.0/1.2 or a helpsite PO package, a required "
                       "attribute missing, a source text altered, a locale with no folder). "
                       "Nothing was imported: ask for the package as exported, or fix the line.")
    HANDOFF_CONFLICT = ("handoff.conflict", _W, "The translation was edited in the catalog "
                        "after the package was exported. Both are kept: a confirmed catalog "
                        "translation stays and the vendor's is in a '# handoff conflict' "
                        "comment (or the other way round). Choose one, delete the comment.")
    HANDOFF_SOURCE_CHANGED = ("handoff.source-changed", _W, "A returned unit's source text "
                              "(or its whole article) is no longer in the project. The "
                              "translation is kept as an obsolete (#~) entry that update-po "
                              "revives if the text returns; nothing else is needed.")

    def __init__(self, name: str, severity: Severity, summary: str) -> None:
        self.code = name
        self.default_severity = severity
        self.summary = summary

    @property
    def group(self) -> str:
        return self.code.split(".", 1)[0]

    @classmethod
    def by_name(cls, name: str) -> Code:
        for member in cls:
            if member.code == name:
                return member
        raise KeyError(name)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place: ``path:line:col: severity code: message``."""

    path: str
    line: int
    column: int
    code: Code
    message: str
    severity: Severity = Severity.ERROR

    @classmethod
    def of(cls, code: Code, path: str, line: int, column: int, message: str) -> Finding:
        return cls(path, max(line, 1), max(column, 1), code, message, code.default_severity)

    def format(self) -> str:
        return (
            f"{self.path}:{self.line}:{self.column}: "
            f"{self.severity.value} {self.code.code}: {self.message}"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code.code,
            "message": self.message,
        }


def is_suppressed(code: Code, suppress: Sequence[str]) -> bool:
    """A code is off when its name or its group is listed (``meta`` switches off ``meta.*``)."""
    return code.code in suppress or code.group in suppress


def apply_policy(
    findings: Iterable[Finding], *, suppress: Sequence[str] = (), strict: bool = False
) -> list[Finding]:
    """Drop suppressed findings, raise warnings to errors under ``strict``, sort by place."""
    kept = []
    for finding in findings:
        if is_suppressed(finding.code, suppress):
            continue
        if strict and finding.severity is Severity.WARNING:
            finding = Finding(
                finding.path, finding.line, finding.column, finding.code,
                finding.message, Severity.ERROR,
            )
        kept.append(finding)
    return sorted(kept, key=lambda f: (f.path, f.line, f.column, f.code.code))


def unknown_suppressions(suppress: Sequence[str]) -> list[str]:
    """Names in a ``suppress`` list that are neither a code nor a group (likely typos)."""
    known = {c.code for c in Code} | {c.group for c in Code}
    return [name for name in suppress if name not in known]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def to_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)


def summary_line(findings: Sequence[Finding], files: int) -> str:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    noun = "file" if files == 1 else "files"
    return f"{files} {noun} checked: {errors} error(s), {warnings} warning(s)"
