"""`icp interviews add FILE`: parse one interview, store its evidence, show its insights.

Exit codes: 0 ok, 2 unreadable file (via InputError in the app's main).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tools.errors import InputError

SHOWN = ("pain", "goal", "objection", "trigger")


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Interview notes: parse, store as evidence, show insights.", no_args_is_help=True
    )
    group.command("add")(add)
    app.add_typer(group, name="interviews")


def add(
    file: Annotated[Path, typer.Argument(help="Interview file (.txt .md .docx .vtt .srt .json)")],
    project: Annotated[Path, typer.Option(help="Project folder holding the evidence store")] = Path(
        "."
    ),
) -> None:
    """Parse FILE, store its evidence, and print the interviewee's role and insights."""
    from agent.retrieval import EvidenceStore, MiniLMEmbedding
    from tools.evidence import build_evidence, mask_pii
    from tools.insights import extract_insights
    from tools.transcripts import read_interviews

    if not file.is_file():
        raise InputError("file not found", file=str(file), hint="Check the path.")
    # The same reader as `icp build`: unsupported, binary, empty or oversized files are issues.
    parsed, issues = read_interviews([file])
    if not parsed:
        problem = issues[0].message if issues else "no interview could be read"
        raise InputError(
            problem, file=str(file), hint="Save it as UTF-8 text, .docx, .vtt, .srt or .json."
        )
    iv = parsed[0]
    evidence = build_evidence([iv])
    emb = MiniLMEmbedding()
    store = EvidenceStore(project / ".icp" / "evidence", embedding=emb)
    stats = store.upsert_interviews([iv], evidence)
    people, insights = extract_insights([iv], evidence, emb.embed)
    console = Console()
    console.print(
        f"[bold]{iv.interview_id}[/]: {len(evidence)} utterances, "
        f"{stats['embedded']} embedded ({'unchanged' if not stats['embedded'] else 'stored'})"
    )
    if not people:
        console.print("[yellow]No interviewee speech found[/] (label speakers as 'Name: …').")
    for person in people:
        title = f"{person.title}{' (inferred)' if person.title_inferred else ''}" or "no title"
        console.print(f"\n[bold]{person.name}[/] — {title}, {person.company or 'company unknown'}")
        console.print(f"Decision role: [cyan]{person.decision_role}[/] — {person.role_reason}")
        table = Table("insight", "quote (verbatim)", "evidence")
        for ins in insights:
            if ins.speaker == person.name and ins.kind in SHOWN:
                table.add_row(ins.kind, f"“{mask_pii(ins.text)}”", ins.evidence_id)
        console.print(table)
