"""``helpsite serve``: the live preview (``--watch``), a port in use, and 404 pages.

The browser tests start ``helpsite serve --watch`` over a two-locale project in tmp_path,
open a page in Debian's chromium (never a downloaded browser), save an article or a
catalog on disk and wait — a bounded wait, no reload by the test — for the new text on
the open page. The other tests drive the server and the rebuild queue from Python.
"""

from __future__ import annotations

import io
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from helpers.site import write_files
from helpsite.commands import main
from helpsite.search import chunks
from helpsite.sitebuild.chooser import chooser_html
from helpsite.sitebuild.serve import (
    EVENTS_PATH,
    RELOAD_SCRIPT,
    SCRIPT_PATH,
    LiveReload,
    make_server,
)
from helpsite.sitebuild.watch import EVERY_LOCALE, Rebuilder, WatchSettings, touched_locales
from rich.console import Console

CONF = """\
project = "Watch Help"
extensions = ["helpsite.sphinx"]
helpsite_source_locale = "en-US"
helpsite_locales = ["nl-NL"]
"""
INDEX = """\
---
title: Watch Help
description: Help for the live preview test.
---
# Watch Help

```{toctree}
guide
```
"""
GUIDE = """\
---
title: The guide
description: A guide to edit while the preview runs.
---
# The guide

{text}
"""
GUIDE_NL = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: nl_NL\\n"

msgid "The guide"
msgstr "{title}"

