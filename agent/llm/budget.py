"""A per-run spending cap shared by every branch of the graph (thread-safe).

The OpenAI-compatible client calls `check()` before each HTTP request and `charge()` after it.
When a cap is reached `BudgetExceeded` is raised with a plain message; drafting and extraction
catch it and fall back to offline text for the remaining sections, so nothing computed is lost.
"""

from __future__ import annotations

import threading

from pydantic import BaseModel

from agent.llm.errors import BudgetExceeded


class BudgetLimits(BaseModel):
    max_calls: int | None = None
    max_tokens: int | None = None
    max_cost_usd: float | None = None
    usd_per_mtok_input: float = 0.0
    usd_per_mtok_output: float = 0.0


class Budget:
    """Counts requests, tokens and cost against `BudgetLimits`."""

    def __init__(self, limits: BudgetLimits | None = None) -> None:
        self.limits = limits or BudgetLimits()
        self.calls = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self._lock = threading.Lock()

    @property
    def cost_usd(self) -> float:
        lim = self.limits
        return (
            self.prompt_tokens * lim.usd_per_mtok_input
            + self.completion_tokens * lim.usd_per_mtok_output
        ) / 1_000_000

    def check(self) -> None:
        """Reserve one request, or raise BudgetExceeded if a cap is already reached."""
        lim = self.limits
        with self._lock:
            if lim.max_calls is not None and self.calls >= lim.max_calls:
                raise BudgetExceeded(
                    f"the LLM budget of {lim.max_calls} calls for this run is spent"
                )
            if lim.max_tokens is not None and self.prompt_tokens + self.completion_tokens >= (
                lim.max_tokens
            ):
                raise BudgetExceeded(
                    f"the LLM budget of {lim.max_tokens} tokens for this run is spent"
                )
            if lim.max_cost_usd is not None and self.cost_usd >= lim.max_cost_usd:
                raise BudgetExceeded(
                    f"the LLM budget of ${lim.max_cost_usd:.2f} for this run is spent"
                )
            self.calls += 1

    def charge(self, prompt_tokens: int, completion_tokens: int) -> None:
        with self._lock:
            self.prompt_tokens += prompt_tokens
            self.completion_tokens += completion_tokens

    def summary(self) -> dict[str, float | int]:
        with self._lock:
            return {
                "calls": self.calls,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "cost_usd": round(self.cost_usd, 6),
            }
