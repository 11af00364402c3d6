"""Load a run folder's artifacts the gates check `ICP.md` against.

Shapes (also in evals/README.md): `stats.json` = list of `Stat`; `evidence.jsonl` = one
`Evidence` per line; `tiers.json` = `{"tiers": [Tier...], "negative": [NegativeSignal...]}`;
`patterns.json` = `{"tests": [PatternTest...]}` (a bare list is accepted); `personas.json` =
list of `Persona` (or `{"personas": [...]}`). `tiers.json`, `patterns.json` and `personas.json`
may be absent (the structure gate then reports what it could not check); `ICP.md`, `stats.json`
and `evidence.jsonl` are required. A missing folder or unreadable artifact is an `InputError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tools.errors import InputError
from tools.models import Evidence, NegativeSignal, PatternTest, Persona, Stat, Tier

REQUIRED = ("ICP.md", "stats.json", "evidence.jsonl")


@dataclass
class RunData:
    """Everything the gates need from one run folder."""

    out_dir: Path
    icp_text: str
    stats: dict[str, Stat]
    evidence: dict[str, Evidence]
    tiers: list[Tier] = field(default_factory=list)
    negative: list[NegativeSignal] = field(default_factory=list)
    patterns: list[PatternTest] = field(default_factory=list)
    personas: list[Persona] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # optional artifacts not found
    _sources: dict[str, str | None] = field(default_factory=dict)

    def source_path(self, ev: Evidence) -> Path:
        """Absolute `source` as recorded; a relative one is read relative to the run folder."""
        p = Path(ev.source)
        return p if p.is_absolute() else self.out_dir / p

    def source_text(self, ev: Evidence) -> str | None:
        """The source file as the evidence extractor read it (UTF-8, BOM stripped, newline='')."""
        key = str(self.source_path(ev))
        if key not in self._sources:
            try:
                with open(key, encoding="utf-8-sig", newline="") as fh:
                    self._sources[key] = fh.read()
            except (OSError, UnicodeDecodeError):
                self._sources[key] = None
        return self._sources[key]

    def with_text(self, icp_text: str) -> RunData:
        """The same run with another ICP.md text (mutations); source cache is shared."""
        return RunData(
            self.out_dir, icp_text, self.stats, self.evidence, self.tiers, self.negative,
            self.patterns, self.personas, self.missing, self._sources,
        )  # fmt: skip


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            f"cannot read JSON: {exc}", file=str(path), hint="re-run the build that wrote it"
        ) from exc


def _models(path: Path, items: Any, model: type[BaseModel], row_offset: int = 1) -> list[Any]:
    if not isinstance(items, list):
        raise InputError("expected a JSON list", file=str(path), hint="see evals/README.md")
    out = []
    for i, item in enumerate(items):
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            raise InputError(
                f"not a valid {model.__name__}: {exc.errors()[0]['msg']}",
                file=str(path), row=i + row_offset, hint="see evals/README.md for the shape",
            ) from exc  # fmt: skip
    return out


def _read_evidence(path: Path) -> dict[str, Evidence]:
    out: dict[str, Evidence] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            ev = Evidence.model_validate_json(line)
        except ValidationError as exc:
            raise InputError(
                f"not a valid Evidence line: {exc.errors()[0]['msg']}",
                file=str(path), row=no, hint="one Evidence JSON object per line",
            ) from exc  # fmt: skip
        out[ev.id] = ev
    return out


def _unwrap(data: Any, key: str) -> Any:
    return data.get(key, []) if isinstance(data, dict) else data


def load_run(out_dir: Path) -> RunData:
    """Read a run folder; raise `InputError` if it or a required artifact is missing/invalid."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InputError(
            "run folder not found", file=str(out_dir), hint="pass the --out folder of `icp build`"
        )
    for name in REQUIRED:
        if not (out_dir / name).is_file():
            raise InputError(
                f"{name} is missing from the run folder",
                file=str(out_dir), hint="run `icp build` to completion first",
            )  # fmt: skip
    stats = _models(out_dir / "stats.json", _read_json(out_dir / "stats.json"), Stat)
    run = RunData(
        out_dir=out_dir,
        icp_text=(out_dir / "ICP.md").read_text(encoding="utf-8-sig"),
        stats={s.id: s for s in stats},
        evidence=_read_evidence(out_dir / "evidence.jsonl"),
    )
    tiers_path = out_dir / "tiers.json"
    if tiers_path.is_file():
        data = _read_json(tiers_path)
        run.tiers = _models(tiers_path, _unwrap(data, "tiers"), Tier)
        neg = data.get("negative", []) if isinstance(data, dict) else []
        run.negative = _models(tiers_path, neg, NegativeSignal)
    else:
        run.missing.append("tiers.json")
    pat_path = out_dir / "patterns.json"
    if pat_path.is_file():
        run.patterns = _models(pat_path, _unwrap(_read_json(pat_path), "tests"), PatternTest)
    else:
        run.missing.append("patterns.json")
    per_path = out_dir / "personas.json"
    if per_path.is_file():
        run.personas = _models(per_path, _unwrap(_read_json(per_path), "personas"), Persona)
    else:
        run.missing.append("personas.json")
    return run
