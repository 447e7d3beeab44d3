"""``helpsite check-po``: translation QA on PO files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpsite.catalogs.qa import check_catalog_file
from helpsite.catalogs.settings import catalog_settings
from helpsite.config import load_config
from helpsite.findings import apply_policy, has_errors, summary_line, to_json

DESCRIPTION = """\
Check translations against their source text, as Weblate and pofilter do for Markdown:
links kept (count, and relative/#anchor targets identical), inline code unchanged,
bold/italic markers kept, HTML tags as in the source, no unsafe HTML (<script>, on*=,
javascript:), no code fence/directive/include smuggled in, substitutions ({{ name }})
kept, long translations identical to the source flagged, and the msgfmt -c newline rules.
A msgstr of only spaces is reported (it counts as untranslated). The header: 'Language'
must name the language of the locale folder (nl or nl_NL in locales/nl-NL/, not fr), and
'Plural-Forms' must pick the same forms as the language's CLDR rule for n = 0..200.
One line per finding: path:line:col: severity code: message (the place in the msgstr).
Fuzzy entries are skipped unless --include-fuzzy. Exit status: 0 no errors, 1 errors.
"""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(name, help="translation QA on PO files (links, code, HTML)",
                                 description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("locales")],
                        help="PO files or folders (default: locales/)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--include-fuzzy", action="store_true", help="check fuzzy entries too")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--suppress", action="append", default=[], metavar="CODE",
                        help="switch off a finding code or group (repeatable)")


def _po_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.po")) if path.is_dir() else [path])
    return files


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"helpsite check-po: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    config = load_config(args.paths[0])
    settings = catalog_settings(config)
    findings = []
    files = _po_files(args.paths)
    for path in files:
        findings.extend(check_catalog_file(
            path, include_fuzzy=args.include_fuzzy or settings.compile_fuzzy,
            unchanged_min_length=settings.unchanged_min_length))
    findings = apply_policy(findings, suppress=[*config.suppress, *args.suppress],
                            strict=args.strict)
    if args.format == "json":
        print(to_json(findings))
    else:
        for finding in findings:
            print(finding.format())
        print(summary_line(findings, len(files)), file=sys.stderr)
    return 1 if has_errors(findings) else 0
