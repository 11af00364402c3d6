"""WebVTT, SRT and JSON transcripts: cues/utterances with offsets into the raw file text.

Cue text lines (`<v Name>…`, `Name: …`) and JSON utterances (`[{speaker, text}]`, or
`{"utterances"|"segments"|"transcript": [...]}` as Otter/Gong/Zoom exports) are located in the
decoded file so that every turn's span is verbatim. A JSON string holding escapes is spanned as
written in the file (escapes included), never re-encoded.

Also the rules for which files are interviews at all, each broken rule a plain `InputError`
(no Python error text, no numbers, the file named in backticks) that `read_interviews` turns
into an issue: supported suffixes only; not empty; text, not binary; one interview is at most
`MAX_TEXT_CHARS` characters (about five hours of transcript) and no file above `MAX_FILE_BYTES`
is opened. Bigger files are skipped with a request to split them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, cast

from tools import transcripts, turns
from tools.errors import InputError

MAX_TEXT_CHARS = 300_000  # characters of text in one interview file (after .docx extraction)
MAX_FILE_BYTES = 20_000_000  # no file larger than this is opened (a .docx with images)
# Formats people try that are not text: refused up front even when named explicitly.
NOT_TEXT_SUFFIXES = frozenset(
    [
        ".pdf",
        ".doc",
        ".rtf",
        ".odt",
        ".pages",
        ".key",
        ".ppt",
        ".pptx",
        ".xls",
        ".xlsx",
        ".zip",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".heic",
        ".mp3",
        ".mp4",
        ".m4a",
        ".wav",
        ".ogg",
        ".webm",
        ".mov",
    ]
)
NOT_CONTENT = frozenset({"LICENSE", "LICENCE", "COPYING", "NOTICE"})  # not reported as unsupported
SIZE_HINT = "split it into one file per interview and pass the folder"
TEXT_HINT = "save it as UTF-8 text (.txt or .md) or as .docx"

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
            speaker_role=cast(Any, turns.turn_role(t, text_of[id(t)], roles)),  # a role literal
        )
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


class EmptyFile(InputError):
    """A file with nothing in it: skipped with a warning rather than an error."""


def _named(path: Path) -> str:
    return f"`{path.name}`"


def unsupported(path: Path) -> InputError | None:
    """An error for a file whose suffix is not an interview format (None when supported or
    when it is clearly not content: hidden files, licences)."""
    suffix = path.suffix.lower()
    if suffix in transcripts.SUFFIXES or path.name.startswith("."):
        return None
    if path.stem.upper() in NOT_CONTENT:
        return None
    kind = suffix.lstrip(".").upper()
    kind = f"`{suffix}`" if not kind.isalpha() else kind
    what = f"{kind} is not supported" if suffix else "a file without a type suffix is not read"
    return InputError(f"{_named(path)}: {what}; skipped — export it as .txt or .docx",
                      file=str(path), hint="export it as .txt, .md or .docx")  # fmt: skip


def check_size(path: Path, size: int) -> None:
    """Refuse empty files and files too large to be one interview, before reading them."""
    text_limit = size > 4 * MAX_TEXT_CHARS + 4 and path.suffix.lower() != ".docx"
    if size == 0:
        raise EmptyFile(f"{_named(path)} is empty; skipped", file=str(path),
                         hint="remove it, or save the interview notes into it")  # fmt: skip
    if size > MAX_FILE_BYTES or text_limit:
        too_big(path)


def too_big(path: Path) -> None:
    raise InputError(
        f"{_named(path)} is larger than the size limit for one interview (see README); "
        f"skipped — {SIZE_HINT}",
        file=str(path),
        hint=SIZE_HINT,
    )


def check_text(path: Path, text: str) -> None:
    """Refuse text that is blank or longer than one interview can be."""
    if not text.strip():
        raise EmptyFile(f"{_named(path)} holds no text; skipped", file=str(path),
                         hint="remove it, or save the interview notes into it")  # fmt: skip
    if len(text) > MAX_TEXT_CHARS:
        too_big(path)


def not_text(path: Path) -> InputError:
    if path.suffix.lower() == ".docx":
        return InputError(f"{_named(path)} could not be opened as a Word document; skipped — "
                          "open it in Word and save it again as .docx", file=str(path),
                          hint="re-save it as .docx, or as UTF-8 text")  # fmt: skip
    return InputError(
        f"{_named(path)} is not readable as text (unknown encoding or binary file); skipped — "
        f"{TEXT_HINT}",
        file=str(path),
        hint=TEXT_HINT,
    )
