"""Answers about the market and about value: buy or run in-house, cost vs value, satisfaction.
Figures come from ``valuelib.market`` and ``valuelib.portfolio``; words about an offer are the
pages' (``present.words``)."""

from __future__ import annotations

import pandas as pd

from .. import market, portfolio
from . import charts
from .common import Context, count, names_list, no_data, over_period, pct, plain
from .reading import Period
from .result import Answer

# Offer names a question may use ("would Google be cheaper for email?").
VENDORS = frozenset(("google", "microsoft", "zoho", "salesforce", "hubspot", "amazon", "aws",
                     "azure", "oracle", "sap", "workday", "adp", "xero", "shopify", "zoom",
                     "ringcentral", "servicenow", "atlassian", "dynamics"))
PRICE_MATCH_PCT = 1.0  # "$15 offer": an offer within 1 % of the amount is that offer
_COMPARED = ("market.compare_offers for {q}: the comparable cost per user per month "
             "(costing.cost_per_user, lines marked comparable) against each offer whose user "
             "range fits.")
_OFFER_COLUMNS = ("offer users internal_per_user_month price_per_user_month "
                  "difference_per_user_month difference_per_year verdict applicable why_not "
                  "availability_target availability storage_gb support")


# ---- market --------------------------------------------------------------------------------

@over_period("market")
def compare_market(ctx: Context, period: Period) -> Answer:
    q, quarter = ctx.query, period.last
    comparison = market.compare_offers(ctx.dataset, quarter, include_inapplicable=True)
    services = list(q.services)
    if not services and q.price is not None:
        # "the $15 offer": the service whose offer has that price, if exactly one has
        priced = comparison[_near(comparison, q.price)]
        if priced["service"].nunique() == 1:
            services = [priced["service"].iloc[0]]
    if services:
        return _one_service(ctx, comparison, services[0], period)
    return _all_services(ctx, comparison, period)


def _near(frame: pd.DataFrame, price: float) -> pd.Series:
    tolerance = abs(price) * PRICE_MATCH_PCT / 100 + 0.005
    month = (frame["price_per_user_month"] - price).abs() <= tolerance
    year = (frame["price_per_user_month"] * 12 - price).abs() <= tolerance
    return (month | year).fillna(False).astype(bool)


