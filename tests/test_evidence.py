"""Evidence spans are verbatim; quotes verify on the raw source; personal data is masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.evidence import build_evidence, mask_pii
from tools.ids import evidence_id
from tools.quotes import locate, normalise, verify_quote
from tools.transcripts import parse_text, read_interviews

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "interviews"


@pytest.mark.skipif(not DATA.is_dir(), reason=f"shared data missing at {DATA}")
def test_every_interviewee_evidence_is_verbatim_in_the_file():
    ivs, _ = read_interviews([DATA])
    evidence = build_evidence(ivs)
    mine = [e for e in evidence if e.speaker_role == "interviewee"]
    assert len(mine) > 300
    for ev in mine:
        raw = Path(ev.source).read_bytes().decode("utf-8").lstrip("\ufeff")
        assert raw[ev.start : ev.end] == ev.text
        assert ev.id == evidence_id(
            next(i.sha256 for i in ivs if i.interview_id == ev.interview_id), ev.start, ev.end
        )
        assert "In this YouTube video" not in ev.text
        assert ev.speaker and ev.speaker not in ("Host", "Adriana")
    assert len({e.id for e in evidence}) == len(evidence)


def test_quote_gate_accepts_whitespace_and_marks_rejects_near_misses():
    text = "Host: Why?\nAnn Lee: It’s   the “best” tool.\nWe love it.\n"
    iv = parse_text(text, "n")
    ev = [e for e in build_evidence([iv]) if e.speaker_role == "interviewee"][0]
    assert ev.text == "It’s   the “best” tool."
    assert verify_quote('It\'s the "best" tool.', ev, text).ok
    assert not verify_quote("It's the best tool.", ev, text).ok  # dropped marks: near-miss
    assert not verify_quote('It\'s the "finest" tool.', ev, text).ok
    host = [e for e in build_evidence([iv]) if e.speaker_role == "interviewer"][0]
    assert not verify_quote("Why?", host, text).ok


def test_pii_masked_for_display_but_quote_still_verifies():
    text = "Host: Contact?\nBo Ek: Mail me at bo.ek@acme.io or call +1 (415) 555-0199 today.\n"
    iv = parse_text(text, "pii")
    ev = [e for e in build_evidence([iv]) if e.speaker_role == "interviewee"][0]
    shown = mask_pii(ev.text)
    assert "bo.ek@acme.io" not in shown and "555-0199" not in shown
    assert shown == "Mail me at [email] or call [phone] today."
    assert verify_quote(shown, ev, text).ok
    assert not verify_quote("Mail me at [email] or call [phone] tomorrow.", ev, text).ok


@given(st.text(min_size=1, max_size=200), st.integers(0, 200), st.integers(1, 60))
def test_locate_round_trips_any_span(source: str, start: int, length: int):
    start = min(start, len(source) - 1)
    piece = source[start : start + length]
    if not piece.strip():
        return
    span = locate(piece, source)
    assert span is not None
    s, e = span
    assert normalise(source[s:e])[0] == normalise(piece.strip())[0]
