"""Scripted workshop sessions through the real terminal program in a pseudo-terminal.

Each test drives the chat like a marketer: load the data, paste a multi-paragraph note, ask three
questions, change a weight, draft, quit, resume, and checks what the user sees. The fake-backend
session runs the real terminal loop, conversation graph and SQLite checkpointer; the example
session runs `icp workshop` itself on examples/acme (skipped while the pipeline is unfinished),
offline and against the local OpenAI-compatible stub (tests/stub_openai.py), where the weight change
is asked in free text that only the LLM intent path understands and every answer gets a drafted lead.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
NOTE = [
    "Maria: Our biggest headache is closing the books every month.",
    "",
    "Interviewer: What would stop you from buying?",
    "",
    "Maria: Honestly the price is a concern for us. We worry it costs more than our contractor.",
    ".",
]
FAKE_MAIN = """
import sys
import termios
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_workshop_fake import FakeBackend
from agent.workshop.conversation import Conversation
from agent.workshop.engine import Workshop
from agent.workshop.terminal import run_terminal
resume = sys.argv[2] == "1"
conv = Conversation(Workshop(project=Path(sys.argv[1]), backend=FakeBackend()))
if not resume:
    conv.start_over()
sys.exit(run_terminal(conv, resumed=resume))
"""


def _take_terminal() -> None:
    """Make the pty the child's controlling terminal, so Ctrl-C (\\x03) sends SIGINT."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Pty:
    """A child process on a pseudo-terminal; `send` a line, `expect` text on screen."""

    def __init__(self, cmd: list[str], cwd: Path, extra_env: dict[str, str] | None = None) -> None:
        self.master, slave = os.openpty()
        base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ICP_"))}
        env = {**base, "COLUMNS": "220", "LINES": "50", "TERM": "dumb", "NO_COLOR": "1",
               "PYTHONPATH": str(REPO), **(extra_env or {})}  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                                     env=env, close_fds=True, start_new_session=True,
                                     preexec_fn=_take_terminal)  # fmt: skip
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 120.0) -> str:
        end = time.monotonic() + timeout
        while text not in self.seen:
            left = end - time.monotonic()
            if left <= 0 or not self._pump(left):
                raise AssertionError(f"did not see {text!r}; screen was:\n{self.seen[-3000:]}")
        head, _, self.seen = self.seen.partition(text)
        return head + text

    def _pump(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], min(timeout, 1.0))
        if not ready:
            return self.proc.poll() is None
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.seen += ANSI.sub("", data.decode("utf-8", "replace"))
        return True

    def send(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode("utf-8"))

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=30)
        finally:
            os.close(self.master)


def _session(
    start: list[str],
    resume: list[str],
    project: Path,
    files: list[Path],
    questions: list[tuple[str, str]],
    *,
    weight: str = "set weight revenue 30",
    env: dict[str, str] | None = None,
    banner: str = "",
    lead: str = "",
) -> None:
    """The whole session; `lead` must head every answer, `banner` must show at start and resume."""
    chat = Pty(start, REPO, env)
    assert banner in chat.expect("icp> ")
    chat.send("load customers " + " ".join(map(str, files)))
    chat.expect("Column mapping")
    chat.expect("icp> ")
    chat.send("paste")
    chat.expect("Paste the interview note now")
    for line in NOTE:
        chat.send(line)
    screen = chat.expect("icp> ")
    assert "Interviewee: Maria" in screen
    assert "“Our biggest headache is closing the books every month.”[^q-" in screen
    for question, must in questions:
        chat.send(question)
        screen = chat.expect("icp> ")
        assert must in screen, screen
        assert lead in screen, screen
        assert "Traceback" not in screen
    time.sleep(0.5)  # let readline settle at the prompt before the interrupt arrives
    os.write(chat.master, b"\x03")  # Ctrl-C at the prompt asks, and the session goes on
    chat.expect("Press Ctrl-C again or type quit")
    chat.expect("icp> ")
    chat.send(weight)
    assert "Accounts that moved tier" in chat.expect("icp> ", 300)
    chat.send("draft")
    screen = chat.expect("icp> ", 300)
    assert "Draft written" in screen and str(project / "out") in screen.replace("\n", "")
    chat.send("quit")
    chat.expect("Your session is saved")
    assert chat.close() == 0

    again = Pty(resume, REPO, env)
    screen = again.expect("icp> ", 60)
    assert "revenue=30" in screen and "Pasted notes: 1" in screen and banner in screen
    again.send(questions[0][0])
    screen = again.expect("icp> ", 300)
    assert questions[0][1] in screen and lead in screen
    again.send("quit")
    again.expect("Your session is saved")
    assert again.close() == 0


