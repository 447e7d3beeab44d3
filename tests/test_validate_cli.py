"""``helpsite validate``: output formats, exit status, strictness, suppression, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpsite import validation
from helpsite.commands import main
from helpsite.validation import validate_paths

GOOD = "---\ntitle: Good\nauthor: a\nms.author: b\nms.topic: article\n---\n# Good\n\nText.\n"
# One warning (heading skip, line 9) and one error (missing link target, line 11).
FLAWED = (
    "---\ntitle: Flawed\nauthor: a\nms.author: b\nms.topic: article\n---\n# Flawed\n\n"
    "### Deep\n\nSee [x](missing.md).\n"
)


def project(tmp_path: Path, files: dict[str, str | bytes], suppress: str = "[]") -> Path:
    """A project folder with pyproject.toml and source/ holding ``files``."""
    (tmp_path / "pyproject.toml").write_text(f"[tool.helpsite]\nsuppress = {suppress}\n")
    for name, content in files.items():
        path = tmp_path / "source" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return tmp_path / "source"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["validate", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_text_output_lines_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = project(tmp_path, {"good.md": GOOD, "flawed.md": FLAWED})
    status, out, err = run([str(source)], capsys)
    flawed = source / "flawed.md"
    assert status == 1
    assert out.splitlines() == [
        f"{flawed}:9:1: warning body.heading-skip: H3 'Deep' follows an H1: make it an H2 (## )",
        f"{flawed}:11:9: error link.target-missing: link target 'missing.md' does not exist "
        "in the source tree",
    ]
    assert err.strip() == "2 files checked: 1 error(s), 1 warning(s)"  # no progress bar


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = project(tmp_path, {"flawed.md": FLAWED})
    status, out, _err = run(["--format", "json", str(source)], capsys)
    findings = json.loads(out)
    assert status == 1
    assert [set(f) for f in findings] == [
        {"path", "line", "column", "severity", "code", "message"}
    ] * 2
    assert [(f["code"], f["line"], f["column"], f["severity"]) for f in findings] == [
        ("body.heading-skip", 9, 1, "warning"), ("link.target-missing", 11, 9, "error"),
    ]


def test_warnings_alone_exit_zero_and_strict_makes_them_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path, {"w.md": FLAWED.replace("See [x](missing.md).", "Fine.")})
    assert run([str(source)], capsys)[0] == 0
    status, out, _ = run(["--strict", str(source)], capsys)
    assert status == 1
    assert ": error body.heading-skip:" in out


def test_suppress_in_configuration_and_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path, {"flawed.md": FLAWED}, suppress='["link.target-missing"]')
    status, out, _ = run([str(source)], capsys)
    assert status == 0 and "link.target-missing" not in out and "body.heading-skip" in out
    status, out, _ = run(["--suppress", "body", str(source)], capsys)
    assert status == 0 and out == ""


def test_unknown_suppression_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project(tmp_path, {"good.md": GOOD})
    status, _, err = run(["--suppress", "link.tagret-missing", str(source)], capsys)
    assert status == 0
    assert "'link.tagret-missing' in suppress is not a finding code" in err


def test_default_path_is_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"flawed.md": FLAWED})
    monkeypatch.chdir(tmp_path)
    status, out, _ = run([], capsys)
    assert status == 1
    assert out.startswith("source/flawed.md:9:1:")


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run([str(tmp_path / "nope")], capsys)
    assert status == 2 and "no such file or folder" in err


def test_progress_display_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = project(tmp_path, {f"a{i}.md": GOOD.replace("Good", f"Good {i}") for i in range(5)})
    calls: list[tuple[int, int]] = []
    real = validation.validate_paths

    def spy(*args: object, **kwargs: object) -> validation.ValidationReport:
        callback = kwargs["on_progress"]
        assert callable(callback)

        def record(done: int, total: int, file: Path) -> None:
            calls.append((done, total))
            callback(done, total, file)

        kwargs["on_progress"] = record
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr("helpsite.commands.validate.validate_paths", spy)
    status, out, _ = run([str(source)], capsys)
    assert status == 0 and out == ""
    assert calls == [(i, 5) for i in range(1, 6)]


def test_worker_processes_give_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = project(tmp_path, {f"f{i:02}.md": FLAWED.replace("Flawed", f"F {i}")
                                for i in range(12)})
    (source / "g.md").write_text(FLAWED)  # same title as nothing else; shares no ID
    serial = validate_paths([source], jobs=1)
    monkeypatch.setattr(validation, "PARALLEL_THRESHOLD", 4)
    monkeypatch.setattr(validation, "CHUNK_SIZE", 3)
    parallel = validate_paths([source], jobs=2)
    assert parallel.files_checked == serial.files_checked == 13
    assert parallel.findings == serial.findings
    assert len(serial.findings) == 26


# -- bad input: a clear finding with file and line, never a traceback, well under a second

ALIAS_BOMB = "\n".join(
    ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 6) + "]"
       for i in range(9)]
)
BAD_INPUTS: dict[str, tuple[str | bytes, str, int]] = {
    "unterminated": ("---\ntitle: x\n# Heading\n", "fm.unterminated", 1),
    "yaml-syntax": ("---\ntitle: ok\nauthor: a: b\n---\n# T\n", "yaml.syntax", 3),
    "python-tag": ("---\ntitle: !!python/object/apply:os.system ['true']\n---\n# T\n",
                   "yaml.tag", 2),
    "alias-bomb": (f"---\n{ALIAS_BOMB}\n---\n# T\n", "yaml.alias", 2),
    "deep": ("---\nx: " + "[" * 10_000 + "]" * 10_000 + "\n---\n# T\n", "yaml.too-deep", 2),
    "huge": ("---\nk: " + "x" * (10 * 1024 * 1024) + "\n---\n# T\n", "yaml.too-large", 2),
    "duplicate": ("---\ntitle: a\nauthor: b\nms.author: c\nms.topic: d\ntitle: e\n---\n# T\n",
                  "yaml.duplicate-key", 6),
    "latin1": ("---\ntitle: café\n---\n# T\n".encode("latin-1"), "file.encoding", 2),
    "empty": (b"", "file.empty", 1),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_gives_a_finding_through_the_cli(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, code, line = BAD_INPUTS[name]
    source = project(tmp_path, {f"{name}.md": content})
    start = time.perf_counter()
    status, out, _ = run(["--format", "json", str(source / f"{name}.md")], capsys)
    elapsed = time.perf_counter() - start
    findings = json.loads(out)
    assert status == 1
    assert {(f["code"], f["line"]) for f in findings if f["severity"] == "error"} == {(code, line)}
    assert all(f["path"].endswith(f"{name}.md") for f in findings)
    assert elapsed < 1.0


def test_bad_inputs_never_print_a_traceback(tmp_path: Path) -> None:
    """The real entry point, in a subprocess, over all the bad files at once."""
    source = project(tmp_path, {f"{name}.md": content for name, (content, _, _) in
                                BAD_INPUTS.items()})
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    result = subprocess.run(
        [sys.executable, "-m", "helpsite", "validate", str(source)],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    codes = {line.split(": ")[1].split()[1] for line in result.stdout.splitlines()}
    assert {code for code, _ in [(c, 0) for _, c, _ in BAD_INPUTS.values()]} <= codes
    assert result.stderr.strip().endswith(f"{len(BAD_INPUTS)} files checked: "
                                          f"{len(BAD_INPUTS)} error(s), 0 warning(s)")


def test_folders_without_articles_are_not_entered(tmp_path: Path) -> None:
    source = project(tmp_path, {"good.md": GOOD, "media/notes.md": "", ".venv/lib/x.md": "",
                                "build/html/y.md": "", "sub/also.md": GOOD.replace("Good", "Also")})
    report = validate_paths([source])
    assert report.files_checked == 2 and report.findings == []


def test_symlinked_article_outside_the_tree_is_not_read(tmp_path: Path) -> None:
    source = project(tmp_path, {"good.md": GOOD})
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: [unclosed\n---\n")
    (source / "link.md").symlink_to(secret)
    (source / "inside.md").symlink_to(source / "good.md")
    report = validate_paths([source])
    assert report.files_checked == 2  # good.md and the link to it; not secret.md
    assert not [f for f in report.findings if f.code.group == "yaml"]
