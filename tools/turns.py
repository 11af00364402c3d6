"""Split speaker-labelled text into turns with exact offsets, and decide who is the interviewer.

Works line by line on the decoded text: `Name:`, `**Name:**`, `**Name**:`, `[00:12:03] Name:`,
`- **Name**:` bullets, Otter/Zoom `Name  0:03` header lines and `Q:`/`A:` notes. A turn is one
paragraph; an unlabeled paragraph continues the previous speaker. Headings, `[Music]`, lone bold
lines and sections such as Description/Summary are narration; a raw auto transcript section is
`unknown` (host and guest are mixed there, so it is never customer evidence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

TS = r"(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?\]?\s*[-–]?\s*)"
NAME = r"[A-Z][\w'’.&()-]*(?: [A-Za-z][\w'’.&()-]*){0,4}"
LABEL_RES = [
    re.compile(rf"^(?:[-*•] )?{TS}?\*\*({NAME}|Q|A)\s*:\*\*\s*"),
    re.compile(rf"^(?:[-*•] )?{TS}?\*\*({NAME}|Q|A)\*\*\s*:\s*"),
    re.compile(rf"^(?:[-*•] )?{TS}?\[?({NAME}|Q|A)\]?\s*:\s+(?=\S)"),
    re.compile(rf"^{TS}({NAME})\s*[-–:]\s+(?=\S)"),
]
HEADER_RE = re.compile(rf"^\[?({NAME})\]?\s+{TS}\s*$")  # Otter/Zoom: "Name  0:03" alone
HEADING_RE = re.compile(r"^#{1,6}\s")
NOISE_RE = re.compile(
    r"^\s*(?:\[[^\]]{1,30}\]|\*\*[^*]{1,80}\*\*:?|<!--.*-->|---|Published on .*|URL: .*)\s*$"
)
NOT_NAMES = {
    "url",
    "note",
    "notes",
    "published",
    "date",
    "source",
    "summary",
    "description",
    "http",
    "https",
    "q&a session",
    "servers",
    "clients",
    "tl;dr",
    "agenda",
    "topic",
}
HOST_LABELS = {
    "host",
    "interviewer",
    "moderator",
    "q",
    "question",
    "audience member",
    "audience",
    "me",
    "facilitator",
    "researcher",
}
GUEST_LABELS = {"a", "answer", "interviewee", "customer", "guest", "participant", "respondent"}
NARRATION_SECTIONS = (
    "description",
    "summary",
    "key takeaways",
    "takeaways",
    "action items",
    "overview",
    "abstract",
    "tl;dr",
    "agenda",
)
HOST_PHRASES = re.compile(
    r"\b(welcome (?:everyone|to)|thanks? (?:you )?(?:everyone )?for (?:joining|attending)|"
    r"thank you,? everyone|feel free to ask|we'?ll be posting|see you (?:next|for)|"
    r"let'?s introduce|thanks? (?:you )?(?:to )?everyone who (?:joined|attended)|"
    r"for sharing your insights)\b",
    re.IGNORECASE,
)


@dataclass
class RawTurn:
    speaker: str | None
    start: int
    end: int
    kind: str  # "speech", "narration", "raw"
    labelled: bool = False


@dataclass
class Split:
    turns: list[RawTurn] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # in order of first appearance


def _label(line: str) -> tuple[str, int] | None:
    for rx in LABEL_RES:
        m = rx.match(line)
        if m and m.group(1).strip().lower() not in NOT_NAMES and not m.group(1).startswith("http"):
            return m.group(1).strip(), m.end()
    return None


def _section_kind(heading: str) -> str | None:
    h = heading.lstrip("#").strip().lower()
    if "raw" in h and "transcript" in h:
        return "raw"
    if any(h.startswith(s) for s in NARRATION_SECTIONS):
        return "narration"
    return None


def split_turns(text: str, offset: int = 0) -> Split:
    """Split `text` into paragraph turns; offsets are absolute (`offset` is added)."""
    out = Split()
    speaker: str | None = None
    section, sec_level = "speech", 99
    cur: RawTurn | None = None
    pos = offset
    for line in text.splitlines(keepends=True):
        lo, body = pos, line.rstrip("\r\n")
        pos += len(line)
        stripped = body.strip()
        if not stripped:
            cur = None
            continue
        lead = len(body) - len(body.lstrip())
        s, e = lo + lead, lo + len(body.rstrip())
        if HEADING_RE.match(stripped):
            level = len(stripped) - len(stripped.lstrip("#"))
            kind = _section_kind(stripped)
            if kind or level <= sec_level:  # a sub-heading stays inside its section
                section, sec_level = kind or "speech", level if kind else 99
            out.turns.append(RawTurn(None, s, e, "narration"))
            cur = None
            continue
        if section != "speech":
            cur = _extend(out, cur, None, s, e, section)
            continue
        hdr = HEADER_RE.match(stripped)
        lab = _label(stripped)
        if hdr and not lab:
            speaker, cur = hdr.group(1).strip(), None
            _note_label(out, speaker)
            out.turns.append(RawTurn(None, s, e, "narration"))
        elif lab:
            speaker = lab[0]
            _note_label(out, speaker)
            start = s + lab[1]
            cur = RawTurn(speaker, start, e, "speech", labelled=True) if start < e else None
            if cur:
                out.turns.append(cur)
        elif NOISE_RE.match(stripped):
            out.turns.append(RawTurn(None, s, e, "narration"))
            cur = None
        else:
            cur = _extend(out, cur, speaker, s, e, "speech")
    return out


def _note_label(out: Split, name: str) -> None:
    if name not in out.labels:
        out.labels.append(name)


def _extend(
    out: Split, cur: RawTurn | None, speaker: str | None, s: int, e: int, kind: str
) -> RawTurn:
    if cur is not None and cur.kind == kind:
        cur.end = e
        return cur
    turn = RawTurn(speaker, s, e, kind)
    out.turns.append(turn)
    return turn


def _first(name: str) -> str:
    return name.split()[0].lower().strip("*") if name.split() else ""


def matches_person(label: str, names: list[str]) -> bool:
    """A label matches a named person by full name or a close first name (Elli ~ Eliab)."""
    lab = label.lower()
    for n in names:
        if lab == n.lower() or _first(label) == _first(n):
            return True
        if fuzz.ratio(_first(label), _first(n)) >= 60 or fuzz.ratio(lab, n.lower()) >= 85:
            return True
    return False


def assign_roles(
    split: Split, text_of: dict[int, str], guests: list[str], hosts: list[str]
) -> dict[str, str]:
    """Role per label: interviewer / interviewee / unknown, from names and question share."""
    roles: dict[str, str] = {}
    for lab in split.labels:
        low = lab.lower()
        if low in HOST_LABELS or (hosts and matches_person(lab, hosts)):
            roles[lab] = "interviewer"
        elif low in GUEST_LABELS or (guests and matches_person(lab, guests)):
            roles[lab] = "interviewee"
        elif guests:
            roles[lab] = "interviewer"  # named guests exist and this is someone else
    undecided = [lab for lab in split.labels if lab not in roles]
    if undecided:
        _by_questions(split, text_of, undecided, roles)
    return roles


def _by_questions(
    split: Split, text_of: dict[int, str], labs: list[str], roles: dict[str, str]
) -> None:
    """Without names, the speaker who mostly asks questions is the interviewer."""
    share: dict[str, float] = {}
    words: dict[str, int] = {}
    for lab in labs:
        mine = [text_of[id(t)] for t in split.turns if t.speaker == lab and t.labelled]
        share[lab] = sum(t.rstrip().endswith("?") for t in mine) / max(len(mine), 1)
        words[lab] = sum(len(t.split()) for t in mine)
    has_host = any(r == "interviewer" for r in roles.values())
    asker = max(labs, key=lambda lab: (share[lab], -words[lab]))
    for lab in labs:
        if not has_host and len(labs) > 1 and lab == asker and share[lab] >= 0.3:
            roles[lab] = "interviewer"
        else:
            roles[lab] = "interviewee"


def turn_role(turn: RawTurn, text: str, roles: dict[str, str]) -> str:
    """Final role of one paragraph turn (question-only or moderation lines are not evidence)."""
    if turn.kind == "narration":
        return "narration"
    if turn.kind == "raw" or turn.speaker is None:
        return "interviewer" if HOST_PHRASES.search(text) else "unknown"
    role = roles.get(turn.speaker, "unknown")
    if role == "interviewee":
        if (not turn.labelled or len(text) < 300) and HOST_PHRASES.search(text):
            return "unknown"
        if _only_questions(text):
            return "interviewer"
    return role


def _only_questions(text: str) -> bool:
    sents = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    return (
        bool(sents)
        and sents[-1].endswith("?")
        and len(text) < 400
        and all(s.endswith("?") or len(s) < 60 for s in sents)
    )
