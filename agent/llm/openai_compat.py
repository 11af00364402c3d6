"""The client for any OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama, llama.cpp, vLLM).

Retries have one owner, tenacity: only transient faults (429, timeouts, connection errors, 5xx)
are retried, with exponential backoff plus jitter and at least the server's Retry-After; the
SDK's own retries are off. 400/401/403/404 are never retried and become `LLMConfigError` in plain
words. Structured output is tried as `json_schema`, then `{"type": "json_object", "schema": ...}`
(what llama.cpp accepts), then plain JSON instructions in the prompt; the first mode a server
accepts is remembered per endpoint+model in memory and in the cache directory. Replies are
validated by pydantic with a bounded re-ask (see `agent.llm.structured`).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import openai
from pydantic import BaseModel
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from agent.llm.budget import Budget
from agent.llm.errors import LLMConfigError, LLMError, LLMUnavailable
from agent.llm.protocol import LLMResult, RenderedPrompt, StructuredMode
from agent.llm.structured import JSON_INSTRUCTION, Reply, ask_until_valid, schema_text

T = TypeVar("T", bound=BaseModel)
MODES: tuple[StructuredMode, ...] = ("json_schema", "json_object", "prompt")
OUTAGE_LIMIT = 2
FORMAT_WORDS = ("response_format", "json_schema", "json schema", "schema", "grammar")

# The one piece of process-wide state: which structured-output mode each endpoint+model accepts.
_CAPABILITIES: dict[str, StructuredMode] = {}
_CAP_LOCK = threading.Lock()


def forget_capabilities() -> None:
    """Clear the in-memory capability memo (tests; a server upgrade)."""
    with _CAP_LOCK:
        _CAPABILITIES.clear()


class _FormatRejected(Exception):
    """The server refused the requested response_format; try the next mode."""


def _status(exc: BaseException) -> int | None:
    return getattr(exc, "status_code", None)


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError | openai.RateLimitError):
        return True
    status = _status(exc)
    return status is not None and (status == 429 or status >= 500)


def _mentions_format(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(w in text for w in FORMAT_WORDS)


def retry_after_s(exc: BaseException) -> float:
    """Seconds the server asked us to wait (Retry-After / retry-after-ms), else 0."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        if headers.get("retry-after"):
            return max(0.0, float(headers["retry-after"]))
    except (TypeError, ValueError):
        return 0.0
    return 0.0


