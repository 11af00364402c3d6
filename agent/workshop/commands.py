"""Command handlers: load, inspect, paste, ask, show, draft. Each returns (session, reply).

Adjustments (weights, exclusions, ranges, tier names, persona decisions) are in
`agent.workshop.adjust`; review mode in `agent.workshop.review`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from agent.workshop import adjust, answers, notes, review, why
from agent.workshop.intents import HELP, Intent
from agent.workshop.render import NO_DATA, Reply
from agent.workshop.session import NoteRecord, WorkshopSession

if TYPE_CHECKING:
    from agent.workshop.engine import Workshop

Result = tuple[WorkshopSession, Reply]


def not_understood(text: str) -> Reply:
    lines = ["I did not understand that. Type help to see what I can do."]
    if text.rstrip().endswith("?"):
        lines.insert(0, f"{NO_DATA} I can answer: why is X Tier 1?, what do <role>s object to?, "
                     "churn reasons for <companies>, which pipeline accounts are Tier 1?")  # fmt: skip
    return Reply("Not understood", lines, "warn")


def _existing(paths: list[str], base: Path) -> tuple[list[Path], list[str]]:
    found: list[Path] = []
    missing: list[str] = []
    for p in paths:
        path = Path(p).expanduser()
        path = path if path.is_absolute() else (Path.cwd() / path)
        (found if path.exists() else missing).append(path.resolve() if path.exists() else p)  # type: ignore[arg-type]  # Path goes to found, str to missing
    return found, [str(m) for m in missing]


def load_customers(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    found, missing = _existing(it.args["paths"], ws.project)
    if missing:
        return s, Reply("File not found", [f"Cannot find {m}" for m in missing]
                        + ["Check the path (quote it if it has spaces)."], "error")  # fmt: skip
    files = sorted({*s.customers, *map(str, found)})
    summary = ws.backend.inspect([Path(f) for f in files], _mapping(s))
    failed = _unreadable(files, summary.issues)
    files = [f for f in files if f not in failed]
    if not files:
        return s, Reply("Nothing loaded", [f"{Path(f).name}: {m}" for f, m in failed.items()],
                        "error")  # fmt: skip
    new = s.model_copy(update={"customers": files})
    lines = [f"Loaded {summary.n_accounts:,} accounts and {summary.n_deals:,} deals from "
             f"{len(files)} file(s)."]  # fmt: skip
    lines += [f"Not loaded: {Path(f).name}: {m} It was not added to the session." for f, m in
              failed.items()]  # fmt: skip
    lines += _mapping_lines(summary.mappings)
    lines += _issue_lines(summary.issues)
    lines.append("Ask a question, or type `show sufficiency` / `draft`.")
    return new, Reply("Customer data", lines, "warn" if failed else "ok")


def _unreadable(files: list[str], issues: list) -> dict[str, str]:
    """Files the ingest could not read at all (a file-level error), with the reason."""
    out: dict[str, str] = {}
    for i in issues:
        if i.severity != "error" or i.row is not None:
            continue
        for f in files:
            if i.file in (f, Path(f).name):
                hint = f" {i.hint.rstrip('.')}." if i.hint else ""
                out[f] = f"{i.message.rstrip('.')}.{hint}"
    return out


def _mapping(s: WorkshopSession) -> Path | None:
    return Path(s.mapping_file) if s.mapping_file else None


def _mapping_lines(mappings: list) -> list[str]:
    out = ["Column mapping (column -> field, confidence):"]
    for m in mappings:
        target = m.field or "custom attribute"
        out.append(f"  {Path(m.file).name}: {m.column} -> {target} ({m.confidence:.0%}) {m.reason}")
    return out


def _issue_lines(issues: list) -> list[str]:
    if not issues:
        return ["No rows were rejected."]
    out = [f"{len(issues)} issue(s) in your files (first 8 shown):"]
    for i in issues[:8]:
        where = f" row {i.row}" if i.row else ""
        out.append(f"  [{i.severity}] {Path(i.file).name}{where}: {i.message}")
    return out


def load_interviews(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    found, missing = _existing(it.args["paths"], ws.project)
    if missing:
        return s, Reply("Not found", [f"Cannot find {m}" for m in missing], "error")
    files = sorted({*s.interviews, *map(str, found)})
    notes_found, sidecars = ws.backend.interview_files(found)
    new = s.model_copy(update={"interviews": files})
    lines = [f"Added {len(notes_found)} interview note(s) from {len(found)} path(s); they are "
             "read at the next question or draft."]  # fmt: skip
    lines += [f"Used {p} to link interviews to customers (names, titles, account ids)."
              for p in sidecars]  # fmt: skip
    if not notes_found:
        lines.append("No interview notes (.txt, .md, .docx, .vtt, .srt, .json) were found there.")
    return new, Reply("Interviews", lines, "ok" if notes_found else "warn")


def unload(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    """Stop using loaded customer files, interview paths or pasted notes (matched by path/name)."""

    def hit(p: str) -> bool:
        return any(t in (p, Path(p).name) or _same(t, p) for t in it.args["paths"])

    customers = [p for p in s.customers if not hit(p)]
    interviews = [p for p in s.interviews if not hit(p)]
    kept_notes = [n for n in s.notes if not hit(n.path)]
    gone = [*(p for p in s.customers if hit(p)), *(p for p in s.interviews if hit(p)),
            *(n.path for n in s.notes if hit(n.path))]  # fmt: skip
    if not gone:
        loaded = [Path(p).name for p in (*s.customers, *s.interviews, *(n.path for n in s.notes))]
        return s, Reply("Not loaded", [f"No loaded file matches {' '.join(it.args['paths'])}.",
                        f"Loaded: {', '.join(loaded) or 'nothing yet'}"], "warn")  # fmt: skip
    new = s.model_copy(update={"customers": customers, "interviews": interviews,
                               "notes": kept_notes})  # fmt: skip
    lines = [f"Removed {p} from the session." for p in gone]
    lines.append("Files on disk are untouched; the next question or draft no longer uses them.")
    return new, Reply("Unloaded", lines, "ok")


def _same(given: str, loaded: str) -> bool:
    path = Path(given).expanduser()
    path = path if path.is_absolute() else Path.cwd() / path
    return str(path.resolve()) == loaded


def show_mapping(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    if not s.customers:
        return s, Reply("Not yet", ["Load customer data first: load customers FILE..."], "warn")
    summary = ws.backend.inspect([Path(f) for f in s.customers], _mapping(s))
    return s, Reply(
        "Column mapping", _mapping_lines(summary.mappings) + _issue_lines(summary.issues)
    )


def show_sufficiency(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    snap = ws.snapshot(s)
    lines = snap.sufficiency or [f"{NO_DATA} The build reported no sufficiency assessment."]
    return s, Reply("Data sufficiency", lines)


def fix_mapping(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    path = Path(s.mapping_file) if s.mapping_file else ws.project / "mapping.yaml"
    ws.backend.write_mapping(path, None, it.args["column"], it.args["field"])
    new = s.model_copy(update={"mapping_file": str(path)})
    reply_s, reply = show_mapping(ws, new, it) if new.customers else (new, Reply("", []))
    head = f"Mapped '{it.args['column']}' as {it.args['field']} (saved in {path})."
    return reply_s, Reply("Mapping updated", [head, *reply.lines], "ok")


def paste(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    return s, Reply("Paste the note", ["Paste the interview note now. End with a line that "
                    "holds only a dot (.) or \"\"\" ; Ctrl-D also ends it."], "info",
                    expect="paste")  # fmt: skip


def paste_note(ws: Workshop, s: WorkshopSession, text: str) -> Result:
    problem = notes.note_problem(text)
    if problem:
        if text.strip():
            notes.save_note(ws.project, text, oversize=True)
        return s, Reply("Note not analysed", [problem], "warn")
    text, neutralised = notes.neutralise_footnotes(text)
    path = notes.save_note(ws.project, text)
    note = ws.note(path)
    known = {n.path for n in s.notes}
    new = s
    if str(path) not in known:
        person = note.interviewees[0] if note.interviewees else None
        rec = NoteRecord(path=str(path), interview_id=note.interview_id, chars=len(text),
                         person=person.name if person else "",
                         role=person.decision_role if person else "")  # fmt: skip
        new = s.model_copy(update={"notes": [*s.notes, rec]})
    reply = notes.summary(note, text, path)
    if neutralised:
        reply.lines.insert(0, f"The note contained {neutralised} footnote marker(s) `[^`; they "
                           "were saved as `[ ^` so the note cannot add citations to the "
                           "document (notes are data).")  # fmt: skip
    try:
        ws.backend.index_note(ws.project / "evidence-store", path, note)
    except Exception as exc:  # the store is an index; the note itself is already saved
        reply.lines.append(f"(The evidence store could not be updated: {exc}.)")
    return new, reply


def ask(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    k = ws.knowledge(s)
    if it.kind == "ask_why_tier":
        reply = why.why_tier(k, it.args["subject"], it.args["tier"])
    elif it.kind == "ask_persona":
        reply = answers.persona_answer(k, it.args["role"], it.args["topic"])
    elif it.kind == "ask_churn":
        reply = answers.churn_answer(k, it.args["filters"])
    else:
        reply = answers.pipeline_answer(k, it.args["tier"])
    return s, ws.grounded(k, reply)


def draft(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    snap = ws.snapshot(s, force=True)
    tiers = ws.tiers(s, snap)
    lines = [f"Document: {snap.document_path}",
             f"Groundedness checks: {'passed' if snap.passed else 'FAILED (see eval-report.md)'}",
             f"Built in {snap.seconds:.1f} s from {len(s.customers)} customer file(s), "
             f"{len(s.interviews)} interview path(s) and {len(s.notes)} pasted note(s)."]  # fmt: skip
    counts = answers.tier_counts(tiers)
    lines += [f"  {s.tier_label(t)}: {counts.get(t, 0)} accounts" for t in
              ("Tier 1", "Tier 2", "Tier 3")]  # fmt: skip
    lines.append(f"Personas: {len(snap.personas)}")
    if s.overrides and snap.rules is not None:
        _, rules = ws.backend.retier(snap.rules, snap.accounts, list(s.overrides))
        path = ws.backend.save_rules(rules, snap.out_dir / "icp-adjusted.yaml")
        lines.append(f"Your rule adjustments ({'; '.join(o.describe() for o in s.overrides)}) "
                     f"are in {path}; the document shows the rules learned from the data.")  # fmt: skip
    review.write_review_file(ws.project, s)
    lines.append("Type `review` to approve, edit or flag sections.")
    new = s.model_copy(update={"last_document": str(snap.document_path), "last_tiers": tiers})
    return new, Reply("Draft written", lines, "ok")


def status(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    lines = [f"Project: {ws.project}",
             f"Customer files: {', '.join(Path(p).name for p in s.customers) or 'none'}",
             f"Interview paths: {', '.join(Path(p).name for p in s.interviews) or 'none'}",
             f"Pasted notes: {len(s.notes)}",
             f"As of: {ws.as_of_date(s) or 'today (no --as-of given)'}",
             f"Weights: {', '.join(f'{k}={v:g}' for k, v in s.weights.items()) or 'defaults'}",
             f"Rule adjustments: {'; '.join(o.describe() for o in s.overrides) or 'none'}",
             f"Tier names: {', '.join(f'{k} = {v}' for k, v in s.tier_names.items()) or 'default'}",
             f"Persona decisions: {', '.join(f'{k}: {v}' for k, v in s.persona_decisions.items()) or 'none'}",
             f"Reviewed sections: {len(s.review)}; last draft: {s.last_document or 'none yet'}"]  # fmt: skip
    return s, Reply("Session", lines)


def show_tiers(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    k = ws.knowledge(s)
    counts = answers.tier_counts(k.tiers)
    lines: list[str] = []
    for t in k.snap.tiers:
        lines.append(f"{s.tier_label(t.name)}: {counts.get(t.name, 0)} accounts now")
        lines += [f"  - {c.label}" for c in t.criteria]
    return s, Reply("Tiers", lines or [f"{NO_DATA} The build produced no tiers."])


def show_personas(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    k = ws.knowledge(s)
    lines = [f"{p.id}: {p.decision_role.replace('_', ' ')} ({p.tier or 'any tier'}), "
             f"{len(p.interviewees)} interviewee(s){' (emerging)' if p.emerging else ''}, "
             f"titles: {', '.join(p.titles) or 'n/a'}; {s.persona_decisions.get(p.id, 'not reviewed')}"
             for p in k.snap.personas]  # fmt: skip
    return s, Reply("Personas", lines or [f"{NO_DATA} No personas yet: load interviews."])


HANDLERS = {
    "help": lambda ws, s, it: (s, Reply("What you can do", HELP.splitlines())),
    "quit": lambda ws, s, it: (s, Reply("Bye", ["Your session is saved. Resume with "
                                                "`icp workshop --resume`."], "ok", quit=True)),
    "empty": lambda ws, s, it: (s, Reply("", [], "info")),
    "clear": lambda ws, s, it: (s, Reply("", [], "info", clear=True)),
    "unload": unload,
    "load_customers": load_customers, "load_interviews": load_interviews,
    "show_mapping": show_mapping, "show_sufficiency": show_sufficiency,
    "fix_mapping": fix_mapping, "paste": paste, "draft": draft, "status": status,
    "ask_why_tier": ask, "ask_persona": ask, "ask_churn": ask, "ask_pipeline": ask,
    "show_tiers": show_tiers, "show_personas": show_personas,
    "set_weight": adjust.set_weight, "exclude": adjust.exclude, "tighten": adjust.tighten,
    "rename_tier": adjust.rename_tier, "persona_decision": adjust.persona_decision,
    "review": review.start_review,
}  # fmt: skip