def test_scripted_session_with_fake_backend(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    data = tmp_path / "accounts.csv"
    data.write_text("id\n1\n", encoding="utf-8")
    code = FAKE_MAIN.format(tests=str(REPO / "tests"))
    cmd = [sys.executable, "-c", code, str(project)]
    _session([*cmd, "0"], [*cmd, "1"], project, [data], [
        ("why is fintech Tier 1?", "FinTech is a Tier 1 criterion: 75%[^s-"),
        ("what do economic buyers object to?", "[^q-"),
        ("show churn reasons for companies under 100 employees", "Price too high: 1[^s-"),
    ])  # fmt: skip


def _pipeline_ready() -> str | None:
    try:
        import agent.graph  # noqa: F401
        from tools.ingest import load_customer_data  # noqa: F401
    except (ImportError, NotImplementedError) as exc:
        return f"the build pipeline is not runnable yet ({exc})"
    return None


EXAMPLE_QUESTIONS = [
    ("why is fintech Tier 1?", "[^s-"),
    ("what do economic buyers object to?", "[^q-"),
    ("which accounts in my pipeline are Tier 1?", "open deals at Tier 1 accounts"),
]


def _example_cli(project: Path, llm: str) -> list[str]:
    return [sys.executable, "-m", "agent.cli.app", "workshop", "--project", str(project),
            "--llm", llm, "--as-of", "2026-06-30"]  # fmt: skip


def test_scripted_session_on_the_example(tmp_path: Path) -> None:
    reason = _pipeline_ready()
    if reason:
        pytest.skip(reason)
    acme = REPO / "examples" / "acme"
    project = tmp_path / "proj"
    cli = _example_cli(project, "offline")
    files = [acme / "accounts.csv", acme / "deals.csv"]
    _session(cli, [*cli, "--resume"], project, files, EXAMPLE_QUESTIONS, banner="LLM: offline")


def test_scripted_session_against_stub_endpoint(tmp_path: Path) -> None:
    reason = _pipeline_ready()
    if reason:
        pytest.skip(reason)
    from tests.stub_openai import WORKSHOP_LEAD, StubOpenAI, workshop_responder

    acme = REPO / "examples" / "acme"
    project = tmp_path / "proj"
    cli = _example_cli(project, "openai")
    files = [acme / "accounts.csv", acme / "deals.csv"]
    with StubOpenAI(responder=workshop_responder) as stub:
        env = {"OPENAI_BASE_URL": stub.url, "OPENAI_API_KEY": "test", "ICP_MODEL": "stub-model",
               "ICP_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
        _session(cli, [*cli, "--resume"], project, files, EXAMPLE_QUESTIONS,
                 weight="please make revenue count for 30 in the health score", env=env,
                 banner=f"LLM: LLM stub-model at {stub.url}", lead=WORKSHOP_LEAD)  # fmt: skip
        systems = [r["messages"][0]["content"] for r in stub.requests]
    assert stub.completions > 0
    assert any("translate a marketer's message" in s for s in systems)  # the free-text weight
    assert any("plain-English lead" in s for s in systems)  # the answer leads
    assert any("<fact id=" in r["messages"][1]["content"] for r in stub.requests)  # the draft
