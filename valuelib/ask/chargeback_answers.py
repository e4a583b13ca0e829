"""Answers about IT as a service provider: what a business unit pays (its Bill of IT), which
services do not pay for themselves (cost recovery), which tier a unit is on, and the
line-driven share of IT. Figures are the Chargeback page's (:class:`Facts`: ``charges_all``,
``statement``, ``recovery``, ``line_driven``), i.e. ``valuelib.chargeback``'s.

Without an Offerings sheet nothing is charged, and every answer says so first; "what does
Sales pay for IT?" then gives the unit's showback, as it did before there were tiers."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .. import chargeback
from ..chargeback import Basis, RecoveryStatus
from ..present import fmt_measure
from . import charts, cost
from .common import (
    Context,
    asked,
    count,
    names_list,
    no_data,
    over_period,
    pct,
    plain,
    points,
    possessive,
    quarters_of,
)
from .reading import Period
from .result import Answer

NO_TIERS = "The workbooks hold no tiers (Offerings sheet)"
_ADD_TIERS = ("Add an Offerings sheet (each service's tiers and prices) and a Subscriptions "
              "sheet (which unit takes which tier) to charge for IT.")


def _charge_period(ctx: Context, intent: str) -> Period | Answer:
    """The period asked about among the quarters with charges, or the answer saying there
    are none for it."""
    available = sorted(ctx.facts(None).charges_all["quarter"].dropna().unique())
    period = ctx.period(available)
    if not period.quarters:
        return no_data(ctx, intent, "charges", period, available)
    with_cost = [x for x in available if x in set(quarters_of(ctx.dataset, "costs"))]
    if period.assumed and with_cost and period.last not in with_cost:
        # no quarter named: the latest with cost data too, as the other answers and the
        # pages take it (a quarter of subscriptions alone is still being filled in)
        period = ctx.period(with_cost)
    return period


def _scope(ctx: Context) -> str:
    return names_list(list(ctx.query.services)) if ctx.query.services else "IT"


def _commitments(row) -> str:
    """What a tier commits to, in words: '99.50% availability, 8x5 support, a 4h response,
    25 GB of storage'."""
    parts = []
    if pd.notna(row.get("availability_target")):
        parts.append(f"{fmt_measure('availability_target', row['availability_target'])} "
                     "availability")
    if pd.notna(row.get("support_hours")):
        parts.append(f"{row['support_hours']} support")
    if pd.notna(row.get("response_time")):
        parts.append(f"a {row['response_time']} response")
    if pd.notna(row.get("storage_gb")):
        parts.append(f"{fmt_measure('storage_gb', row['storage_gb'])} GB of storage")
    return names_list(parts)


# ---- what a unit pays: its Bill of IT ------------------------------------------------------

def bill(ctx: Context) -> Answer:
    """"What does Sales pay for IT?": the unit's Bill of IT (its statement's total, year to
    date and top lines, against its showback); without a unit, every unit's charges. Without
    tiers, the showback, said so."""
    if not ctx.facts(None).has_tiers:
        shown = cost.showback(ctx)
        if not shown.understood:
            return replace(shown, intent="charges")
        return replace(shown, intent="charges", sentence=(
            f"{NO_TIERS}, so no business unit is charged: this is the showback, each unit's "
            f"share of the cost by its users. {shown.sentence}"))
    period = _charge_period(ctx, "charges")
    if isinstance(period, Answer):
        return period
    unit = ctx.query.business_unit
    return _unit_bill(ctx, period, unit) if unit else _units_bill(ctx, period)