def _one_service(ctx: Context, comparison: pd.DataFrame, service: str,
                 period: Period) -> Answer:
    q, quarter = ctx.query, period.last
    offers = comparison[comparison["service"] == service].reset_index(drop=True)
    how = [_COMPARED.format(q=ctx.q(quarter))]
    if offers.empty:
        return plain(ctx, "market", f"There is no market offer for {service} in the Market "
                     "sheet, so it cannot be compared.", period, "cost data")
    table = ctx.table(offers, _OFFER_COLUMNS, offer="Offer", verdict="In-house is",
                      applicable="Fits", why_not="Why not", support="Support")
    note = ""
    asked = _on_request(offers[offers["applicable"]])
    vendor = next((w for w in q.words if w in VENDORS), None) if q.price is None else None
    named = (offers[offers["offer"].str.casefold().str.contains(vendor, regex=False)]
             if vendor else offers.head(0))
    if len(named):
        offers = pd.concat([named, offers.drop(index=named.index)], ignore_index=True)
        offers.loc[0, "applicable"] = True  # the offer asked about is the one held up
        chosen = offers.iloc[0]
        how.append(f"Offer chosen by its name ('{vendor}').")
    elif q.price is not None:
        near = offers[_near(offers, q.price)]
        if len(near):
            chosen = near.sort_values("price_per_user_month").iloc[0]
        else:
            chosen = offers.loc[(offers["price_per_user_month"] - q.price).abs().idxmin()]
            note = (f"No {service} offer costs {ctx.per_user(q.price)}; the nearest is "
                    f"{chosen['offer']} at {ctx.per_user(chosen['price_per_user_month'])}. ")
        how.append(f"Offer chosen by its price ({ctx.per_user(q.price)}).")
    else:
        if vendor:
            note = (f"The Market sheet has no {vendor.capitalize()} offer for {service}; "
                    "against the cheapest offer that fits instead: ")
        fitting = offers[offers["applicable"] & offers["price_per_user_month"].notna()]
        if fitting.empty:
            reasons = names_list([f"{r.offer} {r.why_not}" for r in offers.itertuples(
                index=False) if isinstance(r.why_not, str)])
            sentence = (f"The market offers for {service} that fit its users are priced on "
                        f"request, so it cannot be compared on price in {ctx.q(quarter)}: "
                        f"{asked}." if asked else f"None of the {len(offers)} market offers "
                        f"for {service} fits its users in {ctx.q(quarter)}: {reasons}.")
            return plain(ctx, "market", sentence, period, "cost data", tbl=table)
        chosen = fitting.sort_values(["price_per_user_month", "offer"]).iloc[0]
        how.append(f"Held against the cheapest offer that fits ({len(fitting)} of "
                   f"{len(offers)} fit).")
    inside, price = chosen["internal_per_user_month"], chosen["price_per_user_month"]
    diff, per_year = chosen["difference_per_user_month"], chosen["difference_per_year"]
    if pd.isna(inside):
        return plain(ctx, "market", note + f"{service} has no comparable cost per user in "
                     f"{ctx.q(quarter)} ({chosen['internal_status']}), so it cannot be held "
                     f"against {chosen['offer']} ({ctx.per_user(price)} per user per month).",
                     period, "cost data", tbl=table)
    users = chosen["users"]
    sentence = (f"{note}{service} costs {ctx.per_user(inside)} per user per month in-house "
                f"({ctx.q(quarter)}, comparable cost) against {ctx.per_user(price)} for "
                f"{chosen['offer']}")
    if chosen["verdict"] == "same":
        sentence += ": about the same price."
    elif diff > 0:
        sentence += (f": buying would save {ctx.per_user(diff)} per user per month, about "
                     f"{ctx.total(per_year)} a year for {users:,.0f} users.")
    else:
        sentence += (f": in-house is {ctx.per_user(-diff)} per user per month cheaper, so "
                     f"buying would cost about {ctx.total(-per_year)} a year more for "
                     f"{users:,.0f} users.")
    sentence += _hidden_differences(chosen)
    if not chosen["applicable"] and isinstance(chosen["why_not"], str):
        sentence += f" Note: this offer {chosen['why_not']}, and you have {users:,.0f}."
    if asked:
        sentence += f" Priced on request, so not compared: {asked}."
    offer = chosen["offer"]
    figures = (
        ctx.fig("difference_per_user_month", diff, f"{service}: in-house minus {offer}, per "
                "user per month", quarter, service, text=ctx.signed(diff, per_user=True)),
        ctx.fig("internal_per_user_month", inside,
                f"{service}: comparable cost per user per month", quarter, service),
        ctx.fig("price_per_user_month", price, f"{offer}: price per user per month", quarter,
                service),
        ctx.fig("difference_per_year", per_year, f"{service}: in-house minus {offer}, a year "
                "for all users", quarter, service, ctx.unit("per year"), ctx.signed(per_year)))
    how.append("Difference = in-house − offer (positive: the offer is cheaper); a year = "
               "× users × 12.")
    chart = charts.bar(["In-house (comparable)", *offers["offer"]],
                       [inside, *offers["price_per_user_month"]],
                       f"{service}: in-house vs market, per user per month", ctx.currency,
                       highlight=["In-house (comparable)"])
    return ctx.done("market", sentence, figures, table, chart, " ".join(how), period)


def _on_request(offers: pd.DataFrame) -> str:
    """The offers priced on request, named ("Enterprise CRM and Gold plan"), or ""."""
    return names_list(offers.loc[offers["verdict"] == market.Verdict.PRICE_ON_REQUEST, "offer"])


def _hidden_differences(row) -> str:
    """What the price hides: availability, storage, support."""
    parts = []
    if row["availability_verdict"] in ("offer higher", "offer lower"):
        parts.append(f"the offer promises {pct(row['availability'], 2)} availability "
                     f"against your target of {pct(row['availability_target'], 2)}")
    if pd.notna(row["storage_gb"]):
        parts.append(f"{row['storage_gb']:,.0f} GB storage")
    if isinstance(row["support"], str) and row["support"]:
        parts.append(f"support: {row['support']}")
    return " Beyond price: " + "; ".join(parts) + "." if parts else ""


