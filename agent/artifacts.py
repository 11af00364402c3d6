"""The run folder: every stage's artifacts, the manifest and the LLM call log.

All writes are deterministic (sorted keys, stable row order) so a rerun with the same inputs
produces the same bytes, except for timings in the manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel


def _default(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if isinstance(obj, set | frozenset | tuple):
        return sorted(obj) if isinstance(obj, set | frozenset) else list(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class RunFolder:
    """Writes artifacts under one output folder; stage files go to `stages/`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stages = root / "stages"

    def prepare(self) -> None:
        """Create the folder; an unwritable place is bad input (exit 2), not a bug."""
        from tools.errors import InputError

        try:
            self.stages.mkdir(parents=True, exist_ok=True)
            probe = self.root / ".write-test"
            probe.write_text("", encoding="utf-8")
            probe.unlink()
        except OSError as exc:
            raise InputError(
                f"cannot write the output folder ({exc.strerror or exc})",
                file=str(self.root),
                hint="choose a folder you can write to with --out",
            ) from exc

    def path(self, name: str) -> Path:
        return self.root / name

    def write_text(self, name: str, text: str) -> Path:
        p = self.root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        return p

    def write_json(self, name: str, data: Any) -> Path:
        text = json.dumps(data, default=_default, indent=2, sort_keys=True, ensure_ascii=False)
        return self.write_text(name, text + "\n")

    def write_jsonl(self, name: str, rows: Iterable[Any]) -> Path:
        lines = [json.dumps(r, default=_default, sort_keys=True, ensure_ascii=False) for r in rows]
        return self.write_text(name, "\n".join(lines) + ("\n" if lines else ""))

    def write_csv(self, name: str, frame: pd.DataFrame) -> Path:
        p = self.root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        out = frame.copy()
        for col in out.columns:
            if out[col].dtype != object:
                continue
            if out[col].map(lambda v: isinstance(v, tuple)).astype(bool).any():
                out[col] = out[col].map(lambda v: "; ".join(v) if isinstance(v, tuple) else v)
        out.to_csv(p, index=False, lineterminator="\n")
        return p

    def stage(self, stage: str, name: str, data: Any) -> Path:
        """Write one stage artifact as JSON (or CSV for DataFrames) under stages/."""
        if isinstance(data, pd.DataFrame):
            return self.write_csv(f"stages/{stage}.{name}.csv", data)
        return self.write_json(f"stages/{stage}.{name}.json", data)
