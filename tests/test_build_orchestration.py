"""Building many locales: reproducible output (two builds, other folders, serial or
parallel, give the same bytes), incremental builds (no change writes nothing; one edited
article or catalog entry is read again where it matters), and shards merged into the same
site as a single build."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from helpers.reader import SampleSite, copy_sample
from helpers.site import REFUSED_CONTENT, SOURCE_DATE_EPOCH, write_project
from helpsite.commands import main
from helpsite.sitebuild.localeprocess import LocaleResult
from helpsite.sitebuild.lock import LOCK_NAME
from helpsite.sitebuild.parallel import run_builds, sphinx_jobs
from helpsite.sitebuild.plan import make_plan
from helpsite.sitebuild.shards import MANIFEST, merge_shards
from helpsite.sitebuild.siteroot import finish_site

REPO = Path(__file__).resolve().parents[1]


STATUS_PAGE = ("translation-status.html",)


def files_of(root: Path, *, but: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()
            and p.relative_to(root).as_posix() not in but}


def stamps_of(root: Path) -> dict[str, int]:
    """Modification times of the output, but the build lock's record of who holds it."""
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != LOCK_NAME}


def compiled_catalogs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted((out / "doctrees").rglob("*.mo"))}


def build_site(project: Path, out: Path, *, parallel: int, jobs: int) -> list[LocaleResult]:
    plan = make_plan(project, project / "source", out, parallel=parallel)
    plan.jobs = jobs
    results = run_builds(plan)
    assert all(r.ok for r in results), [r.output for r in results if not r.ok]
    finish_site(plan.html_root, plan.configured, plan.project, plan.base_url)
    return results


@pytest.mark.slow
@pytest.mark.compat
def test_two_builds_of_the_same_inputs_are_byte_identical(
        sample: SampleSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    first = sample.html.parent  # a copy's build/: locales side by side, -j 1
    second = copy_sample(tmp_path / "elsewhere" / "second")
    build_site(second, second / "out", parallel=1, jobs=2)  # one locale after another, -j 2
    site_a, site_b = files_of(first / "html"), files_of(second / "out" / "html")
    assert len(site_a) > 100 and "nl-nl/billing/change-payment-method.html" in site_a
    assert sorted(site_a) == sorted(site_b)
    differing = [name for name in site_a if site_a[name] != site_b[name]]
    assert differing == []
    catalogs_a = compiled_catalogs(first)
    assert catalogs_a and catalogs_a == compiled_catalogs(second / "out")
    # nothing of the build folders' absolute paths reaches the site
    assert not [n for n, data in site_b.items() if str(second).encode() in data]


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("orchestration"))


def test_sphinx_jobs_use_the_cores_the_locales_leave() -> None:
    assert sphinx_jobs(parallel=2, locales=3, cpus=2) == 1
    assert sphinx_jobs(parallel=2, locales=1, cpus=2) == 2
    assert sphinx_jobs(parallel=4, locales=2, cpus=8) == 4
    assert sphinx_jobs(parallel=1, locales=5, cpus=1) == 1


@pytest.mark.slow
def test_incremental_builds_read_and_write_only_what_changed(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    out = tmp_path / "out"
    first = {r.tag: r for r in build_site(project, out, parallel=2, jobs=1)}
    assert {tag: r.read for tag, r in first.items()} == {"en-US": 8, "nl-NL": 8, "ar-SA": 8}
    before = stamps_of(out)

    again = build_site(project, out, parallel=2, jobs=1)
    assert all(r.up_to_date and r.read == 0 for r in again)
    assert stamps_of(out) == before  # no file rewritten, not even the root files

    article = project / "source" / "account" / "sign-in.md"
    article.write_text(article.read_text() + "\nOne more sentence.\n", encoding="utf-8")
    edited = {r.tag: r for r in build_site(project, out, parallel=2, jobs=1)}
    assert {tag: r.read for tag, r in edited.items()} == {"en-US": 1, "nl-NL": 1, "ar-SA": 1}
    page = "html/nl-nl/account/sign-in.html"
    after = stamps_of(out)
    assert after[page] != before[page]
    assert after["html/nl-nl/billing/pay.html"] == before["html/nl-nl/billing/pay.html"]
    assert "One more sentence." in (out / page).read_text(encoding="utf-8")
    # pages helpsite generates (a category page, a help-ID page) are not rendered again
    for generated in ("html/nl-nl/account/index.html", "html/nl-nl/help/7001001/index.html"):
        assert after[generated] == before[generated], generated

    article.write_text(article.read_text().replace("title: Sign in", "title: Log on"),
                       encoding="utf-8")
    before = after
    build_site(project, out, parallel=2, jobs=1)
    after = stamps_of(out)
    category = out / "html/nl-nl/account/index.html"
    assert after["html/nl-nl/account/index.html"] != before["html/nl-nl/account/index.html"]
    assert "Log on" in category.read_text(encoding="utf-8")
    # a title shows in the sidebars of its own category only: other pages stay as written
    assert after["html/nl-nl/billing/pay.html"] == before["html/nl-nl/billing/pay.html"]
    assert after["html/nl-nl/account/profile.html"] != before["html/nl-nl/account/profile.html"]

    catalog = project / "locales" / "nl-NL" / "LC_MESSAGES" / "billing" / "pay.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(
        "Deze alinea is vertaald.", "Deze alinea is opnieuw vertaald."), encoding="utf-8")
    before = stamps_of(out)
    po_edit = {r.tag: r for r in build_site(project, out, parallel=2, jobs=1)}
    assert po_edit["nl-NL"].read == 1
    assert po_edit["en-US"].up_to_date and po_edit["ar-SA"].up_to_date
    after = stamps_of(out)
    assert after["html/nl-nl/billing/pay.html"] != before["html/nl-nl/billing/pay.html"]
    assert [n for n in after if n.startswith("html/ar-sa/") and after[n] != before[n]] == []
    assert "opnieuw vertaald" in (out / "html/nl-nl/billing/pay.html").read_text("utf-8")

    # a new Arabic catalog: the Dutch page gets its hreflang link without being read again
    arabic = project / "locales" / "ar-SA" / "LC_MESSAGES" / "account" / "sign-in.po"
    arabic.parent.mkdir(parents=True, exist_ok=True)
    arabic.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                      'msgid "Go to the portal and sign in."\nmsgstr "اذهب إلى البوابة."\n',
                      encoding="utf-8")
    new_catalog = {r.tag: r for r in build_site(project, out, parallel=2, jobs=1)}
    assert new_catalog["ar-SA"].read == 1 and new_catalog["nl-NL"].read == 0
    dutch = (out / "html/nl-nl/account/sign-in.html").read_text(encoding="utf-8")
    assert 'hreflang="ar-SA"' in dutch


