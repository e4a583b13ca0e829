"""Answers about support: proactive share, blocks of hours, P1 share, priority mismatches and
the service desk (a quarter, a month, or now against an earlier time). Figures are the Support
page's (:class:`Facts`: ``proactive``, ``work_mix``, ``desk``, ``blocks``) or
``valuelib.support``'s."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import support
from ..frames import shift_quarter, table
from ..present import Facts, fmt_date, fmt_number
from ..schema import PRIORITY_LABELS
from . import charts
from .common import (
    Context,
    asked,
    count,
    hours,
    over_period,
    pct,
    plain,
    points,
    possessive,
    quarters_of,
    sole_quarter,
    yes_no,
)
from .reading import PREVIOUS_BLOCK, Period, resolve_period
from .result import Answer

SUPPORT = ("support", "support data")
_MONEY_WORDS = ("spend", "spent", "cost", "pay", "paid", "price", "money", "$")


# ---- proactive share -------------------------------------------------------------------------

@over_period("proactive", *SUPPORT)
def proactive(ctx: Context, period: Period) -> Answer:
    """The Overview's proactive share (:meth:`Facts.proactive`), its change since the period's
    first quarter and the previous one; routine work when asked."""
    q, quarter = ctx.query, period.last
    facts = ctx.facts(quarter)
    share = facts.proactive()
    row = share[share["quarter"] == quarter].iloc[0]
    value = row["proactive_share_pct"]
    if pd.isna(value):
        return _plain(ctx, "proactive", f"There is no proactive or reactive support work in "
                      f"{ctx.q(quarter)}.", period)
    basis = "hours" if row["basis"] == "hours" else "tickets"
    amount = hours if basis == "hours" else (lambda n: count(n, "ticket"))
    sentence = (f"In {ctx.q(quarter)}, {pct(value)} of support {basis} were proactive and "
                f"{pct(100 - value)} reactive ({amount(row[f'proactive_{basis}'])} "
                f"proactive against {amount(row[f'reactive_{basis}'])} reactive; routine work "
                "is not in the share).")
    figures = [ctx.fig("proactive_share_pct", value, "Proactive share of support", quarter)]
    how = ""
    if q.focus == "routine":
        routine = facts.work_mix().query("work_class == 'routine' and quarter == @quarter")
        routine = routine.iloc[0]
        measure = "hours" if routine["hours"] > 0 else "tickets"
        share_pct = routine[f"{measure}_pct"]
        sentence = (f"In {ctx.q(quarter)}, routine work (service requests, access, password "
                    f"resets) was {pct(share_pct)} of all support {measure} ("
                    + (hours(routine["hours"]) if measure == "hours"
                       else count(routine["tickets"], "ticket")) + "). " + sentence)
        figures.insert(0, ctx.fig("share", share_pct, f"Routine share of support {measure}",
                                  quarter))
        how = "support.work_mix: each class's share of the quarter's support hours."
    start = period.quarters[0] if len(period.quarters) > 1 else ""  # "since 2025": from then
    known = share[share["quarter"] >= start].dropna(subset=["proactive_share_pct"])
    if len(known) >= 2:
        first = known.iloc[0]
        change = value - first["proactive_share_pct"]
        sentence += (f" That is {'up' if change > 1 else 'down' if change < -1 else 'about level'}"
                     f" from {pct(first['proactive_share_pct'])} in {ctx.q(first['quarter'])} "
                     f"({points(change)})")
        figures.append(ctx.fig("points", change, f"Change in proactive share since "
                               f"{first['quarter']}", quarter, text=points(change),
                               unit="percentage points"))
        prev = known[known["quarter"] < quarter]
        if len(prev) and prev["quarter"].iloc[-1] != first["quarter"]:
            last = value - prev["proactive_share_pct"].iloc[-1]
            sentence += f", and {points(last)} on {ctx.q(prev['quarter'].iloc[-1])}"
            figures.append(ctx.fig("points", last, "Change in proactive share on the previous "
                                   "quarter", quarter, text=points(last),
                                   unit="percentage points"))
        sentence += ": support is " + ("becoming more proactive." if change > 1 else
                                       "becoming more reactive." if change < -1 else
                                       "neither more nor less proactive.")
    tbl = ctx.table(share, "quarter proactive_hours reactive_hours proactive_share_pct basis",
                    quarter="Quarter", basis="Basis")
    chart = charts.page("proactive_trend", share, fiscal_year_start=ctx.fiscal_start,
                        title="Proactive share of support by quarter")
    how += (" support.proactive_share: proactive ÷ (proactive + reactive) hours per quarter (by "
            "ticket count where hours are missing, as 'Basis' says); routine and unclassified "
            "work are left out of the share.")
    return ctx.done("proactive", sentence, figures, tbl, chart, how, period, "support data")


@over_period("support_hours", *SUPPORT)
def support_hours(ctx: Context, period: Period) -> Answer:
    """"How much time is spent on support?": the hours the Support page's work mix
    (:meth:`Facts.work_mix`) holds for the quarter (or the period), split by class."""
    quarter, unit = period.last, ctx.query.business_unit
    mix = (Facts(ctx.dataset, quarter, unit) if unit else ctx.facts(quarter)).work_mix()
    span = mix[mix["quarter"].isin(period.quarters)]
    by_class = span.groupby("work_class", sort=False)[["hours", "tickets"]].sum()
    total = by_class["hours"].sum()
    when = ctx.q(quarter) if len(period.quarters) == 1 else period.label
    if not total:
        return _plain(ctx, "support_hours", f"The support rows for {when} record no hours "
                      f"({count(by_class['tickets'].sum(), 'ticket')}).", period)
    parts = [f"{hours(h)} {cls}" for cls, h in by_class["hours"].items() if h]
    sentence = (f"In {when}, support logged {hours(total)} of work"
                + (f" for {ctx.q(unit)}" if unit else "") + " on "
                f"{count(by_class['tickets'].sum(), 'ticket')}: " + ", ".join(parts) + ".")
    figures = [ctx.fig("hours", total, "Support hours", quarter),
               *(ctx.fig("hours", by_class.loc[c, "hours"], f"{c.capitalize()} hours", quarter)
                 for c in ("proactive", "reactive") if c in by_class.index)]
    tbl = ctx.table(mix, "quarter work_class hours hours_pct tickets", quarter="Quarter",
                    work_class="Work class")
    chart = charts.page("work_mix", mix, fiscal_year_start=ctx.fiscal_start)
    how = ("support.work_mix: the support rows' hours summed per quarter and work class "
           "(the Support page's chart).")
    return ctx.done("support_hours", sentence, figures, tbl, chart, how, period, "support data",
                    follow="proactive")


def _plain(ctx: Context, intent: str, sentence: str, period: Period | None = None) -> Answer:
    return plain(ctx, intent, sentence, period, "support data")


# ---- blocks of hours -----------------------------------------------------------------------

def block(ctx: Context) -> Answer:
    """A block of hours (named, the previous one, or the page's current one) as the Overview
    says it: hours left or over, the run-out ("ran out on" once past), the other blocks."""
    q, unit = ctx.query, ctx.query.business_unit
    quarter = (q.time.labels[0] if q.time.page else None if q.time.kind == "default"
               else ctx.period(quarters_of(ctx.dataset, "support")).last)
    facts = Facts(ctx.dataset, quarter, unit) if unit else ctx.facts(quarter)
    status = facts.blocks
    if status.empty:
        return _plain(ctx, "block", "There is no block of support hours in the data (Blocks "
                      "sheet, or a block named on support rows).")
    chosen = _choose_block(status, q.block, facts.current_block)
    b = status.loc[chosen]
    as_of = pd.Timestamp(b["as_of"]) if pd.notna(b["as_of"]) else None
    when = fmt_date(as_of) if as_of is not None else "today"
    name = b["block"] + (f" ({b['vendor']})" if isinstance(b["vendor"], str) else "")
    name = name if name.casefold().startswith("the ") else "The " + name
    label = b["block"]
    if pd.isna(b["purchased_hours"]):
        sentence = (f"{name} has {hours(b['used_hours'])} used as of {when}, but it is not in "
                    "the Blocks sheet, so its size is unknown.")
        figures = [ctx.fig("used_hours", b["used_hours"], f"{label}: hours used")]
    else:
        sentence = (f"{name} is {hours(b['overrun_hours'])} over: {hours(b['used_hours'])} "
                    f"used of {hours(b['purchased_hours'])} as of {when}."
                    if b["overrun_hours"] > 0 else
                    f"{name} has {hours(b['remaining_hours'])} left of "
                    f"{hours(b['purchased_hours'])} ({pct(b['used_pct'])} used) as of {when}.")
        if b["warning"] != "none":
            sentence += f" It has passed the {b['warning']}% warning."
        figures = [ctx.fig("remaining_hours", b["remaining_hours"], f"{label}: hours left"),
                   ctx.fig("used_pct", b["used_pct"], f"{label}: share used")]
    if pd.notna(b["runout_date"]):
        runout = pd.Timestamp(b["runout_date"])
        date, rate = fmt_date(runout), fmt_number(b["burn_rate_hours_per_day"], 1)
        actual = b["runout_basis"] == "actual"
        if actual:
            sentence += f" Its hours ran out on {date}."
        else:
            sentence += (f" At the last {b['burn_window_days']:.0f} days' rate of {rate} hours a "
                         f"day it runs out about {date}")
            sentence += ("." if pd.isna(b["end"]) else
                         f", {'before' if b['runs_out_before_end'] else 'after'} the block ends "
                         f"on {fmt_date(b['end'])}.")
        days = (runout - as_of.normalize()).days if as_of is not None else np.nan
        figures.insert(0 if q.focus == "runout" else len(figures), ctx.fig(
            "runout_date", days, f"{label}: {'ran out on' if actual else 'runs out about'}",
            text=date))
        if pd.notna(b["burn_rate_hours_per_day"]):
            figures.append(ctx.fig("burn_rate_hours_per_day", b["burn_rate_hours_per_day"],
                                   f"{label}: burn rate", unit="hours per day",
                                   text=f"{rate} hours a day"))
    elif b["remaining_hours"] > 0:
        sentence += " No hours were used in the last 90 days, so no run-out date is projected."
    if b["block"] in facts.unit_block_hours:  # the unit's part, as the Overview says it
        used = facts.unit_block_hours[b["block"]]
        sentence += f" {possessive(unit)} tickets used {hours(used)} of it"
        figures.insert(0, ctx.fig("used_hours", used, f"{unit}: hours used of {label}"))
        if pd.notna(b["price"]) and b["purchased_hours"] > 0:
            cost = used * b["price"] / b["purchased_hours"]
            sentence += (f", {ctx.total(cost)} of its {ctx.total(b['price'])} price at "
                         f"{ctx.per_user(b['price'] / b['purchased_hours'])} an hour")
            figures.insert(0 if asked(q, *_MONEY_WORDS) else 1, ctx.fig(
                "total_cost", cost, f"{unit}: share of the price of {label}"))
        sentence += " (the block is shared by every unit)."
    others = status.drop(index=chosen)
    if len(others):
        sentence += " Other blocks: " + "; ".join(
            f"{r.block} {pct(r.used_pct)} used" for r in others.itertuples(index=False)) + "."
    tbl = ctx.table(status, "block vendor start end purchased_hours used_hours remaining_hours "
                            "used_pct burn_rate_hours_per_day runout_date runout_basis",
                    block="Block", vendor="Vendor", runout_basis="Run-out basis")
    history = facts.block_histories.get(b["block"])
    chart = None if history is None else charts.page("block_burndown", history, b,
                                                     title=f"{label}: hours left")
    how = ("support.block_status as of the latest support date: used = hours of the support "
           "rows that draw on the block; burn rate = hours in the last 90 days ÷ days the block "
           "ran in them; run-out = as-of date + hours left ÷ burn rate. Block chosen: "
           + ("the one before the current block." if q.block == PREVIOUS_BLOCK
              else "the one named." if q.block else "the one running on the as-of date."))
    return ctx.done("block", sentence, figures, tbl, chart, how)


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

@over_period("p1_share", *SUPPORT)
def p1_share(ctx: Context, period: Period) -> Answer:
    q, quarter = ctx.query, period.last
    shares = support.p1_share(ctx.dataset)
    rows = shares[shares["quarter"] == quarter].set_index("facing")
    p1, prioritised = rows["p1_tickets"].sum(), rows["prioritised"].sum()
    overall = p1 / prioritised * 100 if prioritised else np.nan
    sentence = (f"In {ctx.q(quarter)}, {pct(overall)} of prioritised tickets were P1 "
                f"(Critical): {p1:,} of {prioritised:,}." if prioritised else
                f"No ticket in {ctx.q(quarter)} has a priority (recorded, or from impact × "
                "urgency), so there is no P1 share.")
    shown = {"all": (overall, "P1 share of prioritised tickets", prioritised)}
    parts = []
    for facing, words in (("external", "external-facing services"),
                          ("internal", "internal services")):
        r = rows.loc[facing]
        shown[facing] = (r["p1_share_pct"], f"P1 share, {words.replace(' services', '')} "
                         "services", r["prioritised"])
        if r["prioritised"] > 0:
            parts.append(f"{words}: {pct(r['p1_share_pct'])} ({r['p1_tickets']:,} of "
                         f"{r['prioritised']:,})")
    if parts:
        text = "; ".join(parts)
        sentence += f" {text[0].upper()}{text[1:]}."
    # only shares that exist: a facing without prioritised tickets has no share to show
    first = q.external if q.external in shown else "all"
    figures = [ctx.fig("share", value, label, quarter)
               for key, (value, label, n) in sorted(shown.items(), key=lambda kv: kv[0] != first)
               if n > 0]
    wide = shares.pivot(index="quarter", columns="facing", values=["p1_tickets", "p1_share_pct"])
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    names = {f"{k}_{facing}": f"P1 {'tickets' if k == 'p1_tickets' else 'share'}, {facing}"
             + ("" if k == "p1_tickets" else " (%)")
             for k in ("p1_tickets", "p1_share_pct") for facing in ("external", "internal")}
    tbl = ctx.table(wide.reset_index(), ["quarter", *[c for c in names if c in wide]],
                    quarter="Quarter", **names)
    chart = charts.lines(shares, "quarter", "p1_share_pct", "facing",
                         "P1 share of prioritised tickets by quarter", "%", highlight_x=quarter)
    how = ("support.p1_share: P1 tickets ÷ tickets with a priority (recorded, else impact × "
           "urgency), external-facing services (Services sheet) and internal apart; the "
           "overall share adds both.")
    return ctx.done("p1_share", sentence, figures, tbl, chart, how, period, "support data")


@over_period("priority_mismatches", *SUPPORT)
def priority_mismatches(ctx: Context, period: Period) -> Answer:
    parts = [support.priority_mismatches(ctx.dataset, x) for x in period.quarters]
    recorded = int(sum(support.priority_matrix(ctx.dataset, x)["recorded"].sum()
                       for x in period.quarters))
    pairs = (pd.concat(parts, ignore_index=True)
             .groupby(["impact", "urgency", "matrix_priority", "recorded_priority"],
                      as_index=False)["tickets"].sum()
             .sort_values(["tickets", "impact", "urgency"], ascending=[False, True, True],
                          ignore_index=True))
    mismatched = int(pairs["tickets"].sum())
    share = mismatched / recorded * 100 if recorded else np.nan
    span = ctx.span(period)
    sentence = (f"{span[0].upper()}{span[1:]}, {count(mismatched, 'ticket')} "
                f"({pct(share)} of {recorded:,} with a recorded priority) had a priority "
                "that differs from the impact × urgency matrix.")
    pairs = pairs.assign(matrix=pairs["matrix_priority"].map(PRIORITY_LABELS),
                         recorded=pairs["recorded_priority"].map(PRIORITY_LABELS))
    if len(pairs):
        top = pairs.iloc[0]
        sentence += (f" The most common: impact {top['impact']} × urgency {top['urgency']}, "
                     f"which the matrix makes {top['matrix']}, recorded as {top['recorded']} "
                     f"({count(top['tickets'], 'ticket')}).")
    quarter = sole_quarter(period)
    figures = (ctx.fig("tickets", mismatched, "Tickets whose priority differs from the matrix",
                       quarter, unit="tickets"),
               ctx.fig("share", share, "Share of tickets with a recorded priority", quarter))
    tbl = ctx.table(pairs, "impact urgency matrix recorded tickets", impact="Impact",
                    urgency="Urgency", matrix="Matrix priority", recorded="Recorded priority")
    chart = charts.bar([f"impact {r.impact} × urgency {r.urgency}: {r.matrix_priority} → "
                        f"{r.recorded_priority}" for r in pairs.itertuples(index=False)],
                       pairs["tickets"], f"Priority mismatches {span}", "Tickets")
    how = ("support.priority_mismatches (recorded priority ≠ impact + urgency − 1, "
           "ServiceNow's 3 × 3 matrix) and support.priority_matrix for the tickets with a "
           f"recorded priority, {span}.")
    return ctx.done("priority_mismatches", sentence, figures, tbl, chart, how, period,
                    "support data")


# ---- the service desk ----------------------------------------------------------------------

_DESK = {"tickets": ("tickets", "Tickets logged", "tickets"),
         "resolve": ("median_resolve_hours", "Median hours to resolve", "hours"),
         "backlog": ("backlog", "Tickets open at the quarter's end", "tickets"),
         "per_user": ("tickets_per_user_month", "Tickets per user per month",
                      "tickets per user per month"),
         "reopened": ("reopened", "Tickets reopened", "tickets"),
         "reopen_rate": ("reopen_rate_pct", "Reopen rate", "%"),
         "resolve_p1": ("median_resolve_hours_p1", "Median hours to resolve P1 tickets",
                        "hours")}


# what a then-and-now question measures, by its words (else tickets)
_THEN_AND_NOW = (("resolve", ("resolve", "resolved", "resolution", "fix", "fixed", "quicker",
                              "faster", "slower", "long", "speed")),
                 ("backlog", ("backlog", "open", "still open")),
                 ("reopened", ("reopen", "reopened")))


def service_desk(ctx: Context) -> Answer:
    """The service desk: in a month, now against an earlier time, or in a quarter."""
    if ctx.query.time.month is not None:
        return _desk_month(ctx)
    if ctx.query.focus == "service_desk_change":
        return _desk_then_and_now(ctx)
    return _desk_quarter(ctx)


@over_period("service_desk", *SUPPORT)
def _desk_quarter(ctx: Context, period: Period) -> Answer:
    """The Support page's service desk row for the quarter (:attr:`Facts.desk`)."""
    q, quarter = ctx.query, period.last
    desk = ctx.facts(quarter).desk
    r = desk[desk["quarter"] == quarter].iloc[0]
    per_user = ctx.fmt("tickets_per_user_month", r["tickets_per_user_month"])
    has_per_user = pd.notna(r["tickets_per_user_month"])
    sentence = (f"In {ctx.q(quarter)} the service desk logged {r['tickets']:,} tickets"
                + (f" ({per_user} per user per month)" if has_per_user else
                   " (no usage data to count them per user)"))
    if r["resolved"]:
        sentence += (f", resolved {r['resolved']:,} with a median of "
                     f"{hours(r['median_resolve_hours'])} to resolve")
    sentence += f", and had {r['backlog']:,} still open at the quarter's end."
    if pd.notna(r["median_resolve_hours_p1"]):
        sentence += f" P1 tickets took a median of {hours(r['median_resolve_hours_p1'])}."
    reopen = ("" if not r["reopen_recorded"] else
              f"{r['reopened']:,} of {r['reopen_recorded']:,} tickets "
              f"({pct(r['reopen_rate_pct'])}) were reopened at least once.")
    if q.focus in ("reopened", "reopen_rate"):  # the reopen figure first, the rest after
        reopen = reopen or "The support data records no reopen counts (add a reopen_count column)."
        rest = sentence.replace(f"In {ctx.q(quarter)} the service desk", "The service desk", 1)
        sentence = f"In {ctx.q(quarter)}, {reopen[0].lower()}{reopen[1:]} {rest}"
    elif reopen:
        sentence += " " + reopen
    shown = [k for k in _DESK if pd.notna(r[_DESK[k][0]]) and (
        k not in ("reopened", "reopen_rate") or r["reopen_recorded"])]
    first = q.focus if q.focus in shown else "tickets"
    figures = [ctx.fig(_DESK[k][0], r[_DESK[k][0]], _DESK[k][1], quarter, unit=_DESK[k][2])
               for k in [first] + [k for k in shown if k != first]]
    tbl = ctx.table(desk, "quarter tickets tickets_per_user_month resolved median_resolve_hours "
                          "median_resolve_hours_p1 backlog reopened reopen_rate_pct "
                          "satisfaction_pct", quarter="Quarter")
    chart = charts.lines(desk, "quarter", _DESK[first][0], None,
                         f"{_DESK[first][1]} by quarter", _DESK[first][2], highlight_x=quarter)
    how = ("support.service_desk: tickets opened in the quarter, per user per month (headcount "
           "= the largest user count of any service), median hours from opened to resolved of "
           "the tickets resolved in it, tickets open at its end, tickets with a reopen_count "
           "above 0 (reopened).")
    return ctx.done("service_desk", sentence, figures, tbl, chart, how, period, "support data")


def _desk_then_and_now(ctx: Context) -> Answer:
    """"Are incidents resolved quicker than a year ago?": yes or no first, then the median
    hours to resolve (or tickets) in the quarter against the earlier one."""
    q = ctx.query
    desk = support.service_desk(ctx.dataset)
    available = sorted(desk["quarter"].dropna().astype(str))
    if not available:
        return _desk_quarter(ctx)
    now = q.time.labels[-1] if q.time.page else available[-1]
    back = 1 if q.since_previous else {"back": q.time.value, "previous": 1,
                                        "last_year": 4}.get(q.time.kind)
    if back is None:
        earlier = resolve_period(q.time, [x for x in available if x < now], ctx.fiscal_start)
        then = earlier.quarters[0] if earlier.quarters else shift_quarter(now, -1)
    else:
        then = shift_quarter(now, -back)
    if then not in available:
        return _desk_quarter(ctx)
    key = next((k for k, words in _THEN_AND_NOW if asked(q, *words)), "tickets")
    column, label, unit = _DESK[key]
    row = desk.set_index(desk["quarter"].astype(str))
    vn, vt = float(row.loc[now, column]), float(row.loc[then, column])
    show = hours if key == "resolve" else (lambda v: count(v, "ticket"))
    sentence = yes_no(q, vn < vt) + (
        f"The median time to resolve a ticket was {show(vn)} in {ctx.q(now)}, against "
        f"{show(vt)} in {ctx.q(then)}." if key == "resolve" else
        f"{label} in {ctx.q(now)}: {show(vn)}, against {show(vt)} in {ctx.q(then)}.")
    figures = (ctx.fig(column, vn, label, now, unit=unit, text=show(vn)),
               ctx.fig(column, vt, label, then, unit=unit, text=show(vt)))
    how = f"support.service_desk per quarter: {column} in {now} against {then}."
    return ctx.done("service_desk", sentence, figures, how=how)


def _desk_month(ctx: Context) -> Answer:
    """Tickets opened in a month ("tickets in May 2026"): support rows are dated by day."""
    q = ctx.query
    rows = table(ctx.dataset, "support")
    opened = pd.to_datetime(rows["opened"], errors="coerce")
    in_month = rows[opened.dt.strftime("%Y-%m") == q.time.month]
    quarter = q.time.labels[0]
    in_quarter = rows[rows["quarter"].astype(str) == quarter]
    name = fmt_date(pd.Timestamp(q.time.month + "-01"))[2:].strip()
    n = len(in_month)
    sentence = (f"{count(n, 'ticket')} were opened in {name} (support is dated by day), "
                f"of {count(len(in_quarter), 'ticket')} in {ctx.q(quarter)}.")
    spent = (pd.to_datetime(in_month["resolved"], errors="coerce")
             - pd.to_datetime(in_month["opened"], errors="coerce")).dt.total_seconds() / 3600
    figures = [ctx.fig("tickets", n, f"Tickets opened in {name}", quarter, unit="tickets",
                       text=count(n, "ticket"))]
    if spent.notna().any():
        sentence += f" Those resolved took a median of {hours(spent.median())}."
        figures.append(ctx.fig("median_resolve_hours", spent.median(),
                               f"Median hours to resolve, {name}", quarter))
    daily = in_month.assign(day=opened[in_month.index].dt.strftime("%Y-%m-%d")).groupby(
        "day", as_index=False).size().rename(columns={"size": "tickets"})
    chart = charts.bar(daily["day"], daily["tickets"], f"Tickets opened each day, {name}",
                       "Tickets", horizontal=False) if len(daily) else None
    how = (f"Support rows whose 'opened' date falls in {name}; the quarter's count for "
           "scale.")
    return ctx.done("service_desk", sentence, figures,
                    ctx.table(daily, "day tickets", day="Day") if len(daily) else None, chart,
                    how)
