"""Render an `IngestReport` as the markdown `ingest-report.md`: files, decisions, mappings,
every cleaned value class with counts, and every issue (skipped rows listed by number)."""

from __future__ import annotations

from tools.models import IngestReport


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_ingest_report(report: IngestReport) -> str:
    """Markdown report of what ingest read, understood, cleaned, skipped and decided."""
    lines = ["# Ingest report", "",
             f"{report.n_accounts} accounts and {report.n_deals} deals were loaded.", "",
             "## Files", "", "| file | role | rows | sha256 | notes |", "|---|---|---|---|---|"]  # fmt: skip
    for f in report.files:
        notes = "; ".join(f.get("notes", [])) or f.get("reason", "")
        lines.append(
            f"| {_cell(f['path'])} | {f['role']} | {f['rows']} | {f['sha256'][:12]} | {_cell(notes)} |"
        )
    lines += ["", "## Decisions", ""]
    lines += [f"- {_cell(d)}" for d in report.decisions] or ["- none"]
    lines += ["", "## Column mapping", "", "| file | column | field | confidence | reason |",
              "|---|---|---|---|---|"]  # fmt: skip
    for m in report.mappings:
        field = m.field or "(custom)"
        lines.append(
            f"| {_cell(m.file)} | {_cell(m.column)} | {field} | {m.confidence:.2f} | {_cell(m.reason)} |"
        )
    lines += [
        "",
        "## Cleaned values",
        "",
        "| column | value class | count | example |",
        "|---|---|---|---|",
    ]
    for c in report.cleaning:
        lines.append(
            f"| {_cell(c.column)} | {_cell(c.value_class)} | {c.count} | {_cell(c.example)} |"
        )
    if not report.cleaning:
        lines.append("| (none) | | | |")
    lines += ["", "## Issues and skipped rows", ""]
    if not report.issues:
        lines.append("No issues.")
    for i in report.issues:
        where = ", ".join(p for p in (i.file, f"row {i.row}" if i.row else "",
                                      f"column '{i.column}'" if i.column else "") if p)  # fmt: skip
        hint = f" — what to do: {i.hint}" if i.hint else ""
        lines.append(f"- **{i.severity}** ({_cell(where)}): {_cell(i.message)}{_cell(hint)}")
    return "\n".join(lines) + "\n"
