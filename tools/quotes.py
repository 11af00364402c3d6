"""Locate and verify quotes: verbatim up to whitespace and quote-mark style, nothing else.

A quote passes only if, after collapsing whitespace runs and unifying curly/straight quote marks
and apostrophes (and … vs ...), it occurs inside the cited evidence span of the raw source, and
that evidence is an interviewee's own words. Near-misses (a changed word, a dropped comma) are
rejected with a reason; they are never repaired.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.models import Evidence

_MARKS = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "`": "'",
        "\u00a0": " ",
    }
)


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and, per normalised char, its index in the original."""
    out: list[str] = []
    idx: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not prev_space:
                out.append(" ")
                idx.append(i)
            prev_space = True
            continue
        prev_space = False
        if ch == "…":
            out.extend("...")
            idx.extend([i, i, i])
            continue
        out.append(ch.translate(_MARKS))
        idx.append(i)
    return "".join(out), idx


def locate(
    quote: str, source_text: str, start: int = 0, end: int | None = None
) -> tuple[int, int] | None:
    """Original-text span of `quote` inside source_text[start:end], or None."""
    end = len(source_text) if end is None else end
    q, _ = normalise(quote.strip())
    if not q:
        return None
    hay, idx = normalise(source_text[start:end])
    at = hay.find(q)
    if at < 0:
        return None
    return start + idx[at], start + idx[at + len(q) - 1] + 1


@dataclass(frozen=True)
class QuoteCheck:
    ok: bool
    reason: str
    span: tuple[int, int] | None = None


def verify_quote(quote: str, evidence: Evidence, source_text: str) -> QuoteCheck:
    """Check a quote against its cited evidence on the raw source (not a masked copy)."""
    if evidence.speaker_role != "interviewee":
        return QuoteCheck(False, f"cited evidence is {evidence.speaker_role}, not an interviewee")
    if source_text[evidence.start : evidence.end] != evidence.text:
        return QuoteCheck(False, "evidence offsets no longer match the source (file changed?)")
    span = locate(quote, source_text, evidence.start, evidence.end)
    if span is None and ("[email]" in quote or "[phone]" in quote):
        from tools.evidence import mask_pii  # a masked rendering is checked against masked source

        masked = mask_pii(evidence.text)
        if normalise(quote.strip())[0] in normalise(masked)[0]:
            return QuoteCheck(
                True, "verbatim (personal data masked)", (evidence.start, evidence.end)
            )
    if span is None:
        return QuoteCheck(False, "not a verbatim span of the cited evidence")
    return QuoteCheck(True, "verbatim", span)
