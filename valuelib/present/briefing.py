"""The trusted-advisor briefing: "What to tell the executives this quarter".

At most five findings, each one sentence with its figure and a link to the page that shows it,
ranked by money, then risk (docs/decisions.md, "The briefing"):

1. findings with money, the largest a year first — the service dearer than the market by the
   most a year, the most under-recovered service (its quarter's shortfall × 4), a block of
   hours that runs out before its end (the hours still needed at the block's own rate);
2. then risks without a money figure, in this order: a block that runs out before its end
   (no price to put on it), P1 share rising for external-facing services, perception falling
   for a service;
3. then the opportunity: the top need.

A finding whose data is absent is absent. The Overview, the answer to "what should I know?"
and the deck's opening slide show these same sentences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from .. import chargeback, links, market, support
from ..summary import TREND_STEADY_POINTS
from . import voice
from .facts import Facts
from .formatting import (
    fmt_count,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_points,
    is_missing,
)
from .words import is_yes, possessive

TITLE = "What to tell the executives this quarter"
MOST = 5
MIN_PRIORITISED = 20  # P1 share: prioritised external tickets needed in each quarter
P1_CONFIDENCE = 2.0  # and its rise must be more than this many standard errors
QUARTERS_PER_YEAR = 4

# risk order of findings without money (lower first); money findings come before all
_RISK = {"block_runs_out": 0, "p1_rising": 1, "perception_falling": 2, "top_need": 3}


FINDING_LABELS = {"under_recovered": "under-recovered"}  # where the key's words need a hyphen


@dataclass(frozen=True)
class BriefingItem:
    """One finding. ``sentence``: one sentence with its figure; ``figure``: that figure as
    written, ``value`` its number and ``unit`` what the number counts; ``money_per_year``: what
    it is worth a year (NaN for a risk without money); ``page`` and ``params``: where it is
    shown (``url``: the link)."""

    key: str
    sentence: str
    figure: str
    unit: str
    value: float
    page: str
    params: dict = field(default_factory=dict)
    money_per_year: float = math.nan
    service: str | None = None

    @property
    def label(self) -> str:
        """What kind of finding it is, in words: ``under-recovered``, ``top need``."""
        return FINDING_LABELS.get(self.key, self.key.replace("_", " "))

    @property
    def url(self) -> str:
        """The page's path and query: ``services?service=CRM&quarter=2026-Q3``."""
        return links.page_url(self.page, self.params)

    @property
    def rank_key(self) -> tuple:
        if not is_missing(self.money_per_year):
            return (0, -self.money_per_year, 0)
        return (1, 0.0, _RISK.get(self.key, len(_RISK)))


@dataclass(frozen=True)
class Briefing:
    """The briefing for one quarter (and business unit): ``items`` ranked, at most five."""

    quarter: str | None
    quarter_label: str
    business_unit: str | None
    items: tuple[BriefingItem, ...]
    title: str = TITLE

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(i.sentence for i in self.items)


def briefing(f: Facts, most: int = MOST) -> Briefing:
    """The briefing from one scope's facts: every finding the data allows, ranked by money then
    risk, the first ``most``. Worked out once per facts (the Overview and the story both
    show it)."""
    return f.once(("briefing", most), lambda: _briefing(f, most))


def _briefing(f: Facts, most: int) -> Briefing:
    found = [item for build in _FINDINGS for item in [build(f)] if item is not None]
    found.sort(key=lambda i: i.rank_key)
    return Briefing(f.quarter, f.quarter_label, f.unit, tuple(found[:most]))


def _params(f: Facts, **more) -> dict:
    params = {links.QUARTER: f.quarter} if f.quarter else {}
    if f.unit:
        params[links.UNIT] = f.unit
    return {**params, **{k: v for k, v in more.items() if v}}


# ---- the findings ----------------------------------------------------------------------------

def _dearer_than_market(f: Facts) -> BriefingItem | None:
    """The service dearer than its cheapest fitting offer by the most a year (all users: not
    shown for one unit, whose per-year difference is blank)."""
    s = f.services
    dearer = s[(s["verdict"] == market.Verdict.DEARER) & s["difference_per_year"].notna()]
    if dearer.empty:
        return None
    r = dearer.sort_values(["difference_per_year", "service"], ascending=[False, True]).iloc[0]
    yearly = float(r.difference_per_year)
    figure = f.total(yearly)
    sentence = (f"{r.service} costs {figure} a year more in-house than the cheapest market "
                f"offer that fits its {fmt_number(r.users)} users ({r.best_offer}: "
                f"{f.per_user(r.offer_price_per_user_month)} per user per month against "
                f"{f.per_user(r.comparable_cost_per_user_month)} like for like).")
    return BriefingItem("dearer_than_market", sentence, figure, f"{f.currency} a year", yearly,
                        "services", _params(f, service=r.service), yearly, r.service)


def _under_recovered(f: Facts) -> BriefingItem | None:
    """The service whose charges fall furthest short of its cost (chargeback.recovery,
    under-recovered): the quarter's shortfall, and × 4 a year at that rate."""
    r = f.recovery
    if r.empty:
        return None
    under = r[(r["status"] == chargeback.RecoveryStatus.UNDER) & r["over_under"].notna()]
    if under.empty:
        return None
    row = under.sort_values(["over_under", "service"]).iloc[0]
    short = -float(row.over_under)
    yearly = short * QUARTERS_PER_YEAR
    figure = f.total(yearly)
    sentence = (f"{row.service} recovers {fmt_percent(row.recovery_pct)} of its cost from "
                f"charges in {f.quarter_label}: {f.total(short)} short in the quarter, about "
                f"{figure} a year at this rate, funded as overhead.")
    return BriefingItem("under_recovered", sentence, figure, f"{f.currency} a year", yearly,
                        "services", _params(f, service=row.service), yearly, row.service)


