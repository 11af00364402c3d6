"""The `icp` Typer application: registers each command group and maps errors to exit codes.

Exit codes: 0 success, 1 groundedness checks failed, 2 bad input or usage, 3 internal error.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

import typer

app = typer.Typer(
    name="icp",
    help="ICP Workshop: build an evidence-cited Ideal Customer Profile from CRM exports and "
    "interview notes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module defines `register(app)`. Order = order in `icp --help`.
COMMAND_MODULES = [
    "agent.cli.build",
    "agent.cli.cache_cmd",
    "agent.cli.interviews_cmd",
    "agent.cli.inspect_cmd",
    "agent.cli.score_cmd",
    "agent.cli.drift_cmd",
    "agent.cli.eval_cmd",
    "agent.cli.workshop_cmd",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Console entry point: configure logging once, run, and never show a traceback for bad input."""
    from tools.errors import InputError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except InputError as exc:
        typer.echo(f"Error: {exc.render()}", err=True)
        sys.exit(2)
    except Exception as exc:  # the last line of defence: no traceback reaches the user
        if os.environ.get("ICP_DEBUG"):
            raise
        typer.echo(
            f"Internal error: {type(exc).__name__}: {exc}\n"
            "  This is a bug in ICP Workshop, not in your data. Outputs written so far are kept.\n"
            "  Re-run with ICP_DEBUG=1 for the full traceback and report it.",
            err=True,
        )
        sys.exit(3)


if __name__ == "__main__":
    main()