msgid "First version of the text."
msgstr "Eerste versie van de tekst."
"""
FIRST = "First version of the text."
FIRST_TITLE_NL = "De gids"
STARTUP_SECONDS = 180  # the first build of both locales, on a busy machine
RELOAD_SECONDS = 45  # save → rebuilt → reloaded; about 2-6 s here, bounded for loaded CI


def write_watch_project(root: Path) -> Path:
    write_files(root, {
        "conf.py": CONF, "source/index.md": INDEX,
        "source/guide.md": GUIDE.format(text=FIRST),
        "locales/nl-NL/LC_MESSAGES/guide.po": GUIDE_NL.format(title=FIRST_TITLE_NL),
    }, dedent=False)
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(server: object) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)  # type: ignore[attr-defined]
    thread.start()
    host, port = server.server_address[:2]  # type: ignore[attr-defined]
    try:
        yield f"http://{host}:{port}"
    finally:
        if server.live is not None:  # type: ignore[attr-defined]
            server.live.close()  # type: ignore[attr-defined]
        server.shutdown()  # type: ignore[attr-defined]
        server.server_close()  # type: ignore[attr-defined]
        thread.join(timeout=5)


# -- a port in use ----------------------------------------------------------------------

@pytest.mark.parametrize("watch", [False, True])
def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path, watch: bool,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    project = write_watch_project(tmp_path)
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        where = (["--watch", "--conf-dir", str(project), "--source", str(project / "source"),
                  "--out", str(project / "build")] if watch else ["--dir", str(project)])
        status = main(["serve", "--port", str(port), *where])
    assert status == 2
    assert capsys.readouterr().err.splitlines() == [
        f"helpsite: port {port} is in use; try --port {port + 1} or stop the other server"]
    assert not (project / "build").exists()  # nothing was built before the port was known


def test_the_preview_binds_to_loopback_by_default(tmp_path: Path) -> None:
    server = make_server(tmp_path, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_a_browser_gone_mid_answer_is_no_traceback(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    server = make_server(tmp_path, port=0)
    try:
        for error in (BrokenPipeError(32, "Broken pipe"), ValueError("a bug")):
            try:
                raise error
            except (BrokenPipeError, ValueError):
                server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    err = capsys.readouterr().err
    assert "BrokenPipeError" not in err  # a reload or a closed tab
    assert "ValueError: a bug" in err  # a real error is still reported


# -- 404 pages --------------------------------------------------------------------------

def not_found_page(language: str) -> str:
    return (f'<!doctype html><html lang="{language}"><head><title>404</title></head>'
            f"<body><h1>Not found ({language})</h1></body></html>")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "html"
    write_files(root, {
        "index.html": chooser_html(["en-US", "nl-NL"], "Watch Help"),
        "en-us/index.html": "<html><body><p>English home</p></body></html>",
        "en-us/404.html": not_found_page("en-US"),
        "nl-nl/index.html": "<html><body><p>Dutch home</p></body></html>",
        "nl-nl/404.html": not_found_page("nl-NL"),
        "nl-nl/guide.html": "<html><body><p>De gids</p></body></html>",
    }, dedent=False)
    return root


@pytest.mark.parametrize(("path", "language"), [
    ("/nothing-here", "en-US"),  # top level: the source locale's page (was a bare 404)
    ("/nothing/deeper.html", "en-US"),
    ("/xx-yy/page.html", "en-US"),  # no such locale folder
    ("/nl-nl/help/9999999/", "nl-NL"),  # inside a locale: that locale's page
    ("/nl-nl/missing.html", "nl-NL"),
])
def test_a_missing_path_gets_the_site_404_page(site: Path, path: str, language: str) -> None:
    with serving(make_server(site, port=0)) as url:
        response = httpx.get(url + path, timeout=5)
    assert response.status_code == 404
    page = BeautifulSoup(response.text, "lxml")
    assert page.find("h1").get_text() == f"Not found ({language})"
    assert page.find("script") is None  # no live reload without --watch


def test_a_missing_path_without_any_404_page_gets_the_standard_error(tmp_path: Path) -> None:
    write_files(tmp_path, {"en-us/index.html": "<p>home</p>"})
    with serving(make_server(tmp_path, port=0)) as url:
        response = httpx.get(url + "/nothing-here", timeout=5)
    assert response.status_code == 404
    assert BeautifulSoup(response.text, "lxml").find("h1").get_text() == "Error response"


# -- the reload channel -----------------------------------------------------------------

def reload_scripts(html: str) -> list[dict[str, str]]:
    page = BeautifulSoup(html, "lxml")
    return [dict(s.attrs) for s in page.find_all("script", src=SCRIPT_PATH)]


def test_live_pages_carry_the_reload_script_and_the_files_do_not(site: Path) -> None:
    live = LiveReload()
    live.rebuilt(["nl-nl"])
    on_disk = (site / "nl-nl/guide.html").read_bytes()
    with serving(make_server(site, port=0, live=live)) as url:
        page = httpx.get(url + "/nl-nl/guide.html", timeout=5)
        folder_page = httpx.get(url + "/nl-nl/", timeout=5)
        missing = httpx.get(url + "/nothing-here", timeout=5)
        script = httpx.get(url + SCRIPT_PATH, timeout=5)
        style = httpx.get(url + "/en-us/index.html", timeout=5)
    assert page.status_code == 200
    assert reload_scripts(page.text) == [
        {"src": SCRIPT_PATH, "data-folder": "nl-nl", "data-generation": "1"}]
    assert BeautifulSoup(page.text, "lxml").find("p").get_text() == "De gids"
    assert page.headers["cache-control"] == "no-store"
    assert reload_scripts(folder_page.text)[0]["data-folder"] == "nl-nl"
    assert missing.status_code == 404
    assert reload_scripts(missing.text) == [
        {"src": SCRIPT_PATH, "data-folder": "en-us", "data-generation": "0"}]
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.content == RELOAD_SCRIPT
    assert reload_scripts(style.text)[0]["data-generation"] == "0"
    assert (site / "nl-nl/guide.html").read_bytes() == on_disk  # served, never written


def test_without_watch_there_is_no_reload_channel(site: Path) -> None:
    with serving(make_server(site, port=0)) as url:
        page = httpx.get(url + "/nl-nl/guide.html", timeout=5)
        script = httpx.get(url + SCRIPT_PATH, timeout=5)
    assert reload_scripts(page.text) == []
    assert script.status_code == 404


def test_a_folder_generation_changes_only_with_its_own_rebuild() -> None:
    live = LiveReload()
    live.rebuilt(["de-de"])
    assert live.wait("nl-nl", 0, timeout=0.1) == 0  # timed out: de-DE is not nl-NL
    live.rebuilt(["nl-nl"])
    assert live.wait("nl-nl", 0, timeout=5) == 1
    assert live.generation("") == 2  # the root files come with every build
    live.close()
    assert live.wait("nl-nl", 1, timeout=5) is None


def test_the_event_stream_sends_the_folder_generation_after_a_rebuild(site: Path) -> None:
    live = LiveReload()
    with serving(make_server(site, port=0, live=live)) as url, \
            httpx.stream("GET", f"{url}{EVENTS_PATH}?folder=nl-nl", timeout=10) as events:
        assert events.headers["content-type"] == "text/event-stream"
        data = (line for line in events.iter_lines() if line.startswith("data: "))
        assert next(data) == "data: 0"
        live.rebuilt(["nl-nl"])
        assert next(data) == "data: 1"


# -- which locales a save touches, and the rebuild queue --------------------------------

def test_a_save_touches_the_locales_it_concerns(tmp_path: Path) -> None:
    project = write_watch_project(tmp_path)
    settings = WatchSettings(project, project / "source", project / "build")
    catalogs = project / "locales"
    configured = ["en-US", "nl-NL"]

    def touched(name: str) -> set[str]:
        return touched_locales(project / name, settings, catalogs, configured)

    assert touched("source/guide.md") == {EVERY_LOCALE}
    assert touched("source/media/screen.png") == {EVERY_LOCALE}
    assert touched("conf.py") == {EVERY_LOCALE}
    assert touched("locales/nl-NL/LC_MESSAGES/guide.po") == {"nl-NL"}
    assert touched("locales/nl-nl/LC_MESSAGES/sub/page.po") == {"nl-NL"}
    assert touched("locales/de-DE/LC_MESSAGES/guide.po") == set()  # not configured
    assert touched("locales/nl-NL/LC_MESSAGES/guide.mo") == set()
    assert touched("locales/nl-NL/guide.po") == set()
    assert touched("build/html/en-us/guide.html") == set()
    assert touched("Makefile") == set()


def test_settings_plan_only_the_touched_locales(tmp_path: Path) -> None:
    project = write_watch_project(tmp_path)
    settings = WatchSettings(project, project / "source", project / "build")
    assert [b.tag for b in settings.plan({EVERY_LOCALE}).builds] == ["en-US", "nl-NL"]
    assert [b.tag for b in settings.plan({"nl-NL"}).builds] == ["nl-NL"]
    subset = WatchSettings(project, project / "source", project / "build", locales="en-US")
    assert [b.tag for b in subset.plan({"nl-NL"}).builds] == []


class BlockingRebuilder(Rebuilder):
    """Records each rebuild; the first one waits until the test lets it finish."""

    def __init__(self, settings: WatchSettings) -> None:
        super().__init__(settings, Console(file=io.StringIO()), lambda folders: None)
        self.builds: list[tuple[set[str], bool]] = []
        self.building = threading.Event()
        self.finish = threading.Event()
        self.done = threading.Semaphore(0)

    def rebuild(self, touched: set[str],  # type: ignore[override]
                distrust_stamps: bool = False) -> list:  # type: ignore[type-arg]
        self.builds.append((touched, distrust_stamps))
        self.building.set()
        self.finish.wait(10)
        self.done.release()
        return []


def test_saves_during_a_rebuild_make_one_more_rebuild(tmp_path: Path) -> None:
    project = write_watch_project(tmp_path)
    rebuilder = BlockingRebuilder(WatchSettings(project, project / "source",
                                                project / "build")).start()
    try:
        rebuilder.request({"nl-NL"})
        assert rebuilder.building.wait(5)
        for touched in ({"en-US"}, {"nl-NL"}, set(), {EVERY_LOCALE}):
            rebuilder.request(touched)  # while the first rebuild runs
        rebuilder.finish.set()
        assert rebuilder.done.acquire(timeout=5) and rebuilder.done.acquire(timeout=5)
        assert not rebuilder.done.acquire(timeout=0.3)  # and no third
    finally:
        rebuilder.stop()
    # the second rebuild leaves it to Sphinx what changed: Sphinx may have read a save
    # the first one's stamp does not know of
    assert rebuilder.builds == [({"nl-NL"}, False), ({"en-US", "nl-NL", EVERY_LOCALE}, True)]


@pytest.mark.slow
def test_after_saves_during_a_build_sphinx_decides_what_is_up_to_date(tmp_path: Path) -> None:
    project = write_watch_project(tmp_path)
    out = io.StringIO()
    rebuilder = Rebuilder(WatchSettings(project, project / "source", project / "build",
                                        locales="en-US"),
                          Console(file=out, width=200), lambda folders: None)
    [first] = rebuilder.rebuild({EVERY_LOCALE})
    assert first.ok and not first.up_to_date, out.getvalue()
    [trusted] = rebuilder.rebuild({"en-US"})
    assert trusted.up_to_date  # the stamp says nothing changed: Sphinx is not started
    [checked] = rebuilder.rebuild({"en-US"}, distrust_stamps=True)
    assert checked.ok and not checked.up_to_date  # Sphinx ran and compared the files
    assert checked.read == 0


def indexed_words(folder: Path) -> set[str]:
    """The words of a locale's Pagefind index (helpsite.search.chunks reads its files)."""
    output = folder / "pagefind"
    entry = json.loads((output / chunks.ENTRY).read_text(encoding="utf-8"))
    (info,) = entry["languages"].values()
    meta = chunks.read(output / f"pagefind.{info['hash']}.pf_meta")
    return {word[0] for chunk in meta[chunks.META_CHUNKS]
            for word in chunks.read(output / "index" / f"{chunk[2]}.pf_index")[0]}


