"""Support: how proactive the work is, the work mix, blocks of hours, the priority matrix and
service desk figures.

Support rows are tickets or time entries (an ITSM event log is already collapsed per ticket);
``work_class`` is reactive, proactive, routine or unclassified (anything else counts as
unclassified). Built for a million rows: work is done on factorised codes with numpy, never
row by row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .column_codes import (
    Periods,
    derived,
    frozen,
    name_codes,
    period_codes,
    rows_in_quarter,
)
from .frames import (
    MONTHS_PER_QUARTER,
    cast,
    empty_frame,
    pct,
    quarter_end,
    quarter_label,
    quarter_start,
    ratio,
    table,
)
from .model import Dataset
from .schema import BLOCK_WARN_PERCENT, PRIORITY_LABELS, WORK_CLASSES

REACTIVE, PROACTIVE, ROUTINE, UNCLASSIFIED = range(4)  # positions in WORK_CLASSES
_CLASS_INDEX = {name: i for i, name in enumerate(WORK_CLASSES)}
BURN_WINDOW_DAYS = 90
_DAY = pd.Timedelta(days=1)
_DAY_US = 86_400_000_000  # microseconds in a day


# ---- shared building blocks ------------------------------------------------------------------

def _class_codes(support: pd.DataFrame) -> np.ndarray:
    """Work class of every row as 0-3 (WORK_CLASSES order); missing/unknown -> unclassified."""
    return derived(support["work_class"].array, "work_class",
                    lambda array: frozen(_class_codes_of(array)))


def _class_codes_of(array) -> np.ndarray:
    if getattr(array.dtype, "storage", None) == "pyarrow":
        # Arrow looks the four canonical names up directly (faster than factorising)
        import pyarrow as pa
        import pyarrow.compute as pc

        values = pa.array(array)
        found = pc.index_in(values, value_set=pa.array(list(WORK_CLASSES)))
        if found.null_count == values.null_count:  # every present value is canonical
            return pc.fill_null(found, UNCLASSIFIED).to_numpy(
                zero_copy_only=False).astype(np.int64)
    codes, uniques = pd.factorize(array)
    lut = [_CLASS_INDEX.get(str(u).strip().casefold(), UNCLASSIFIED) for u in uniques]
    return np.array([*lut, UNCLASSIFIED], dtype=np.int64)[codes]  # code -1 -> last entry


def quarter_codes(support: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Each row's quarter as a code into :func:`quarter_labels` (-1: none), and the labels
    (kept with the column: derived once; read-only)."""
    periods = period_codes(support, "quarter")
    return periods.codes, list(periods.labels)


def _hours(support: pd.DataFrame) -> np.ndarray:
    return support["hours"].to_numpy(dtype=float, na_value=np.nan)


def _mix(periods: Periods, cls: np.ndarray, hours: np.ndarray):
    """(hours, rows, rows with hours), each an array periods × 4 classes."""
    n = len(periods.labels)
    codes = periods.codes
    if n == 0:
        z = np.zeros((0, 4))
        return z, z.astype(np.int64), z.astype(np.int64)
    valid = codes >= 0
    key = codes * 4 + cls
    has = ~np.isnan(hours)
    if not valid.all():
        key, has, hours = key[valid], has[valid], hours[valid]
    size = n * 4
    h = np.bincount(key, weights=np.where(has, hours, 0.0), minlength=size).reshape(n, 4)
    # one pass counts rows with and without hours: bin 2k+1 = with hours
    both = np.bincount(key * 2 + has, minlength=size * 2).reshape(n, 4, 2)
    return h, both.sum(axis=2), both[:, :, 1]


def _check_by(by: str) -> None:
    if by not in ("quarter", "month"):
        raise ValueError(f"by must be 'quarter' or 'month', not {by!r}")


def _only(frame: pd.DataFrame, column: str, value: str | None, zeros: dict) -> pd.DataFrame:
    """Rows of one period; a period without rows gives one row of ``zeros``."""
    if value is None:
        return frame
    out = frame[frame[column] == value]
    if len(out):
        return out.reset_index(drop=True)
    row = {c: zeros.get(c, np.nan) for c in frame.columns}
    row[column] = value
    return pd.DataFrame([row]).astype(frame.dtypes.to_dict())


# ---- proactive share and work mix ------------------------------------------------------------

SHARE_COLUMNS = [
    "reactive_hours", "proactive_hours", "routine_hours", "unclassified_hours",
    "reactive_tickets", "proactive_tickets", "routine_tickets", "unclassified_tickets",
    "basis", "proactive_share_pct", "hours_coverage_pct",
]


