"""``make bench``: helpsite's build against the plain way, on the same inputs, in one run.

helpsite: ``helpsite build`` (every locale, side by side, one process each).
Plain: ``sphinx-build -b html -D language=X`` for one locale after the other, with the same
conf.py but without helpsite's speed-ups — ``gettext_compact`` at Sphinx's default (one
catalog per folder, merged from the article catalogs), MyST's and Sphinx's own way of
parsing and translating (``helpsite_fast_build = False``) and the theme's own sidebar
(``helpsite_sidebar = "theme"``) with a root toctree that lists every article, as a plain
Sphinx site needs.

Measured per input: the cold build (whole site, CPU per locale, pages per second, peak
memory of all build processes together), the rebuild after no change, after editing one
article and after editing one catalog entry (medians), and the cost of a translated page
against a source page (CPU seconds of a target locale's build over the source locale's).

Inputs: the sample site, and the real corpus imported from
``../shared/corpus/alchemy-sxs/`` (English + nl-NL + de-DE) into ``build/bench/corpus``
once. ``--quick`` imports and builds only a few hundred of its articles (into
``build/bench/corpus-quick``; a few minutes from a clean clone). In full mode the plain
loop over the whole corpus (about half an hour) is estimated from builds of two subsets in
the same run (a fit ``t = a·n + b·n²``: the theme's sidebar makes each page grow with the
site), and its incremental rebuilds are measured on the larger subset; the output says so.

The input ``corpus-10`` is the whole real site: English + the ten sxs locales
(``TEN_LOCALES``) imported into ``build/bench/corpus-10`` once (with a table of the
locales' English sides from the import reports), built cold, then rebuilt after no change,
one edited article and one edited catalog entry; plain Sphinx is measured on a subset of
articles in all eleven locales (cold and no change) and extrapolated linearly, the
formula printed. It has no page-cost pairs (the ``corpus`` input measures those).

    python -m bench.build [--quick] [--inputs sample,corpus,corpus-10] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib
from helpsite.console import make_console
from helpsite.locales import output_folder, sphinx_language
from helpsite.sitebuild.parallel import cpu_count
from rich.console import Console
from rich.table import Table

from bench.data import SXS_CORPUS, corpus_dir
from bench.data import TEN_LOCALES as TEN_LOCALES  # re-exported: bench.build.TEN_LOCALES
from bench.goals import BUILD_GOALS as GOALS
from bench.goals import BUILD_TEN_GOALS as TEN_GOALS

QUICK_ARTICLES = 300  # the subset the full mode measures plain Sphinx on (extrapolated)
QUICK_CORPUS = 100  # --quick: the corpus articles imported and built (a few minutes in all)
TEN_PLAIN_ARTICLES = 100  # corpus-10: the subset plain Sphinx is measured on (11 locales)
CORPUS_LOCALES = ("nl-NL", "de-DE")
PLAIN_OVERRIDES = """

# -- the plain way (bench.build): no helpsite speed-ups
helpsite_fast_build = False
gettext_compact = True
helpsite_sidebar = "theme"
"""
ROOT_TOCTREE = "\n\n```{toctree}\n:glob:\n:maxdepth: 1\n\n*\n*/*\n```\n"
CORPUS_CONF = """project = "Alchemy Insights (benchmark)"
html_title = project
extensions = ["helpsite.sphinx"]
helpsite_source_locale = "en-US"
helpsite_locales = {locales!r}
helpsite_base_url = "https://help.example.test/"
"""


# -- processes and memory


@dataclass
class ProcessRun:
    returncode: int
    wall: float
    cpu: float
    max_rss_kb: int
    peak_kb: int  # all processes of the run together, sampled
    stdout: str
    stderr: str


def _descendants_rss_kb(root: int) -> int:
    """Resident memory of every process below ``root`` (from /proc), in KiB."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            parents[int(name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    total, page_kb = 0, os.sysconf("SC_PAGE_SIZE") // 1024
    for pid in parents:
        parent, depth = parents.get(pid), 0
        while parent not in (None, 0, root) and depth < 64:
            parent, depth = parents.get(parent), depth + 1
        if parent != root:
            continue
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * page_kb
        except (OSError, IndexError, ValueError):
            continue
    return total


