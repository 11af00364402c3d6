"""What every gate reads: the parsed document, the run's artifacts, and shared lookups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evals.markdown import ParsedDoc, Unit
from evals.report import Failure
from evals.rundata import RunData
from tools.models import Stat


@dataclass
class Context:
    doc: ParsedDoc
    run: RunData

    def cited_stats(self, unit: Unit) -> list[Stat]:
        return [self.run.stats[i] for i in unit.cites if i in self.run.stats]

    def fail(self, gate: str, rule: str, unit: Unit | None, **kw: Any) -> Failure:
        """A Failure located at `unit` (sentence, section, line filled in)."""
        if unit is None:
            return Failure(gate=gate, rule=rule, **kw)
        section = unit.h2 + (f" / {unit.h3}" if unit.h3 else "")
        fields: dict[str, object] = {
            "section": section,
            "line": unit.line,
            "sentence": unit.short(),
        }
        fields.update(kw)
        return Failure(gate=gate, rule=rule, **fields)  # type: ignore[arg-type]
