"""What each IT service costs: direct cost, shared-cost allocation, cost per user, trends,
cost pools and showback.

Every figure is built from :func:`allocations`, one row per (cost line, receiving service), so
any number can be explained down to the ledger rows that made it (:func:`explain_cost`).
Totals always equal the ledger: a shared line that cannot be allocated stays on the
``Unallocated`` line, with the reason.

Allocation methods (``allocate_by`` of a shared line, read by ``schema.allocation_of`` as ingest
reads it: the words of ``schema.ALLOCATION_WORDS``, case, spaces and punctuation ignored; a name
in Allocation rules wins over a method word):

- ``users``   -> proportional to each service's users in the line's quarter (Usage);
- ``tickets`` -> proportional to the support rows per service opened in the quarter;
- ``hours``   -> proportional to the support hours per service in the quarter;
- ``cost``    -> proportional to each service's positive direct cost in the quarter;
- ``even``    -> equal across the services with a direct cost line or users that quarter;
- anything else is a rule name from Allocation rules (matched ignoring case, spaces and
  punctuation): its percents, scaled to total exactly 100 so the line is spent in full. A
  rule whose percents do not total 100 (± ``schema.RULE_TOLERANCE``) is not used.

A shared line whose method finds nothing to spread over (no driver data in the quarter, no
such rule, a rule not totalling 100, a blank ``allocate_by``) stays on ``Unallocated``; its
``reason`` says why and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from .frames import (
    MONTHS_PER_QUARTER,
    UNALLOCATED,
    cast,
    empty_frame,
    ratio,
    shift_quarters,
    table,
)
from .model import Dataset
from .schema import (
    METHODS_IN_WORDS,
    RULE_METHOD,
    RULE_TOTAL_TEXT,
    AllocationMethod,
    allocation_of,
    rule_total_ok,
    word_keys,
)
from .support import service_codes

METHODS = tuple(AllocationMethod)

# Returned by allocations(); see its docstring.
ALLOCATION_COLUMNS = {
    "quarter": "str", "service": "str", "method": "str", "allocate_by": "str",
    "share": "float64", "amount": "float64", "driver": "float64", "driver_total": "float64",
    "source_amount": "float64", "cost_pool": "str", "comparable": "bool", "shared": "bool",
    "reason": "str", "note": "str", "business_unit": "str", "line": "int64",
    "source_file": "str", "source_sheet": "str", "source_row": "int64",
}



class CostStatus(StrEnum):
    """``status`` of :func:`cost_per_user`: whether a cost per user could be computed."""

    OK = "ok"
    NO_USAGE_DATA = "no usage data"  # cost but no users in the quarter
    NO_COST_DATA = "no cost data"  # users but no cost lines
    UNALLOCATED = "unallocated"  # the Unallocated line: shared cost no method could spread


def _cost_lines(dataset: Dataset, quarter: str | None) -> pd.DataFrame:
    """The ledger lines (optionally of one quarter) with a stable ``line`` id and ``shared``;
    ``amount`` renamed ``source_amount``, a blank pool -> Other, a shared line's service NA."""
    costs = table(dataset, "costs")
    line = np.arange(len(costs), dtype="int64")
    if quarter is not None:
        keep = (costs["quarter"] == quarter).to_numpy(dtype=bool, na_value=False)
        costs, line = costs[keep], line[keep]
    service = costs["service"]
    shared = (
        costs["shared"].fillna(False).to_numpy(dtype=bool)
        | service.isna().to_numpy()
        | service.str.strip().str.casefold().eq("shared").to_numpy(dtype=bool, na_value=False)
    )
    cols = ["quarter", "service", "allocate_by", "cost_pool", "amount", "comparable", "note",
            "business_unit", "source_file", "source_sheet", "source_row"]
    out = costs[cols].rename(columns={"amount": "source_amount"}).reset_index(drop=True)
    return out.assign(
        line=line, shared=shared, service=out["service"].where(~shared),
        cost_pool=out["cost_pool"].fillna("Other"),
        comparable=out["comparable"].fillna(True).astype(bool),
        source_amount=out["source_amount"].astype(float),
    )


