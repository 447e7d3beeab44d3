"""conf.py is the one home of what the site is; the commands read it there."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpsite.checks.body import BodyChecker
from helpsite.checks.bodyparser import MYST_EXTENSIONS, parse_body, site_myst_extensions
from helpsite.checks.tree import SourceTree
from helpsite.config import ConfigError
from helpsite.siteconf import read_conf

REPO = Path(__file__).resolve().parents[1]
NOTE = ":::{note}\nA note.\n:::\n"


def _site(root: Path, conf: str) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "source" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "conf.py").write_text(conf, encoding="utf-8")
    return root / "source"


def _token_types(source: Path, body: str) -> set[str]:
    checker = BodyChecker(SourceTree(source))
    return {located.token.type for located in parse_body(body, checker.parser).tokens}


def test_validate_parses_with_the_myst_extensions_of_conf_py(tmp_path: Path) -> None:
    source = _site(tmp_path / "fenced", 'myst_enable_extensions = ["colon_fence"]\n')
    assert site_myst_extensions(source) == ("colon_fence",)
    assert "colon_fence" in _token_types(source, NOTE)


def test_without_the_setting_validate_parses_as_myst_does_by_default(tmp_path: Path) -> None:
    source = _site(tmp_path / "plain", 'project = "Plain"\n')
    assert site_myst_extensions(source) == MYST_EXTENSIONS == ()
    assert "colon_fence" not in _token_types(source, NOTE)
    assert "paragraph_open" in _token_types(source, NOTE)


def test_the_sample_project_reads_one_set_of_facts() -> None:
    conf = read_conf(REPO)
    assert conf.base_url == "https://help.contoso.example/"
    assert conf.source_locale == "en-US" and "nl-NL" in conf.locales
    assert conf.myst_extensions == site_myst_extensions(REPO / "source")


def test_a_malformed_extension_list_is_named(tmp_path: Path) -> None:
    _site(tmp_path / "bad", 'myst_enable_extensions = "colon_fence"\n')
    with pytest.raises(ConfigError, match="myst_enable_extensions must be a list"):
        read_conf(tmp_path / "bad")
