"""RunContext: everything a run needs, injected into nodes through LangGraph's context_schema.

Nodes never read the environment, the clock or global clients; the CLI builds one RunContext.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agent.artifacts import RunFolder


def _silent(_stage: str, _message: str) -> None:
    return None


@dataclass(frozen=True)
class RunContext:
    run: RunFolder
    llm: Any  # agent.llm protocol implementation (offline by default)
    llm_mode: str  # "offline" | "openai:<model>" — shown in the document header
    embed: Callable[[list[str]], Any] | None = None  # text -> unit vectors, offline MiniLM
    progress: Callable[[str, str], None] = _silent
    versions: dict[str, str] = field(default_factory=dict)
    llm_settings: dict[str, object] = field(default_factory=dict)  # no secrets
    concurrency: int = 4  # cap on parallel branches (LLM calls) at invoke time
