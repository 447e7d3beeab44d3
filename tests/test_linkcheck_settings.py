"""[tool.helpsite.linkcheck]: typed, validated, with errors that say what to fix."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpsite.config import ConfigError, load_config
from helpsite.linkcheck.settings import LinkcheckSettings, settings_reference

REPO = Path(__file__).resolve().parents[1]


def test_defaults_are_safe():
    settings = LinkcheckSettings.from_table(None)
    assert settings.allow_private_addresses is False
    assert settings.allow_private_hosts == ()
    assert settings.timeout > 0 and settings.max_body_bytes >= 1024
    assert settings.cache_path == "build/linkcheck/cache.sqlite"


def test_table_from_pyproject_is_read(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.helpsite]\nsuppress = []\n\n[tool.helpsite.linkcheck]\n"
        "timeout = 7\nper_host_concurrency = 3\nignore = ['^https://example\\.org/']\n"
        "allow_private_hosts = ['intranet.contoso.com']\nretry_after_cap = 12.5\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    settings = LinkcheckSettings.from_table(config.extra["linkcheck"])
    assert settings.timeout == 7.0 and isinstance(settings.timeout, float)
    assert settings.per_host_concurrency == 3
    assert settings.ignore == (r"^https://example\.org/",)
    assert settings.allow_private_hosts == ("intranet.contoso.com",)
    assert settings.retry_after_cap == 12.5


@pytest.mark.parametrize("table, words", [
    ({"timout": 5}, ["unknown setting 'timout'", "did you mean 'timeout'"]),
    ({"timeout": "fast"}, ["timeout must be a number", "'fast'"]),
    ({"timeout": 0}, ["timeout must be > 0"]),
    ({"retries": -1}, ["retries must be >= 0"]),
    ({"retries": 1.5}, ["retries must be a whole number"]),
    ({"concurrency": True}, ["concurrency must be a whole number"]),
    ({"allow_private_addresses": "yes"}, ["allow_private_addresses must be true or false"]),
    ({"ignore": "^https://x"}, ["ignore must be a list of strings"]),
    ({"ignore": ["(unclosed"]}, ["'(unclosed' is not a valid regular expression"]),
    ({"anchors_ignore_for_url": [1]}, ["must be a list of strings"]),
    ({"max_body_bytes": 10}, ["max_body_bytes must be >= 1024"]),
    # moved to conf.py's helpsite_base_url: one home for the site's address
    ({"site_url": "https://help.contoso.com/"}, ["site_url is no longer read",
                                                 "helpsite_base_url in conf.py"]),
])
def test_bad_values_are_refused_with_a_clear_message(table: dict, words: list[str]):
    with pytest.raises(ConfigError) as caught:
        LinkcheckSettings.from_table(table)
    message = str(caught.value)
    assert "[tool.helpsite.linkcheck]" in message
    for word in words:
        assert word in message


def test_replace_validates_too():
    with pytest.raises(ConfigError):
        LinkcheckSettings().replace(per_host_concurrency=0)
    assert LinkcheckSettings().replace(retries=5).retries == 5


def test_repository_pyproject_table_is_valid():
    document = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    table = document.get("tool", {}).get("helpsite", {}).get("linkcheck")
    LinkcheckSettings.from_table(table)


def test_every_setting_is_documented():
    docs = (REPO / "docs" / "linkcheck.md").read_text(encoding="utf-8")
    for name, _default, description in settings_reference():
        assert description
        assert f"`{name}`" in docs, f"docs/linkcheck.md does not describe {name}"


@pytest.mark.parametrize(("line", "home"), [('source_locale = "nl-NL"', "helpsite_source_locale"),
                                            ('locales = ["nl-NL"]', "helpsite_locales")])
def test_site_facts_in_pyproject_point_to_conf_py(tmp_path: Path, line: str, home: str):
    (tmp_path / "pyproject.toml").write_text(f"[tool.helpsite]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"set {home} in conf.py instead"):
        load_config(tmp_path)
