"""The overview (landing) page's view model, and the cost, market, proactive and block
headlines and sentences the support page and the story reuse."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .. import charts, market, portfolio
from ..frames import gap_note
from ..model import Dataset
from ..present.briefing import Briefing, briefing
from ..present.facts import (
    NO_COST_DATA,
    NO_SUPPORT_DATA,
    Facts,
    Headline,
    business_unit_options,
    change_pct,
    first_row,
    quarter_options,
)
from ..present.formatting import (
    fmt_change,
    fmt_date,
    fmt_hours,
    fmt_list,
    fmt_number,
    fmt_percent,
    fmt_points,
    is_missing,
)
from ..present.summary_text import budget_sentences, summary_notes
from ..present.tables import Table, table
from ..present.words import (
    delta_or_none,
    direction,
    is_yes,
    market_sentence,
    more_or_less,
    per_user_words,
    possessive,
    value_source_words,
)


@dataclass(frozen=True, eq=False)
class OverviewView:
    """The landing page: one quarter at a glance.

    ``quarters``: every quarter with data, oldest first, for the selector (``quarter_labels``
    names them); ``business_units``: every unit, for the selector. ``services_table``: one row
    per service, largest cost first: Service, Users, Total cost, Cost per user per month, Best
    offer, Offer per user per month, In-house vs offer (like for like), Value score, Value
    from (survey or ticket satisfaction, and its quarter), Quadrant. ``briefing``: what to
    tell the executives this quarter (present.briefing: at most five findings, each a sentence
    with its figure and a link)."""

    organization: str
    quarter: str | None
    quarter_label: str
    currency: str
    quarters: tuple[str, ...]
    quarter_labels: Mapping[str, str]
    business_units: tuple[str, ...]
    business_unit: str | None
    headlines: tuple[Headline, ...]
    sentences: tuple[str, ...]
    market_chart: go.Figure
    services_table: Table
    notes: tuple[str, ...]
    briefing: Briefing  # "What to tell the executives this quarter"
    # Budget vs actual (issue 17): IT to date and the year end, the services over or under;
    # empty without a Budget sheet, or with a business unit chosen (the budget is IT's)
    budget_sentences: tuple[str, ...] = ()


# ---- overview --------------------------------------------------------------------------------

def overview(dataset: Dataset, quarter: str | None = None,
             business_unit: str | None = None) -> OverviewView:
    """The landing page for one quarter (default: the latest with cost data)."""
    return _overview(Facts(dataset, quarter, business_unit))


def _overview(f: Facts) -> OverviewView:
    options = quarter_options(f.dataset)
    return OverviewView(
        organization=f.settings.organization,
        quarter=f.quarter,
        quarter_label=f.shown_quarter,
        currency=f.currency,
        quarters=tuple(options),
        quarter_labels=options,
        business_units=business_unit_options(f.dataset),
        business_unit=f.unit,
        headlines=(*_cost_headlines(f), *_market_headlines(f), _proactive_headline(f),
                   _block_headline(f)),
        sentences=(*_market_sentences(f), *_quadrant_sentences(f)),
        market_chart=_market_chart(f),
        services_table=_services_table(f),
        notes=_overview_notes(f),
        budget_sentences=_budget_sentences(f),
        briefing=briefing(f),
    )


def _budget_sentences(f: Facts) -> tuple[str, ...]:
    """Budget vs actual as of the page's quarter, in the summary's words."""
    if f.unit is not None or f.budget_summary is None:
        return ()
    return tuple(budget_sentences(f.budget_summary, f.budget_services, f.currency))


PER_USER_LABEL = "IT cost per user per month"


def _cost_headlines(f: Facts) -> list[Headline]:
    """Total IT cost and IT cost per user (person) per month, each against the previous
    quarter."""
    by_quarter = f.cost_by_quarter
    now = first_row(by_quarter, "quarter", f.quarter)
    before = first_row(by_quarter, "quarter", f.previous)
    total_label = "Total IT cost" if f.unit is None else f"IT cost of {f.unit}"
    if now is None:
        why = f"No cost lines for {f.quarter_label}." if f.quarter else "No cost data loaded."
        return [Headline(total_label, NO_COST_DATA, sentence=why),
                Headline(PER_USER_LABEL, NO_COST_DATA, sentence=why)]
    total_change = change_pct(now.total_cost, before.total_cost if before is not None else None)
    if f.unit is None:
        said = f"{f.who} spent {f.total(now.total_cost)} on IT in {f.quarter_label}"
    else:
        said = (f"{possessive(f.unit)} share of IT cost in {f.quarter_label} was "
                f"{f.total(now.total_cost)}")
    if before is not None:
        said += f", {more_or_less(total_change)} in {f.label(f.previous)}"
    said += "."
    if f.unit is not None:
        said += " Each service's cost is split by the unit's share of its users."
    total = Headline(total_label, f.total(now.total_cost), delta_or_none(fmt_change(total_change)),
                     "inverse", said)

    per_person = now.cost_per_person_month
    if is_missing(per_person):
        per = Headline(PER_USER_LABEL, "no usage data",
                       sentence="No Usage rows to count people by in " + f.quarter_label + ".")
    else:
        change = change_pct(per_person,
                             before.cost_per_person_month if before is not None else None)
        whose = "All IT cost" if f.unit is None else f"{f.unit}'s IT cost"
        per = Headline(
            PER_USER_LABEL, f.per_user(per_person), delta_or_none(fmt_change(change)), "inverse",
            f"{whose} ({f.total(now.total_cost)}) ÷ {fmt_number(now.people)} users ÷ 3 "
            "months. Users here are people: the headcount, taken as the largest user count of "
            f"any service in {f.quarter_label}.")
    return [total, per]


def _compared(f: Facts) -> pd.DataFrame:
    """Services with an applicable, priced offer (and an in-house cost per user)."""
    s = f.services
    return s[s["verdict"].isin(market.COMPARED)]


def _market_headlines(f: Facts) -> list[Headline]:
    compared = _compared(f)
    if compared.empty:
        why = ("No market offer applies to a service with users in " + f.quarter_label
               + ": add offers in the Market sheet." if f.has_cost_data else
               "No cost data to compare with market offers.")
        return [Headline("Compared with the market", "no offers" if f.has_cost_data
                         else NO_COST_DATA, sentence=why)]
    n = len(compared)
    cheaper = compared[compared["verdict"] == market.Verdict.CHEAPER]
    dearer = compared[compared["verdict"] == market.Verdict.DEARER]
    cheaper_text = (f"{fmt_list(cheaper['service'])} cost less in-house than the cheapest "
                    "applicable offer, like for like." if len(cheaper)
                    else "No service costs less in-house than its cheapest offer.")
    if dearer.empty:
        dearer_text = "No service costs more in-house than its cheapest offer."
    else:
        dearer_text = (f"{fmt_list(dearer['service'])} cost more in-house than the cheapest "
                       "applicable offer, like for like")
        yearly = dearer["difference_per_year"].sum(min_count=1)  # blank for a unit
        if not is_missing(yearly):
            dearer_text += f"; buying them instead would save {f.total(yearly)} a year"
        dearer_text += "."
    return [Headline("Cheaper in-house than the market", f"{len(cheaper)} of {n}",
                     sentence=cheaper_text),
            Headline("Dearer in-house than the market", f"{len(dearer)} of {n}",
                     sentence=dearer_text)]


def _basis_words(basis: str) -> str:
    return "tickets (no hours recorded)" if basis == "tickets" else "hours"


def _proactive_headline(f: Facts) -> Headline:
    now = f.proactive_now
    if now is None:
        whose = f" for {f.unit}" if f.unit else ""
        return Headline("Proactive share", NO_SUPPORT_DATA,
                        sentence=f"No proactive or reactive support work{whose} in "
                                 f"{f.quarter_label}.")
    return Headline("Proactive share" + (" (incomplete quarter)" if f.incomplete else ""),
                    fmt_percent(now.proactive_share_pct),
                    delta_or_none(fmt_points(f.proactive_change_points)), "normal",
                    _proactive_sentence(f))


def _proactive_sentence(f: Facts) -> str:
    """'Proactive work was 56.8% of proactive + reactive hours in 2026-Q3, up from 24.3% in
    2024-Q4.' (empty without a share this quarter)"""
    now, share = f.proactive_now, f.proactive("quarter")
    if now is None:
        return ""
    whose = f" for {f.unit}" if f.unit else ""
    text = (f"Proactive work{whose} was {fmt_percent(now.proactive_share_pct)} of proactive + "
            f"reactive {_basis_words(now.basis)} in {f.quarter_label}")
    known = share[share["proactive_share_pct"].notna()]
    first = known.iloc[0] if len(known) else None
    if first is not None and first.quarter != now.quarter:
        way = direction(now.proactive_share_pct - first.proactive_share_pct)
        how = {"up": "up from", "down": "down from", "level": "about level with"}[way]
        text += f", {how} {fmt_percent(first.proactive_share_pct)} in {f.label(first.quarter)}"
        gaps = gap_note(known.loc[known["quarter"] <= now.quarter, "quarter"])
        if gaps:
            text += f" ({gaps})"
    return text + f.incomplete + "."


