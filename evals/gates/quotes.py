"""Quotes gate: every quoted span is verbatim inside an interviewee's cited evidence span.

A quote is text in “…” (or "…") immediately followed by footnote markers. Each `q-` marker must
resolve to an evidence item whose recorded offsets still select exactly its text in the source
file (re-read as UTF-8, BOM stripped, newline=''), whose speaker role is `interviewee`, and whose
text contains the quote after normalising whitespace, quote marks, leading/trailing ellipses and
masked personal data (emails, phone numbers) on both sides. In gated sections a quote with no
`q-` marker fails (straight-quoted labels of fewer than three words are not quotes).

An attribution after a quote on the same line (`“…”[^q-…] — Name[, Title]`, the renderer's
form; a capitalised name after an em/en dash or `--`) must name the cited evidence's speaker,
and a title, when shown, must be that evidence's title (optionally followed by its company:
`, Company`, ` at Company`, ` (Company)`); otherwise `wrong_attribution`.
"""

from __future__ import annotations

import re

from evals.gates.context import Context
from evals.markdown import ANY_MARKER_RE, Unit
from evals.report import Failure, GateResult, make_result
from tools.models import Evidence

QUOTE_RE = re.compile(r"(“([^”\n]+)”|\"([^\"\n]+)\")((?:\[\^[^\]\s]+\])*)")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"\+?\d[\d ().-]{7,}\d")
REDACTION_RE = re.compile(r"\[(?:redacted|email|phone)[^\]]*\]|<(?:email|phone|pii)>", re.I)
QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "`": "'"})
ELLIPSIS_RE = re.compile(r"^(?:…|\.\.\.)\s*|\s*(?:…|\.\.\.)$")
ATTRIBUTION_RE = re.compile(r"^\s*(?:—|–|--)\s*[*_]*([A-Z][^,\n]*?)(?:,\s*(.*?))?[*_]*\s*\.?\s*$")
GATE = "quotes"


def normalise(text: str) -> str:
    """Whitespace, quote marks, outer ellipses and personal data normalised; nothing else."""
    text = REDACTION_RE.sub("<pii>", text)
    text = EMAIL_RE.sub("<pii>", text)
    text = PHONE_RE.sub("<pii>", text)
    text = " ".join(text.translate(QUOTE_CHARS).split())
    return ELLIPSIS_RE.sub("", text).strip()


def find_quotes(unit: Unit) -> list[tuple[str, list[str], bool]]:
    """(quoted text, marker ids right after it, curly?) for each quote in the unit."""
    out = []
    for m in QUOTE_RE.finditer(unit.text):
        curly = m.group(2) is not None
        body = m.group(2) if curly else m.group(3)
        ids = [x.group(1) for x in ANY_MARKER_RE.finditer(m.group(4))]
        out.append((body, ids, curly))
    return out


def attributions(unit: Unit) -> list[tuple[str, tuple[int, int], str, str | None]]:
    """(quote body, span of the attribution, name, title or None) per attributed quote."""
    matches = list(QUOTE_RE.finditer(unit.text))
    out = []
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(unit.text)
        if (a := ATTRIBUTION_RE.match(unit.text[m.end() : end])) is None:
            continue
        body = m.group(2) if m.group(2) is not None else m.group(3)
        span = (m.end() + a.start(1), m.end() + (a.end(2) if a.group(2) else a.end(1)))
        out.append((body, span, a.group(1), a.group(2)))
    return out


def _fold(text: str | None) -> str:
    words = (text or "").replace("*", " ").replace("_", " ").split()
    return " ".join(words).rstrip(".").casefold()


def attribution_ok(ev: Evidence, name: str, title: str | None) -> bool:
    """Does `name[, title]` name this evidence's speaker (and its title, if shown)?"""
    if _fold(name) != _fold(ev.speaker):
        return False
    if not title:
        return True
    t, c = _fold(ev.title), _fold(ev.company)
    allowed = {t, f"{t}, {c}", f"{t} at {c}", f"{t} ({c})"} if t else set()
    return _fold(title) in (allowed | {c} if c else allowed)


def _check_attribution(
    ctx: Context, unit: Unit, qids: list[str], name: str, title: str | None
) -> list[Failure]:
    evs = [ctx.run.evidence[i] for i in qids if i in ctx.run.evidence]
    if not evs or any(attribution_ok(ev, name, title) for ev in evs):
        return []
    who = evs[0].speaker + (f", {evs[0].title}" if evs[0].title else "")
    found = name + (f", {title}" if title else "")
    return [ctx.fail(GATE, "wrong_attribution", unit, id=evs[0].id, expected=who, found=found)]


def _check_one(ctx: Context, unit: Unit, body: str, qid: str) -> list[Failure]:
    ev = ctx.run.evidence.get(qid)
    if ev is None:
        return [
            ctx.fail(
                GATE,
                "unknown_evidence",
                unit,
                id=qid,
                expected="an id in evidence.jsonl",
                found="no such evidence",
            )
        ]
    out = []
    if ev.speaker_role != "interviewee":
        out.append(
            ctx.fail(
                GATE,
                "not_interviewee",
                unit,
                id=qid,
                expected="interviewee",
                found=f"{ev.speaker_role} ({ev.speaker})",
            )
        )
    src = ctx.run.source_text(ev)
    if src is None:
        out.append(
            ctx.fail(
                GATE,
                "source_unreadable",
                unit,
                id=qid,
                expected="readable file",
                found=str(ctx.run.source_path(ev)),
            )
        )
    elif src[ev.start : ev.end] != ev.text:
        out.append(
            ctx.fail(
                GATE,
                "offset_mismatch",
                unit,
                id=qid,
                expected=f"characters {ev.start}–{ev.end} = evidence text",
                found=src[ev.start : ev.end][:120],
            )
        )
    if normalise(body) not in normalise(ev.text):
        out.append(
            ctx.fail(GATE, "not_verbatim", unit, id=qid, expected=ev.text[:200], found=body[:200])
        )
    return out


def check(ctx: Context) -> GateResult:
    failures: list[Failure] = []
    n = 0
    for unit in ctx.doc.units:
        attributed = {body: (name, title) for body, _, name, title in attributions(unit)}
        for body, ids, curly in find_quotes(unit):
            qids = [i for i in ids if i.startswith("q-")]
            if not qids:
                if unit.gated and (curly or len(body.split()) >= 3):
                    n += 1
                    failures.append(
                        ctx.fail(
                            GATE,
                            "quote_without_marker",
                            unit,
                            expected="[^q-…] right after the quote",
                            found=f"“{body[:80]}”",
                        )
                    )
                continue
            n += 1
            for qid in qids:
                failures += _check_one(ctx, unit, body, qid)
            if body in attributed:
                failures += _check_attribution(ctx, unit, qids, *attributed[body])
    return make_result(GATE, n, failures)
