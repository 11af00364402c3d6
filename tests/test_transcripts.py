"""Transcript reading on the real interviews and on small hand-written formats."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tools.transcripts import parse_text, read_interview, read_interviews

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "interviews"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared data missing at {DATA}")


@pytest.fixture(scope="module")
def real():
    ivs, issues = read_interviews([DATA])
    assert not [i for i in issues if i.severity == "error"]
    return {iv.interview_id: iv for iv in ivs}


def _section(text: str, name: str) -> tuple[int, int]:
    m = re.search(rf"^## {name}\s*$", text, re.M)
    assert m, name
    nxt = re.search(r"^#", text[m.end() :], re.M)
    return m.start(), m.end() + (nxt.start() if nxt else len(text))


@needs_data
def test_otel_summary_description_and_host_are_never_interviewee(real):
    otel = [iv for iv in real.values() if "otel" in iv.interview_id]
    assert len(otel) == 4
    for iv in otel:
        spans = [_section(iv.text, "Description"), _section(iv.text, "Summary")]
        for t in iv.turns:
            if t.speaker_role != "interviewee":
                continue
            assert not any(s <= t.start < e for s, e in spans), iv.interview_id
            assert t.speaker not in ("Host", "Adriana", "Audience Member", "Paige Cruz")
            raw = iv.text.find("## Raw YouTube Transcript")
            assert raw < 0 or t.start < raw, "raw auto transcript mixes host and guest"
        hosts = [t for t in iv.turns if t.speaker in ("Host", "Adriana")]
        assert all(t.speaker_role == "interviewer" for t in hosts)


@needs_data
def test_otel_guests_from_title_and_labels(real):
    jacob = real["20230702t174637z-otel-q-a-feat-jacob-aronoff-of-lightstep-from-servicenow"]
    assert [p.name for p in jacob.interviewees] == ["Jacob Aronoff"]
    assert jacob.interviewees[0].title == "staff engineer"
    assert jacob.interviewees[0].title_inferred
    assert jacob.interviewees[0].company == "Lightstep"
    panel = real["20240305t194924z-otel-collector-user-feedback-panel"]
    assert {p.name for p in panel.interviewees} == {"Iris", "Juraj", "Greg", "Joel"}


@needs_data
def test_zulip_titles_and_quoted_spans(real):
    titles = {p.name: p.title for iv in real.values() for p in iv.interviewees}
    assert titles["Jon Jensen"] == "CTO"
    assert titles["Erik Dittert"] == "Head of IT"
    assert titles["James van Lommel"] == "Director of Engineering"
    assert titles["Gareth Watts"] == "co-founder and CTO"
    atolio = real["atolio"]
    said = [atolio.text[t.start : t.end] for t in atolio.turns if t.speaker_role == "interviewee"]
    assert "We didn’t want Slack" in said
    assert all("says" not in s and not s.startswith(("“", '"')) for s in said)
    assert not any(p.title_inferred for p in atolio.interviewees)


def test_labelled_note_roles_offsets_and_front_matter():
    text = (
        "---\ninterviewee: Dana Fox\ntitle: VP Finance\ncompany: Acme\naccount_id: A-7\n---\n"
        "[00:00:03] Interviewer: What made you look for a new tool?\n\n"
        "[00:00:09] Dana Fox: Our renewal doubled in price.\nIt was a shock.\n\n"
        "More budget pain followed.\n\n**Interviewer:** Anything else?\n"
    )
    iv = parse_text(text, "dana")
    roles = [(t.speaker, t.speaker_role, text[t.start : t.end]) for t in iv.turns]
    assert ("Interviewer", "interviewer", "What made you look for a new tool?") in roles
    assert ("Dana Fox", "interviewee", "Our renewal doubled in price.\nIt was a shock.") in roles
    assert ("Dana Fox", "interviewee", "More budget pain followed.") in roles
    assert iv.interviewees[0].account_id == "A-7" and iv.interviewees[0].title == "VP Finance"


def test_qa_notes_and_vtt_srt_json(tmp_path: Path):
    qa = parse_text("Q: Why did you switch?\nA: The old tool was slow.\n", "qa")
    assert [(t.speaker_role, qa.text[t.start : t.end]) for t in qa.turns] == [
        ("interviewer", "Why did you switch?"),
        ("interviewee", "The old tool was slow."),
    ]
    vtt = tmp_path / "call.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Host>How is it going?</v>\n\n"
        "00:00:04.000 --> 00:00:06.000\n<v Kim Lee>It saves us hours.</v>\n",
        encoding="utf-8",
    )
    iv = read_interview(vtt, {"interviewee": "Kim Lee"})
    got = [(t.speaker_role, iv.text[t.start : t.end]) for t in iv.turns]
    assert got == [("interviewer", "How is it going?"), ("interviewee", "It saves us hours.")]
    js = tmp_path / "gong.json"
    js.write_text(
        json.dumps(
            {
                "utterances": [
                    {"speaker": "Rep", "text": 'Tell me about "pricing"?'},
                    {"speaker": "Sam", "text": "Pricing was our main worry."},
                ]
            }
        ),
        encoding="utf-8",
    )
    iv = read_interview(js, {"interviewee": "Sam", "interviewer": "Rep"})
    sam = [t for t in iv.turns if t.speaker_role == "interviewee"]
    assert [iv.text[t.start : t.end] for t in sam] == ["Pricing was our main worry."]


def test_unreadable_file_is_reported_not_raised(tmp_path: Path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    good = tmp_path / "ok.txt"
    good.write_bytes("\ufeffHost: Hi?\r\nAnn: Hello there, we love it.\r\n".encode())
    ivs, issues = read_interviews([tmp_path])
    assert [iv.interview_id for iv in ivs] == ["ok"]
    assert issues and issues[0].file.endswith("broken.json") and issues[0].severity == "error"
    ann = [t for t in ivs[0].turns if t.speaker == "Ann"][0]
    assert ivs[0].text[ann.start : ann.end] == "Hello there, we love it."
