"""Code-side checks on what a model wrote: ids, numbers, quotes, directions, injected text.

The model proposes; these functions decide. `check_sentences` lists every reason a drafted
paragraph is not grounded in its task (unknown ids, digits typed outside `{s-…}` placeholders,
placeholders for uncited stats, quotation marks, copied interview text, links, instruction-like
text, comparison words contradicting a cited ratio). `locate_verbatim` finds a proposed quote
inside a source text after whitespace and quote-mark normalisation only; anything else is a
near-miss and is rejected, never repaired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from tools.document import PLACEHOLDER_RE

QUOTE_MARKS = '"“”„«»‟'
TIER_NAME_RE = re.compile(r"\bTier\s+\d+\b")
LINK_RE = re.compile(
    r"https?://|www\.|\b[\w.-]+@[\w-]+\.\w+|\b[\w-]+\.(?:com|io|net|org|ai)\b", re.I
)
INSTRUCTION_RE = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|prompts?|above|previous|rules)\b"
    r"|\bsystem prompt\b|\bas an ai\b",
    re.IGNORECASE,
)
UP_WORDS = re.compile(
    r"\b(more likely|more often|more common|higher|over-?represented|above|outperform\w*|"
    r"stronger|greater|exceeds?)\b",
    re.IGNORECASE,
)
DOWN_WORDS = re.compile(
    r"\b(less likely|less often|less common|lower|under-?represented|below|underperform\w*|"
    r"weaker|fewer|rarely)\b",
    re.IGNORECASE,
)
COPY_WORDS = 6  # this many consecutive words of a quote in prose = copied interview text
_WORD_RE = re.compile(r"[a-z0-9']+")
_QUOTE_NORMAL = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "«": '"', "»": '"'}
)


def _ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = _WORD_RE.findall(text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def check_sentences(
    sentences: Iterable[tuple[str, Sequence[str], Sequence[str]]],
    facts: Mapping[str, tuple[str, float | None]],
    quotes: Mapping[str, str],
) -> list[str]:
    """Every failure of a drafted paragraph against its task, in plain words (empty = grounded).

    `sentences` are (text, stat_ids, quote_ids); `facts` maps stat id -> (unit, value); `quotes`
    maps evidence id -> the text shown to the model.
    """
    grams: set[tuple[str, ...]] = set()
    for q in quotes.values():
        grams |= _ngrams(q, COPY_WORDS)
    out: list[str] = []
    n = 0
    for n, (text, stat_ids, quote_ids) in enumerate(sentences, start=1):
        out += _one(f"sentence {n}", text, list(stat_ids), list(quote_ids), facts, quotes, grams)
    if n == 0:
        out.append("the reply has no sentences")
    return out


def _one(
    where: str,
    text: str,
    stat_ids: list[str],
    quote_ids: list[str],
    facts: Mapping[str, tuple[str, float | None]],
    quotes: Mapping[str, str],
    grams: set[tuple[str, ...]],
) -> list[str]:
    if not text.strip():
        return [f"{where}: empty text"]
    out = [f"{where}: stat id {s} is not among the given facts" for s in stat_ids if s not in facts]
    out += [
        f"{where}: quote id {q} is not among the given quotes" for q in quote_ids if q not in quotes
    ]
    if not stat_ids and not quote_ids:
        out.append(f"{where}: cites no fact or quote id")
    for m in PLACEHOLDER_RE.finditer(text):
        if m.group(1) not in stat_ids:
            out.append(
                f"{where}: placeholder {{{m.group(1)}}} is used but {m.group(1)} is not in stat_ids"
            )
    bare = TIER_NAME_RE.sub("Tier", PLACEHOLDER_RE.sub("", text))
    if "{" in bare or "}" in bare:
        out.append(f"{where}: malformed placeholder; write numbers only as {{s-xxxxxxxx}}")
    digits = re.findall(r"\d[\d.,%]*", bare)
    if digits:
        out.append(
            f"{where}: types the number(s) {', '.join(digits[:3])}; use {{stat id}} placeholders"
        )
    if any(c in text for c in QUOTE_MARKS):
        out.append(f"{where}: contains quotation marks; cite quote ids instead of quoting")
    if LINK_RE.search(text):
        out.append(f"{where}: contains a link or address, which no input supports")
    if INSTRUCTION_RE.search(text):
        out.append(f"{where}: contains instruction-like text taken from the input data")
    if grams & _ngrams(text, COPY_WORDS):
        out.append(f"{where}: copies interview wording; cite the quote id instead")
    out += _direction(where, text, stat_ids, facts)
    return out


def _direction(
    where: str, text: str, stat_ids: list[str], facts: Mapping[str, tuple[str, float | None]]
) -> list[str]:
    cited = [facts[s][1] for s in stat_ids if s in facts and facts[s][0] == "ratio"]
    ratios = [v for v in cited if v is not None and v != 1.0]
    if not ratios:
        return []
    up, down = bool(UP_WORDS.search(text)), bool(DOWN_WORDS.search(text))
    if up == down:  # no comparison word, or both: not determinable
        return []
    if all(v > 1 for v in ratios) and down:
        return [f"{where}: says lower/less but the cited ratio is above 1"]
    if all(v < 1 for v in ratios) and up:
        return [f"{where}: says higher/more but the cited ratio is below 1"]
    return []


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Lower-cased text with quote marks unified and whitespace runs collapsed, plus index map."""
    chars: list[str] = []
    index: list[int] = []
    for pos, ch in enumerate(text.translate(_QUOTE_NORMAL)):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch)
        index.append(pos)
    return "".join(chars), index


def locate_verbatim(quote: str, source: str) -> tuple[int, int] | None:
    """(start, end) of `quote` inside `source`, allowing only whitespace and quote-mark changes."""
    needle, _ = _normalise_with_map(quote.strip().strip(QUOTE_MARKS + "'").strip())
    if not needle.strip():
        return None
    hay, index = _normalise_with_map(source)
    at = hay.find(needle)
    if at < 0:
        return None
    return index[at], index[at + len(needle) - 1] + 1
