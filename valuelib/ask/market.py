"""Answers about the market and about value: buy or run in-house, cost vs value, satisfaction.

Numbers come from ``valuelib.market`` and ``valuelib.portfolio``.
"""

from __future__ import annotations

import pandas as pd

from .. import market, portfolio
from . import charts
from .common import (
    Context,
    count,
    display,
    figure,
    fmt_pct,
    join_how,
    names_list,
    over_period,
    reading_notes,
)
from .reading import Period
from .result import Answer
from .suggest import follow_ups

# Offer names a question may use ("would Google be cheaper for email?").
VENDORS = frozenset(("google", "microsoft", "zoho", "salesforce", "hubspot", "amazon", "aws",
                     "azure", "oracle", "sap", "workday", "adp", "xero", "shopify", "zoom",
                     "ringcentral", "servicenow", "atlassian", "dynamics"))
PRICE_MATCH_PCT = 1.0  # "$15 offer": an offer within 1 % of the amount is that offer


# ---- market --------------------------------------------------------------------------------

@over_period("market")
def compare_market(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    quarter = period.last
    comparison = market.compare_offers(ctx.dataset, quarter, include_inapplicable=True)
    services = list(q.services)
    if not services and q.price is not None:
        # "the $15 offer": the service whose offer has that price, if exactly one has
        priced = comparison[_near(comparison, q.price)]
        if priced["service"].nunique() == 1:
            services = [priced["service"].iloc[0]]
    if services:
        return _one_service(ctx, comparison, services[0], quarter, period)
    return _all_services(ctx, comparison, quarter, period)


def _near(frame: pd.DataFrame, price: float) -> pd.Series:
    tolerance = abs(price) * PRICE_MATCH_PCT / 100 + 0.005
    month = (frame["price_per_user_month"] - price).abs() <= tolerance
    year = (frame["price_per_user_month"] * 12 - price).abs() <= tolerance
    return (month | year).fillna(False).astype(bool)


def _one_service(ctx: Context, comparison: pd.DataFrame, service: str, quarter: str,
                 period) -> Answer:
    q = ctx.query
    offers = comparison[comparison["service"] == service].reset_index(drop=True)
    how_parts = [f"market.compare_offers for {ctx.q(quarter)}: the comparable cost per user "
                 "per month (costing.cost_per_user, lines marked comparable) against each "
                 "offer whose user range fits."]
    if offers.empty:
        sentence = (f"There is no market offer for {service} in the Market sheet, so it "
                    "cannot be compared.")
        return Answer(q.text, sentence, "market", True, how=join_how(
            *how_parts, reading_notes(ctx, period, "cost data")),
            suggestions=follow_ups(ctx, "market"))
    note = ""
    asked = _on_request(offers[offers["applicable"]])
    vendor = next((w for w in q.words if w in VENDORS), None)
    if vendor is not None and q.price is None:
        named = offers[offers["offer"].str.casefold().str.contains(vendor, regex=False)]
        if len(named):
            offers = pd.concat([named, offers.drop(index=named.index)], ignore_index=True)
            offers.loc[0, "applicable"] = True  # the offer asked about is the one held up
        else:
            note = (f"The Market sheet has no {vendor.capitalize()} offer for {service}; "
                    "against the cheapest offer that fits instead: ")
    if vendor is not None and note == "" and q.price is None:
        chosen = offers.iloc[0]
        how_parts.append(f"Offer chosen by its name ('{vendor}').")
    elif q.price is not None:
        near = offers[_near(offers, q.price)]
        if len(near):
            chosen = near.sort_values("price_per_user_month").iloc[0]
        else:
            gap = (offers["price_per_user_month"] - q.price).abs()
            chosen = offers.loc[gap.idxmin()]
            note = (f"No {service} offer costs {ctx.money(q.price)}; the nearest is "
                    f"{chosen['offer']} at {ctx.money(chosen['price_per_user_month'])}. ")
        how_parts.append(f"Offer chosen by its price ({ctx.money(q.price)}).")
    else:
        fitting = offers[offers["applicable"] & offers["price_per_user_month"].notna()]
        if fitting.empty and asked:
            sentence = (f"The market offers for {service} that fit its users are priced on "
                        f"request, so it cannot be compared on price in {ctx.q(quarter)}: "
                        f"{asked}.")
            return Answer(q.text, sentence, "market", True, (), tbl_offers(ctx, offers), None,
                          join_how(*how_parts, reading_notes(ctx, period, "cost data")),
                          follow_ups(ctx, "market"))
        if fitting.empty:
            reasons = names_list([f"{r.offer} {r.why_not}" for r in offers.itertuples(
                index=False) if isinstance(r.why_not, str)])
            sentence = (f"None of the {len(offers)} market offers for {service} fits its "
                        f"users in {ctx.q(quarter)}: {reasons}.")
            return Answer(q.text, sentence, "market", True, (), tbl_offers(ctx, offers), None,
                          join_how(*how_parts, reading_notes(ctx, period, "cost data")),
                          follow_ups(ctx, "market"))
        chosen = fitting.sort_values(["price_per_user_month", "offer"]).iloc[0]
        how_parts.append(f"Held against the cheapest offer that fits ({len(fitting)} of "
                         f"{len(offers)} fit).")
    inside, price = chosen["internal_per_user_month"], chosen["price_per_user_month"]
    diff, per_year = chosen["difference_per_user_month"], chosen["difference_per_year"]
    if pd.isna(inside):
        sentence = (note + f"{service} has no comparable cost per user in {ctx.q(quarter)} "
                    f"({chosen['internal_status']}), so it cannot be held against "
                    f"{chosen['offer']} ({ctx.money(price)} per user per month).")
        return Answer(q.text, sentence, "market", True, (), tbl_offers(ctx, offers), None,
                      join_how(*how_parts, reading_notes(ctx, period, "cost data")),
                      follow_ups(ctx, "market"))
    users = chosen["users"]
    head = (f"{service} costs {ctx.money(inside)} per user per month in-house "
            f"({ctx.q(quarter)}, comparable cost) against {ctx.money(price)} for "
            f"{chosen['offer']}")
    verdict = chosen["verdict"]
    if verdict == "same":
        body = ": about the same price."
    elif diff > 0:
        body = (f": buying would save {ctx.money(diff)} per user per month, about "
                f"{ctx.big(per_year)} a year for {users:,.0f} users.")
    else:
        body = (f": in-house is {ctx.money(-diff)} per user per month cheaper, so buying "
                f"would cost about {ctx.big(-per_year)} a year more for {users:,.0f} users.")
    extra = _hidden_differences(chosen)
    if not chosen["applicable"] and isinstance(chosen["why_not"], str):
        extra += f" Note: this offer {chosen['why_not']}, and you have {users:,.0f}."
    if asked:
        extra += f" Priced on request, so not compared: {asked}."
    sentence = note + head + body + extra
    figures = (
        figure(diff, ctx.unit("per user per month"),
               f"{service}: in-house minus {chosen['offer']}, per user per month",
               ctx.signed(diff), quarter, service),
        figure(inside, ctx.unit("per user per month"),
               f"{service}: comparable cost per user per month", ctx.money(inside), quarter,
               service),
        figure(price, ctx.unit("per user per month"), f"{chosen['offer']}: price per user "
               "per month", ctx.money(price), quarter, service),
        figure(per_year, ctx.unit("per year"),
               f"{service}: in-house minus {chosen['offer']}, a year for all users",
               ctx.signed(per_year, big=True), quarter, service),
    )
    how_parts.append("Difference = in-house − offer (positive: the offer is cheaper); a year = "
                     "× users × 12.")
    labels = ["In-house (comparable)"] + list(offers["offer"])
    values = [inside] + list(offers["price_per_user_month"])
    chart = charts.bar(labels, values, f"{service}: in-house vs market, per user per month",
                        ctx.currency, highlight=["In-house (comparable)"])
    return Answer(q.text, sentence, "market", True, figures, tbl_offers(ctx, offers), chart,
                  join_how(*how_parts, reading_notes(ctx, period, "cost data")),
                  follow_ups(ctx, "market"))


def _on_request(offers: pd.DataFrame) -> str:
    """The offers priced on request, named ("Enterprise CRM and Gold plan"), or ""."""
    names = offers.loc[offers["verdict"] == market.PRICE_ON_REQUEST, "offer"]
    return names_list(list(names)) if len(names) else ""


def _hidden_differences(row) -> str:
    """What the price hides: availability, storage, support."""
    parts = []
    if row["availability_verdict"] in ("offer higher", "offer lower"):
        parts.append(f"the offer promises {fmt_pct(row['availability'], 2)} availability "
                     f"against your target of {fmt_pct(row['availability_target'], 2)}")
    if pd.notna(row["storage_gb"]):
        parts.append(f"{row['storage_gb']:,.0f} GB storage")
    if isinstance(row["support"], str) and row["support"]:
        parts.append(f"support: {row['support']}")
    if not parts:
        return ""
    return " Beyond price: " + "; ".join(parts) + "."


def tbl_offers(ctx: Context, offers: pd.DataFrame) -> pd.DataFrame:
    return display(offers, {
        "offer": "Offer", "users": "Users",
        "internal_per_user_month": f"In-house per user per month ({ctx.currency})",
        "price_per_user_month": f"Offer per user per month ({ctx.currency})",
        "difference_per_user_month": f"Difference per user per month ({ctx.currency})",
        "difference_per_year": f"Difference a year ({ctx.currency})",
        "verdict": "In-house is", "applicable": "Fits", "why_not": "Why not",
        "availability_target": "Availability target (%)", "availability": "Offer availability (%)",
        "storage_gb": "Storage (GB)", "support": "Support"},
        money_cols=("internal_per_user_month", "price_per_user_month",
                    "difference_per_user_month", "difference_per_year"), whole=("users",))


def _all_services(ctx: Context, comparison: pd.DataFrame, quarter: str, period) -> Answer:
    q = ctx.query
    fitting = comparison[comparison["applicable"] & comparison["price_per_user_month"].notna()
                         & comparison["internal_per_user_month"].notna()]
    best = fitting.sort_values(["service", "price_per_user_month", "offer"]).drop_duplicates(
        "service").reset_index(drop=True)
    if best.empty:
        return Answer(q.text, f"No service has a market offer that fits it in "
                      f"{ctx.q(quarter)}.", "market", True,
                      how=reading_notes(ctx, period, "cost data"),
                      suggestions=follow_ups(ctx, "market"))
    dearer = best[best["verdict"] == "dearer"].sort_values("difference_per_year",
                                                           ascending=False)
    cheaper = best[best["verdict"] == "cheaper"]
    saving = float(dearer["difference_per_year"].sum())
    listed = [f"{r.service} ({ctx.big(r.difference_per_year)} a year)"
              for r in dearer.head(3).itertuples(index=False)]
    sentence = (f"In {ctx.q(quarter)}, {len(dearer)} of the {len(best)} services with a "
                "fitting market offer cost more in-house than the cheapest offer")
    if len(dearer):
        sentence += (f", together {ctx.big(saving)} a year"
                     + (", the largest " if len(dearer) > 3 else ": ") + names_list(listed))
    sentence += (f". {count(len(cheaper), 'service')} "
                 f"{'is' if len(cheaper) == 1 else 'are'} cheaper in-house"
                 + (": " + names_list(list(cheaper["service"])) if len(cheaper) else "") + ".")
    asked = comparison[comparison["applicable"]
                       & comparison["verdict"].eq(market.PRICE_ON_REQUEST)]
    if len(asked):
        sentence += (f" {count(len(asked), 'offer')} {'is' if len(asked) == 1 else 'are'} "
                     "priced on request and not compared.")
    figures = [figure(saving, ctx.unit("per year"),
                      "What buying would save a year, services dearer in-house",
                      ctx.big(saving), quarter),
               figure(len(dearer), "services", "Services dearer in-house than the market",
                      str(len(dearer)), quarter)]
    figures += [figure(r.difference_per_year, ctx.unit("per year"),
                       f"{r.service}: in-house minus {r.offer}, a year",
                       ctx.signed(r.difference_per_year, big=True), quarter, r.service)
                for r in dearer.head(3).itertuples(index=False)]
    ordered = best.sort_values("difference_per_year", ascending=False)
    tbl = display(ordered, {
        "service": "Service", "offer": "Cheapest fitting offer", "users": "Users",
        "internal_per_user_month": f"In-house per user per month ({ctx.currency})",
        "price_per_user_month": f"Offer per user per month ({ctx.currency})",
        "difference_per_year": f"Difference a year ({ctx.currency})", "verdict": "In-house is"},
        money_cols=("internal_per_user_month", "price_per_user_month", "difference_per_year"),
        whole=("users",))
    chart = charts.bar(ordered["service"], ordered["difference_per_year"],
                        f"In-house minus cheapest offer, a year ({ctx.q(quarter)})",
                        ctx.currency, highlight=list(dearer["service"]))
    how = join_how(f"market.compare_offers for {ctx.q(quarter)}, the cheapest offer that fits "
                   "each service; 'a year' = (in-house − offer) per user per month × users × "
                   "12; the saving adds up the services that are dearer in-house.",
                   reading_notes(ctx, period, "cost data"))
    return Answer(q.text, sentence, "market", True, tuple(figures), tbl, chart, how,
                  follow_ups(ctx, "market", all_services=True))


# ---- cost vs value -------------------------------------------------------------------------

@over_period("quadrant")
def quadrant(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    quarter = period.last
    cvv = portfolio.cost_vs_value(ctx.dataset, quarter)
    placed = cvv[cvv["status"] == "placed"].reset_index(drop=True)
    if placed.empty:
        return Answer(q.text, f"No service can be placed in {ctx.q(quarter)}: it takes both a "
                      "cost per user and a value score (Value sheet).", "quadrant", True,
                      how=reading_notes(ctx, period, "cost data"),
                      suggestions=follow_ups(ctx, "quadrant"))
    medians = (f"split at the medians: value score {placed['value_median'].iloc[0]:.1f}, "
               f"{ctx.money(placed['cost_median'].iloc[0])} per user per month")
    how = join_how(f"portfolio.cost_vs_value for {ctx.q(quarter)}: value score (Value sheet, "
                   "latest survey up to the quarter) against cost per user per month, "
                   f"{medians}.", reading_notes(ctx, period, "cost data"))
    chart = charts.quadrants(placed, f"Cost vs value, {ctx.q(quarter)}", ctx.currency,
                              highlight=q.services)
    tbl_all = placed
    if q.services:
        figures, parts = [], []
        for service in q.services:
            row = cvv[cvv["service"] == service]
            if row.empty or row["status"].iloc[0] != "placed":
                status = row["status"].iloc[0] if len(row) else "no cost data"
                parts.append(f"{service} cannot be placed in {ctx.q(quarter)}: {status}.")
                continue
            r = row.iloc[0]
            parts.append(
                f"{service} is in {r['quadrant']} in {ctx.q(quarter)}: value score "
                f"{r['value_score']:.1f} (median {r['value_median']:.1f}) at "
                f"{ctx.money(r['cost_per_user_month'])} per user per month (median "
                f"{ctx.money(r['cost_median'])}). {r['suggestion']}")
            figures += [figure(r["value_score"], "score 0-100", f"{service}: value score",
                               f"{r['value_score']:.1f}", quarter, service),
                        figure(r["cost_per_user_month"], ctx.unit("per user per month"),
                               f"{service}: cost per user per month",
                               ctx.money(r["cost_per_user_month"]), quarter, service)]
        tbl = _quadrant_table(ctx, tbl_all, list(q.services))
        return Answer(q.text, " ".join(parts), "quadrant", True, tuple(figures), tbl,
                      chart, how, follow_ups(ctx, "quadrant"))
    wanted = q.quadrants or (portfolio.REPLACE, portfolio.OPTIMIZE)
    words = {portfolio.REPLACE: "cost more than they are worth (value below and cost per "
                                "user above the median of your services: Replace or retire)",
             portfolio.OPTIMIZE: "are valued but costly per user (both above the median of "
                                 "your services: Optimize)",
             portfolio.INVEST: "give value above the median of your services at a cost per "
                               "user below it (Invest)",
             portfolio.TOLERATE: "are cheap but of little value (both below the median of "
                                 "your services: Tolerate)"}
    parts, figures = [], []
    for i, name in enumerate(wanted):
        members = placed[placed["quadrant"] == name].sort_values("cost_per_user_month",
                                                                 ascending=False)
        listed = [f"{r.service} ({ctx.money(r.cost_per_user_month)} per user per month, "
                  f"value {r.value_score:.0f})" for r in members.itertuples(index=False)]
        lead = f"In {ctx.q(quarter)}, " if i == 0 else ""
        if len(members):
            parts.append(f"{lead}{count(len(members), 'service')} {words[name]}: "
                         f"{names_list(listed)}.")
        else:
            parts.append(f"{lead}no service {words[name]}.")
        figures.append(figure(len(members), "services", f"Services in {name}",
                              str(len(members)), quarter))
    first = placed[placed["quadrant"] == wanted[0]].sort_values("cost_per_user_month",
                                                                ascending=False)
    figures += [figure(r.cost_per_user_month, ctx.unit("per user per month"),
                       f"{r.service}: cost per user per month ({r.quadrant})",
                       ctx.money(r.cost_per_user_month), quarter, r.service)
                for r in first.itertuples(index=False)]
    suggestion = portfolio.SUGGESTIONS.get(wanted[0])
    sentence = " ".join(parts) + (f" {suggestion}" if suggestion and len(first) else "")
    tbl = _quadrant_table(ctx, tbl_all, [], first=list(wanted))
    return Answer(q.text, sentence, "quadrant", True, tuple(figures), tbl, chart, how,
                  follow_ups(ctx, "quadrant", service=first["service"].iloc[0]
                             if len(first) else None))


def _quadrant_table(ctx: Context, placed: pd.DataFrame, services: list[str],
                    first: list[str] = ()) -> pd.DataFrame:
    order: dict[str, int] = {}
    for name in [*first, *portfolio.QUADRANTS]:
        order.setdefault(name, len(order))
    ranked = placed.assign(
        _o=placed["quadrant"].map(order), _s=~placed["service"].isin(services)).sort_values(
        ["_s", "_o", "cost_per_user_month"], ascending=[True, True, False])
    return display(ranked, {"service": "Service", "quadrant": "Quadrant",
                            "value_score": "Value score (0-100)",
                            "cost_per_user_month": f"Cost per user per month ({ctx.currency})",
                            "suggestion": "Suggestion"},
                   money_cols=("cost_per_user_month",), one_decimal=("value_score",))


# ---- value and satisfaction ----------------------------------------------------------------

@over_period("value", "value", "value survey data")
def value(ctx: Context, period: Period) -> Answer:
    q = ctx.query
    quarter = period.last
    scores = portfolio.value_scores(ctx.dataset)
    column = "satisfaction_pct" if q.satisfaction else "value_score"
    what = "satisfaction" if q.satisfaction else "value score"
    how_base = ("portfolio.value_scores: value score = mean of business value ((v − 1) ÷ 4 × "
                "100) and satisfaction (as a percent), weighted by respondents")
    if q.services:
        figures, parts = [], []
        for service in q.services:
            mine = scores[(scores["service"] == service) & (scores["quarter"] <= quarter)]
            mine = mine.dropna(subset=[column])
            if mine.empty:
                parts.append(f"{service} has no {what} up to {ctx.q(quarter)}.")
                continue
            r = mine.iloc[-1]
            when = ctx.q(r["quarter"]) + ("" if r["quarter"] == quarter
                                          else f" (its latest survey up to {ctx.q(quarter)})")
            detail = []
            if pd.notna(r["business_value"]):
                detail.append(f"business value {r['business_value']:.1f} of 5")
            if pd.notna(r["satisfaction_pct"]):
                detail.append(f"satisfaction {fmt_pct(r['satisfaction_pct'])}")
            if pd.notna(r["respondents"]):
                detail.append(f"{r['respondents']:,.0f} respondents")
            if q.satisfaction:
                parts.append(f"Satisfaction with {service} is {fmt_pct(r['satisfaction_pct'])} "
                             f"in {when} (value score {r['value_score']:.1f} of 100).")
            else:
                parts.append(f"{service} scores {r['value_score']:.1f} out of 100 for value in "
                             f"{when} ({', '.join(detail)}).")
            main = figure(r[column], "%" if q.satisfaction else "score 0-100",
                          f"{service}: {what}", fmt_pct(r[column]) if q.satisfaction
                          else f"{r[column]:.1f}", r["quarter"], service)
            figures.append(main)
            if not q.satisfaction and pd.notna(r["satisfaction_pct"]):
                figures.append(figure(r["satisfaction_pct"], "%", f"{service}: satisfaction",
                                      fmt_pct(r["satisfaction_pct"]), r["quarter"], service))
            if len(mine) > 1 and ctx.query.trend:
                first = mine.iloc[0]
                parts.append(f"It was {first[column]:.1f} in {ctx.q(first['quarter'])}.")
        shown = scores[scores["service"].isin(q.services)]
        tbl = _value_table(ctx, shown, with_quarter=True)
        chart = charts.lines(shown, "quarter", column,
                              "service" if len(q.services) > 1 else None,
                              f"{what.capitalize()} by quarter: {names_list(list(q.services))}",
                              "%" if q.satisfaction else "Score (0-100)")
        how = join_how(how_base + ".", reading_notes(ctx, period, "value data"))
        return Answer(q.text, " ".join(parts), "value", True, tuple(figures), tbl,
                      chart, how, follow_ups(ctx, "value"))
    current = scores[scores["quarter"] == quarter].dropna(subset=[column])
    least = q.direction == "least" or bool(set(q.words) & {"least", "unhappy", "lowest",
                                                          "worst", "dissatisfied"})
    ranked = current.sort_values([column, "service"], ascending=[least, True],
                                 ignore_index=True)
    fmt = fmt_pct if q.satisfaction else (lambda v: f"{v:.1f}")
    top = ranked.head(3)
    listed = [f"{r.service} ({fmt(getattr(r, column))})" for r in top.itertuples(index=False)]
    noun = "satisfaction scores" if q.satisfaction else "value scores"
    sentence = (f"In {ctx.q(quarter)}, the {'lowest' if least else 'highest'} {noun} are "
                f"{names_list(listed)}")
    other = ranked.iloc[-1] if len(ranked) > 3 else None
    if other is not None:
        sentence += (f"; the {'highest' if least else 'lowest'} is {other['service']} "
                     f"({fmt(other[column])})")
    sentence += "."
    unit = "%" if q.satisfaction else "score 0-100"
    figures = tuple(figure(getattr(r, column), unit, f"{r.service}: {what}",
                           fmt(getattr(r, column)), quarter, r.service)
                    for r in top.itertuples(index=False))
    tbl = _value_table(ctx, ranked, with_quarter=False)
    chart = charts.bar(ranked["service"], ranked[column],
                        f"{what.capitalize()} by service, {ctx.q(quarter)}",
                        "%" if q.satisfaction else "Score (0-100)",
                        highlight=list(top["service"]))
    how = join_how(how_base + f", for {ctx.q(quarter)}.",
                   reading_notes(ctx, period, "value data"))
    return Answer(q.text, sentence, "value", True, figures, tbl, chart, how,
                  follow_ups(ctx, "value"))


def _value_table(ctx: Context, frame: pd.DataFrame, with_quarter: bool) -> pd.DataFrame:
    cols = {"quarter": "Quarter"} if with_quarter else {}
    cols.update({"service": "Service", "value_score": "Value score (0-100)",
                 "business_value": "Business value (1-5)", "satisfaction_pct": "Satisfaction (%)",
                 "respondents": "Respondents"})
    return display(frame, cols, money_cols=("business_value",),
                   one_decimal=("value_score", "satisfaction_pct"), whole=("respondents",))
