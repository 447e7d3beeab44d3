"""The standard domain that keeps each document's display title: ``objects.inv`` and the
search index list the same objects as with Sphinx's own domain, also after a title
changed in an incremental build."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers.site import write_files
from helpsite.sphinx.stddomain import TITLES_KEY

pytestmark = pytest.mark.compat  # make test-compat: fast path = plain Sphinx

CONF = """\
project = "Domain"
extensions = ["helpsite.sphinx"]
helpsite_source_locale = "en-US"
helpsite_locales = ["en-US"]
"""

INDEX = """\
---
title: Start
---
# Start

(start-label)=
## Where to begin

Read [the guide](guide.md) and {ref}`the steps <steps>`.

```{toctree}
:hidden:
guide
```
"""

GUIDE = """\
---
title: Guide
---
# The *guide* to cards ![icon](icon.png)

(steps)=
## Steps

Text.
"""


def build(root: Path, name: str, fast: bool) -> Path:
    out = root / name
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(root),
               "-d", str(out / "doctrees"), "-D", f"helpsite_fast_build={int(fast)}",
               str(root / "source"), str(out / "html")]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out / "html"


def fast_and_plain(root: Path) -> tuple[Path, Path]:
    """``build`` with and without the fast build, side by side (two Sphinx processes,
    each with folders of its own)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        fast = pool.submit(build, root, "fast", True)
        plain = pool.submit(build, root, "plain", False)
        return fast.result(), plain.result()


def inventory(html: Path) -> list[list[str]]:
    """objects.inv's entries: four header lines, then zlib-compressed lines of
    ``name domain:role priority uri display-name``."""
    data = (html / "objects.inv").read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = data.index(b"\n", header_end) + 1
    lines = zlib.decompress(data[header_end:]).decode("utf-8").splitlines()
    return [line.split(" ", 4) for line in lines]


def search_index(html: Path) -> dict[str, object]:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))


def kept_titles(html: Path) -> dict[str, str]:
    """The display titles the fast build's domain kept in the pickled environment."""
    with (html.parent / "doctrees" / "environment.pickle").open("rb") as handle:
        env = pickle.load(handle)
    return env.domaindata["std"][TITLES_KEY]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    write_files(tmp_path, {"conf.py": CONF, "source/index.md": INDEX,
                           "source/guide.md": GUIDE})
    (tmp_path / "source" / "icon.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return tmp_path


@pytest.mark.slow
def test_same_objects_as_sphinx_domain_also_after_a_title_changed(project: Path) -> None:
    fast, plain = fast_and_plain(project)
    entries = inventory(fast)
    assert entries == inventory(plain)
    docs = {e[0]: e[4] for e in entries if e[1] == "std:doc"}
    assert docs == {"index": "Start", "guide": "The guide to cards "}  # image left out
    assert kept_titles(fast) == docs
    assert {e[0] for e in entries if e[1] == "std:label"} >= {"start-label", "steps"}
    assert search_index(fast) == search_index(plain)

    guide = project / "source" / "guide.md"
    guide.write_text(GUIDE.replace("# The *guide* to cards", "# Cards, *explained*"),
                     encoding="utf-8")
    fast, plain = fast_and_plain(project)
    entries = inventory(fast)
    assert entries == inventory(plain)
    docs = {e[0]: e[4] for e in entries if e[1] == "std:doc"}
    assert docs["guide"] == "Cards, explained "
    assert kept_titles(fast) == docs
    assert search_index(fast) == search_index(plain)
