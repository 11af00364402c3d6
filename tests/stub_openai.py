"""A local HTTP stub of the OpenAI chat-completions API, scriptable per test.

Started on 127.0.0.1 with an ephemeral port. Each request to `/v1/chat/completions` takes the
next scripted `StubReply` (or asks `responder`, or answers 500 "unscripted" so a test notices).
Modes mimic real servers: `reject_json_schema` answers HTTP 500 to `response_format:
json_schema` like llama.cpp's server; `plain_text_only` answers 400 to any `response_format` and
wraps JSON replies in prose. `latency_s` delays every reply (benchmarks). Requests and counters
are recorded so tests can assert how many HTTP calls were made. Also provides the
`only_localhost` fixture that blocks every connection except to the loopback interface.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class StubReply:
    content: str | dict[str, Any] | None = None  # dict -> JSON text
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    message: str = "stub error"
    prompt_tokens: int = 50
    completion_tokens: int = 20


Responder = Callable[[dict[str, Any]], "StubReply | dict[str, Any] | str"]


class StubOpenAI:
    """The stub server; use as a context manager or call start()/stop()."""

    def __init__(
        self,
        *,
        reject_json_schema: bool = False,
        plain_text_only: bool = False,
        latency_s: float = 0.0,
        responder: Responder | None = None,
    ) -> None:
        self.reject_json_schema = reject_json_schema
        self.plain_text_only = plain_text_only
        self.latency_s = latency_s
        self.responder = responder
        self.requests: list[dict[str, Any]] = []
        self.completions = 0  # 200 replies served
        self._queue: deque[StubReply] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- scripting ---------------------------------------------------------------------------
    def script(self, *replies: StubReply | dict[str, Any] | str) -> StubOpenAI:
        with self._lock:
            self._queue.extend(_as_reply(r) for r in replies)
        return self

    @property
    def hits(self) -> int:
        with self._lock:
            return len(self.requests)

    @property
    def url(self) -> str:
        assert self._server is not None, "stub not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> StubOpenAI:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                return

            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                status, payload, headers = stub._answer(self.path, body)
                data = json.dumps(payload).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # client timed out and left
                    return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> StubOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- behaviour ---------------------------------------------------------------------------
    def _answer(self, path: str, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            self.requests.append(body)
        if not path.endswith("/chat/completions"):
            return 404, _error(404, f"unknown path {path}", "not_found"), {}
        fmt = (body.get("response_format") or {}).get("type")
        if self.reject_json_schema and fmt == "json_schema":
            # What llama.cpp's server does with an OpenAI-style json_schema response_format.
            return (
                500,
                _error(500, "Unsupported response_format type json_schema", "server_error"),
                {},
            )
        if self.plain_text_only and fmt:
            return 400, _error(400, "response_format is not supported", "invalid_request_error"), {}
        reply = self._next(body)
        wait = reply.delay_s + self.latency_s
        if wait:
            self._stop.wait(wait)
        if reply.status != 200:
            return reply.status, _error(reply.status, reply.message, "error"), reply.headers
        with self._lock:
            self.completions += 1
        content = (
            reply.content
            if isinstance(reply.content, str) or reply.content is None
            else json.dumps(reply.content)
        )
        if self.plain_text_only and content is not None:
            content = f"Sure! Here is the JSON:\n```json\n{content}\n```"
        return 200, _completion(body.get("model", "?"), content, reply), reply.headers

    def _next(self, body: dict[str, Any]) -> StubReply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.responder is not None:
            return _as_reply(self.responder(body))
        return StubReply(status=500, message="stub: no scripted reply left (test bug)")


def _as_reply(r: StubReply | dict[str, Any] | str) -> StubReply:
    return r if isinstance(r, StubReply) else StubReply(content=r)


def _error(status: int, message: str, kind: str) -> dict[str, Any]:
    return {"error": {"code": status, "message": message, "type": kind}}


def _completion(model: str, content: str | None, reply: StubReply) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }


@pytest.fixture
def only_localhost(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Refuse every socket connection that is not to the loopback interface; clear LLM env."""
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in LOOPBACK:
            raise ConnectionRefusedError(f"network blocked in tests: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ICP_LLM", "ICP_MODEL", "ICP_CACHE_DIR"):
        monkeypatch.delenv(var, raising=False)
    yield


