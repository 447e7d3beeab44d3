"""File-system faults are one clear line and exit 2, and the originals stay intact
(issue 15, part 5).

The tests run as root, for whom ``chmod`` stops nothing, so the faults are simulated: the
temporary file's creation or its rename onto the original raises the ``OSError`` a full
disk (ENOSPC), a read-only file system (EROFS) or a missing permission (EACCES) raises.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from helpers.catalogs import make_tree, po_entry, po_text, pot_text
from helpsite import files as atomic
from helpsite.commands import fault_line, main
from helpsite.files import TEMP_SUFFIX, WriteFailed, write_atomic

REAL_REPLACE = os.replace
REAL_MKSTEMP = tempfile.mkstemp


def failing_replace(code: int) -> Callable[..., None]:
    """``os.replace`` that fails for helpsite's temporaries (and works for anything else)."""
    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if str(src).endswith(TEMP_SUFFIX):
            raise OSError(code, os.strerror(code))
        REAL_REPLACE(src, dst)
    return replace


def failing_mkstemp(code: int) -> Callable[..., tuple[int, str]]:
    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        if kwargs.get("suffix") == TEMP_SUFFIX:
            raise OSError(code, os.strerror(code), str(kwargs.get("dir")))
        return REAL_MKSTEMP(*args, **kwargs)  # type: ignore[call-overload]
    return mkstemp


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A POT with a new message and a Dutch catalog that update-po would rewrite."""
    make_tree(tmp_path, pot_text(["Hello", "New message"]),
              po_text([po_entry("Hello", "Hallo")]))
    monkeypatch.chdir(tmp_path)
    return tmp_path


PO = Path("locales/nl-NL/LC_MESSAGES/page.po")


def temporaries(root: Path) -> list[Path]:
    return list(root.rglob(f"*{TEMP_SUFFIX}"))


@pytest.mark.parametrize(("code", "advice"), [
    (errno.ENOSPC, "the disk is full: free some space and run again"),
    (errno.EROFS, "the file system is read-only: make it writable or choose another folder"),
    (errno.EACCES, "permission denied: give your user write access or choose another folder"),
])
def test_update_po_write_fault_is_one_line_and_keeps_the_catalog(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        code: int, advice: str) -> None:
    before = PO.read_bytes()
    monkeypatch.setattr(atomic.os, "replace", failing_replace(code))
    assert main(["update-po"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"helpsite update-po: error: cannot write {PO}: {advice} (the file was left as it was)"]
    assert "Traceback" not in err
    assert PO.read_bytes() == before
    assert temporaries(project) == []


def test_read_only_locales_folder_stops_compile_with_one_line(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    mo = PO.with_suffix(".mo")
    mo.write_bytes(b"old compiled catalog")
    monkeypatch.setattr(atomic.tempfile, "mkstemp", failing_mkstemp(errno.EROFS))
    assert main(["compile"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"helpsite compile: error: cannot write {mo}: the file system "
                          "is read-only")
    assert len(err.strip().splitlines()) == 1
    assert mo.read_bytes() == b"old compiled catalog"


def test_stats_html_report_on_a_full_disk(project: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    report = project / "status.html"
    report.write_bytes(b"<p>last week's report</p>")
    monkeypatch.setattr(atomic.os, "replace", failing_replace(errno.ENOSPC))
    assert main(["stats", "--html", str(report)]) == 2
    assert f"cannot write {report}: the disk is full" in capsys.readouterr().err
    assert report.read_bytes() == b"<p>last week's report</p>"


@pytest.mark.parametrize("writer", [write_atomic, partial(write_atomic, durable=False)],
                         ids=["durable", "rebuildable"])
def test_writers_name_the_file_meant_not_the_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        writer: Callable[[Path, bytes], None]) -> None:
    target = tmp_path / "page.mo"
    target.write_bytes(b"original")
    monkeypatch.setattr(atomic.os, "replace", failing_replace(errno.ENOSPC))
    with pytest.raises(WriteFailed) as caught:
        writer(target, b"new bytes")
    assert caught.value.filename == str(target)
    assert caught.value.errno == errno.ENOSPC
    assert isinstance(caught.value, OSError)  # callers that tolerate failed writes still do
    assert target.read_bytes() == b"original"
    assert temporaries(tmp_path) == []


def test_other_os_errors_name_their_file() -> None:
    error = OSError(errno.EIO, os.strerror(errno.EIO), "build/report.json")
    assert fault_line("build", error) == (
        f"helpsite build: error: build/report.json: {os.strerror(errno.EIO)}")
