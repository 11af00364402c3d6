"""`icp cache stats|clear`: inspect or empty the content-addressed LLM cache."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from agent.llm.cache import cache_stats, clear_cache
from agent.settings import LLMSettings

cache_app = typer.Typer(help="Inspect or clear the LLM response cache.", no_args_is_help=True)
DirOption = Annotated[
    Path | None,
    typer.Option("--dir", help="Cache directory (default: ICP_CACHE_DIR or .icp-cache/llm)."),
]


def _dir(path: Path | None) -> Path:
    return path or LLMSettings().resolved_cache_dir()


@cache_app.command("stats")
def stats(cache_dir: DirOption = None) -> None:
    """Show how many answers are cached, per prompt, and the size on disk."""
    info = cache_stats(_dir(cache_dir))
    table = Table(title=f"LLM cache at {info['dir']}")
    table.add_column("prompt")
    table.add_column("entries", justify="right")
    for pid, n in sorted(info["by_prompt"].items()):
        table.add_row(pid, str(n))
    console = Console()
    console.print(table)
    console.print(f"{info['entries']} entries, {info['bytes'] / 1024:.1f} KiB")


@cache_app.command("clear")
def clear(
    cache_dir: DirOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete every cached answer (the next build calls the LLM again)."""
    target = _dir(cache_dir)
    if not yes and not typer.confirm(f"Delete the LLM cache at {target}?"):
        raise typer.Exit(0)
    removed = clear_cache(target)
    typer.echo(f"Removed {removed} cached answers from {target}.")


def register(app: typer.Typer) -> None:
    app.add_typer(cache_app, name="cache")
