"""Progress while the checker runs: a rich display on a terminal, nothing otherwise."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Advance = Callable[[], None]


class Phases:
    """Named phases with a known amount of work; the null object draws nothing."""

    def phase(self, description: str, total: int) -> Advance:
        return lambda: None

    def __enter__(self) -> Phases:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None


class RichPhases(Phases):
    """Bars on stderr; only used when stderr is a terminal (logs stay clean in CI)."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console, transient=True,
        )

    def phase(self, description: str, total: int) -> Advance:
        task = self._progress.add_task(description, total=total)
        return lambda: self._progress.advance(task)

    def __enter__(self) -> RichPhases:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._progress.stop()


def phases_for(console: Console) -> Phases:
    return RichPhases(console) if console.is_terminal else Phases()
