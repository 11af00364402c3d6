"""`icp interviews add`: one note in, its interviewee's role and verbatim insights out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTE = REPO / "examples" / "acme" / "interviews" / "2026-03-03-qa-helen-park.md"


def _add(path: Path, project: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "agent.cli.app", "interviews", "add", str(path),
           "--project", str(project)]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=project.parent)


def test_add_shows_role_and_stores_once(tmp_path: Path) -> None:
    first = _add(NOTE, tmp_path / "p")
    assert first.returncode == 0, first.stderr
    assert "Helen Park" in first.stdout and "economic_buyer" in first.stdout
    assert "embedded (stored)" in first.stdout
    again = _add(NOTE, tmp_path / "p")
    assert again.returncode == 0 and "0 embedded (unchanged)" in again.stdout


def test_add_rejects_a_pdf_plainly(tmp_path: Path) -> None:
    pdf = tmp_path / "call.pdf"
    pdf.write_bytes(b"%PDF-1.4 not an interview")
    proc = _add(pdf, tmp_path / "p")
    assert proc.returncode == 2
    assert "PDF is not supported" in proc.stderr and "Traceback" not in proc.stderr
