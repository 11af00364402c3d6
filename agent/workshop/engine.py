"""The workshop engine: one turn = (session, user text) -> (new session, reply).

It owns what must not be checkpointed (the backend, the cached build snapshot, pasted-note
extractions) and turns every failure into a plain reply, so a turn never ends in a traceback and
the session that is checkpointed after it is always valid. Handlers live in
`agent.workshop.commands` and `agent.workshop.review`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from agent.workshop import intents
from agent.workshop.answers import Knowledge
from agent.workshop.backend import Backend, BuildSpec, NoteExtraction, Snapshot
from agent.workshop.grounding import ChatStats, check_answer
from agent.workshop.render import Reply
from agent.workshop.session import WorkshopSession
from tools.errors import InputError

log = logging.getLogger(__name__)
Interpreter = Callable[[str], "intents.Intent | None"]


class NeedsData(Exception):
    """A command needs something the marketer has not loaded yet."""


@dataclass
class Workshop:
    project: Path
    backend: Backend
    interpreter: Interpreter | None = None  # LLM free-text -> intent; None = offline only
    drafter: Callable[[Reply, dict, dict], Reply] | None = None  # LLM lead over answers
    as_of: date | None = None
    llm: str = "offline"
    llm_description: str = "offline (deterministic; no LLM endpoint configured)"
    progress: Callable[[str, str], None] | None = None
    _snap: Snapshot | None = field(default=None, init=False)
    _snap_key: tuple[object, ...] | None = field(default=None, init=False)
    _notes: dict[str, NoteExtraction] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.project = self.project.resolve()
        self.project.mkdir(parents=True, exist_ok=True)
        self.chat = ChatStats(self.project)

    # ------------------------------------------------------------------ turns
    def handle(
        self, session: WorkshopSession, text: str, mode: str = "command"
    ) -> tuple[WorkshopSession, Reply]:
        """One turn. Never raises: errors become replies and the input session is kept."""
        from agent.workshop import commands, review

        try:
            if mode == "paste":
                new, reply = commands.paste_note(self, session, text)
            elif mode == "edit":
                new, reply = review.edit_section(self, session, text)
            else:
                new, reply = self._command(session, text, commands, review)
        except NeedsData as exc:
            new, reply = session, Reply("Not yet", [str(exc)], "warn")
        except InputError as exc:
            new, reply = (
                session,
                Reply("Problem with your input", exc.render().splitlines(), "error"),
            )
        except (OSError, ValueError, KeyError, ImportError, NotImplementedError) as exc:
            log.debug("turn failed", exc_info=True)
            new, reply = session, Reply("That did not work", [f"{type(exc).__name__}: {exc}",
                                        "Your session is saved; nothing was lost."], "error")  # fmt: skip
        except Exception as exc:  # the chat must survive any tool failure; the log keeps details
            log.debug("unexpected error in workshop turn", exc_info=True)
            new, reply = session, Reply("Something went wrong", [f"{type(exc).__name__}: {exc}",
                                        "Your session is saved; nothing was lost."], "error")  # fmt: skip
        update: dict[str, object] = {"turns": new.turns + 1}
        if self.as_of is not None and new.as_of != self.as_of.isoformat():
            update["as_of"] = self.as_of.isoformat()  # a new --as-of overrides the saved one
        return new.model_copy(update=update), reply

    # ------------------------------------------------------------------ as-of date
    def as_of_date(self, session: WorkshopSession) -> date | None:
        """The analysis date: --as-of of this run, else the one saved in the session."""
        if self.as_of is not None:
            return self.as_of
        return date.fromisoformat(session.as_of) if session.as_of else None

    def as_of_notice(self, session: WorkshopSession | None) -> str:
        """What a resumed session should be told about its as-of date ('' when nothing to say)."""
        saved = session.as_of if session is not None else None
        if self.as_of is not None and saved and saved != self.as_of.isoformat():
            return (f"--as-of {self.as_of.isoformat()} overrides the saved as-of date {saved}; "
                    "the next draft uses the new date.")  # fmt: skip
        if self.as_of is None and saved:
            return f"Using the saved as-of date {saved} (pass --as-of to change it)."
        return ""

    def _command(
        self, session: WorkshopSession, text: str, commands: Any, review: Any
    ) -> tuple[WorkshopSession, Reply]:
        if session.review_queue:
            handled = review.review_turn(self, session, text)
            if handled is not None:
                return handled
        intent = intents.parse(text)
        if intent.kind == "unknown" and self.interpreter is not None:
            intent = self.interpreter(text) or intent
        if intent.error:
            return session, Reply("Almost", [intent.error, "Type help for examples."], "warn")
        handler = commands.HANDLERS.get(intent.kind)
        if handler is None:
            return session, commands.not_understood(text)
        return handler(self, session, intent)

    # ------------------------------------------------------------------ builds
    def spec(self, session: WorkshopSession) -> BuildSpec:
        interviews = [Path(p) for p in session.interviews]
        if session.notes:
            interviews.append(self.project / "notes")
        return BuildSpec(
            customers=[Path(p) for p in session.customers], interviews=interviews,
            out=self.project / "out",
            mapping_file=Path(session.mapping_file) if session.mapping_file else None,
            weights=dict(session.weights) or None, llm=self.llm,
            as_of=self.as_of_date(session),
        )  # fmt: skip

    def snapshot(self, session: WorkshopSession, *, force: bool = False) -> Snapshot:
        """The build for the session's current inputs (rebuilt only when they changed)."""
        if not session.customers:
            raise NeedsData("Load your customer data first, e.g. `load customers accounts.csv "
                            "deals.csv`.")  # fmt: skip
        key = session.build_inputs_key()
        if force or self._snap is None or self._snap_key != key:
            self._snap = self.backend.build(self.spec(session), self.progress)
            self._snap_key = key
        return self._snap

    def tiers(self, session: WorkshopSession, snap: Snapshot) -> dict[str, str]:
        """Tier per account after the marketer's rule adjustments."""
        if not session.overrides or snap.rules is None:
            return dict(snap.tier_of_account)
        tiers, _ = self.backend.retier(snap.rules, snap.accounts, list(session.overrides))
        return tiers

    def knowledge(self, session: WorkshopSession) -> Knowledge:
        snap = self.snapshot(session)
        k = Knowledge(snap=snap, session=session, tiers=self.tiers(session, snap), chat=self.chat)
        for rec in session.notes:
            note = self.note(Path(rec.path))
            k.note_evidence.update({e.id: e for e in note.evidence})
            k.note_people += note.interviewees
            k.note_insights += note.insights
        return k

    def note(self, path: Path) -> NoteExtraction:
        key = str(path)
        if key not in self._notes:
            self._notes[key] = self.backend.read_note(path)
        return self._notes[key]

    def grounded(self, k: Knowledge, reply: Reply) -> Reply:
        """Refuse to show an answer whose citations or quotes do not check out."""
        stats, evidence = k.stats(), k.evidence()
        if self.drafter is not None and reply.kind == "answer":
            reply = self.drafter(reply, stats, evidence)
        problems = check_answer(reply.text, stats, evidence)
        if not problems:
            return reply
        log.warning("ungrounded answer withheld: %s", problems)
        return Reply(reply.title, ["The answer failed the groundedness check, so it is not "
                                   "shown:", *problems[:5]], "error")  # fmt: skip
