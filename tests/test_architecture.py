"""The dependency direction of STYLE.md: tools/ never imports agent/; evals/ never imports agent/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["tools"])
def test_package_does_not_import_agent(package: str) -> None:
    offenders = [
        f"{p.relative_to(REPO)} imports {name}"
        for p in sorted((REPO / package).rglob("*.py"))
        for name in _imports(p)
        if name == "agent" or name.startswith("agent.")
    ]
    assert offenders == []


def test_no_utils_module() -> None:
    assert not [p for p in REPO.rglob("utils.py") if ".venv" not in p.parts]
