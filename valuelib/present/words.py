"""Words shared by the views: changes, directions, in-house against an offer, display
tables."""

from __future__ import annotations

import numpy as np

from .. import costing, market, summary
from ..frames import ratio
from .formatting import MISSING, fmt_money, fmt_percent, is_missing
from .measures import fmt_measure

# ---- words -----------------------------------------------------------------------------------

def possessive(name: str) -> str:
    """``Sales'``, ``CRM's``: one way on every surface."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def more_or_less(pct: float) -> str:
    """``2.1% more than`` / ``3.0% less than`` / ``the same as``."""
    if is_missing(pct) or abs(pct) < 0.05:
        return "the same as"
    return f"{fmt_percent(abs(pct))} {'more' if pct > 0 else 'less'} than"


def direction(points: float) -> str:
    """``up`` / ``down`` / ``level`` for a change in percentage points (within ± 1 point is
    level, as in the executive summary)."""
    if is_missing(points) or abs(points) <= summary.TREND_STEADY_POINTS:
        return "level"
    return "up" if points > 0 else "down"


def versus_offer(difference: float, price: float, verdict: str) -> str:
    """``20% below`` / ``35% above`` / ``3.0 times`` / ``about the same``: the in-house
    like-for-like cost against an offer's price (``difference`` = in-house − offer; the gap as a
    percent of the offer's price)."""
    if verdict == market.Verdict.SAME:
        return "about the same"
    gap_pct = float(ratio(difference, price) * 100)
    if np.isnan(gap_pct):
        return MISSING
    if gap_pct < 0:
        return f"{fmt_percent(-gap_pct, 0)} below"
    if gap_pct < 100:
        return f"{fmt_percent(gap_pct, 0)} above"
    return f"{(gap_pct + 100) / 100:.1f} times"


def market_sentence(row, currency: str) -> str:
    """'Email & Productivity costs $12.58 per user per month ($11.95 like for like), 20%
    below the $15 offer (Cloud email & productivity suite).'"""
    cost = fmt_measure("cost_per_user_month", row.cost_per_user_month, currency)
    like = fmt_measure("comparable_cost_per_user_month", row.comparable_cost_per_user_month,
                       currency)
    text = f"{row.service} costs {cost} per user per month"
    if like != cost:
        text += f" ({like} like for like)"
    if is_missing(row.offer_price_per_user_month):
        return text + "."
    relation = versus_offer(row.difference_per_user_month, row.offer_price_per_user_month,
                             row.verdict)
    relation = {"about the same": "about the same as", MISSING: "against"}.get(relation,
                                                                               relation)
    price = fmt_money(row.offer_price_per_user_month, currency, 2, trim=True)  # names the offer
    name = str(row.best_offer)
    # "the $80 offer (Cloud CRM (Professional))" reads badly: a name with brackets follows a
    # colon instead
    named = f": {name}" if "(" in name else f" ({name})"
    return f"{text}, {relation} the {price} offer{named}."


def per_user_words(value, status: str, currency: str) -> str:
    """Cost per user per month, or why there is none (never 0 or ∞)."""
    if status == costing.CostStatus.OK:
        return fmt_measure("cost_per_user_month", value, currency)
    return {costing.CostStatus.UNALLOCATED: "not allocated"}.get(status, status or MISSING)


def is_yes(flag) -> bool:
    """A nullable boolean that is True (NA counts as no)."""
    return not is_missing(flag) and bool(flag)


def text_or_missing(value) -> str:
    return MISSING if is_missing(value) else str(value)


def delta_or_none(text: str) -> str | None:
    return None if text == MISSING else text


def value_source_words(source, quarter_label: str | None = None) -> str | None:
    """Where a value score came from, for a table cell: ``survey, 2026-Q3`` or ``ticket
    satisfaction, 2026-Q2`` (None without a score)."""
    if not isinstance(source, str) or not source:
        return None
    return f"{source}, {quarter_label}" if quarter_label else source


def value_source_sentence(source, quarter_label: str | None = None) -> str:
    """The same in a sentence: 'From the 2026-Q3 survey.' / 'From ticket satisfaction in
    2026-Q2 (the mean rating of its tickets; no survey yet).' ('' without a score)."""
    when = f" {quarter_label}" if quarter_label else ""
    if source == "survey":
        return f"From the{when} survey."
    if source == "ticket satisfaction":
        return (f"From ticket satisfaction{' in' + when if when else ''} (the mean rating of "
                "its tickets, 0–100; no survey yet).")
    return ""
