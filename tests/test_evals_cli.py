"""`icp eval`: exit codes, the named failing sentence and id, reports on disk, baseline, judge."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from agent.cli import eval_cmd

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "evalrun"
REPO = Path(__file__).resolve().parents[1]
BAD_SENTENCE = "Tier 1 is 38% of the open pipeline."
BAD_ID = "s-0badc0de"


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False, callback=lambda: None)  # keeps `eval` a sub-command
    eval_cmd.register(app)
    return app


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    dest = tmp_path / "good"
    shutil.copytree(FIXTURE, dest)
    return dest


@pytest.fixture()
def corrupted(tmp_path: Path) -> Path:
    dest = tmp_path / "bad"
    shutil.copytree(FIXTURE, dest)
    md = dest / "ICP.md"
    text = md.read_text(encoding="utf-8").replace(
        f"{BAD_SENTENCE}[^s-ba8461b0]", f"{BAD_SENTENCE}[^{BAD_ID}]"
    )
    md.write_text(text, encoding="utf-8")
    return dest


def test_clean_folder_exits_0_and_writes_reports(good: Path) -> None:
    result = CliRunner().invoke(_app(), ["eval", str(good)])
    assert result.exit_code == 0, result.output
    data = json.loads((good / "eval-report.json").read_text(encoding="utf-8"))
    assert data["passed"] is True and len(data["gates"]) == 5
    assert "How to read" in (good / "eval-report.md").read_text(encoding="utf-8")


def test_hand_corrupted_icp_exits_1_naming_sentence_and_id(corrupted: Path) -> None:
    result = CliRunner().invoke(_app(), ["eval", str(corrupted)])
    assert result.exit_code == 1
    assert BAD_SENTENCE in result.output and BAD_ID in result.output
    md = (corrupted / "eval-report.md").read_text(encoding="utf-8")
    assert BAD_SENTENCE in md and BAD_ID in md


def test_missing_folder_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["eval", str(tmp_path / "absent")])
    assert result.exit_code == 2


def test_baseline_shows_new_failures(corrupted: Path, good: Path) -> None:
    result = CliRunner().invoke(_app(), ["eval", str(corrupted), "--baseline", str(good)])
    assert result.exit_code == 1
    data = json.loads((corrupted / "eval-report.json").read_text(encoding="utf-8"))
    new = [f["id"] for c in data["changes"] for f in c["new_failures"]]
    assert BAD_ID in new
    assert "Changes since baseline" in (corrupted / "eval-report.md").read_text(encoding="utf-8")


def test_judge_adds_scores_but_not_a_gate(good: Path) -> None:
    result = CliRunner().invoke(_app(), ["eval", str(good), "--judge"])
    assert result.exit_code == 0
    judge = json.loads((good / "eval-report.json").read_text(encoding="utf-8"))["judge"]
    assert 0 < judge["citation_recall"] <= 1 and judge["calibration"]["n"] >= 20


@pytest.mark.parametrize("module", ["agent.cli.app", "agent.cli.eval_cmd"])
def test_subprocess_exit_code_and_message(corrupted: Path, module: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "ICP_"))}
    proc = subprocess.run(
        [sys.executable, "-m", module, "eval", str(corrupted)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert BAD_SENTENCE in proc.stdout and BAD_ID in proc.stdout
