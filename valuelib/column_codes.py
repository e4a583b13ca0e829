"""Codes derived from a table's column (quarter codes, names as codes, …), kept with the
column's array while it lives (valuelib.kept): a page and the summary ask for the same
support table's codes many times, and a million-row factorise costs more than all the
arithmetic after it. Only Arrow-backed columns are kept, and only while the array still holds
the same immutable pyarrow data; anything else is derived afresh.

Below model and support (it imports neither), so either may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .kept import kept


def derived(array, name: str, compute: Callable):
    """``compute(array)``, once per Arrow-backed column array and ``name``."""
    data = array.__arrow_array__() if hasattr(array, "__arrow_array__") else None
    if data is None:
        return compute(array)
    held, value = kept(array, name, lambda: (data, compute(array)))
    return value if held is data else compute(array)  # changed in place since: afresh


def frozen(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False  # shared between callers: nobody may change it
    return values


@dataclass(frozen=True)
class Periods:
    """A column as sorted period codes and their labels."""

    codes: np.ndarray  # per row, -1 where the period is missing
    labels: list[str]  # sorted


def period_codes(frame: pd.DataFrame, column: str) -> Periods:
    """A column's values as sorted codes (-1: missing) and their labels."""
    def compute(array) -> Periods:
        codes, uniques = pd.factorize(array, sort=True)
        return Periods(frozen(codes.astype(np.int64)), [str(u) for u in uniques])

    return derived(frame[column].array, f"periods:{column}", compute)


def quarter_labels(frame: pd.DataFrame) -> list[str]:
    """The quarters the rows name, sorted (kept with the column: derived once)."""
    return list(period_codes(frame, "quarter").labels)


def name_codes(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``column`` value as a code (-1: none) and the values, in order of
    appearance; kept with the column (see ``derived``)."""
    def compute(array):
        codes, uniques = pd.factorize(array)
        return frozen(codes), np.asarray(uniques, dtype=object)

    return derived(frame[column].array, column, compute)


def rows_in_quarter(frame: pd.DataFrame, quarter: str) -> np.ndarray:
    """Which rows belong to ``quarter`` (a boolean mask), from the quarter codes the
    table's column keeps (derived once per table, not a string comparison per call)."""
    found = period_codes(frame, "quarter")
    if quarter not in found.labels:
        return np.zeros(len(frame), dtype=bool)
    return found.codes == found.labels.index(quarter)
