"""Turning model text into a validated pydantic object, with a bounded re-ask on failure.

Shared by the OpenAI-compatible client and the scripted fake so both behave the same: the reply
is cut down to its JSON object (code fences and chatter around it are tolerated), validated with
`model_validate(..., context=validation_context)` so grounding validators run inside parsing,
and on failure the model is asked again with the failures listed, at most `max_reasks` times.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from agent.llm.errors import LLMOutputError

T = TypeVar("T", bound=BaseModel)

JSON_INSTRUCTION = (
    "Reply with one JSON object only (no prose, no code fences) that validates against this "
    "JSON schema:\n{schema}"
)
REASK = (
    "Your previous reply was not accepted. Failures:\n{failures}\n"
    "Reply again with one corrected JSON object only. Use only ids given in the input."
)


@dataclass
class Reply:
    """One raw completion: its text and token usage."""

    content: str | None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    refusal: str | None = None


@dataclass
class Outcome:
    """The accepted object plus totals over every request made for it."""

    parsed: Any
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failures: list[str] = field(default_factory=list)


def schema_text(response_model: type[BaseModel]) -> str:
    return json.dumps(response_model.model_json_schema(), sort_keys=True)


def extract_json(text: str) -> Any:
    """The first complete JSON object in `text`; raises ValueError with a plain reason."""
    start = text.find("{")
    if start < 0:
        raise ValueError("the reply contains no JSON object")
    decoder = json.JSONDecoder()
    try:
        obj, _ = decoder.raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise ValueError(f"the reply is not valid JSON ({exc.msg} at position {exc.pos})") from exc
    return obj


def validation_failures(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err.get("loc", ())) or "reply"
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        out.append(f"{loc}: {msg}")
    return out


def parse_reply(
    reply: Reply, response_model: type[T], context: dict[str, Any] | None
) -> tuple[T | None, list[str]]:
    """Validate one reply; returns (object, []) or (None, failures)."""
    if reply.refusal:
        return None, [f"the model refused: {reply.refusal}"]
    if not reply.content:
        return None, ["the reply was empty"]
    try:
        data = extract_json(reply.content)
    except ValueError as exc:
        return None, [str(exc)]
    try:
        return response_model.model_validate(data, context=context), []
    except ValidationError as exc:
        return None, validation_failures(exc)


def ask_until_valid(
    ask: Callable[[list[dict[str, str]]], Reply],
    messages: list[dict[str, str]],
    response_model: type[T],
    context: dict[str, Any] | None,
    max_reasks: int,
) -> Outcome:
    """Ask, validate, re-ask with the failures listed; raise LLMOutputError when out of tries."""
    convo = list(messages)
    outcome = Outcome(parsed=None)
    for attempt in range(max_reasks + 1):
        reply = ask(convo)
        outcome.requests += 1
        outcome.prompt_tokens += reply.prompt_tokens
        outcome.completion_tokens += reply.completion_tokens
        parsed, failures = parse_reply(reply, response_model, context)
        if parsed is not None:
            outcome.parsed = parsed
            return outcome
        outcome.failures = failures
        if attempt < max_reasks:
            convo = [
                *convo,
                {"role": "assistant", "content": reply.content or ""},
                {
                    "role": "user",
                    "content": REASK.format(failures="\n".join(f"- {f}" for f in failures)),
                },
            ]
    raise LLMOutputError(
        f"the model's reply failed validation after {max_reasks + 1} attempts: "
        + "; ".join(outcome.failures[:5]),
        outcome.failures,
        requests=outcome.requests,
    )
