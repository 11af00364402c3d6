"""WebVTT, SRT and JSON transcripts: cues/utterances with offsets into the raw file text.

Cue text lines (`<v Name>…`, `Name: …`) and JSON utterances (`[{speaker, text}]`, or
`{"utterances"|"segments"|"transcript": [...]}` as Otter/Gong/Zoom exports) are located in the
decoded file so that every turn's span is verbatim. A JSON string holding escapes is spanned as
written in the file (escapes included), never re-encoded.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tools import transcripts, turns
from tools.errors import InputError

CUE_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?[.,]\d{3}\s*-->")
VOICE = re.compile(r"^<v(?:\.[\w.]+)?\s+([^>]+)>")
NAME_COLON = re.compile(rf"^({turns.NAME}):\s+")


def _cues(text: str) -> list[tuple[str | None, int, int]]:
    """(speaker, start, end) for each cue text line of a VTT/SRT file."""
    out: list[tuple[str | None, int, int]] = []
    pos, in_cue = 0, False
    for line in text.splitlines(keepends=True):
        lo, body = pos, line.rstrip("\r\n")
        pos += len(line)
        if not body.strip():
            in_cue = False
            continue
        if CUE_TIME.search(body):
            in_cue = True
            continue
        if not in_cue:
            continue
        start, who = lo, None
        m = VOICE.match(body) or NAME_COLON.match(body)
        if m:
            who, start = m.group(1).strip(), lo + m.end()
        end = lo + len(re.sub(r"</v>\s*$", "", body).rstrip())
        if start < end:
            out.append((who, start, end))
    return out


def _json_items(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        for key in ("utterances", "segments", "transcript", "monologues", "turns", "messages"):
            if isinstance(data.get(key), list):
                return [d for d in data[key] if isinstance(d, dict)]
        return []
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []


def _json_turns(text: str, name: str) -> list[tuple[str | None, int, int]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}",
            file=name,
            row=exc.lineno,
            hint="Export the transcript again as JSON.",
        ) from exc
    out: list[tuple[str | None, int, int]] = []
    cursor = 0
    for item in _json_items(data):
        said = item.get("text") or item.get("content") or item.get("words_text")
        if not isinstance(said, str) or not said.strip():
            continue
        who = item.get("speaker") or item.get("speaker_name") or item.get("name")
        raw = json.dumps(said, ensure_ascii=False)[1:-1]
        for probe in (said, raw):
            at = text.find(probe, cursor)
            if at >= 0:
                out.append((str(who) if who is not None else None, at, at + len(probe)))
                cursor = at + len(probe)
                break
    return out


def parse_structured(
    text: str, fmt: str, name: str, source: str, sha: str, sidecar: dict | None
) -> transcripts.ParsedInterview:
    """Turns for a .vtt/.srt/.json transcript, roles decided as for labelled text."""
    spans = _json_turns(text, source) if fmt == "json" else _cues(text)
    split = turns.Split()
    for who, s, e in spans:
        split.turns.append(turns.RawTurn(who, s, e, "speech", labelled=who is not None))
        if who and who not in split.labels:
            split.labels.append(who)
    meta = dict(sidecar or {})
    given = transcripts._given_person(meta)
    guests = [given.name] if given else []
    hosts = [str(h) for h in transcripts._as_list(meta.get("interviewer"))]
    text_of = {id(t): text[t.start : t.end] for t in split.turns}
    roles = turns.assign_roles(split, text_of, guests, hosts)
    out = [
        transcripts.Turn(
            speaker=t.speaker or "",
            start=t.start,
            end=t.end,
            speaker_role=turns.turn_role(t, text_of[id(t)], roles),
        )  # type: ignore[arg-type]
        for t in split.turns
    ]
    people = transcripts._people_from_turns(out, text, guests, meta.get("company"), given)
    return transcripts.ParsedInterview(
        interview_id=str(meta.get("interview_id") or transcripts.slug(name)),
        source=source,
        sha256=sha,
        text=text,
        format=fmt,
        turns=out,
        interviewees=people,
    )
