"""Excel rendering of the Customer Scoring Matrix (the CSV is `matrix.to_csv` by the caller).

A marketer opens this file: frozen header, autofilter, one colour per segment, percentiles as
percent, money as currency, scores with one decimal.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

SEGMENT_COLOURS = {"ideal": "#C6EFCE", "acceptable": "#FFF2CC", "bad_fit": "#F8CBAD"}


def _format_for(book: xlsxwriter.Workbook, column: str):
    if column.startswith("pct_"):
        return book.add_format({"num_format": "0%"})
    if column == "raw_revenue" or column == "raw_expansion":
        return book.add_format({"num_format": "$#,##0"})
    if column in ("health_score", "raw_support_burden", "raw_satisfaction"):
        return book.add_format({"num_format": "0.0"})
    if column.startswith("raw_") or column in ("rank", "components_used"):
        return book.add_format({"num_format": "#,##0"})
    return None


def write_matrix_xlsx(matrix: pd.DataFrame, path: str | Path) -> Path:
    """Write the scoring matrix as a formatted workbook and return its path."""
    path = Path(path)
    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    sheet = book.add_worksheet("Scoring matrix")
    header = book.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1})
    cols = list(matrix.columns)
    for j, name in enumerate(cols):
        sheet.write_string(0, j, str(name), header)
        fmt = _format_for(book, name)
        width = 60 if name == "drivers" else max(10, min(30, len(str(name)) + 2))
        sheet.set_column(j, j, width, fmt)
    for j, name in enumerate(cols):
        values = matrix[name].astype(object).where(matrix[name].notna(), None).tolist()
        sheet.write_column(1, j, values)
    n = len(matrix)
    sheet.freeze_panes(1, 0)
    if cols:
        sheet.autofilter(0, 0, max(n, 1), len(cols) - 1)
    if "segment" in cols and n:
        seg_col = xlsxwriter.utility.xl_col_to_name(cols.index("segment"))
        last = xlsxwriter.utility.xl_col_to_name(len(cols) - 1)
        for seg, colour in SEGMENT_COLOURS.items():
            sheet.conditional_format(
                f"A2:{last}{n + 1}",
                {
                    "type": "formula",
                    "criteria": f'=${seg_col}2="{seg}"',
                    "format": book.add_format({"bg_color": colour}),
                },
            )
    book.close()
    return path
