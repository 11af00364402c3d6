"""`icp workshop`: the chat where a marketer builds, questions and refines the ICP."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

err = Console(stderr=True)


def open_conversation(project: Path, llm: str, as_of: date | None, company: str):  # noqa: ANN201
    """Engine + checkpointed conversation for a project folder (also used by tests and bench)."""
    from agent.workshop.backend import Backend
    from agent.workshop.conversation import Conversation
    from agent.workshop.engine import Workshop
    from agent.workshop.llm_chat import make_drafter, make_interpreter

    backend = Backend(llm=llm)
    engine = Workshop(project=project, backend=backend, as_of=as_of, llm=llm)
    client = backend.make_llm(engine.project / "out")
    engine.llm_description = client.describe()
    if getattr(client, "mode", "offline") != "offline":
        engine.interpreter = make_interpreter(client)
        engine.drafter = make_drafter(client)
    del company  # the document title comes from the build; kept for symmetry with `icp build`
    return Conversation(engine)


def workshop(
    project: Annotated[
        Path,
        typer.Option(
            "--project",
            "-p",
            help="Project folder: your session, notes, history and outputs live here.",
        ),
    ] = Path("."),
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the saved session of this project.")
    ] = False,
    llm: Annotated[
        str,
        typer.Option(
            help="auto | offline | openai. auto uses an endpoint when OPENAI_BASE_URL or OPENAI_API_KEY is set."
        ),
    ] = "auto",
    as_of: Annotated[
        str | None, typer.Option(help="The 'today' of the analysis, YYYY-MM-DD (default: today).")
    ] = None,
) -> None:
    """Chat with your data: load files, paste interview notes, ask, adjust, draft and review."""
    from agent.workshop.terminal import run_terminal

    if llm not in {"auto", "offline", "openai"}:
        err.print("[red]Error:[/red] --llm must be auto, offline or openai")
        raise typer.Exit(2)
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        err.print(f"[red]Error:[/red] --as-of must be YYYY-MM-DD, got {as_of!r}")
        raise typer.Exit(2) from exc
    conv = open_conversation(project, llm, day, "")
    console = Console(highlight=False, emoji=False)
    try:
        if not resume:
            archived = conv.start_over()
            if archived:
                console.print(f"Started a new session; the previous one is archived in {archived}. "
                              "Use --resume to continue a saved session.")  # fmt: skip
        code = run_terminal(conv, console, resumed=resume)
    finally:
        conv.close()
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("workshop")(workshop)