@pytest.mark.slow
def test_the_preview_shows_the_pages_first_and_indexes_them_after(tmp_path: Path) -> None:
    project = write_watch_project(tmp_path)
    site = project / "build" / "html" / "en-us"
    seen_at_reload: list[set[str]] = []
    rebuilder = Rebuilder(WatchSettings(project, project / "source", project / "build",
                                        locales="en-US"),
                          Console(file=io.StringIO(), width=200),
                          lambda folders: seen_at_reload.append(indexed_words(site)
                                                                if (site / "pagefind").is_dir()
                                                                else set()))
    rebuilder.rebuild({EVERY_LOCALE})
    assert "walrus" not in indexed_words(site)
    (project / "source/guide.md").write_text(GUIDE.format(text="A walrus in the text."),
                                             encoding="utf-8")
    [result] = rebuilder.rebuild({"en-US"})
    assert result.ok and not result.up_to_date
    assert "walrus" not in seen_at_reload[-1]  # the page was shown before the index...
    assert "walrus" in indexed_words(site)  # ...which the rebuild then brought up to date

    [again] = rebuilder.rebuild({"en-US"})
    assert again.up_to_date  # the index made after the build is part of its stamp

    # A preview stopped before it indexed: the next preview indexes at its start...
    (project / "source/guide.md").write_text(GUIDE.format(text="A quokka in the text."),
                                             encoding="utf-8")
    rebuilder._run(rebuilder.settings.plan({"en-US"}))  # a deferred build's pages only
    assert "quokka" not in indexed_words(site)
    Rebuilder(rebuilder.settings, Console(file=io.StringIO()),
              lambda folders: None).rebuild({EVERY_LOCALE})
    assert "quokka" in indexed_words(site)
    # ...and `helpsite build` never takes such a site as up to date
    (project / "source/guide.md").write_text(GUIDE.format(text="A dugong in the text."),
                                             encoding="utf-8")
    rebuilder._run(rebuilder.settings.plan({"en-US"}))
    assert "dugong" not in indexed_words(site)
    assert main(["build", "--conf-dir", str(project), "--source", str(project / "source"),
                 "--out", str(project / "build"), "--locales", "en-US"]) == 0
    assert "dugong" in indexed_words(site)


