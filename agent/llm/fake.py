"""A strict scripted `LLM` for tests: replies come from a script, anything else is a test bug.

Script entries are consumed in order, optionally per prompt id: a dict or pydantic object (sent
as JSON), a raw string (sent as is, e.g. malformed JSON), or an exception instance (raised). A
call with no entry left raises `UnscriptedCall`. Replies go through the same parse-and-re-ask
path as the real client, so grounding validators and the bounded repair round behave the same.
Every call is recorded in `calls`.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from agent.llm.errors import UnscriptedCall
from agent.llm.protocol import LLMResult, RenderedPrompt
from agent.llm.structured import Reply, ask_until_valid

T = TypeVar("T", bound=BaseModel)
Entry = dict[str, Any] | BaseModel | str | BaseException


@dataclass
class FakeCall:
    prompt: RenderedPrompt
    messages: list[dict[str, str]]


class FakeLLM:
    """Scripted replies; `FakeLLM([...])` for any prompt, or `FakeLLM({"draft.persona": [...]})`."""

    def __init__(
        self, script: list[Entry] | dict[str, list[Entry]], max_reasks: int = 1, model: str = "fake"
    ) -> None:
        if isinstance(script, dict):
            self._queues = {k: deque(v) for k, v in script.items()}
        else:
            self._queues = {"*": deque(script)}
        self.max_reasks = max_reasks
        self.model = model
        self.calls: list[FakeCall] = []
        self._lock = threading.Lock()

    def model_for(self, prompt: RenderedPrompt) -> str:
        return self.model

    def remaining(self) -> int:
        return sum(len(q) for q in self._queues.values())

    def _next(self, prompt: RenderedPrompt) -> Entry:
        with self._lock:
            queue = self._queues.get(prompt.id) or self._queues.get("*")
            if not queue:
                raise UnscriptedCall(f"unscripted LLM call for prompt {prompt.id}")
            return queue.popleft()

    def generate(
        self,
        prompt: RenderedPrompt,
        response_model: type[T],
        validation_context: dict[str, Any] | None = None,
    ) -> LLMResult[T]:
        def ask(convo: list[dict[str, str]]) -> Reply:
            entry = self._next(prompt)
            with self._lock:
                self.calls.append(FakeCall(prompt=prompt, messages=list(convo)))
            if isinstance(entry, BaseException):
                raise entry
            if isinstance(entry, BaseModel):
                text = entry.model_dump_json()
            elif isinstance(entry, str):
                text = entry
            else:
                text = json.dumps(entry)
            return Reply(content=text, prompt_tokens=len(str(convo)) // 4, completion_tokens=10)

        messages = [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ]
        outcome = ask_until_valid(
            ask, messages, response_model, validation_context, self.max_reasks
        )
        return LLMResult[response_model](  # type: ignore[valid-type]
            parsed=outcome.parsed,
            model=self.model,
            prompt_tokens=outcome.prompt_tokens,
            completion_tokens=outcome.completion_tokens,
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            mode="fake",
            calls=outcome.requests,
            reasks=outcome.requests - 1,
            failures=outcome.failures,
        )