def _block_sentence(f: Facts, b: pd.Series) -> str:
    """'2026-27 support block: 449 of 1,000 hours used (44.9%) as of 30 Sep 2026; at 4.9 hours
    a day it runs out about 20 Jan 2027, before the block ends on 30 Jun 2027.'"""
    text = (f"{b.block}: {fmt_hours(b.used_hours)} of {fmt_hours(b.purchased_hours)} used "
            f"({fmt_percent(b.used_pct)})")
    if not is_missing(b.as_of):
        text += f" as of {fmt_date(b.as_of)}"
    if b.overrun_hours > 0:
        text += f", overrun by {fmt_hours(b.overrun_hours)}"
    if b.runout_basis == "actual":
        text += f"; the hours ran out on {fmt_date(b.runout_date)}"
    elif b.runout_basis == "projected":
        text += (f"; at {fmt_number(b.burn_rate_hours_per_day, 1)} hours a day it runs out "
                 f"about {fmt_date(b.runout_date)}")
        if is_yes(b.runs_out_before_end):
            text += f", before the block ends on {fmt_date(b.end)}"
    text += "."
    if b.warning != "none":
        text += f" Warning: {b.warning}% used."
    if f.unit is not None and b.block in f.unit_block_hours:
        text += (f" {f.unit}'s tickets used {fmt_hours(f.unit_block_hours[b.block])} of it "
                 "(the block is shared by every unit).")
    return text


