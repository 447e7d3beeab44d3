"""``helpsite linkcheck [SITE]``: check every link of the built sites of all locales."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from helpsite.config import ConfigError, find_pyproject, load_config
from helpsite.console import make_console
from helpsite.files import write_atomic
from helpsite.findings import apply_policy, has_errors, unknown_suppressions
from helpsite.linkcheck.builtsite import is_locale_folder
from helpsite.linkcheck.progress import phases_for
from helpsite.linkcheck.report import (
    junit_xml,
    render_summary,
    to_json_document,
)
from helpsite.linkcheck.runner import check_site
from helpsite.linkcheck.settings import LinkcheckSettings
from helpsite.locales import choose_locales
from helpsite.siteconf import ConfSettings, read_conf

DESCRIPTION = """\
Check the links of the built HTML sites of all locales (build/html/<locale>/):
internal links, images, downloads and #anchors resolve in each locale; pages of the
source locale exist in every translation; language links (hreflang) lead to the locale
they name; every distinct external URL is requested once for the whole site (HEAD, then
GET; redirects, Retry-After, per-host limits), with a result cache under build/.
Hosts that resolve to private, loopback or link-local addresses are never requested unless
[tool.helpsite.linkcheck] allows it. Without network the run ends at once and says so.

One line per problem: path:line:col: severity code: message (the Markdown source line
when the site was built with the helpsite.linkcheck.collector extension, else the built
page and its HTML line), then a summary table per locale on stderr.
Settings: [tool.helpsite.linkcheck] in pyproject.toml (see docs/linkcheck.md); the
site's address (helpsite_base_url) and source locale come from conf.py.
Exit status: 0 no errors, 1 broken links (or any problem with --strict), 2 bad usage.
"""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="check internal and external links of the built sites of all locales",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("site", nargs="?", type=Path, default=Path("build/html"),
                        help="the built site: a folder of locale folders, or one locale's "
                             "folder (default: build/html)")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="text lines and a table (default), or one JSON document")
    parser.add_argument("--junit", type=Path, metavar="PATH",
                        help="also write a JUnit XML report for CI (one suite per locale)")
    parser.add_argument("--conf-dir", type=Path, metavar="DIR",
                        help="the folder of the site's conf.py, read for helpsite_base_url "
                             "and helpsite_source_locale (default: the folder of "
                             "pyproject.toml, else the current folder)")
    parser.add_argument("--site-url", metavar="URL",
                        help="where the site is published, for a site built elsewhere "
                             "(default: helpsite_base_url in conf.py)")
    parser.add_argument("--locales", default="", metavar="TAGS",
                        help="check only these locales (space- or comma-separated, 'nl-NL de-DE')")
    parser.add_argument("--no-external", action="store_true",
                        help="check internal links only; external ones are counted as skipped")
    parser.add_argument("--cache", type=Path, metavar="PATH",
                        help="the result cache (default: cache_path of the settings)")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the cache")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow requests to private, loopback and link-local addresses")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings (timeouts, unreachable hosts, moved URLs) as errors")
    parser.add_argument("--suppress", action="append", default=[], metavar="CODE",
                        help="switch off a finding code or group (repeatable)")


def built_locales(site: Path) -> list[str]:
    """The locale folders of a built site (``nl-nl``), or the one locale it is."""
    folders = [p.name for p in sorted(site.iterdir()) if is_locale_folder(p)]
    return folders or [site.name] if is_locale_folder(site) else folders


def site_conf(conf_dir: Path | None, project_root: Path) -> ConfSettings:
    """What conf.py says of the site (the one home of its base URL and source locale),
    read as ``helpsite build`` reads it. Without ``--conf-dir`` and without a conf.py
    nearby (a site checked where it was not built): no base URL, source locale en-US."""
    if conf_dir is not None:
        return read_conf(conf_dir)
    for folder in dict.fromkeys([project_root, Path.cwd()]):
        if (folder / "conf.py").is_file():
            return read_conf(folder)
    return ConfSettings("en-US", [], "")


def published_root(url: str) -> str:
    """The site's address ending in "/" (as the build writes it), or "" for none."""
    if url and not re.match(r"^https?://[^/]+", url):
        raise ConfigError(f"the site URL must be an absolute http(s) URL such as "
                          f"'https://help.contoso.com/' (got {url!r})")
    return url.rstrip("/") + "/" if url else ""


def run(args: argparse.Namespace) -> int:
    site: Path = args.site
    if not site.is_dir():
        print(f"helpsite linkcheck: no built site at {site}: build it first (make html)",
              file=sys.stderr)
        return 2
    config = load_config(site) if find_pyproject(site) else load_config()
    settings = LinkcheckSettings.from_table(config.extra.get("linkcheck"))
    if args.allow_private:
        settings = settings.replace(allow_private_addresses=True)
    cache_path = None if args.no_cache else (args.cache or config.root / settings.cache_path)
    conf = site_conf(args.conf_dir, config.root)
    site_url = published_root(conf.base_url if args.site_url is None else args.site_url)
    suppress = [*config.suppress, *args.suppress]
    console = make_console(stderr=True)
    if not console.is_terminal:
        console.width = max(console.width, 120)  # the table stays readable in CI logs
    for name in unknown_suppressions(suppress):
        console.print(f"helpsite linkcheck: warning: '{name}' in suppress is not a finding code",
                      markup=False)
    locales = choose_locales(args.locales, built_locales(site), where=f"built in {site}",
                             hint="; build it first (helpsite build --locales TAG)"
                             ) if args.locales.strip() else []
    with phases_for(console) as phases:
        report = check_site(
            site, settings, source_locale=conf.source_locale, site_url=site_url,
            locales=locales or None,
            external=not args.no_external, cache_path=cache_path, phases=phases,
        )
    findings = apply_policy(report.findings, suppress=suppress, strict=args.strict)
    if args.format == "json":
        print(json.dumps(to_json_document(report, findings), ensure_ascii=False, indent=1))
    else:
        for finding in findings:
            print(finding.format())
        render_summary(report, console)
    if args.junit:
        write_atomic(args.junit, junit_xml(report, suppress, args.strict).encode("utf-8"))
    return 1 if has_errors(findings) else 0
