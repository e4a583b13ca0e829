"""Answers about cost: per user, totals, rankings, trends, why, users, showback, what changed,
cost pools. Figures come from ``valuelib.costing`` and the page's :class:`Facts` (IT's total
and headcount per quarter); this module picks rows and writes sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import costing, portfolio, support
from ..frames import UNALLOCATED, shift_quarter, table
from ..present.measures import MEASURES, Unit
from ..present.summary_text import explanation_text
from . import charts
from .common import (
    Context,
    moved,
    names_list,
    no_data,
    over_period,
    pct,
    plain,
    points,
    possessive,
    quarters_of,
    signed_pct,
    sole_quarter,
)
from .reading import Period
from .result import Answer
from .words import phrase

MONTHS = costing.MONTHS_PER_QUARTER
_PRICE_WORDS = frozenset(phrase("expensive cheap cheaper cheapest pricey priciest costly "
                                "costliest dear dearer dearest price pricier"))
IT = "IT total"


def _per_user_words(ctx: Context) -> bool:
    """Whether a ranking or trend question is about price rather than spend."""
    return ctx.query.per_user or bool(set(ctx.query.words) & _PRICE_WORDS)


def _measure(per_user: bool) -> tuple[str, str]:
    """The measure key and its words."""
    return (("cost_per_user_month", "cost per user per month") if per_user
            else ("total_cost", "total cost"))


# ---- cost per user -----------------------------------------------------------------------------

@over_period("cost_per_user")
def cost_per_user(ctx: Context, period: Period) -> Answer:
    q, quarter = ctx.query, period.last
    if not q.services:
        return _it_per_user(ctx, period)
    cpu = costing.cost_per_user(ctx.dataset)
    yearly = q.period == "year"
    per = "year" if yearly else "month"
    units = {r.service: str(r.unit).casefold() for r in table(ctx.dataset, "services")
             .dropna(subset=["service", "unit"]).itertuples(index=False)}
    figures, sentences, hows = [], [], []
    when = f"in {ctx.q(quarter)}" + ("" if period.single
                                     else f", the latest quarter of {period.label}")
    for service in q.services:
        row = cpu[(cpu["quarter"] == quarter) & (cpu["service"] == service)]
        if row.empty or row["status"].iloc[0] != costing.CostStatus.OK:
            status = row["status"].iloc[0] if len(row) else costing.CostStatus.NO_COST_DATA
            sentences.append(f"{service} has no cost per user in {ctx.q(quarter)}: {status}.")
            continue
        r = row.iloc[0]
        value = r["cost_per_user_month"] * (12 if yearly else 1)
        figures.append(ctx.fig("cost_per_user_month", value,
                               f"{service}: cost per user per {per}", quarter, service,
                               ctx.unit(f"per user per {per}")))
        text = f"{service} costs {ctx.per_user(value)} per user per {per} {when}"
        if yearly:
            text += f" ({ctx.per_user(r['cost_per_user_month'])} a month × 12)"
        text += f": {ctx.total(r['total_cost'])} in total for {r['users']:,.0f} users"
        if units.get(service, "user") not in ("user", "users"):
            text += f" (a user is a {units[service]})"
        sentences.append(text + ".")
        hows.append(
            f"{service}, {ctx.q(quarter)}: total cost {ctx.total(r['total_cost'])} (direct "
            f"{ctx.total(r['direct_cost'])} + allocated share of shared costs "
            f"{ctx.total(r['allocated_cost'])}) ÷ {r['users']:,.0f} users ÷ {MONTHS} months"
            f" = {ctx.per_user(r['cost_per_user_month'])} per user per month"
            + (" × 12 for a year" if yearly else "") + ".")
        if len(q.services) == 1:
            figures += [ctx.fig("total_cost", r["total_cost"], f"{service}: total cost",
                                quarter, service),
                        ctx.fig("users", r["users"], f"{service}: users", quarter, service,
                                "users")]
    history = cpu[cpu["service"].isin(q.services)]
    tbl = ctx.table(history, "quarter service users total_cost cost_per_user_month "
                             "comparable_cost_per_user_month status", quarter="Quarter",
                    service="Service", status="Status")
    chart = charts.lines(history, "quarter", "cost_per_user_month",
                         "service" if len(q.services) > 1 else None,
                         f"Cost per user per month: {names_list(q.services)}",
                         ctx.currency, highlight_x=quarter)
    return ctx.done("cost_per_user", " ".join(sentences), figures, tbl, chart, " ".join(
        ["costing.cost_per_user (cost per user per month = total cost ÷ users ÷ 3).", *hows]),
        period)


def _it_per_user(ctx: Context, period: Period) -> Answer:
    """All of IT per person, as the Overview's tile: total cost ÷ headcount ÷ 3."""
    quarter = period.last
    by_q = ctx.facts(quarter).cost_by_quarter
    row = by_q[by_q["quarter"] == quarter]
    if row.empty or not row["people"].iloc[0] > 0:
        return plain(ctx, "cost_per_user", f"There is no usage data for {ctx.q(quarter)}, so "
                     "IT cost per person cannot be worked out.", period, "cost data",
                     "total_cost")
    yearly = ctx.query.period == "year"
    per = "year" if yearly else "month"
    by_q = by_q.assign(per_person=by_q["cost_per_person_month"] * (12 if yearly else 1))
    r = by_q[by_q["quarter"] == quarter].iloc[0]
    sentence = (f"IT costs {ctx.per_user(r.per_person)} per person per {per} in "
                f"{ctx.q(quarter)}: {ctx.total(r.total_cost)} for about {r.people:,.0f} people.")
    figures = (ctx.fig("cost_per_person_month", r.per_person, f"IT cost per person per {per}",
                       quarter, unit=ctx.unit(f"per user per {per}")),
               ctx.fig("total_cost", r.total_cost, "Total IT cost", quarter),
               ctx.fig("people", r.people, "Headcount", quarter, unit="users"))
    tbl = ctx.table(by_q, "quarter total_cost people per_person", quarter="Quarter",
                    like={"per_person": "cost_per_person_month"},
                    per_person=f"Per person per {per} ({ctx.currency})")
    chart = charts.lines(by_q, "quarter", "per_person", None, f"IT cost per person per {per}",
                         ctx.currency, highlight_x=quarter)
    how = (f"costing.total_cost summed over every row for {ctx.q(quarter)} (the ledger) ÷ "
           "headcount (support.headcount: the largest user count of any service) ÷ 3 months"
           + (" × 12" if yearly else "") + ", as the Overview's tile.")
    return ctx.done("cost_per_user", sentence, figures, tbl, chart, how, period,
                    follow="total_cost")


