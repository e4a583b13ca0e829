"""Answers about support: proactive share, blocks of hours, P1 share, priority mismatches and
service desk figures. Numbers come from ``valuelib.support``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import support as support_mod
from ..present import Facts, fmt_date, fmt_number
from ..schema import PRIORITY_LABELS
from . import charts
from .common import (
    Context,
    count,
    display,
    figure,
    fmt_pct,
    hours,
    join_how,
    over_period,
    points,
    reading_notes,
    sole_quarter,
)
from .reading import PREVIOUS_BLOCK, Period
from .result import Answer
from .suggest import follow_ups

# ---- proactive share -------------------------------------------------------------------------

@over_period("proactive", "support", "support data")
def proactive(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    share = support_mod.proactive_share(ctx.dataset)
    quarter = period.last
    row = share[share["quarter"] == quarter].iloc[0]
    start = period.quarters[0] if len(period.quarters) > 1 else ""  # "since 2025": from then
    known = share[(share["quarter"] <= quarter) & (share["quarter"] >= start)].dropna(
        subset=["proactive_share_pct"])
    value = row["proactive_share_pct"]
    if pd.isna(value):
        return Answer(q.text, f"There is no proactive or reactive support work in "
                      f"{ctx.q(quarter)}.", "proactive", True,
                      how=reading_notes(ctx, period, "support data"),
                      suggestions=follow_ups(ctx, "proactive"))
    basis = "hours" if row["basis"] == "hours" else "tickets"
    amount = hours if basis == "hours" else (lambda n: count(n, "ticket"))
    sentence = (f"In {ctx.q(quarter)}, {fmt_pct(value)} of support {basis} were proactive and "
                f"{fmt_pct(100 - value)} reactive ({amount(row[f'proactive_{basis}'])} "
                f"proactive against {amount(row[f'reactive_{basis}'])} reactive; routine work "
                "is not in the share).")
    figures = [figure(value, "%", "Proactive share of support", fmt_pct(value), quarter)]
    how_mix = ""
    if q.focus == "routine":
        mix = support_mod.work_mix(ctx.dataset, quarter=quarter)
        routine = mix[mix["work_class"] == "routine"].iloc[0]
        measure = "hours" if routine["hours"] > 0 else "tickets"
        routine_pct = routine[f"{measure}_pct"]
        amount_text = (hours(routine["hours"]) if measure == "hours"
                       else count(routine["tickets"], "ticket"))
        sentence = (f"In {ctx.q(quarter)}, routine work (service requests, access, password "
                    f"resets) was {fmt_pct(routine_pct)} of all support {measure} "
                    f"({amount_text}). " + sentence)
        figures.insert(0, figure(routine_pct, "%", f"Routine share of support {measure}",
                                 fmt_pct(routine_pct), quarter))
        how_mix = "support.work_mix: each class's share of the quarter's support hours."
    if len(known) >= 2:
        first = known.iloc[0]
        change = value - first["proactive_share_pct"]
        direction = ("up" if change > 1 else "down" if change < -1 else "about level")
        sentence += (f" That is {direction} from {fmt_pct(first['proactive_share_pct'])} in "
                     f"{ctx.q(first['quarter'])} ({points(change)})")
        figures.append(figure(change, "percentage points",
                              f"Change in proactive share since {first['quarter']}",
                              points(change), quarter))
        prev = known[known["quarter"] < quarter]
        if len(prev) and prev["quarter"].iloc[-1] != first["quarter"]:
            last_change = value - prev["proactive_share_pct"].iloc[-1]
            sentence += (f", and {points(last_change)} on {ctx.q(prev['quarter'].iloc[-1])}")
            figures.append(figure(last_change, "percentage points",
                                  "Change in proactive share on the previous quarter",
                                  points(last_change), quarter))
        sentence += ": support is " + ("becoming more proactive." if change > 1 else
                                       "becoming more reactive." if change < -1 else
                                       "neither more nor less proactive.")
    tbl = display(share, {"quarter": "Quarter", "proactive_hours": "Proactive hours",
                          "reactive_hours": "Reactive hours", "routine_hours": "Routine hours",
                          "proactive_share_pct": "Proactive share (%)", "basis": "Basis"},
                  one_decimal=("proactive_hours", "reactive_hours", "routine_hours",
                               "proactive_share_pct"))
    chart = charts.lines(share, "quarter", "proactive_share_pct", None,
                          "Proactive share of support by quarter", "%", highlight_x=quarter)
    how = join_how(how_mix, "support.proactive_share: proactive ÷ (proactive + reactive) "
                   "hours per quarter (by ticket count where hours are missing, as 'Basis' "
                   "says); routine and unclassified work are left out of the share.",
                   reading_notes(ctx, period, "support data"))
    return Answer(q.text, sentence, "proactive", True, tuple(figures), tbl, chart, how,
                  follow_ups(ctx, "proactive"))


# ---- blocks of hours -----------------------------------------------------------------------

def block(ctx: Context) -> Answer:
    q = ctx.query
    # on the page's quarter, blocks as of that quarter's last support date, as the page has it
    facts = Facts(ctx.dataset, q.time.labels[0] if q.time.page else None, None)
    status = facts.blocks
    if status.empty:
        return Answer(q.text, "There is no block of support hours in the data (Blocks sheet, or "
                      "a block named on support rows).", "block", True,
                      how=reading_notes(ctx), suggestions=follow_ups(ctx, "block"))
    chosen = _choose_block(status, q.block, facts.current_block)
    b = status.loc[chosen]
    as_of = pd.Timestamp(b["as_of"]) if pd.notna(b["as_of"]) else None
    when = fmt_date(as_of) if as_of is not None else "today"
    name = b["block"] + (f" ({b['vendor']})" if isinstance(b["vendor"], str) else "")
    if not name.casefold().startswith("the "):
        name = "The " + name
    if pd.isna(b["purchased_hours"]):
        sentence = (f"{name} has {hours(b['used_hours'])} used as of {when}, but it is not in "
                    "the Blocks sheet, so its size is unknown.")
        figures = [figure(b["used_hours"], "hours", f"{b['block']}: hours used",
                          hours(b["used_hours"]))]
    else:
        sentence = (f"{name} has {hours(b['remaining_hours'])} left of "
                    f"{hours(b['purchased_hours'])} ({fmt_pct(b['used_pct'])} used) as of "
                    f"{when}.")
        if b["overrun_hours"] > 0:
            sentence = (f"{name} is {hours(b['overrun_hours'])} over: "
                        f"{hours(b['used_hours'])} used of {hours(b['purchased_hours'])} as of "
                        f"{when}.")
        if b["warning"] != "none":
            sentence += f" It has passed the {b['warning']}% warning."
        figures = [figure(b["remaining_hours"], "hours", f"{b['block']}: hours left",
                          hours(b["remaining_hours"])),
                   figure(b["used_pct"], "%", f"{b['block']}: share used",
                          fmt_pct(b["used_pct"]))]
    runout = b["runout_date"]
    if pd.notna(runout):
        runout = pd.Timestamp(runout)
        date = fmt_date(runout)
        if b["runout_basis"] == "actual":
            sentence += f" Its hours ran out on {date}."
        else:
            sentence += (f" At the last {b['burn_window_days']:.0f} days' rate of "
                         f"{fmt_number(b['burn_rate_hours_per_day'], 1)} hours a day it runs "
                         "out about "
                         f"{date}")
            if pd.notna(b["end"]):
                end = fmt_date(b["end"])
                sentence += (f", before the block ends on {end}." if b["runs_out_before_end"]
                             else f", after the block ends on {end}.")
            else:
                sentence += "."
        days = (runout - as_of.normalize()).days if as_of is not None else np.nan
        verb = "ran out on" if b["runout_basis"] == "actual" else "runs out about"
        run = figure(days, "days", f"{b['block']}: {verb}", date)
        figures.insert(0 if q.focus == "runout" else len(figures), run)
        if pd.notna(b["burn_rate_hours_per_day"]):
            figures.append(figure(b["burn_rate_hours_per_day"], "hours per day",
                                  f"{b['block']}: burn rate",
                                  f"{fmt_number(b['burn_rate_hours_per_day'], 1)} hours a day"))
    elif b["remaining_hours"] > 0:
        sentence += " No hours were used in the last 90 days, so no run-out date is projected."
    others = status.drop(index=chosen)
    if len(others):
        sentence += " Other blocks: " + "; ".join(
            f"{r.block} {fmt_pct(r.used_pct)} used" for r in others.itertuples(index=False)) + "."
    tbl = display(status, {"block": "Block", "vendor": "Vendor", "start": "Start", "end": "End",
                           "purchased_hours": "Purchased hours", "used_hours": "Used hours",
                           "remaining_hours": "Hours left", "used_pct": "Used (%)",
                           "burn_rate_hours_per_day": "Burn rate (hours a day)",
                           "runout_date": "Runs out", "runout_basis": "Run-out basis"},
                  one_decimal=("purchased_hours", "used_hours", "remaining_hours", "used_pct"),
                  money_cols=("burn_rate_hours_per_day",))
    chart = charts.stacked(status["block"], {
        "Used": list(status["used_hours"].clip(upper=status["purchased_hours"].fillna(np.inf))),
        "Left": list(status["remaining_hours"].fillna(0)),
        "Overrun": list(status["overrun_hours"].fillna(0))},
        f"Blocks of support hours as of {when}", "Hours")
    how = join_how(
        "support.block_status as of the latest support date: used = hours of the support rows "
        "that draw on the block; burn rate = hours in the last 90 days ÷ days the block ran in "
        "them; run-out = as-of date + hours left ÷ burn rate.",
        "Block chosen: " + ("the one before the current block." if q.block == PREVIOUS_BLOCK
                            else "the one named." if q.block else
                            "the one running on the as-of date."),
        reading_notes(ctx))
    return Answer(q.text, sentence, "block", True, tuple(figures), tbl, chart, how,
                  follow_ups(ctx, "block"))


def _choose_block(status: pd.DataFrame, named: str | None, current: pd.Series | None):
    """The row of the block named, the one before the page's current block, or the current
    block itself (the page's choice: :attr:`Facts.current_block`)."""
    if named is not None and named != PREVIOUS_BLOCK:
        hit = status.index[status["block"].str.casefold() == named.casefold()]
        if len(hit):
            return hit[0]
    now = (status.index[status["block"] == current["block"]][0] if current is not None
           else status.sort_values("start", na_position="first").index[-1])
    if named == PREVIOUS_BLOCK:  # the one that started before the current block
        earlier = status[status["start"] < status.loc[now, "start"]]
        if len(earlier):
            return earlier.sort_values("start").index[-1]
    return now


# ---- priorities ------------------------------------------------------------------------------

@over_period("p1_share", "support", "support data")
def p1_share(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    quarter = period.last
    shares = support_mod.p1_share(ctx.dataset)
    rows = shares[shares["quarter"] == quarter].set_index("facing")
    p1, prioritised = rows["p1_tickets"].sum(), rows["prioritised"].sum()
    overall = p1 / prioritised * 100 if prioritised else np.nan
    ext, inn = rows.loc["external"], rows.loc["internal"]
    sentence = (f"In {ctx.q(quarter)}, {fmt_pct(overall)} of prioritised tickets were P1 "
                f"(Critical): {p1:,} of {prioritised:,}." if prioritised else
                f"No ticket in {ctx.q(quarter)} has a priority (recorded, or from impact × "
                "urgency), so there is no P1 share.")
    parts = [f"{words}: {fmt_pct(r['p1_share_pct'])} ({r['p1_tickets']:,} of "
             f"{r['prioritised']:,})"
             for words, r in (("external-facing services", ext), ("internal services", inn))
             if r["prioritised"] > 0]
    if parts:
        text = "; ".join(parts)
        sentence += f" {text[0].upper()}{text[1:]}."
    # only shares that exist: a facing without prioritised tickets has no share to show
    shown = {"all": (overall, "P1 share of prioritised tickets", prioritised),
             "external": (ext["p1_share_pct"], "P1 share, external-facing services",
                          ext["prioritised"]),
             "internal": (inn["p1_share_pct"], "P1 share, internal services",
                          inn["prioritised"])}
    first = q.external if q.external in shown else "all"
    figures = [figure(value, "%", label, fmt_pct(value), quarter)
               for key, (value, label, count) in sorted(shown.items(),
                                                        key=lambda kv: kv[0] != first)
               if count > 0]
    wide = shares.pivot(index="quarter", columns="facing",
                        values=["p1_tickets", "prioritised", "p1_share_pct"])
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    wide = wide.reset_index()
    cols = {"quarter": "Quarter"}
    for facing in ("external", "internal"):
        if f"p1_share_pct_{facing}" in wide:
            cols[f"p1_tickets_{facing}"] = f"P1 tickets, {facing}"
            cols[f"p1_share_pct_{facing}"] = f"P1 share, {facing} (%)"
    tbl = display(wide, cols, pct_cols=tuple(c for c in cols if c.startswith("p1_share")),
                  whole=tuple(c for c in cols if c.startswith("p1_tickets")))
    chart = charts.lines(shares, "quarter", "p1_share_pct", "facing",
                          "P1 share of prioritised tickets by quarter", "%",
                          highlight_x=quarter)
    how = join_how("support.p1_share: P1 tickets ÷ tickets with a priority (recorded, else "
                   "impact × urgency), external-facing services (Services sheet) and internal "
                   "apart; the overall share adds both.",
                   reading_notes(ctx, period, "support data"))
    return Answer(q.text, sentence, "p1_share", True, tuple(figures), tbl, chart, how,
                  follow_ups(ctx, "p1_share"))


@over_period("priority_mismatches", "support", "support data")
def priority_mismatches(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    parts = [support_mod.priority_mismatches(ctx.dataset, x) for x in period.quarters]
    matrices = [support_mod.priority_matrix(ctx.dataset, x) for x in period.quarters]
    pairs = (pd.concat(parts, ignore_index=True)
             .groupby(["impact", "urgency", "matrix_priority", "recorded_priority"],
                      as_index=False)["tickets"].sum()
             .sort_values(["tickets", "impact", "urgency"], ascending=[False, True, True],
                          ignore_index=True))
    mismatched = int(pairs["tickets"].sum())
    recorded = int(sum(m["recorded"].sum() for m in matrices))
    share = mismatched / recorded * 100 if recorded else np.nan
    span = ctx.span(period)
    sentence = (f"{span[0].upper()}{span[1:]}, {count(mismatched, 'ticket')} "
                f"({fmt_pct(share)} of {recorded:,} with a recorded priority) had a priority "
                "that differs from the impact × urgency matrix.")
    if len(pairs):
        top = pairs.iloc[0]
        sentence += (f" The most common: impact {top['impact']} × urgency {top['urgency']}, "
                     f"which the matrix makes {PRIORITY_LABELS[int(top['matrix_priority'])]}, "
                     f"recorded as {PRIORITY_LABELS[int(top['recorded_priority'])]} "
                     f"({count(top['tickets'], 'ticket')}).")
    figures = (figure(mismatched, "tickets", "Tickets whose priority differs from the matrix",
                      f"{mismatched:,}", sole_quarter(period)),
               figure(share, "%", "Share of tickets with a recorded priority",
                      fmt_pct(share), sole_quarter(period)))
    labelled = pairs.assign(
        matrix=pairs["matrix_priority"].map(PRIORITY_LABELS),
        recorded=pairs["recorded_priority"].map(PRIORITY_LABELS))
    tbl = display(labelled, {"impact": "Impact", "urgency": "Urgency",
                             "matrix": "Matrix priority", "recorded": "Recorded priority",
                             "tickets": "Tickets"})
    chart = charts.bar([f"impact {r.impact} × urgency {r.urgency}: {r.matrix_priority} → "
                         f"{r.recorded_priority}" for r in pairs.itertuples(index=False)],
                        pairs["tickets"], f"Priority mismatches {span}", "Tickets")
    how = join_how("support.priority_mismatches (recorded priority ≠ impact + urgency − 1, "
                   "ServiceNow's 3 × 3 matrix) and support.priority_matrix for the tickets "
                   f"with a recorded priority, {span}.",
                   reading_notes(ctx, period, "support data"))
    return Answer(q.text, sentence, "priority_mismatches", True, figures, tbl, chart, how,
                  follow_ups(ctx, "priority_mismatches"))


# ---- service desk ----------------------------------------------------------------------------

@over_period("service_desk", "support", "support data")
def service_desk(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    quarter = period.last
    desk = support_mod.service_desk(ctx.dataset)
    r = desk[desk["quarter"] == quarter].iloc[0]
    per_user = (f"{r['tickets_per_user_month']:.2f}" if pd.notna(r["tickets_per_user_month"])
                else "")
    sentence = (f"In {ctx.q(quarter)} the service desk logged {r['tickets']:,} tickets"
                + (f" ({per_user} per user per month)" if per_user else
                   " (no usage data to count them per user)"))
    if r["resolved"]:
        sentence += (f", resolved {r['resolved']:,} with a median of "
                     f"{hours(r['median_resolve_hours'])} to resolve")
    sentence += f", and had {r['backlog']:,} still open at the quarter's end."
    if pd.notna(r["median_resolve_hours_p1"]):
        sentence += f" P1 tickets took a median of {hours(r['median_resolve_hours_p1'])}."
    reopen = ""
    if r["reopen_recorded"]:
        reopen = (f"{r['reopened']:,} of {r['reopen_recorded']:,} tickets "
                  f"({fmt_pct(r['reopen_rate_pct'])}) were reopened at least once.")
    elif q.focus in ("reopened", "reopen_rate"):
        reopen = "The support data records no reopen counts (add a reopen_count column)."
    if q.focus in ("reopened", "reopen_rate"):  # the reopen figure first, the rest after
        rest = sentence.replace(f"In {ctx.q(quarter)} the service desk", "The service desk", 1)
        sentence = f"In {ctx.q(quarter)}, {reopen[0].lower()}{reopen[1:]} {rest}"
    elif reopen:
        sentence += " " + reopen
    figures = {
        "tickets": figure(r["tickets"], "tickets", "Tickets logged", f"{r['tickets']:,}",
                          quarter),
        "resolve": figure(r["median_resolve_hours"], "hours", "Median hours to resolve",
                          hours(r["median_resolve_hours"]), quarter),
        "backlog": figure(r["backlog"], "tickets", "Tickets open at the quarter's end",
                          f"{r['backlog']:,}", quarter),
    }
    if per_user:
        figures["per_user"] = figure(r["tickets_per_user_month"], "tickets per user per month",
                                     "Tickets per user per month", per_user, quarter)
    if r["reopen_recorded"]:
        figures["reopened"] = figure(r["reopened"], "tickets", "Tickets reopened",
                                     f"{r['reopened']:,}", quarter)
        figures["reopen_rate"] = figure(r["reopen_rate_pct"], "%", "Reopen rate",
                                        fmt_pct(r["reopen_rate_pct"]), quarter)
    if pd.notna(r["median_resolve_hours_p1"]):
        figures["resolve_p1"] = figure(r["median_resolve_hours_p1"], "hours",
                                       "Median hours to resolve P1 tickets",
                                       hours(r["median_resolve_hours_p1"]), quarter)
    first = q.focus if q.focus in figures else "tickets"
    ordered = [figures[first]] + [f for k, f in figures.items() if k != first]
    tbl = display(desk, {"quarter": "Quarter", "tickets": "Tickets",
                         "tickets_per_user_month": "Tickets per user per month",
                         "resolved": "Resolved", "median_resolve_hours": "Median hours to "
                         "resolve", "median_resolve_hours_p1": "Median hours to resolve, P1",
                         "backlog": "Open at quarter end", "reopened": "Reopened",
                         "reopen_rate_pct": "Reopen rate (%)",
                         "satisfaction_pct": "Satisfaction (%)"},
                  money_cols=("tickets_per_user_month",),
                  one_decimal=("median_resolve_hours", "median_resolve_hours_p1",
                               "reopen_rate_pct", "satisfaction_pct"))
    column = {"backlog": "backlog", "resolve": "median_resolve_hours",
              "resolve_p1": "median_resolve_hours_p1", "reopened": "reopened",
              "reopen_rate": "reopen_rate_pct",
              "per_user": "tickets_per_user_month"}.get(first, "tickets")
    chart = charts.lines(desk, "quarter", column, None, f"{figures[first].label} by quarter",
                          figures[first].unit, highlight_x=quarter)
    how = join_how("support.service_desk: tickets opened in the quarter, per user per month "
                   "(headcount = the largest user count of any service), median hours from "
                   "opened to resolved of the tickets resolved in it, tickets open at its end, "
                   "tickets with a reopen_count above 0 (reopened).",
                   reading_notes(ctx, period, "support data"))
    return Answer(q.text, sentence, "service_desk", True, tuple(ordered), tbl, chart, how,
                  follow_ups(ctx, "service_desk"))
