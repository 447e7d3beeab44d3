"""Property-based attack on the build (docs/security.md): Hypothesis writes articles and
catalogs from hostile fragments — paths out of the tree, script schemes, file-reading
directives and roles, symlinks, broken encodings — builds them, and checks that

- no output file (site or doctrees) holds the text of a canary file outside the tree,
- no ``href``/``src`` of any page has a script scheme,
- the build raises nothing and prints no traceback, and ``helpsite build`` exits 0 or 1
  (1: a page failed or was refused), never anything else.

An example is one build of three generated articles with their catalogs. ``make test`` runs a
bounded, derandomized number of them (120 in-process builds over one reused project — each a
new Sphinx application over the same folders, so the build is incremental, as a writer's is —
and 5 whole ``helpsite build`` runs); ``make fuzz`` runs many more with fresh randomness
(``FUZZ_EXAMPLES=2000``).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sphinx.locale
from helpers.site import write_files
from helpers.trust import files_holding, script_urls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.application import Sphinx

CANARY = "CANARY-PROPERTY-41c7d2"
RANDOM = os.environ.get("HELPSITE_FUZZ_RANDOM") == "1"
EXAMPLES = int(os.environ.get("HELPSITE_FUZZ_EXAMPLES", "120"))
CLI_EXAMPLES = int(os.environ.get("HELPSITE_FUZZ_CLI_EXAMPLES", "5"))

CONF = """\
project = "Property Help"
extensions = ["helpsite.sphinx"]
helpsite_source_locale = "en-US"
helpsite_locales = ["nl-NL"]
helpsite_base_url = "https://help.example.test/"
"""

INDEX = """\
---
title: Property help
---
# Property help

