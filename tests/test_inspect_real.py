"""`icp inspect` on every table of the public CRM exports, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("folder", ["ravenstack-saas", "maven-crm", "cs-health-sample"])
def test_inspect_every_real_table(shared_data: Path, tmp_path: Path, folder: str) -> None:
    files = sorted((shared_data / "crm" / folder).glob("*.csv"))
    mapping = tmp_path / "mapping.yaml"
    cmd = [sys.executable, "-m", "agent.cli.app", "inspect", *map(str, files), "--json",
           "--mapping-out", str(mapping)]  # fmt: skip
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    text = json.dumps(result)
    for f in files:
        assert f.name in text
    assert "account_id" in text or '"name"' in text  # an id (or the name as id) was found
    written = yaml.safe_load(mapping.read_text())
    assert {Path(k).name for k in written} >= {f.name for f in files}
