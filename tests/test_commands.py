"""The command line: every subcommand is reachable and explains itself."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpsite.commands import SUBCOMMANDS, load_command, main


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_subcommand_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert hasattr(load_command(name), "run")
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: helpsite {name}")


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in SUBCOMMANDS:
        assert name in out


def test_validate_does_not_import_sphinx() -> None:
    """Starting a light command must not pay for Sphinx and the other commands' imports."""
    check = subprocess.run(
        [sys.executable, "-c",
         "import sys\nfrom helpsite.commands import make_parser\n"
         "make_parser(['validate'])\nprint('sphinx' in sys.modules)"],
        capture_output=True, text=True, check=True,
    )
    assert check.stdout.strip() == "False"
