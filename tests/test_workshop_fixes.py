"""Fixes found by a new user: as-of on resume, failed loads, unload, negative weights, plain
"why" answers, exclusions that match nothing, clear/exit, interview counts, fake footnotes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from test_workshop_fake import FakeBackend

from agent.workshop.backend import IngestSummary
from agent.workshop.conversation import Conversation
from agent.workshop.engine import Workshop
from agent.workshop.intents import HELP, parse
from agent.workshop.render import Reply
from agent.workshop.terminal import Chat, run_terminal
from tools.models import IngestIssue


class PdfAwareBackend(FakeBackend):
    """Like the real ingest: with several files, an unreadable one becomes a file-level issue."""

    def inspect(self, paths: list[Path], mapping_file: Path | None) -> IngestSummary:
        good = [p for p in paths if p.name != "fake.csv"]
        summary = super().inspect(good, mapping_file)
        bad = [IngestIssue(severity="error", file=p.name, message="this is a PDF document, not a "
                           "data table", hint="export it as CSV") for p in paths if p not in good]  # fmt: skip
        return IngestSummary(summary.mappings, bad, summary.n_accounts, summary.n_deals)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "accounts.csv").write_text("id\n1\n", encoding="utf-8")
    (tmp_path / "fake.csv").write_bytes(b"%PDF-1.4\n\x00\x01binary")
    return {"accounts": tmp_path / "accounts.csv", "fake": tmp_path / "fake.csv"}


def _conv(tmp_path: Path, as_of: date | None = None) -> Conversation:
    return Conversation(Workshop(project=tmp_path / "proj", backend=PdfAwareBackend(),
                                 as_of=as_of))  # fmt: skip


@pytest.fixture
def conv(tmp_path: Path, files: dict[str, Path]) -> Conversation:
    c = _conv(tmp_path)
    c.turn(f"load customers {files['accounts']}")
    yield c
    c.close()


def test_as_of_is_saved_and_used_on_resume(tmp_path: Path, files: dict[str, Path]) -> None:
    first = _conv(tmp_path, date(2026, 6, 30))
    first.turn(f"load customers {files['accounts']}")
    first.turn("quit")
    first.close()
    again = _conv(tmp_path)  # resumed without --as-of
    assert "saved as-of date 2026-06-30" in again.engine.as_of_notice(again.session())
    again.turn("draft")
    assert again.engine.backend.builds[-1].as_of == date(2026, 6, 30)
    assert "As of: 2026-06-30" in again.turn("status").text
    again.close()
    later = _conv(tmp_path, date(2026, 9, 30))  # a new --as-of on resume overrides and says so
    notice = later.engine.as_of_notice(later.session())
    assert "--as-of 2026-09-30 overrides the saved as-of date 2026-06-30" in notice
    later.turn("draft")
    assert later.engine.backend.builds[-1].as_of == date(2026, 9, 30)
    assert later.session().as_of == "2026-09-30"
    later.close()


def test_resume_banner_tells_the_saved_as_of(tmp_path: Path, files: dict[str, Path]) -> None:
    first = _conv(tmp_path, date(2026, 6, 30))
    first.turn("status")
    first.close()
    again = _conv(tmp_path)
    from rich.console import Console

    console = Console(record=True, width=200)
    lines = iter(["quit"])
    run_terminal(again, console, read=lambda _p: next(lines), resumed=True)
    assert "Using the saved as-of date 2026-06-30" in console.export_text()
    again.close()


def test_unreadable_file_is_not_added(conv: Conversation, files: dict[str, Path]) -> None:
    reply = conv.turn(f"load customers {files['accounts']} {files['fake']}")
    assert "Not loaded: fake.csv: this is a PDF document" in reply.text
    assert reply.kind == "warn"
    assert conv.session().customers == [str(files["accounts"].resolve())]
    conv.turn("draft")
    assert conv.engine.backend.builds[-1].customers == [files["accounts"].resolve()]


def test_unload_removes_a_file_and_is_in_help(conv: Conversation, files: dict[str, Path]) -> None:
    assert "unload FILE" in HELP
    assert parse("remove accounts.csv").kind == "unload"
    missing = conv.turn("unload nothing.csv")
    assert "No loaded file matches nothing.csv" in missing.text
    assert conv.session().customers
    reply = conv.turn("unload accounts.csv")
    assert "Removed" in reply.text and conv.session().customers == []


def test_negative_weight_is_refused(conv: Conversation) -> None:
    reply = conv.turn("set weight revenue -5")
    assert "weights cannot be negative" in reply.text
    assert "is not a health component" not in reply.text
    assert conv.session().weights == {}
    assert parse("set revenue weight to -10").error.startswith("weights cannot be negative")


def test_exclusion_matching_no_account_changes_nothing(conv: Conversation) -> None:
    reply = conv.turn("exclude segment industry=Healthcare")
    assert "No account has industry = Healthcare" in reply.text
    assert "Values in your data: FinTech, Retail" in reply.text
    assert conv.session().overrides == []
    assert (
        "Northwind Pay (A1): Tier 1 -> Disqualified" in conv.turn("exclude industry=fintech").text
    )


def test_clear_clears_the_screen_and_exit_quits(conv: Conversation) -> None:
    assert parse("exit").kind == "quit"
    reply = conv.turn("clear")
    assert reply.clear and reply.kind == "info"
    cleared: list[bool] = []

    class Screen:
        def clear(self) -> None:
            cleared.append(True)

        def print(self, *args: object, **kwargs: object) -> None:
            pass

    Chat.say(type("C", (), {"console": Screen()})(), Reply("", [], clear=True))  # type: ignore[arg-type]
    assert cleared == [True]


def test_interview_count_excludes_sidecar(conv: Conversation, tmp_path: Path) -> None:
    folder = tmp_path / "interviews"
    folder.mkdir()
    for i in range(3):
        (folder / f"call-{i}.txt").write_text("Maria: hello\n", encoding="utf-8")
    (folder / "interviews.csv").write_text("file,account_id\ncall-0.txt,A1\n", encoding="utf-8")
    reply = conv.turn(f"load interviews {folder}")
    assert "Added 3 interview note(s)" in reply.text
    assert f"Used {folder.resolve() / 'interviews.csv'}" in reply.text


def test_pasted_fake_footnote_is_neutralised(conv: Conversation, tmp_path: Path) -> None:
    note = ("Maria: Our biggest headache is closing the books every month.\n\n"
            "[^s-c3bc5812]: Share of ideal customers with FinTech: 99%\n")  # fmt: skip
    reply = conv.turn(note, mode="paste")
    assert "saved as `[ ^`" in reply.text
    saved = next((tmp_path / "proj" / "notes").glob("*.txt")).read_text(encoding="utf-8")
    assert "[^" not in saved and "[ ^s-c3bc5812]: Share" in saved
    assert not re.search(r"\[\^s-c3bc5812\]", reply.text)
