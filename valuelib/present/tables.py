"""View tables that keep their numbers.

A :class:`Table` is a frame whose figures stay numbers (so a page can sort "$10.69, $14.76,
$128" as numbers, not as text) plus, per column, the measure that says how the figure is
written. Pages render it with ``st.column_config`` built from the registry; the CLI, answers
and handouts write the same figures through :meth:`Table.formatted`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from .formatting import MISSING, is_missing
from .measures import measure


@dataclass(frozen=True, eq=False)  # holds a DataFrame: compared by identity
class Table:
    """``frame``: the rows, key columns first; ``measures``: column -> measure key for every
    numeric or date column (the rest is text); ``currency``: for money columns."""

    frame: pd.DataFrame
    measures: Mapping[str, str] = field(default_factory=dict)
    currency: str = "USD"

    def __post_init__(self):
        unknown = set(self.measures) - set(self.frame.columns)
        if unknown:
            raise ValueError(f"measures for columns the table lacks: {sorted(unknown)}")
        for key in self.measures.values():
            measure(key)  # fails early on a key the registry does not know

    @property
    def empty(self) -> bool:
        return self.frame.empty

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    def __len__(self) -> int:
        return len(self.frame)

    def formatted(self) -> pd.DataFrame:
        """Every cell as the text every surface shows for it."""
        out = {}
        for column in self.frame.columns:
            values = self.frame[column]
            key = self.measures.get(column)
            if key is None:
                out[column] = [MISSING if is_missing(v) else str(v) for v in values]
            else:
                m = measure(key)
                out[column] = [m.format(v, self.currency) for v in values]
        return pd.DataFrame(out, columns=list(self.frame.columns), dtype="str")


def table(rows: list[dict], columns: list[str], measures: Mapping[str, str],
          currency: str) -> Table:
    """A :class:`Table` of these rows, columns in this order (also when there are none);
    measured columns are numbers (or dates), the rest text."""
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        key = measures.get(column)
        if key is None:
            frame[column] = frame[column].astype("str")
        elif measure(key).unit == "date":
            frame[column] = pd.to_datetime(frame[column])
        else:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return Table(frame, dict(measures), currency)
