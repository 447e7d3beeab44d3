"""``make bench-handoff``: how much of a new article the translation memory translates.

For each sxs locale of the real corpus (``alchemy-sxs/<tag>/``): pair every sentence with
its human translation (:func:`helpsite.importers.sxs.sentence_pairs`), hide the
translations of a random 10 % of the articles (fixed seed), build the memory from the
other 90 % and let it fill the hidden sentences, as ``update-po`` pre-fills new entries:

* leverage - share of the hidden source words with an exact match, and with a match of
  at least 75 % (exact included);
* translated fills - the exact matches ``update-po`` applies as translations (the memory
  is unambiguous for them: :meth:`TranslationMemory.exact_fill`), their share of the
  hidden words and their precision, the share identical to the human translation (goal
  >= 98 %); every other exact match becomes a fuzzy fill a person confirms;
* exact precision - the same share over all exact-source matches (the most frequent
  translation), beside its ceiling: the share whose human translation is among the
  memory's translations of that source at all (the corpus translates one English sentence
  in several ways, mostly by machine translation, so no choice can do better); for fuzzy
  fills (75-99 %) the mean character edit distance (Levenshtein) to it;
* time - building the memory and filling every hidden sentence (goal <= 20 s a locale,
  judged on CPU seconds: on a shared machine wall-clock time measures the other work);
  and, for the choice between a TMX file and rebuilding, the time to write and read the
  memory as TMX.

Locales run one after another (the machine is shared). A benchmark reports: exit 0 when
it measured, 2 when the corpus is missing; ``--fail-on-goal`` exits 1 on a missed goal.

    python -m bench.handoff [--corpus ../shared/corpus/alchemy-sxs]
        [--locales "nl-NL de-DE"] [--seed 19] [--share 0.1] [--agreeing 3] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from helpsite.console import make_console
from helpsite.handoff.memory import AGREEING_ORIGINS, TranslationMemory, word_count
from helpsite.handoff.tmx import read_tmx, write_tmx
from helpsite.importers.sxs import sentence_pairs
from rapidfuzz.distance import Levenshtein
from rich.table import Table

from bench import goals
from bench.data import SXS_CORPUS, corpus_dir

Pairs = list[tuple[str, str]]


@dataclass
class LocaleResult:
    locale: str
    articles: int
    hidden_articles: int
    memory_units: int
    hidden_words: int
    exact_words: int  # every exact-source match, applied as translated or as fuzzy
    fuzzy_words: int  # 75-99 %
    exact_fills: int
    exact_identical: int
    exact_possible: int  # the human translation is one of the memory's translations
    translated_words: int  # of exact_words: applied as translated (the memory unambiguous)
    translated_fills: int
    translated_identical: int
    fuzzy_fills: int
    fuzzy_distance_sum: int
    seconds: float  # build the memory + fill every hidden sentence, wall-clock
    cpu_seconds: float  # the same in CPU time: what the goal is judged on
    tmx_write_seconds: float
    tmx_read_seconds: float

    @property
    def exact_leverage(self) -> float:
        return 100.0 * self.exact_words / self.hidden_words if self.hidden_words else 0.0

    @property
    def fuzzy_leverage(self) -> float:
        """Words with a match of 75 % or more, exact ones included."""
        words = self.exact_words + self.fuzzy_words
        return 100.0 * words / self.hidden_words if self.hidden_words else 0.0

    @property
    def translated_leverage(self) -> float:
        """Hidden words filled as translated: what a build would publish unseen."""
        return 100.0 * self.translated_words / self.hidden_words if self.hidden_words else 0.0

    @property
    def fuzzy_fill_leverage(self) -> float:
        """Hidden words given a fuzzy fill a person confirms: exact matches held back
        (ambiguous) and 75-99 % matches."""
        words = self.exact_words - self.translated_words + self.fuzzy_words
        return 100.0 * words / self.hidden_words if self.hidden_words else 0.0

    @property
    def translated_precision(self) -> float:
        """Of the fills applied as translated, the share identical: the goal's measure."""
        if not self.translated_fills:
            return 100.0
        return 100.0 * self.translated_identical / self.translated_fills

    @property
    def precision(self) -> float:
        """Of all exact-source matches (most frequent translation), the share identical."""
        return 100.0 * self.exact_identical / self.exact_fills if self.exact_fills else 100.0

    @property
    def ceiling(self) -> float:
        """The best precision any choice among the memory's translations could reach."""
        return 100.0 * self.exact_possible / self.exact_fills if self.exact_fills else 100.0

    @property
    def fuzzy_distance(self) -> float:
        return self.fuzzy_distance_sum / self.fuzzy_fills if self.fuzzy_fills else 0.0

    @property
    def met(self) -> bool:
        return (self.translated_precision >= goals.HANDOFF_PRECISION_PERCENT
                and self.cpu_seconds <= goals.HANDOFF_CPU_SECONDS)

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "exact_leverage": round(self.exact_leverage, 1),
                "fuzzy_leverage": round(self.fuzzy_leverage, 1),
                "translated_leverage": round(self.translated_leverage, 2),
                "fuzzy_fill_leverage": round(self.fuzzy_fill_leverage, 2),
                "translated_precision": round(self.translated_precision, 2),
                "precision": round(self.precision, 2), "ceiling": round(self.ceiling, 2),
                "fuzzy_distance": round(self.fuzzy_distance, 1), "met": self.met}