# ---- total cost ----------------------------------------------------------------------------

@over_period("total_cost", annual=True)
def total_cost(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    totals = costing.total_cost(ctx.dataset)
    in_period = totals[totals["quarter"].isin(period.quarters)]
    monthly = q.period == "month" and not q.per_user
    scale = 1 / (MONTHS * len(period.quarters)) if monthly else 1.0
    a_month = " a month" if monthly else ""
    unit = ctx.unit("per month" if monthly else "")
    span, quarter = ctx.span(period), sole_quarter(period)
    figures, sentences = [], []
    for service in q.services:
        rows = in_period[in_period["service"] == service]
        if rows.empty:
            sentences.append(f"{service} has no cost lines {span}.")
            continue
        value = rows["total_cost"].sum() * scale
        figures.append(ctx.fig("total_cost", value, f"{service}: total cost{a_month}", quarter,
                               service, unit))
        text = (f"{service} cost {ctx.total(value)}" + (" a month on average" if monthly else "")
                + f" {span} (direct {ctx.total(rows['direct_cost'].sum() * scale)} + "
                f"{ctx.total(rows['allocated_cost'].sum() * scale)} allocated share of "
                "shared costs)")
        if quarter is not None:
            row = costing.cost_per_user(ctx.dataset, quarter)
            row = row[(row["service"] == service) & (row["status"] == costing.CostStatus.OK)]
            if len(row):
                text += (f"; that is {ctx.per_user(row['cost_per_user_month'].iloc[0])} per "
                         "user per month")
        sentences.append(text + ".")
    if q.services:
        shown = totals[totals["service"].isin(q.services)]
        tbl = ctx.table(shown, "quarter service direct_cost allocated_cost total_cost",
                        quarter="Quarter", service="Service")
        chart = charts.bar(shown["quarter"] + " " + shown["service"], shown["total_cost"],
                           f"Total cost by quarter: {names_list(q.services)}", ctx.currency,
                           highlight=[f"{p} {s}" for p in period.quarters for s in q.services],
                           horizontal=False)
        what = "rows of the services named"
    else:
        value = in_period["total_cost"].sum() * scale
        unallocated = in_period.loc[in_period["service"] == UNALLOCATED, "total_cost"].sum()
        n = in_period.loc[in_period["service"] != UNALLOCATED, "service"].nunique()
        org = ctx.dataset.settings.organization or "The organisation"
        sentence = (f"{possessive(org)} IT cost {ctx.total(value)}"
                    + (" a month on average" if monthly else "") + f" {span}, across {n} services")
        if unallocated:
            sentence += f", of which {ctx.total(unallocated * scale)} could not be allocated"
        elif "unallocated" in q.words or "allocated" in q.words:
            sentence += "; all of it is allocated to services"
        sentences.append(sentence + ".")
        if q.unknown:
            sentences.append(f"(The data says nothing about {names_list(q.unknown)}: "
                             "this is IT cost alone.)")
        figures.append(ctx.fig("total_cost", value, f"Total IT cost{a_month}", quarter,
                               unit=unit))
        by_service = (in_period.groupby("service", as_index=False)[
            ["direct_cost", "allocated_cost", "total_cost"]].sum()
            .sort_values("total_cost", ascending=False))
        tbl = ctx.table(by_service, "service direct_cost allocated_cost total_cost",
                        service="Service")
        chart = charts.bar(by_service["service"], by_service["total_cost"],
                           f"Total cost by service, {period.label}", ctx.currency)
        what = "every row, the Unallocated line included, so it equals the ledger"
    how = (f"costing.total_cost (direct + allocated), summed over {what}, for "
           f"{', '.join(ctx.q(x) for x in period.quarters)}"
           + (f", ÷ {MONTHS * len(period.quarters)} months for a monthly average" if monthly
              else "") + ".")
    return ctx.done("total_cost", " ".join(sentences), figures, tbl, chart, how, period)


# ---- rankings ------------------------------------------------------------------------------

def _ranked(q, frame: pd.DataFrame, column: str) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """``frame`` sorted by ``column`` the way the question asks (``least`` first or most),
    and its top rows (``top N``, one for "which service", else three)."""
    least = q.direction == "least"
    rows = frame.dropna(subset=[column]).sort_values([column, "service"],
                                                     ascending=[least, True], ignore_index=True)
    return rows, rows.head(q.top_n or (1 if q.singular else 3)), least


@over_period("ranking")
def ranking(ctx: Context, period: Period) -> Answer:
    q, quarter = ctx.query, period.last
    per_user = q.measure != "total" and _per_user_words(ctx)
    column, what = _measure(per_user)
    cpu = costing.cost_per_user(ctx.dataset, quarter)
    cpu = cpu[cpu["service"] != UNALLOCATED]
    rows, top, least = _ranked(q, cpu[cpu["status"] == costing.CostStatus.OK] if per_user
                               else cpu, column)
    measure = "per user per month" if per_user else "in total"
    word = ("cheapest" if least else "most expensive") if per_user else (
        "least costly" if least else "costliest")
    listed = [f"{r.service} ({ctx.fmt(column, getattr(r, column))})"
              for r in top.itertuples(index=False)]
    sentence = (f"The {word} service {measure} in {ctx.q(quarter)} is {listed[0]}."
                if len(top) == 1 else f"The {len(top)} {word} services {measure} in "
                f"{ctx.q(quarter)} are {names_list(listed)}.")
    for service in q.services:
        place = rows.index[rows["service"] == service]
        if len(place):
            sentence += (f" {service} is {_ordinal(int(place[0]) + 1)} of {len(rows)}"
                         + (" from the cheapest." if least else "."))
    figures = [ctx.fig(column, getattr(r, column), f"{r.service}: cost {measure}", quarter,
                       r.service) for r in top.head(5).itertuples(index=False)]
    shown = rows.head(q.top_n) if q.top_n else rows
    tbl = ctx.table(shown.assign(rank=np.arange(1, len(shown) + 1)),
                    "rank service users total_cost cost_per_user_month", rank="Rank",
                    service="Service")
    chart = charts.bar(shown["service"], shown[column],
                       f"Cost {measure} by service, {ctx.q(quarter)}", ctx.currency,
                       highlight=list(top["service"]) + list(q.services))
    how = (f"costing.cost_per_user for {ctx.q(quarter)}, services ranked by {what} "
           f"({'lowest' if least else 'highest'} first)"
           + (", leaving out services without users" if per_user else "")
           + f"; the table also shows {_measure(not per_user)[1]}.")
    return ctx.done("ranking", sentence, figures, tbl, chart, how, period,
                    per_user=per_user)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ---- trends --------------------------------------------------------------------------------

def trend(ctx: Context) -> Answer:
    """A measure over the quarters asked for: a service's, IT's (the Overview's totals), or
    every service's change ("which services got more expensive")."""
    q = ctx.query
    available = quarters_of(ctx.dataset, "costs")
    span = _trend_span(ctx, available)
    if not span:
        return no_data(ctx, "trend", "cost data", ctx.period(available) if available else None,
                       available)
    per_user = _per_user_words(ctx) and q.measure != "total" and bool(q.services or q.plural)
    measure, what = _measure(per_user)
    if not q.services and q.plural:
        return _trend_ranking(ctx, measure, what, span)
    if q.services:
        frame = costing.cost_trend(ctx.dataset, measure)
        frame = frame[frame["service"].isin(q.services) & frame["quarter"].isin(span)]
        source = f"costing.cost_trend(measure='{measure}')"
    else:  # IT's total per quarter, as the Overview has it
        by_q = ctx.facts(None).cost_by_quarter[["quarter", "total_cost"]].sort_values("quarter")
        by_q = by_q.assign(service=IT, previous=by_q["total_cost"].shift(1),
                           previous_quarter=by_q["quarter"].shift(1))
        by_q["qoq_change"] = by_q["total_cost"] - by_q["previous"]
        by_q["qoq_pct"] = by_q["qoq_change"] / by_q["previous"].abs() * 100
        frame = by_q[by_q["quarter"].isin(span)]
        source = "costing.total_cost summed over every service per quarter"
    subjects = list(q.services) or [IT]
    when = _span_words(ctx, span)
    figures, sentences = [], []
    for subject in subjects:
        rows = frame[frame["service"] == subject].dropna(subset=[measure])
        name, service = ("IT", None) if subject == IT else (subject, subject)
        if rows.empty:
            sentences.append(f"{name} has no {what} in {when}.")
            continue
        first, last = rows.iloc[0], rows.iloc[-1]
        now = ctx.fig(measure, last[measure], f"{name}: {what}", last["quarter"], service)
        if q.since_previous or len(rows) == 1:
            text = f"{possessive(name)} {what} was {now.formatted} in {ctx.q(last['quarter'])}"
            if pd.notna(last.get("previous", np.nan)):
                text += (f", {moved(last['qoq_change'], same='stayed the same,')} "
                         f"{ctx.fmt(measure, abs(last['qoq_change']))} "
                         f"({signed_pct(last['qoq_pct'])}) from "
                         f"{ctx.fmt(measure, last['previous'])} in "
                         f"{ctx.q(last['previous_quarter'])}")
            sentences.append(text + ".")
            figures += [ctx.fig("qoq", last.get("qoq_pct", np.nan),
                                f"{name}: {what}, change on the previous quarter",
                                last["quarter"], service, "%", signed_pct(last.get(
                                    "qoq_pct", np.nan))), now]
            continue
        change = last[measure] - first[measure]
        change_pct = change / abs(first[measure]) * 100 if first[measure] else np.nan
        then = ctx.fig(measure, first[measure], f"{name}: {what}", first["quarter"], service)
        text = (f"{possessive(name)} {what} {moved(change, 'went up', 'went down')} from "
                f"{then.formatted} in {ctx.q(first['quarter'])} to {now.formatted} in "
                f"{ctx.q(last['quarter'])} ({signed_pct(change_pct)})")
        recent = [f"{signed_pct(last[c])} on {words}" for c, words in (
            ("qoq_pct", "the previous quarter"), ("yoy_pct", "a year before"))
            if pd.notna(last.get(c, np.nan))]
        if recent:
            text += f". In {ctx.q(last['quarter'])} it changed " + " and ".join(recent)
        sentences.append(text + ".")
        figures += [ctx.fig("change_pct", change_pct, f"{name}: change in {what}, "
                            f"{first['quarter']} to {last['quarter']}", last["quarter"],
                            service, "%", signed_pct(change_pct)), now, then]
    tbl = ctx.table(frame, ["quarter", "service", measure, "qoq_change", "qoq_pct"]
                    + (["yoy_pct"] if "yoy_pct" in frame else []),
                    like={"qoq_change": _change_of(measure, "qoq_change")}, quarter="Quarter",
                    service="Service", qoq_change=f"Change on previous quarter "
                    f"({ctx.currency})", qoq_pct="Change on previous quarter (%)",
                    yoy_pct="Change on a year before (%)")
    chart = charts.lines(frame, "quarter", measure, "service" if len(subjects) > 1 else None,
                         f"{what.capitalize()} by quarter: {names_list(subjects)}",
                         ctx.currency)
    how = f"{source} for {when}" + ("; the change is the last quarter against the first, "
                                    "relative to the first." if q.services else ".")
    return ctx.done("trend", " ".join(sentences), figures, tbl, chart, how)


def _change_of(measure: str, total: str = "change") -> str:
    """The measure a change in ``measure`` is written as: ``total`` (whole money) for totals,
    cents for per-user costs."""
    return "cost_per_user_change" if MEASURES[measure].unit == Unit.MONEY_PER_USER else total


def _trend_ranking(ctx: Context, measure: str, what: str, span: list[str]) -> Answer:
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
    top = ranked[(ranked["change_pct"] < 0) if down else (ranked["change_pct"] > 0)].head(
        q.top_n or 3)
    when = _span_words(ctx, span)
    sentence = (f"No service's {what} went {'down' if down else 'up'} from {when}."
                if top.empty else f"From {when}, the {what} of " + names_list(
                    [f"{r.service} ({signed_pct(r.change_pct)})"
                     for r in top.itertuples(index=False)])
                + f" {'fell' if down else 'rose'} the most.")
    figures = [ctx.fig("change_pct", r.change_pct, f"{r.service}: change in {what}, "
                       f"{r.first_quarter} to {r.last_quarter}", r.last_quarter, r.service,
                       "%", signed_pct(r.change_pct)) for r in top.itertuples(index=False)]
    money = f" ({ctx.currency})"
    tbl = ctx.table(ranked, "service first_quarter first last_quarter last change change_pct",
                    like={"first": measure, "last": measure, "change": _change_of(measure)},
                    service="Service", first_quarter="From", first="Then" + money,
                    last_quarter="To", last="Now" + money, change="Change" + money,
                    change_pct="Change (%)")
    chart = charts.bar(ranked["service"], ranked["change_pct"], f"Change in {what}, {when} (%)",
                       "%", highlight=list(top["service"]))
    how = (f"costing.cost_trend(measure='{measure}') for {when}: each service's last quarter "
           "against its first, relative to the first.")
    return ctx.done("trend", sentence, figures, tbl, chart, how)


def _trend_span(ctx: Context, available: list[str]) -> list[str]:
    """The quarters a trend covers: all by default, else the range or year asked for ("since
    2025-Q1": from then to now)."""
    if ctx.query.time.kind in ("default", "latest"):
        return available
    got = ctx.period(available).quarters
    if ctx.query.time.kind == "quarters" or len(got) == 1:
        return [x for x in available if got and got[0] <= x <= (got[-1] if len(got) > 1
                                                                else x)]
    return list(got)


def _span_words(ctx: Context, span: list[str]) -> str:
    return f"{ctx.q(span[0])} to {ctx.q(span[-1])}" if len(span) > 1 else ctx.q(span[0])


# ---- why a service costs what it does --------------------------------------------------------

@over_period("explain")
def explain(ctx: Context, period: Period) -> Answer:
    """The Services page's explanation of the service's cost (:meth:`Facts.explanation`)."""
    service, quarter = ctx.query.services[0], period.last
    e = ctx.facts(quarter).explanation(service)
    figures = [ctx.fig("cost_per_user_month", e.cost_per_user_month,
                       f"{service}: cost per user per month", quarter, service)
               ] if e.status == costing.CostStatus.OK else []
    if pd.notna(e.total_cost):
        figures.append(ctx.fig("total_cost", e.total_cost, f"{service}: total cost", quarter,
                               service))
    if len(e.lines):
        figures.append(ctx.fig("amount", e.lines["amount"].iloc[0],
                               f"{service}: largest cost line", quarter, service))
    tbl = ctx.table(e.lines, "method cost_pool note amount pct_of_total per_user_month "
                             "source_sheet source_row", method="How", cost_pool="Cost pool",
                    note="Note", source_sheet="Sheet")
    pools = e.lines.groupby("cost_pool", as_index=False)["amount"].sum().sort_values(
        "amount", ascending=False)
    chart = charts.bar(pools["cost_pool"], pools["amount"],
                       f"{service}: cost by pool, {ctx.q(quarter)}", ctx.currency)
    how = (f"costing.explain_cost for {service} in {ctx.q(quarter)}: its own cost lines plus "
           "its share of each shared line (method and share shown), largest first.")
    return ctx.done("explain", explanation_text(e, ctx.currency), figures, tbl, chart, how, period)


# ---- users ---------------------------------------------------------------------------------

@over_period("users", "usage", "usage data")
def users(ctx: Context, period: Period) -> Answer:
    q, quarter = ctx.query, period.last
    if q.services or q.direction or q.plural:
        return _users_of_services(ctx, period)
    by_q = support.headcount(ctx.dataset).rename(columns={"users": "people"})
    row = by_q[by_q["quarter"] == quarter]
    n = float(row["people"].iloc[0]) if len(row) else np.nan
    sentence = (f"About {n:,.0f} people use IT in {ctx.q(quarter)} (the headcount: the largest "
                "user count of any service in the quarter).")
    tbl = ctx.table(by_q, "quarter people", quarter="Quarter")
    chart = charts.lines(by_q, "quarter", "people", None, "Headcount by quarter", "People")
    how = "support.headcount: the largest user count of any service in the quarter."
    return ctx.done("users", sentence, [ctx.fig("people", n, "Headcount", quarter,
                                                unit="users")], tbl, chart, how, period,
                    "usage data")


def _users_of_services(ctx: Context, period: Period) -> Answer:
    """Users of the services named over the quarters, or every service ranked."""
    q, quarter = ctx.query, period.last
    ub = costing.users_by_service(ctx.dataset)
    if q.services:
        now = ub[ub["quarter"] == quarter].set_index("service")["users"]
        parts = [f"{s} has {now[s]:,.0f} users in {ctx.q(quarter)}." if s in now else
                 f"{s} has no usage rows in {ctx.q(quarter)}." for s in q.services]
        figures = [ctx.fig("users", now[s], f"{s}: users", quarter, s, "users")
                   for s in q.services if s in now]
        shown = ub[ub["service"].isin(q.services)]
        tbl = ctx.table(shown, "quarter service users", quarter="Quarter", service="Service")
        chart = charts.lines(shown, "quarter", "users",
                             "service" if len(q.services) > 1 else None,
                             f"Users: {names_list(q.services)}", "Users")
        how = "costing.users_by_service: the sum of the service's Usage rows in the quarter."
        return ctx.done("users", " ".join(parts), figures, tbl, chart, how, period,
                        "usage data")
    ranked, top, least = _ranked(q, ub[ub["quarter"] == quarter], "users")
    listed = [f"{r.service} ({r.users:,.0f})" for r in top.itertuples(index=False)]
    sentence = (f"The service{'s' if len(top) > 1 else ''} with the "
                f"{'fewest' if least else 'most'} users in {ctx.q(quarter)}: "
                f"{names_list(listed)}.")
    figures = [ctx.fig("users", r.users, f"{r.service}: users", quarter, r.service, "users")
               for r in top.itertuples(index=False)]
    chart = charts.bar(ranked["service"], ranked["users"], f"Users by service, "
                       f"{ctx.q(quarter)}", "Users", highlight=list(top["service"]))
    how = (f"costing.users_by_service for {ctx.q(quarter)}: the sum of each service's Usage "
           "rows.")
    return ctx.done("users", sentence, figures, ctx.table(ranked, "service users",
                                                          service="Service"),
                    chart, how, period, "usage data")


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
    span, quarter = ctx.span(period), sole_quarter(period)
    named = [p for p in q.pools if p != "*"]
    figures, parts = [], []
    for pool in named:
        row = by_pool[by_pool["cost_pool"] == pool]
        value, share = (float(row[c].iloc[0]) if len(row) else 0.0
                        for c in ("total_cost", "share"))
        services = (rows[rows["cost_pool"] == pool].groupby("service")["total_cost"].sum()
                    .sort_values(ascending=False).head(3))
        text = f"{pool} cost {ctx.total(value)} {span}, {pct(share)} of all IT cost"
        if len(services):
            text += ", mostly " + names_list([f"{s} ({ctx.total(v)})"
                                              for s, v in services.items()])
        parts.append(text + ".")
        figures += [ctx.fig("total_cost", value, f"{pool}: cost", quarter),
                    ctx.fig("share", share, f"{pool}: share of IT cost", quarter)]
    if not named:
        top = by_pool.head(q.top_n or 3)
        parts.append(f"The biggest cost pools {span} are " + names_list([
            f"{r.cost_pool} ({ctx.total(r.total_cost)}, {pct(r.share)})"
            for r in top.itertuples(index=False)]) + f", of {ctx.total(total)} in all.")
        figures += [ctx.fig("total_cost", r.total_cost, f"{r.cost_pool}: cost", quarter)
                    for r in top.itertuples(index=False)]
    tbl = ctx.table(by_pool, "cost_pool total_cost share", cost_pool="Cost pool (TBM)",
                    total_cost="Cost", share="% of IT cost")
    chart = charts.bar(by_pool["cost_pool"], by_pool["total_cost"],
                       f"IT cost by cost pool, {period.label}", ctx.currency, highlight=named)
    how = ("costing.cost_by_pool: every ledger line in its TBM cost pool (allocated shares keep "
           "the pool of their line), summed over all services for "
           f"{', '.join(ctx.q(x) for x in period.quarters)}.")
    return ctx.done("cost_pools", " ".join(parts), figures, tbl, chart, how, period)


# ---- showback ------------------------------------------------------------------------------

@over_period("showback", annual=True)
def showback(ctx: Context, period: Period) -> Answer:
    """A unit's share of the cost (the page's showback), or every unit's."""
    q, unit = ctx.query, ctx.query.business_unit
    sb = ctx.facts(None).showback_all
    sb = sb[sb["quarter"].isin(period.quarters)]
    span, quarter = ctx.span(period), sole_quarter(period)
    quarters = ", ".join(ctx.q(x) for x in period.quarters)
    how = ("costing.showback: each service's total cost split across business units in "
           "proportion to their users of it (Usage), summed ")
    if unit:
        rows = sb[sb["business_unit"] == unit]
        if q.services:
            rows = rows[rows["service"].isin(q.services)]
        scope = names_list(q.services) if q.services else "any service"
        if rows.empty:
            return plain(ctx, "showback", f"{unit} has no users of {scope} {span} in the "
                         "Usage sheet, so no cost is shown back to it.", period, "cost data")
        by_service = (rows.groupby("service", as_index=False)[["users", "cost"]].sum()
                      .sort_values("cost", ascending=False, ignore_index=True))
        if len(period.quarters) > 1:
            by_service["users"] = np.nan  # users do not add up across quarters
        value = float(rows["cost"].sum())
        top = by_service.head(3) if not q.services else by_service.head(0)
        sentence = (f"{possessive(unit)} share of the cost for "
                    f"{names_list(q.services) if q.services else 'IT'} {span} is "
                    f"{ctx.total(value)}")
        if len(top):
            sentence += ", mostly " + names_list([f"{r.service} ({ctx.total(r.cost)})"
                                                  for r in top.itertuples(index=False)])
        sentence += ", in proportion to its users of each service."
        figures = [ctx.fig("cost", value, f"{unit}: IT cost (showback)", quarter)]
        figures += [ctx.fig("cost", r.cost, f"{unit}: {r.service}", quarter, r.service)
                    for r in top.itertuples(index=False)]
        tbl = ctx.table(by_service, "service users cost", service="Service",
                        users=f"Users in {unit}")
        chart = charts.bar(by_service["service"], by_service["cost"],
                           f"{unit}: IT cost by service, {period.label}", ctx.currency)
        how += f"for {unit} over {quarters}."
    else:
        rows = sb[sb["service"].isin(q.services)] if q.services else sb
        by_unit = (rows.groupby("business_unit", as_index=False)["cost"].sum()
                   .sort_values("cost", ascending=False, ignore_index=True))
        least = q.direction == "least"
        ranked = by_unit[by_unit["business_unit"] != "Unassigned"].sort_values(
            "cost", ascending=least, ignore_index=True)
        listed = [f"{r.business_unit} ({ctx.total(r.cost)})"
                  for r in ranked.head(3).itertuples(index=False)]
        sentence = (f"Showback of {names_list(q.services) if q.services else 'IT'} {span}: "
                    + names_list(listed) + (" pay the least." if least else " pay the most."))
        unassigned = by_unit.loc[by_unit["business_unit"] == "Unassigned", "cost"].sum()
        if unassigned:
            sentence += (f" {ctx.total(unassigned)} is not assigned to a business unit (no "
                         "usage data, or shared cost left unallocated).")
        figures = [ctx.fig("cost", r.cost, f"{r.business_unit}: IT cost (showback)", quarter)
                   for r in ranked.head(3).itertuples(index=False)]
        tbl = ctx.table(by_unit.assign(share=by_unit["cost"] / by_unit["cost"].sum() * 100),
                        "business_unit cost share", business_unit="Business unit",
                        share="% of total")
        chart = charts.bar(by_unit["business_unit"], by_unit["cost"],
                           f"IT cost by business unit, {period.label}", ctx.currency)
        how += f"per business unit over {quarters}."
    return ctx.done("showback", sentence, figures, tbl, chart, how, period)


# ---- what changed ----------------------------------------------------------------------------

@over_period("changes")
def changes(ctx: Context, period: Period) -> Answer:
    """The Overview's quarter against the one before: IT's total, the services that moved
    most, the proactive share and the services that changed quadrant."""
    current = period.last
    previous = shift_quarter(current, -1)
    if previous not in quarters_of(ctx.dataset, "costs"):
        return plain(ctx, "changes", f"There is no quarter before {ctx.q(current)} to compare "
                     "with.", period, "cost data")
    facts = ctx.facts(current)
    by_q = facts.cost_by_quarter.set_index("quarter")["total_cost"]
    now, before = by_q[current], by_q[previous]
    change = now - before
    change_pct = change / abs(before) * 100 if before else np.nan
    trend_frame = costing.cost_trend(ctx.dataset, "total_cost")
    moved_rows = trend_frame[(trend_frame["quarter"] == current)
                             & (trend_frame["service"] != UNALLOCATED)].dropna(
        subset=["qoq_change"])
    moved_rows = moved_rows[moved_rows["qoq_change"].round(2) != 0]
    moved_rows = moved_rows.assign(size=moved_rows["qoq_change"].abs()).sort_values(
        ["size", "service"], ascending=[False, True], ignore_index=True)
    top = moved_rows.head(3)
    sentence = (f"From {ctx.q(previous)} to {ctx.q(current)}, total IT cost "
                + (f"stayed at {ctx.total(now)}." if round(change, 2) == 0 else
                   f"{moved(change)} {ctx.total(abs(change))} ({signed_pct(change_pct)}) to "
                   f"{ctx.total(now)}."))
    if len(top):
        sentence += " Biggest changes: " + names_list([
            f"{r.service} {ctx.signed(r.qoq_change)} ({signed_pct(r.qoq_pct)})"
            for r in top.itertuples(index=False)]) + "."
    label = "Change in total IT cost on the previous quarter"
    figures = [ctx.fig("total_cost", change, label, current, text=ctx.signed(change)),
               ctx.fig("change_pct", change_pct, f"{label} (%)", current, unit="%",
                       text=signed_pct(change_pct))]
    figures += [ctx.fig("total_cost", r.qoq_change, f"{r.service}: change in total cost",
                        current, r.service, text=ctx.signed(r.qoq_change))
                for r in top.itertuples(index=False)]
    how = [f"costing.total_cost for {ctx.q(previous)} and {ctx.q(current)} (every row, "
           "Unallocated included); costing.cost_trend(measure='total_cost') for each "
           "service's change on the previous quarter, largest changes first."]
    share = facts.proactive().set_index("quarter")["proactive_share_pct"]
    if share.reindex([previous, current]).notna().all():
        a, b = share[previous], share[current]
        sentence += (f" The proactive share of support went from {pct(a)} to {pct(b)} "
                     f"({points(b - a)}).")
        figures.append(ctx.fig("points", b - a, "Change in proactive share of support",
                               current, unit="percentage points", text=points(b - a)))
        how.append("support.proactive_share for both quarters.")
    both = portfolio.cost_vs_value(ctx.dataset, current).merge(
        portfolio.cost_vs_value(ctx.dataset, previous), on="service", suffixes=("", "_before"))
    shifted = both[both["quadrant"].notna() & both["quadrant_before"].notna()
                   & (both["quadrant"] != both["quadrant_before"])]
    sentence += (" Moved quadrant: " + names_list([
        f"{r.service} ({r.quadrant_before} → {r.quadrant})"
        for r in shifted.itertuples(index=False)]) + "." if len(shifted)
        else " No service changed cost-vs-value quadrant.")
    how.append("portfolio.cost_vs_value for both quarters, compared service by service.")
    money = f" ({ctx.currency})"
    tbl = ctx.table(moved_rows, "service previous total_cost qoq_change qoq_pct",
                    like={"previous": "total_cost"}, service="Service",
                    previous=ctx.q(previous) + money,
                    total_cost=ctx.q(current), qoq_change="Change" + money,
                    qoq_pct="Change (%)")
    chart = charts.bar(moved_rows["service"], moved_rows["qoq_change"],
                       f"Change in total cost, {ctx.q(previous)} to {ctx.q(current)}",
                       ctx.currency, highlight=list(top["service"]))
    return ctx.done("changes", sentence, figures, tbl, chart, " ".join(how), period)
