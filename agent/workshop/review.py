"""Review mode: walk through the ICP.md sections to approve, edit or flag them for later.

Decisions live in the checkpointed session and in `<project>/review.json` (with tier names and
persona decisions); edited text is applied to a copy, `<project>/out/ICP.reviewed.md`, so the
generated document and its groundedness report stay untouched.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from agent.workshop.intents import Intent
from agent.workshop.render import Reply
from agent.workshop.session import ReviewItem, WorkshopSession

if TYPE_CHECKING:
    from agent.workshop.engine import Workshop

Result = tuple[WorkshopSession, Reply]
PREVIEW_LINES = 14
H2_RE = re.compile(r"^## (.+)$", re.M)


def sections(text: str) -> list[tuple[str, str]]:
    """(H2 title, body) pairs in document order."""
    heads = list(H2_RE.finditer(text))
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out.append((m.group(1).strip(), text[m.end() : end].strip("\n")))
    return out


def _doc(s: WorkshopSession) -> str | None:
    if not s.last_document or not Path(s.last_document).is_file():
        return None
    return Path(s.last_document).read_text(encoding="utf-8")


def _show(s: WorkshopSession, text: str) -> Reply:
    title = s.review_queue[0]
    body = dict(sections(text)).get(title, "")
    lines = body.splitlines()
    shown = lines[:PREVIEW_LINES] + ([f"… ({len(lines) - PREVIEW_LINES} more lines)"]
                                     if len(lines) > PREVIEW_LINES else [])  # fmt: skip
    prior = s.review.get(title)
    head = [f"Section {len(s.review_queue)} left: {title}"]
    if prior:
        head.append(f"(earlier decision: {prior.status})")
    tail = ["approve | edit | flag [reason] | skip | stop"]
    return Reply(f"Review: {title}", [*head, "", *shown, "", *tail], "info")


def start_review(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    text = _doc(s)
    if text is None:
        return s, Reply("Nothing to review", ["Write the draft first: type `draft`."], "warn")
    titles = [t for t, _ in sections(text)]
    queue = [t for t in titles if t not in s.review] or titles
    new = s.model_copy(update={"review_queue": queue})
    return new, _show(new, text)


def _decide(ws: Workshop, s: WorkshopSession, item: ReviewItem | None) -> Result:
    title = s.review_queue[0]
    review = dict(s.review)
    if item is not None:
        review[title] = item
    new = s.model_copy(update={"review": review, "review_queue": s.review_queue[1:]})
    write_review_file(ws.project, new)
    said = item.status if item else "skipped"
    if not new.review_queue:
        done = sum(1 for v in review.values() if v.status == "flagged")
        return new, Reply("Review done", [f"{title}: {said}.", f"All sections seen; {done} "
                          f"flagged for later. Decisions are in {ws.project / 'review.json'}."],
                          "ok")  # fmt: skip
    text = _doc(new) or ""
    nxt = _show(new, text)
    nxt.lines.insert(0, f"{title}: {said}.")
    return new, nxt


def review_turn(ws: Workshop, s: WorkshopSession, text: str) -> Result | None:
    """Handle a review answer; None lets the text run as an ordinary command."""
    word, _, rest = text.strip().partition(" ")
    word = word.lower()
    if word in ("approve", "ok", "yes", "a") and not rest:
        return _decide(ws, s, ReviewItem(status="approved"))
    if word in ("flag", "f"):
        return _decide(ws, s, ReviewItem(status="flagged", note=rest.strip()))
    if word in ("skip", "next", "s", "n") and not rest:
        return _decide(ws, s, None)
    if word in ("stop", "done", "exit") and not rest:
        new = s.model_copy(update={"review_queue": []})
        return new, Reply("Review paused", ["Type `review` to continue later."], "ok")
    if word in ("edit", "e") and not rest:
        return s, Reply(f"Edit: {s.review_queue[0]}", ["Paste the new text for this section; "
                        "end with a line holding only a dot (.)."], "info", expect="edit")  # fmt: skip
    return None


def edit_section(ws: Workshop, s: WorkshopSession, text: str) -> Result:
    if not s.review_queue:
        return s, Reply("Not reviewing", ["Type `review` first."], "warn")
    if not text.strip():
        return s, Reply("Edit cancelled", ["The text was empty; the section is unchanged."], "warn")
    return _decide(ws, s, ReviewItem(status="edited", text=text.strip("\n")))


def write_review_file(project: Path, s: WorkshopSession) -> Path:
    """review.json (decisions, tier names, persona decisions) and ICP.reviewed.md (edits applied)."""
    data = {
        "document": s.last_document,
        "sections": {k: v.model_dump() for k, v in sorted(s.review.items())},
        "tier_names": dict(sorted(s.tier_names.items())),
        "persona_decisions": dict(sorted(s.persona_decisions.items())),
        "rule_adjustments": [o.describe() for o in s.overrides],
    }
    path = project / "review.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = _doc(s)
    edits = {k: v.text for k, v in s.review.items() if v.status == "edited"}
    if text is not None and edits:
        parts = [text[: H2_RE.search(text).start()] if H2_RE.search(text) else ""]  # type: ignore[union-attr]  # guarded by the same search
        for title, body in sections(text):
            parts.append(f"## {title}\n\n{edits.get(title, body)}\n\n")
        Path(s.last_document).with_name(  # type: ignore[arg-type]  # text is not None implies a document
            "ICP.reviewed.md"
        ).write_text("".join(parts), "utf-8")
    return path
