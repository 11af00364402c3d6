"""A wrapper that appends one line per `generate` call to the run's `llm_calls.jsonl`.

Each line: time, prompt id/version/template hash, model, tokens, latency, cache hit, mode, HTTP
requests made, structured-output mode and outcome ("ok" or the error class). Never a secret,
never a prompt body or reply: those stay in the cache. Safe to share between threads.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from agent.llm.errors import LLMError, LLMOutputError
from agent.llm.protocol import LLM, LLMResult, RenderedPrompt

T = TypeVar("T", bound=BaseModel)


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class LoggingLLM:
    """Delegates to `inner` and logs every call, successful or not."""

    def __init__(
        self,
        inner: LLM,
        log_path: Path,
        model_for: Callable[[RenderedPrompt], str] | None = None,
        now: Callable[[], str] = _utc_now,
    ) -> None:
        self.inner = inner
        self.log_path = Path(log_path)
        self.model_for = model_for or (lambda p: "?")
        self._now = now
        self._lock = threading.Lock()

    def generate(
        self,
        prompt: RenderedPrompt,
        response_model: type[T],
        validation_context: dict[str, Any] | None = None,
    ) -> LLMResult[T]:
        base = {
            "time": self._now(),
            "prompt_id": prompt.id,
            "prompt_version": prompt.version,
            "prompt_hash": prompt.template_hash[:16],
            "response_model": response_model.__name__,
        }
        try:
            result = self.inner.generate(prompt, response_model, validation_context)
        except LLMError as exc:
            calls = exc.requests if isinstance(exc, LLMOutputError) else 0
            self._write(
                {
                    **base,
                    "model": self.model_for(prompt),
                    "calls": calls,
                    "cache_hit": False,
                    "outcome": f"error:{type(exc).__name__}",
                }
            )
            raise
        self._write(
            {
                **base,
                "model": result.model,
                "mode": result.mode,
                "prompt_tokens": result.prompt_tokens,
                "completion_tokens": result.completion_tokens,
                "latency_s": result.latency_s,
                "cache_hit": result.cache_hit,
                "calls": result.calls,
                "reasks": result.reasks,
                "structured_mode": result.structured_mode,
                "outcome": "ok",
            }
        )
        return result

    def _write(self, line: dict[str, Any]) -> None:
        with self._lock:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, sort_keys=True) + "\n")


def read_call_log(path: Path) -> list[dict[str, Any]]:
    """The log's lines as dicts (empty when the file does not exist)."""
    p = Path(path)
    if not p.exists():
        return []
    return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
