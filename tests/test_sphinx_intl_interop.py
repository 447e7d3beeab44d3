"""A writer who runs sphinx-intl on a helpsite project gets the answers helpsite gives.

helpsite does not use sphinx-intl (it has its own ``update-po``, ``stats`` and
``compile``), but the catalogs are plain gettext under ``locales/<tag>/LC_MESSAGES/``, so
``sphinx-intl stat`` and ``sphinx-intl build`` work on them. These tests run the real
sphinx-intl command (the test extras install it) on a copy of the sample project, with one
message made fuzzy and one left untranslated so the counts and the .mo files can differ,
and compare its results with helpsite's own, each parsed: the stat lines against
:func:`helpsite.catalogs.stats.collect_stats` (sphinx-intl's "translated" includes the
fuzzy messages, helpsite's does not: the one difference, documented in
docs/translating.md), and the .mo files it builds, read back with Babel, against the
ones :func:`helpsite.catalogs.compile.compile_catalogs` writes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from helpsite.catalogs.compile import compile_catalogs
from helpsite.catalogs.pofile import read_catalog
from helpsite.catalogs.stats import collect_stats
from helpsite.catalogs.writer import render_catalog

REPO = Path(__file__).resolve().parents[1]
SPHINX_INTL = Path(sys.executable).with_name("sphinx-intl")
STAT_LINE = re.compile(r"^(?P<path>\S+\.po): (?P<translated>\d+) translated, "
                       r"(?P<fuzzy>\d+) fuzzy, (?P<untranslated>\d+) untranslated\.$")
EDITED = "locales/nl-NL/LC_MESSAGES/account/sign-in.po"

Counts = dict[str, tuple[int, int, int]]
Messages = dict[tuple[str | None, object], object]

pytestmark = pytest.mark.skipif(not SPHINX_INTL.is_file(),
                                reason="sphinx-intl is not installed (pip install -e '.[test]')")


def copy_sample(root: Path) -> Path:
    """conf.py, source/ and locales/ of the sample project, without compiled files."""
    root.mkdir()
    shutil.copy2(REPO / "conf.py", root / "conf.py")
    for folder in ("source", "locales"):
        shutil.copytree(REPO / folder, root / folder,
                        ignore=shutil.ignore_patterns("*.mo", "*.stamp", ".*"))
    make_one_fuzzy_and_one_untranslated(root / EDITED)
    return root


def make_one_fuzzy_and_one_untranslated(path: Path) -> None:
    catalog = read_catalog(path)
    first, second = [e for e in catalog.active if e.translated and not e.fuzzy][:2]
    first.flags.append("fuzzy")
    second.msgstr = ""
    path.write_text(render_catalog(catalog), encoding="utf-8")


def sphinx_intl(project: Path, command: str) -> str:
    done = subprocess.run([str(SPHINX_INTL), command, "-d", "locales"], cwd=project,
                          capture_output=True, text=True, timeout=120, check=False)
    # `stat` exits 1 when a catalog has untranslated messages, as these have
    assert done.returncode in ((0, 1) if command == "stat" else (0,)), done.stderr
    return done.stdout


def sphinx_intl_counts(project: Path) -> Counts:
    counts: Counts = {}
    for line in sphinx_intl(project, "stat").splitlines():
        match = STAT_LINE.match(line.strip())
        assert match, f"not a stat line: {line!r}"
        counts[match["path"]] = (int(match["translated"]), int(match["fuzzy"]),
                                 int(match["untranslated"]))
    return counts


def helpsite_counts_as_sphinx_intl_counts(project: Path) -> Counts:
    """helpsite's statistics in sphinx-intl's terms: its "translated" is every message
    with a translation, fuzzy ones included (``m.id and m.string``), where helpsite's
    leaves the fuzzy ones out; "fuzzy" and "untranslated" mean the same in both."""
    report = collect_stats(project / "locales", base=project)
    assert not report.findings
    return {page.path: (page.translated + page.fuzzy, page.fuzzy, page.untranslated)
            for locale in report.locales for page in locale.pages}


def mo_messages(locales: Path) -> dict[str, Messages]:
    """Every .mo under ``locales``: its path → {(context, msgid): translation}."""
    found = {}
    for path in sorted(locales.rglob("*.mo")):
        with path.open("rb") as handle:
            catalog = read_mo(handle)
        found[path.relative_to(locales).as_posix()] = {
            (message.context, message.id): message.string for message in catalog if message.id}
    return found


def test_sphinx_intl_stat_counts_what_helpsite_stats_counts(tmp_path: Path) -> None:
    project = copy_sample(tmp_path / "project")
    theirs = sphinx_intl_counts(project)
    ours = helpsite_counts_as_sphinx_intl_counts(project)
    assert len(ours) == len(list((project / "locales").rglob("*.po"))) > 10
    assert theirs == ours
    edited = collect_stats(project / "locales", ["nl-NL"], base=project).locales[0]
    page = next(p for p in edited.pages if p.path == EDITED)
    assert (page.fuzzy, page.untranslated) == (1, 1)  # the edit shows
    assert theirs[EDITED][0] == page.translated + 1  # sphinx-intl counts the fuzzy one too


def test_sphinx_intl_build_compiles_what_helpsite_compiles(tmp_path: Path) -> None:
    theirs_project = copy_sample(tmp_path / "sphinx-intl")
    ours_project = copy_sample(tmp_path / "helpsite")
    sphinx_intl(theirs_project, "build")
    result = compile_catalogs(ours_project / "locales", base=ours_project)
    assert not result.findings
    theirs = mo_messages(theirs_project / "locales")
    ours = mo_messages(ours_project / "locales")
    assert sorted(theirs) == sorted(ours) and len(ours) > 10
    assert theirs == ours
    edited = read_catalog(ours_project / EDITED)
    fuzzy = next(e for e in edited.active if e.fuzzy)
    blank = next(e for e in edited.active if not e.translated)
    compiled = ours[EDITED.removeprefix("locales/").replace(".po", ".mo")]
    assert (fuzzy.msgctxt, fuzzy.msgid) not in compiled  # fuzzy stays out, in both
    assert (blank.msgctxt, blank.msgid) not in compiled
    assert any(string for string in compiled.values())
