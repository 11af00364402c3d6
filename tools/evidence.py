"""Turn parsed interviews into `Evidence`: verbatim spans with content-derived ids.

Interviewee turns are split into sentences (one utterance each, so a persona quote is a whole
evidence item); other turns stay whole paragraphs. `text == source_text[start:end]` always.
Personal data is masked only when rendering or exporting (`mask_pii`), never in the stored
evidence, so the quote gate verifies against the raw source and shows the masked text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tools.ids import evidence_id
from tools.models import Evidence
from tools.transcripts import ParsedInterview, Turn

SENT_RE = re.compile(r".+?(?:[.!?…]+[”\"’)]*(?=\s|$)|$)", re.S)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w/])\+?\d[\d\s().-]{7,}\d(?![\w/])")


def mask_pii(text: str) -> str:
    """Mask e-mail addresses and phone numbers (for anything that leaves the machine)."""
    text = EMAIL_RE.sub("[email]", text)
    return PHONE_RE.sub(
        lambda m: "[phone]" if sum(c.isdigit() for c in m.group(0)) >= 8 else m.group(0), text
    )


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], whitespace trimmed, at least 2 words each."""
    spans: list[tuple[int, int]] = []
    for m in SENT_RE.finditer(text, start, end):
        chunk = m.group(0)
        s = m.start() + (len(chunk) - len(chunk.lstrip()))
        e = m.start() + len(chunk.rstrip())
        if e > s and len(text[s:e].split()) >= 2:
            spans.append((s, e))
        elif e > s and spans:
            spans[-1] = (spans[-1][0], e)
    return spans or [(start, end)]


def _make(iv: ParsedInterview, turn: Turn, s: int, e: int) -> Evidence:
    person = iv.person(turn.speaker) if turn.speaker_role == "interviewee" else None
    if person is None and turn.speaker_role == "interviewee":
        person = next(
            (
                p
                for p in iv.interviewees
                if turn.speaker
                and p.name.split()[0].lower()[:3] == turn.speaker.split()[0].lower()[:3]
            ),
            None,
        )
    return Evidence(
        id=evidence_id(iv.sha256, s, e),
        interview_id=iv.interview_id,
        source=iv.source,
        start=s,
        end=e,
        speaker=(person.name if person else turn.speaker) or "",
        speaker_role=turn.speaker_role,
        text=iv.text[s:e],
        title=person.title if person else None,
        company=person.company if person else None,
        account_id=person.account_id if person else None,
        title_inferred=person.title_inferred if person else False,
    )


def build_evidence(interviews: Iterable[ParsedInterview]) -> list[Evidence]:
    """Every utterance of every interview as Evidence, sorted by interview then offset."""
    out: list[Evidence] = []
    for iv in interviews:
        seen: set[tuple[int, int]] = set()
        for turn in iv.turns:
            spans = (
                sentence_spans(iv.text, turn.start, turn.end)
                if turn.speaker_role == "interviewee"
                else [(turn.start, turn.end)]
            )
            for s, e in spans:
                if (s, e) not in seen and iv.text[s:e].strip():
                    seen.add((s, e))
                    out.append(_make(iv, turn, s, e))
    return sorted(out, key=lambda ev: (ev.interview_id, ev.start, ev.end, ev.speaker_role))
