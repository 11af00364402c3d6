"""`inspect_files`: what ingest understands of each file, before building anything.

Per file: role, rows, and per column the mapped field, confidence, reason, type, missing rate
and value problems. `mapping_of` turns the result into the editable mapping-file structure.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from tools.errors import InputError
from tools.ingest.cleaning import clean_table, infer_type
from tools.ingest.mapping import account_key, detect_role, map_columns
from tools.ingest.readers import read_table
from tools.ingest.values import as_text, missing_mask
from tools.models import ColumnMapping
from tools.schema import ACCOUNT_FIELDS, DEAL_FIELDS


class ColumnInfo(BaseModel):
    name: str
    field: str | None
    confidence: float
    reason: str
    dtype: str
    missing_rate: float
    problems: list[str] = Field(default_factory=list)


class FileInfo(BaseModel):
    path: str
    role: str
    role_reason: str = ""
    rows: int = 0
    notes: list[str] = Field(default_factory=list)
    columns: list[ColumnInfo] = Field(default_factory=list)
    error: str | None = None


class InspectResult(BaseModel):
    files: list[FileInfo]


def _ftype(m: ColumnMapping, role: str, text) -> str:
    if m.field is None:
        return infer_type(text)
    return DEAL_FIELDS[m.field] if role == "deals" else ACCOUNT_FIELDS[m.field][0]


def _event_mappings(cols: list[str], file: str, role: str) -> list[ColumnMapping]:
    key = account_key(cols)
    out = []
    for c in cols:
        if c == key and role != "lookup":
            out.append(ColumnMapping(file=file, column=c, field="account_id", confidence=0.9,
                                     reason=f"join key of the {role} table"))  # fmt: skip
        else:
            why = (
                "lookup table: not used"
                if role == "lookup"
                else f"read by the {role} aggregation rules"
            )
            out.append(ColumnMapping(file=file, column=c, field=None, confidence=0.0, reason=why))
    return out


def inspect_file(path: Path, sheet: str | None, multi: bool) -> FileInfo:
    t = read_table(path, sheet)
    role, why = detect_role(list(t.frame.columns), multi)
    info = FileInfo(path=str(path), role=role, role_reason=why, rows=len(t.frame), notes=t.notes)
    if role in {"accounts", "deals"}:
        maps = map_columns(t.frame, t.name, role)
        ct = clean_table(t.frame, maps, t.name, role)
        problems: dict[str, list[str]] = {}
        for c in ct.cleaning:
            col = c.column.split(":", 1)[1]
            problems.setdefault(col, []).append(f"{c.count} × {c.value_class} (e.g. {c.example!r})")
        for i in ct.issues:
            if i.column:
                problems.setdefault(i.column, []).append(i.message)
    else:
        maps, problems = _event_mappings(list(t.frame.columns), t.name, role), {}
    sample = t.frame.head(5000)
    for m in maps:
        text = as_text(t.frame[m.column])
        info.columns.append(ColumnInfo(
            name=m.column, field=m.field, confidence=m.confidence, reason=m.reason,
            dtype=_ftype(m, role, as_text(sample[m.column])),
            missing_rate=round(float(missing_mask(text).mean()), 4),
            problems=problems.get(m.column, []),
        ))  # fmt: skip
    return info


def inspect_files(paths: list[Path], sheet: str | None = None) -> InspectResult:
    """Inspect each file; unreadable files are listed with their error (raised if all fail)."""
    files, first_error = [], None
    for p in paths:
        try:
            files.append(inspect_file(Path(p), sheet, len(paths) > 1))
        except InputError as exc:
            first_error = first_error or exc
            files.append(FileInfo(path=str(p), role="unreadable", error=exc.render()))
    if first_error is not None and all(f.error for f in files):
        raise first_error
    return InspectResult(files=files)


def mapping_of(result: InspectResult) -> dict[str, dict[str, str | None]]:
    """The editable mapping-file structure: file name -> {_role, column: field}."""
    out: dict[str, dict[str, str | None]] = {}
    for f in result.files:
        if f.error:
            continue
        entry: dict[str, str | None] = {"_role": f.role}
        entry.update({c.name: c.field for c in f.columns})
        out[Path(f.path).name] = entry
    return out
