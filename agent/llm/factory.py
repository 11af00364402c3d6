"""`make_llm(settings, run_dir)`: the one place that picks and composes LLM implementations.

openai mode: Logging(Cache(OpenAICompatLLM with a Budget)); offline mode: Logging(Offline). The
call log goes to `<run_dir>/llm_calls.jsonl`. The returned object also exposes `.mode`,
`.budget` and `.describe()` so the CLI and the manifest can say which path a run took.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from agent.llm.budget import Budget, BudgetLimits
from agent.llm.cache import CachedLLM
from agent.llm.logging_llm import LoggingLLM
from agent.llm.offline import OfflineLLM
from agent.llm.openai_compat import OpenAICompatLLM
from agent.llm.protocol import LLMResult, RenderedPrompt
from agent.settings import LLMSettings

T = TypeVar("T", bound=BaseModel)
CALL_LOG = "llm_calls.jsonl"


class RunLLM:
    """The composed LLM for one run, plus what the CLI and manifest need to know about it."""

    def __init__(
        self,
        inner: LoggingLLM,
        mode: Literal["offline", "openai"],
        budget: Budget,
        model_for: Callable[[RenderedPrompt], str],
        description: str,
    ) -> None:
        self.inner = inner
        self.mode = mode
        self.budget = budget
        self.model_for = model_for
        self._description = description

    def describe(self) -> str:
        return self._description

    def generate(
        self,
        prompt: RenderedPrompt,
        response_model: type[T],
        validation_context: dict[str, Any] | None = None,
    ) -> LLMResult[T]:
        return self.inner.generate(prompt, response_model, validation_context)


def make_llm(
    settings: LLMSettings,
    run_dir: Path,
    *,
    sleep: Callable[[float], None] | None = None,
) -> RunLLM:
    """Build the run's LLM from settings; nothing here touches the network."""
    log = Path(run_dir) / CALL_LOG
    budget = Budget(
        BudgetLimits(
            max_calls=settings.max_calls,
            max_tokens=settings.max_tokens,
            max_cost_usd=settings.max_cost_usd,
            usd_per_mtok_input=settings.usd_per_mtok_input,
            usd_per_mtok_output=settings.usd_per_mtok_output,
        )
    )
    if settings.resolved_mode() == "offline":
        offline = OfflineLLM()
        return RunLLM(
            LoggingLLM(offline, log, offline.model_for),
            "offline",
            budget,
            offline.model_for,
            "offline (no LLM endpoint configured; deterministic drafting)",
        )
    cache_dir = settings.resolved_cache_dir()
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    extra: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
    client = OpenAICompatLLM(
        model=settings.model,
        base_url=settings.openai_base_url,
        api_key=key,
        role_models=settings.role_models(),
        timeout_s=settings.timeout_s,
        max_attempts=settings.max_attempts,
        max_reasks=settings.max_reasks,
        budget=budget,
        capability_file=cache_dir / "capabilities.json",
        **extra,
    )
    cached = CachedLLM(client, cache_dir, client.model_for)
    return RunLLM(
        LoggingLLM(cached, log, client.model_for),
        "openai",
        budget,
        client.model_for,
        f"LLM {settings.model} at {client.base_url}",
    )