def _block_runs_out(f: Facts) -> BriefingItem | None:
    """The running block of hours when it runs out (or ran out) before its end: the hours
    still needed at its burn rate, priced at the block's own rate when it has a price."""
    b = f.current_block
    if b is None or is_missing(b.end) or is_missing(b.runout_date):
        return None
    projected = b.runout_basis == "projected" and is_yes(b.runs_out_before_end)
    ran_out = b.runout_basis == "actual" and b.runout_date < b.end and (
        is_missing(b.as_of) or b.as_of < b.end)
    if not (projected or ran_out):
        return None
    start = max(b.runout_date, b.as_of) if not is_missing(b.as_of) else b.runout_date
    days = max((pd.Timestamp(b.end) - pd.Timestamp(start)).days, 0)
    hours = float(b.burn_rate_hours_per_day) * days if not is_missing(
        b.burn_rate_hours_per_day) else math.nan
    rate = (float(b.price) / float(b.purchased_hours)
            if not is_missing(b.price) and b.purchased_hours else math.nan)
    money = hours * rate if not (is_missing(hours) or is_missing(rate)) else math.nan
    verb = "runs out about" if projected else "ran out on"
    before = (pd.Timestamp(b.end) - pd.Timestamp(b.runout_date)).days
    sentence = (f"{b.block} {verb} {fmt_date(b.runout_date)}, {fmt_count(before, 'day')} before "
                f"it ends on {fmt_date(b.end)}")
    if not is_missing(hours) and hours > 0:
        sentence += (f": at {fmt_number(b.burn_rate_hours_per_day, 1)} hours a day that is "
                     f"about {fmt_number(hours)} hours more")
        if not is_missing(money):
            sentence += f", {f.total(money)} at the block's rate"
    return BriefingItem("block_runs_out", sentence + ".", fmt_date(b.runout_date),
                        "days before the block ends", float(before), "support", _params(f),
                        money)


def _p1_rising(f: Facts) -> BriefingItem | None:
    """The P1 share of external-facing services' tickets up more than a point on the quarter
    before and by more than chance explains, with at least :data:`MIN_PRIORITISED`
    prioritised tickets in each."""
    if f.quarter is None or f.previous is None:
        return None
    shares = support.p1_share(f.unit_dataset)
    ext = shares[shares["facing"] == "external"].set_index("quarter")
    if f.quarter not in ext.index or f.previous not in ext.index:
        return None
    now, before = ext.loc[f.quarter], ext.loc[f.previous]
    if min(now.prioritised, before.prioritised) < MIN_PRIORITISED:
        return None
    change = float(now.p1_share_pct - before.p1_share_pct)
    # beyond chance, as falling perception: more than two standard errors of the difference
    # of two shares (pooled): 0 then 2 P1s in 60 tickets is not a trend to brief
    pooled = (now.p1_tickets + before.p1_tickets) / (now.prioritised + before.prioritised)
    error = 100 * math.sqrt(pooled * (1 - pooled) * (1 / now.prioritised
                                                     + 1 / before.prioritised))
    if not (change > TREND_STEADY_POINTS and change > P1_CONFIDENCE * error):
        return None
    whose = f"{possessive(f.unit)} tickets for" if f.unit else "tickets for"
    figure = fmt_percent(now.p1_share_pct)
    sentence = (f"The P1 (critical) share of {whose} external-facing services rose to {figure} "
                f"in {f.quarter_label} from {fmt_percent(before.p1_share_pct)} in "
                f"{f.label(f.previous)} ({fmt_points(change)}; {fmt_number(now.p1_tickets)} of "
                f"{fmt_count(now.prioritised, 'prioritised ticket')}).")
    return BriefingItem("p1_rising", sentence, figure, "%",
                        float(now.p1_share_pct), "support", _params(f))


def _perception_falling(f: Facts) -> BriefingItem | None:
    """The service whose contact satisfaction fell the most (perception.falling_perception)."""
    if f.falling.empty:
        return None
    r = f.falling.iloc[0]
    others = len(f.falling) - 1
    sentence = (f"Perception of {r.service} is falling: contact satisfaction fell to "
                f"{voice.fell_words(f, r)}"
                + (f"; {fmt_count(others, 'more service')} also falling" if others else "")
                + ".")
    return BriefingItem("perception_falling", sentence, fmt_percent(r.satisfaction_pct), "%",
                        float(r.satisfaction_pct), "support",
                        _params(f), service=r.service)


def _top_need(f: Facts) -> BriefingItem | None:
    sentence = voice.top_need_sentence(f)
    if sentence is None:
        return None
    r = f.needs.iloc[0]
    return BriefingItem("top_need", sentence, fmt_number(r.score), "needs score",
                        float(r.score), "support", _params(f), service=r.service
                        if isinstance(r.service, str) else None)


_FINDINGS = (_dearer_than_market, _under_recovered, _block_runs_out, _p1_rising,
             _perception_falling, _top_need)
