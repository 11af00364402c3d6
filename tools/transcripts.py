"""Read interview files and pasted text into speaker turns with exact character offsets.

Text is decoded as UTF-8 (BOM stripped, newlines untouched) so `text[start:end]` of every turn is
exactly what the file says. .docx is read as its paragraphs joined by newlines (the offsets are
into that extracted text); .vtt/.srt cue text and JSON utterances keep offsets into the raw
file. Speaker-labelled text goes through `tools.turns`; case-study prose (quotes with inline
attribution) through `tools.casestudy`. Who the interviewee is comes from front matter, a
sidecar row, the title ("feat. X of Y"), bylines, or, flagged as inferred, self-introductions.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any, Literal, cast

import yaml
from pydantic import BaseModel, ConfigDict, Field

from tools import casestudy, turns
from tools.errors import InputError
from tools.ids import file_sha256
from tools.models import IngestIssue

Role = Literal["interviewee", "interviewer", "narration", "unknown"]
SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".vtt", ".srt", ".json")


class Turn(BaseModel):
    model_config = ConfigDict(frozen=True)
    speaker: str
    speaker_role: Role
    start: int
    end: int


class Person(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    title: str | None = None
    title_inferred: bool = False
    company: str | None = None
    account_id: str | None = None


class ParsedInterview(BaseModel):
    model_config = ConfigDict(frozen=True)
    interview_id: str
    source: str
    sha256: str
    text: str
    format: str
    turns: list[Turn]
    interviewees: list[Person] = Field(default_factory=list)

    def person(self, name: str) -> Person | None:
        return next((p for p in self.interviewees if p.name == name), None)


FEAT_RE = re.compile(r"(?i)\bfeat\.?\s+(.+?)\s+of\s+([^(\n]+?)\s*(?:\(|$)", re.MULTILINE)
HOST_DESC_RE = re.compile(r"(?:^|\.\s+)([A-Z]\w+ [A-Z]\w+) (?:asks|hosts|moderates|interviews)\b")
INTRO_RE = re.compile(
    r"(?:I'm|I am|I work as)\s+(?:[A-Z]\w+(?: [A-Z]\w+)?,\s+)?(?:an?\s+)?((?:[a-z-]+\s){0,4}?(?:engineer|developer|manager|"
    r"director|architect|lead|cto|ceo|founder|consultant|sre|head of \w+))"
    r"(?:\s+(?:at|for|with)\s+([A-Z][\w.&-]+(?:\s[A-Z][\w.&-]+)?))?",
    re.IGNORECASE,
)


def decode(data: bytes) -> str:
    """UTF-8 (BOM stripped), falling back to charset detection; newlines are kept as-is.

    Raises `UnicodeDecodeError` for binary data (NUL bytes without a UTF-16/32 BOM, or text
    that is mostly control characters) and for bytes no known encoding explains.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        text = "" if best is None else str(best)
        if best is None or (b"\x00" in data[:4096] and best.bom is False) or _binary(text):
            raise UnicodeDecodeError("unknown", data[:1], 0, 1, "not text") from None
        return text


def _binary(text: str) -> bool:
    head = text[:8192]
    control = sum(1 for c in head if ord(c) < 32 and c not in "\t\n\r\f")
    return control > 0.05 * max(len(head), 1)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80] or "interview"


def front_matter(text: str) -> tuple[dict[str, Any], int]:
    """YAML front matter as a dict and the offset where the body starts."""
    m = re.match(r"---\r?\n(.*?)\r?\n---\r?\n", text, re.DOTALL)
    if not m:
        return {}, 0
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, 0
    return (meta if isinstance(meta, dict) else {}), m.end()


