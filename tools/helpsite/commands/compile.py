"""``helpsite compile``: build .mo files from the PO files whose content changed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from helpsite.catalogs.compile import compile_catalogs
from helpsite.catalogs.settings import catalog_settings
from helpsite.config import load_config
from helpsite.findings import has_errors

DESCRIPTION = """\
Compile locales/<tag>/LC_MESSAGES/**/*.po to .mo files beside them. A .mo is rebuilt only
when the PO content changed (a content hash is stored in <name>.mo.sha256; mtimes, which a
git checkout resets, are not used). Fuzzy translations are left out unless
[tool.helpsite.catalogs] compile_fuzzy = true or --use-fuzzy; unsafe translations
(<script>, on*=, javascript:, smuggled directives) are always left out and reported, so
the page shows the source text. Exit status: 0 done, 1 unreadable or refused entries,
2 bad usage (no such --locales-dir, a --locales tag without a folder) or a failed write.
"""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(name, help="compile PO files to .mo (only changed ones)",
                                 description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--locales-dir", type=Path, default=Path("locales"),
                        help="folder of locale folders (default: locales)")
    parser.add_argument("--locales", default="", help="space-separated subset of locales")
    parser.add_argument("--use-fuzzy", action="store_true", help="include fuzzy translations")
    parser.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    if not args.locales_dir.is_dir():
        print(f"helpsite compile: error: no such folder: {args.locales_dir}; pass "
              "--locales-dir, the folder holding locales/<tag>/LC_MESSAGES/",
              file=sys.stderr)
        return 2
    settings = catalog_settings(load_config(args.locales_dir))
    result = compile_catalogs(args.locales_dir, args.locales.split() or None,
                              use_fuzzy=args.use_fuzzy or settings.compile_fuzzy,
                              base=Path.cwd())
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for finding in result.findings:
            print(finding.format())
        print(f"{len(result.compiled)} catalog(s) compiled, {len(result.unchanged)} "
              "unchanged", file=sys.stderr)
    return 1 if has_errors(result.findings) else 0
