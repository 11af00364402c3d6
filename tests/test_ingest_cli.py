"""`icp inspect`: table output, JSON, the mapping file round trip, and exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

from agent.cli.inspect_cmd import register
from tools.ingest import load_customer_data, read_mapping

MESSY = Path(__file__).resolve().parent / "data" / "messy"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def noop() -> None:  # a second command keeps `inspect` as a named subcommand
        """Unused."""

    return app


def test_inspect_prints_table_and_writes_mapping(tmp_path: Path) -> None:
    out = tmp_path / "map.yaml"
    res = CliRunner().invoke(
        _app(),
        ["inspect", str(MESSY / "money_formats.csv"), "--mapping-out", str(out)],
        env={"COLUMNS": "250"},
    )
    assert res.exit_code == 0, res.output
    assert "arr" in res.output and "k/M/B suffix" in res.output
    doc = yaml.safe_load(out.read_text())
    assert doc["money_formats.csv"] == {
        "_role": "accounts",
        "account_id": "account_id",
        "arr": "arr",
    }


def test_inspect_json(tmp_path: Path) -> None:
    res = CliRunner().invoke(_app(), ["inspect", str(MESSY / "placeholders.csv"), "--json",
                                      "--mapping-out", str(tmp_path / "m.yaml")])  # fmt: skip
    assert res.exit_code == 0
    cols = {c["name"]: c for c in json.loads(res.stdout)["files"][0]["columns"]}
    assert cols["industry"]["missing_rate"] == 0.75
    assert str((tmp_path / "m.yaml").resolve()) in res.stderr  # where it went, off stdout


def test_inspect_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    res = CliRunner().invoke(_app(), ["inspect", str(MESSY / "fake_pdf.csv"),
                                      "--mapping-out", str(tmp_path / "m.yaml")])  # fmt: skip
    assert res.exit_code == 2
    assert "PDF" in res.output and "Traceback" not in res.output


def test_edited_mapping_file_is_applied(tmp_path: Path) -> None:
    out = tmp_path / "map.yaml"
    CliRunner().invoke(_app(), ["inspect", str(MESSY / "no_header.csv"), "--mapping-out", str(out)])
    doc = read_mapping(out)
    doc["no_header.csv"].update(
        {"column_2": "name", "column_3": "employees", "column_4": "industry"}
    )
    out.write_text(yaml.safe_dump(doc))
    data = load_customer_data([MESSY / "no_header.csv"], mapping_file=out)
    assert data.accounts["employees"].tolist() == [12, 40, 7]
    assert data.accounts["industry"].tolist() == ["Retail", "Software", "Retail"]
    assert all(m.confidence == 1.0 for m in data.report.mappings if m.column != "column_1")


def test_mapping_file_with_unknown_field_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "map.yaml"
    bad.write_text("semicolon.csv:\n  employees: headcountz\n")
    try:
        load_customer_data([MESSY / "semicolon.csv"], mapping_file=bad)
    except Exception as exc:  # noqa: BLE001 - asserting the type below
        assert type(exc).__name__ == "InputError" and "headcountz" in str(exc)
    else:
        raise AssertionError("unknown field accepted")