class PeakMemory:
    """Samples the memory of all child processes four times a second."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(0.25):
            self.peak_kb = max(self.peak_kb, _descendants_rss_kb(os.getpid()))

    def __enter__(self) -> PeakMemory:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def run_process(command: list[str], env: dict[str, str] | None = None) -> ProcessRun:
    started = time.perf_counter()
    with PeakMemory() as memory:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, encoding="utf-8", errors="replace",
                                   env={**os.environ, **(env or {})})
        out: list[str] = []
        err: list[str] = []
        readers = [threading.Thread(target=lambda s=s, into=into: into.extend(s), daemon=True)
                   for s, into in ((process.stdout, out), (process.stderr, err))]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return ProcessRun(process.returncode, time.perf_counter() - started,
                      usage.ru_utime + usage.ru_stime, usage.ru_maxrss, memory.peak_kb,
                      "".join(out), "".join(err))


# -- inputs


@dataclass
class Project:
    """A conf.py folder with source/ and locales/, and what the benchmark edits in it."""

    root: Path
    tags: list[str]  # source locale first

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def locales(self) -> Path:
        return self.root / "locales"


@dataclass
class Input:
    name: str
    helpsite: Project
    plain: Project
    articles: int
    edit_article: str  # docname
    is_corpus: bool = False
    plain_note: str = ""
    plain_articles: int = 0  # articles of the plain project when it is a subset
    ten: bool = False  # corpus-10: no page-cost pairs, plain cold + no change only


def docnames(source: Path) -> list[str]:
    return sorted(p.relative_to(source).with_suffix("").as_posix()
                  for p in source.rglob("*.md"))


def catalog_path(project: Project, tag: str, docname: str) -> Path:
    return project.locales / tag / "LC_MESSAGES" / f"{docname}.po"


def pick_article(project: Project) -> str:
    """An article translated in every target locale (the one the benchmark edits)."""
    for name in docnames(project.source):
        if name.endswith("index"):
            continue
        paths = [catalog_path(project, tag, name) for tag in project.tags[1:]]
        if all(p.is_file() and any(e.msgstr for e in polib.pofile(str(p))) for p in paths):
            return name
    raise SystemExit(f"no article of {project.source} is translated in every locale")


def copy_project(source_root: Path, target: Path, names: list[str] | None, tags: list[str],
                 conf_text: str) -> Project:
    """``names`` (docnames) of ``source_root``'s articles with their catalogs and media."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "source").mkdir(parents=True)
    chosen = names if names is not None else docnames(source_root / "source")
    for name in chosen:
        _copy(source_root / "source" / f"{name}.md", target / "source" / f"{name}.md")
        for tag in tags[1:]:
            po = source_root / "locales" / tag / "LC_MESSAGES" / f"{name}.po"
            if po.is_file():
                _copy(po, target / "locales" / tag / "LC_MESSAGES" / f"{name}.po")
    for folder in (source_root / "source").rglob("media"):
        if folder.is_dir():
            shutil.copytree(folder, target / "source" / folder.relative_to(
                source_root / "source"), dirs_exist_ok=True)
    (target / "conf.py").write_text(conf_text, encoding="utf-8")
    return Project(target, tags)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def make_plain(project: Project, target: Path) -> Project:
    """The same articles as a plain Sphinx site: a root toctree listing every article,
    catalogs merged per folder (gettext_compact), helpsite's speed-ups off."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(project.source, target / "source")
    index = target / "source" / "index.md"
    text = index.read_text(encoding="utf-8")
    if "{toctree}" not in text:
        index.write_text(text.rstrip("\n") + ROOT_TOCTREE, encoding="utf-8")
    for tag in project.tags[1:]:
        compact_catalogs(project.locales / tag / "LC_MESSAGES",
                         target / "locales" / tag / "LC_MESSAGES")
    conf = (project.root / "conf.py").read_text(encoding="utf-8") + PLAIN_OVERRIDES
    (target / "conf.py").write_text(conf, encoding="utf-8")
    return Project(target, project.tags)


def compact_domain(docname: str) -> str:
    return docname.partition("/")[0]  # Sphinx's docname_to_domain with gettext_compact


def compact_catalogs(folder: Path, target: Path) -> None:
    groups: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*.po")):
        name = path.relative_to(folder).with_suffix("").as_posix()
        groups.setdefault(compact_domain(name), []).append(path)
    for domain, paths in groups.items():
        out = target / f"{domain}.po"
        out.parent.mkdir(parents=True, exist_ok=True)
        if len(paths) == 1:
            shutil.copyfile(paths[0], out)
            continue
        merged = polib.pofile(str(paths[0]))
        seen = {(e.msgctxt, e.msgid) for e in merged}
        for path in paths[1:]:
            for entry in polib.pofile(str(path)):
                if (entry.msgctxt, entry.msgid) not in seen:
                    seen.add((entry.msgctxt, entry.msgid))
                    merged.append(entry)
        merged.save(str(out))


def sample_input(repo: Path, work: Path) -> Input:
    conf = (repo / "conf.py").read_text(encoding="utf-8")
    tags = _conf_tags(repo / "conf.py")
    project = copy_project(repo, work / "helpsite", None, tags, conf)
    plain = make_plain(project, work / "plain")
    return Input("sample site", project, plain, len(docnames(project.source)),
                 pick_article(project))


def _conf_tags(conf: Path) -> list[str]:
    from helpsite.sitebuild.plan import read_conf

    settings = read_conf(conf.parent)
    return [settings.source_locale, *settings.locales]


def sxs_subset(sxs: Path, target: Path, count: int,
               locales: tuple[str, ...] = CORPUS_LOCALES) -> Path:
    """The first ``count`` articles (by name) that every one of ``locales`` has, with the
    includes and media, copied to ``target/<tag>/``: what ``--quick`` imports (importing
    the whole corpus takes about 13 minutes, this a few seconds)."""
    from bench.fidelity import sxs_docnames

    per_locale = [set(sxs_docnames(sxs / tag)) for tag in locales]
    common = set.intersection(*per_locale)
    # the site's home page (corpus_input builds it with every subset) and count articles
    chosen = ["index", *sorted(common - {"index"})[:count]] if "index" in common else \
        sorted(common)[:count]
    for tag in locales:
        for name in chosen:
            path = target / tag / f"{name}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sxs / tag / f"{name}.md", path)
        for folder in ("includes", "media"):
            if (sxs / tag / folder).is_dir():
                shutil.copytree(sxs / tag / folder, target / tag / folder, dirs_exist_ok=True)
    return target


def ensure_corpus(sxs: Path, imported: Path, console: Console, limit: int | None = None,
                  locales: tuple[str, ...] = CORPUS_LOCALES) -> Path:
    """Import the sxs corpus (English + ``locales``, by default nl-NL + de-DE) once into
    ``imported``; later runs reuse it (its ``.complete`` marker). With ``limit`` only that
    many articles are imported (into a folder of their own). Each locale is one
    ``helpsite import sxs`` into the same folder: the English source is kept from the
    first, later ones add their catalogs and report English sides that differ."""
    done = imported / ".complete"
    if done.is_file():
        return imported
    if not sxs.is_dir():
        raise SystemExit(f"{sxs} not found: the corpus benchmark needs ../shared/corpus "
                         "(or --sxs, or $HELPSITE_SHARED)")
    if limit is not None:
        sxs = sxs_subset(sxs, imported.parent / f"{imported.name}-sxs", limit, locales)
    reports = import_reports(imported)
    reports.mkdir(parents=True, exist_ok=True)
    for tag in locales:
        console.print(f"Importing {sxs / tag} into {imported} (once) …")
        run = run_process([sys.executable, "-m", "helpsite", "import", "sxs", str(sxs / tag),
                           "--locale", tag, "--out", str(imported), "--skip-invalid",
                           "--format", "json"])
        if run.returncode not in (0, 1) or not (imported / "source").is_dir():
            raise SystemExit(f"import of {tag} failed:\n{run.stderr[-2000:]}")
        (reports / f"{tag}.json").write_text(run.stdout, encoding="utf-8")
    done.write_text("imported\n", encoding="utf-8")
    return imported


def import_reports(imported: Path) -> Path:
    """Where :func:`ensure_corpus` keeps each locale's JSON import report (beside the
    project, not in it: the build must not see them)."""
    return imported.parent / f"{imported.name}-import-reports"


def corpus_input(imported: Path, work: Path, limit: int | None,
                 locales: tuple[str, ...] = CORPUS_LOCALES) -> Input:
    tags = ["en-US", *locales]
    conf = CORPUS_CONF.format(locales=list(locales))
    names = docnames(imported / "source")
    articles = [n for n in names if n != "index"]
    chosen = None if limit is None else ["index", *articles[:limit]]
    label = "corpus" if limit is None else f"corpus ({limit} articles)"
    project = copy_project(imported, work / "helpsite", chosen, tags, conf)
    plain_source = project
    note, plain_articles = "", 0
    if limit is None:
        # The plain loop over the whole corpus takes about half an hour: it is measured on
        # a subset and extrapolated.
        plain_source = copy_project(imported, work / "subset-plain",
                                    ["index", *articles[:QUICK_ARTICLES]], tags, conf)
        plain_articles = QUICK_ARTICLES + 1
        note = (f"plain: measured on {plain_articles} articles; its cold build is "
                f"extrapolated linearly to {len(names)} — a lower bound, since the "
                "theme's sidebar makes every page grow with the site")
    plain = make_plain(plain_source, work / "plain")
    edit = "azure-subscription-payment-change"
    if edit not in names or (limit is not None and edit not in (chosen or [])):
        edit = pick_article(project)
    return Input(label, project, plain, len(docnames(project.source)), edit, True, note,
                 plain_articles)


def ten_input(imported: Path, work: Path, plain_articles: int) -> Input:
    """corpus-10: the whole site, English + the ten locales; plain Sphinx on a subset of
    ``plain_articles`` articles in all eleven locales (the whole loop would take hours),
    extrapolated by :func:`plain_formula`."""
    tags = ["en-US", *TEN_LOCALES]
    conf = CORPUS_CONF.format(locales=list(TEN_LOCALES))
    names = docnames(imported / "source")
    project = copy_project(imported, work / "helpsite", None, tags, conf)
    subset = ["index", *[n for n in names if n != "index"][:plain_articles]]
    plain = make_plain(copy_project(imported, work / "subset-plain", subset, tags, conf),
                       work / "plain")
    edit = "azure-subscription-payment-change"
    if edit not in names:
        edit = pick_article(project)
    return Input("corpus-10", project, plain, len(names), edit, True,
                 plain_articles=len(subset), ten=True)


# -- the two ways of building


@dataclass
class SiteRun:
    wall: float
    peak_kb: int
    locales: dict[str, dict[str, float]]  # tag → seconds, cpu, rss_kb, read, pages

    def read_counts(self) -> str:
        return "/".join("–" if v.get("up_to_date") else str(v.get("read")) for v in
                        self.locales.values())


def helpsite_build(project: Project, fresh: bool = False) -> SiteRun:
    """``helpsite build`` of the project (``fresh``: a cold build, the output removed)."""
    report = project.root / "out" / "report.json"
    command = [sys.executable, "-m", "helpsite", "build", "--conf-dir", str(project.root),
               "--source", str(project.source), "--out", str(project.root / "out"),
               "--report", str(report)]
    if fresh:
        shutil.rmtree(project.root / "out", ignore_errors=True)
    run = run_process(command)
    if run.returncode not in (0, 1) or not report.is_file():
        raise SystemExit(f"helpsite build failed:\n{run.stderr[-3000:]}")
    rows = json.loads(report.read_text(encoding="utf-8"))["locales"]
    locales = {row["locale"]: {"seconds": row["seconds"], "cpu": row["cpu_seconds"],
                               "rss_kb": row["max_rss_kb"], "read": row["read"],
                               "pages": row["pages"], "up_to_date": row["up_to_date"]}
               for row in rows}
    return SiteRun(run.wall, run.peak_kb, locales)


def plain_build(project: Project, tags: list[str] | None = None,
                fresh: bool = False) -> SiteRun:
    """sphinx-build for one locale after the other (``tags``: only these)."""
    out = project.root / "out"
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    locales: dict[str, dict[str, float]] = {}
    wall, peak = 0.0, 0
    for tag in tags or project.tags:
        folder = output_folder(tag)
        run = run_process([sys.executable, "-m", "sphinx", "-b", "html", "-q",
                           "-c", str(project.root), "-d", str(out / "doctrees" / folder),
                           "-D", f"language={sphinx_language(tag)}", str(project.source),
                           str(out / "html" / folder)])
        if run.returncode:
            raise SystemExit(f"plain build of {tag} failed:\n{run.stderr[-3000:]}")
        wall += run.wall
        peak = max(peak, run.peak_kb)
        locales[tag] = {"seconds": run.wall, "cpu": run.cpu, "rss_kb": run.max_rss_kb}
    return SiteRun(wall, peak, locales)


# -- edits


def append_sentence(project: Project, docname: str, number: int) -> None:
    path = project.source / f"{docname}.md"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nA sentence the benchmark added ({number}).\n")


def edit_catalog_entry(path: Path, number: int, msgid: str | None = None) -> str:
    """Change one translation in ``path`` — a paragraph (the longest message), not the
    title, which would also change sidebars; returns the msgid of the entry changed."""
    catalog = polib.pofile(str(path))
    body = [e for e in catalog if e.msgstr and "front matter" not in (e.comment or "")]
    entry = (next(e for e in catalog if e.msgid == msgid) if msgid is not None
             else max(body, key=lambda e: len(e.msgid)))
    entry.msgstr = entry.msgstr.rstrip(" 0123456789()") + f" ({number})"
    catalog.save(str(path))
    return entry.msgid


def plain_catalog(plain: Project, tag: str, docname: str) -> Path:
    return plain.locales / tag / "LC_MESSAGES" / f"{compact_domain(docname)}.po"


# -- measuring one input


@dataclass
class Figures:
    cold: SiteRun
    unchanged: list[float]
    article: list[float]
    article_reads: str
    po: list[float]
    po_reads: str


def measure_helpsite(item: Input, runs: int, say: Callable[[str], None]) -> Figures:
    project, target = item.helpsite, item.helpsite.tags[1]
    say(f"helpsite: cold build of {item.name} …")
    cold = helpsite_build(project, fresh=True)
    unchanged, article, po = [], [], []
    reads = po_reads = ""
    for number in range(1, runs + 1):
        unchanged.append(helpsite_build(project).wall)
        append_sentence(project, item.edit_article, number)
        run = helpsite_build(project)
        article.append(run.wall)
        reads = run.read_counts()
        edit_catalog_entry(catalog_path(project, target, item.edit_article), number)
        run = helpsite_build(project)
        po.append(run.wall)
        po_reads = run.read_counts()
    return Figures(cold, unchanged, article, reads, po, po_reads)


def measure_plain(item: Input, runs: int, say: Callable[[str], None]) -> Figures:
    project, target = item.plain, item.plain.tags[1]
    say(f"plain: cold build of {item.plain_articles or item.articles} articles …")
    cold = plain_build(project, fresh=True)
    unchanged, article, po = [], [], []
    msgid = None
    for number in range(1, runs + 1):
        unchanged.append(plain_build(project).wall)
        append_sentence(project, item.edit_article, number)
        article.append(plain_build(project).wall)
        msgid = edit_catalog_entry(plain_catalog(project, target, item.edit_article), number,
                                   msgid)
        po.append(plain_build(project, [target]).wall)
    return Figures(cold, unchanged, article, "", po, "")


def measure_plain_ten(item: Input, runs: int, say: Callable[[str], None]) -> Figures:
    """corpus-10's plain loop: the cold build and the rebuild after no change (each of
    eleven locales one after the other; the edits are measured on the corpus input)."""
    say(f"plain: cold build of {item.plain_articles} articles × {len(item.plain.tags)} "
        "locales …")
    cold = plain_build(item.plain, fresh=True)
    unchanged = [plain_build(item.plain).wall for _ in range(runs)]
    return Figures(cold, unchanged, [], "", [], "")


@dataclass
class Estimate:
    wall: float
    cpu: dict[str, float]


def estimate_plain(item: Input, plain: Figures) -> Estimate:
    """The plain cold build of the whole input, from its subset (a lower bound)."""
    scale = item.articles / item.plain_articles
    return Estimate(plain.cold.wall * scale,
                    {tag: v["cpu"] * scale for tag, v in plain.cold.locales.items()})


def plain_formula(item: Input, plain: Figures) -> tuple[float, str]:
    """The plain cold build of the whole site from its subset, and how it was worked out
    (linear in the articles: a lower bound, the theme's sidebar grows with the site)."""
    scale = item.articles / item.plain_articles
    estimate = plain.cold.wall * scale
    return estimate, (f"plain cold ≈ {plain.cold.wall:.1f} s × {item.articles} / "
                      f"{item.plain_articles} articles = {estimate:.0f} s (linear in the "
                      "articles, all locales measured: a lower bound, since the theme's "
                      "sidebar makes every page grow with the site)")


def paired_costs(project: Project, rounds: int,
                 say: Callable[[str], None]) -> dict[str, list[float]]:
    """Page cost measured in pairs: each target locale built cold side by side with the
    source locale (one process each, one core each, then the cores swapped:
    :func:`_pair_cpu`), so both see the same machine — on this shared machine a
    process's CPU seconds for the same work vary by a fifth from one minute to the next,
    and builds one after the other would compare different minutes. The targets take
    turns going first. Returns, per target locale, its CPU seconds over the source
    locale's, one ratio per round."""
    source, targets = project.tags[0], project.tags[1:]
    ratios: dict[str, list[float]] = {t: [] for t in targets}
    for number in range(1, rounds + 1):
        turn = (number - 1) % len(targets)
        for tag in targets[turn:] + targets[:turn]:
            say(f"helpsite: {source} beside {tag}, for the page cost "
                f"(round {number}/{rounds}) …")
            cpu = _pair_cpu(project, source, tag)
            ratios[tag].append(cpu[tag] / cpu[source])
            say(f"  {tag} {cpu[tag]:.1f} s CPU, {source} {cpu[source]:.1f} s: "
                f"{ratios[tag][-1]:.2f}")
    return ratios


def _pair_cpu(project: Project, source: str, tag: str) -> dict[str, float]:
    """CPU seconds of each locale's cold build, the two side by side. The two cores of a
    shared machine need not be equally fast (a busy neighbour on one of them), so with
    two or more cores each build is pinned to one core and the pair runs twice, the cores
    swapped; each locale's figure is the geometric mean of its two runs, and a speed
    difference between the cores cancels out of the ratio."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) < 2:
        return _one_build_cpu(project, [source, tag])
    first = _pinned_builds(project, {source: cpus[0], tag: cpus[1]})
    second = _pinned_builds(project, {source: cpus[1], tag: cpus[0]})
    return {t: math.sqrt(first[t] * second[t]) for t in (source, tag)}


def _one_build_cpu(project: Project, tags: list[str]) -> dict[str, float]:
    out = project.root / "paired"
    shutil.rmtree(out, ignore_errors=True)
    report = out / "report.json"
    run = run_process([*_build_command(project, out, report), "--locales", " ".join(tags),
                       "--parallel", str(len(tags))])
    if run.returncode not in (0, 1) or not report.is_file():
        raise SystemExit(f"helpsite build failed:\n{run.stderr[-3000:]}")
    rows = json.loads(report.read_text(encoding="utf-8"))["locales"]
    shutil.rmtree(out, ignore_errors=True)
    return {row["locale"]: row["cpu_seconds"] for row in rows}


def _build_command(project: Project, out: Path, report: Path) -> list[str]:
    return [sys.executable, "-m", "helpsite", "build", "--conf-dir", str(project.root),
            "--source", str(project.source), "--out", str(out), "--jobs", "1",
            "--report", str(report)]


def _pinned_builds(project: Project, cores: dict[str, int]) -> dict[str, float]:
    """One ``helpsite build`` per locale, at the same time, each on its core (a launcher
    sets the affinity and becomes the build: its processes inherit it)."""
    runs = []
    for tag, core in cores.items():
        out = project.root / "paired" / output_folder(tag)
        shutil.rmtree(out, ignore_errors=True)
        report = out / "report.json"
        pin = ("import os, sys; os.sched_setaffinity(0, {int(sys.argv[1])}); "
               "os.execv(sys.argv[2], sys.argv[2:])")
        command = [sys.executable, "-c", pin, str(core),
                   *_build_command(project, out, report), "--locales", tag]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        runs.append((tag, out, report, process))
    cpu: dict[str, float] = {}
    for tag, out, report, process in runs:
        _out, errors = process.communicate()
        if process.returncode not in (0, 1) or not report.is_file():
            raise SystemExit(f"helpsite build failed:\n{errors[-3000:]}")
        rows = json.loads(report.read_text(encoding="utf-8"))["locales"]
        cpu[tag] = next(row["cpu_seconds"] for row in rows if row["locale"] == tag)
        shutil.rmtree(out, ignore_errors=True)
    return cpu


def page_cost(ratios: dict[str, list[float]], tag: str) -> float:
    """Median over the rounds of (the locale's CPU / the source locale's CPU)."""
    return statistics.median(ratios[tag])


def doctree_bytes(project: Project, tag: str) -> int:
    folder = project.root / "out" / "doctrees" / output_folder(tag)
    return sum(p.stat().st_size for p in folder.rglob("*.doctree"))


# -- report


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "–"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else (" [green]✓[/]" if ok else " [red]✗[/]")


def report_input(item: Input, ours: Figures, alone: dict[str, list[float]], plain: Figures,
                 estimate: Estimate | None, console: Console,
                 results: dict[str, object]) -> None:
    tags = item.helpsite.tags
    count = len(tags)
    pages = item.articles * count
    check = item.is_corpus and item.plain_articles != 0  # goals: the whole corpus
    plain_cold = estimate.wall if estimate else plain.cold.wall
    plain_cpu = estimate.cpu if estimate else {t: v["cpu"] for t, v in plain.cold.locales.items()}
    est = " (est.)" if estimate else ""
    table = Table(title=f"{item.name}: {item.articles} articles × {count} locales "
                        f"({', '.join(tags)})")
    for column in ("", "helpsite", "plain", "helpsite / plain", "goal"):
        table.add_column(column, justify="left" if column in ("", "goal") else "right")
    cold_ok = (ours.cold.wall <= GOALS["cold"]
               and ours.cold.wall <= GOALS["cold_vs_plain"] * plain_cold) if check else None
    table.add_row("cold build, whole site", f"{ours.cold.wall:.1f} s{_mark(cold_ok)}",
                  f"{plain_cold:.1f} s{est}", _ratio(ours.cold.wall, plain_cold),
                  f"≤ {GOALS['cold']:.0f} s and ≤ {GOALS['cold_vs_plain']}× plain"
                  if item.is_corpus else "")
    for tag in tags:
        table.add_row(f"  CPU of the {tag} build", f"{ours.cold.locales[tag]['cpu']:.1f} s",
                      f"{plain_cpu[tag]:.1f} s{est}",
                      _ratio(ours.cold.locales[tag]["cpu"], plain_cpu[tag]), "")
    table.add_row("pages per second (cold)", f"{pages / ours.cold.wall:.0f}",
                  f"{pages / plain_cold:.1f}{est}", _ratio(plain_cold, ours.cold.wall), "")
    memory_ok = ours.cold.peak_kb / 1024 <= GOALS["memory_mb"] if check else None
    table.add_row("peak memory, all build processes",
                  f"{ours.cold.peak_kb / 1024:.0f} MB{_mark(memory_ok)}",
                  f"{plain.cold.peak_kb / 1024:.0f} MB", _ratio(ours.cold.peak_kb,
                                                                plain.cold.peak_kb),
                  f"≤ {GOALS['memory_mb']:.0f} MB" if item.is_corpus else "")
    rows = [("no change, per locale", ours.unchanged, plain.unchanged, count, "unchanged",
             f"≤ {GOALS['unchanged']} s per locale", ""),
            ("one article edited, per locale", ours.article, plain.article, count, "article",
             f"≤ {GOALS['article']} s per locale", f" (read {ours.article_reads})"),
            (f"one {tags[1]} catalog entry edited", ours.po, plain.po, 1, "po",
             f"≤ {GOALS['po']} s", f" (read {ours.po_reads})")]
    for label, mine, theirs, per, goal, goal_text, extra in rows:
        value, other = _median(mine) / per, _median(theirs) / per
        ok = value <= GOALS[goal] if check else None
        table.add_row(label, f"{value:.2f} s{_mark(ok)}{extra}", f"{other:.2f} s",
                      _ratio(value, other), goal_text if item.is_corpus else "")
    plain_alone = {t: v["cpu"] for t, v in plain.cold.locales.items()}
    for tag in tags[1:]:
        mine = page_cost(alone, tag)
        theirs = plain_alone[tag] / plain_alone[tags[0]]
        ok = mine <= GOALS["ratio"] if check else None
        table.add_row(f"{tag} page cost / {tags[0]} page cost", f"{mine:.2f}{_mark(ok)}",
                      f"{theirs:.2f}", "", f"≤ {GOALS['ratio']}" if item.is_corpus else "")
    source_trees = doctree_bytes(item.helpsite, tags[0]), doctree_bytes(item.plain, tags[0])
    for tag in tags[1:]:
        mine = doctree_bytes(item.helpsite, tag) / source_trees[0]
        theirs = doctree_bytes(item.plain, tag) / source_trees[1]
        ok = mine <= GOALS["doctrees"] if check else None
        table.add_row(f"{tag} doctrees / {tags[0]} doctrees", f"{mine:.2f}{_mark(ok)}",
                      f"{theirs:.2f}", "", f"≤ {GOALS['doctrees']}" if item.is_corpus else "")
    console.print(table)
    console.print("[dim]Page cost: CPU seconds of a locale's cold build over the source "
                  "locale's, the two built side by side (median of "
                  f"{len(alone[tags[1]])} rounds). Rebuilds: whole "
                  "`helpsite build` runs (all locales side by "
                  "side) divided by the number of locales; medians of "
                  f"{len(ours.unchanged)}.[/]")
    if item.plain_note:
        console.print(f"[dim]{item.plain_note}[/]")
    results[item.name] = {
        "articles": item.articles, "locales": tags,
        "helpsite": {"cold": ours.cold.wall, "cold_locales": ours.cold.locales,
                     "page_cost_ratios": alone, "peak_mb": ours.cold.peak_kb / 1024,
                     "unchanged": ours.unchanged, "article": ours.article,
                     "article_reads": ours.article_reads, "po": ours.po,
                     "po_reads": ours.po_reads,
                     "doctree_bytes": {t: doctree_bytes(item.helpsite, t) for t in tags}},
        "plain": {"cold": plain_cold, "cold_estimated": bool(estimate), "cpu": plain_cpu,
                  "measured_articles": item.plain_articles or item.articles,
                  "peak_mb": plain.cold.peak_kb / 1024, "unchanged": plain.unchanged,
                  "article": plain.article, "po": plain.po,
                  "doctree_bytes": {t: doctree_bytes(item.plain, t) for t in tags}},
    }


def report_ten(item: Input, ours: Figures, plain: Figures, console: Console,
               results: dict[str, object]) -> None:
    """corpus-10's table: the whole eleven-locale site against its goals, plain Sphinx on
    the subset and extrapolated (the formula printed under the table)."""
    tags, count = item.helpsite.tags, len(item.helpsite.tags)
    pages, cold = item.articles * count, ours.cold
    plain_cold, formula = plain_formula(item, plain)
    scale = item.articles / item.plain_articles
    table = Table(title=f"{item.name}: {item.articles} articles × {count} locales "
                        f"({pages:,} pages)")
    for column in ("", "helpsite", "plain", "helpsite / plain", "goal"):
        table.add_column(column, justify="left" if column in ("", "goal") else "right")
    table.add_row("cold build, whole site", f"{cold.wall:.1f} s"
                  f"{_mark(cold.wall <= TEN_GOALS['cold'])}", f"{plain_cold:.0f} s (est.)",
                  _ratio(cold.wall, plain_cold), f"≤ {TEN_GOALS['cold']:.0f} s")
    total_cpu = sum(v["cpu"] for v in cold.locales.values())
    plain_cpu = {t: v["cpu"] * scale for t, v in plain.cold.locales.items()}
    table.add_row("  CPU, all locales", f"{total_cpu:.0f} s",
                  f"{sum(plain_cpu.values()):.0f} s (est.)",
                  _ratio(total_cpu, sum(plain_cpu.values())), "")
    for tag in tags:
        table.add_row(f"  CPU of the {tag} build", f"{cold.locales[tag]['cpu']:.1f} s",
                      f"{plain_cpu[tag]:.1f} s (est.)",
                      _ratio(cold.locales[tag]["cpu"], plain_cpu[tag]), "")
    table.add_row("pages per second (cold)", f"{pages / cold.wall:.0f}",
                  f"{pages / plain_cold:.1f} (est.)", _ratio(plain_cold, cold.wall), "")
    peak_mb = cold.peak_kb / 1024
    table.add_row("peak memory, all build processes",
                  f"{peak_mb:.0f} MB{_mark(peak_mb <= TEN_GOALS['memory_mb'])}",
                  f"{plain.cold.peak_kb / 1024:.0f} MB ({item.plain_articles} articles)", "",
                  f"≤ {TEN_GOALS['memory_mb']:.0f} MB")
    unchanged = _median(ours.unchanged) / count
    plain_unchanged = _median(plain.unchanged) / count * scale
    table.add_row("no change, per locale", f"{unchanged:.2f} s"
                  f"{_mark(unchanged <= TEN_GOALS['unchanged'])}",
                  f"{plain_unchanged:.1f} s (est.)", _ratio(unchanged, plain_unchanged),
                  f"≤ {TEN_GOALS['unchanged']} s per locale")
    table.add_row("one article edited, per locale", f"{_median(ours.article) / count:.2f} s "
                  f"(read {ours.article_reads})", "", "", "")
    table.add_row(f"one {tags[1]} catalog entry edited", f"{_median(ours.po):.2f} s "
                  f"(read {ours.po_reads})", "", "", "")
    console.print(table)
    console.print(f"[dim]{formula}; its no-change rebuild likewise. Rebuilds: whole "
                  "`helpsite build` runs (all locales side by side) divided by the number "
                  f"of locales; medians of {len(ours.unchanged)}.[/]")
    results[item.name] = {
        "articles": item.articles, "locales": tags, "pages": pages,
        "helpsite": {"cold": cold.wall, "cold_locales": cold.locales, "peak_mb": peak_mb,
                     "unchanged": ours.unchanged, "article": ours.article,
                     "article_reads": ours.article_reads, "po": ours.po,
                     "po_reads": ours.po_reads},
        "plain": {"measured_articles": item.plain_articles, "cold_measured": plain.cold.wall,
                  "cold_locales": plain.cold.locales, "cold_estimated": plain_cold,
                  "formula": formula, "peak_mb": plain.cold.peak_kb / 1024,
                  "unchanged": plain.unchanged},
    }


def english_differences(imported: Path, console: Console) -> dict[str, object]:
    """The import reports of a project imported by :func:`ensure_corpus` as a table for
    writers: per locale, how many of its articles have the English the project keeps
    (the first locale's), how many another version, and how many of its translations
    were made for English the kept source does not have (fuzzy suggestions, obsolete)."""
    table = Table(title=f"English sides of {imported.name}: the source kept is the first "
                        "locale's (a later locale's when it has an article first)")
    for column in ("locale", "articles", "same English", "other English",
                   "… with messages affected", "messages: fuzzy", "obsolete"):
        table.add_column(column, justify="left" if column == "locale" else "right")
    rows: dict[str, object] = {}
    for path in sorted(import_reports(imported).glob("*.json"), key=_import_order):
        report = json.loads(path.read_text(encoding="utf-8"))
        differ = report["sources_differ"]
        affected = sum(bool(lists["fuzzy"] or lists["obsolete"])
                       for lists in report.get("sources_differ_articles", {}).values())
        rows[report["locale"]] = {key: report.get(key) for key in (
            "articles", "sources_differ", "sources_added", "messages_fuzzy",
            "messages_obsolete", "translated", "messages")}
        rows[report["locale"]]["affected_articles"] = affected
        table.add_row(report["locale"], f"{report['articles']:,}",
                      f"{report['articles'] - differ:,}", f"{differ:,}", f"{affected:,}",
                      f"{report.get('messages_fuzzy', 0):,}",
                      f"{report.get('messages_obsolete', 0):,}")
    console.print(table)
    return rows


def _import_order(path: Path) -> int:
    tag = path.stem
    return TEN_LOCALES.index(tag) if tag in TEN_LOCALES else len(TEN_LOCALES)


def report_page_cost(item: Input, ratios: dict[str, list[float]],
                     console: Console) -> dict[str, object]:
    table = Table(title=f"{item.name}: page cost, {item.articles} articles")
    for column in ("locale", "rounds", "median", "goal"):
        table.add_column(column)
    for tag, values in ratios.items():
        mine = page_cost(ratios, tag)
        ok = mine <= GOALS["ratio"] if item.is_corpus else None
        table.add_row(f"{tag} / {item.helpsite.tags[0]}", " ".join(f"{v:.2f}" for v in values),
                      f"{mine:.2f}{_mark(ok)}", f"≤ {GOALS['ratio']}" if item.is_corpus else "")
    console.print(table)
    return {"page_cost_ratios": ratios}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.build",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"the corpus with {QUICK_CORPUS} articles, plain fully measured")
    parser.add_argument("--inputs", default="sample,corpus",
                        help="comma-separated: sample, corpus, corpus-10 (English + the "
                             "ten sxs locales; default: sample,corpus)")
    parser.add_argument("--runs", type=int, default=None,
                        help="repetitions of each rebuild, the median shown (default: 3; "
                             "--quick: 1)")
    parser.add_argument("--rounds", type=int, default=None,
                        help="rounds of cold builds, each target locale beside the source "
                             "locale, for the page cost, the median shown (default: 5; "
                             "--quick: 2)")
    parser.add_argument("--repo", type=Path, default=Path("."),
                        help="the project with conf.py, source/ and locales/ (default: .)")
    parser.add_argument("--bench-dir", type=Path, default=Path("build/bench"),
                        help="work folder (default: build/bench)")
    parser.add_argument("--sxs", type=Path, default=corpus_dir(SXS_CORPUS),
                        help="side-by-side corpus with nl-NL/ and de-DE/ (default: "
                             "../shared/corpus/alchemy-sxs, or under $HELPSITE_SHARED)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--page-cost-only", action="store_true",
                        help="measure only the page cost (the paired cold builds)")
    args = parser.parse_args(argv)
    # --quick is a look, not a measurement to quote: one run, two rounds (a few minutes).
    args.runs = args.runs or (1 if args.quick else 3)
    args.rounds = args.rounds or (2 if args.quick else 5)
    args.repo, args.bench_dir, args.sxs = (p.resolve() for p in (args.repo, args.bench_dir,
                                                                  args.sxs))
    console = make_console()
    say = lambda text: console.print(f"[dim]{text}[/]")  # noqa: E731
    wanted = [name.strip() for name in args.inputs.split(",") if name.strip()]
    console.print(f"helpsite build benchmark — {cpu_count()} CPUs, load "
                  f"{os.getloadavg()[0]:.1f}, {'quick' if args.quick else 'full'} mode")
    items = []
    results: dict[str, object] = {"cpus": cpu_count(), "quick": args.quick}
    work = args.bench_dir / "work"
    if "sample" in wanted:
        items.append(sample_input(args.repo, work / "sample"))
    if "corpus" in wanted:
        # --quick imports only the articles it builds: minutes, not the corpus's 13.
        imported = ensure_corpus(args.sxs, args.bench_dir / "corpus-quick", console,
                                 QUICK_CORPUS) if args.quick else \
            ensure_corpus(args.sxs, args.bench_dir / "corpus", console)
        items.append(corpus_input(imported, work / "corpus",
                                  QUICK_CORPUS if args.quick else None))
    if "corpus-10" in wanted:
        # --quick: 100 articles in each of the eleven locales, plain on 30 of them.
        imported = ensure_corpus(args.sxs, args.bench_dir / "corpus-10-quick", console,
                                 QUICK_CORPUS, TEN_LOCALES) if args.quick else \
            ensure_corpus(args.sxs, args.bench_dir / "corpus-10", console,
                          locales=TEN_LOCALES)
        results["corpus-10 English sides"] = english_differences(imported, console)
        items.append(ten_input(imported, work / "corpus-10",
                               TEN_PLAIN_ARTICLES // 3 if args.quick else TEN_PLAIN_ARTICLES))
    for item in items:
        if args.page_cost_only:
            results[item.name] = report_page_cost(
                item, paired_costs(item.helpsite, args.rounds, say), console)
            continue
        ours = measure_helpsite(item, args.runs, say)
        if item.ten:
            report_ten(item, ours, measure_plain_ten(item, args.runs, say), console, results)
            continue
        alone = paired_costs(item.helpsite, args.rounds, say)
        plain = measure_plain(item, args.runs, say)
        estimate = estimate_plain(item, plain) if item.plain_articles else None
        report_input(item, ours, alone, plain, estimate, console, results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
