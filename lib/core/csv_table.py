"""Reading a CSV file from a user: the one reader behind every page's upload (no Streamlit).

A file is untrusted bytes. `read_table` turns it into a table of strings or raises DataError
with a code of the locale catalogs' [csv] section; `numbers` turns one column into finite
floats, naming the first row that is not a number (rows counted as a spreadsheet shows them:
the header is row 1). The pages add their own checks (which columns, which labels).
"""
from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

DELIMITERS = ",;\t|"  # the usual ones: left free, the sniffer may take a header's letter


class DataError(ValueError):
    """A problem with user data; `code` names a message in the locale catalogs, `detail` fills it."""

    def __init__(self, code: str, **detail):
        super().__init__(code)
        self.code = code
        self.detail = detail


def read_table(raw: bytes, lower: bool = False) -> pd.DataFrame:
    """Uploaded bytes as a table of strings, column names stripped (and lower-cased if asked).

    Raises DataError("csv_empty" | "csv_binary" | "csv_encoding" | "csv_unreadable" |
    "csv_columns_twice").
    """
    if not raw or not raw.strip():
        raise DataError("csv_empty")
    if b"\x00" in raw[:4096]:
        raise DataError("csv_binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError("csv_encoding") from None
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, skipinitialspace=True)
    except Exception:  # pandas raises many kinds of parser errors; all mean "not a table"
        raise DataError("csv_unreadable") from None
    names = [str(c).strip() for c in frame.columns]
    names = [n.lower() for n in names] if lower else names
    twice = next((n for i, n in enumerate(names) if n in names[:i]), None)
    if twice is not None:  # "X" and "x", or "x " and "x": which one is meant?
        raise DataError("csv_columns_twice", column=twice[:40])
    frame.columns = names
    return frame


def check_rows(frame: pd.DataFrame, max_rows: int) -> None:
    """DataError "csv_empty" for a header alone, "csv_too_many" past `max_rows`."""
    if len(frame) == 0:
        raise DataError("csv_empty")
    if len(frame) > max_rows:
        raise DataError("csv_too_many", rows=len(frame), limit=max_rows)


def require_columns(frame: pd.DataFrame, names: tuple[str, ...]) -> None:
    """DataError "csv_columns" naming the missing columns and the first few found."""
    missing = [c for c in names if c not in frame.columns]
    if missing:
        shown = ", ".join(str(c)[:20] for c in list(frame.columns)[:6])
        raise DataError("csv_columns", missing=", ".join(missing), found=shown or "-")


def numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """One column as finite floats; DataError "csv_not_number" / "csv_not_finite" with the row."""
    strings = frame[column].astype("string").str.strip()
    values = pd.to_numeric(strings, errors="coerce")
    name = str(column)[:40]
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0]) + 2  # +2: header, 1-based
        raise DataError("csv_not_number", column=name, row=row)
    array = values.to_numpy(dtype=float)
    if not np.all(np.isfinite(array)):
        row = int(np.flatnonzero(~np.isfinite(array))[0]) + 2
        raise DataError("csv_not_finite", column=name, row=row)
    return array


def check_magnitude(arrays, limit: float) -> None:
    """DataError "csv_too_large" when any value's absolute size passes `limit`."""
    if max(float(np.abs(a).max()) for a in arrays) > limit:
        raise DataError("csv_too_large", limit=f"{limit:g}")


def read_labelled_points(raw: bytes, label: str, max_rows: int, max_abs: float):
    """Points in the plane with a label per row, from a CSV with columns x, y and `label` (any
    case): (x (n, 2), labels (n,)) as floats, coordinates no larger than `max_abs`. The page
    checks the labels themselves."""
    frame = read_table(raw, lower=True)
    require_columns(frame, ("x", "y", label))
    check_rows(frame, max_rows)
    x, y, labels = (numbers(frame, column) for column in ("x", "y", label))
    check_magnitude((x, y), max_abs)
    return np.column_stack([x, y]), labels