_SEP = "\x1f"  # joins the parts of a group key: "quarter<SEP>method" or "<SEP>rule name"


def _sums(frame: pd.DataFrame, value: str) -> pd.Series:
    """``value`` summed per (quarter, service), positive sums only."""
    total = frame.groupby(["quarter", "service"], sort=False)[value].sum()
    return total[total > 0]


def _drivers(dataset: Dataset, methods: set[str], quarters: list[str],
             direct: pd.DataFrame, support_drivers=None) -> tuple[np.ndarray, ...]:
    """Positive driver values as arrays (group key "quarter<SEP>method", service, value)."""
    found: dict[str, pd.Series] = {}  # method -> value per (quarter, service)
    if methods & {"users", "even"}:
        usage = table(dataset, "usage")
        found["users"] = _sums(usage[usage["quarter"].isin(quarters)], "users")
    if methods & {"tickets", "hours"}:
        if support_drivers is not None:
            per_service = support_drivers()
        else:
            per_service = _support_drivers(table(dataset, "support"), quarters)
        per_service = per_service.set_index(["quarter", "service"])
        found["tickets"] = per_service["tickets"]
        found["hours"] = per_service["hours"][per_service["hours"] > 0]
    if methods & {"cost", "even"}:
        found["cost"] = _sums(direct[direct["quarter"].isin(quarters)], "source_amount")
    if "even" in methods:
        either = found["users"].index.union(found["cost"].index)
        found["even"] = pd.Series(1.0, index=either)
    keys, services, values = [], [], []
    for method in methods & set(found):
        series = found[method]
        quarter = series.index.get_level_values(0).to_numpy(dtype=object)
        keys.append(quarter + (_SEP + method))
        services.append(series.index.get_level_values(1).to_numpy(dtype=object))
        values.append(series.to_numpy(dtype=float))
    if not keys:
        return np.array([], dtype=object), np.array([], dtype=object), np.array([])
    return np.concatenate(keys), np.concatenate(services), np.concatenate(values)