def _all_services(ctx: Context, comparison: pd.DataFrame, period: Period) -> Answer:
    """Every service against its cheapest fitting offer, as the Overview's market tile."""
    quarter = period.last
    fitting = comparison[comparison["applicable"] & comparison["price_per_user_month"].notna()
                         & comparison["internal_per_user_month"].notna()]
    best = fitting.sort_values(["service", "price_per_user_month", "offer"]).drop_duplicates(
        "service").reset_index(drop=True)
    if best.empty:
        return plain(ctx, "market", f"No service has a market offer that fits it in "
                     f"{ctx.q(quarter)}.", period, "cost data")
    dearer = best[best["verdict"] == "dearer"].sort_values("difference_per_year",
                                                           ascending=False)
    cheaper = best[best["verdict"] == "cheaper"]
    saving = float(dearer["difference_per_year"].sum())
    listed = [f"{r.service} ({ctx.total(r.difference_per_year)} a year)"
              for r in dearer.head(3).itertuples(index=False)]
    sentence = (f"In {ctx.q(quarter)}, {len(dearer)} of the {len(best)} services with a "
                "fitting market offer cost more in-house than the cheapest offer")
    if len(dearer):
        sentence += (f", together {ctx.total(saving)} a year"
                     + (", the largest " if len(dearer) > 3 else ": ") + names_list(listed))
    sentence += (f". {count(len(cheaper), 'service')} {'is' if len(cheaper) == 1 else 'are'} "
                 "cheaper in-house" + (": " + names_list(cheaper["service"]) if len(cheaper)
                                       else "") + ".")
    asked = comparison[comparison["applicable"]
                       & comparison["verdict"].eq(market.Verdict.PRICE_ON_REQUEST)]
    if len(asked):
        sentence += (f" {count(len(asked), 'offer')} {'is' if len(asked) == 1 else 'are'} "
                     "priced on request and not compared.")
    figures = [ctx.fig("difference_per_year", saving, "What buying would save a year, "
                       "services dearer in-house", quarter, unit=ctx.unit("per year")),
               ctx.fig("count", len(dearer), "Services dearer in-house than the market",
                       quarter, unit="services")]
    figures += [ctx.fig("difference_per_year", r.difference_per_year,
                        f"{r.service}: in-house minus {r.offer}, a year", quarter, r.service,
                        ctx.unit("per year"), ctx.signed(r.difference_per_year))
                for r in dearer.head(3).itertuples(index=False)]
    ordered = best.sort_values("difference_per_year", ascending=False)
    tbl = ctx.table(ordered, "service offer users internal_per_user_month "
                             "price_per_user_month difference_per_year verdict",
                    service="Service", offer="Cheapest fitting offer", verdict="In-house is")
    chart = charts.bar(ordered["service"], ordered["difference_per_year"],
                       f"In-house minus cheapest offer, a year ({ctx.q(quarter)})",
                       ctx.currency, highlight=list(dearer["service"]))
    how = (_COMPARED.format(q=ctx.q(quarter)) + " The cheapest offer that fits each service; "
           "'a year' = (in-house − offer) per user per month × users × 12; the saving adds up "
           "the services that are dearer in-house.")
    return ctx.done("market", sentence, figures, tbl, chart, how, period, all_services=True)


# ---- cost vs value -------------------------------------------------------------------------

_QUADRANT_WORDS = {
    portfolio.Quadrant.REPLACE: "cost more than they are worth (value below and cost per user "
                                "above the median of your services: Replace or retire)",
    portfolio.Quadrant.OPTIMIZE: "are valued but costly per user (both above the median of "
                                 "your services: Optimize)",
    portfolio.Quadrant.INVEST: "give value above the median of your services at a cost per "
                               "user below it (Invest)",
    portfolio.Quadrant.TOLERATE: "are cheap but of little value (both below the median of "
                                 "your services: Tolerate)"}


