"""Front matter of imported articles: what belongs to the source, what to one translation.

The source article keeps its front matter as the writer typed it (key order, quoting,
comments): keys are removed or replaced line by line, never by dumping YAML again. The
fields that describe one translation go to that translation's PO header as
``X-Meta-<key>`` (the project's convention), so importing a second locale never changes
the source and nothing is lost.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from helpsite.frontmatter import split_front_matter

# Fields a localization system writes into each translated copy; they describe the
# translation (its type, hand-off date, the source commit it was made from), not the article.
PER_TRANSLATION_KEYS = (
    "ms.translationtype",
    "ms.contentlocale",
    "ms.lasthandoff",
    "ms.openlocfilehash",
    "ms.sourcegitcommit",
    "ms.locfileid",
)
TRANSLATABLE_KEYS = ("title", "description")
_H1 = re.compile(r"^#[ \t]+(?P<text>.*?)[ \t#]*$")
_ANCHOR = re.compile(r'^\s*<a\s+name="[^"]*"\s*>\s*</a>\s*', re.IGNORECASE)


def strip_anchor(text: str) -> str:
    """``<a name="slug"></a>Title`` -> ``Title`` (the DocFX anchor before a heading text)."""
    return _ANCHOR.sub("", text).strip()


def first_h1(body: str) -> tuple[str, int] | None:
    """The text of the first ATX H1 (anchor kept) and its 0-based line in ``body``."""
    fence = None
    for index, line in enumerate(body.split("\n")):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence is None and (match := _H1.match(line)):
            return match["text"].strip(), index
    return None


def header_value(value: Any) -> str:
    """A front-matter value as one PO header line: scalars as text, the rest as JSON."""
    if isinstance(value, str):
        text = value
    elif value is None:
        text = ""
    elif isinstance(value, (bool, int, float)):
        text = json.dumps(value)
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return " ".join(text.split("\n")).strip()


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    plain = text.strip() == text and "\n" not in text
    if plain:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _key_spans(lines: list[str]) -> list[tuple[str, int, int]]:
    """(key, first line, end line) of each top-level key in the YAML lines."""
    starts = []
    for index, line in enumerate(lines):
        if line and not line[0].isspace() and not line.startswith(("#", "-")) and ":" in line:
            starts.append((line.split(":", 1)[0].strip().strip("'\""), index))
    spans = []
    for number, (key, start) in enumerate(starts):
        end = starts[number + 1][1] if number + 1 < len(starts) else len(lines)
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        spans.append((key, start, end))
    return spans


def edit_front_matter(text: str, remove: set[str], replace: dict[str, str]) -> str:
    """Remove the ``remove`` keys and set ``replace`` keys (plain text values) in place."""
    split = split_front_matter(text)
    if split.yaml_text is None:
        return text
    lines = split.yaml_text.rstrip("\n").split("\n")
    kept: list[str] = []
    spans = _key_spans(lines)
    cursor = 0
    done: set[str] = set()
    for key, start, end in spans:
        kept.extend(lines[cursor:start])
        cursor = end
        if key in remove:
            continue
        if key in replace:
            kept.append(f"{key}: {yaml_scalar(replace[key])}")
            done.add(key)
            continue
        kept.extend(lines[start:end])
    kept.extend(lines[cursor:])
    missing = [key for key in replace if key not in done]
    head = [f"{key}: {yaml_scalar(replace[key])}" for key in missing]
    return "---\n" + "\n".join(head + kept) + "\n---\n" + split.body
