"""Interview folders as users really have them: binary files, PDFs, empty and huge files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import transcript_formats
from tools.transcripts import read_interviews

GOOD = "Host: What made you switch?\nAnn: The old tool kept losing our notes.\n"


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    return tmp_path


def _only(issues, name: str):
    found = [i for i in issues if Path(i.file).name == name]
    assert len(found) == 1, issues
    return found[0]


def _plain(message: str) -> None:
    """Shown among ICP.md's caveats: no Python error text, no hex bytes, no numbers."""
    assert "codec" not in message and "0x" not in message and "Error" not in message
    assert not re.search(r"\d", message.replace("UTF-8", "")), message


@pytest.mark.parametrize(
    "data",
    [b"\xd9\xa0\xff\xfe\x00\x01abc\x00\x00", bytes(range(256)) * 20],
    ids=["undecodable", "binary"],
)
def test_unreadable_file_gets_a_plain_message(tmp_path: Path, data: bytes) -> None:
    (_folder(tmp_path) / "notes.md").write_bytes(data)
    ivs, issues = read_interviews([tmp_path])
    assert [iv.interview_id for iv in ivs] == ["ok"]
    issue = _only(issues, "notes.md")
    assert issue.file == str(tmp_path / "notes.md")  # full path kept in `file`
    assert issue.message.startswith("`notes.md` is not readable as text")
    assert "save it as UTF-8 text" in issue.message
    _plain(issue.message)


def test_pdf_in_folder_is_reported_not_skipped_silently(tmp_path: Path) -> None:
    (_folder(tmp_path) / "call.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (tmp_path / "LICENSE").write_text("MIT", encoding="utf-8")  # not content: not reported
    ivs, issues = read_interviews([tmp_path])
    assert len(ivs) == 1 and len(issues) == 1
    issue = _only(issues, "call.pdf")
    assert issue.severity == "warning" and "PDF is not supported" in issue.message
    assert "export it as .txt or .docx" in issue.message
    _plain(issue.message)


def test_pdf_named_explicitly_is_reported_too(tmp_path: Path) -> None:
    pdf = tmp_path / "call.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    ivs, issues = read_interviews([pdf])
    assert not ivs and "PDF is not supported" in issues[0].message


@pytest.mark.parametrize(("content", "words"), [(b"", "is empty"), (b" \n\n\t", "holds no text")])
def test_empty_file_is_a_clear_issue(tmp_path: Path, content: bytes, words: str) -> None:
    (_folder(tmp_path) / "blank.txt").write_bytes(content)
    ivs, issues = read_interviews([tmp_path])
    issue = _only(issues, "blank.txt")
    assert len(ivs) == 1 and words in issue.message and issue.severity == "warning"
    _plain(issue.message)


def test_huge_file_is_skipped_with_a_request_to_split_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transcript_formats, "MAX_TEXT_CHARS", 2_000)
    (_folder(tmp_path) / "all-calls.md").write_text(GOOD * 100, encoding="utf-8")  # ~7k chars
    (tmp_path / "huge.md").write_text(GOOD * 2_000, encoding="utf-8")  # over the byte guard
    ivs, issues = read_interviews([tmp_path])
    assert [iv.interview_id for iv in ivs] == ["ok"]
    for name in ("all-calls.md", "huge.md"):
        issue = _only(issues, name)
        assert "larger than the size limit for one interview (see README)" in issue.message
        assert "split it" in issue.message
        _plain(issue.message)


def test_documented_limit_is_generous_for_real_interviews() -> None:
    assert transcript_formats.MAX_TEXT_CHARS == 300_000
