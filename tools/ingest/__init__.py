"""Customer-data ingest: CRM exports of any shape -> `CustomerData` (accounts, deals, attributes, report).

Public API:
- `load_customer_data(paths, mapping_file=None, sheet=None, churn_definition=None)`
- `inspect_files(paths, sheet=None)` -> `InspectResult`; `write_mapping` / `read_mapping`
- `render_ingest_report(report)` -> markdown for `ingest-report.md`
"""

from __future__ import annotations

from tools.ingest.inspect import ColumnInfo, FileInfo, InspectResult, inspect_files, mapping_of
from tools.ingest.load import CustomerData, load_customer_data
from tools.ingest.mapfile import read_mapping, write_mapping
from tools.ingest.report import render_ingest_report

__all__ = [
    "ColumnInfo",
    "CustomerData",
    "FileInfo",
    "InspectResult",
    "inspect_files",
    "load_customer_data",
    "mapping_of",
    "read_mapping",
    "render_ingest_report",
    "write_mapping",
]
