"""Replies and how the terminal shows them (rich, plain text; citations stay readable).

A `Reply` is what every command and answer returns: a short title, lines of text and a kind
(answer / info / ok / warn / error). Rendering never interprets the text as markup, so pasted
notes and quotes are shown exactly as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

Kind = Literal["answer", "info", "ok", "warn", "error"]
STYLES = {"answer": "cyan", "info": "blue", "ok": "green", "warn": "yellow", "error": "red"}
NO_DATA = "The data does not show that."


@dataclass
class Reply:
    title: str
    lines: list[str] = field(default_factory=list)
    kind: Kind = "info"
    quit: bool = False
    expect: str = ""  # "paste" / "edit": the terminal reads a multi-line block next
    clear: bool = False  # the terminal clears the screen before showing this reply

    @property
    def text(self) -> str:
        return "\n".join([self.title, *self.lines])


def render(console: Console, reply: Reply) -> None:
    """Print a reply as a titled panel; the body is literal text (no markup, no emoji codes)."""
    body = Text("\n".join(reply.lines)) if reply.lines else Text("")
    console.print(
        Panel(body, title=Text(reply.title, style=f"bold {STYLES[reply.kind]}"),
              title_align="left", border_style=STYLES[reply.kind], expand=True)
    )  # fmt: skip