@pytest.mark.slow
@pytest.mark.compat
def test_incremental_builds_end_with_the_bytes_of_a_fresh_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What an incremental build keeps from the last one (the search index with the
    edited pages taken out, help-ID pages and help-ids.json while the IDs stay the same)
    must be what a fresh build of the same inputs writes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = write_project(tmp_path / "project")
    out = tmp_path / "out"
    build_site(project, out, parallel=2, jobs=1)
    article = project / "source" / "account" / "sign-in.md"
    # new words for the search index; then a help ID added; then one taken away
    article.write_text(article.read_text() + "\nZanzibar quokka.\n", encoding="utf-8")
    build_site(project, out, parallel=2, jobs=1)
    pay = project / "source" / "billing" / "pay.md"
    pay.write_text(pay.read_text().replace('- "7001002"', '- "7001002"\n- "7009999"'),
                   encoding="utf-8")
    build_site(project, out, parallel=2, jobs=1)
    assert (out / "html" / "nl-nl" / "help" / "7009999" / "index.html").is_file()
    article.write_text(article.read_text().replace("Zanzibar quokka.", "Walrus."),
                       encoding="utf-8")
    pay.write_text(pay.read_text().replace('- "7001001"\n', ""), encoding="utf-8")
    build_site(project, out, parallel=2, jobs=1)
    assert not (out / "html" / "nl-nl" / "help" / "7001001").exists()
    fresh = tmp_path / "fresh"
    build_site(project, fresh, parallel=2, jobs=1)
    incremental, clean = files_of(out / "html"), files_of(fresh / "html")
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []
    index = json.loads((out / "html" / "nl-nl" / "help-ids.json").read_text("utf-8"))
    assert sorted(index["ids"]) == ["7001002", "7009999"]
    search = (out / "html" / "en-us" / "searchindex.js").read_text("utf-8")
    assert "walru" in search and "quokka" not in search


