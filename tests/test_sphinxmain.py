"""The locale build process's start-up: soupsieve imported only when something uses it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    from helpsite.sitebuild.sphinxmain import defer_import
    defer_import("soupsieve")
    import bs4  # imports soupsieve, as Furo's theme does at every start
    print("css_parser" in " ".join(sys.modules))
    soup = bs4.BeautifulSoup('<p class="x">a</p><p>b</p>', "html.parser")
    print([p.get_text() for p in soup.select("p.x")], soup.select_one("p:not(.x)").get_text())
    print("soupsieve.css_parser" in sys.modules, type(sys.modules["soupsieve"]).__name__)
""")


def test_deferred_module_is_imported_on_first_use() -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=60, check=True)
    assert run.stdout.splitlines() == ["False", "['a'] b", "True module"]
