"""The mutation corpus: every corruption of a good build is caught by the gate meant for it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from evals.mutations import OPERATORS, generate_mutants, run_mutation_suite, write_corpus
from evals.rundata import load_run
from evals.runner import run_gates

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "evalrun"


@pytest.fixture(scope="module")
def suite() -> dict:
    return run_mutation_suite(FIXTURE)


def test_clean_build_has_no_false_alarms(suite: dict) -> None:
    assert suite["clean_passed"] is True
    assert suite["false_alarms"] == {}


@pytest.mark.parametrize("operator", sorted(OPERATORS))
def test_each_operator_is_caught_by_its_gate(suite: dict, operator: str) -> None:
    rec = suite["operators"][operator]
    assert rec["n"] > 0, f"{operator} found nothing to corrupt in the fixture"
    assert rec["catch_rate"] == 1.0, rec["missed"]


def test_mutants_differ_from_clean_and_name_their_gate() -> None:
    run = load_run(FIXTURE)
    mutants = generate_mutants(run, cap=2)
    assert {m.operator for m in mutants} == set(OPERATORS)
    assert all(m.text != run.icp_text for m in mutants)
    assert all(m.gate == OPERATORS[m.operator][0] for m in mutants)


def test_written_corpus_fails_icp_eval(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("evalrun_builder", FIXTURE / "builder.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    run_dir = mod.build_run(tmp_path / "run", absolute_sources=True)
    folders = write_corpus(run_dir, tmp_path / "corpus", cap=1)
    assert len(folders) == len(OPERATORS)
    for folder in folders:
        gate = OPERATORS[folder.name.rsplit("-", 1)[0]][0]
        assert not run_gates(folder).gate(gate).passed, folder.name
