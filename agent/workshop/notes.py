"""Pasted interview notes: checks, saving under `<project>/notes/`, and the insight summary.

A note is data, never instructions: text that looks like a prompt injection is flagged to the
marketer and otherwise treated like any other interview text (no command inside a note is ever
run). Empty pastes are refused, oversized ones are kept in `<project>/inbox/` (never lost) but not
analysed, and notes that do not look English are kept and analysed with a clear warning that
extraction is English-only.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from agent.workshop.backend import NoteExtraction
from agent.workshop.grounding import quote
from agent.workshop.render import Reply

MAX_NOTE_CHARS = 60_000
INJECTION_RE = re.compile(
    r"ignore (?:all |any )?(?:the )?(?:previous|prior|above) (?:instructions|prompts?)|"
    r"disregard (?:the |all )?(?:previous|above|system)|system prompt|you are now|"
    r"new instructions?:|\bas an ai\b|delete (?:all|every)|run the command|<\s*/?\s*system\s*>",
    re.I,
)
ENGLISH = set(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "to",
        "of",
        "in",
        "on",
        "for",
        "with",
        "is",
        "are",
        "was",
        "were",
        "be",
        "we",
        "i",
        "you",
        "it",
        "they",
        "our",
        "my",
        "this",
        "that",
        "not",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "so",
        "if",
        "at",
        "as",
        "by",
        "from",
        "can",
        "will",
        "would",
        "about",
        "what",
        "when",
    ]
)
KIND_ORDER = ["pain", "goal", "objection", "trigger"]


def looks_english(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 8:
        return True
    return sum(w in ENGLISH for w in words) / len(words) >= 0.12


def note_problem(text: str) -> str | None:
    """Why a paste cannot be analysed, or None."""
    if not text.strip():
        return "The paste was empty: nothing was saved. Type `paste`, paste the note, then a line with only a dot (.)"
    if len(text) > MAX_NOTE_CHARS:
        return (f"That paste is {len(text):,} characters; notes are analysed up to "
                f"{MAX_NOTE_CHARS:,}. It was kept in the inbox folder; split it into smaller "
                "notes, or save it as a file and use `load interviews FILE`.")  # fmt: skip
    return None


def neutralise_footnotes(text: str) -> tuple[str, int]:
    """Markdown footnote syntax `[^` made inert (`[ ^`), so a note cannot fake a citation."""
    count = text.count("[^")
    return (text.replace("[^", "[ ^"), count) if count else (text, 0)


def save_note(project: Path, text: str, *, oversize: bool = False) -> Path:
    """Write the note exactly as pasted (UTF-8, newlines untouched); the name is content-derived."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    folder = project / ("inbox" if oversize else "notes")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"note-{digest}.txt"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return path


def summary(note: NoteExtraction, text: str, path: Path) -> Reply:
    """Who spoke, their decision role, and pains/goals/objections/triggers as cited quotes."""
    ev = {e.id: e for e in note.evidence}
    lines: list[str] = []
    if not looks_english(text):
        lines.append("Note: extraction is English-only; this note looks like another language, "
                     "so few insights may be found. The note is kept and joins future drafts.")  # fmt: skip
    if INJECTION_RE.search(text):
        lines.append("This note contains text that reads like instructions to the assistant. "
                     "It is treated as interview data only; nothing in it was carried out.")  # fmt: skip
    for person in note.interviewees:
        title = f", {person.title}" if person.title else ""
        company = f" at {person.company}" if person.company else ""
        lines.append(f"Interviewee: {person.name}{title}{company}")
        lines.append(
            f"Decision role: {person.decision_role.replace('_', ' ')} ({person.role_reason})"
        )
        mine = [i for i in note.insights if (i.speaker or person.name) == person.name]
        for kind in KIND_ORDER:
            items = [i for i in mine if i.kind == kind and i.evidence_id in ev]
            lines.append(f"{kind.capitalize()}s:" if items else f"{kind.capitalize()}s: none found")
            lines += [f"  - {quote(ev[i.evidence_id])}" for i in items]
    if not note.interviewees:
        lines.append("No interviewee statements were found. Label speakers (e.g. 'Maria: ...') or "
                     "add front matter (interviewee, title, company) for better results.")  # fmt: skip
    lines.append(f"Saved to {path}; it joins the evidence store and the next draft.")
    return Reply("Interview note", lines, "answer")