def _share_frame(periods: Periods, cls: np.ndarray, hours: np.ndarray,
                 by: str) -> pd.DataFrame:
    h, t, wh = _mix(periods, cls, hours)
    pr_hours = h[:, PROACTIVE] + h[:, REACTIVE]
    pr_rows = t[:, PROACTIVE] + t[:, REACTIVE]
    on_hours = pr_hours > 0
    basis = np.where(on_hours, "hours", np.where(pr_rows > 0, "tickets", "none"))
    share = np.where(on_hours, pct(h[:, PROACTIVE], pr_hours),
                     pct(t[:, PROACTIVE], pr_rows))
    out = {by: pd.array(periods.labels, dtype="str")}
    for i, name in enumerate(WORK_CLASSES):
        out[f"{name}_hours"] = h[:, i]
    for i, name in enumerate(WORK_CLASSES):
        out[f"{name}_tickets"] = t[:, i].astype("int64")
    out["basis"] = pd.array(basis, dtype="str")
    out["proactive_share_pct"] = share
    out["hours_coverage_pct"] = pct(wh[:, PROACTIVE] + wh[:, REACTIVE], pr_rows)
    return pd.DataFrame(out)


def proactive_share(dataset: Dataset, by: str = "quarter",
                    quarter: str | None = None) -> pd.DataFrame:
    """Proactive share = proactive hours ÷ (proactive + reactive hours) × 100, per quarter (or
    ``by="month"``). A period whose proactive and reactive rows carry no hours uses ticket
    counts instead, and ``basis`` says so (``hours`` / ``tickets``; ``none`` for a period with
    neither). A period where only some rows carry hours uses the hours there are;
    ``hours_coverage_pct`` says how many rows had them. Routine and unclassified work is
    shown, never in the share.

    ``quarter`` keeps one quarter (a quarter without support rows gives zeros, basis ``none``
    and a NaN share); with ``by="month"`` it keeps that quarter's months.

    Columns: quarter (or month), reactive_hours, proactive_hours, routine_hours,
    unclassified_hours, reactive_tickets, proactive_tickets, routine_tickets,
    unclassified_tickets, basis, proactive_share_pct, hours_coverage_pct (the share of
    proactive and reactive rows that carry hours)."""
    _check_by(by)
    support = table(dataset, "support")
    out = _share_frame(period_codes(support, by), _class_codes(support), _hours(support), by)
    return _filter_period(out, by, quarter, support)


def _filter_period(out: pd.DataFrame, by: str, quarter: str | None,
                   support: pd.DataFrame) -> pd.DataFrame:
    if quarter is None:
        return out
    if by == "quarter":
        zeros = {c: 0 for c in out.columns if c.endswith(("_hours", "_tickets"))}
        zeros["basis"] = "none"
        return _only(out, "quarter", quarter, zeros)
    months = support.loc[support["quarter"] == quarter, "month"].dropna().unique()
    return out[out["month"].isin(months)].reset_index(drop=True)


def work_mix(dataset: Dataset, by: str = "quarter", quarter: str | None = None) -> pd.DataFrame:
    """Hours and tickets by work class per quarter (or month): every class in every period,
    zeros included.

    Columns: quarter (or month), work_class (reactive, proactive, routine, unclassified),
    hours, tickets, rows_without_hours, hours_pct and tickets_pct (of the period's total)."""
    _check_by(by)
    support = table(dataset, "support")
    periods = period_codes(support, by)
    if by == "quarter" and quarter is not None and quarter not in periods.labels:
        periods = Periods(periods.codes, [*periods.labels, quarter])
    h, t, wh = _mix(periods, _class_codes(support), _hours(support))
    n = len(periods.labels)
    out = pd.DataFrame({
        by: pd.array(np.repeat(periods.labels, 4), dtype="str"),
        "work_class": pd.array(np.tile(WORK_CLASSES, n), dtype="str"),
        "hours": h.ravel(),
        "tickets": t.ravel().astype("int64"),
        "rows_without_hours": (t - wh).ravel().astype("int64"),
        "hours_pct": pct(h, h.sum(axis=1, keepdims=True)).ravel(),
        "tickets_pct": pct(t, t.sum(axis=1, keepdims=True)).ravel(),
    })
    if quarter is None:
        return out
    if by == "quarter":
        return out[out["quarter"] == quarter].reset_index(drop=True)
    months = support.loc[support["quarter"] == quarter, "month"].dropna().unique()
    return out[out["month"].isin(months)].reset_index(drop=True)


# ---- blocks of hours -------------------------------------------------------------------------