@pytest.fixture
def stub() -> Iterator[StubOpenAI]:
    with StubOpenAI() as server:
        yield server


_FACT_ID_RE = re.compile(r'<fact id="(s-[0-9a-f]{8})"')
_QUOTE_ID_RE = re.compile(r'<quote id="(q-[0-9a-f]{8})"')
_EVIDENCE_RE = re.compile(
    r'<evidence id="(q-[0-9a-f]{8})" speaker_role="interviewee"[^>]*>([^<]*)<'
)


def grounded_responder(body: dict[str, Any]) -> dict[str, Any]:
    """A well-behaved model for whole-build runs: grounded replies to any of our prompts.

    Drafting prompts get two sentences citing the first fact (with its placeholder) and the
    first quote; extraction prompts get one pain per interviewee item, quoting its first words.
    """
    user = body["messages"][1]["content"]
    if "<interview>" in user:
        items = [
            {"kind": "pain", "evidence_id": eid, "quote": " ".join(text.split()[:4])}
            for eid, text in _EVIDENCE_RE.findall(user)
            if len(text.split()) >= 4
        ]
        return {"decision_role": None, "role_reason": "", "items": items[:5]}
    facts, quotes = _FACT_ID_RE.findall(user), _QUOTE_ID_RE.findall(user)
    sentences = []
    if facts:
        sentences.append(
            {"text": f"This group stands out at {{{facts[0]}}}.", "stat_ids": [facts[0]]}
        )
    if quotes:
        sentences.append(
            {"text": "Customers describe this in their own words.", "quote_ids": [quotes[0]]}
        )
    return {"sentences": sentences or [{"text": "No evidence was given.", "stat_ids": []}]}


_MESSAGE_RE = re.compile(r"<message>(.*)</message>", re.S)
_ANSWER_RE = re.compile(r"<answer>(.*)</answer>", re.S)
_CITE_RE = re.compile(r"\[\^([sq]-[0-9a-f]{8})\]")
_COMPONENTS = ("revenue", "retention", "expansion", "satisfaction", "support_burden",
               "time_to_close", "referrals")  # fmt: skip
WORKSHOP_LEAD = "The stub model read this answer, and the cited data backs it"


def workshop_responder(body: dict[str, Any]) -> dict[str, Any]:
    """`grounded_responder` plus the workshop chat's own prompts (agent.workshop.llm_chat).

    Intent prompts: a message naming a health component and a number becomes `set weight NAME N`;
    anything else gets `{"command": ""}` (the chat falls back to its offline parser). Answer-lead
    prompts: one sentence starting with `WORKSHOP_LEAD` that cites the answer's first id (no
    numbers, no quotes), or an empty lead when the answer cites nothing.
    """
    system, user = body["messages"][0]["content"], body["messages"][1]["content"]
    if "translate a marketer's message" in system:
        found = _MESSAGE_RE.search(user)
        text = (found.group(1) if found else user).lower()
        name = next((c for c in _COMPONENTS if c in text.replace(" ", "_")), None)
        value = re.search(r"\b(\d{1,3})\b", text)
        return {"command": f"set weight {name} {value.group(1)}" if name and value else ""}
    if "plain-English lead for the answer" in system:
        found = _ANSWER_RE.search(user)
        cite = _CITE_RE.search(found.group(1) if found else "")
        return {"text": f"{WORKSHOP_LEAD} [^{cite.group(1)}]." if cite else ""}
    return grounded_responder(body)
