"""Answers about cost: per user, totals, rankings, trends, why, users, showback, what changed.

Every number comes from ``valuelib.costing`` (and ``support`` / ``portfolio`` for the
"what changed" overview); this module only picks rows, sums quarters and writes sentences.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import costing, portfolio
from .. import support as support_mod
from ..frames import UNALLOCATED, shift_quarter
from ..present.summary_text import explanation_text
from . import charts
from .common import (
    Context,
    display,
    figure,
    fmt_pct,
    join_how,
    names_list,
    no_data,
    ordinal,
    over_period,
    points,
    possessive,
    quarters_of,
    reading_notes,
    signed_pct,
    sole_quarter,
)
from .reading import Period
from .result import Answer
from .suggest import follow_ups
from .words import phrase

MONTHS = costing.MONTHS_PER_QUARTER


def _per_user_words(ctx: Context) -> bool:
    """Whether a ranking or trend question is about price rather than spend."""
    stems = set(ctx.query.words) | {w.rstrip("s") for w in ctx.query.words}
    return ctx.query.per_user or bool(stems & set(phrase(
        "expensive cheap cheaper cheapest pricey priciest costly costliest dear dearer "
        "dearest price pricier")))


# ---- cost per user -----------------------------------------------------------------------------

@over_period("cost_per_user")
def cost_per_user(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    quarter = period.last
    if not q.services:
        return _it_per_user(ctx, period)
    cpu = costing.cost_per_user(ctx.dataset)
    yearly = q.period == "year"
    per = "year" if yearly else "month"
    figures, sentences, hows = [], [], []
    units = _service_units(ctx)
    for service in q.services:
        row = cpu[(cpu["quarter"] == quarter) & (cpu["service"] == service)]
        if row.empty or row["status"].iloc[0] != costing.STATUS_OK:
            status = row["status"].iloc[0] if len(row) else costing.STATUS_NO_COST
            sentences.append(f"{service} has no cost per user in {ctx.q(quarter)}: {status}.")
            continue
        r = row.iloc[0]
        value = r["cost_per_user_month"] * (12 if yearly else 1)
        figures.append(figure(value, ctx.unit(f"per user per {per}"),
                              f"{service}: cost per user per {per}", ctx.money(value),
                              quarter, service))
        when = _when(ctx, period)
        text = f"{service} costs {ctx.money(value)} per user per {per} {when}"
        if yearly:
            text += f" ({ctx.money(r['cost_per_user_month'])} a month × 12)"
        text += f": {ctx.big(r['total_cost'])} in total for {r['users']:,.0f} users"
        unit = units.get(service)
        if unit and unit not in ("user", "users"):
            text += f" (a user is a {unit})"
        sentences.append(text + ".")
        hows.append(
            f"{service}, {ctx.q(quarter)}: total cost {ctx.money(r['total_cost'])} (direct "
            f"{ctx.money(r['direct_cost'])} + allocated share of shared costs "
            f"{ctx.money(r['allocated_cost'])}) ÷ {r['users']:,.0f} users ÷ {MONTHS} months"
            f" = {ctx.money(r['cost_per_user_month'])} per user per month"
            + (" × 12 for a year" if yearly else "") + ".")
    if len(q.services) == 1 and figures:
        r = cpu[(cpu["quarter"] == quarter) & (cpu["service"] == q.services[0])].iloc[0]
        figures += [figure(r["total_cost"], ctx.unit(""), f"{r['service']}: total cost",
                           ctx.big(r["total_cost"]), quarter, r["service"]),
                    figure(r["users"], "users", f"{r['service']}: users",
                           f"{r['users']:,.0f}", quarter, r["service"])]
    history = cpu[cpu["service"].isin(q.services)]
    tbl = display(history, {"quarter": "Quarter", "service": "Service", "users": "Users",
                            "total_cost": f"Total cost ({ctx.currency})",
                            "cost_per_user_month": f"Cost per user per month ({ctx.currency})",
                            "comparable_cost_per_user_month":
                                f"Comparable per user per month ({ctx.currency})",
                            "status": "Status"},
                  money_cols=("total_cost", "cost_per_user_month",
                              "comparable_cost_per_user_month"), whole=("users",))
    chart = charts.lines(history, "quarter", "cost_per_user_month",
                          "service" if len(q.services) > 1 else None,
                          f"Cost per user per month: {names_list(list(q.services))}",
                          ctx.currency, highlight_x=quarter)
    how = join_how("costing.cost_per_user (cost per user per month = total cost ÷ users ÷ 3).",
                   *hows, reading_notes(ctx, period, "cost data"))
    return Answer(q.text, " ".join(sentences), "cost_per_user", True, tuple(figures),
                  tbl, chart, how, follow_ups(ctx, "cost_per_user"))


def _it_per_user(ctx: Context, period) -> Answer:
    """All of IT per person: total cost (every row) ÷ headcount ÷ 3."""
    q = ctx.query
    quarter = period.last
    totals = costing.total_cost(ctx.dataset)
    heads = support_mod.headcount(ctx.dataset)
    total = totals.loc[totals["quarter"] == quarter, "total_cost"].sum()
    row = heads[heads["quarter"] == quarter]
    if row.empty or not row["users"].iloc[0] > 0:
        return Answer(q.text, f"There is no usage data for {ctx.q(quarter)}, so IT cost per "
                      "person cannot be worked out.", "cost_per_user", True,
                      how=reading_notes(ctx, period, "cost data"),
                      suggestions=follow_ups(ctx, "total_cost"))
    people = float(row["users"].iloc[0])
    yearly = q.period == "year"
    per = "year" if yearly else "month"
    value = total / people / MONTHS * (12 if yearly else 1)
    sentence = (f"IT costs {ctx.money(value)} per person per {per} in {ctx.q(quarter)}: "
                f"{ctx.big(total)} for about {people:,.0f} people.")
    figures = (figure(value, ctx.unit(f"per user per {per}"), f"IT cost per person per {per}",
                      ctx.money(value), quarter),
               figure(total, ctx.unit(""), "Total IT cost", ctx.big(total), quarter),
               figure(people, "users", "Headcount", f"{people:,.0f}", quarter))
    by_q = totals.groupby("quarter", as_index=False)["total_cost"].sum().merge(
        heads, on="quarter", how="left")
    by_q["per_person"] = by_q["total_cost"] / by_q["users"] / MONTHS * (12 if yearly else 1)
    tbl = display(by_q, {"quarter": "Quarter", "total_cost": f"Total IT cost ({ctx.currency})",
                         "users": "Headcount",
                         "per_person": f"Per person per {per} ({ctx.currency})"},
                  money_cols=("total_cost", "per_person"), whole=("users",))
    chart = charts.lines(by_q, "quarter", "per_person", None,
                          f"IT cost per person per {per}", ctx.currency, highlight_x=quarter)
    how = join_how(
        f"costing.total_cost summed over every row for {ctx.q(quarter)} (the ledger) ÷ "
        "headcount (support.headcount: the largest user count of any service) ÷ 3 months"
        + (" × 12" if yearly else "") + ".", reading_notes(ctx, period, "cost data"))
    return Answer(q.text, sentence, "cost_per_user", True, figures, tbl, chart, how,
                  follow_ups(ctx, "total_cost"))


def _service_units(ctx: Context) -> dict[str, str]:
    from ..frames import table

    s = table(ctx.dataset, "services").dropna(subset=["service"])
    return {r.service: str(r.unit).casefold() for r in s.itertuples(index=False)
            if isinstance(r.unit, str)}


def _when(ctx: Context, period) -> str:
    """"in 2026-Q3", plus why that quarter when the question named a year or range."""
    quarter = ctx.q(period.last)
    if period.single:
        return f"in {quarter}"
    return f"in {quarter}, the latest quarter of {period.label}"


# ---- total cost ----------------------------------------------------------------------------

@over_period("total_cost", annual=True)
def total_cost(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    totals = costing.total_cost(ctx.dataset)
    in_period = totals[totals["quarter"].isin(period.quarters)]
    monthly = q.period == "month" and not q.per_user
    scale = 1 / (MONTHS * len(period.quarters)) if monthly else 1.0
    span = ctx.span(period)
    figures, sentences = [], []
    if q.services:
        for service in q.services:
            rows = in_period[in_period["service"] == service]
            if rows.empty:
                sentences.append(f"{service} has no cost lines {span}.")
                continue
            value = rows["total_cost"].sum() * scale
            label = f"{service}: total cost" + (" a month" if monthly else "")
            figures.append(figure(value, ctx.unit("per month" if monthly else ""), label,
                                  ctx.big(value), sole_quarter(period), service))
            text = (f"{service} cost {ctx.big(value)}"
                    + (" a month on average" if monthly else "")
                    + f" {span} (direct {ctx.big(rows['direct_cost'].sum() * scale)} + "
                    f"{ctx.big(rows['allocated_cost'].sum() * scale)} allocated share of "
                    "shared costs)")
            per_user = _per_user_in(ctx, service, period)
            if per_user is not None:
                text += f"; that is {ctx.money(per_user)} per user per month"
            sentences.append(text + ".")
        shown = totals[totals["service"].isin(q.services)]
        tbl = display(shown, {"quarter": "Quarter", "service": "Service",
                              "direct_cost": f"Direct cost ({ctx.currency})",
                              "allocated_cost": f"Allocated cost ({ctx.currency})",
                              "total_cost": f"Total cost ({ctx.currency})"},
                      money_cols=("direct_cost", "allocated_cost", "total_cost"))
        chart = charts.bar(shown["quarter"] + " " + shown["service"], shown["total_cost"],
                            f"Total cost by quarter: {names_list(list(q.services))}",
                            ctx.currency, highlight=[f"{p} {s}" for p in period.quarters
                                                     for s in q.services], horizontal=False)
        what = "rows of the services named"
    else:
        value = in_period["total_cost"].sum() * scale
        unallocated = in_period.loc[in_period["service"] == UNALLOCATED, "total_cost"].sum()
        n = in_period.loc[in_period["service"] != UNALLOCATED, "service"].nunique()
        org = ctx.dataset.settings.organization or "The organisation"
        sentence = (f"{possessive(org)} IT cost {ctx.big(value)}"
                    + (" a month on average" if monthly else "")
                    + f" {span}, across {n} services")
        if unallocated:
            sentence += f", of which {ctx.big(unallocated * scale)} could not be allocated"
        elif "unallocated" in q.words or "allocated" in q.words:
            sentence += "; all of it is allocated to services"
        sentences.append(sentence + ".")
        if q.unknown:
            sentences.append(f"(The data says nothing about {names_list(list(q.unknown))}: "
                             "this is IT cost alone.)")
        figures.append(figure(value, ctx.unit("per month" if monthly else ""),
                              "Total IT cost" + (" a month" if monthly else ""), ctx.big(value),
                              sole_quarter(period)))
        by_service = (in_period.groupby("service", as_index=False)[
            ["direct_cost", "allocated_cost", "total_cost"]].sum()
            .sort_values("total_cost", ascending=False))
        tbl = display(by_service, {"service": "Service",
                                   "direct_cost": f"Direct cost ({ctx.currency})",
                                   "allocated_cost": f"Allocated cost ({ctx.currency})",
                                   "total_cost": f"Total cost ({ctx.currency})"},
                      money_cols=("direct_cost", "allocated_cost", "total_cost"))
        chart = charts.bar(by_service["service"], by_service["total_cost"],
                            f"Total cost by service, {period.label}", ctx.currency)
        what = "every row, the Unallocated line included, so it equals the ledger"
    how = join_how(
        f"costing.total_cost (direct + allocated), summed over {what}, for "
        f"{', '.join(ctx.q(x) for x in period.quarters)}"
        + (f", ÷ {MONTHS * len(period.quarters)} months for a monthly average" if monthly
           else "") + ".",
        reading_notes(ctx, period, "cost data"))
    return Answer(q.text, " ".join(sentences), "total_cost", True, tuple(figures),
                  tbl, chart, how, follow_ups(ctx, "total_cost"))


def _per_user_in(ctx: Context, service: str, period) -> float | None:
    """The service's cost per user per month when the period is one quarter, for context."""
    if len(period.quarters) != 1:
        return None
    frame = costing.cost_per_user(ctx.dataset, period.last)
    row = frame[(frame["service"] == service) & (frame["status"] == costing.STATUS_OK)]
    return float(row["cost_per_user_month"].iloc[0]) if len(row) else None


