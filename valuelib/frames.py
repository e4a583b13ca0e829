"""Small shared helpers of the analytics: the typed-table spec, table access, quarters,
and ratios. Used by costing, market, portfolio, support and summary (and
by views and ask); not part of the documented public surface.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .model import Dataset
from .schema import SOURCE_DTYPES, TABLE_DTYPES

MONTHS_PER_QUARTER = 3
UNALLOCATED = "Unallocated"

NOT_AVAILABLE = "not available"  # a figure that cannot be computed, in words

# Value a column takes when a non-empty table lacks it (otherwise missing).
_FILL = {"comparable": True, "shared": False, "in_catalog": True, "price_on_request": False,
         "source_row": 0}


def empty_frame(columns: dict[str, str]) -> pd.DataFrame:
    """An empty frame with these columns and dtypes."""
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})


def cast(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """``frame.astype(dtypes)``, touching only the columns whose dtype differs."""
    wrong = {c: t for c, t in dtypes.items() if c in frame and str(frame[c].dtype) != t}
    for c, t in wrong.items():
        if t in ("int64", "bool") and frame[c].isna().any():  # keep missing values missing
            wrong[c] = {"int64": "Int64", "bool": "boolean"}[t]
    return frame.astype(wrong) if wrong else frame


def _filled(dtype: str, n: int, name: str) -> pd.Series:
    if name in _FILL:
        return pd.Series(np.full(n, _FILL[name]), dtype=dtype)
    if dtype in ("bool", "int64"):
        dtype = {"bool": "boolean", "int64": "Int64"}[dtype]
    return pd.Series(pd.array([None] * n, dtype=dtype))


def table(dataset: Dataset, key: str) -> pd.DataFrame:
    """The table ``key`` of ``dataset`` with every documented column present.

    Returns the frame itself when nothing is missing (callers never mutate it); otherwise a new
    frame with the missing columns added, empty."""
    spec = {**TABLE_DTYPES[key], **SOURCE_DTYPES}
    frame = dataset.tables.get(key)
    if frame is None:
        return empty_frame(spec)
    missing = [c for c in spec if c not in frame.columns]
    if not missing:
        return frame
    extra = {c: _filled(spec[c], len(frame), c).set_axis(frame.index) for c in missing}
    return frame.assign(**extra)


# ---- quarters ---------------------------------------------------------------------------------

def quarter_number(quarter: str) -> int:
    """``"2026-Q3"`` -> a running quarter number (year × 4 + quarter − 1)."""
    return int(quarter[:4]) * 4 + int(quarter[-1]) - 1


def quarter_label(number: int) -> str:
    """Inverse of :func:`quarter_number`."""
    return f"{number // 4}-Q{number % 4 + 1}"


def shift_quarter(quarter: str, by: int) -> str:
    """The quarter ``by`` quarters after ``quarter`` (negative: before)."""
    return quarter_label(quarter_number(quarter) + by)


def quarter_start(quarter: str) -> pd.Timestamp:
    """Midnight on the quarter's first day."""
    n = quarter_number(quarter)
    return pd.Timestamp(year=n // 4, month=(n % 4) * 3 + 1, day=1)


def quarter_end(quarter: str) -> pd.Timestamp:
    """The end of the quarter: midnight after its last day (an exclusive bound)."""
    return quarter_start(shift_quarter(quarter, 1))


def shift_quarters(quarters: pd.Series, by: int) -> pd.Series:
    """Vectorised :func:`shift_quarter` over a column of quarter labels (NA stays NA)."""
    ok = quarters.notna()
    out = pd.Series(pd.NA, index=quarters.index, dtype="str")
    if ok.any():
        q = quarters[ok]
        n = q.str[:4].astype(int) * 4 + q.str[-1].astype(int) - 1 + by
        out[ok] = (n // 4).astype(str) + "-Q" + (n % 4 + 1).astype(str)
    return out


LONGEST_QUIET_GAP = 4  # empty quarters a trend may span without saying so


def quarter_gaps(periods, longest: int = LONGEST_QUIET_GAP) -> list[tuple[str, str]]:
    """Runs of more than ``longest`` empty quarters between the periods given (quarters
    ``2026-Q3`` or months ``2026-08``), as (first empty quarter, last empty quarter)."""
    numbers = set()
    for p in periods:
        if p is None or (not isinstance(p, str) and pd.isna(p)):
            continue
        p = str(p)
        numbers.add(quarter_number(p) if "Q" in p else int(p[:4]) * 4 + (int(p[5:7]) - 1) // 3)
    ordered = sorted(numbers)
    return [(quarter_label(a + 1), quarter_label(b - 1))
            for a, b in zip(ordered, ordered[1:], strict=False) if b - a - 1 > longest]


def gap_note(periods) -> str:
    """'no data 2017-Q2 … 2024-Q3' for each long gap (see :func:`quarter_gaps`), or ''."""
    return "; ".join(f"no data {a} … {b}" for a, b in quarter_gaps(periods))


def with_gap_note(subtitle: str | None, periods) -> str | None:
    """A chart subtitle that names any long gap the trend spans."""
    note = gap_note(periods)
    if not note:
        return subtitle
    return f"{subtitle} · {note}" if subtitle else note[0].upper() + note[1:]


def latest_quarter(frame: pd.DataFrame) -> str | None:
    """The latest quarter in ``frame["quarter"]``, or None."""
    q = frame["quarter"].dropna()
    return None if q.empty else str(q.max())


def pct(numerator, denominator):
    """numerator ÷ denominator × 100, NaN where the denominator is 0 or missing."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den != 0, num / den * 100.0, np.nan)
    return out


def ratio(numerator, denominator):
    """numerator ÷ denominator, NaN where the denominator is 0 or missing."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den != 0, num / den, np.nan)
    return out