@over_period("quadrant")
def quadrant(ctx: Context, period: Period) -> Answer:
    """Where services sit on the cost-vs-value chart, with the page's advice (which follows
    the market: portfolio's suggestion)."""
    q, quarter = ctx.query, period.last
    cvv = portfolio.cost_vs_value(ctx.dataset, quarter)
    placed = cvv[cvv["status"] == "placed"].reset_index(drop=True)
    if placed.empty:
        return plain(ctx, "quadrant", f"No service can be placed in {ctx.q(quarter)}: it takes "
                     "both a cost per user and a value score (Value sheet).", period,
                     "cost data")
    how = (f"portfolio.cost_vs_value for {ctx.q(quarter)}: value score (Value sheet, latest "
           "survey up to the quarter) against cost per user per month, split at the medians: "
           f"value score {placed['value_median'].iloc[0]:.1f}, "
           f"{ctx.per_user(placed['cost_median'].iloc[0])} per user per month.")
    chart = charts.page("cost_vs_value", ctx.facts(quarter).cost_value, ctx.currency,
                        title=f"Cost vs value, {ctx.q(quarter)}")
    wanted = list(q.quadrants or (portfolio.Quadrant.REPLACE, portfolio.Quadrant.OPTIMIZE))
    order = {name: i for i, name in enumerate(dict.fromkeys([*wanted, *portfolio.Quadrant]))}
    ranked = placed.assign(_s=~placed["service"].isin(q.services),
                           _o=placed["quadrant"].map(order)).sort_values(
        ["_s", "_o", "cost_per_user_month"], ascending=[True, True, False])
    tbl = ctx.table(ranked, "service quadrant value_score value_source cost_per_user_month "
                    "suggestion", service="Service", quadrant="Quadrant",
                    suggestion="Suggestion")
    parts, figures = [], []
    if q.services:
        for service in q.services:
            row = cvv[cvv["service"] == service]
            if row.empty or row["status"].iloc[0] != "placed":
                status = row["status"].iloc[0] if len(row) else "no cost data"
                parts.append(f"{service} cannot be placed in {ctx.q(quarter)}: {status}.")
                continue
            r = row.iloc[0]
            score = ctx.fmt("value_score", r["value_score"])
            parts.append(f"{service} is in {r['quadrant']} in {ctx.q(quarter)}: value score "
                         f"{score}{_from({'source': r['value_source']})} (median "
                         f"{r['value_median']:.1f}) at "
                         f"{ctx.per_user(r['cost_per_user_month'])} per user per month (median "
                         f"{ctx.per_user(r['cost_median'])}). {r['suggestion']}")
            figures += [ctx.fig("value_score", r["value_score"], f"{service}: value score",
                                quarter, service),
                        ctx.fig("cost_per_user_month", r["cost_per_user_month"],
                                f"{service}: cost per user per month", quarter, service)]
        return ctx.done("quadrant", " ".join(parts), figures, tbl, chart, how, period)
    for i, name in enumerate(wanted):
        members = placed[placed["quadrant"] == name].sort_values("cost_per_user_month",
                                                                 ascending=False)
        listed = [f"{r.service} ({ctx.per_user(r.cost_per_user_month)} per user per month, "
                  f"value {ctx.fmt('value_score', r.value_score)})"
                  for r in members.itertuples(index=False)]
        lead = f"In {ctx.q(quarter)}, " if i == 0 else ""
        parts.append(f"{lead}{count(len(members), 'service')} {_QUADRANT_WORDS[name]}: "
                     f"{names_list(listed)}." if len(members) else
                     f"{lead}no service {_QUADRANT_WORDS[name]}.")
        figures.append(ctx.fig("count", len(members), f"Services in {name}", quarter,
                               unit="services"))
    first = placed[placed["quadrant"] == wanted[0]].sort_values("cost_per_user_month",
                                                                ascending=False)
    figures += [ctx.fig("cost_per_user_month", r.cost_per_user_month,
                        f"{r.service}: cost per user per month ({r.quadrant})", quarter,
                        r.service) for r in first.itertuples(index=False)]
    suggestion = portfolio.SUGGESTIONS.get(wanted[0])
    sentence = " ".join(parts) + (f" {suggestion}" if suggestion and len(first) else "")
    return ctx.done("quadrant", sentence, figures, tbl, chart, how, period,
                    service=first["service"].iloc[0] if len(first) else None)


# ---- value and satisfaction ----------------------------------------------------------------

def value(ctx: Context) -> Answer:
    """A service's value score or satisfaction, or the services ranked by it: from the survey,
    or where a service has none yet, from its ticket satisfaction (the answer says which)."""
    scores = portfolio.value_scores(ctx.dataset)
    available = sorted(scores["quarter"].dropna().unique())
    period = ctx.period(available)
    if not period.quarters:
        return no_data(ctx, "value", "value survey or ticket satisfaction data", period,
                       available)
    return _value(ctx, period, scores)


def _from(r) -> str:
    """' (from ticket satisfaction: no survey yet)' for a score that is not a survey's."""
    return (" (from ticket satisfaction: no survey yet)"
            if r["source"] == portfolio.ValueSource.TICKETS else "")


