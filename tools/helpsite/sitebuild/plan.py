"""What a site build does: which locales, from which sources, into which folders.

The plan is made before anything is written, so it is where a build refuses what it must
not do: a ``--locales`` tag that is malformed or not configured
(:func:`helpsite.locales.choose_locales`), and an output folder inside, equal to or above
the source or locales folder (:func:`helpsite.files.check_output_folder`), whose
``html/`` and ``doctrees/`` would land among the articles and catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpsite.config import ConfigError
from helpsite.files import check_output_folder
from helpsite.locales import (
    LocaleError,
    check_tag,
    choose_locales,
    normalize_tag,
    output_folder,
    sphinx_language,
)
from helpsite.locales import split_tags as split_tags
from helpsite.siteconf import read_conf as read_conf


@dataclass(frozen=True)
class LocaleBuild:
    tag: str
    html_dir: Path
    doctree_dir: Path

    @property
    def language(self) -> str:
        return sphinx_language(self.tag)


@dataclass
class BuildPlan:
    conf_dir: Path
    source_dir: Path
    out_dir: Path
    source_locale: str
    configured: list[str]  # every locale the site has: source first
    builds: list[LocaleBuild]
    project: str = "Help"
    defines: list[str] = field(default_factory=list)  # -D name=value for every build
    strict: bool = False
    fresh: bool = False
    jobs: int = 1  # Sphinx processes per locale build (sphinx-build -j)
    parallel: int = 1  # locale builds at once
    catalog_root: Path | None = None  # <dir>/<tag>/LC_MESSAGES, None when unmanaged
    base_url: str = ""  # the site root's public URL (sitemap index)

    @property
    def html_root(self) -> Path:
        return self.out_dir / "html"


def make_plan(
    conf_dir: Path, source_dir: Path, out_dir: Path, *, locales: str | None = None,
    source_locale: str | None = None, base_url: str | None = None,
    defines: list[str] | None = None, strict: bool = False, fresh: bool = False,
    jobs: int = 1, parallel: int = 1,
) -> BuildPlan:
    """The plan for ``helpsite build``. With ``source_locale`` (another source tree, such
    as a folder of Dutch articles) the site has no target locales unless ``locales``
    names them."""
    if not source_dir.is_dir():
        raise ConfigError(f"source folder {source_dir} does not exist")
    conf = read_conf(conf_dir)
    conf_source, conf_targets = conf.source_locale, conf.locales
    extra = list(defines or [])
    try:
        if source_locale:
            source = check_tag(source_locale)
            targets = [check_tag(t) for t in split_tags(locales) if not _same(t, source)]
            extra += [f"helpsite_source_locale={source}",
                      f"helpsite_locales={','.join(targets)}"]
            configured = [source, *targets]
            wanted = configured
        else:
            source = normalize_tag(conf_source)
            targets = [normalize_tag(t) for t in conf_targets]
            configured = [source, *[t for t in targets if t != source]]
            wanted = choose_locales(locales, configured,
                                    where=f"configured in {conf_dir / 'conf.py'}",
                                    hint="; add it to helpsite_locales there")
    except LocaleError as error:
        raise ConfigError(str(error)) from error
    if base_url is None and source_locale:
        base_url = ""  # another source tree is another site: conf.py's URL is not its URL
    if base_url is not None:
        extra.append(f"helpsite_base_url={base_url}")
    builds = [
        LocaleBuild(tag, out_dir / "html" / output_folder(tag),
                    out_dir / "doctrees" / output_folder(tag))
        for tag in configured if tag in wanted
    ]
    locale_dir = _defined(extra, "helpsite_locale_dir", conf.locale_dir)
    catalog_root = (conf_dir / locale_dir).resolve() if locale_dir else None
    check_output_folder(out_dir, {"source": source_dir, "locales": catalog_root})
    site_url = _defined(extra, "helpsite_base_url", conf.base_url) or ""
    return BuildPlan(conf_dir, source_dir, out_dir, source, configured, builds, conf.project,
                     extra, strict, fresh, jobs, parallel, catalog_root,
                     site_url.rstrip("/") + "/" if site_url else "")


def _defined(defines: list[str], name: str, default: str | None) -> str | None:
    """The value a ``-D name=value`` gives (the last one wins), else ``default``."""
    value = default
    for define in defines:
        key, sep, given = define.partition("=")
        if sep and key.strip() == name:
            value = given
    return value


def _same(a: str, b: str) -> bool:
    return normalize_tag(a) == normalize_tag(b)
