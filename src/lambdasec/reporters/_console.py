"""Render rich renderables to a string, independent of the environment (TERM, COLUMNS, NO_COLOR)."""

from __future__ import annotations

from collections.abc import Iterable
from io import StringIO

from rich.console import Console, RenderableType

from lambdasec.reporters.interface import DEFAULT_WIDTH

__all__ = ["DEFAULT_WIDTH", "render_text"]


def render_text(renderables: Iterable[RenderableType], *, color: bool, width: int = DEFAULT_WIDTH) -> str:
    """Print `renderables` to an in-memory console, wrapped at `width`.

    With `color`, the text carries ANSI styles; without, it is plain, with no trailing spaces.
    """
    buffer = StringIO()
    console = Console(
        file=buffer,
        width=width,
        height=25,
        color_system="standard" if color else None,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        no_color=not color,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )
    for renderable in renderables:
        console.print(renderable)
    if color:
        return buffer.getvalue()
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
