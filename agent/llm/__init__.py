"""The LLM boundary: one protocol, composable implementations, one factory (see STYLE.md)."""

from agent.llm.errors import (
    BudgetExceeded,
    LLMConfigError,
    LLMError,
    LLMOutputError,
    LLMUnavailable,
    OfflineUnavailable,
    UnscriptedCall,
)
from agent.llm.protocol import LLM, LLMResult, RenderedPrompt

__all__ = [
    "LLM",
    "BudgetExceeded",
    "LLMConfigError",
    "LLMError",
    "LLMOutputError",
    "LLMResult",
    "LLMUnavailable",
    "OfflineUnavailable",
    "RenderedPrompt",
    "UnscriptedCall",
]
