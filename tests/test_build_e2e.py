"""End to end: `icp build` on the bundled example and on real public data, as a user runs it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ACME = REPO / "examples" / "acme"
QUOTE_RE = re.compile(r"“([^”]+)”((?:\[\^[a-z]-[0-9a-f]{8}\])+)")


def _icp(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "agent.cli.app", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)


def _build_acme(out: Path) -> subprocess.CompletedProcess[str]:
    return _icp(
        "build",
        "--customers",
        str(ACME / "accounts.csv"),
        "--customers",
        str(ACME / "deals.csv"),
        "--interviews",
        str(ACME / "interviews"),
        "--out",
        str(out),
        "--as-of",
        "2026-06-30",
        "--quiet",
        "--llm",
        "offline",
    )


@pytest.fixture(scope="module")
def acme_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("acme") / "out"
    proc = _build_acme(out)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().endswith("ICP.md")
    return out


def _truth() -> dict:
    return json.loads((ACME / "ground_truth.json").read_text())


def test_outputs_exist(acme_run: Path) -> None:
    for name in [
        "ICP.md",
        "customer-scoring-matrix.csv",
        "customer-scoring-matrix.xlsx",
        "icp-pattern-analysis.md",
        "patterns.json",
        "evidence.jsonl",
        "stats.json",
        "manifest.json",
        "icp.yaml",
        "fit_score.sql",
        "eval-report.md",
        "ingest-report.md",
    ]:
        assert (acme_run / name).is_file(), name
    manifest = json.loads((acme_run / "manifest.json").read_text())
    assert all(len(f["sha256"]) == 64 for f in manifest["inputs"]["customers"])
    assert manifest["counts"]["accounts"] == 400
    assert "OPENAI_API_KEY" not in (acme_run / "manifest.json").read_text()


def test_planted_segment_in_tier1_and_bad_trait_negative(acme_run: Path) -> None:
    truth = _truth()
    tiers = json.loads((acme_run / "tiers.json").read_text())
    tier1 = next(t for t in tiers["tiers"] if t["name"] == "Tier 1")
    best = truth["best_segment"]
    assert any(
        c["attribute"] == best["attribute"] and best["value"] in c["values"]
        for c in tier1["criteria"]
    ), tier1["criteria"]
    bad = truth["bad_trait"]
    assert any(
        n["criterion"]["attribute"] == bad["attribute"] and bad["value"] in n["criterion"]["values"]
        for n in tiers["negative"]
    ), [n["criterion"] for n in tiers["negative"]]
    doc = (acme_run / "ICP.md").read_text()
    tier1_text = doc.split("## Tier 1", 1)[1].split("## Tier 2", 1)[0]
    assert best["value"] in tier1_text
    neg_text = doc.split("## Negative ICP", 1)[1].split("\n## ", 1)[0]
    assert bad["value"] in neg_text


def test_noise_traits_not_significant(acme_run: Path) -> None:
    truth = _truth()
    noise = set()
    for item in truth["noise_attributes"]:
        noise |= {item["attribute"], *item.get("aliases", [])}
    tests = json.loads((acme_run / "patterns.json").read_text())["tests"]
    flagged = [
        t["label"] for t in tests if t["attribute"] in noise and t["status"] == "significant"
    ]
    assert flagged == []
    assert any(t["attribute"] in noise for t in tests), "noise attributes were not even tested"


def test_every_quote_is_verbatim_from_an_interviewee(acme_run: Path) -> None:
    evidence = {
        e["id"]: e for e in map(json.loads, (acme_run / "evidence.jsonl").read_text().splitlines())
    }
    doc = (acme_run / "ICP.md").read_text()
    quotes = QUOTE_RE.findall(doc)
    assert len(quotes) >= 10
    for text, markers in quotes:
        qid = re.findall(r"q-[0-9a-f]{8}", markers)[0]
        ev = evidence[qid]
        assert ev["speaker_role"] == "interviewee"
        source = Path(ev["source"]).read_text(encoding="utf-8-sig")
        assert Path(ev["source"]).parent == ACME / "interviews"
        assert " ".join(text.split()) in " ".join(source[ev["start"] : ev["end"]].split())


def test_groundedness_gates_pass(acme_run: Path) -> None:
    report = json.loads((acme_run / "eval-report.json").read_text())
    assert report["passed"] is True


def test_rerun_is_byte_identical(acme_run: Path, tmp_path: Path) -> None:
    proc = _build_acme(tmp_path / "again")
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in ["ICP.md", "stats.json", "evidence.jsonl", "customer-scoring-matrix.csv"]:
        assert (tmp_path / "again" / name).read_bytes() == (acme_run / name).read_bytes(), name


def test_real_data_ravenstack_with_zulip(shared_data: Path, tmp_path: Path) -> None:
    rs = shared_data / "crm" / "ravenstack-saas"
    args = ["build", "--out", str(tmp_path / "rs"), "--as-of", "2025-01-01", "--quiet"]
    for f in sorted(rs.glob("*.csv")):
        args += ["--customers", str(f)]
    args += ["--interviews", str(shared_data / "interviews" / "zulip-case-studies")]
    proc = _icp(*args)
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = (tmp_path / "rs" / "ICP.md").read_text()
    assert "not linked" in doc
    assert "## Tier 1" in doc and "## Negative ICP" in doc
    report = json.loads((tmp_path / "rs" / "eval-report.json").read_text())
    assert report["passed"] is True


def test_missing_file_is_usage_error(tmp_path: Path) -> None:
    proc = _icp("build", "--customers", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "nope.csv" in proc.stderr and "Traceback" not in proc.stderr


def test_gates_catch_every_mutation_of_the_example_build(acme_run: Path) -> None:
    from evals.mutations import run_mutation_suite

    result = run_mutation_suite(acme_run)
    assert result["clean_passed"] is True and result["false_alarms"] == {}
    for name, op in result["operators"].items():
        assert op["n"] > 0, f"operator {name} produced no mutant on the example build"
        assert op["caught"] == op["n"], (name, op["missed"])


def test_golden_expectations_hold_on_the_example(acme_run: Path) -> None:
    from evals.golden import check_golden, load_expectations

    result = check_golden(acme_run, load_expectations(REPO / "evals/datasets/golden/acme.json"))
    assert result.passed, [c for c in result.checks if not c.passed]


def test_second_example_of_a_different_shape(tmp_path: Path) -> None:
    from evals.golden import check_golden, load_expectations

    second = REPO / "examples" / "second"
    proc = _icp(
        "build", "--customers", str(next(second.glob("*.csv"))),
        "--interviews", str(second / "interviews"), "--out", str(tmp_path / "o"),
        "--as-of", "2026-06-30", "--quiet", "--llm", "offline",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = check_golden(
        tmp_path / "o", load_expectations(REPO / "evals/datasets/golden/second.json")
    )
    assert result.passed, [c for c in result.checks if not c.passed]


def test_heldout_backtest_tier1_beats_non_icp_on_the_example(acme_run: Path) -> None:
    """The planted segment wins more deals and expands more; held-out customers show it."""
    reports = json.loads((acme_run / "validation.json").read_text())
    held_out = reports[1]
    assert held_out["method"].startswith("time-based holdout")
    metrics = {m["metric"]: m for m in held_out["metrics"]}
    for name in ("win_rate", "nrr"):
        assert metrics[name]["tier1"] > metrics[name]["non_icp"], metrics[name]
    in_sample = {m["metric"]: m for m in reports[0]["metrics"]}
    assert in_sample["churn_rate"]["tier1"] < in_sample["churn_rate"]["non_icp"]
    doc = (acme_run / "ICP.md").read_text()
    assert "Held-out backtest" in doc and "missed" in doc  # targets missed are said plainly


def test_real_data_maven_makes_no_sector_claim(shared_data: Path, tmp_path: Path) -> None:
    mv = shared_data / "crm" / "maven-crm"
    args = ["build", "--out", str(tmp_path / "mv"), "--as-of", "2018-01-01", "--quiet"]
    for name in ["accounts.csv", "sales_pipeline.csv", "products.csv", "sales_teams.csv"]:
        args += ["--customers", str(mv / name)]
    proc = _icp(*args)
    assert proc.returncode == 0, proc.stderr[-3000:]
    tests = json.loads((tmp_path / "mv" / "patterns.json").read_text())["tests"]
    assert any(t["attribute"] == "industry" for t in tests)
    assert not [t for t in tests if t["attribute"] == "industry" and t["status"] == "significant"]
    report = (tmp_path / "mv" / "ingest-report.md").read_text()
    assert "spelling variant merged" in report and "technolgy" in report  # typo folded, reported


def test_real_data_ten_row_sample_is_reported_too_small(shared_data: Path, tmp_path: Path) -> None:
    sample = shared_data / "crm" / "cs-health-sample" / "sample_data.csv"
    proc = _icp("build", "--customers", str(sample), "--out", str(tmp_path / "cs"), "--quiet")
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = (tmp_path / "cs" / "ICP.md").read_text()
    assert "too few" in doc and "Insufficient evidence to define Tier 1" in doc
    tiers = json.loads((tmp_path / "cs" / "tiers.json").read_text())
    assert all(t["criteria"] == [] for t in tiers["tiers"])


def test_tam_check_needs_both_options_and_reports_the_multiple(tmp_path: Path) -> None:
    accounts = str(ACME / "accounts.csv")
    half = _icp("build", "--customers", accounts, "--out", str(tmp_path / "x"), "--tam", accounts)
    assert half.returncode == 2 and "--revenue-target" in half.stderr
    proc = _icp(
        "build", "--customers", accounts, "--out", str(tmp_path / "t"), "--as-of", "2026-06-30",
        "--tam", accounts, "--revenue-target", "2000000", "--quiet",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "TAM check:" in (tmp_path / "t" / "ICP.md").read_text()


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--as-of", "2026-13-45"], "YYYY-MM-DD"),
        (["--settings", "SETTINGS:fdr: [1\n"], "not valid YAML"),
        (["--settings", "SETTINGS:fdr: 5\n"], "out of range"),
        (["--settings", "SETTINGS:weights:\n  revenue: abc\n"], "needs a number"),
        (["--out", "/proc/icp-cannot-write-here"], "cannot write the output folder"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, extra: list[str], says: str) -> None:
    args = []
    for a in extra:
        if a.startswith("SETTINGS:"):
            p = tmp_path / "settings.yaml"
            p.write_text(a.removeprefix("SETTINGS:"))
            a = str(p)
        args.append(a)
    if "--out" not in args:
        args += ["--out", str(tmp_path / "o")]
    proc = _icp("build", "--customers", str(ACME / "accounts.csv"), "--quiet", *args)
    assert proc.returncode == 2, proc.stderr
    assert says in proc.stderr and "Traceback" not in proc.stderr