def _block_headline(f: Facts) -> Headline:
    b = f.current_block
    if b is None:
        why = ("No block of support hours in this data." if f.blocks.empty else
               f"No block of support hours had started by the end of {f.quarter_label}.")
        return Headline("Block of hours", "no block", sentence=why)
    delta, arrow = None, "auto"
    if b.runout_basis in ("projected", "actual"):
        verb = "runs out" if b.runout_basis == "projected" else "ran out"
        delta, arrow = f"{verb} {fmt_date(b.runout_date)}", "off"
    value = (f"{fmt_hours(b.remaining_hours)} left" if b.overrun_hours <= 0
             else f"{fmt_hours(b.overrun_hours)} over")
    return Headline(f"Hours left: {b.block}", value, delta, "off", _block_sentence(f, b), arrow)


def _market_sentences(f: Facts) -> list[str]:
    """One sentence per service with an offer, largest cost first."""
    return [market_sentence(r, f.currency) for r in _compared(f).itertuples(index=False)]


def _quadrant_sentences(f: Facts) -> list[str]:
    """'Invest (high value, low cost per user): Email & Productivity, Payroll and …'."""
    placed = f.services[f.services["quadrant"].notna()]
    meaning = {portfolio.Quadrant.INVEST: "high value, low cost per user",
               portfolio.Quadrant.OPTIMIZE: "high value, high cost per user",
               portfolio.Quadrant.TOLERATE: "low value, low cost per user",
               portfolio.Quadrant.REPLACE: "low value, high cost per user"}
    return [f"{q} ({meaning[q]}): {fmt_list(placed.loc[placed['quadrant'] == q, 'service'])}."
            for q in portfolio.Quadrant if (placed["quadrant"] == q).any()]