BLOCK_COLUMNS = {
    "block": "str", "vendor": "str", "start": "datetime64[us]", "end": "datetime64[us]",
    "purchased_hours": "float64", "price": "float64", "used_hours": "float64",
    "remaining_hours": "float64", "overrun_hours": "float64", "used_pct": "float64",
    "warning": "str", "reactive_hours": "float64", "proactive_hours": "float64",
    "routine_hours": "float64", "unclassified_hours": "float64", "tickets": "int64",
    "rows_without_hours": "int64", "burn_rate_hours_per_day": "float64",
    "burn_window_days": "float64", "as_of": "datetime64[us]", "runout_date": "datetime64[us]",
    "runout_basis": "str", "runs_out_before_end": "boolean", "in_blocks_table": "bool",
}


def _norm(values) -> list[str]:
    return ["".join(ch for ch in str(v).casefold() if ch.isalnum()) for v in values]


def _block_table(blocks: pd.DataFrame) -> pd.DataFrame:
    """One row per block name (repeated names, e.g. a top-up, add their hours and price)."""
    b = blocks[blocks["block"].notna()]
    b = b.assign(key=_norm(b["block"]))[
        ["key", "block", "vendor", "start", "end", "purchased_hours", "price"]]
    if not b["key"].duplicated().any():
        return b.reset_index(drop=True)
    return b.groupby("key", sort=False, as_index=False).agg(
        block=("block", "first"), vendor=("vendor", "first"), start=("start", "min"),
        end=("end", "max"), purchased_hours=("purchased_hours", "sum"),
        price=("price", lambda s: s.sum(min_count=1)))


