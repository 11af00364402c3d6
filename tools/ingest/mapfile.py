"""The editable mapping file (YAML): file name -> column -> canonical field or null.

`icp inspect` writes it; the user edits it; `load_customer_data(mapping_file=...)` applies it.
A special `_role` key per file forces the table role (accounts, deals, subscriptions, ...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tools.errors import InputError
from tools.schema import ACCOUNT_FIELDS, DEAL_FIELDS

HEADER = (
    "# ICP Workshop column mapping. For each file: column -> canonical field, or null to keep\n"
    "# the column as a custom attribute. `_role` sets the table role (accounts, deals,\n"
    "# subscriptions, tickets, usage, churn_events, lookup). Edit, then pass --mapping FILE.\n"
    f"# Account fields: {', '.join(ACCOUNT_FIELDS)}\n"
    f"# Deal fields: {', '.join(DEAL_FIELDS)}\n"
)
ROLES = {"accounts", "deals", "subscriptions", "tickets", "usage", "churn_events", "lookup"}


def write_mapping(path: Path, mapping: dict[str, dict[str, Any]]) -> Path:
    """Write {file: {"_role": role, column: field|None}} as commented YAML."""
    body = yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True)
    Path(path).write_text(HEADER + body, encoding="utf-8")
    return Path(path)


def read_mapping(path: Path) -> dict[str, dict[str, Any]]:
    """Read and validate a mapping file; errors name the file, entry and what to fix."""
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise InputError(
            "mapping file not found", file=str(path), hint="run `icp inspect`"
        ) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"mapping file is not valid YAML ({exc})", file=str(path),
                         hint="fix the indentation or regenerate it with `icp inspect`") from exc  # fmt: skip
    if not isinstance(doc, dict) or not all(isinstance(v, dict) for v in doc.values()):
        raise InputError("mapping file must map file names to {column: field}", file=str(path),
                         hint="regenerate it with `icp inspect`")  # fmt: skip
    valid = set(ACCOUNT_FIELDS) | set(DEAL_FIELDS)
    for fname, cols in doc.items():
        for col, fld in cols.items():
            if col == "_role":
                if fld not in ROLES:
                    raise InputError(f"unknown role '{fld}' for {fname}", file=str(path),
                                     hint=f"use one of: {', '.join(sorted(ROLES))}")  # fmt: skip
            elif fld is not None and fld not in valid:
                raise InputError(f"unknown field '{fld}' for {fname}", file=str(path), column=str(col),
                                 hint="use a canonical field name (listed at the top) or null")  # fmt: skip
    return {str(k): {str(c): f for c, f in v.items()} for k, v in doc.items()}