def parse_text(
    text: str,
    name: str,
    sidecar: dict | None = None,
    source: str = "",
    sha: str | None = None,
    fmt: str = "text",
) -> ParsedInterview:
    """Parse already-decoded text (a file's content or a note pasted into the chat)."""
    meta, body = front_matter(text)
    meta = {**meta, **{k: v for k, v in (sidecar or {}).items() if v not in (None, "")}}
    people: list[Person] = []
    given = _given_person(meta)
    if given and _is_bullet_notes(text[body:]):
        out, people = _bullet_notes(text, body, given)
    elif not _has_labels(text[body:]) and casestudy.looks_like_case_study(text[body:]):
        out, people = _case_study(text, body)
    else:
        out, people = _labelled(text, body, meta, given)
    if given and not any(p.name == given.name for p in people):
        people.insert(0, given)
    default_co = meta.get("company") or (
        _common_company(people) if not _has_labels(text[body:]) else None
    )
    people = [
        p.model_copy(
            update={
                "company": p.company or default_co,
                "account_id": p.account_id or _s(meta.get("account_id")),
            }
        )
        for p in people
    ]
    if body:
        out.insert(0, Turn(speaker="", speaker_role="narration", start=0, end=body))
    out.sort(key=lambda t: (t.start, t.end))
    return ParsedInterview(
        interview_id=str(meta.get("interview_id") or slug(name)),
        source=source or name,
        sha256=sha or file_sha256(text.encode("utf-8")),
        text=text,
        format=fmt,
        turns=out,
        interviewees=people,
    )


def _s(v: Any) -> str | None:
    return None if v in (None, "") else str(v)


def _given_person(meta: dict[str, Any]) -> Person | None:
    name = meta.get("interviewee") or meta.get("name")
    if isinstance(name, dict):
        meta = {**meta, **name}
        name = name.get("name")
    if not name:
        return None
    return Person(
        name=str(name),
        title=_s(meta.get("title")),
        company=_s(meta.get("company")),
        account_id=_s(meta.get("account_id")),
    )


def _common_company(people: list[Person]) -> str | None:
    cos = [p.company for p in people if p.company]
    return max(set(cos), key=lambda c: (cos.count(c), c)) if cos else None


def _has_labels(text: str) -> bool:
    split = turns.split_turns(text)
    counts = [
        sum(1 for t in split.turns if t.speaker == lab and t.labelled) for lab in split.labels
    ]
    return len(split.labels) >= 2 or any(c >= 2 for c in counts)


def _case_study(text: str, body: int) -> tuple[list[Turn], list[Person]]:
    spans, found = casestudy.quote_spans(text[body:], base=body)
    out = [
        Turn(
            speaker=s.speaker or "",
            start=s.start,
            end=s.end,
            speaker_role="interviewee" if s.speaker else "unknown",
        )
        for s in spans
    ]
    for p0, p1 in _paragraphs(text, body):
        out.append(Turn(speaker="", speaker_role="narration", start=p0, end=p1))
    quoted = {s.speaker for s in spans}
    people = [
        Person(name=p.name, title=p.title, company=p.company)
        for p in found.values()
        if p.name in quoted
    ]
    return out, people


BULLET_RE = re.compile(r"^\s*[-*•]\s+")


