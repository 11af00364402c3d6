"""Typed errors of the LLM boundary, each worded for the person running the build.

Callers (drafting, extraction) catch `LLMError` and fall back to offline text; the message is
what the document's flag and the CLI show, so it must be plain words and never hold a secret.
"""

from __future__ import annotations


class LLMError(Exception):
    """Base class: the LLM could not produce a usable answer for this call."""


class LLMConfigError(LLMError):
    """Permanent misconfiguration (rejected key, unknown model, bad request): never retried."""


class LLMUnavailable(LLMError):
    """Transient faults persisted past the bounded retries (rate limits, timeouts, 5xx)."""


class LLMOutputError(LLMError):
    """The model's replies failed validation even after the bounded re-ask."""

    def __init__(self, message: str, failures: list[str] | None = None, requests: int = 0) -> None:
        self.failures = list(failures or [])
        self.requests = requests
        super().__init__(message)


class BudgetExceeded(LLMError):
    """The per-run budget (calls, tokens or cost) is spent; the rest of the run goes offline."""


class OfflineUnavailable(LLMError):
    """Offline mode was asked for an answer the caller supplied no offline version of."""


class UnscriptedCall(AssertionError):
    """The scripted fake received a call its script does not cover (a test bug)."""
