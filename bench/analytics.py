"""Benchmark: the executive summary over a large synthetic organisation.

Generates typed tables in memory (1,000,000 support rows, 50 services, 12 quarters, costs with
shared lines of every allocation method, usage by business unit, market offers, value surveys,
blocks of hours), then times ``summarize`` for the latest quarter against a baseline measured
in the same run: one pandas group-by over the same support rows. Prints figures; asserts
nothing. Target: summary at most 2 × the baseline.

Two summary figures: the first summary of a table (support derives the table's quarter,
class and service codes, which it then keeps with the table: docs/decisions.md, Analytics)
and a summary of a table already seen (what every later page run pays). The ratio is the
second's; the first's is printed too. Then where the time goes, stage by stage, inside the
real ``summarize`` (costing, market, portfolio, support, …) and the summary's words.

    .venv/bin/python bench/analytics.py [--rows 1000000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from valuelib import costing, market, portfolio, support
from valuelib import summary as summary_mod
from valuelib.frames import SOURCE_DTYPES, TABLE_DTYPES, quarter_label
from valuelib.model import Dataset, Settings
from valuelib.present.summary_text import summary_text
from valuelib.summary import summarize

SERVICES = 50
QUARTERS = [quarter_label(2024 * 4 + i) for i in range(12)]  # 2024-Q1 … 2026-Q4
UNITS = ["Sales", "Operations", "Finance", "Engineering", "Customer Care", "HR"]
POOLS = ["Internal Labor", "External Labor", "Outside Services", "Hardware", "Software",
         "Facilities & Power", "Telecom", "Other"]
WORK = {  # work type -> (class, weight)
    "incident": ("reactive", 40), "outage": ("reactive", 3), "problem": ("proactive", 5),
    "change": ("proactive", 10), "patching": ("proactive", 8), "upgrade": ("proactive", 4),
    "service request": ("routine", 20), "password reset": ("routine", 7),
    "misc": ("unclassified", 3),
}


def _typed(key: str, columns: dict) -> pd.DataFrame:
    """A table with every documented column, typed as ingest types it."""
    n = len(next(iter(columns.values())))
    spec = {**TABLE_DTYPES[key], **SOURCE_DTYPES}
    out = {}
    for name, dtype in spec.items():
        if name in columns:
            out[name] = pd.Series(columns[name]).astype(dtype)
        elif name == "source_row":
            out[name] = pd.Series(np.arange(2, n + 2), dtype="int64")
        elif name in ("source_file", "source_sheet"):
            out[name] = pd.Series(["bench.xlsx" if name == "source_file" else key] * n,
                                  dtype="str")
        else:
            nullable = {"bool": "boolean", "int64": "Int64"}.get(dtype, dtype)
            out[name] = pd.Series(pd.array([None] * n, dtype=nullable))
    return pd.DataFrame(out)


def build(rows: int, seed: int = 7) -> Dataset:
    rng = np.random.default_rng(seed)
    names = [f"Service {i:02d}" for i in range(SERVICES)]
    size = rng.lognormal(5.5, 1.0, SERVICES).round()  # base users per service
    external = rng.random(SERVICES) < 0.3

    services = _typed("services", {
        "service": names, "category": rng.choice(["Business", "Industry", "Professional"],
                                                 SERVICES),
        "owner": [f"Owner {i}" for i in range(SERVICES)], "external_facing": external,
        "availability_target": rng.choice([99.0, 99.5, 99.9], SERVICES), "unit": "user",
        "in_catalog": True,
    })

    # usage: per quarter, service and business unit, growing slowly
    q, s, u = np.meshgrid(np.arange(12), np.arange(SERVICES), np.arange(len(UNITS)),
                          indexing="ij")
    q, s, u = q.ravel(), s.ravel(), u.ravel()
    users = np.floor(size[s] * (1 + 0.02 * q) * rng.dirichlet(np.ones(len(UNITS)),
                                                             SERVICES)[s, u])
    usage = _typed("usage", {"quarter": np.array(QUARTERS)[q], "service": np.array(names)[s],
                             "users": users, "business_unit": np.array(UNITS)[u]})

    # costs: 4 direct lines per service and quarter, plus shared lines of every method
    q, s, k = np.meshgrid(np.arange(12), np.arange(SERVICES), np.arange(4), indexing="ij")
    q, s, k = q.ravel(), s.ravel(), k.ravel()
    direct = {
        "quarter": np.array(QUARTERS)[q], "service": np.array(names)[s],
        "shared": np.zeros(len(q), dtype=bool),
        "cost_pool": np.array(POOLS)[(s + k) % len(POOLS)],
        "amount": (size[s] * rng.uniform(1.5, 6.0, len(q))).round(2),
        "comparable": rng.random(len(q)) > 0.1, "allocate_by": None,
    }
    methods = ["users", "cost", "even", "tickets", "hours", "Network split", "Bad rule"]
    qq, mm = np.meshgrid(np.arange(12), np.arange(len(methods)), indexing="ij")
    shared = {
        "quarter": np.array(QUARTERS)[qq.ravel()], "service": None,
        "shared": np.ones(qq.size, dtype=bool),
        "cost_pool": np.array(["Internal Labor", "Facilities & Power", "Other", "Internal Labor",
                               "External Labor", "Telecom", "Telecom"])[mm.ravel()],
        "amount": rng.uniform(20_000, 80_000, qq.size).round(2), "comparable": True,
        "allocate_by": np.array(methods)[mm.ravel()],
    }
    ledger = pd.concat([pd.DataFrame(direct), pd.DataFrame(shared)], ignore_index=True)
    costs = _typed("costs", {c: ledger[c].to_numpy() for c in ledger})
    rules = _typed("allocation_rules", {
        "rule": ["Network split"] * 4 + ["Bad rule"] * 2,
        "service": [names[0], names[1], names[2], names[3], names[4], names[5]],
        "percent": [40.0, 30.0, 20.0, 10.0, 50.0, 30.0],  # Bad rule totals 80
    })

    # support: rows spread over the 12 quarters, busier services get more tickets
    start = pd.Timestamp("2024-01-01")
    minutes = rng.integers(0, 3 * 365 * 24 * 60, rows)
    opened = (start + pd.to_timedelta(minutes, unit="min")).astype("datetime64[us]")
    resolve_h = rng.exponential(20, rows)
    resolved = (opened + pd.to_timedelta(resolve_h, unit="h")).to_numpy().copy()
    resolved[rng.random(rows) < 0.03] = np.datetime64("NaT")
    types = list(WORK)
    weights = np.array([w for _, w in WORK.values()], dtype=float)
    wt = rng.choice(len(types), rows, p=weights / weights.sum())
    svc = rng.choice(SERVICES, rows, p=size / size.sum())
    hours = rng.gamma(1.5, 1.2, rows).round(2)
    hours[rng.random(rows) < 0.05] = np.nan
    impact = rng.integers(1, 4, rows)
    urgency = rng.integers(1, 4, rows)
    priority = np.minimum(impact + urgency - 1 + (rng.random(rows) < 0.08), 5)
    year = opened.year.to_numpy()
    block = np.where(rng.random(rows) < 0.25, np.char.add("Vendor block ", year.astype(str)),
                     None)
    quarter = (opened.year.astype(str) + "-Q" + opened.quarter.astype(str)).to_numpy()
    sat = np.where(rng.random(rows) < 0.3, rng.integers(1, 6, rows).astype(float), np.nan)
    tickets = _typed("support", {
        "ticket": np.char.add("INC", np.arange(rows).astype(str)),
        "opened": opened, "resolved": resolved, "hours": hours,
        "work_type": np.array(types)[wt],
        "work_class": np.array([c for c, _ in WORK.values()])[wt],
        "service": np.array(names)[svc],
        "business_unit": np.array(UNITS)[rng.integers(0, len(UNITS), rows)],
        "impact": impact, "urgency": urgency, "priority": priority, "block": block,
        "satisfaction": sat, "satisfaction_pct": (sat - 1) / 4 * 100,
        "quarter": quarter, "month": opened.strftime("%Y-%m").to_numpy(),
    })
    blocks = _typed("blocks", {
        "block": ["Vendor block 2024", "Vendor block 2025", "Vendor block 2026"],
        "purchased_hours": [200_000.0, 135_000.0, 260_000.0],  # 2025 overruns
        "start": pd.to_datetime(["2024-01-01", "2025-01-01", "2026-01-01"]),
        "end": pd.to_datetime(["2024-12-31", "2025-12-31", "2026-12-31"]),
        "price": [9e6, 7e6, 1.2e7], "vendor": ["Northwind IT"] * 3,
    })

    n_offers = 3 * SERVICES
    osvc = np.repeat(np.arange(SERVICES), 3)
    tier = np.tile(np.arange(3), SERVICES)
    offers = _typed("market", {
        "service": np.array(names)[osvc],
        "offer": [f"Provider {t + 1} for {names[i]}" for i, t in zip(osvc, tier, strict=True)],
        "price_per_user_month": rng.uniform(3, 40, n_offers).round(2),
        "min_users": np.where(tier == 2, 500.0, np.nan),
        "max_users": np.where(tier == 0, 300.0, np.nan),
        "availability": rng.choice([99.0, 99.9, 99.95], n_offers),
        "storage_gb": rng.choice([25.0, 50.0, 100.0], n_offers),
        "support": "Business hours, 4-hour response",
    })

    q, s = np.meshgrid(np.arange(12), np.arange(SERVICES), indexing="ij")
    surveyed = (q.ravel() % 4) == 3  # an annual survey in Q4
    vq, vs = q.ravel()[surveyed], s.ravel()[surveyed]
    value = _typed("value", {
        "quarter": np.array(QUARTERS)[vq], "service": np.array(names)[vs],
        "business_value": rng.uniform(1, 5, vq.size).round(1),
        "satisfaction": rng.uniform(1, 5, vq.size).round(1),
        "satisfaction_pct": None, "respondents": rng.integers(5, 200, vq.size).astype(float),
    })
    value["satisfaction_pct"] = (value["satisfaction"] - 1) / 4 * 100

    return Dataset(
        tables={"services": services, "costs": costs, "allocation_rules": rules,
                "usage": usage, "support": tickets, "blocks": blocks, "market": offers,
                "value": value, "work_types": _typed("work_types", {"work_type": []})},
        settings=Settings(organization="Bench Corp"),
    )


def best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


# Stages of summarize, by the functions it calls (patched on the modules summarize reads them
# from; a call inside another timed call counts for the outer one only).
STAGES = {
    "quarters (latest complete)": [(summary_mod, "latest_complete_quarter")],
    "costing (allocate, cost per user)": [(costing, "_allocations"),
                                          (costing, "users_by_service"),
                                          (costing, "_cost_per_user")],
    "market (compare, best offer)": [(market, "_compare"), (market, "_best")],
    "portfolio (value, quadrants)": [(portfolio, "value_scores"),
                                     (portfolio, "_cost_vs_value")],
    "support: proactive share": [(support, "proactive_share")],
    "support: blocks of hours": [(support, "block_status")],
    "support: service desk": [(summary_mod, "_service_desk")],
    "services table": [(summary_mod, "_services_frame")],
}


def stage_times(ds: Dataset, rounds: int) -> dict[str, float]:
    """Best-of-``rounds`` seconds per stage of one summarize (the rest: "other")."""
    spent: dict[str, float] = defaultdict(float)
    depth = [0]
    originals = []

    def timed(stage, fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            if depth[0]:
                return fn(*args, **kwargs)
            depth[0] += 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - start
                depth[0] -= 1
        return run

    for stage, targets in STAGES.items():
        for module, name in targets:
            originals.append((module, name, getattr(module, name)))
            setattr(module, name, timed(stage, getattr(module, name)))
    best: dict[str, float] = {}
    try:
        for _ in range(rounds):
            spent.clear()
            start = time.perf_counter()
            summarize(ds)
            total = time.perf_counter() - start
            this = dict(spent)
            this["other"] = total - sum(spent.values())
            this["total"] = total
            if "total" not in best or total < best["total"]:
                best = this
    finally:
        for module, name, fn in originals:
            setattr(module, name, fn)
    return best


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    ds = build(args.rows)
    print(f"built {args.rows:,} support rows, {SERVICES} services, {len(QUARTERS)} quarters "
          f"in {time.perf_counter() - t0:.1f} s")
    rows = ds["support"]

    # Interleaved rounds, best of each: a busy moment on the machine hits both sides alike.
    baseline, full, first = float("inf"), float("inf"), float("inf")
    for _ in range(args.rounds):
        baseline = min(baseline, best_of(
            lambda: rows.groupby(["quarter", "work_class"])["hours"].sum()))
        fresh = ds.with_tables(support=rows.copy())  # a table support has not seen yet
        first = min(first, best_of(lambda fresh=fresh: summarize(fresh), repeat=1))
        full = min(full, best_of(lambda: summarize(ds)))
    print(f"baseline  groupby(quarter, work_class).hours.sum(): {baseline * 1000:8.1f} ms")
    print(f"summarize, first of a table (derives its codes):   {first * 1000:8.1f} ms "
          f"({first / baseline:.2f}x)")
    print(f"summarize (latest quarter, everything):           {full * 1000:8.1f} ms")
    print(f"ratio summary / baseline: {full / baseline:.2f}x (target <= 2x)")

    print("\nwhere summarize's time goes (best of the rounds, ms and share of the baseline):")
    stages = stage_times(ds, args.rounds)
    done = summarize(ds)
    words = best_of(lambda: summary_text(done))  # the words of a summary already made
    for name, seconds in [*stages.items(), ("summary words (summary_text, apart)", words)]:
        print(f"  {name:42s} {seconds * 1000:8.1f} ms  {seconds / baseline:5.2f}x")

    print("\nother figures, each on its own (for information):")
    for name, fn in (
        ("costing.cost_per_user (all quarters)", lambda: costing.cost_per_user(ds)),
        ("costing.cost_trend", lambda: costing.cost_trend(ds)),
        ("market.compare_offers", lambda: market.compare_offers(ds)),
        ("portfolio.cost_vs_value (all quarters)", lambda: portfolio.cost_vs_value(ds)),
        ("support.proactive_share (by month)", lambda: support.proactive_share(ds, "month")),
        ("support.work_mix", lambda: support.work_mix(ds)),
        ("support.block_status", lambda: support.block_status(ds)),
        ("support.priority_matrix", lambda: support.priority_matrix(ds)),
        ("support.priority_mismatches", lambda: support.priority_mismatches(ds)),
        ("support.p1_share", lambda: support.p1_share(ds)),
        ("support.service_desk", lambda: support.service_desk(ds)),
    ):
        print(f"  {name:42s} {best_of(fn) * 1000:8.1f} ms")

    print("\n" + summary_text(summarize(ds)))


if __name__ == "__main__":
    main()