```{toctree}
case0
case1
case2
```
"""

# -- fragments -----------------------------------------------------------------------------

# Ways to name the canary files: '..' chains, absolute paths, encodings, backslashes, URLs,
# and names inside the tree that are symlinks out of it.
PATHS = st.sampled_from([
    "../../outside/canary.txt", "../../../outside/canary.txt", "../outside/canary.txt",
    "{outside}/canary.txt", "/{outside}/canary.txt", "//{outside}/canary.txt",
    "file://{outside}/canary.txt", "file:///{outside}/canary.png",
    "%2e%2e/%2e%2e/outside/canary.txt",
    "..\\..\\outside\\canary.txt", "../../outside/canary.png", "media/../../outside/canary.png",
    "escape.txt", "escape.png", "escaped/canary.txt", "escaped/canary.png",
    "/escape.txt", "./escape.png", "media/real.png", "media/real.txt",
    "../../../../../../../../../../{outside}/canary.txt",
])
SCHEMES = st.sampled_from([
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
    " javascript:alert(1)", "javascript://%0aalert(1)", "vbscript:msgbox(1)",
    "livescript:x", "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "javascript&#58;alert(1)",
    "&#106;avascript:alert(1)", "https://example.test/ok", "#local", "mailto:a@example.test",
])
WORDS = st.sampled_from(["Select", "the", "button", "Sign in", "account", "Next", "déjà",
                         "日本語", "العربية", "**bold**", "`code`", "<br>"])


def _block(kind: str, target: str) -> str:
    blocks = {
        "image": f"![pic]({target})",
        "link": f"[a link]({target})",
        "autolink": f"<{target}>",
        "html-img": f'<img src="{target}" alt="x">',
        "html-a": f'<a href="{target}" onclick="alert(1)">x</a>',
        "download": f"{{download}}`file <{target}>`",
        "figure": f"```{{figure}} {target}\nA caption.\n```",
        "myst-image": f"```{{image}} {target}\n:target: {target}\n```",
        "include": f"```{{include}} {target}\n```",
        "literalinclude": f"```{{literalinclude}} {target}\n```",
        "raw-file": f"```{{raw}} html\n:file: {target}\n```",
        "raw-url": f"```{{raw}} html\n:url: {target}\n```",
        "csv-file": f"```{{csv-table}}\n:file: {target}\n```",
        "rst": (f"```{{eval-rst}}\n.. include:: {target}\n\n.. image:: {target}\n\n"
                f".. raw:: html\n   :file: {target}\n\n`x <{target}>`_\n```"),
        "toctree": f"```{{toctree}}\nEvil <{target}>\n```",
        "unclosed": f"```{{code-block}}\n{target}",
    }
    return blocks[kind]


KINDS = st.sampled_from(["image", "link", "autolink", "html-img", "html-a", "download",
                         "figure", "myst-image", "include", "literalinclude", "raw-file",
                         "raw-url", "csv-file", "rst", "toctree", "unclosed"])
BLOCKS = st.builds(_block, KINDS, st.one_of(PATHS, SCHEMES))
SENTENCES = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)


@dataclass(frozen=True)
class Case:
    article_blocks: tuple[str, ...]
    translations: tuple[str, ...]  # hostile msgstr for each plain paragraph
    broken_article_bytes: bool
    broken_catalog_bytes: bool

    def paragraphs(self) -> list[str]:
        return [f"Paragraph {index} to translate." for index in range(len(self.translations))]

    def article(self, outside: Path) -> bytes:
        body = [*self.paragraphs(), *self.article_blocks]
        text = "---\ntitle: A case\n---\n# A case\n\n" + "\n\n".join(body) + "\n"
        data = text.replace("{outside}", str(outside).lstrip("/")).encode("utf-8")
        return data + b"\n\xff\xfe broken \xc3\x28\n" if self.broken_article_bytes else data

    def catalog(self, outside: Path) -> bytes:
        entries = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                   '"Language: nl_NL\\n"\n']
        for msgid, msgstr in zip(self.paragraphs(), self.translations, strict=True):
            value = msgstr.replace("{outside}", str(outside).lstrip("/"))
            escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            escaped = escaped.replace("\t", "\\t")
            entries.append(f'msgid "{msgid}"\nmsgstr "{escaped}"\n')
        data = "\n".join(entries).encode("utf-8")
        return data + b'\nmsgid "x"\nmsgstr "\xff"\n' if self.broken_catalog_bytes else data


TRANSLATIONS = st.one_of(BLOCKS, st.builds(lambda w, b: f"{w} {b}", SENTENCES, BLOCKS),
                         SENTENCES)
CASES = st.builds(
    Case,
    st.lists(BLOCKS, max_size=4).map(tuple),
    st.lists(TRANSLATIONS, min_size=1, max_size=3).map(tuple),
    # Broken bytes in one example of four: most examples must reach the gates.
    st.sampled_from([False, False, False, True]),
    st.sampled_from([False, False, False, True]),
)

# -- the project ---------------------------------------------------------------------------


@dataclass
class Project:
    root: Path  # holds outside/ and proj/
    outside: Path

    @property
    def proj(self) -> Path:
        return self.root / "proj"

    def write(self, cases: list[Case]) -> None:
        """Each case as an article (case0.md …) with its catalog."""
        source = self.proj / "source"
        catalogs = self.proj / "locales" / "nl-NL" / "LC_MESSAGES"
        for index, case in enumerate(cases):
            (source / f"case{index}.md").write_bytes(case.article(self.outside))
            (catalogs / f"case{index}.po").write_bytes(case.catalog(self.outside))


def make_project(root: Path) -> Project:
    outside = root / "outside"
    outside.mkdir(parents=True)
    (outside / "canary.txt").write_text(f"{CANARY}\n", encoding="utf-8")
    (outside / "canary.png").write_bytes(b"\x89PNG\r\n\x1a\n" + CANARY.encode())
    proj = root / "proj"
    write_files(proj, {"conf.py": CONF, "source/index.md": INDEX,
                       "source/media/real.txt": "inside\n"}, dedent=False)
    (proj / "source" / "media" / "real.png").write_bytes(b"\x89PNG\r\n\x1a\nreal")
    (proj / "locales" / "nl-NL" / "LC_MESSAGES").mkdir(parents=True)
    (proj / "source" / "escape.txt").symlink_to(outside / "canary.txt")
    (proj / "source" / "escape.png").symlink_to(outside / "canary.png")
    (proj / "source" / "escaped").symlink_to(outside, target_is_directory=True)
    return Project(root, outside)


def build_in_process(project: Project) -> str:
    """One Sphinx build of nl-NL over the project's folders; returns its warnings."""
    proj = project.proj
    warnings = io.StringIO()
    app = Sphinx(str(proj / "source"), str(proj), str(proj / "build" / "html"),
                 str(proj / "build" / "doctrees"), "html",
                 confoverrides={"language": "nl_NL", "helpsite_locale": "nl-NL"},
                 status=io.StringIO(), warning=warnings, freshenv=False)
    app.build()
    return warnings.getvalue()


