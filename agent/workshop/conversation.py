"""The workshop as a LangGraph conversation with a persistent SQLite checkpointer.

One node, `take_turn`, runs the engine on the user's input; the checkpointer stores the session
(plain JSON) after every turn in `<project>/workshop.sqlite` under a thread id fixed per project,
so `--resume` continues where the marketer left off. Interrupting a turn (Ctrl-C) leaves the last
checkpoint untouched. Starting without `--resume` archives the saved session to
`<project>/workshop-archive/` before clearing it, so nothing is ever lost.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass
from typing import Annotated, Any, TypedDict

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agent.workshop.engine import Workshop
from agent.workshop.render import Reply
from agent.workshop.session import WorkshopSession

DB_NAME = "workshop.sqlite"
TRANSCRIPT_KEEP = 200


def keep_recent(
    left: list[dict[str, Any]] | None, right: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Transcript reducer: append, keep the most recent turns."""
    return [*(left or []), *(right or [])][-TRANSCRIPT_KEEP:]


class ChatState(TypedDict, total=False):
    session: dict[str, Any]
    input: dict[str, str]
    reply: dict[str, Any]
    transcript: Annotated[list[dict[str, Any]], keep_recent]


@dataclass(frozen=True)
class ChatContext:
    engine: Workshop


def take_turn(state: ChatState, runtime: Runtime[ChatContext]) -> dict[str, Any]:
    engine = runtime.context.engine
    raw = state.get("session")
    session = (WorkshopSession.model_validate(raw) if raw
               else WorkshopSession(project=str(engine.project)))  # fmt: skip
    msg = state.get("input") or {}
    new, reply = engine.handle(session, msg.get("text", ""), msg.get("mode", "command"))
    record = {"mode": msg.get("mode", "command"), "user": msg.get("text", "")[:2000],
              "reply": reply.title}  # fmt: skip
    return {"session": new.model_dump(mode="json"), "reply": asdict(reply), "transcript": [record]}


def build_chat_graph(checkpointer: SqliteSaver):  # noqa: ANN201 - compiled LangGraph graph
    g = StateGraph(ChatState, context_schema=ChatContext)
    g.add_node("take_turn", take_turn)
    g.add_edge(START, "take_turn")
    g.add_edge("take_turn", END)
    return g.compile(checkpointer=checkpointer)


def thread_id(engine: Workshop) -> str:
    return "workshop-" + hashlib.sha256(str(engine.project).encode("utf-8")).hexdigest()[:12]


class Conversation:
    """A checkpointed chat for one project folder."""

    def __init__(self, engine: Workshop) -> None:
        self.engine = engine
        self._conn = sqlite3.connect(str(engine.project / DB_NAME), check_same_thread=False)
        self.saver = SqliteSaver(self._conn)
        self.saver.setup()
        self.graph = build_chat_graph(self.saver)
        self.config: dict[str, Any] = {"configurable": {"thread_id": thread_id(engine)}}
        self.context = ChatContext(engine=engine)

    def session(self) -> WorkshopSession | None:
        """The checkpointed session, or None when this project has none yet."""
        values = self.graph.get_state(self.config).values
        raw = values.get("session") if values else None
        return WorkshopSession.model_validate(raw) if raw else None

    def start_over(self) -> str | None:
        """Archive the saved session (if any) and clear the thread; returns the archive path."""
        old = self.session()
        if old is None:
            return None
        folder = self.engine.project / "workshop-archive"
        folder.mkdir(exist_ok=True)
        text = json.dumps(old.model_dump(mode="json"), indent=2, sort_keys=True)
        path = folder / f"session-{hashlib.sha256(text.encode()).hexdigest()[:10]}.json"
        path.write_text(text + "\n", encoding="utf-8")
        self.saver.delete_thread(self.config["configurable"]["thread_id"])
        return str(path)

    def turn(self, text: str, mode: str = "command") -> Reply:
        out = self.graph.invoke({"input": {"text": text, "mode": mode}}, self.config,
                                context=self.context)  # fmt: skip
        return Reply(**out["reply"])

    def close(self) -> None:
        self._conn.close()
