"""Paths, folders and locale tags from the command line (issue 15, part 4).

Every ``--locales``/``--locale`` option goes through one check
(:func:`helpsite.locales.choose_locales`): a malformed tag (``../de``) is an error naming
it and the expected form, a well-formed tag the project does not have is an error listing
the ones it has. Output folders inside, equal to or above the source or locales folder
are refused with exit 2 and nothing written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.catalogs import make_tree, po_entry, po_text, pot_text
from helpers.site import write_project
from helpsite.commands import main
from helpsite.config import ConfigError
from helpsite.files import OutputFolderError, check_output_folder
from helpsite.locales import LocaleError, check_tag, choose_locales
from helpsite.sitebuild.plan import make_plan


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path below ``root`` with a file's bytes (None for a folder)."""
    found: dict[str, bytes | None] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = None
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = Path(path).read_bytes()
    return found


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """build/gettext/page.pot and locales/nl-NL/…/page.po; the working folder. It is one
    level below the test's own folder, so that the folder above it (where a tag such as
    ``../de`` would lead) holds nothing of other tests."""
    root = tmp_path / "project"
    root.mkdir()
    make_tree(root, pot_text(["Hello"]), po_text([po_entry("Hello", "Hallo")]))
    monkeypatch.chdir(root)
    return root


# -- the one check


def test_check_tag_normalizes_and_names_the_expected_form() -> None:
    assert check_tag("nl_nl") == "nl-NL"
    assert check_tag("zh-hant-tw") == "zh-Hant-TW"
    for bad in ("../de", "de", "nl-NL/..", "nl-NL x", "", "de-DE-extra1"):
        with pytest.raises(LocaleError, match="language-region tag such as nl-NL"):
            check_tag(bad)


def test_choose_locales_returns_the_project_spelling_and_lists_what_it_has() -> None:
    assert choose_locales("nl_nl,ar-sa", ["en-us", "nl-nl", "ar-sa"], where="built") == [
        "nl-nl", "ar-sa"]
    assert choose_locales("", ["de-DE", "nl-NL"], where="x") == ["de-DE", "nl-NL"]
    with pytest.raises(LocaleError) as caught:
        choose_locales("xx-YY", ["nl-NL", "de-DE"], where="found in locales")
    assert str(caught.value).startswith("locale xx-YY not found in locales")
    assert "(there are: de-DE, nl-NL)" in str(caught.value)


# -- update-po, compile, stats: the locales are the folders