def assert_safe(project: Project, output: str) -> None:
    assert "Traceback" not in output, output[-3000:]
    assert files_holding(project.proj / "build", CANARY) == []
    for page in (project.proj / "build" / "html").rglob("*.html"):
        assert script_urls(page.read_text(encoding="utf-8", errors="replace")) == [], page


# An example is one build of three articles, each with its catalog.
SITES = st.lists(CASES, min_size=3, max_size=3)

_PROFILE = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large],
    print_blob=True,
)


@pytest.fixture(scope="module", autouse=True)
def own_translators() -> Iterator[None]:
    """The in-process builds load Dutch into Sphinx's process-wide translators: they get
    a registry of their own, and the tests after them the one they had."""
    before = sphinx.locale.translators
    sphinx.locale.translators = type(before)()
    yield
    sphinx.locale.translators = before


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_project(tmp_path_factory.mktemp("property"))


@pytest.mark.slow
@_PROFILE
@given(cases=SITES)
def test_no_hostile_fragment_reaches_the_site(project: Project, cases: list[Case]) -> None:
    project.write(cases)
    try:
        output = build_in_process(project)
    except Exception as error:  # the property: a bad page is a finding, never a crash
        pytest.fail(f"the build raised {type(error).__name__}: {error}")
    assert_safe(project, output)


@pytest.mark.slow
@settings(_PROFILE, max_examples=CLI_EXAMPLES)
@given(cases=SITES)
def test_helpsite_build_exits_as_documented(tmp_path_factory: pytest.TempPathFactory,
                                            cases: list[Case]) -> None:
    project = make_project(tmp_path_factory.mktemp("cli"))
    project.write(cases)
    command = [sys.executable, "-m", "helpsite", "build", "--conf-dir", str(project.proj),
               "--source", str(project.proj / "source"), "--out",
               str(project.proj / "build"), "--parallel", "1"]
    env = {**os.environ, "COLUMNS": "200"}
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env,
                         check=False)
    output = run.stdout + run.stderr
    assert run.returncode in (0, 1), output[-3000:]
    assert_safe(project, output)
    shutil.rmtree(project.root, ignore_errors=True)


def test_the_fragments_are_really_hostile(tmp_path: Path) -> None:
    """Without the gates these fragments do leak: the plain docutils/Sphinx behaviour reads
    the canary (so the property above tests something)."""
    project = make_project(tmp_path)
    article = textwrap.dedent("""\
        ---
        title: A case
        ---
        # A case

        {download}`file <../../outside/canary.txt>`
        """)
    (project.proj / "source" / "case0.md").write_text(article, encoding="utf-8")
    conf = project.proj / "conf.py"
    conf.write_text('extensions = ["myst_parser"]\nsource_suffix = {".md": "markdown"}\n',
                    encoding="utf-8")
    app = Sphinx(str(project.proj / "source"), str(project.proj),
                 str(project.proj / "build" / "html"), str(project.proj / "build" / "doctrees"),
                 "html", status=io.StringIO(), warning=io.StringIO(), freshenv=True)
    app.build()
    assert files_holding(project.proj / "build", CANARY)