def pooled(results: list[LocaleResult]) -> LocaleResult:
    """Every locale's counts and times summed: the precision over all fills of all locales
    (one locale has only 30-75 translated fills, so one miss moves it 1.3-3 points)."""
    sums = {f.name: sum(getattr(r, f.name) for r in results)
            for f in fields(LocaleResult) if f.name != "locale"}
    return LocaleResult(locale="all", **sums)


def read_articles(folder: Path) -> dict[str, Pairs]:
    """Every article's sentence pairs (stripped, blank ones left out), by file."""
    articles: dict[str, Pairs] = {}
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        pairs = [(s.strip(), t.strip()) for s, t in sentence_pairs(text)]
        articles[path.relative_to(folder).as_posix()] = [(s, t) for s, t in pairs if s and t]
    return articles


def split(names: list[str], share: float, seed: int) -> set[str]:
    """The hidden articles: a fixed-seed random ``share`` of them (at least one)."""
    count = max(1, round(len(names) * share))
    return set(random.Random(seed).sample(sorted(names), count))


def build_memory(locale: str, articles: dict[str, Pairs], hidden: set[str]) -> TranslationMemory:
    memory = TranslationMemory(locale)
    for name, pairs in articles.items():
        if name not in hidden:
            for source, target in pairs:
                memory.add(source, target, f"sxs:{name}")
    return memory


def measure_locale(folder: Path, *, share: float, seed: int,
                   agreeing: int = AGREEING_ORIGINS) -> LocaleResult:
    articles = read_articles(folder)
    hidden = split(list(articles), share, seed)
    started, cpu_started = time.perf_counter(), time.process_time()
    memory = build_memory(folder.name, articles, hidden)
    result = LocaleResult(folder.name, len(articles), len(hidden), len(memory), 0, 0, 0, 0,
                          0, 0, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0)
    for name in sorted(hidden):
        for source, human in articles[name]:
            _fill(result, memory, source, human, agreeing)
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
    result.tmx_write_seconds, result.tmx_read_seconds = _tmx_times(memory)
    return result


def _fill(result: LocaleResult, memory: TranslationMemory, source: str, human: str,
          agreeing: int) -> None:
    """Fill one hidden sentence as ``update-po`` would (no msgctxt, a catalog of its own)."""
    words = word_count(source)
    result.hidden_words += words
    fill = memory.exact_fill(source, agreeing_origins=agreeing)
    if fill is not None:
        identical = fill.match.target == human
        result.exact_words += words
        result.exact_fills += 1
        result.exact_identical += identical
        result.exact_possible += human in memory.translations(source)
        if fill.confirmed:
            result.translated_words += words
            result.translated_fills += 1
            result.translated_identical += identical
        return
    match = memory.best(source)
    if match is not None:
        result.fuzzy_words += words
        result.fuzzy_fills += 1
        result.fuzzy_distance_sum += Levenshtein.distance(match.target, human)


def _tmx_times(memory: TranslationMemory) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{memory.locale}.tmx"
        started = time.perf_counter()
        write_tmx(memory, path)
        written = time.perf_counter()
        read_tmx(path, memory.locale)
        return written - started, time.perf_counter() - written


