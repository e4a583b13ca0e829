"""Test helper: a Dataset from tiny inline tables, typed as ingest types them (docs/tables.md).

``make_dataset(costs=[{...}, ...], usage={"quarter": [...], ...})`` fills every absent table
and column with empty typed columns, casts the given ones, and derives what ingest derives:
costs.shared (blank service), support quarter/month (of opened) and work_class (of
work_type), satisfaction_pct, a market offer's or tier's monthly price from a yearly one, a
dated subscription's or need's quarter, a need's default vote, and source columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuelib.frames import SOURCE_DTYPES, TABLE_DTYPES
from valuelib.model import Dataset, Settings
from valuelib.schema import SHEETS_BY_KEY, WORK_TYPE_CLASSES, normalize_name


def _frame(data) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data.copy()
    if isinstance(data, dict):
        return pd.DataFrame(data)
    return pd.DataFrame(list(data))


def _cast(series: pd.Series, dtype: str) -> pd.Series:
    if dtype.startswith("datetime"):
        return pd.to_datetime(series, format="ISO8601").astype(dtype)
    if dtype == "str":
        return series.astype("object").where(series.notna(), None).astype("str")
    if dtype == "bool":
        return series.fillna(False).astype(bool)
    return series.astype(dtype)


def _pct(sat: pd.Series) -> pd.Series:
    values = sat.dropna()
    if len(values) and values.between(1, 5).all():
        return (sat - 1) / 4 * 100
    return sat.astype(float)


def _derive(key: str, f: pd.DataFrame) -> pd.DataFrame:
    if key == "costs":
        if "shared" not in f:
            service = f["service"] if "service" in f else pd.Series(pd.NA, index=f.index)
            f["shared"] = service.isna() | service.astype("str").str.casefold().eq("shared")
        if "quarter" not in f and "date" in f:
            d = pd.to_datetime(f["date"], format="ISO8601")
            f["quarter"] = d.dt.year.astype(str) + "-Q" + d.dt.quarter.astype(str)
    if key == "support" and "opened" in f:
        opened = pd.to_datetime(f["opened"], format="ISO8601")
        if "quarter" not in f:
            f["quarter"] = opened.dt.year.astype(str) + "-Q" + opened.dt.quarter.astype(str)
        if "month" not in f:
            f["month"] = opened.dt.strftime("%Y-%m")
        if "work_class" not in f and "work_type" in f:
            f["work_class"] = [
                WORK_TYPE_CLASSES.get(normalize_name(w), "unclassified") if isinstance(w, str)
                else "unclassified" for w in f["work_type"]]
    if key in ("support", "value") and "satisfaction" in f and "satisfaction_pct" not in f:
        f["satisfaction_pct"] = _pct(f["satisfaction"].astype(float))
    if key in ("market", "offerings") and "price_per_user_year" in f:
        yearly = f["price_per_user_year"].astype(float) / 12
        f["price_per_user_month"] = (f["price_per_user_month"].astype(float).fillna(yearly)
                                     if "price_per_user_month" in f else yearly)
    if key in ("subscriptions", "needs") and "date" in f:
        d = pd.to_datetime(f["date"], format="ISO8601")
        dated = (d.dt.year.astype("Int64").astype(str) + "-Q"
                 + d.dt.quarter.astype("Int64").astype(str)).where(d.notna())
        f["quarter"] = f["quarter"].fillna(dated) if "quarter" in f else dated
    if key == "needs" and "votes" not in f:
        f["votes"] = 1.0
    if key == "services":
        if "in_catalog" not in f:
            f["in_catalog"] = True
        if "unit" not in f:
            f["unit"] = "user"
    return f


def typed(key: str, data=None) -> pd.DataFrame:
    """One typed table: the given rows/columns cast, everything else empty or derived."""
    spec = {**TABLE_DTYPES[key], **SOURCE_DTYPES}
    f = _frame(data if data is not None else {})
    n = len(f)
    if n:
        f = _derive(key, f)
        if "source_file" not in f:
            f["source_file"] = "test.xlsx"
        if "source_sheet" not in f:
            f["source_sheet"] = SHEETS_BY_KEY[key].title
        if "source_row" not in f:
            f["source_row"] = np.arange(2, n + 2)
        if key == "costs":
            f["comparable"] = f["comparable"].fillna(True) if "comparable" in f else True
    cols = {}
    for name, dtype in spec.items():
        if name in f:
            cols[name] = _cast(f[name].reset_index(drop=True), dtype)
        else:
            cols[name] = pd.Series(pd.array([None] * n, dtype=_nullable(dtype)))
    return pd.DataFrame(cols)


def _nullable(dtype: str) -> str:
    return {"bool": "boolean", "int64": "Int64"}.get(dtype, dtype)


def make_dataset(settings: Settings | None = None, **tables) -> Dataset:
    """A Dataset holding every table, typed; pass any of them as records, a dict of
    columns or a DataFrame."""
    unknown = set(tables) - set(TABLE_DTYPES)
    if unknown:
        raise KeyError(f"unknown tables: {sorted(unknown)}")
    return Dataset(
        tables={key: typed(key, tables.get(key)) for key in TABLE_DTYPES},
        settings=settings or Settings(),
    )


def snapshot(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Deep copies of every table, to assert later that nothing was mutated."""
    return {key: frame.copy(deep=True) for key, frame in dataset.tables.items()}


def assert_unchanged(dataset: Dataset, before: dict[str, pd.DataFrame]) -> None:
    assert set(dataset.tables) == set(before)
    for key, frame in dataset.tables.items():
        pd.testing.assert_frame_equal(frame, before[key], check_exact=True)
