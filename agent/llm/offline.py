"""The deterministic default when no endpoint is configured: it answers, but never pretends.

It returns the offline answer the caller put into the prompt (`RenderedPrompt.offline`), validated
like any reply, with `mode="offline"` and model "offline" so documents and logs say plainly that
no model wrote the text. A prompt without an offline answer raises `OfflineUnavailable`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from agent.llm.errors import OfflineUnavailable
from agent.llm.protocol import LLMResult, RenderedPrompt

T = TypeVar("T", bound=BaseModel)


class OfflineLLM:
    """`LLM` that makes no calls."""

    def model_for(self, prompt: RenderedPrompt) -> str:
        return "offline"

    def generate(
        self,
        prompt: RenderedPrompt,
        response_model: type[T],
        validation_context: dict[str, Any] | None = None,
    ) -> LLMResult[T]:
        if prompt.offline is None:
            raise OfflineUnavailable(f"no offline answer for prompt {prompt.id}")
        try:
            # No grounding context here: the offline answer is the caller's own deterministic text.
            parsed = response_model.model_validate(prompt.offline)
        except ValidationError as exc:
            raise OfflineUnavailable(
                f"the offline answer for prompt {prompt.id} does not fit "
                f"{response_model.__name__}: {exc.error_count()} errors"
            ) from exc
        return LLMResult[response_model](  # type: ignore[valid-type]
            parsed=parsed,
            model="offline",
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            mode="offline",
        )
