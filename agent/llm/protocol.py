"""The one protocol every stage talks to, and the values that cross it.

`LLM.generate(prompt, response_model, validation_context)` takes a rendered prompt (see
`agent.llm.prompts`) and a pydantic model, and returns `LLMResult` holding the parsed, validated
object plus accounting (model, tokens, latency, cache hit, number of HTTP requests). Validation
context is handed to pydantic (`model_validate(..., context=...)`) so grounding validators run
inside parsing. Implementations compose: cache -> budgeted OpenAI-compatible client, offline,
scripted fake, and a logging wrapper on top.
"""

from __future__ import annotations

import hashlib
from typing import Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T", bound=BaseModel)
Mode = Literal["llm", "offline", "fake"]
StructuredMode = Literal["json_schema", "json_object", "prompt"]


class RenderedPrompt(BaseModel):
    """A prompt ready to send: both bodies rendered, plus what identifies it for cache and log.

    `offline` is the caller-supplied deterministic answer used when no endpoint is configured;
    it is never sent to a model.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    version: int
    role: str  # "draft" | "extract": picks the per-role model
    output_model: str
    template_hash: str  # sha256 of the prompt file
    system: str
    user: str
    offline: dict[str, Any] | None = None

    @property
    def text_hash(self) -> str:
        """sha256 over the rendered bodies (i.e. template plus inputs)."""
        h = hashlib.sha256(self.system.encode("utf-8"))
        h.update(b"\x1f")
        h.update(self.user.encode("utf-8"))
        return h.hexdigest()


class LLMResult(BaseModel, Generic[T]):
    """A validated answer and what it cost."""

    parsed: T
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    cache_hit: bool = False
    prompt_id: str = ""
    prompt_version: int = 0
    mode: Mode = "llm"
    calls: int = 0  # HTTP requests made for this answer (0 on a cache hit or offline)
    structured_mode: StructuredMode | None = None
    reasks: int = 0
    failures: list[str] = Field(default_factory=list)  # validation failures that were re-asked


class LLM(Protocol):
    """Anything that turns a rendered prompt into a validated pydantic object."""

    def generate(
        self,
        prompt: RenderedPrompt,
        response_model: type[T],
        validation_context: dict[str, Any] | None = None,
    ) -> LLMResult[T]: ...
