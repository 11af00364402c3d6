"""Optional claim-support judge (`icp eval --judge`): never a gate, never required in CI.

`Judge.score(claim, cited_texts) -> bool` says whether the cited texts support the claim. The
bundled `LexicalJudge` is a deterministic baseline (share of the claim's content words found in
the cited texts); an LLM or NLI judge plugs in behind the same protocol. `calibrate` measures a
judge's agreement with a labelled set (`evals/datasets/judge/*.jsonl`, one
`{"claim", "cited_texts", "supported"}` per line) before anyone trusts it; `judge_run` gives
ALCE-style citation recall (claims supported by their citations together) and precision
(citations that support their claim on their own) over the gated claim units.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Protocol

from evals.markdown import ANY_MARKER_RE, parse
from evals.rundata import RunData
from tools.citations import format_stat

CALIBRATION_DIR = Path(__file__).resolve().parent / "datasets" / "judge"
_STOPWORDS = (
    "the and for with that this from are was were has have had they their them our your you "
    "its into than then but not all any can will would could should about over more less what "
    "when who which how why also just very other others each per of to in on at by as is be "
    "it we us an or a"
)
STOPWORDS = frozenset(_STOPWORDS.split())


class Judge(Protocol):
    def score(self, claim: str, cited_texts: list[str]) -> bool: ...


def content_words(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z'-]{2,}", ANY_MARKER_RE.sub(" ", text).lower())
    return {_stem(w) for w in words if w not in STOPWORDS}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


class LexicalJudge:
    """Supported when at least `threshold` of the claim's content words occur in the citations."""

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold

    def score(self, claim: str, cited_texts: list[str]) -> bool:
        words = content_words(claim)
        if not words:
            return True
        found = content_words(" ".join(cited_texts))
        return len(words & found) / len(words) >= self.threshold


def calibrate(judge: Judge, folder: Path = CALIBRATION_DIR) -> dict[str, float | int]:
    """Agreement of `judge` with every labelled pair under `folder`."""
    tp = fp = tn = fn = 0
    for path in sorted(Path(folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            said = judge.score(item["claim"], item["cited_texts"])
            truth = bool(item["supported"])
            tp += said and truth
            fp += said and not truth
            tn += (not said) and (not truth)
            fn += (not said) and truth
    n = tp + fp + tn + fn
    return {"n": n, "agreement": round((tp + tn) / n, 4) if n else 0.0,
            "true_pos": tp, "false_pos": fp, "true_neg": tn, "false_neg": fn}  # fmt: skip


def _cited_text(run: RunData, cid: str) -> str | None:
    if cid in run.evidence:
        return run.evidence[cid].text
    if cid in run.stats:
        st = run.stats[cid]
        return f"{st.definition}: {format_stat(st)}"
    return None


def judge_run(run: RunData, judge: Judge | None = None) -> dict[str, object]:
    """Citation recall and precision of the gated claim units under `judge` (default lexical)."""
    judge = judge or LexicalJudge()
    claims = supported = cites = precise = 0
    unsupported: list[str] = []
    for unit in parse(run.icp_text).units:
        texts = {c: t for c in unit.cites if (t := _cited_text(run, c)) is not None}
        if not unit.gated or not texts:
            continue
        claims += 1
        if judge.score(unit.text, list(texts.values())):
            supported += 1
        else:
            unsupported.append(f"line {unit.line}: {unit.short(100)}")
        for text in texts.values():
            cites += 1
            precise += judge.score(unit.text, [text])
    return {
        "judge": type(judge).__name__,
        "claims": claims,
        "citation_recall": round(supported / claims, 4) if claims else None,
        "citation_precision": round(precise / cites, 4) if cites else None,
        "unsupported": unsupported[:20],
        "calibration": calibrate(judge),
    }
