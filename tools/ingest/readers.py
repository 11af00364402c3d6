"""Read any customer-data file into a raw table of text cells, or say clearly why not.

Formats: CSV/TSV/TXT with any delimiter, encoding (UTF-8, UTF-8 BOM, UTF-16, cp1252/Latin-1),
quoted newlines and with or without a header row; XLSX (first sheet or a named one); Parquet;
JSON and JSON-lines (HubSpot `properties`, Salesforce `records`). The file's real type is
sniffed from its first bytes, so a PDF renamed `.csv` gets a clear `InputError`, not a parser
traceback. Rows that cannot be parsed are reported as `IngestIssue`s, never dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tools.errors import InputError
from tools.ingest.jsonflat import records_frame
from tools.ingest.values import is_numeric_text
from tools.models import IngestIssue

MAX_BYTES = 2 * 1024**3
DELIMITERS = [",", ";", "\t", "|"]
SAMPLE = 256 * 1024


@dataclass
class RawTable:
    """One table as read: header-cleaned columns, cells mostly as text, plus provenance."""

    path: Path
    frame: pd.DataFrame
    sha256: str
    fmt: str
    issues: list[IngestIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sniff_kind(path: Path, head: bytes) -> str:
    """csv | xlsx | parquet | json, from magic bytes first and the extension second."""
    if head.startswith(b"%PDF"):
        raise InputError(
            "this is a PDF document, not a data table",
            file=str(path),
            hint="export the data from your CRM as CSV or XLSX and pass that file",
        )
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        if path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".csv", ""}:
            return "xlsx"
        raise InputError(
            "this is a ZIP archive, not a table",
            file=str(path),
            hint="unzip it and pass the CSV/XLSX files inside",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            "this is an old binary Excel (.xls) or Office file, which cannot be read",
            file=str(path),
            hint="open it in Excel or LibreOffice and save as .xlsx or .csv",
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "json"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "this is a binary file, not a text table",
            file=str(path),
            hint="pass a CSV, XLSX, Parquet or JSON export",
        )
    return "csv"


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    """Read one file; raises InputError when nothing usable can be read from it."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=str(path), hint="check the path and spelling")
    if path.is_dir():
        raise InputError("this is a folder, not a file", file=str(path), hint="pass files")
    size = path.stat().st_size
    if size == 0:
        raise InputError("the file is empty (0 bytes)", file=str(path), hint="re-export it")
    if size > MAX_BYTES:
        raise InputError(
            f"the file is {size / 1024**3:.1f} GB, above the {MAX_BYTES / 1024**3:.0f} GB limit",
            file=str(path),
            hint="export only the columns and rows you need, or split the file",
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(SAMPLE)
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", file=str(path)) from exc
    kind = sniff_kind(path, head)
    table = RawTable(path, pd.DataFrame(), _sha256(path), kind)
    if kind == "parquet":
        table.frame = _read_parquet(path)
    elif kind == "xlsx":
        table.frame = _read_xlsx(path, sheet, table)
    elif kind == "json":
        table.frame = records_frame(path, _decode(head, path, full=True), table.notes)
    else:
        table.frame = _read_csv(path, head, table)
    table.frame = _clean_headers(table.frame, table)
    if table.frame.empty:
        what = "has a header row but no data rows" if len(table.frame.columns) else "has no rows"
        raise InputError(f"the file {what}", file=str(path), hint="re-export it with the data")
    return table


def _decode(head: bytes, path: Path, full: bool = False) -> str:
    data = path.read_bytes() if full else head
    enc = detect_encoding(data[:SAMPLE])
    return data.decode(enc, errors="replace")


def detect_encoding(sample: bytes) -> str:
    """utf-8-sig / utf-16 by BOM, utf-8 if it decodes, else cp1252 (Excel's Western default)."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4:  # a multi-byte character cut by the sample end
            return "utf-8"
        return "cp1252"


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for corrupt files
        raise InputError(
            f"the Parquet file cannot be read ({type(exc).__name__})",
            file=str(path),
            hint="re-export it, or export as CSV",
        ) from exc


def _read_xlsx(path: Path, sheet: str | None, table: RawTable) -> pd.DataFrame:
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for corrupt workbooks
        raise InputError(
            f"the Excel file cannot be opened ({type(exc).__name__})",
            file=str(path),
            hint="open it in Excel and save it again as .xlsx, or export as CSV",
        ) from exc
    names = [str(n) for n in book.sheet_names]
    if sheet is not None and sheet not in names:
        raise InputError(
            f"there is no sheet named '{sheet}'",
            file=str(path),
            hint=f"choose one of: {', '.join(names)}",
        )
    chosen = sheet if sheet is not None else names[0]
    if sheet is None and len(names) > 1:
        table.notes.append(f"read the first sheet '{chosen}' of {len(names)}; use --sheet")
    raw = book.parse(chosen, header=None, dtype=object)
    raw = raw.dropna(how="all").dropna(axis=1, how="all")
    if raw.empty:
        return raw
    text = raw.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    text = text.astype("str").where(raw.notna())
    return _apply_header(text.reset_index(drop=True), table)


def _pick_delimiter(sample: str) -> str:
    lines = sample.splitlines()[:50]
    best, best_score = ",", (-1.0, 0)
    for delim in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(path: Path, head: bytes, table: RawTable) -> pd.DataFrame:
    encoding = detect_encoding(head)
    sample = head.decode(encoding, errors="replace")
    delim = _pick_delimiter(sample)
    if encoding == "cp1252":
        table.notes.append("not UTF-8: read as Windows-1252 (Latin-1)")
    if delim != ",":
        table.notes.append(f"delimiter detected: {delim!r}")
    kwargs: dict[str, Any] = dict(
        sep=delim, header=None, dtype=str, keep_default_na=False, na_values=[]
    )
    try:
        raw = pd.read_csv(path, encoding=encoding, **kwargs)
    except UnicodeDecodeError:
        table.notes.append("UTF-8 decoding failed part-way: read as Windows-1252")
        raw = pd.read_csv(path, encoding="cp1252", **kwargs)
    except pd.errors.ParserError:
        raw = _read_csv_lenient(path, encoding, delim, table)
    except pd.errors.EmptyDataError as exc:
        raise InputError("the file has no rows", file=str(path), hint="re-export it") from exc
    return _apply_header(raw, table)


def _read_csv_lenient(path: Path, encoding: str, delim: str, table: RawTable) -> pd.DataFrame:
    """Slow path for ragged rows: keep every row, report the ones with extra fields."""
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=delim))
    width = max(set(map(len, rows[:50])), key=[len(r) for r in rows[:50]].count)
    for i, row in enumerate(rows):
        if len(row) > width:
            table.issues.append(
                IngestIssue(
                    severity="warning",
                    file=path.name,
                    row=i,
                    message=f"{len(row)} fields where the file has {width}; extra fields ignored",
                    hint="check for an unquoted delimiter inside a value",
                )
            )
    fixed = [(r + [""] * width)[:width] for r in rows]
    return pd.DataFrame(fixed, dtype=str)


def _apply_header(raw: pd.DataFrame, table: RawTable) -> pd.DataFrame:
    """Use the first row as header unless it looks like data (numbers where headers are words)."""
    if raw.empty:
        return raw
    first = raw.iloc[0].fillna("").astype(str).str.strip()
    body = raw.iloc[1:21].fillna("").astype(str)
    numeric_head = is_numeric_text(first)
    numeric_body = body.apply(lambda c: is_numeric_text(c).mean() if len(c) else 0.0)
    has_header = not numeric_head.any() and (first != "").mean() >= 0.5
    if has_header and len(body) and (numeric_body > 0.8).any():
        has_header = True
    elif has_header and len(body):
        repeats = sum(first.iloc[i] in set(body.iloc[:, i]) for i in range(len(first)))
        has_header = repeats == 0
    if not has_header:
        table.notes.append("no header row detected: columns named column_1, column_2, ...")
        frame = raw.copy()
        frame.columns = [f"column_{i + 1}" for i in range(raw.shape[1])]
        return frame.reset_index(drop=True)
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = list(first)
    return frame


def _clean_headers(frame: pd.DataFrame, table: RawTable) -> pd.DataFrame:
    names: list[str] = []
    for i, col in enumerate(frame.columns):
        name = str(col).replace("\ufeff", "").strip() or f"column_{i + 1}"
        base, k = name, 2
        while name in names:
            name = f"{base}_{k}"
            k += 1
        if name != base:
            table.issues.append(
                IngestIssue(
                    severity="warning",
                    file=table.name,
                    column=base,
                    message=f"duplicate column name; the copy is kept as '{name}'",
                )
            )
        names.append(name)
    out = frame.copy()
    out.columns = names
    empty_cols = [c for c in names if c.startswith("column_") and out[c].isna().all()]
    return out.drop(columns=empty_cols) if empty_cols else out