def _value(ctx: Context, period: Period, scores: pd.DataFrame) -> Answer:
    q, quarter = ctx.query, period.last
    key, what, unit = (("satisfaction_pct", "satisfaction", "%") if q.satisfaction
                       else ("value_score", "value score", "score 0-100"))
    show = pct if q.satisfaction else (lambda v: ctx.fmt("value_score", v))
    how = ("portfolio.value_scores: value score = mean of business value ((v − 1) ÷ 4 × 100) "
           "and satisfaction (as a percent), weighted by respondents; a service without a "
           "survey yet scores its ticket satisfaction")
    columns = "service value_score source business_value satisfaction_pct respondents"
    names = {"service": "Service", "business_value": "Business value (1-5)",
             "respondents": "Respondents", "quarter": "Quarter", "source": "Value from"}
    if q.services:
        figures, parts = [], []
        for service in q.services:
            mine = scores[(scores["service"] == service) & (scores["quarter"] <= quarter)]
            mine = mine.dropna(subset=[key])
            if mine.empty:
                parts.append(f"{service} has no {what} up to {ctx.q(quarter)}.")
                continue
            r = mine.iloc[-1]
            when = ctx.q(r["quarter"]) + ("" if r["quarter"] == quarter
                                          else f" (its latest score up to {ctx.q(quarter)})")
            when += _from(r)
            if q.satisfaction:
                parts.append(f"Satisfaction with {service} is {pct(r['satisfaction_pct'])} "
                             f"in {when} (value score "
                             f"{ctx.fmt('value_score', r['value_score'])} of 100).")
            else:
                detail = [text for ok, text in (
                    (pd.notna(r["business_value"]),
                     f"business value {r['business_value']:.1f} of 5"),
                    (pd.notna(r["satisfaction_pct"]),
                     f"satisfaction {pct(r['satisfaction_pct'])}"),
                    (pd.notna(r["respondents"]), f"{r['respondents']:,.0f} respondents")) if ok]
                parts.append(f"{service} scores {show(r['value_score'])} out of 100 for value in "
                             f"{when} ({', '.join(detail)}).")
            figures.append(ctx.fig(key, r[key], f"{service}: {what}", r["quarter"], service,
                                   unit, show(r[key])))
            if not q.satisfaction and pd.notna(r["satisfaction_pct"]):
                figures.append(ctx.fig("satisfaction_pct", r["satisfaction_pct"],
                                       f"{service}: satisfaction", r["quarter"], service))
            if len(mine) > 1 and q.trend:
                parts.append(f"It was {show(mine[key].iloc[0])} in "
                             f"{ctx.q(mine['quarter'].iloc[0])}.")
        shown = scores[scores["service"].isin(q.services)]
        chart = charts.lines(shown, "quarter", key, "service" if len(q.services) > 1 else None,
                             f"{what.capitalize()} by quarter: {names_list(q.services)}", unit)
        return ctx.done("value", " ".join(parts), figures,
                        ctx.table(shown, "quarter " + columns, **names), chart, how + ".",
                        period, "value data")
    least = q.direction == "least" or bool(set(q.words) & {"least", "unhappy", "lowest",
                                                          "worst", "dissatisfied"})
    ranked = scores[scores["quarter"] == quarter].dropna(subset=[key]).sort_values(
        [key, "service"], ascending=[least, True], ignore_index=True)
    top = ranked.head(3)
    listed = [f"{r.service} ({show(getattr(r, key))}"
              + (", from ticket satisfaction" if r.source == portfolio.ValueSource.TICKETS
                 else "") + ")" for r in top.itertuples(index=False)]
    sentence = (f"In {ctx.q(quarter)}, the {'lowest' if least else 'highest'} "
                f"{'satisfaction' if q.satisfaction else 'value'} scores are "
                f"{names_list(listed)}")
    if len(ranked) > 3:
        other = ranked.iloc[-1]
        sentence += (f"; the {'highest' if least else 'lowest'} is {other['service']} "
                     f"({show(other[key])})")
    figures = [ctx.fig(key, getattr(r, key), f"{r.service}: {what}", quarter, r.service, unit,
                       show(getattr(r, key))) for r in top.itertuples(index=False)]
    chart = charts.bar(ranked["service"], ranked[key],
                       f"{what.capitalize()} by service, {ctx.q(quarter)}", unit,
                       highlight=list(top["service"]))
    return ctx.done("value", sentence + ".", figures, ctx.table(ranked, columns, **names),
                    chart, how + f", for {ctx.q(quarter)}.", period, "value data")