def test_a_broken_conf_is_reported_and_the_rebuilder_goes_on(tmp_path: Path) -> None:
    project = write_watch_project(tmp_path)
    (project / "conf.py").write_text("helpsite_locales = 'nl-NL'\n", encoding="utf-8")
    out = io.StringIO()
    rebuilt: list[list[str]] = []
    rebuilder = Rebuilder(WatchSettings(project, project / "source", project / "build"),
                          Console(file=out, width=200), rebuilt.append)
    assert rebuilder.rebuild({EVERY_LOCALE}) == []
    assert "not rebuilt:" in out.getvalue()
    assert "helpsite_locales a list" in out.getvalue()
    assert rebuilt == []
    assert not (project / "build").exists()


# -- in the browser ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def live_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """``helpsite serve --watch`` over the project, in its own process (as a writer runs
    it); yields the project folder and the server's URL once the first build is served."""
    project = write_watch_project(tmp_path_factory.mktemp("watch-project"))
    port = free_port()
    log = (project / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "helpsite", "serve", "--watch", "--port", str(port)],
        cwd=project, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_served(f"{url}/en-us/guide.html", process, project / "serve.log")
        yield project, url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_until_served(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"helpsite serve --watch ended: {log.read_text(encoding='utf-8')}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} not served after {STARTUP_SECONDS} s: "
                f"{log.read_text(encoding='utf-8')}")


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from test_browser_reader import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()