def results_table(results: list[LocaleResult]) -> Table:
    table = Table(title="bench-handoff: the memory of 90 % of the articles fills the other 10 %",
                  title_justify="left")
    for column in ("locale", "articles", "hidden", "TM units", "hidden words", "exact",
                   ">= 75 %", "translated fills", "fuzzy fills", "translated precision",
                   "exact precision", "ceiling", "fuzzy edit dist.",
                   "build+fill s (CPU)", "TMX write/read s", "goal"):
        table.add_column(column, justify="left" if column == "locale" else "right")
    for r in results + ([pooled(results)] if len(results) > 1 else []):
        table.add_row(r.locale, str(r.articles), str(r.hidden_articles), str(r.memory_units),
                      str(r.hidden_words), f"{r.exact_leverage:.1f} %",
                      f"{r.fuzzy_leverage:.1f} %", f"{r.translated_leverage:.1f} %",
                      f"{r.fuzzy_fill_leverage:.1f} %",
                      f"{r.translated_precision:.1f} % ({r.translated_fills})",
                      f"{r.precision:.1f} %",
                      f"{r.ceiling:.1f} %", f"{r.fuzzy_distance:.1f}",
                      f"{r.seconds:.1f} ({r.cpu_seconds:.1f})",
                      f"{r.tmx_write_seconds:.2f}/{r.tmx_read_seconds:.2f}",
                      "" if r.locale == "all" else "met" if r.met else "MISSED")
    return table


def markdown_table(results: list[LocaleResult]) -> str:
    """The same figures as a Markdown table, for docs/handoff.md."""
    lines = ["| locale | articles (hidden) | hidden words | exact | ≥ 75 % | translated fills "
             "| fuzzy fills | translated precision (fills) | exact precision | ceiling "
             "| fuzzy edit distance | build + fill (CPU) | TMX write / read |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.locale} | {r.articles} ({r.hidden_articles}) | {r.hidden_words} | "
              f"{r.exact_leverage:.1f} % | {r.fuzzy_leverage:.1f} % | "
              f"{r.translated_leverage:.1f} % | {r.fuzzy_fill_leverage:.1f} % | "
              f"{r.translated_precision:.1f} % ({r.translated_fills}) | {r.precision:.1f} % | "
              f"{r.ceiling:.1f} % | {r.fuzzy_distance:.1f} chars | "
              f"{r.seconds:.1f} s ({r.cpu_seconds:.1f} s) | "
              f"{r.tmx_write_seconds:.2f} s / {r.tmx_read_seconds:.2f} s |"
              for r in results + ([pooled(results)] if len(results) > 1 else [])]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.handoff",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=corpus_dir(SXS_CORPUS),
                        help="folder of sxs locale folders (default: ../shared/corpus/"
                             "alchemy-sxs, or under $HELPSITE_SHARED)")
    parser.add_argument("--locales", default="", help="space-separated subset (default: all)")
    parser.add_argument("--seed", type=int, default=19, help="seed of the hidden sample")
    parser.add_argument("--share", type=float, default=0.1, help="share of articles hidden")
    parser.add_argument("--agreeing", type=int, default=AGREEING_ORIGINS,
                        help="origins that must agree on an exact match's one translation "
                             f"before it is applied as translated (default: {AGREEING_ORIGINS})")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--markdown", action="store_true",
                        help="also print the table as Markdown (for docs/handoff.md)")
    parser.add_argument("--fail-on-goal", action="store_true",
                        help="exit 1 when a locale misses a goal")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.corpus.is_dir():
        print(f"bench-handoff: no corpus at {args.corpus} (pass --corpus)", file=sys.stderr)
        return 2
    wanted = args.locales.split() or sorted(p.name for p in args.corpus.iterdir() if p.is_dir())
    console = make_console()
    results = []
    for tag in wanted:
        if not (args.corpus / tag).is_dir():
            print(f"bench-handoff: no locale folder {args.corpus / tag}", file=sys.stderr)
            return 2
        results.append(measure_locale(args.corpus / tag, share=args.share, seed=args.seed,
                                      agreeing=args.agreeing))
        console.print(f"{tag}: {results[-1].seconds:.1f} s ({results[-1].cpu_seconds:.1f} s "
                      "of CPU)", highlight=False)
    console.print(results_table(results))
    if args.markdown:
        print(markdown_table(results))
    if args.json:
        args.json.write_text(json.dumps([r.to_dict() for r in results], indent=2) + "\n",
                             encoding="utf-8")
    missed = [r.locale for r in results if not r.met]
    print(f"goals (translated-fill precision >= {goals.HANDOFF_PRECISION_PERCENT:.0f} %, "
          f"<= {goals.HANDOFF_CPU_SECONDS:.0f} s of CPU a locale): "
          + (f"missed by {', '.join(missed)}" if missed else "met by every locale"))
    return 1 if missed and args.fail_on_goal else 0


if __name__ == "__main__":
    sys.exit(main())