# ---- rankings ------------------------------------------------------------------------------

@over_period("ranking")
def ranking(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    quarter = period.last
    per_user = q.measure != "total" and _per_user_words(ctx)
    column = "cost_per_user_month" if per_user else "total_cost"
    cpu = costing.cost_per_user(ctx.dataset, quarter)
    rows = cpu[cpu["service"] != UNALLOCATED]
    if per_user:
        rows = rows[rows["status"] == costing.STATUS_OK]
    rows = rows.dropna(subset=[column])
    least = q.direction == "least"
    rows = rows.sort_values([column, "service"], ascending=[least, True], ignore_index=True)
    n = q.top_n or (1 if q.singular else 3)
    top = rows.head(n)
    measure = "per user per month" if per_user else "in total"
    fmt = ctx.money if per_user else ctx.big
    word = ("cheapest" if least else "most expensive") if per_user else (
        "least costly" if least else "costliest")
    listed = [f"{r.service} ({fmt(getattr(r, column))})" for r in top.itertuples(index=False)]
    if len(top) == 1:
        sentence = f"The {word} service {measure} in {ctx.q(quarter)} is {listed[0]}."
    else:
        sentence = (f"The {len(top)} {word} services {measure} in {ctx.q(quarter)} are "
                    f"{names_list(listed)}.")
    for service in q.services:
        place = rows.index[rows["service"] == service]
        if len(place):
            sentence += (f" {service} is {ordinal(int(place[0]) + 1)} of {len(rows)}"
                         + (" from the cheapest." if least else "."))
    unit = ctx.unit("per user per month" if per_user else "")
    figures = tuple(figure(getattr(r, column), unit, f"{r.service}: cost {measure}",
                           fmt(getattr(r, column)), quarter, r.service)
                    for r in top.head(5).itertuples(index=False))
    shown = rows.head(q.top_n) if q.top_n else rows
    tbl = display(shown.assign(rank=np.arange(1, len(shown) + 1)),
                  {"rank": "Rank", "service": "Service", "users": "Users",
                   "total_cost": f"Total cost ({ctx.currency})",
                   "cost_per_user_month": f"Cost per user per month ({ctx.currency})"},
                  money_cols=("total_cost", "cost_per_user_month"), whole=("users",))
    chart = charts.bar(shown["service"], shown[column],
                        f"Cost {measure} by service, {ctx.q(quarter)}", ctx.currency,
                        highlight=list(top["service"]) + list(q.services))
    other = ("total cost" if per_user else "cost per user per month")
    how = join_how(
        f"costing.cost_per_user for {ctx.q(quarter)}, services ranked by "
        f"{'cost per user per month' if per_user else 'total cost'} "
        f"({'lowest' if least else 'highest'} first)"
        + (", leaving out services without users" if per_user else "")
        + f"; the table also shows {other}.", reading_notes(ctx, period, "cost data"))
    return Answer(q.text, sentence, "ranking", True, figures, tbl, chart, how,
                  follow_ups(ctx, "ranking", per_user=per_user))


# ---- trends --------------------------------------------------------------------------------

def trend(ctx: Context) -> Answer:
    q = ctx.query
    available = quarters_of(ctx.dataset, "costs")
    if not available:
        return no_data(ctx, "trend", "cost data", None, available, follow_ups(ctx, "trend"))
    per_user = _per_user_words(ctx) and q.measure != "total"
    measure = "cost_per_user_month" if per_user else "total_cost"
    span = _trend_span(ctx, available)
    if not span:
        return no_data(ctx, "trend", "cost data", ctx.period(available), available,
                       follow_ups(ctx, "trend"))
    if not q.services and q.plural:
        return _trend_ranking(ctx, measure, span)
    if q.services:
        frame = costing.cost_trend(ctx.dataset, measure)
        frame = frame[frame["service"].isin(q.services) & frame["quarter"].isin(span)]
        subjects = list(q.services)
        source = f"costing.cost_trend(measure='{measure}')"
    else:
        totals = costing.total_cost(ctx.dataset)
        by_q = totals.groupby("quarter", as_index=False)["total_cost"].sum()
        by_q = by_q.assign(service="IT total",
                           previous=by_q["total_cost"].shift(1))
        by_q["qoq_change"] = by_q["total_cost"] - by_q["previous"]
        by_q["qoq_pct"] = by_q["qoq_change"] / by_q["previous"].abs() * 100
        by_q["previous_quarter"] = by_q["quarter"].shift(1)
        frame = by_q[by_q["quarter"].isin(span)]
        measure, per_user = "total_cost", False
        subjects = ["IT total"]
        source = "costing.total_cost summed over every service per quarter"
    what = "cost per user per month" if per_user else "total cost"
    fmt = ctx.money if per_user else ctx.big
    unit = ctx.unit("per user per month" if per_user else "")
    figures, sentences = [], []
    for subject in subjects:
        rows = frame[frame["service"] == subject].dropna(subset=[measure])
        if rows.empty:
            sentences.append(f"{subject} has no {what} in {_span_words(ctx, span)}.")
            continue
        first, last = rows.iloc[0], rows.iloc[-1]
        change = last[measure] - first[measure]
        change_pct = change / abs(first[measure]) * 100 if first[measure] else np.nan
        name = "IT" if subject == "IT total" else subject
        if q.since_previous or len(rows) == 1:
            qoq = last.get("qoq_pct", np.nan)
            prev = last.get("previous", np.nan) if "previous" in last else np.nan
            text = (f"{possessive(name)} {what} was {fmt(last[measure])} in "
                    f"{ctx.q(last['quarter'])}")
            if pd.notna(prev):
                text += (f", {_moved(last['qoq_change'])} {fmt(abs(last['qoq_change']))} "
                         f"({signed_pct(qoq)}) from {fmt(prev)} in "
                         f"{ctx.q(last['previous_quarter'])}")
            sentences.append(text + ".")
            figures.append(figure(qoq, "%", f"{name}: {what}, change on the previous quarter",
                                  signed_pct(qoq), last["quarter"], _svc(subject)))
            figures.append(figure(last[measure], unit, f"{name}: {what}", fmt(last[measure]),
                                  last["quarter"], _svc(subject)))
            continue
        text = (f"{possessive(name)} {what} {_went(change)} from {fmt(first[measure])} in "
                f"{ctx.q(first['quarter'])} to {fmt(last[measure])} in "
                f"{ctx.q(last['quarter'])} ({signed_pct(change_pct)})")
        recent = []
        if pd.notna(last.get("qoq_pct", np.nan)):
            recent.append(f"{signed_pct(last['qoq_pct'])} on the previous quarter")
        if pd.notna(last.get("yoy_pct", np.nan)):
            recent.append(f"{signed_pct(last['yoy_pct'])} on a year before")
        if recent:
            text += f". In {ctx.q(last['quarter'])} it changed " + " and ".join(recent)
        sentences.append(text + ".")
        figures += [
            figure(change_pct, "%", f"{name}: change in {what}, {first['quarter']} to "
                   f"{last['quarter']}", signed_pct(change_pct), last["quarter"], _svc(subject)),
            figure(last[measure], unit, f"{name}: {what}", fmt(last[measure]), last["quarter"],
                   _svc(subject)),
            figure(first[measure], unit, f"{name}: {what}", fmt(first[measure]),
                   first["quarter"], _svc(subject)),
        ]
    cols = {"quarter": "Quarter", "service": "Service", measure: f"{what.capitalize()} "
            f"({ctx.currency})", "qoq_change": f"Change on previous quarter ({ctx.currency})",
            "qoq_pct": "Change on previous quarter (%)"}
    if "yoy_pct" in frame:
        cols["yoy_pct"] = "Change on a year before (%)"
    tbl = display(frame, cols, money_cols=(measure, "qoq_change"),
                  pct_cols=tuple(c for c in ("qoq_pct", "yoy_pct") if c in frame))
    chart = charts.lines(frame, "quarter", measure, "service" if len(subjects) > 1 else None,
                          f"{what.capitalize()} by quarter: {names_list(subjects)}",
                          ctx.currency)
    how = join_how(
        f"{source} for {_span_words(ctx, span)}; the change is the last quarter against the "
        "first, relative to the first; changes on the previous quarter and a year before "
        "come from the same function." if q.services else
        f"{source} for {_span_words(ctx, span)}.", reading_notes(ctx))
    return Answer(q.text, " ".join(sentences), "trend", True, tuple(figures), tbl,
                  chart, how, follow_ups(ctx, "trend"))


def _trend_ranking(ctx: Context, measure: str, span: list[str]) -> Answer:
    """"Which services got more expensive this year": every service's change over the span."""
    q = ctx.query
    frame = costing.cost_trend(ctx.dataset, measure)
    frame = frame[frame["quarter"].isin(span) & (frame["service"] != UNALLOCATED)].dropna(
        subset=[measure])
    ends = frame.groupby("service").agg(first_quarter=("quarter", "first"),
                                        first=(measure, "first"),
                                        last_quarter=("quarter", "last"),
                                        last=(measure, "last")).reset_index()
    ends = ends[ends["first_quarter"] != ends["last_quarter"]]
    ends["change"] = ends["last"] - ends["first"]
    ends["change_pct"] = ends["change"] / ends["first"].abs() * 100
    down = bool(set(q.words) & set(phrase("cheaper less fell fall falling down decrease "
                                          "decreased dropped lower")))
    ranked = ends.sort_values(["change_pct", "service"], ascending=[down, True],
                              ignore_index=True)
    what = "cost per user per month" if measure == "cost_per_user_month" else "total cost"
    top = ranked[(ranked["change_pct"] < 0) if down else (ranked["change_pct"] > 0)].head(
        q.top_n or 3)
    when = _span_words(ctx, span)
    if top.empty:
        sentence = (f"No service's {what} went {'down' if down else 'up'} from "
                    f"{when}.")
    else:
        sentence = (f"From {when}, the {what} of " + names_list([
            f"{r.service} ({signed_pct(r.change_pct)})" for r in top.itertuples(index=False)])
            + f" {'fell' if down else 'rose'} the most.")
    figures = tuple(figure(r.change_pct, "%", f"{r.service}: change in {what}, "
                           f"{r.first_quarter} to {r.last_quarter}", signed_pct(r.change_pct),
                           r.last_quarter, r.service) for r in top.itertuples(index=False))
    fmt_cols = {"service": "Service", "first_quarter": "From", "first": f"Then ({ctx.currency})",
                "last_quarter": "To", "last": f"Now ({ctx.currency})",
                "change": f"Change ({ctx.currency})", "change_pct": "Change (%)"}
    tbl = display(ranked, fmt_cols, money_cols=("first", "last", "change"),
                  pct_cols=("change_pct",))
    chart = charts.bar(ranked["service"], ranked["change_pct"],
                        f"Change in {what}, {when} (%)", "%", highlight=list(top["service"]))
    how = join_how(f"costing.cost_trend(measure='{measure}') for {when}: each service's last "
                   "quarter against its first, relative to the first.", reading_notes(ctx))
    return Answer(q.text, sentence, "trend", True, figures, tbl, chart, how,
                  follow_ups(ctx, "trend"))


def _svc(subject: str) -> str | None:
    return None if subject == "IT total" else subject


def _moved(change: float) -> str:
    return "rose" if change > 0 else "fell" if change < 0 else "stayed the same,"


def _went(change: float) -> str:
    return "went up" if change > 0 else "went down" if change < 0 else "stayed the same"


def _trend_span(ctx: Context, available: list[str]) -> list[str]:
    """The quarters a trend covers: all by default, else the range or year asked for."""
    if ctx.query.time.kind in ("default", "latest"):
        return available
    ref = ctx.query.time
    period = ctx.period(available)
    if len(period.quarters) >= 2:
        if ref.kind == "quarters":
            return [x for x in available if period.quarters[0] <= x <= period.quarters[-1]]
        return list(period.quarters)
    if len(period.quarters) == 1:  # "since 2025-Q1": from then to now
        start = period.quarters[0]
        return [x for x in available if x >= start]
    return []


def _span_words(ctx: Context, span: list[str]) -> str:
    return (f"{ctx.q(span[0])} to {ctx.q(span[-1])}" if len(span) > 1 else ctx.q(span[0]))


# ---- why a service costs what it does --------------------------------------------------------

@over_period("explain")
def explain(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    service, quarter = q.services[0], period.last
    e = costing.explain_cost(ctx.dataset, service, quarter)
    figures = []
    if e.status == costing.STATUS_OK:
        figures.append(figure(e.cost_per_user_month, ctx.unit("per user per month"),
                              f"{service}: cost per user per month",
                              ctx.money(e.cost_per_user_month), quarter, service))
    if pd.notna(e.total_cost):
        figures.append(figure(e.total_cost, ctx.unit(""), f"{service}: total cost",
                              ctx.big(e.total_cost), quarter, service))
    if len(e.lines):
        top = e.lines.iloc[0]
        figures.append(figure(top["amount"], ctx.unit(""), f"{service}: largest cost line",
                              ctx.big(top["amount"]), quarter, service))
    tbl = display(e.lines, {"method": "How", "cost_pool": "Cost pool", "note": "Note",
                            "amount": f"Amount ({ctx.currency})", "pct_of_total": "% of total",
                            "per_user_month": f"Per user per month ({ctx.currency})",
                            "source_sheet": "Sheet", "source_row": "Row"},
                  money_cols=("amount", "per_user_month"), pct_cols=("pct_of_total",))
    pools = e.lines.groupby("cost_pool", as_index=False)["amount"].sum().sort_values(
        "amount", ascending=False)
    chart = charts.bar(pools["cost_pool"], pools["amount"],
                        f"{service}: cost by pool, {ctx.q(quarter)}", ctx.currency)
    how = join_how(f"costing.explain_cost for {service} in {ctx.q(quarter)}: its own cost "
                   "lines plus its share of each shared line (method and share shown), "
                   "largest first.", reading_notes(ctx, period, "cost data"))
    return Answer(q.text, explanation_text(e, ctx.currency), "explain", True, tuple(figures), tbl,
                  chart, how, follow_ups(ctx, "explain"))


# ---- users ---------------------------------------------------------------------------------

@over_period("users", "usage", "usage data")
def users(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    quarter = period.last
    if q.services:
        ub = costing.users_by_service(ctx.dataset)
        figures, parts = [], []
        for service in q.services:
            row = ub[(ub["quarter"] == quarter) & (ub["service"] == service)]
            if row.empty:
                parts.append(f"{service} has no usage rows in {ctx.q(quarter)}.")
                continue
            n = row["users"].iloc[0]
            figures.append(figure(n, "users", f"{service}: users", f"{n:,.0f}", quarter,
                                  service))
            parts.append(f"{service} has {n:,.0f} users in {ctx.q(quarter)}.")
        shown = ub[ub["service"].isin(q.services)]
        tbl = display(shown, {"quarter": "Quarter", "service": "Service", "users": "Users"},
                      whole=("users",))
        chart = charts.lines(shown, "quarter", "users",
                              "service" if len(q.services) > 1 else None,
                              f"Users: {names_list(list(q.services))}", "Users")
        how = "costing.users_by_service: the sum of the service's Usage rows in the quarter."
        return Answer(q.text, " ".join(parts), "users", True, tuple(figures), tbl,
                      chart, join_how(how, reading_notes(ctx, period, "usage data")),
                      follow_ups(ctx, "users"))
    if q.direction or q.plural:
        return _users_ranking(ctx, period)
    heads = support_mod.headcount(ctx.dataset)
    row = heads[heads["quarter"] == quarter]
    n = float(row["users"].iloc[0]) if len(row) else np.nan
    sentence = (f"About {n:,.0f} people use IT in {ctx.q(quarter)} (the largest user count of "
                "any service).")
    tbl = display(heads, {"quarter": "Quarter", "users": "Headcount"}, whole=("users",))
    chart = charts.lines(heads, "quarter", "users", None, "Headcount by quarter", "People")
    how = join_how("support.headcount: the largest user count of any service in the quarter.",
                   reading_notes(ctx, period, "usage data"))
    return Answer(q.text, sentence, "users", True,
                  (figure(n, "users", "Headcount", f"{n:,.0f}", quarter),), tbl, chart, how,
                  follow_ups(ctx, "users"))


def _users_ranking(ctx: Context, period) -> Answer:
    q = ctx.query
    quarter = period.last
    ub = costing.users_by_service(ctx.dataset, quarter)
    least = q.direction == "least"
    ranked = ub.sort_values(["users", "service"], ascending=[least, True], ignore_index=True)
    n = q.top_n or (1 if q.singular else 3)
    top = ranked.head(n)
    listed = [f"{r.service} ({r.users:,.0f})" for r in top.itertuples(index=False)]
    word = "fewest" if least else "most"
    sentence = (f"The service{'s' if len(top) > 1 else ''} with the {word} users in "
                f"{ctx.q(quarter)}: {names_list(listed)}.")
    figures = tuple(figure(r.users, "users", f"{r.service}: users", f"{r.users:,.0f}",
                           quarter, r.service) for r in top.itertuples(index=False))
    tbl = display(ranked, {"service": "Service", "users": "Users"}, whole=("users",))
    chart = charts.bar(ranked["service"], ranked["users"],
                        f"Users by service, {ctx.q(quarter)}", "Users",
                        highlight=list(top["service"]))
    how = join_how(f"costing.users_by_service for {ctx.q(quarter)}: the sum of each service's "
                   "Usage rows.", reading_notes(ctx, period, "usage data"))
    return Answer(q.text, sentence, "users", True, figures, tbl, chart, how,
                  follow_ups(ctx, "users"))


# ---- cost pools ----------------------------------------------------------------------------

@over_period("cost_pools", annual=True)
def cost_pools(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    pools = costing.cost_by_pool(ctx.dataset)
    rows = pools[pools["quarter"].isin(period.quarters)]
    by_pool = (rows.groupby("cost_pool", as_index=False)["total_cost"].sum()
               .sort_values(["total_cost", "cost_pool"], ascending=[False, True],
                            ignore_index=True))
    total = float(by_pool["total_cost"].sum())
    by_pool["share"] = by_pool["total_cost"] / total * 100 if total else np.nan
    span = ctx.span(period)
    quarter = sole_quarter(period)
    named = [p for p in q.pools if p != "*"]
    figures, parts = [], []
    if named:
        for pool in named:
            row = by_pool[by_pool["cost_pool"] == pool]
            value = float(row["total_cost"].iloc[0]) if len(row) else 0.0
            share = float(row["share"].iloc[0]) if len(row) else 0.0
            services = (rows[rows["cost_pool"] == pool].groupby("service")["total_cost"].sum()
                        .sort_values(ascending=False).head(3))
            text = (f"{pool} cost {ctx.big(value)} {span}, {fmt_pct(share)} of all IT cost")
            if len(services):
                text += ", mostly " + names_list([f"{s} ({ctx.big(v)})"
                                                  for s, v in services.items()])
            parts.append(text + ".")
            figures += [figure(value, ctx.unit(""), f"{pool}: cost", ctx.big(value), quarter),
                        figure(share, "%", f"{pool}: share of IT cost", fmt_pct(share),
                               quarter)]
    else:
        top = by_pool.head(q.top_n or 3)
        parts.append(f"The biggest cost pools {span} are " + names_list([
            f"{r.cost_pool} ({ctx.big(r.total_cost)}, {fmt_pct(r.share)})"
            for r in top.itertuples(index=False)]) + f", of {ctx.big(total)} in all.")
        figures += [figure(r.total_cost, ctx.unit(""), f"{r.cost_pool}: cost",
                           ctx.big(r.total_cost), quarter) for r in top.itertuples(index=False)]
    tbl = display(by_pool, {"cost_pool": "Cost pool (TBM)",
                            "total_cost": f"Cost ({ctx.currency})", "share": "% of IT cost"},
                  money_cols=("total_cost",), pct_cols=("share",))
    chart = charts.bar(by_pool["cost_pool"], by_pool["total_cost"],
                        f"IT cost by cost pool, {period.label}", ctx.currency, highlight=named)
    how = join_how("costing.cost_by_pool: every ledger line in its TBM cost pool (allocated "
                   "shares keep the pool of their line), summed over all services for "
                   f"{', '.join(ctx.q(x) for x in period.quarters)}.",
                   reading_notes(ctx, period, "cost data"))
    return Answer(q.text, " ".join(parts), "cost_pools", True, tuple(figures), tbl, chart, how,
                  follow_ups(ctx, "cost_pools"))


# ---- showback ------------------------------------------------------------------------------

@over_period("showback", annual=True)
def showback(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    sb = costing.showback(ctx.dataset)
    sb = sb[sb["quarter"].isin(period.quarters)]
    span = ctx.span(period)
    quarter = sole_quarter(period)
    unit = q.business_unit
    if unit:
        rows = sb[sb["business_unit"] == unit]
        if q.services:
            rows = rows[rows["service"].isin(q.services)]
        if rows.empty:
            scope = names_list(list(q.services)) if q.services else "any service"
            return Answer(q.text, f"{unit} has no users of {scope} {span} in the Usage sheet, "
                          "so no cost is shown back to it.", "showback", True,
                          how=join_how("costing.showback: cost is shown back to business "
                                       "units in proportion to their users (Usage).",
                                       reading_notes(ctx, period, "cost data")),
                          suggestions=follow_ups(ctx, "showback"))
        by_service = (rows.groupby("service", as_index=False)[["users", "cost"]].sum()
                      .sort_values("cost", ascending=False, ignore_index=True))
        if len(period.quarters) > 1:
            by_service["users"] = np.nan  # users do not add up across quarters
        value = float(rows["cost"].sum())
        scope = f" for {names_list(list(q.services))}" if q.services else " for IT"
        top = by_service.head(3)
        sentence = f"{possessive(unit)} share of the cost{scope} {span} is {ctx.big(value)}"
        if not q.services and len(top):
            sentence += (", mostly " + names_list(
                [f"{r.service} ({ctx.big(r.cost)})" for r in top.itertuples(index=False)]))
        sentence += ", in proportion to its users of each service."
        figures = [figure(value, ctx.unit(""), f"{unit}: IT cost (showback)", ctx.big(value),
                          quarter)]
        figures += [figure(r.cost, ctx.unit(""), f"{unit}: {r.service}", ctx.big(r.cost),
                           quarter, r.service) for r in top.itertuples(index=False)
                    if not q.services]
        tbl = display(by_service, {"service": "Service", "users": f"Users in {unit}",
                                   "cost": f"Cost ({ctx.currency})"},
                      money_cols=("cost",), whole=("users",))
        chart = charts.bar(by_service["service"], by_service["cost"],
                            f"{unit}: IT cost by service, {period.label}", ctx.currency)
        how = (f"costing.showback: each service's total cost split across business units in "
               f"proportion to their users of it (Usage), summed for {unit} over "
               f"{', '.join(ctx.q(x) for x in period.quarters)}.")
    else:
        rows = sb[sb["service"].isin(q.services)] if q.services else sb
        by_unit = (rows.groupby("business_unit", as_index=False)["cost"].sum()
                   .sort_values("cost", ascending=False, ignore_index=True))
        ranked = by_unit[by_unit["business_unit"] != "Unassigned"]
        least = q.direction == "least"
        if least:
            ranked = ranked.sort_values("cost", ignore_index=True)
        scope = f"{names_list(list(q.services))}" if q.services else "IT"
        listed = [f"{r.business_unit} ({ctx.big(r.cost)})"
                  for r in ranked.head(3).itertuples(index=False)]
        sentence = (f"Showback of {scope} {span}: " + names_list(listed)
                    + (" pay the least" if least else " pay the most") + ".")
        unassigned = by_unit.loc[by_unit["business_unit"] == "Unassigned", "cost"].sum()
        if unassigned:
            sentence += (f" {ctx.big(unassigned)} is not assigned to a business unit (no "
                         "usage data, or shared cost left unallocated).")
        figures = [figure(r.cost, ctx.unit(""), f"{r.business_unit}: IT cost (showback)",
                          ctx.big(r.cost), quarter) for r in ranked.head(3).itertuples(
                              index=False)]
        tbl = display(by_unit.assign(share=by_unit["cost"] / by_unit["cost"].sum() * 100),
                      {"business_unit": "Business unit", "cost": f"Cost ({ctx.currency})",
                       "share": "% of total"}, money_cols=("cost",), pct_cols=("share",))
        chart = charts.bar(by_unit["business_unit"], by_unit["cost"],
                            f"IT cost by business unit, {period.label}", ctx.currency)
        how = ("costing.showback: each service's total cost split across business units in "
               "proportion to their users of it (Usage), summed per business unit over "
               f"{', '.join(ctx.q(x) for x in period.quarters)}.")
    return Answer(q.text, sentence, "showback", True, tuple(figures), tbl, chart,
                  join_how(how, reading_notes(ctx, period, "cost data")),
                  follow_ups(ctx, "showback"))


# ---- what changed ----------------------------------------------------------------------------

@over_period("changes")
def changes(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    current = period.last
    previous = shift_quarter(current, -1)
    if previous not in quarters_of(ctx.dataset, "costs"):
        return Answer(q.text, f"There is no quarter before {ctx.q(current)} to compare with.",
                      "changes", True, how=reading_notes(ctx, period, "cost data"),
                      suggestions=follow_ups(ctx, "changes"))
    totals = costing.total_cost(ctx.dataset)
    now = totals.loc[totals["quarter"] == current, "total_cost"].sum()
    before = totals.loc[totals["quarter"] == previous, "total_cost"].sum()
    change = now - before
    change_pct = change / abs(before) * 100 if before else np.nan
    trend_frame = costing.cost_trend(ctx.dataset, "total_cost")
    moved = trend_frame[(trend_frame["quarter"] == current)
                        & (trend_frame["service"] != UNALLOCATED)].dropna(subset=["qoq_change"])
    moved = moved.assign(size=moved["qoq_change"].abs()).sort_values(
        ["size", "service"], ascending=[False, True], ignore_index=True)
    top = moved.head(3)
    if round(change, 2) == 0:
        sentence = (f"From {ctx.q(previous)} to {ctx.q(current)}, total IT cost stayed at "
                    f"{ctx.big(now)}.")
    else:
        sentence = (f"From {ctx.q(previous)} to {ctx.q(current)}, total IT cost "
                    f"{_moved(change)} {ctx.big(abs(change))} ({signed_pct(change_pct)}) to "
                    f"{ctx.big(now)}.")
    moved = moved[moved["qoq_change"].round(2) != 0].reset_index(drop=True)
    top = moved.head(3)
    if len(top):
        sentence += " Biggest changes: " + names_list([
            f"{r.service} {ctx.signed(r.qoq_change, big=True)} ({signed_pct(r.qoq_pct)})"
            for r in top.itertuples(index=False)]) + "."
    figures = [figure(change, ctx.unit(""), "Change in total IT cost on the previous quarter",
                      ctx.signed(change, big=True), current),
               figure(change_pct, "%", "Change in total IT cost on the previous quarter (%)",
                      signed_pct(change_pct), current)]
    figures += [figure(r.qoq_change, ctx.unit(""), f"{r.service}: change in total cost",
                       ctx.signed(r.qoq_change, big=True), current, r.service)
                for r in top.itertuples(index=False)]
    how = [f"costing.total_cost for {ctx.q(previous)} and {ctx.q(current)} (every row, "
           "Unallocated included); costing.cost_trend(measure='total_cost') for each "
           "service's change on the previous quarter, largest changes first."]

    share = support_mod.proactive_share(ctx.dataset)
    pair = share[share["quarter"].isin([previous, current])].dropna(
        subset=["proactive_share_pct"])
    if len(pair) == 2:
        a, b = pair["proactive_share_pct"].iloc[0], pair["proactive_share_pct"].iloc[1]
        sentence += (f" The proactive share of support went from {fmt_pct(a)} to "
                     f"{fmt_pct(b)} ({points(b - a)}).")
        figures.append(figure(b - a, "percentage points",
                              "Change in proactive share of support", points(b - a), current))
        how.append("support.proactive_share for both quarters.")

    cvv_now = portfolio.cost_vs_value(ctx.dataset, current)
    cvv_before = portfolio.cost_vs_value(ctx.dataset, previous)
    both = cvv_now.merge(cvv_before, on="service", suffixes=("", "_before"))
    shifted = both[both["quadrant"].notna() & both["quadrant_before"].notna()
                   & (both["quadrant"] != both["quadrant_before"])]
    if len(shifted):
        sentence += " Moved quadrant: " + names_list([
            f"{r.service} ({r.quadrant_before} → {r.quadrant})"
            for r in shifted.itertuples(index=False)]) + "."
    else:
        sentence += " No service changed cost-vs-value quadrant."
    how.append("portfolio.cost_vs_value for both quarters, compared service by service.")

    tbl = display(moved, {"service": "Service",
                          "previous": f"{ctx.q(previous)} ({ctx.currency})",
                          "total_cost": f"{ctx.q(current)} ({ctx.currency})",
                          "qoq_change": f"Change ({ctx.currency})", "qoq_pct": "Change (%)"},
                  money_cols=("previous", "total_cost", "qoq_change"), pct_cols=("qoq_pct",))
    chart = charts.bar(moved["service"], moved["qoq_change"],
                        f"Change in total cost, {ctx.q(previous)} to {ctx.q(current)}",
                        ctx.currency, highlight=list(top["service"]))
    return Answer(q.text, sentence, "changes", True, tuple(figures), tbl, chart,
                  join_how(*how, reading_notes(ctx, period, "cost data")),
                  follow_ups(ctx, "changes"))