@pytest.mark.slow
def test_an_article_with_a_missing_image_is_read_again_only_when_it_appears(
        tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    profile = project / "source" / "account" / "profile.md"
    profile.write_text(profile.read_text() + "\n![The screen](media/screen.png)\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    first = {r.tag: r for r in build_site(project, out, parallel=2, jobs=1)}
    assert any("image file not readable" in p for p in first["en-US"].problems)
    article = project / "source" / "account" / "sign-in.md"
    article.write_text(article.read_text() + "\nOne more sentence.\n", encoding="utf-8")
    edited = build_site(project, out, parallel=2, jobs=1)
    assert {r.tag: r.read for r in edited} == {"en-US": 1, "nl-NL": 1, "ar-SA": 1}
    image = project / "source" / "account" / "media" / "screen.png"
    image.parent.mkdir()
    shutil.copyfile(REPO / "docs" / "images" / next(
        p.name for p in (REPO / "docs" / "images").glob("*.png")), image)
    appeared = build_site(project, out, parallel=2, jobs=1)
    assert {r.tag: r.read for r in appeared} == {"en-US": 1, "nl-NL": 1, "ar-SA": 1}
    assert not any("not readable" in p for r in appeared for p in r.problems)
    assert (out / "html" / "en-us" / "_images" / "screen.png").is_file()


@pytest.mark.slow
def test_a_deleted_page_is_built_again(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    out = tmp_path / "out"
    build_site(project, out, parallel=2, jobs=1)
    page = out / "html" / "nl-nl" / "top.html"
    page.unlink()
    results = {r.tag: r for r in build_site(project, out, parallel=2, jobs=1)}
    assert not results["nl-NL"].up_to_date and results["en-US"].up_to_date
    assert page.is_file()


def cli_build(project: Path, *args: str) -> int:
    return main(["build", "--conf-dir", str(project), "--source", str(project / "source"),
                 *args])


@pytest.mark.slow
@pytest.mark.compat
def test_shards_merge_into_the_same_site_as_one_build(fixture_project: Path,
                                                      tmp_path: Path) -> None:
    """As in a CI matrix: every job builds into the same path (here one after the other,
    moving each shard away like an artifact upload), the merge job gets them all."""
    out = fixture_project / "build"
    shutil.rmtree(out, ignore_errors=True)
    shard_a, shard_b = tmp_path / "shards" / "a", tmp_path / "shards" / "b"
    assert cli_build(fixture_project, "--locales", "en-US nl-NL",
                     "--shard-out", str(out)) == REFUSED_CONTENT
    assert not (out / "html" / "index.html").exists()  # root files come from the merge
    shutil.move(out, shard_a)
    assert cli_build(fixture_project, "--locales", "ar-SA",
                     "--shard-out", str(out)) == REFUSED_CONTENT
    shutil.move(out, shard_b)
    manifest = json.loads((shard_b / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["locales"] == ["ar-SA"] and "ar-sa/index.html" in manifest["files"]
    assert cli_build(fixture_project, "--out", str(out)) == REFUSED_CONTENT
    single = out

    merged = tmp_path / "merged"
    assert main(["merge", str(shard_a), str(shard_b), "--out", str(merged)]) == 0
    expected, got = files_of(single / "html"), files_of(merged)
    assert "index.html" in got and "sitemap.xml" in got and "ar-sa/index.html" in got
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if expected[name] != got[name]] == []

    # merging again changes nothing; a page the shards no longer have goes away
    before = stamps_of(merged)
    (merged / "nl-nl" / "stray.html").write_text("old", encoding="utf-8")
    result = merge_shards([shard_a, shard_b], merged)
    assert result.ok and result.written == 0 and result.removed == 1
    assert stamps_of(merged) == before


def test_merge_refuses_broken_shards_before_writing(fixture_project: Path,
                                                    tmp_path: Path) -> None:
    shard = tmp_path / "a"
    assert cli_build(fixture_project, "--locales", "nl-NL",
                     "--shard-out", str(shard)) == REFUSED_CONTENT
    twin = tmp_path / "b"
    shutil.copytree(shard, twin)
    out = tmp_path / "site"
    overlap = merge_shards([shard, twin], out)
    assert [f.code.code for f in overlap.findings] == ["build.shard-overlap"]
    assert not out.exists()

    page = twin / "html" / "nl-nl" / "top.html"
    page.write_text("truncated", encoding="utf-8")
    corrupt = merge_shards([twin], out)
    assert [f.code.code for f in corrupt.findings] == ["build.shard-corrupt"]
    assert corrupt.findings[0].path == str(page) and not out.exists()

    assert [f.code.code for f in merge_shards([tmp_path / "none"], out).findings] == [
        "build.shard-invalid"]
    other = tmp_path / "c"
    shutil.copytree(shard, other)
    data = json.loads((other / MANIFEST).read_text(encoding="utf-8"))
    data["locales"], data["base_url"] = [], "https://elsewhere.test/"
    (other / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    mismatch = merge_shards([shard, other], out)
    assert "build.shard-mismatch" in [f.code.code for f in mismatch.findings]
    assert not out.exists()
    assert main(["merge", str(shard), str(twin), "--out", str(out),
                 "--format", "json"]) == 1


def test_plan_knows_the_catalog_folder_and_base_url(fixture_project: Path) -> None:
    plan = make_plan(fixture_project, fixture_project / "source", fixture_project / "b")
    assert plan.catalog_root == (fixture_project / "locales").resolve()
    assert plan.base_url == "https://help.example.test/"
    plan = make_plan(fixture_project, fixture_project / "source", fixture_project / "b",
                     defines=["helpsite_locale_dir=other"], base_url="https://x.test")
    assert plan.catalog_root == (fixture_project / "other").resolve()
    assert plan.base_url == "https://x.test/"
    assert os.path.isabs(plan.catalog_root)


@pytest.mark.slow
def test_helpsite_build_twice_second_run_builds_nothing(tmp_path: Path) -> None:
    """The command as writers run it, with everything it writes after the locale builds
    (root files, translation-status page)."""
    project = write_project(tmp_path / "project")
    out, report = tmp_path / "out", tmp_path / "report.json"
    assert cli_build(project, "--out", str(out), "--report", str(report)) == REFUSED_CONTENT
    before = stamps_of(out)
    # Nothing is read again, so nothing is refused again (as Sphinx reports its warnings).
    assert cli_build(project, "--out", str(out), "--report", str(report)) == 0
    rows = json.loads(report.read_text(encoding="utf-8"))["locales"]
    assert [(r["locale"], r["up_to_date"]) for r in rows] == [
        ("en-US", True), ("nl-NL", True), ("ar-SA", True)]
    assert stamps_of(out) == before