def _assign_blocks(support: pd.DataFrame, b: pd.DataFrame,
                   opened: np.ndarray) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Positions of the support rows that draw from a block, the block index of each, and the
    block table extended with blocks that rows name but the Blocks sheet lacks."""
    all_codes, uniques = name_codes(support, "block")
    if len(uniques):
        pos = np.flatnonzero(all_codes >= 0)
        codes = all_codes[pos]
        index = {k: i for i, k in enumerate(b["key"])}
        extra, lut = [], []
        for name, key in zip(uniques, _norm(uniques), strict=True):  # per name, not per row
            if key not in index:
                index[key] = len(b) + len(extra)
                extra.append({"key": key, "block": str(name)})
            lut.append(index[key])
        if extra:
            b = pd.concat([b, pd.DataFrame(extra)], ignore_index=True)
        return pos, np.array(lut, dtype=np.int64)[codes], b
    # No row names a block: a row dated inside exactly one block draws from it.
    count = np.zeros(len(support), dtype=np.int8)
    idx = np.full(len(support), -1, dtype=np.int64)
    for i, (start, end) in enumerate(zip(b["start"], b["end"], strict=True)):  # per block
        inside = np.ones(len(support), dtype=bool)
        if pd.notna(start):
            inside &= opened >= np.datetime64(start)
        if pd.notna(end):
            inside &= opened < np.datetime64(end + _DAY)
        count += inside
        idx[inside] = i
    pos = np.flatnonzero(count == 1)
    return pos, idx[pos], b


def _block_status(support: pd.DataFrame, blocks: pd.DataFrame, as_of,
                  cls: np.ndarray) -> pd.DataFrame:
    b = _block_table(blocks)
    if len(b) == 0 and support["block"].isna().all():
        return empty_frame(BLOCK_COLUMNS)
    opened = support["opened"].to_numpy().astype("datetime64[us]", copy=False)
    pos, i, b = _assign_blocks(support, b, opened)
    nb = len(b)
    if as_of is None:
        as_of = support["opened"].max()
    as_of = pd.Timestamp(as_of) if pd.notna(as_of) else pd.NaT
    when = opened[pos]
    if pd.notna(as_of):
        day_end = as_of.normalize() + _DAY
        upto = when < np.datetime64(day_end)
        pos, i, when = pos[upto], i[upto], when[upto]
    c, h = cls[pos], _hours(support)[pos]
    has = ~np.isnan(h)
    hw = np.where(has, h, 0.0)
    by_class = np.bincount(i * 4 + c, weights=hw, minlength=nb * 4).reshape(nb, 4)
    tickets = np.bincount(i, minlength=nb)
    no_hours = np.bincount(i[~has], minlength=nb)

    purchased = b["purchased_hours"].to_numpy(dtype=float)
    used = by_class.sum(axis=1)
    remaining = np.clip(purchased - used, 0, None)
    overrun = np.clip(used - purchased, 0, None)
    used_pct = pct(used, purchased)
    low, high = BLOCK_WARN_PERCENT
    warning = np.select([used_pct >= high, used_pct >= low], [f"{high:g}", f"{low:g}"], "none")

    # Burn rate: hours in the last 90 days up to as_of, per day of those the block was running.
    start = b["start"].to_numpy().astype("datetime64[us]")
    end = b["end"].to_numpy().astype("datetime64[us]")
    burn = days = np.full(nb, np.nan)
    if pd.notna(as_of):
        stop = np.datetime64(day_end, "us")
        window_open = stop - np.timedelta64(BURN_WINDOW_DAYS, "D")
        recent = when >= window_open
        window_hours = np.bincount(i[recent], weights=hw[recent], minlength=nb)
        # the part of the window the block was running: from its start, to the day after its end
        w_start = np.where(np.isnat(start) | (start < window_open), window_open, start)
        after_end = end + np.timedelta64(1, "D")
        w_stop = np.where(np.isnat(end) | (after_end > stop), stop, after_end)
        days = (w_stop - w_start) / np.timedelta64(1, "D")
        days = np.where(days > 0, days, np.nan)
        burn = ratio(window_hours, days)

    runout = np.full(nb, np.datetime64("NaT"), dtype="datetime64[us]")
    basis = np.full(nb, None, dtype=object)
    reached = (used >= purchased) & (purchased > 0)
    for k in np.flatnonzero(reached):  # per exhausted block: the day its hours ran out
        mine = i == k
        day = when[mine].view(np.int64) // _DAY_US  # days since 1970
        first_day = day.min()
        daily = np.bincount(day - first_day, weights=hw[mine])
        ran_out = min(int(np.searchsorted(np.cumsum(daily), purchased[k] - 1e-9)),
                      len(daily) - 1)
        runout[k] = np.datetime64(int(first_day + ran_out), "D")
        basis[k] = "actual"
    going = ~reached & (remaining > 0) & (np.nan_to_num(burn) > 0)
    if going.any():
        ahead = remaining[going] / burn[going]  # days
        runout[going] = (np.datetime64(as_of.normalize(), "us")
                         + (ahead * 86_400e6).astype("timedelta64[us]")).astype(
                             "datetime64[D]")
        basis[going] = "projected"
    # A projection past the block's end is no run-out date: the block ends first (the hours
    # left simply lapse), so no "runs out about 5 Jul 2108" is ever shown.
    lapses = going & ~np.isnat(end) & (runout > end.astype("datetime64[D]").astype(
        "datetime64[us]"))
    runout[lapses] = np.datetime64("NaT")
    basis[lapses] = None
    both = ~np.isnat(runout) & ~np.isnat(end)
    before_end = pd.array(np.where(both, runout < end, np.where(lapses, False, None)),
                          dtype="boolean")

    out = pd.DataFrame({
        "block": b["block"], "vendor": b.get("vendor"), "start": start, "end": end,
        "purchased_hours": purchased, "price": b.get("price"),
        "used_hours": used, "remaining_hours": remaining, "overrun_hours": overrun,
        "used_pct": used_pct, "warning": warning,
        **{f"{name}_hours": by_class[:, n] for n, name in enumerate(WORK_CLASSES)},
        "tickets": tickets, "rows_without_hours": no_hours,
        "burn_rate_hours_per_day": burn, "burn_window_days": days,
        # a block is never measured before it starts: its as_of is at least its start
        "as_of": _not_before(as_of, start, nb), "runout_date": runout, "runout_basis": basis,
        "runs_out_before_end": before_end,
        "in_blocks_table": b["purchased_hours"].notna().to_numpy(dtype=bool),
    })
    return cast(out, BLOCK_COLUMNS)


def _not_before(as_of, start: np.ndarray, nb: int) -> np.ndarray:
    """as_of per block, moved forward to the block's start when the block starts later."""
    when = np.full(nb, np.datetime64(as_of, "us") if pd.notna(as_of) else np.datetime64("NaT"),
                   dtype="datetime64[us]")
    later = ~np.isnat(start) & ~np.isnat(when) & (start > when)
    when[later] = start[later]
    return when


