"""JSON and JSON-lines exports -> one flat table.

Handles the shapes CRMs produce: a bare list of records, a wrapper object holding the list
(`results`, `records`, `data`, `items`, `rows`, `contacts`, `companies`), HubSpot's nested
`properties` (optionally with `{"value": ...}` objects), and Salesforce's `attributes` metadata.
Nested objects become dotted columns; lists of scalars become `"a; b"` multi-valued cells.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from tools.errors import InputError

WRAPPERS = ("results", "records", "data", "items", "rows", "companies", "contacts", "deals")


def _parse(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as first:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        records = []
        for i, line in enumerate(lines, start=1):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"invalid JSON ({first.msg} at line {first.lineno}; as JSON-lines, "
                    f"line {i} is invalid: {exc.msg})",
                    file=str(path),
                    row=i,
                    hint="fix the JSON or export as CSV",
                ) from exc
        return records


def _records(doc: Any, path: Path) -> list[dict[str, Any]]:
    if isinstance(doc, dict):
        for key in WRAPPERS:
            if isinstance(doc.get(key), list):
                return _records(doc[key], path)
        return [doc]
    if isinstance(doc, list) and all(isinstance(r, dict) for r in doc):
        return doc
    raise InputError(
        "the JSON does not hold a list of records (objects)",
        file=str(path),
        hint="export records as a JSON array of objects, or as CSV",
    )


def _flatten(record: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if key == "attributes" and isinstance(value, dict) and "type" in value:
            continue  # Salesforce record metadata
        if key == "properties" and isinstance(value, dict):
            for pk, pv in value.items():
                flat.setdefault(pk, _scalar(pv))
            continue
        if isinstance(value, dict) and set(value) != {"value"}:
            for sub, sv in _flatten(value).items():
                flat[f"{key}.{sub}"] = sv
            continue
        flat[key] = _scalar(value)
    return flat


def _scalar(value: Any) -> Any:
    if isinstance(value, dict) and "value" in value:
        return _scalar(value["value"])
    if isinstance(value, list):
        return "; ".join(str(_scalar(v)) for v in value if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def records_frame(path: Path, text: str, notes: list[str]) -> pd.DataFrame:
    """Flatten the JSON document in `text` into a DataFrame of text cells."""
    records = _records(_parse(text, path), path)
    if any("properties" in r for r in records[:5]):
        notes.append("HubSpot-style nested 'properties' flattened")
    frame = pd.DataFrame([_flatten(r) for r in records])
    return frame.astype("str").where(frame.notna()) if not frame.empty else frame
