"""Where helpsite relies on the layout of Furo's package."""

from __future__ import annotations

from pathlib import Path

from helpsite.sphinx.compat.versions import require


def furo_theme_folder() -> Path:
    """The folder of Furo's theme (its templates and theme.conf): ``furo.THEME_PATH``,
    which Furo registers with ``app.add_html_theme`` but does not document."""
    import furo  # only when asked: importing Furo costs a build that does not ask

    folder = getattr(furo, "THEME_PATH", None)
    require(isinstance(folder, Path) and (folder / "base.html").is_file(), "furo",
            "furo.THEME_PATH, the folder of its theme with base.html")
    return folder  # type: ignore[return-value]