def block_status(dataset: Dataset, as_of=None) -> pd.DataFrame:
    """Status of each purchased block of hours as of a date (default: the latest support date).

    Rows draw from the block they name (names match ignoring case, spaces and punctuation).
    Where no row names any block, a row dated inside exactly one block (start ≤ date ≤ end; a
    missing bound is open) draws from it; rows dated where blocks overlap draw from none. A
    block named by rows but missing from Blocks is listed with no purchased hours. Used hours
    count rows opened up to ``as_of`` (that whole day).

    Columns: block, vendor, start, end, purchased_hours, price, used_hours, remaining_hours,
    overrun_hours, used_pct, warning (``none`` / ``80`` / ``95``: used_pct reached 80 % or
    95 %), reactive_hours, proactive_hours, routine_hours, unclassified_hours (used, by class),
    tickets (rows drawn), rows_without_hours, burn_rate_hours_per_day (hours in the 90 days up
    to as_of ÷ the days of those 90 the block was running), burn_window_days, as_of (never
    before the block's start: a block starting after the date is measured at its start),
    runout_date (``actual``: the day the hours ran out; ``projected``: as_of + remaining ÷ burn
    rate; NaT without burn, and NaT when the projection falls after the block's end — then
    runs_out_before_end is False), runout_basis, runs_out_before_end, in_blocks_table."""
    support = table(dataset, "support")
    return _block_status(support, table(dataset, "blocks"), as_of, _class_codes(support))


# ---- priority --------------------------------------------------------------------------------

def _levels(support: pd.DataFrame, rows: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Impact, urgency and priority as floats (NaN where missing), of ``rows`` (a mask or
    positions)."""
    # the rows first (as positions: one pass over a mask, not one per column and its
    # validity), then floats: a quarter's rows convert, not the whole million
    if rows is not None and rows.dtype == bool:
        rows = np.flatnonzero(rows)
    arrays = (support[c].array for c in ("impact", "urgency", "priority"))
    return tuple((a if rows is None else a[rows]).to_numpy(dtype=float, na_value=np.nan)
                 for a in arrays)


def matrix_priority(impact, urgency):
    """ServiceNow's default 3 × 3 matrix: priority = impact + urgency − 1 (1/1 -> 1 Critical,
    1/2 and 2/1 -> 2 High, 1/3, 2/2 and 3/1 -> 3 Moderate, 2/3 and 3/2 -> 4 Low,
    3/3 -> 5 Planning); NaN where either is missing or outside 1-3."""
    i = np.asarray(impact, dtype=float)
    u = np.asarray(urgency, dtype=float)
    ok = np.isin(i, (1, 2, 3)) & np.isin(u, (1, 2, 3))
    return np.where(ok, i + u - 1, np.nan)


def _effective_priority(support: pd.DataFrame, rows: np.ndarray | None = None) -> np.ndarray:
    """The recorded priority; where it is missing, the matrix priority (of ``rows``: a mask
    or positions)."""
    impact, urgency, priority = _levels(support, rows)
    return np.where(np.isnan(priority), matrix_priority(impact, urgency), priority)


def _in_quarter(support: pd.DataFrame, quarter: str | None) -> np.ndarray | None:
    """The rows of ``quarter`` as a mask (None: every row)."""
    return None if quarter is None else rows_in_quarter(support, quarter)


def priority_matrix(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Tickets per impact × urgency cell (all nine cells, zeros included).

    Columns: impact, urgency, matrix_priority, label (e.g. ``3 - Moderate``), tickets,
    recorded (tickets with a recorded priority), mismatched (recorded priority differs from
    the matrix)."""
    support = table(dataset, "support")
    impact, urgency, priority = _levels(support, _in_quarter(support, quarter))
    mp = matrix_priority(impact, urgency)
    ok = ~np.isnan(mp)
    cell = ((impact[ok] - 1) * 3 + urgency[ok] - 1).astype(np.int64)
    rec = ~np.isnan(priority[ok])
    bad = rec & (priority[ok] != mp[ok])
    grid_i, grid_u = np.divmod(np.arange(9), 3)
    mpg = grid_i + grid_u + 1
    return pd.DataFrame({
        "impact": grid_i + 1, "urgency": grid_u + 1, "matrix_priority": mpg,
        "label": pd.array([PRIORITY_LABELS[p] for p in mpg], dtype="str"),
        "tickets": np.bincount(cell, minlength=9),
        "recorded": np.bincount(cell[rec], minlength=9),
        "mismatched": np.bincount(cell[bad], minlength=9),
    })