class OpenAICompatLLM:
    """`LLM` over the openai SDK; one instance per run, safe to share between threads."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        role_models: dict[str, str] | None = None,
        timeout_s: float = 60.0,
        max_attempts: int = 4,
        max_reasks: int = 1,
        max_wait_s: float = 60.0,
        budget: Budget | None = None,
        capability_file: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.model = model
        self.role_models = dict(role_models or {})
        self.base_url = base_url or "https://api.openai.com/v1"
        self.timeout_s = timeout_s
        self.max_attempts = max_attempts
        self.max_reasks = max_reasks
        self.max_wait_s = max_wait_s
        self.budget = budget or Budget()
        self.capability_file = capability_file
        self._sleep = sleep
        self._clock = clock
        self._dead: dict[str, LLMError] = {}
        self._outages = 0  # consecutive calls that exhausted their retries
        self._client = openai.OpenAI(
            api_key=api_key or "not-needed", base_url=base_url, max_retries=0, timeout=timeout_s
        )
        self._load_capabilities()

    def model_for(self, prompt: RenderedPrompt) -> str:
        return self.role_models.get(prompt.role) or self.model

    # --- capability memo -------------------------------------------------------------------
    def _cap_key(self, model: str) -> str:
        return f"{self.base_url}|{model}"

    def _load_capabilities(self) -> None:
        if self.capability_file is None or not self.capability_file.exists():
            return
        try:
            stored = json.loads(self.capability_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        with _CAP_LOCK:
            for key, mode in stored.items():
                if mode in MODES:
                    _CAPABILITIES.setdefault(key, mode)

    def _remember(self, model: str, mode: StructuredMode) -> None:
        with _CAP_LOCK:
            _CAPABILITIES[self._cap_key(model)] = mode
            if self.capability_file is None:
                return
            mine = {k: v for k, v in _CAPABILITIES.items() if k.startswith(f"{self.base_url}|")}
            self.capability_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.capability_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(mine, indent=2, sort_keys=True), encoding="utf-8")
            tmp.replace(self.capability_file)

    def structured_mode(self, model: str) -> StructuredMode:
        with _CAP_LOCK:
            return _CAPABILITIES.get(self._cap_key(model), "json_schema")

    # --- the protocol ----------------------------------------------------------------------
    def generate(
        self,
        prompt: RenderedPrompt,
        response_model: type[T],
        validation_context: dict[str, Any] | None = None,
    ) -> LLMResult[T]:
        model = self.model_for(prompt)
        for key in ("*", model):
            if key in self._dead:
                raise self._dead[key]
        started = self._clock()
        mode_used: list[StructuredMode] = []

        def ask(convo: list[dict[str, str]]) -> Reply:
            mode = self.structured_mode(model)
            while True:
                try:
                    reply = self._request(convo, model, mode, response_model)
                except _FormatRejected:
                    mode = MODES[MODES.index(mode) + 1]
                    self._remember(model, mode)
                    continue
                mode_used.append(mode)
                return reply

        messages = [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ]
        try:
            outcome = ask_until_valid(
                ask, messages, response_model, validation_context, self.max_reasks
            )
        except LLMUnavailable as exc:
            self._note_outage(exc)
            raise
        self._outages = 0
        return LLMResult[response_model](  # type: ignore[valid-type]
            parsed=outcome.parsed,
            model=model,
            prompt_tokens=outcome.prompt_tokens,
            completion_tokens=outcome.completion_tokens,
            latency_s=round(self._clock() - started, 6),
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            mode="llm",
            calls=outcome.requests,
            structured_mode=mode_used[-1] if mode_used else None,
            reasks=outcome.requests - 1,
            failures=outcome.failures,
        )

    def _note_outage(self, exc: LLMUnavailable) -> None:
        """After OUTAGE_LIMIT calls in a row fail for good, stop calling: the rest goes offline."""
        self._outages += 1
        if self._outages >= OUTAGE_LIMIT:
            self._dead["*"] = LLMUnavailable(f"{exc} (giving up on the endpoint for this run)")

    # --- one request, retried ----------------------------------------------------------------
    def _wait(self, state: RetryCallState) -> float:
        backoff = wait_exponential_jitter(initial=0.5, max=self.max_wait_s, jitter=0.5)(state)
        exc = state.outcome.exception() if state.outcome else None
        server = retry_after_s(exc) if exc else 0.0
        # Retry-After wins over our backoff; capped so a hostile header cannot stall the run.
        return max(backoff, min(server, 300.0))

    def _request(
        self, convo: list[dict[str, str]], model: str, mode: StructuredMode, rm: type[BaseModel]
    ) -> Reply:
        messages = [dict(m) for m in convo]
        kwargs: dict[str, Any] = {}
        schema = rm.model_json_schema()
        if mode == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": rm.__name__, "schema": schema, "strict": False},
            }
        else:
            messages[0]["content"] += "\n\n" + JSON_INSTRUCTION.format(schema=schema_text(rm))
            if mode == "json_object":
                kwargs["response_format"] = {"type": "json_object", "schema": schema}

        def rejected(exc: BaseException) -> bool:
            status = _status(exc)
            return (
                mode != "prompt" and status in (400, 415, 422, 500, 501) and _mentions_format(exc)
            )

        def once() -> Any:
            self.budget.check()
            return self._client.chat.completions.create(
                model=model,
                messages=messages,  # type: ignore[arg-type]
                temperature=0,
                **kwargs,
            )

        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(lambda e: is_transient(e) and not rejected(e)),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            completion = retrying(once)
        except openai.APIError as exc:
            if rejected(exc):
                raise _FormatRejected(str(exc)) from exc
            raise self._plain_error(exc, model) from exc
        return self._to_reply(completion)

    def _to_reply(self, completion: Any) -> Reply:
        usage = getattr(completion, "usage", None)
        pt = int(getattr(usage, "prompt_tokens", 0) or 0)
        ct = int(getattr(usage, "completion_tokens", 0) or 0)
        self.budget.charge(pt, ct)
        if not completion.choices:
            return Reply(content=None, prompt_tokens=pt, completion_tokens=ct)
        msg = completion.choices[0].message
        return Reply(
            content=msg.content,
            prompt_tokens=pt,
            completion_tokens=ct,
            refusal=getattr(msg, "refusal", None),
        )

    def _plain_error(self, exc: openai.APIError, model: str) -> Exception:
        status = _status(exc)
        where = self.base_url
        if status in (401, 403):
            err = LLMConfigError(
                f"the API key was rejected by {where} (HTTP {status}); check OPENAI_API_KEY"
            )
            self._dead["*"] = err
            return err
        if status == 404:
            err = LLMConfigError(
                f"model {model} does not exist on this server ({where}, HTTP 404); "
                "check ICP_MODEL and OPENAI_BASE_URL"
            )
            self._dead[model] = err
            return err
        if status is not None and status < 500 and status != 429:
            return LLMConfigError(f"{where} refused the request (HTTP {status}): {exc.message}")
        what = (
            "timed out"
            if isinstance(exc, openai.APITimeoutError)
            else (
                "could not be reached"
                if isinstance(exc, openai.APIConnectionError)
                else f"answered HTTP {status}"
            )
        )
        return LLMUnavailable(
            f"the LLM endpoint {where} {what} on {self.max_attempts} attempts in a row"
        )
