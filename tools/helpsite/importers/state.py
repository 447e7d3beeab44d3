"""What the last import wrote, so that re-importing never overwrites a translator's edit.

One JSON file per locale under ``OUT/.helpsite-import/<tag>.json`` keeps, for every
article, a short hash of each msgid and of the msgstr the import wrote for it. At the next
import a msgstr in the PO file that no longer has the recorded hash was edited by someone
since: it is kept and the conflict reported. The file is written sorted and only when it
changes, so a second import of the same input leaves every byte as it was.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

STATE_DIR = ".helpsite-import"
FORMAT = 1


class StateError(ValueError):
    """The state file exists but cannot be used."""


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class ArticleRecord:
    origin: str = ""
    messages: dict[str, str] = field(default_factory=dict)  # hash(msgid) -> hash(msgstr)

    def imported_hash(self, msgid: str) -> str | None:
        return self.messages.get(short_hash(msgid))


@dataclass
class ImportState:
    locale: str
    articles: dict[str, ArticleRecord] = field(default_factory=dict)

    @staticmethod
    def path_for(out: Path, locale: str) -> Path:
        return out / STATE_DIR / f"{locale}.json"

    @classmethod
    def load(cls, out: Path, locale: str) -> ImportState:
        path = cls.path_for(out, locale)
        if not path.exists():
            return cls(locale)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise StateError(f"{path}: unknown format {data.get('format')!r}")
            articles = {
                name: ArticleRecord(str(record["origin"]), dict(record["messages"]))
                for name, record in data["articles"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise StateError(f"{path}: {error}") from error
        return cls(locale, articles)

    def record(self, docname: str, origin: str, imported: dict[str, str]) -> None:
        """Remember the msgstr written for each msgid (only non-empty imports)."""
        self.articles[docname] = ArticleRecord(origin, {
            short_hash(msgid): short_hash(msgstr) for msgid, msgstr in imported.items() if msgstr
        })

    def to_text(self) -> str:
        data = {
            "format": FORMAT,
            "locale": self.locale,
            "articles": {
                name: {"origin": record.origin, "messages": dict(sorted(record.messages.items()))}
                for name, record in sorted(self.articles.items())
            },
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