def _unit_rows(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    return frame[frame["business_unit"].eq(unit).to_numpy(dtype=bool, na_value=False)]


def _unit_bill(ctx: Context, period: Period, unit: str) -> Answer:
    q = ctx.query
    charged = ctx.facts(None).charges_all
    rows = _unit_rows(charged[charged["quarter"].isin(period.quarters)], unit)
    if q.services:
        rows = rows[rows["service"].isin(q.services)]
    span, quarter = ctx.span(period), period.last
    if rows.empty:
        return plain(ctx, "charges", f"{unit} is charged nothing for {_scope(ctx)} {span}: it "
                     "has no subscriptions (and no users of a service with tiers).", period,
                     "charges", follow="charges")
    one_quarter = len(period.quarters) == 1
    if one_quarter:
        statement = ctx.facts(quarter).statement(unit)
        lines = statement.lines
        if q.services:
            lines = lines[lines["service"].isin(q.services)]
    else:
        statement = None
        lines = rows.groupby(["service", "tier"], as_index=False).agg(
            users=("users", "max"), price_per_user_month=("price_per_user_month", "last"),
            charge=("charge", lambda c: c.sum(min_count=1)))
        lines = lines.assign(users=float("nan"))  # users do not add up across quarters
    total = float(lines["charge"].sum())
    top = lines[lines["charge"] > 0].sort_values("charge", ascending=False).head(3)
    sentence = f"{unit} is charged {ctx.total(total)} for {_scope(ctx)} {span}"
    figures = [ctx.fig("charge", total, f"{unit}: charges for {_scope(ctx)}", quarter)]
    if statement is not None:
        ytd = float(lines["charge_year_to_date"].sum())
        if len(statement.year_quarters) > 1:
            sentence += f" ({ctx.total(ytd)} in the fiscal year to date)"
            figures.append(ctx.fig("charge_year_to_date", ytd, f"{unit}: charges, fiscal year "
                                   "to date", quarter))
    if len(top):
        parts = []
        for r in top.itertuples(index=False):
            part = f"{r.service} {r.tier} {ctx.total(r.charge)}"
            if one_quarter:
                part += (f" ({count(r.users, 'user')} × "
                         f"{ctx.fmt('tier_price_per_user_month', r.price_per_user_month)} × 3)")
            parts.append(part)
            figures.append(ctx.fig("charge", r.charge, f"{unit}: {r.service} {r.tier}", quarter,
                                   r.service))
        sentence += ": " + names_list(parts)
    sentence += "."
    if statement is not None and not q.services and pd.notna(statement.showback_cost):
        diff = statement.total - statement.showback_cost
        side = "more" if diff > 0 else "less"
        sentence += (f" Its share of the cost of what it uses (showback) is "
                     f"{ctx.total(statement.showback_cost)}, so it pays "
                     f"{ctx.total(abs(diff))} {side} than that cost.")
        figures.append(ctx.fig("showback_cost", statement.showback_cost,
                               f"{unit}: share of cost (showback)", quarter))
    if statement is not None:
        notes = [n for n in statement.notes
                 if not q.services or any(n.startswith(f"{s}:") for s in q.services)]
        if notes:
            sentence += " " + " ".join(notes)
    columns = "service tier users price_per_user_month charge"
    if statement is not None:
        columns += " charge_year_to_date availability_target support_hours response_time"
    tbl = ctx.table(lines, columns, like={"price_per_user_month": "tier_price_per_user_month"},
                    service="Service", tier="Tier", support_hours="Support hours",
                    response_time="Response time")
    shown = lines.sort_values("charge", ascending=False)
    chart = charts.bar(shown["service"] + " " + shown["tier"], shown["charge"],
                       f"{possessive(unit)} Bill of IT, {period.label}", ctx.currency)
    how = (f"chargeback.statement: each line is the unit's users on a tier × the tier's price "
           f"per user per month × 3 (Subscriptions; where a quarter has none for a service, "
           f"its Usage users at the only or cheapest tier), for {unit} over "
           f"{', '.join(ctx.q(x) for x in period.quarters)}; year to date from the Settings' "
           "fiscal year start; showback from costing.showback.")
    return ctx.done("charges", sentence, figures, tbl, chart, how, period, "charges")


def _units_bill(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    charged = ctx.facts(None).charges_all
    rows = charged[charged["quarter"].isin(period.quarters)]
    if q.services:
        rows = rows[rows["service"].isin(q.services)]
    by_unit = (rows.groupby("business_unit", as_index=False)["charge"].sum()
               .sort_values(["charge", "business_unit"], ascending=[False, True],
                            ignore_index=True))
    total = float(by_unit["charge"].sum())
    span, quarter = ctx.span(period), period.last
    listed = [f"{r.business_unit} {ctx.total(r.charge)}"
              for r in by_unit.head(3).itertuples(index=False)]
    sentence = (f"Business units are charged {ctx.total(total)} for {_scope(ctx)} {span}"
                + (": " + names_list(listed) if listed else "") + ".")
    figures = [ctx.fig("charges", total, f"Charges for {_scope(ctx)}", quarter)]
    figures += [ctx.fig("charge", r.charge, f"{r.business_unit}: charges", quarter)
                for r in by_unit.head(3).itertuples(index=False)]
    tbl = ctx.table(by_unit.assign(share=by_unit["charge"] / total * 100 if total else 0.0),
                    "business_unit charge share", business_unit="Business unit",
                    share="% of charges")
    chart = charts.bar(by_unit["business_unit"], by_unit["charge"],
                       f"Charges by business unit, {period.label}", ctx.currency)
    how = ("chargeback.charges: each unit's users on a tier × the tier's price per user per "
           f"month × 3, summed per unit over {', '.join(ctx.q(x) for x in period.quarters)}.")
    return ctx.done("charges", sentence, figures, tbl, chart, how, period, "charges")


# ---- which services pay for themselves: cost recovery --------------------------------------

_OVER = ("over recovered", "overrecovered", "over recover", "overcharge", "overcharged",
         "profit", "more than they cost", "surplus")


@over_period("recovery")
def recovery(ctx: Context, period: Period) -> Answer:
    """"Which services don't pay for themselves?": the under-recovered services ranked by
    the cost their charges leave uncovered (the over-recovered ones when asked); for a named
    service, its recovery and its price against its cost per user and the best offer."""
    quarter = period.last
    facts = ctx.facts(quarter)
    if not facts.has_tiers:
        return plain(ctx, "recovery", f"{NO_TIERS}, so no service is charged for: all of IT's "
                     f"cost is overhead, and no service recovers any of it. {_ADD_TIERS}",
                     period, follow="recovery")
    r = facts.recovery
    if ctx.query.services:
        return _service_recovery(ctx, period, r[r["service"].isin(ctx.query.services)])
    over = asked(ctx.query, *_OVER)
    status = RecoveryStatus.OVER if over else RecoveryStatus.UNDER
    picked = r[r["status"] == status].sort_values("over_under", ascending=over)
    amount = float(picked["over_under"].sum())
    when = ctx.q(quarter)
    words = "over-recovered" if over else "under-recovered"
    if picked.empty:
        sentence = (f"In {when}, no service is {words}"
                    + ("." if over else ": every charged service pays for itself."))
    else:
        listed = [f"{x.service} ({pct(x.recovery_pct)} of its cost, "
                  f"{ctx.fmt('over_under', x.over_under)})"
                  for x in picked.head(3).itertuples(index=False)]
        one = len(picked) == 1
        verb = ({True: "charges more than it costs", False: "charge more than they cost"}
                if over else {True: "doesn't pay for itself",
                              False: "don't pay for themselves"})[one]
        money = ctx.total(abs(amount))
        rest = ((f"{money} above its cost" if one else f"together {money} above their cost")
                if over else (f"{money} of its cost is not recovered by charges" if one
                              else f"together {money} of their cost is not recovered by "
                                   "charges"))
        sentence = (f"In {when}, {count(len(picked), 'service')} {verb}: {names_list(listed)}"
                    + (f" and {count(len(picked) - 3, 'more')}" if len(picked) > 3 else "")
                    + f"; {rest}.")
    overhead = r[r["status"] == RecoveryStatus.NO_CHARGES]
    if len(overhead) and not over:
        sentence += (f" {count(len(overhead), 'service')} {'has' if len(overhead) == 1 else 'have'}"
                     f" no tier and {'is' if len(overhead) == 1 else 'are'} funded as overhead: "
                     f"{names_list(list(overhead['service'].head(5)))}.")
    figures = [ctx.fig("over_under", amount, f"{words.capitalize()} amount", quarter,
                       text=ctx.fmt("over_under", amount))]
    figures += [ctx.fig("recovery_pct", x.recovery_pct, f"{x.service}: cost recovery", quarter,
                        x.service) for x in picked.head(3).itertuples(index=False)]
    return _recovery_done(ctx, period, r, sentence, figures, highlight=picked["service"])


def _service_recovery(ctx: Context, period: Period, rows: pd.DataFrame) -> Answer:
    quarter, when = period.last, ctx.q(period.last)
    parts, figures = [], []
    first = None
    for x in rows.itertuples(index=False):
        if x.status == RecoveryStatus.NO_CHARGES:
            parts.append(f"{x.service} has no tier in {when}: it is not charged for, and its "
                         f"cost ({ctx.total(x.total_cost)}) is overhead.")
            continue
        if x.status == RecoveryStatus.NO_COST_DATA:
            parts.append(f"{x.service} is charged {ctx.total(x.charges)} in {when} but has no "
                         "cost lines to recover.")
            continue
        first = first or x
        if x.status == RecoveryStatus.RECOVERED:
            verdict = (f"it pays for itself (within {chargeback.RECOVERED_BAND_PCT:g}% of its "
                       "cost)")
        else:
            side = "under" if x.over_under < 0 else "over"
            verdict = f"{ctx.total(abs(x.over_under))} {side}-recovered"
        text = (f"{possessive(x.service)} charges ({ctx.total(x.charges)}) recover "
                f"{pct(x.recovery_pct)} of its cost ({ctx.total(x.total_cost)}) in {when}: "
                f"{verdict}.")
        prices = (f"Its price averages "
                  f"{ctx.fmt('tier_price_per_user_month', x.price_per_user_month)} per user "
                  f"per month against a cost of {ctx.per_user(x.cost_per_user_month)}")
        if pd.notna(x.best_market_price_per_user_month):
            prices += (f" and a best market offer of "
                       f"{ctx.per_user(x.best_market_price_per_user_month)} "
                       f"({x.best_market_offer})")
        parts.append(f"{text} {prices}.")
        figures += [ctx.fig("recovery_pct", x.recovery_pct, f"{x.service}: cost recovery",
                            quarter, x.service),
                    ctx.fig("over_under", x.over_under, f"{x.service}: over / under-recovered",
                            quarter, x.service, text=ctx.fmt("over_under", x.over_under))]
    sentence = " ".join(parts)
    if first is not None and asked(ctx.query, "pay for itself", "pay for themselves",
                                   "recover", "recovered", "cover its cost"):
        sentence = ("Yes. " if first.recovery_pct >= 100 - chargeback.RECOVERED_BAND_PCT
                    else "No. ") + sentence
    return _recovery_done(ctx, period, rows, sentence, figures, highlight=rows["service"])


def _recovery_done(ctx: Context, period: Period, r: pd.DataFrame, sentence: str, figures,
                   highlight) -> Answer:
    shown = r.sort_values(["over_under", "service"], na_position="last")
    tbl = ctx.table(shown, "service charges total_cost recovery_pct over_under status "
                    "price_per_user_month cost_per_user_month best_market_price_per_user_month",
                    like={"price_per_user_month": "tier_price_per_user_month"},
                    service="Service", status="Status")
    charted = shown.dropna(subset=["over_under"])
    chart = charts.bar(charted["service"], charted["over_under"],
                       f"Charges − cost by service, {ctx.q(period.last)}", ctx.currency,
                       highlight=list(highlight))
    how = ("chargeback.recovery: each service's charges (users × tier price × 3) ÷ its total "
           f"cost (costing.total_cost) in {ctx.q(period.last)}; within "
           f"{chargeback.RECOVERED_BAND_PCT:g} % of 100 counts as recovered; price per user "
           "is charges ÷ charged users ÷ 3, against costing.cost_per_user and "
           "market.best_offer.")
    return ctx.done("recovery", sentence, figures, tbl, chart, how, period)


# ---- which tier a unit is on ---------------------------------------------------------------

def tier(ctx: Context) -> Answer:
    """"What tier is Finance on for email?": the unit's tier of the service, its users, price,
    charge and what the tier commits to; without a unit, the service's tiers and who takes
    them; without a service, the unit's tiers."""
    if not ctx.facts(None).has_tiers:
        return plain(ctx, "tier", f"{NO_TIERS}, so no service has tiers and no unit is on one. "
                     f"{_ADD_TIERS}", follow="tier")
    period = _charge_period(ctx, "tier")
    if isinstance(period, Answer):
        return period
    q, quarter = ctx.query, period.last
    when = ctx.q(quarter)
    offered = chargeback.tiers(ctx.dataset, quarter)
    charged = ctx.facts(None).charges_all
    rows = charged[charged["quarter"] == quarter]
    unit = q.business_unit
    if unit:
        rows = _unit_rows(rows, unit)
    if q.services:
        rows = rows[rows["service"].isin(q.services)]
        offered = offered[offered["service"].isin(q.services)]
    rows = rows.merge(offered.drop(columns="price_per_user_month"), on=["service", "tier"],
                      how="left")
    if rows.empty:
        who = unit or "No business unit"
        tiers_said = "; ".join(
            f"{s}: " + names_list([f"{t.tier} ({ctx.per_user(t.price_per_user_month)})"
                                   for t in g.itertuples(index=False)])
            for s, g in offered.groupby("service", sort=False))
        sentence = (f"{who} is on no tier of {_scope(ctx)} in {when}"
                    + (f". The tiers are {tiers_said}." if tiers_said else "."))
        return plain(ctx, "tier", sentence, period, "charges", follow="tier")
    figures, parts = [], []
    if unit:
        for r in rows.sort_values("charge", ascending=False).itertuples(index=False):
            if pd.isna(r.price_per_user_month):
                parts.append(f"{r.service} {r.tier} for {count(r.users, 'user')}, a tier the "
                             f"Offerings sheet does not price in {when} (not charged)")
                continue
            basis = ""
            if r.basis != Basis.SUBSCRIPTIONS:
                how_based = "only" if r.basis == Basis.ONLY_TIER else "cheapest"
                basis = f"; no subscription: its Usage users at the {how_based} tier"
            part = (f"{r.service} {r.tier} for {count(r.users, 'user')} at "
                    f"{ctx.fmt('tier_price_per_user_month', r.price_per_user_month)} per user "
                    f"per month ({ctx.total(r.charge)} this quarter{basis})")
            promised = _commitments(pd.Series(r._asdict()))
            if promised:
                part += f", with {promised}"
            parts.append(part)
            figures += [ctx.fig("tier_price_per_user_month", r.price_per_user_month,
                                f"{unit}: {r.service} {r.tier} price per user", quarter,
                                r.service),
                        ctx.fig("users", r.users, f"{unit}: users on {r.service} {r.tier}",
                                quarter, r.service)]
        sentence = f"In {when}, {unit} is on " + "; ".join(parts) + "."
    else:  # every tier offered, with the units on it
        for t in offered.itertuples(index=False):
            g = rows[(rows["service"] == t.service) & (rows["tier"] == t.tier)]
            takers = names_list([f"{x.business_unit} {fmt_measure('users', x.users)}"
                                 for x in g.sort_values("users", ascending=False)
                                 .itertuples(index=False)])
            price = ctx.fmt("tier_price_per_user_month", t.price_per_user_month)
            parts.append(f"{t.service} {t.tier} at {price} per user per month ("
                         + (f"{takers} users" if takers else "no unit on it") + ")")
            figures.append(ctx.fig("tier_price_per_user_month", t.price_per_user_month,
                                   f"{t.service} {t.tier}: price per user", quarter,
                                   t.service))
        sentence = (f"In {when}, {count(len(offered), 'tier')} "
                    f"{'is' if len(offered) == 1 else 'are'} offered: " + "; ".join(parts) + ".")
    tbl = ctx.table(rows.sort_values(["service", "tier", "business_unit"]),
                    "service tier business_unit users price_per_user_month charge "
                    "availability_target support_hours response_time storage_gb",
                    like={"price_per_user_month": "tier_price_per_user_month"},
                    service="Service", tier="Tier", business_unit="Business unit",
                    support_hours="Support hours", response_time="Response time")
    labels = rows["service"] + " " + rows["tier"] + ("" if unit else " · " + rows["business_unit"])
    chart = charts.bar(labels, rows["users"], f"Users by tier, {period.label}", "Users")
    how = ("chargeback.charges for the quarter (Subscriptions, or Usage at the only or "
           "cheapest tier) with chargeback.tiers for what each tier commits to, in "
           f"{when}.")
    return ctx.done("tier", sentence, figures, tbl, chart, how, period, "charges")


# ---- the line-driven share of IT -----------------------------------------------------------

@over_period("line_driven")
def line_driven(ctx: Context, period: Period) -> Answer:
    """"How much of IT is line-driven?": charges ÷ IT's total cost in the quarter, and its
    change since the first quarter with a share."""
    quarter = period.last
    facts = ctx.facts(quarter)
    if not facts.has_tiers:
        return plain(ctx, "line_driven", f"{NO_TIERS}, so none of IT is line-driven: all of "
                     f"its cost is corporate overhead. {_ADD_TIERS}", period,
                     follow="line_driven")
    share = facts.line_driven
    now = share[share["quarter"] == quarter]
    when = ctx.q(quarter)
    if now.empty or pd.isna(now["line_driven_pct"].iloc[0]):
        return plain(ctx, "line_driven", f"No line-driven share in {when}: it needs both "
                     "charges and cost lines in the quarter.", period, follow="line_driven")
    row = now.iloc[0]
    value = float(row["line_driven_pct"])
    sentence = (f"In {when}, {pct(value)} of IT's cost is line-driven: business units are "
                f"charged {ctx.total(row['charges'])} of {ctx.total(row['it_cost'])}; the "
                f"other {ctx.total(row['it_cost'] - row['charges'])} is overhead.")
    figures = [ctx.fig("line_driven_pct", value, "Line-driven share of IT", quarter),
               ctx.fig("charges", row["charges"], "Charges", quarter),
               ctx.fig("it_cost", row["it_cost"], "IT cost", quarter)]
    known = share.dropna(subset=["line_driven_pct"])
    if len(known) >= 2 and known["quarter"].iloc[0] != quarter:
        first = known.iloc[0]
        change = value - first["line_driven_pct"]
        sentence += (f" That is {points(change)} since {ctx.q(first['quarter'])} "
                     f"({pct(first['line_driven_pct'])}).")
        figures.append(ctx.fig("points", change, "Change in line-driven share", quarter,
                               text=points(change), unit="percentage points"))
    tbl = ctx.table(share, "quarter charges it_cost line_driven_pct", quarter="Quarter")
    chart = charts.lines(share.dropna(subset=["line_driven_pct"]), "quarter", "line_driven_pct",
                         None, "Line-driven share of IT by quarter", "%", highlight_x=quarter)
    how = ("chargeback.line_driven_share: all charges (users × tier price × 3) ÷ IT's total "
           "cost (the ledger, Unallocated included) per quarter.")
    return ctx.done("line_driven", sentence, figures, tbl, chart, how, period)