def test_update_po_refuses_a_tag_that_leaves_locales(catalogs: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(catalogs.parent)
    assert main(["update-po", "--locales", "../de"]) == 2
    assert "'../de' is not a locale tag" in capsys.readouterr().err
    assert snapshot(catalogs.parent) == before  # no ../de/LC_MESSAGES beside locales/
    assert not (catalogs / "de").exists()


def test_update_po_unknown_locale_lists_the_folders(catalogs: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["update-po", "--locales", "fr-FR"]) == 2
    err = capsys.readouterr().err
    assert "locale fr-FR not found in locales" in err and "there are: nl-NL" in err
    assert not (catalogs / "locales" / "fr-FR").exists()


@pytest.mark.parametrize("command", ["compile", "stats"])
def test_catalog_commands_refuse_unknown_and_malformed_locales(
        catalogs: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--locales", "xx-YY"]) == 2
    assert "there are: nl-NL" in capsys.readouterr().err
    assert main([command, "--locales", "../nl-NL"]) == 2
    assert "'../nl-NL' is not a locale tag" in capsys.readouterr().err
    assert not list((catalogs / "locales").rglob("*.mo"))


def test_compile_missing_locales_dir_is_an_error(catalogs: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compile", "--locales-dir", "nosuch"]) == 2
    assert "no such folder: nosuch" in capsys.readouterr().err


# -- linkcheck: the locales are the built site's folders


def test_linkcheck_refuses_a_locale_the_site_does_not_have(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("en-us", "nl-nl"):
        page = tmp_path / "html" / folder / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("<!doctype html><title>x</title><p>x</p>", encoding="utf-8")
    site = str(tmp_path / "html")
    assert main(["linkcheck", site, "--no-external", "--no-cache", "--locales", "xx-YY"]) == 2
    err = capsys.readouterr().err
    assert "locale xx-YY not built in" in err and "there are: en-US, nl-NL" in err
    assert main(["linkcheck", site, "--no-external", "--no-cache", "--locales", "a/b"]) == 2
    assert main(["linkcheck", site, "--no-external", "--no-cache", "--locales", "NL_nl"]) == 0


# -- build and import


def test_build_refuses_malformed_and_unknown_locales(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    with pytest.raises(ConfigError, match=r"'\.\./de' is not a locale tag"):
        make_plan(project, project / "source", project / "build", locales="../de")
    with pytest.raises(ConfigError, match=r"there are: ar-SA, en-US, nl-NL"):
        make_plan(project, project / "source", project / "build", locales="xx-YY")
    with pytest.raises(ConfigError, match="not a locale tag"):
        make_plan(project, project / "source", project / "other", source_locale="../nl")


def test_import_refuses_a_malformed_locale(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["import", "sxs", str(tmp_path), "--locale", "../nl", "--out", str(tmp_path)])
    assert caught.value.code == 2
    assert "language-region tag such as nl-NL" in capsys.readouterr().err


# -- output folders


@pytest.mark.parametrize("out", ["source", ".", "source/build", "locales", "locales/nl-NL/x",
                                 ".."])
def test_build_refuses_an_output_folder_among_its_inputs(
        tmp_path: Path, out: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    project = write_project(tmp_path / "project")
    monkeypatch.chdir(project)
    before = snapshot(tmp_path)
    assert main(["build", "--out", out, "--parallel", "1"]) == 2
    err = capsys.readouterr().err
    assert f"--out {out} is " in err and "choose a folder outside it" in err
    assert snapshot(tmp_path) == before  # no html/ or doctrees/ anywhere


def test_a_sibling_output_folder_is_accepted(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    plan = make_plan(project, project / "source", project / "build")
    assert plan.out_dir == project / "build"
    check_output_folder(project / "sourcefiles", {"source": project / "source"})  # no prefix


def test_output_folder_check_sees_through_links(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "source")
    with pytest.raises(OutputFolderError, match="is the source folder"):
        check_output_folder(tmp_path / "alias", {"source": tmp_path / "source"})


def test_gettext_and_merge_refuse_output_among_their_inputs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    project = write_project(tmp_path)
    monkeypatch.chdir(project)
    before = snapshot(project)
    assert main(["gettext", "--out", "source/pot"]) == 2
    assert "inside the source folder" in capsys.readouterr().err
    shard = project / "shards" / "a"
    shard.mkdir(parents=True)
    assert main(["merge", str(shard), "--out", str(project / "shards")]) == 2
    assert "above the shard 1 folder" in capsys.readouterr().err
    assert snapshot(project) == {**before, "shards": None, "shards/a": None}


# -- the source tree: links, loops and case collisions


def tree_with_links(root: Path) -> Path:
    """A project whose source has a loop, a link out, a dangling link, a link that stays
    inside, and A.md beside a.md."""
    project = write_project(root / "project")
    source = project / "source"
    secret = root / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("---\ntitle: Secret\n---\n# Secret of the build machine\n",
                      encoding="utf-8")
    (source / "account" / "loop").symlink_to(source)
    (source / "elsewhere").symlink_to(secret.parent)
    (source / "gone.md").symlink_to(root / "nothing.md")
    (source / "account-alias").symlink_to(source / "account")
    for name in ("A.md", "a.md"):
        (source / name).write_text(f"---\ntitle: {name}\n---\n# Page {name}\n",
                                   encoding="utf-8")
    return project


def test_tree_problems_name_loops_links_out_and_case_collisions(tmp_path: Path) -> None:
    from helpsite.checks.tree import tree_problems
    from helpsite.findings import Code

    source = tree_with_links(tmp_path) / "source"
    found = {(p.code, p.path, p.excluded) for p in tree_problems(source)}
    assert found == {
        (Code.FILE_LINK_LOOP, "account/loop", True),
        (Code.FILE_LINK_LOOP, "account-alias/loop", True),  # the alias is followed
        (Code.FILE_LINK_OUTSIDE, "elsewhere", True),
        (Code.FILE_LINK_OUTSIDE, "gone.md", True),
        (Code.FILE_CASE_COLLISION, "a.md", False),
    }


def test_validate_reports_the_tree_problems(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    source = tree_with_links(tmp_path) / "source"
    assert main(["validate", str(source), "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    by_code = {(f["code"], Path(f["path"]).relative_to(source).as_posix()) for f in findings
               if f["code"].startswith("file.")}
    assert by_code >= {("file.link-loop", "account/loop"), ("file.link-outside", "elsewhere"),
                       ("file.link-outside", "gone.md"), ("file.case-collision", "a.md")}
    collision = next(f for f in findings if f["code"] == "file.case-collision")
    assert collision["severity"] == "error" and "'A.md' and 'a.md'" in collision["message"]
    assert main(["validate", str(source), "--suppress", "file.case-collision",
                 "--suppress", "file.link-loop", "--suppress", "file.link-outside",
                 "--format", "json"]) in (0, 1)
    left = json.loads(capsys.readouterr().out)
    assert not [f for f in left if f["code"] in ("file.case-collision", "file.link-loop")]


def test_build_leaves_out_links_and_loops_and_warns(tmp_path: Path) -> None:
    from helpsite.sitebuild.localeprocess import run_locale

    project = tree_with_links(tmp_path)
    plan = make_plan(project, project / "source", project / "build", locales="en-US")
    result = run_locale(plan, plan.builds[0])
    html = plan.builds[0].html_dir
    pages = {p.relative_to(html).as_posix() for p in html.rglob("*.html")}
    assert "account/close.html" in pages and "account-alias/close.html" in pages
    assert not [p for p in pages if "loop/" in p]  # not 40 levels of account/loop/loop/...
    assert not [p for p in pages if p.startswith("elsewhere/")]
    assert "gone.html" not in pages
    assert not any("Secret of the build machine" in p.read_text(encoding="utf-8")
                   for p in html.rglob("*.html"))
    problems = "\n".join(result.problems)
    for code, path in [("file.link-loop", "account/loop"), ("file.link-outside", "elsewhere"),
                       ("file.link-outside", "gone.md"), ("file.case-collision", "a.md")]:
        assert f"{code}:" in problems and str(project / "source" / path) in problems


# -- one build at a time into an output folder


def test_second_build_lock_refuses_naming_the_holder(tmp_path: Path) -> None:
    from helpsite.sitebuild.lock import BuildLocked, build_lock

    with build_lock(tmp_path / "out") as lock_file:
        assert f"pid {os.getpid()}" in lock_file.read_text(encoding="utf-8")
        with (pytest.raises(BuildLocked, match=rf"another build is writing .*pid {os.getpid()}"),
              build_lock(tmp_path / "out", wait=0)):
            pass
        with (pytest.raises(BuildLocked, match=r"for over 0 s"),
              build_lock(tmp_path / "out", wait=0.3, say=lambda _text: None)):
            pass
    with build_lock(tmp_path / "out", wait=0):  # released: the next build takes it
        pass


def test_second_build_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    import threading

    from helpsite.sitebuild.lock import build_lock

    held, release = threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> None:
        with build_lock(tmp_path / "out"):
            held.set()
            release.wait(5)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(5)
    said: list[str] = []
    threading.Timer(0.4, release.set).start()
    with build_lock(tmp_path / "out", wait=10, say=said.append):
        order.append("second started")
    thread.join(5)
    assert order == ["first done", "second started"]
    assert len(said) == 1 and "waiting up to 10 s" in said[0] and "pid" in said[0]


def test_build_command_refuses_while_another_build_holds_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from helpsite.sitebuild.lock import LOCK_NAME, build_lock

    project = write_project(tmp_path)
    monkeypatch.chdir(project)
    monkeypatch.setenv("HELPSITE_BUILD_WAIT", "0")
    with build_lock(project / "build"):
        assert main(["build", "--locales", "en-US", "--parallel", "1"]) == 2
    err = capsys.readouterr().err
    assert "another build is writing build" in err and f"pid {os.getpid()}" in err
    assert sorted(p.name for p in (project / "build").iterdir()) == [LOCK_NAME]
