"""The terminal loop: prompt, multi-line paste, history, Ctrl-C handling, rich output.

Plain stdin (`input()`, with GNU readline history in `<project>/.workshop_history` when the
terminal is interactive). A note is pasted after `paste` (or a line holding only `\"\"\"`) and ends
at a line holding only `.` or `\"\"\"`, or at end of input; blank lines inside are kept. A
multi-line bracketed paste arriving at the prompt is treated as a note too. Ctrl-C at the prompt
asks once before leaving; Ctrl-C during a command cancels it, and the session stays as it was
checkpointed after the previous turn.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from agent.workshop.conversation import Conversation
from agent.workshop.render import Reply, render

PROMPT = "icp> "
BLOCK_END = {".", '"""'}
HISTORY_FILE = ".workshop_history"
Reader = Callable[[str], str]


class History:
    """readline history in the project folder (a no-op where readline is unavailable)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            import readline
        except ImportError:  # pragma: no cover - Windows without pyreadline
            self.rl = None
            return
        self.rl = readline
        readline.set_history_length(2000)
        if path.is_file():
            with contextlib.suppress(OSError):
                readline.read_history_file(str(path))

    def mark(self) -> int:
        return self.rl.get_current_history_length() if self.rl else 0

    def drop_since(self, mark: int) -> None:
        """Forget lines typed since `mark` (pasted note text does not belong in history)."""
        if self.rl is None:
            return
        while self.rl.get_current_history_length() > mark:
            self.rl.remove_history_item(self.rl.get_current_history_length() - 1)

    def save(self) -> None:
        if self.rl is not None:
            with contextlib.suppress(OSError):
                self.rl.write_history_file(str(self.path))


def read_block(read: Reader) -> str | None:
    """Lines until a terminator or EOF, joined with newlines; None if cancelled with Ctrl-C."""
    lines: list[str] = []
    try:
        while True:
            line = read("")
            if line.strip() in BLOCK_END:
                break
            lines.append(line)
    except EOFError:
        pass
    except KeyboardInterrupt:
        return None
    return "\n".join(lines) + ("\n" if lines else "")


class Chat:
    def __init__(self, conv: Conversation, console: Console, read: Reader = input) -> None:
        self.conv = conv
        self.console = console
        self.read = read
        self.history = History(conv.engine.project / HISTORY_FILE)

    def say(self, reply: Reply) -> None:
        if reply.clear:
            self.console.clear()
        if reply.title or reply.lines:
            render(self.console, reply)

    def run(self) -> int:
        armed = False  # a first Ctrl-C at the prompt arms the quit
        while True:
            try:
                line = self.read(PROMPT)
            except EOFError:
                self.console.print("\nBye. Your session is saved.")
                return 0
            except KeyboardInterrupt:
                if armed:
                    self.console.print("\nBye. Your session is saved.")
                    return 0
                armed = True
                self.console.print("\n(Ctrl-C) Press Ctrl-C again or type quit to leave; "
                                   "your work is saved after every step.")  # fmt: skip
                continue
            armed = False
            self.history.save()
            if self._step(line):
                return 0

    def _step(self, line: str) -> bool:
        """Run one line (and a follow-up block if asked); True when the user quits."""
        mode = "command"
        if line.strip() == '"""':
            line, mode = self._block() or "", "paste"
        elif "\n" in line.strip():  # bracketed paste of several lines at the prompt
            self.console.print("Treating the pasted text as an interview note.")
            mode = "paste"
        reply = self._turn(line, mode)
        if reply is None:
            return False
        self.say(reply)
        if reply.expect:
            block = self._block()
            if block is None:
                self.console.print("Paste cancelled; nothing changed.")
                return False
            follow = self._turn(block, reply.expect)
            if follow is not None:
                self.say(follow)
        return reply.quit

    def _block(self) -> str | None:
        mark = self.history.mark()
        block = read_block(self.read)
        self.history.drop_since(mark)
        return block

    def _turn(self, text: str, mode: str) -> Reply | None:
        try:
            return self.conv.turn(text, mode)
        except KeyboardInterrupt:
            self.console.print("\nCancelled. Your session is as it was before this command.")
            return None


def run_terminal(
    conv: Conversation, console: Console | None = None, read: Reader = input, resumed: bool = False
) -> int:
    """Greet, show where a resumed session stands, and run the loop."""
    console = console or Console(highlight=False, emoji=False, soft_wrap=False)
    chat = Chat(conv, console, read)
    console.print(f"ICP workshop — project {conv.engine.project}")
    console.print(f"LLM: {conv.engine.llm_description}. Type help for commands, quit to leave.")
    session = conv.session()
    notice = conv.engine.as_of_notice(session) if resumed else ""
    if notice:
        console.print(notice)
    if resumed and session is not None:
        chat.say(conv.turn("status"))
    elif resumed:
        console.print("No saved session in this project yet; starting a new one.")
    code = chat.run()
    chat.history.save()
    return code