def _market_title(f: Facts) -> str:
    """The market chart's message: how many services cost more in-house than an offer."""
    compared = _compared(f)
    if compared.empty:
        return f"Cost per user per month in {f.quarter_label}"
    dearer = compared[compared["verdict"] == market.Verdict.DEARER]
    if dearer.empty:
        return (f"All {len(compared)} services with a market offer cost less in-house (or "
                "about the same)")
    title = (f"{len(dearer)} of {len(compared)} services cost more in-house than the cheapest "
             "market offer")
    yearly = dearer["difference_per_year"].sum(min_count=1)
    if not is_missing(yearly):
        title += f": {f.total(yearly)} a year in total"
    return title


def _market_chart(f: Facts, presentation: bool = False) -> go.Figure:
    subtitle = (f"{f.quarter_label} · like for like: lines marked not comparable are left "
                "out" + (f" · {f.unit}'s services" if f.unit else ""))
    return charts.cost_per_user_vs_market(f.services, f.currency, title=_market_title(f),
                                          subtitle=subtitle, presentation=presentation)


LIKE_FOR_LIKE = ("Market comparisons use the like-for-like cost per user per month: cost lines "
                 "marked not comparable (e.g. storage above the offer's quota) are left out.")

SERVICES_COLUMNS = ["Service", "Users", "Total cost", "Cost per user per month", "Best offer",
                    "Offer per user per month", "In-house − offer per user per month",
                    "In-house is", "Value score", "Value from", "Quadrant", "Note"]
SERVICES_MEASURES = {
    "Users": "users", "Total cost": "total_cost", "Cost per user per month":
    "cost_per_user_month", "Offer per user per month": "offer_price_per_user_month",
    "In-house − offer per user per month": "difference_per_user_month",
    "Value score": "value_score",
}
VERDICT_WORDS = {market.Verdict.CHEAPER: "cheaper", market.Verdict.DEARER: "dearer",
                 market.Verdict.SAME: "about the same",
                 market.Verdict.PRICE_ON_REQUEST: "not compared (price on request)"}


def _services_table(f: Facts) -> Table:
    rows = [{
        "Service": r.service,
        "Users": r.users,
        "Total cost": r.total_cost,
        "Cost per user per month": r.cost_per_user_month,
        "Best offer": r.best_offer,
        "Offer per user per month": r.offer_price_per_user_month,
        "In-house − offer per user per month": r.difference_per_user_month,
        "In-house is": VERDICT_WORDS.get(r.verdict),
        "Value score": r.value_score,
        "Value from": value_source_words(r.value_source, f.label(r.value_quarter)
                                         if isinstance(r.value_quarter, str) else None),
        "Quadrant": r.quadrant,
        # why a per-user figure is missing: never shown as 0 or left unexplained
        "Note": None if r.status == "ok" else per_user_words(None, r.status, f.currency),
    } for r in f.services.itertuples(index=False)]
    return table(rows, SERVICES_COLUMNS, SERVICES_MEASURES, f.currency)


def _overview_notes(f: Facts) -> tuple[str, ...]:
    notes = (list(summary_notes(f.executive_summary)) if f.executive_summary is not None
             else [])
    if f.unit is not None:
        notes.insert(0, f"Cost figures are {f.unit}'s showback: its share of each service's "
                        "cost, in proportion to its users of the service. Cost per user per "
                        "month is the service's own. Support figures count only its tickets.")
    if len(_compared(f)):
        notes.append(LIKE_FOR_LIKE)
    return tuple(notes)