def priority_mismatches(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Where a recorded priority differs from the impact × urgency matrix: how many tickets,
    per pair (most frequent first). ``tickets.sum()`` is the number of mismatched tickets.

    Columns: impact, urgency, matrix_priority, recorded_priority, tickets."""
    support = table(dataset, "support")
    impact, urgency, priority = _levels(support, _in_quarter(support, quarter))
    mp = matrix_priority(impact, urgency)
    bad = ~np.isnan(mp) & np.isin(priority, (1, 2, 3, 4, 5)) & (priority != mp)
    key = (((impact[bad] - 1) * 3 + urgency[bad] - 1) * 5 + priority[bad] - 1).astype(np.int64)
    counts = np.bincount(key, minlength=45)
    hit = np.flatnonzero(counts)
    cell, rec = np.divmod(hit, 5)
    imp, urg = np.divmod(cell, 3)
    out = pd.DataFrame({
        "impact": imp + 1, "urgency": urg + 1, "matrix_priority": imp + urg + 1,
        "recorded_priority": rec + 1, "tickets": counts[hit],
    })
    return out.sort_values(["tickets", "impact", "urgency", "recorded_priority"],
                           ascending=[False, True, True, True], ignore_index=True)


def _external(support: pd.DataFrame, services: pd.DataFrame,
              rows: np.ndarray | None = None) -> np.ndarray:
    """Per support row (of ``rows``: positions): is its service external-facing (missing or
    unknown -> internal)."""
    s = services.dropna(subset=["service"]).drop_duplicates("service")
    facing = dict(zip(s["service"], s["external_facing"].fillna(False).astype(bool), strict=True))
    codes, uniques = service_codes(support)
    lut = np.array([facing.get(u, False) for u in uniques] + [False], dtype=bool)
    return lut[codes if rows is None else codes[rows]]


def service_codes(support: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's service as a code (-1: none) and the services, in order of appearance
    (kept with the column: derived once per table)."""
    return name_codes(support, "service")


def p1_share(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Share of P1 (Critical) tickets, external-facing and internal services apart, per
    quarter. Priority is the recorded one, else the matrix's; tickets with neither are left
    out of the share. A service not in the catalogue, without ``external_facing`` or a ticket
    without a service counts as internal.

    Columns: quarter, facing (``external`` / ``internal``), tickets, prioritised, p1_tickets,
    p1_share_pct (p1_tickets ÷ prioritised × 100)."""
    support = table(dataset, "support")
    periods = period_codes(support, "quarter")
    if quarter is not None and quarter not in periods.labels:
        periods = Periods(periods.codes, [*periods.labels, quarter])
    n = len(periods.labels)
    # one quarter: only its rows (the other quarters' counts are dropped anyway), taken
    # before any arithmetic
    rows = np.flatnonzero((periods.codes >= 0) if quarter is None
                          else rows_in_quarter(support, quarter))
    internal = ~_external(support, table(dataset, "services"), rows)
    key = periods.codes[rows] * 2 + internal  # external first
    p = _effective_priority(support, rows)
    tickets = np.bincount(key, minlength=n * 2)
    prioritised = np.bincount(key[~np.isnan(p)], minlength=n * 2)
    p1 = np.bincount(key[p == 1], minlength=n * 2)
    out = pd.DataFrame({
        "quarter": pd.array(np.repeat(periods.labels, 2), dtype="str"),
        "facing": pd.array(np.tile(["external", "internal"], n), dtype="str"),
        "tickets": tickets, "prioritised": prioritised, "p1_tickets": p1,
        "p1_share_pct": pct(p1, prioritised),
    })
    if quarter is not None:
        out = out[out["quarter"] == quarter].reset_index(drop=True)
    return out


# ---- service desk ----------------------------------------------------------------------------

def resolution_times(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Hours to resolve (resolved − opened) of the tickets resolved in each quarter, by
    priority (recorded, else the matrix's; ``priority`` 0 = all priorities together).
    Rows resolved before they were opened are left out.

    Columns: quarter, priority, resolved, median_hours."""
    support = table(dataset, "support")
    opened = support["opened"].to_numpy().astype("datetime64[us]", copy=False)
    resolved = support["resolved"].to_numpy().astype("datetime64[us]", copy=False)
    if quarter is None:
        pos = np.flatnonzero(~np.isnat(resolved) & ~np.isnat(opened) & (resolved >= opened))
    else:  # the quarter's few resolved rows first (NaT compares False: left out)
        pos = np.flatnonzero((resolved >= np.datetime64(quarter_start(quarter), "us"))
                             & (resolved < np.datetime64(quarter_end(quarter), "us")))
        pos = pos[resolved[pos] >= opened[pos]]
    when = resolved[pos]
    month = when.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    q = (month // 3).astype(np.int64)  # quarters since 1970-Q1
    priority = np.nan_to_num(_effective_priority(support, pos), nan=-1).astype(np.int64)
    hours = (when - opened[pos]) / np.timedelta64(1, "h")
    ranked = priority > 0
    every = _medians(q, np.zeros(len(q), dtype=np.int64), hours)
    per = _medians(q[ranked], priority[ranked], hours[ranked])
    qs, ps, counts, medians = (np.concatenate(pair) for pair in zip(every, per, strict=True))
    order = np.lexsort((ps, qs))
    labels = pd.array([quarter_label(k + 1970 * 4) for k in qs[order].tolist()], dtype="str")
    return pd.DataFrame({
        "quarter": labels, "priority": ps[order], "resolved": counts[order],
        "median_hours": medians[order],
    })


def _medians(q: np.ndarray, priority: np.ndarray, hours: np.ndarray):
    """Per (quarter, priority) pair with rows: the pair, how many rows and their median hours
    (the mean of the two middle values for an even count, as pandas' median): the hours
    sorted, then a stable sort by pair on a small integer key (numpy's radix sort), 4× a
    three-key lexsort."""
    order = np.argsort(hours)  # ties are equal values: their order changes no median
    if len(q):
        pair = (q - q.min()) * (priority.max() - priority.min() + 1) + (priority - priority.min())
        small = np.min_scalar_type(pair.max())  # uint8/uint16 for a few dozen quarters
        order = order[np.argsort(pair[order].astype(small), kind="stable")]
    q, priority, hours = q[order], priority[order], hours[order]
    starts = np.flatnonzero(np.r_[True, (q[1:] != q[:-1]) | (priority[1:] != priority[:-1])]
                            ) if len(q) else np.array([], dtype=np.int64)
    counts = np.diff(np.r_[starts, len(q)]).astype(np.int64)
    lo, hi = starts + (counts - 1) // 2, starts + counts // 2
    return q[starts], priority[starts], counts, (hours[lo] + hours[hi]) / 2


def headcount(dataset: Dataset) -> pd.DataFrame:
    """Total distinct headcount per quarter, taken as the largest user count of any service
    that quarter (Usage; a service's users are the sum of its rows).

    Columns: quarter, users."""
    usage = table(dataset, "usage")
    per_service = usage.groupby(["quarter", "service"], as_index=False)["users"].sum()
    return per_service.groupby("quarter", as_index=False)["users"].max()


def service_desk(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Service desk figures per quarter (every quarter with any data, or just ``quarter``; a
    quarter without support rows gives zeros and NaN).

    - tickets: support rows opened in the quarter;
    - tickets_per_user_month: tickets ÷ users ÷ 3, users being the headcount (:func:`headcount`:
      the largest user count of any service that quarter);
    - resolved, median_resolve_hours and median_resolve_hours_p1 … _p5: tickets resolved in the
      quarter and their median hours from opened to resolved (see :func:`resolution_times`);
    - backlog: tickets open at the quarter's end (opened before it ends and not resolved by
      then; unresolved tickets stay open);
    - satisfaction_pct: mean satisfaction (0-100) of the quarter's tickets that have one,
      satisfaction_responses how many;
    - reopened: the quarter's tickets reopened at least once (``reopen_count`` > 0),
      reopen_recorded: how many of its tickets carry a reopen count, reopen_rate_pct:
      reopened ÷ reopen_recorded × 100 (NaN when no ticket carries one);
    - incomplete: the quarter has under 10 % of the median tickets of the quarters before it
      (:func:`incomplete_quarters`), so its figures are likely a partial export.

    Columns: quarter, tickets, users, tickets_per_user_month, resolved, median_resolve_hours,
    median_resolve_hours_p1 … median_resolve_hours_p5, backlog, satisfaction_pct,
    satisfaction_responses, reopened, reopen_recorded, reopen_rate_pct, incomplete."""
    support = table(dataset, "support")
    quarters = [quarter] if quarter is not None else sorted(
        set(dataset.quarters) | set(support["quarter"].dropna().unique()))
    qs = pd.Series(quarters, dtype="str")
    periods = period_codes(support, "quarter")
    n = len(periods.labels)
    # every quarter's tickets (incomplete compares with the quarters before); the rest only
    # for the rows of the quarters shown
    rows = np.flatnonzero((periods.codes >= 0) if quarter is None
                          else rows_in_quarter(support, quarter))
    codes = periods.codes[rows]
    sat = support["satisfaction_pct"].array[rows].to_numpy(dtype=float, na_value=np.nan)
    has_sat = ~np.isnan(sat)
    reopens = support["reopen_count"].array[rows].to_numpy(dtype=float, na_value=np.nan)
    has_reopen = ~np.isnan(reopens)
    per_q = pd.DataFrame({
        "quarter": pd.array(periods.labels, dtype="str"),
        "tickets": np.bincount(periods.codes + 1, minlength=n + 1)[1:],  # bin 0: no quarter
        "sat_sum": np.bincount(codes[has_sat], weights=sat[has_sat], minlength=n),
        "satisfaction_responses": np.bincount(codes[has_sat], minlength=n),
        "reopened": np.bincount(codes[has_reopen & (reopens > 0)], minlength=n),
        "reopen_recorded": np.bincount(codes[has_reopen], minlength=n),
    })
    per_q["incomplete"] = incomplete_quarters(per_q["tickets"].to_numpy())
    out = pd.DataFrame({"quarter": qs}).merge(per_q, on="quarter", how="left")
    out["incomplete"] = out["incomplete"].fillna(False).astype(bool)
    out = out.merge(headcount(dataset), on="quarter", how="left")
    for c in ("tickets", "satisfaction_responses", "reopened", "reopen_recorded"):
        out[c] = out[c].fillna(0).astype("int64")
    out["reopen_rate_pct"] = pct(out["reopened"], out["reopen_recorded"])
    out["tickets_per_user_month"] = ratio(out["tickets"],
                                          out["users"] * MONTHS_PER_QUARTER)
    out["satisfaction_pct"] = ratio(out["sat_sum"], out["satisfaction_responses"])

    times = resolution_times(dataset, quarter)
    wide = times.pivot(index="quarter", columns="priority", values="median_hours")
    resolved = times[times["priority"] == 0].set_index("quarter")["resolved"]
    out["resolved"] = out["quarter"].map(resolved).fillna(0).astype("int64")
    out["median_resolve_hours"] = out["quarter"].map(wide.get(0, pd.Series(dtype=float)))
    for p in range(1, 6):
        col = wide[p] if p in wide else pd.Series(dtype=float)
        out[f"median_resolve_hours_p{p}"] = out["quarter"].map(col).astype(float)
    out["median_resolve_hours"] = out["median_resolve_hours"].astype(float)

    # backlog at quarter end = opened before the end − (opened and resolved before the end)
    opened = support["opened"].to_numpy().astype("datetime64[us]", copy=False)
    resolved = support["resolved"].to_numpy().astype("datetime64[us]", copy=False)
    ends = np.array([quarter_end(q).to_datetime64() for q in quarters], dtype="datetime64[us]")
    out["backlog"] = _backlog(opened, resolved, ends)
    cols = ["quarter", "tickets", "users", "tickets_per_user_month", "resolved",
            "median_resolve_hours", *[f"median_resolve_hours_p{p}" for p in range(1, 6)],
            "backlog", "satisfaction_pct", "satisfaction_responses", "reopened",
            "reopen_recorded", "reopen_rate_pct", "incomplete"]
    return out[cols]


def _backlog(opened: np.ndarray, resolved: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per end: tickets opened before it and not resolved before it (NaT: never)."""
    if len(ends) <= 2:  # a quarter or two: two comparisons per end beat placing every date
        # NaT compares False: a ticket never opened is not counted, never resolved stays open
        return np.array([np.count_nonzero((opened < end) & ~(resolved < end)) for end in ends],
                        dtype=np.int64)
    both = ~np.isnat(opened) & ~np.isnat(resolved)
    closed_at = np.maximum(opened[both], resolved[both])
    return (_before_each(opened[~np.isnat(opened)], ends)
            - _before_each(closed_at, ends)).astype("int64")


def _before_each(when: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many of ``when`` (no NaT) fall before each of ``ends``: one pass placing every
    date among the few ends (no sort of a million dates)."""
    order = np.argsort(ends, kind="stable")
    ticks = ends[order].view(np.int64)
    # slot k: at or after the k-th end and before the next one; a date before end j is in a
    # slot below j's
    slot = np.searchsorted(ticks, when.view(np.int64), side="right")
    below = np.cumsum(np.bincount(slot, minlength=len(ends) + 1))[:len(ends)]
    out = np.empty(len(ends), dtype=np.int64)
    out[order] = below
    return out


INCOMPLETE_SHARE = 0.10  # a quarter under 10 % of the earlier quarters' median is incomplete


def incomplete_quarters(tickets: np.ndarray) -> np.ndarray:
    """Per quarter (in time order, quarters with tickets only): True where it has fewer than
    10 % of the median tickets of the quarters before it, e.g. an export cut off a few days
    into the quarter. The first quarter is never incomplete (nothing to compare)."""
    tickets = np.asarray(tickets, dtype=float)
    out = np.zeros(len(tickets), dtype=bool)
    for k in range(1, len(tickets)):  # one per quarter: a few dozen at most
        out[k] = tickets[k] < INCOMPLETE_SHARE * np.median(tickets[:k])
    return out