def article_text(page: object) -> str:
    return page.locator("article p").first.inner_text()  # type: ignore[attr-defined]


def wait_for_text(page: object, text: str) -> None:
    """Until the open page shows ``text`` (it reloads itself), at most RELOAD_SECONDS."""
    from playwright.sync_api import expect

    expect(page.locator("article p").first).to_have_text(  # type: ignore[attr-defined]
        text, timeout=RELOAD_SECONDS * 1000)


@pytest.mark.browser
def test_a_saved_article_shows_on_the_open_page(live_preview: tuple[Path, str],
                                                browser_context: object) -> None:
    project, url = live_preview
    page = browser_context.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(f"{url}/en-us/guide.html")
        assert article_text(page) == FIRST
        page.evaluate("window.loadedBeforeTheSave = true")
        changed = "Second version, saved while the page was open."
        (project / "source/guide.md").write_text(GUIDE.format(text=changed), encoding="utf-8")
        wait_for_text(page, changed)
        assert page.evaluate("window.loadedBeforeTheSave === undefined")  # it reloaded
        built = (project / "build/html/en-us/guide.html").read_text(encoding="utf-8")
        assert reload_scripts(built) == []  # the script is in the response only
    finally:
        page.close()


@pytest.mark.browser
def test_a_saved_catalog_reloads_only_its_locale(live_preview: tuple[Path, str],
                                                 browser_context: object) -> None:
    from playwright.sync_api import expect

    project, url = live_preview
    dutch, english = browser_context.new_page(), browser_context.new_page()  # type: ignore[attr-defined]
    try:
        dutch.goto(f"{url}/nl-nl/guide.html")
        heading = dutch.locator("article h1")
        expect(heading).to_contain_text(FIRST_TITLE_NL)
        english.goto(f"{url}/en-us/index.html")
        english.evaluate("window.stillTheSamePage = true")
        # the heading's translation: the article itself stays as the other test left it
        changed = "De gids, opnieuw vertaald"
        catalog = project / "locales/nl-NL/LC_MESSAGES/guide.po"
        catalog.write_text(GUIDE_NL.format(title=changed), encoding="utf-8")
        expect(heading).to_contain_text(changed, timeout=RELOAD_SECONDS * 1000)
        assert english.evaluate("window.stillTheSamePage === true")  # en-US was not rebuilt
    finally:
        dutch.close()
        english.close()
