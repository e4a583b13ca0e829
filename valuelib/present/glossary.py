"""The words the dashboard uses that a reader may not know, defined once, for tooltips
(``help=``) on every page; and how a headline tile's change is worded.

A definition that is also a measure's (value score) is the measure registry's own words, so a
column's tooltip and the glossary never disagree.
"""

from __future__ import annotations

import re

from ..frames import shift_quarter
from ..model import Dataset
from ..parse import quarter_label
from .formatting import MINUS
from .measures import measure

GLOSSARY: dict[str, str] = {
    "like for like": (
        "The in-house cost counted the way a market offer is priced: the cost lines marked "
        "comparable, per user per month. Lines an offer would not replace (for example "
        "on-site hardware) are left out of the comparison and shown apart."),
    "showback": (
        "Each business unit's share of a service's cost, split by the unit's share of its "
        "users. It shows what a unit uses; nobody is charged."),
    "cost pool": (
        "The kind of spend a cost line is (TBM cost pools): staff, outside services, "
        "hardware, software, facilities, telecom, and so on."),
    "Unallocated": (
        "Shared cost that could not be given to a service, because its allocation rule was "
        "missing or did not add up to 100 %. It still counts in the total IT cost."),
    "P1": (
        "Priority 1, the most urgent tickets: high impact and high urgency. Priority comes from "
        "the impact × urgency matrix (P1 highest to P5 lowest)."),
    "impact × urgency": (
        "ServiceNow's priority matrix: impact (how many people or how much business is "
        "affected) and urgency (how soon it must be fixed), each 1 high to 3 low, together set "
        "a ticket's priority."),
    # ---- what-if (issue 17)
    "scenario": (
        "A what-if: a few changes (move a service to a market offer or another tier, change "
        "users or the headcount, buy a block of hours, retire a service) worked out on a "
        "quarter's costs without changing the published data."),
    "fixed and per-user costs": (
        "When users change, per-user cost pools (software, outside services, telecom, "
        "internal services) move with them; fixed pools (staff, contractors, facilities, "
        "hardware, other) stay the same within the year."),
    "value score": measure("value_score").definition + (
        " Services above the median value and below the median cost are worth investing in."),
    # ---- chargeback (issue 16)
    "tier": (
        "A level of service IT offers for a price per user per month (Standard, Premium …), "
        "with what it commits to: availability, support hours, response time, storage. "
        "Business units choose a tier and pay for it."),
    "charges": (
        "What IT bills a business unit for a service: its users on a tier × the tier's price "
        "per user per month × 3 months a quarter. Unlike showback, this is money the unit "
        "pays."),
    "Bill of IT": (
        "A business unit's statement of charges, like a phone bill: each service, tier, "
        "users, unit price and charge, what the tier commits to, for the quarter and the "
        "fiscal year to date."),
    "cost recovery": measure("recovery_pct").definition + (
        " A service under 100 % does not pay for itself: the rest of its cost is overhead."),
    "line-driven share": measure("line_driven_pct").definition + (
        " The higher it is, the more IT is funded by what units choose to buy rather than by "
        "corporate overhead."),
    # ---- budget (issue 17)
    "budget variance": (
        "Actual cost minus the budget: above zero is over budget, below zero under. Shown "
        "per quarter, for the year so far and for the full year, against the version named "
        "Budget unless another is chosen; within ± 2 % of the budget reads on budget."),
    "year-end forecast": (
        "Where the fiscal year will end: the actual cost so far plus the quarters still to "
        "come, taken from the latest forecast rows of the Budget sheet, or else at the run "
        "rate, with a range."),
    "run rate": (
        "What a quarter costs at today's pace: the mean of the last two quarters' actual "
        "cost. Its range runs from the cheapest to the dearest of the last four quarters."),
    # ---- value perception and needs (issue 16)
    "contact satisfaction": measure("contact_satisfaction_pct").definition + (
        " Every ticket a user rates is a small survey of the service it was for. A service's "
        "perception is falling when it drops 5 points or more against either of the two "
        "quarters before, with at least 10 rated tickets in each, by more than chance "
        "explains."),
    "low-score share": measure("low_share_pct").definition + (
        " The mean can hold steady while more users have a bad experience: this shows them."),
    "needs score": measure("needs_score").definition + (
        " Needs come from the Needs sheet (surveys, requests, feedback); \"new this quarter\" "
        "means nobody raised it for that service before."),
}


def define(term: str) -> str:
    """The plain-words definition of ``term`` (any case)."""
    for key, text in GLOSSARY.items():
        if key.casefold() == term.casefold():
            return text
    raise KeyError(f"No glossary entry for {term!r}. Entries: {', '.join(GLOSSARY)}.")


def help_for(*terms: str) -> str:
    """Tooltip text for a heading or tile naming these terms: each as "**term**: meaning"."""
    return "\n\n".join(f"**{term}**: {define(term)}" for term in terms)


_ZERO = re.compile(r"^[+\-" + MINUS + r"]?0+(\.0+)?\s*(%|pts?|points?|percentage points?)?$")


def is_no_change(delta: str | None) -> bool:
    """True for a change that is zero as written ("0.0%", "+0 pts"): no arrow, no colour."""
    return bool(delta) and bool(_ZERO.match(str(delta).strip()))


def previous_quarter(dataset: Dataset, quarter: str | None) -> str:
    """The quarter a tile's change is measured from, as the organisation names it."""
    if not quarter:
        return ""
    return quarter_label(shift_quarter(quarter, -1), dataset.settings.fiscal_year_start)


def compared_with(delta: str | None, since: str) -> str | None:
    """A tile's change saying what it is compared with: "+3.2% vs 2026-Q2"."""
    if not delta or not since:
        return delta
    return f"{delta} vs {since}"


def terms_in(*texts: str) -> tuple[str, ...]:
    """The glossary terms these texts use (whole words, any case; "like-for-like" counts)."""
    said = " ".join(t for t in texts if t).casefold().replace("-", " ")
    return tuple(term for term in GLOSSARY
                 if re.search(r"(?<!\w)" + re.escape(term.casefold().replace("-", " "))
                              + r"(?!\w)", said))
