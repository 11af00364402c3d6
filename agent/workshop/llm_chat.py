"""The LLM side of the chat: free text -> a verified intent, and a drafted lead for answers.

Intent: the model is asked for ONE canonical command from the help text; that command is run
back through the offline parser, so the LLM can only choose among the same intents with the same
argument checks (anything it proposes that does not parse is ignored). Answer drafting: the model
may write a short lead over the computed answer; the lead must cite only ids the answer cites,
pass `check_answer` and contain no number the answer does not show, or it is dropped. Any LLM
failure falls back to the offline behaviour. Interview text never reaches the intent prompt.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from agent.llm.errors import LLMError
from agent.llm.prompts import render_prompt
from agent.workshop import intents
from agent.workshop.grounding import check_answer
from agent.workshop.render import Reply
from tools.citations import CITE_RE, NUMBER_RE

log = logging.getLogger(__name__)
FAILURES = (LLMError, ValidationError, ValueError, OSError, TimeoutError)


class CommandChoice(BaseModel):
    command: str = Field(default="", max_length=500)


class AnswerLead(BaseModel):
    text: str = Field(default="", max_length=1200)


def make_interpreter(llm: Any) -> Callable[[str], intents.Intent | None]:
    """Free text -> intent via the LLM, verified by the offline parser; None on any failure."""

    def interpret(text: str) -> intents.Intent | None:
        try:
            prompt = render_prompt("workshop.intent", help=intents.HELP, message=text)
            res = llm.generate(prompt, CommandChoice)
        except FAILURES as exc:
            log.info("LLM intent failed, using the offline parser: %s", exc)
            return None
        intent = intents.parse(res.parsed.command)
        if intent.kind in ("unknown", "empty", "paste") or "\n" in res.parsed.command:
            return None
        return intent

    return interpret


def make_drafter(llm: Any) -> Callable[[Reply, dict, dict], Reply]:
    """Prepend an LLM-written lead to an answer when, and only when, it passes the checks."""

    def draft(reply: Reply, stats: dict, evidence: dict) -> Reply:
        body = reply.text
        try:
            res = llm.generate(render_prompt("workshop.answer", answer=body), AnswerLead)
        except FAILURES as exc:
            log.info("LLM answer lead failed; showing the computed answer: %s", exc)
            return reply
        lead = " ".join(res.parsed.text.split())
        if not lead or lead_problems(lead, body, stats, evidence):
            return reply
        return Reply(reply.title, [lead, "", *reply.lines], reply.kind)

    return draft


def lead_problems(lead: str, body: str, stats: dict, evidence: dict) -> list[str]:
    """Why a drafted lead may not be shown (empty = fine)."""
    problems = check_answer(lead, stats, evidence)
    cited = {m.group(1) for m in CITE_RE.finditer(body)}
    mine = {m.group(1) for m in CITE_RE.finditer(lead)}
    if mine - cited:
        problems.append(f"cites ids the answer does not: {sorted(mine - cited)}")
    shown = {t.group(0) for t in NUMBER_RE.finditer(CITE_RE.sub("", body))}
    for tok in NUMBER_RE.finditer(CITE_RE.sub("", lead)):
        if tok.group(0) not in shown:
            problems.append(f"number {tok.group(0)} is not in the computed answer")
    if re.search(r"[“\"]", lead):
        problems.append("the lead must not quote")
    return problems
