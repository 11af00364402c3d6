"""Shared helpers for tests over the hand-made eval run folder (tests/fixtures/evalrun)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from evals.runner import run_gates

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "evalrun"


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evalrun_builder", FIXTURE / "builder.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


builder = _load_builder()


def edit(run_dir: Path, old: str, new: str) -> None:
    """Hand-edit ICP.md once, as a user would; the old text must be there."""
    p = run_dir / "ICP.md"
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def failures(run_dir: Path, gate: str):  # noqa: ANN201 - list of evals.report.Failure
    return run_gates(run_dir).gate(gate).failures
