"""Progress of the locale builds on stderr: a bar per locale on a terminal (rich), plain
lines otherwise (logs, CI), one per phase a locale enters."""

from __future__ import annotations

import threading
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

_SILENT = {"starting", "done", "failed", "up to date"}


class LocaleProgress:
    """Callable as a :data:`~helpsite.sitebuild.localeprocess.ProgressSink`; use as a context
    manager around the builds."""

    def __init__(self, console: Console, tags: list[str]) -> None:
        self.console = console
        self.live = console.is_terminal
        self.lock = threading.Lock()
        self.phases: dict[str, str] = {}
        self.tasks: dict[str, TaskID] = {}
        self.bars = Progress(
            TextColumn("{task.fields[tag]:>6}"), BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[what]}"), TimeElapsedColumn(),
            console=console, transient=True) if self.live else None
        if self.bars is not None:
            for tag in tags:
                self.tasks[tag] = self.bars.add_task(tag, total=1.0, tag=tag, what="waiting")

    def __enter__(self) -> LocaleProgress:
        if self.bars is not None:
            self.bars.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.bars is not None:
            self.bars.stop()

    def __call__(self, tag: str, what: str, done: float) -> None:
        if self.bars is not None:
            self.bars.update(self.tasks[tag], completed=done, what=what)
            return
        if what in _SILENT:
            return  # the line of the finished locale says it
        with self.lock:
            if self.phases.get(tag) == what:
                return
            self.phases[tag] = what
        self.console.print(f"{tag}: {what}", highlight=False)

    def print(self, text: str) -> None:
        """A line above the bars (a finished locale, its warnings)."""
        self.console.print(text, highlight=False)