def _support_drivers(support: pd.DataFrame, quarters: list[str],
                     in_quarter: np.ndarray | None = None) -> pd.DataFrame:
    """Support rows (tickets) and hours per (quarter, service) for these quarters: columns
    quarter, service, tickets, hours (pairs with at least one row).

    Works on factorised codes: a million-row support table costs a few milliseconds.
    ``in_quarter`` (one quarter only) is the caller's boolean mask of that quarter's rows."""
    quarter = support["quarter"]
    one = len(quarters) == 1
    if in_quarter is None:
        in_quarter = (quarter == quarters[0] if one else quarter.isin(quarters)).to_numpy(
            dtype=bool, na_value=False)
    # the table's service codes (kept by support), renumbered by first appearance among the
    # kept rows: the same codes and order as a factorise of those rows, without one
    all_codes, all_names = service_codes(support)
    keep = in_quarter & (all_codes >= 0)
    kept = all_codes[keep]
    present, first = np.unique(kept, return_index=True)
    by_first = np.argsort(first)
    renumber = np.empty(len(all_names), dtype=np.int64)
    renumber[present[by_first]] = np.arange(len(present))
    s_codes, s_names = renumber[kept], all_names[present[by_first]]
    if one:
        q_codes, q_names = np.zeros(len(s_codes), dtype=np.int64), np.array(quarters)
    else:
        q_codes, q_names = pd.factorize(quarter.array[keep])
    width = max(len(s_names), 1)
    key = q_codes * width + s_codes
    size = len(q_names) * width
    hours = support["hours"].to_numpy(dtype=float, na_value=np.nan)[keep]
    counts = np.bincount(key, minlength=size)
    sums = np.bincount(key, weights=np.nan_to_num(hours), minlength=size)
    hit = np.flatnonzero(counts)
    return pd.DataFrame({
        "quarter": pd.array(np.asarray(q_names, dtype=object)[hit // width], dtype="str"),
        "service": pd.array(np.asarray(s_names, dtype=object)[hit % width], dtype="str"),
        "tickets": counts[hit].astype(float),
        "hours": sums[hit],
    })


def _rules(dataset: Dataset) -> tuple[tuple[np.ndarray, ...], pd.Series]:
    """Usable rules as arrays (group key "<SEP>rule key", service, percent) and every rule's
    total percent by rule key. A rule is usable when its percents total 100 ± RULE_TOLERANCE."""
    rules = table(dataset, "allocation_rules")
    rules = rules[rules["rule"].notna() & rules["service"].notna() & (rules["percent"] > 0)]
    key = word_keys(rules["rule"])
    totals = rules["percent"].groupby(key.to_numpy()).sum()
    usable = key.map(rule_total_ok(totals)).to_numpy(dtype=bool)
    return ((_SEP + key[usable]).to_numpy(dtype=object),
            rules["service"][usable].to_numpy(dtype=object),
            rules["percent"][usable].to_numpy(dtype=float)), totals


def _spread(line_keys: np.ndarray, drivers: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """Pair every line with every driver row of its group key.

    Returns (line position, service, driver, driver total of the group) per pair; a line
    whose key has no driver rows gets no pair."""
    d_keys, d_services, d_values = drivers
    codes, uniques = pd.factorize(np.concatenate([d_keys, line_keys]))
    d_codes, l_codes = codes[: len(d_keys)], codes[len(d_keys):]
    n_groups = len(uniques)
    counts = np.bincount(d_codes, minlength=n_groups)
    totals = np.bincount(d_codes, weights=d_values, minlength=n_groups)
    first = np.cumsum(counts) - counts  # where each group starts in the sorted driver rows
    by_group = np.argsort(d_codes, kind="stable")
    per_line = np.append(counts, 0)[l_codes]  # code -1 (no key) -> the appended 0
    line_pos = np.repeat(np.arange(len(line_keys)), per_line)
    within = np.arange(len(line_pos)) - np.repeat(np.cumsum(per_line) - per_line, per_line)
    d_pos = by_group[first[l_codes[line_pos]] + within]
    return line_pos, d_services[d_pos], d_values[d_pos], totals[l_codes[line_pos]]


def _unallocated_reasons(lines: pd.DataFrame, rule_totals: pd.Series) -> np.ndarray:
    """Why each of these shared lines could not be allocated, and what to do."""
    q = lines["quarter"].fillna("its quarter").to_numpy(dtype=object)
    method = lines["method"].to_numpy(dtype=object)
    blank = lines["allocate_by"].isna().to_numpy()
    by = lines["allocate_by"].fillna("").to_numpy(dtype=object)
    total = lines["rule_key"].map(rule_totals).to_numpy(dtype=float)
    total_text = np.array([f"{t:g}" for t in np.round(total, 2)], dtype=object)
    return np.select(
        [blank, method == AllocationMethod.USERS, method == AllocationMethod.TICKETS,
         method == AllocationMethod.HOURS, method == AllocationMethod.COST,
         method == AllocationMethod.EVEN, ~np.isnan(total)],
        [f"allocate_by is blank: give {METHODS_IN_WORDS} or a rule name",
         "no usage data in " + q,
         "no support tickets with a service in " + q,
         "no support hours with a service in " + q,
         "no service has a positive direct cost in " + q,
         "no service has cost or users in " + q,
         "allocation rule '" + by + "' totals " + total_text
         + f"%, not {RULE_TOTAL_TEXT}: fix its percents"],
        "no allocation rule named '" + by + "': add it to Allocation rules",
    ).astype(object)


def _rows(line, service, method, share=1.0, driver=np.nan, driver_total=np.nan,
          reason=None) -> dict[str, np.ndarray]:
    """Columns of allocation rows (a scalar is repeated for every line)."""
    n = len(line)

    def column(value, dtype):
        return np.full(n, value, dtype=dtype) if np.ndim(value) == 0 else np.asarray(
            value, dtype=dtype)

    return {"line": column(line, np.int64), "service": column(service, object),
            "method": column(method, object), "share": column(share, float),
            "driver": column(driver, float), "driver_total": column(driver_total, float),
            "reason": column(reason, object)}


def allocations(dataset: Dataset, quarter: str | None = None, *,
                include_direct: bool = True) -> pd.DataFrame:
    """Every cost line attributed to the services it pays for: one row per (cost line,
    receiving service). ``amount`` summed over all rows equals the ledger.

    Columns: quarter, service (receiving; ``Unallocated`` for a shared line that could not be
    allocated), method (``direct``, ``users``, ``cost``, ``even``, ``tickets``, ``hours``,
    ``rule`` or ``unallocated``), allocate_by (as written), share (0-1 of the line), amount
    (source_amount × share), driver (the receiving service's users / tickets / hours / direct
    cost / 1 for even / percent for a rule), driver_total (the driver summed over receivers),
    source_amount (the line's amount), cost_pool (of the line; blank -> Other), comparable
    (of the line), shared, reason (why a line stayed Unallocated), note, business_unit, line
    (0-based position of the line in the costs table), source_file, source_sheet, source_row.
    ``include_direct=False`` keeps only shared lines."""
    return _allocations(dataset, quarter, include_direct)


def _allocations(dataset: Dataset, quarter: str | None, include_direct: bool = True,
                 support_drivers=None) -> pd.DataFrame:
    """allocations(); ``support_drivers`` optionally is a callable returning
    :func:`_support_drivers` for the quarter, for a caller that can compute it cheaper."""
    lines = _cost_lines(dataset, quarter)
    is_shared = lines["shared"].to_numpy()
    direct = lines[~is_shared]
    shared = lines.loc[is_shared, ["line", "quarter", "allocate_by"]]
    method, rule_key = allocation_of(shared["allocate_by"],
                                     table(dataset, "allocation_rules")["rule"])
    # Text that is neither a method nor a rule is looked up as a rule, to say "no such rule".
    is_rule = (method.isna() | method.eq(RULE_METHOD)).to_numpy() & shared[
        "allocate_by"].notna().to_numpy()
    rule_key = rule_key.fillna(word_keys(shared["allocate_by"])).where(is_rule)
    shared = shared.assign(method=method.where(~is_rule, RULE_METHOD), rule_key=rule_key)
    # group key: which driver rows a line is spread over
    group = (shared["quarter"] + (_SEP + shared["method"])).where(~is_rule,
                                                                   _SEP + shared["rule_key"])

    quarters = shared["quarter"].dropna().unique().tolist()
    used = set(shared["method"].dropna().unique()) & set(METHODS)
    drivers = _drivers(dataset, used, quarters, direct, support_drivers)
    rule_totals = pd.Series(dtype=float)
    if is_rule.any():
        rule_drivers, rule_totals = _rules(dataset)
        drivers = tuple(np.concatenate(pair) for pair in zip(drivers, rule_drivers, strict=True))
    line_pos, service, driver, driver_total = _spread(
        group.to_numpy(dtype=object, na_value=None), drivers)

    left = shared[~np.isin(np.arange(len(shared)), line_pos)]  # lines with no driver rows
    parts = [
        _rows(left["line"], UNALLOCATED, "unallocated",
              reason=_unallocated_reasons(left, rule_totals)),
        _rows(shared["line"].to_numpy()[line_pos], service,
              shared["method"].to_numpy(dtype=object)[line_pos], share=driver / driver_total,
              driver=driver, driver_total=driver_total),
    ]
    if include_direct:
        parts.append(_rows(direct["line"], direct["service"].to_numpy(dtype=object), "direct"))
    rows = pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in parts[0]})
    if not len(rows):
        return empty_frame(ALLOCATION_COLUMNS)
    rows = rows.sort_values(["line", "service"], kind="stable", ignore_index=True)
    at = np.searchsorted(lines["line"].to_numpy(), rows["line"].to_numpy())
    base = lines.take(at).reset_index(drop=True)
    out = base.assign(
        service=rows["service"].astype("str"), method=rows["method"].astype("str"),
        share=rows["share"], driver=rows["driver"], driver_total=rows["driver_total"],
        amount=base["source_amount"].to_numpy() * rows["share"].to_numpy(),
        reason=rows["reason"].astype("str"),
    )
    return cast(out[list(ALLOCATION_COLUMNS)], ALLOCATION_COLUMNS)


def allocation_issues(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """The shared lines that stayed Unallocated, with why: the rows of :func:`allocations`
    whose method is ``unallocated`` (same columns)."""
    a = allocations(dataset, quarter, include_direct=False)
    return a[a["method"] == "unallocated"].reset_index(drop=True)


def _sum_parts(a: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    amount = a["amount"]
    direct = a["method"].eq("direct").to_numpy()
    parts = a[keys].assign(
        direct_cost=np.where(direct, amount, 0.0),
        allocated_cost=np.where(direct, 0.0, amount),
        total_cost=amount,
        comparable_cost=np.where(a["comparable"].to_numpy(dtype=bool), amount, 0.0),
    )
    return parts.groupby(keys, as_index=False, dropna=False, sort=True).sum()


def total_cost(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Total cost per service and quarter = direct cost + allocated shares of shared lines.
    Includes an ``Unallocated`` row where shared lines could not be allocated, so the column
    sums to the ledger.

    Columns: quarter, service, direct_cost (its own lines), allocated_cost (its shares of
    shared lines; on the Unallocated row, the shared amounts left unallocated), total_cost,
    comparable_cost (the part from lines marked comparable; allocated shares carry their
    line's flag)."""
    return _total_cost(allocations(dataset, quarter))


def _total_cost(a: pd.DataFrame) -> pd.DataFrame:
    return _sum_parts(a, ["quarter", "service"])


def direct_cost(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Direct cost per service and quarter = the sum of its own cost lines (no shared costs).

    Columns: quarter, service, direct_cost, comparable_cost, lines (how many lines)."""
    lines = _cost_lines(dataset, quarter)
    d = lines[~lines["shared"]]
    d = d.assign(comparable_cost=np.where(d["comparable"], d["source_amount"], 0.0))
    return d.groupby(["quarter", "service"], as_index=False, dropna=False).agg(
        direct_cost=("source_amount", "sum"), comparable_cost=("comparable_cost", "sum"),
        lines=("line", "size"))


def cost_by_pool(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Cost per service, quarter and TBM cost pool; allocated amounts keep the pool of their
    source line (a blank pool counts as Other).

    Columns: quarter, service, cost_pool, direct_cost, allocated_cost, total_cost,
    comparable_cost, pct_of_service (the pool's share of the service's total, %)."""
    out = _sum_parts(allocations(dataset, quarter), ["quarter", "service", "cost_pool"])
    service_total = out.groupby(["quarter", "service"], dropna=False)["total_cost"].transform(
        "sum")
    return out.assign(pct_of_service=ratio(out["total_cost"], service_total) * 100)


def users_by_service(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Users of each service per quarter = the sum of its Usage rows.

    Columns: quarter, service, users."""
    usage = table(dataset, "usage")
    if quarter is not None:
        usage = usage[usage["quarter"] == quarter]
    return usage.groupby(["quarter", "service"], as_index=False)["users"].sum()


def _cost_per_user(totals: pd.DataFrame, users: pd.DataFrame) -> pd.DataFrame:
    if totals.empty or users.empty:  # (pandas cannot merge empty Arrow text columns)
        m = users if totals.empty else totals
        absent = [c for c in ("users", "direct_cost", "allocated_cost", "total_cost",
                              "comparable_cost") if c not in m]
        m = m.assign(**dict.fromkeys(absent, np.nan))
    else:
        m = totals.merge(users, on=["quarter", "service"], how="outer")
    has_users = (m["users"] > 0).to_numpy()
    status = np.select(
        [m["service"].eq(UNALLOCATED).to_numpy(dtype=bool), m["total_cost"].isna().to_numpy(),
         ~has_users],
        [CostStatus.UNALLOCATED, CostStatus.NO_COST_DATA, CostStatus.NO_USAGE_DATA],
        CostStatus.OK)
    ok = status == CostStatus.OK
    per_month = m["users"].to_numpy(dtype=float) * MONTHS_PER_QUARTER
    out = m.assign(
        cost_per_user_month=np.where(ok, ratio(m["total_cost"], per_month), np.nan),
        comparable_cost_per_user_month=np.where(
            ok, ratio(m["comparable_cost"], per_month), np.nan),
        status=pd.array(status, dtype="str"),
    )
    cols = ["quarter", "service", "users", "direct_cost", "allocated_cost", "total_cost",
            "comparable_cost", "cost_per_user_month", "comparable_cost_per_user_month", "status"]
    return out[cols].sort_values(["quarter", "service"], ignore_index=True)


def cost_per_user(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Cost per user per month = total cost ÷ users ÷ 3, per service and quarter; the
    comparable figure (only lines marked comparable) is the one held against market offers.

    Columns: quarter, service, users, direct_cost, allocated_cost, total_cost,
    comparable_cost, cost_per_user_month, comparable_cost_per_user_month, status. Per-user
    figures are NaN unless status is ``ok``; otherwise status says why: ``no usage data``
    (cost but no users, or 0 users), ``no cost data`` (users but no cost lines), or
    ``unallocated`` (the Unallocated line)."""
    return _cost_per_user(total_cost(dataset, quarter), users_by_service(dataset, quarter))


TREND_MEASURES = ("total_cost", "cost_per_user_month", "comparable_cost_per_user_month",
                  "direct_cost", "allocated_cost", "comparable_cost")


def cost_trend(dataset: Dataset, measure: str = "total_cost",
               service: str | None = None) -> pd.DataFrame:
    """Quarter-over-quarter and year-over-year change of a cost measure per service.

    ``measure``: total_cost (default), cost_per_user_month, comparable_cost_per_user_month,
    direct_cost, allocated_cost or comparable_cost. The comparison quarters are the calendar
    quarter before and the same quarter a year earlier; missing there -> NaN.

    Columns: quarter, service, <measure>, previous_quarter, previous, qoq_change, qoq_pct,
    year_ago_quarter, year_ago, yoy_change, yoy_pct. Percent changes are relative to the
    size of the earlier figure (NaN when it is 0 or missing)."""
    if measure not in TREND_MEASURES:
        raise ValueError(f"measure must be one of {', '.join(TREND_MEASURES)}, not {measure!r}")
    cpu = cost_per_user(dataset)
    cpu = cpu[cpu["quarter"].notna()]
    if service is not None:
        cpu = cpu[cpu["service"] == service]
    values = cpu.set_index(["quarter", "service"])[measure]
    out = cpu[["quarter", "service", measure]].reset_index(drop=True)
    value = out[measure].to_numpy(dtype=float)
    for prefix, by in (("previous", -1), ("year_ago", -4)):
        other_q = shift_quarters(out["quarter"], by)
        other = values.reindex(pd.MultiIndex.from_arrays([other_q, out["service"]])).to_numpy(
            dtype=float)
        change = "qoq" if by == -1 else "yoy"
        out[f"{prefix}_quarter"] = other_q.to_numpy()
        out[prefix] = other
        out[f"{change}_change"] = value - other
        out[f"{change}_pct"] = ratio(value - other, np.abs(other)) * 100
    return out


def showback(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Each business unit's share of a service's total cost, proportional to its users of the
    service (Usage rows; a row without a business unit counts as ``Unassigned``). A service
    with cost but no users gives one ``Unassigned`` row holding its whole cost, basis
    ``no usage data``; the Unallocated line likewise. Amounts sum to the ledger.

    Columns: quarter, service, business_unit, users, share_pct, cost, basis (``users`` or
    ``no usage data``)."""
    totals = total_cost(dataset, quarter)[["quarter", "service", "total_cost"]]
    usage = table(dataset, "usage")
    if quarter is not None:
        usage = usage[usage["quarter"] == quarter]
    usage = usage.assign(business_unit=usage["business_unit"].fillna("Unassigned"))
    by_bu = usage.groupby(["quarter", "service", "business_unit"], as_index=False)["users"].sum()
    service_users = by_bu.groupby(["quarter", "service"])["users"].transform("sum")
    by_bu = by_bu.assign(share=ratio(by_bu["users"], service_users))[service_users > 0]
    m = totals.merge(by_bu, on=["quarter", "service"], how="left")
    no_usage = m["share"].isna()
    share = m["share"].where(~no_usage, 1.0)
    out = pd.DataFrame({
        "quarter": m["quarter"],
        "service": m["service"],
        "business_unit": m["business_unit"].where(~no_usage, "Unassigned"),
        "users": m["users"],
        "share_pct": share * 100,
        "cost": m["total_cost"] * share,
        "basis": pd.Series(np.where(no_usage, CostStatus.NO_USAGE_DATA, "users"), dtype="str"),
    })
    return out.sort_values(["quarter", "service", "business_unit"], ignore_index=True)


@dataclass(frozen=True, eq=False)  # holds DataFrames: compared by identity
class CostExplanation:
    """Why a service costs what it does in a quarter: the figures and the lines behind them.

    ``lines`` columns: method, allocate_by, cost_pool, note, source_amount, driver and
    driver_total (e.g. 150 of 200 users), share, amount, pct_of_total, per_user_month (amount
    ÷ users ÷ 3; NaN without users), comparable, reason (for Unallocated), source_file,
    source_sheet, source_row, line — largest amounts first."""

    service: str
    quarter: str
    total_cost: float
    users: float
    cost_per_user_month: float
    comparable_cost_per_user_month: float
    status: CostStatus
    lines: pd.DataFrame
    currency: str = "USD"  # its words: valuelib.present.summary_text.explanation_text


def explain_cost(dataset: Dataset, service: str, quarter: str) -> CostExplanation:
    """The cost lines and shares behind a service's cost per user per month in a quarter."""
    a = allocations(dataset, quarter)
    cpu = _cost_per_user(_total_cost(a), users_by_service(dataset, quarter))
    row = cpu[cpu["service"] == service]
    lines = a[a["service"] == service]
    users = float(row["users"].iloc[0]) if len(row) else np.nan
    total = float(lines["amount"].sum()) if len(lines) else np.nan
    per_month = users * MONTHS_PER_QUARTER if users > 0 else np.nan
    lines = lines.assign(
        pct_of_total=ratio(lines["amount"], total) * 100,
        per_user_month=lines["amount"] / per_month,
        _abs=lines["amount"].abs(),
    ).sort_values(["_abs", "line"], ascending=[False, True], ignore_index=True)
    cols = ["method", "allocate_by", "cost_pool", "note", "source_amount", "driver",
            "driver_total", "share", "amount", "pct_of_total", "per_user_month", "comparable",
            "reason", "source_file", "source_sheet", "source_row", "line"]
    return CostExplanation(
        service=service, quarter=quarter, total_cost=total, users=users,
        cost_per_user_month=float(row["cost_per_user_month"].iloc[0]) if len(row) else np.nan,
        comparable_cost_per_user_month=(
            float(row["comparable_cost_per_user_month"].iloc[0]) if len(row) else np.nan),
        status=CostStatus(row["status"].iloc[0]) if len(row) else CostStatus.NO_COST_DATA,
        lines=lines[cols], currency=dataset.settings.currency,
    )