def _is_bullet_notes(body_text: str) -> bool:
    """Interviewer's bullet notes: most content lines are bullets and some hold quotes."""
    lines = [ln for ln in body_text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    bullets = sum(bool(BULLET_RE.match(ln)) for ln in lines)
    return bool(lines) and bullets >= 0.6 * len(lines) and bool(re.search(r"[“\"]", body_text))


def _bullet_notes(text: str, body: int, given: Person) -> tuple[list[Turn], list[Person]]:
    """Only the quoted words in bullet notes are the interviewee's; the bullets are narration."""
    spans, _found = casestudy.quote_spans(text[body:], base=body)
    out = [
        Turn(speaker=s.speaker or given.name, start=s.start, end=s.end, speaker_role="interviewee")
        for s in spans
        if (s.speaker or given.name) == given.name
    ]
    for p0, p1 in _paragraphs(text, body):
        out.append(Turn(speaker="", speaker_role="narration", start=p0, end=p1))
    return out, [given]


def _paragraphs(text: str, body: int) -> list[tuple[int, int]]:
    """Spans of non-blank line runs (paragraphs), trailing whitespace excluded."""
    spans = []
    for m in re.finditer(r"[^\r\n]+(?:\r?\n[^\r\n]+)*", text[body:]):
        chunk = m.group(0)
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((body + m.start() + lead, body + m.start() + len(chunk.rstrip())))
    return spans


def _labelled(
    text: str, body: int, meta: dict[str, Any], given: Person | None
) -> tuple[list[Turn], list[Person]]:
    split = turns.split_turns(text[body:], offset=body)
    head = text[: min(len(text), 3000)]
    guests, company = _guests(head, meta, given)
    hosts = [str(h) for h in _as_list(meta.get("interviewer") or meta.get("host"))]
    hosts += HOST_DESC_RE.findall(_section(text, "description"))
    text_of = {id(t): text[t.start : t.end] for t in split.turns}
    roles = turns.assign_roles(split, text_of, guests, hosts)
    out = [
        Turn(
            speaker=t.speaker or "",
            start=t.start,
            end=t.end,
            speaker_role=cast(Any, turns.turn_role(t, text_of[id(t)], roles)),  # a role literal
        )
        for t in split.turns
    ]
    if given:
        # "A:" / "Interviewee:" labels in notes about one named person are that person.
        out = [
            t.model_copy(update={"speaker": given.name})
            if t.speaker_role == "interviewee" and t.speaker.lower() in turns.GUEST_LABELS
            else t
            for t in out
        ]
    people = _people_from_turns(out, text, guests, company, given)
    return out, people


def _as_list(v: Any) -> list[Any]:
    return [] if v is None else v if isinstance(v, list) else [v]


def _section(text: str, name: str) -> str:
    m = re.search(rf"(?im)^#+\s*{name}\s*$(.*?)(?=^#|\Z)", text, re.DOTALL | re.MULTILINE)
    return m.group(1) if m else ""


def _guests(head: str, meta: dict[str, Any], given: Person | None) -> tuple[list[str], str | None]:
    guests = [given.name] if given else []
    company = given.company if given else None
    m = FEAT_RE.search(head.splitlines()[0] if head.strip() else "")
    if m:
        guests += [g.strip() for g in re.split(r",|\band\b|&", m.group(1)) if g.strip()]
        company = company or m.group(2).strip()
    guests += [str(g) for g in _as_list(meta.get("interviewees"))]
    return guests, company


def _people_from_turns(
    out: list[Turn], text: str, guests: list[str], company: str | None, given: Person | None
) -> list[Person]:
    """One Person per interviewee label, with a title inferred from their self-introduction."""
    people: list[Person] = []
    done: set[str] = set()
    for name in dict.fromkeys(t.speaker for t in out if t.speaker_role == "interviewee"):
        full = next((g for g in guests if turns.matches_person(name, [g])), name)
        if full in done:
            continue
        done.add(full)
        if given and full == given.name:
            people.append(given.model_copy(update={"company": given.company or company}))
            continue
        title, co = None, None
        for t in (t for t in out if t.speaker == name and t.speaker_role == "interviewee"):
            m = INTRO_RE.search(text[t.start : t.end])
            if m:
                title, co = m.group(1).strip(), (m.group(2) or "").rstrip(".") or None
                break
        people.append(
            Person(name=full, title=title, title_inferred=title is not None, company=company or co)
        )
    return people


def _read_file(path: Path) -> tuple[str, str, bytes]:
    """(text, format, raw bytes) for a supported file; offsets are into `text`.

    Empty, binary, undecodable or oversized files raise a plain `InputError`.
    """
    from tools import transcript_formats as tf

    tf.check_size(path, path.stat().st_size)
    data = path.read_bytes()
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            import docx

            doc = docx.Document(str(path))
            text, fmt = "\n".join(p.text for p in doc.paragraphs), "docx"
        else:
            text, fmt = decode(data), suffix.lstrip(".") or "txt"
    except Exception as exc:  # a broken .docx zip or undecodable bytes: one plain message
        raise tf.not_text(path) from exc
    tf.check_text(path, text)
    return text, fmt, data


def read_interview(path: Path | str, sidecar: dict | None = None) -> ParsedInterview:
    """Read one interview file (any supported format) into a `ParsedInterview`.

    Raises `InputError` (plain message naming the file) when it cannot be an interview.
    """
    from tools import transcript_formats

    path = Path(path).resolve()
    text, fmt, data = _read_file(path)
    sha = file_sha256(data)
    if fmt in ("vtt", "srt", "json"):
        return transcript_formats.parse_structured(text, fmt, path.stem, str(path), sha, sidecar)
    return parse_text(text, path.stem, sidecar, source=str(path), sha=sha, fmt=fmt)


def _load_sidecar(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None or not Path(path).is_file():
        return {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {Path(r.get("file", "")).name: {k: v for k, v in r.items() if k != "file"} for r in rows}


def interview_files(p: Path, issues: list[IngestIssue]) -> list[Path]:
    """Interview files in folder `p`, as the build reads them; other files (a PDF, audio) are
    reported in `issues`, not read. The sidecar `interviews.csv` is not an interview."""
    from tools import transcript_formats as tf

    found = sorted(f for f in p.rglob("*") if f.is_file() and not _hidden(f.relative_to(p)))
    keep: list[Path] = []
    for f in found:
        if f.name.upper() in ("SOURCE.MD", "README.MD") or f.name == "interviews.csv":
            continue
        if (bad := tf.unsupported(f)) is not None:
            issues.append(_issue(bad, "warning"))
        elif f.suffix.lower() in SUFFIXES:
            keep.append(f)
    return keep


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _issue(exc: InputError, severity: Literal["error", "warning"] = "error") -> IngestIssue:
    return IngestIssue(severity=severity, file=exc.file or "", row=exc.row,
                       message=exc.message, hint=exc.hint)  # fmt: skip


def read_interviews(
    paths_or_dirs: list[Path | str] | Path | str, sidecar_csv: Path | None = None
) -> tuple[list[ParsedInterview], list[IngestIssue]]:
    """Read every supported file under the given paths; unreadable ones become issues.

    Issue messages are plain words naming the file (the full path is in `file`): no Python
    error text and no numbers, since they are shown among the document's caveats.
    """
    from tools import transcript_formats as tf

    items = paths_or_dirs if isinstance(paths_or_dirs, list) else [paths_or_dirs]
    files: list[Path] = []
    issues: list[IngestIssue] = []
    for p in map(Path, items):
        if p.is_dir():
            files += interview_files(p, issues)
            sidecar_csv = sidecar_csv or (
                p / "interviews.csv" if (p / "interviews.csv").is_file() else None
            )
        elif p.suffix.lower() in tf.NOT_TEXT_SUFFIXES and (bad := tf.unsupported(p)):
            issues.append(_issue(bad, "warning"))
        else:
            files.append(p)
    side = _load_sidecar(sidecar_csv)
    out: list[ParsedInterview] = []
    seen: set[str] = set()
    for f in files:
        try:
            iv = read_interview(f, side.get(f.name))
        except InputError as exc:
            level: Literal["error", "warning"] = (
                "warning" if isinstance(exc, tf.EmptyFile) else "error"
            )
            issues.append(_issue(exc, level).model_copy(update={"file": str(f)}))
            continue
        except Exception:  # any other failure is reported in plain words; the rest still load
            issues.append(_issue(InputError(
                f"`{f.name}` could not be read as an interview; skipped",
                file=str(f), hint="save it as UTF-8 .txt/.md or .docx and try again")))  # fmt: skip
            continue
        if iv.interview_id in seen:
            iv = iv.model_copy(update={"interview_id": f"{iv.interview_id}-{iv.sha256[:6]}"})
        seen.add(iv.interview_id)
        if not any(t.speaker_role == "interviewee" for t in iv.turns):
            issues.append(
                IngestIssue(
                    severity="warning",
                    file=str(f),
                    message="no interviewee speech found",
                    hint="Label speakers ('Name: …') or quote the customer.",
                )
            )
        out.append(iv)
    return out, issues
