"""The story: the presentation's steps and the deck's slides."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .. import charts, costing, portfolio, support
from ..model import Dataset
from ..present.facts import NO_COST_DATA, NO_SUPPORT_DATA, Facts, Headline, first_row
from ..present.formatting import MINUS, fmt_date, fmt_hours, fmt_list, fmt_number, is_missing
from ..present.words import market_sentence, possessive, versus_offer
from ..schema import WORK_CLASSES
from .cost_value_page import _medians_sentence, _value_chart, _value_title
from .overview_page import (
    LIKE_FOR_LIKE,
    _block_sentence,
    _compared,
    _cost_headlines,
    _market_chart,
    _market_headlines,
    _market_title,
    _proactive_headline,
    _proactive_sentence,
    _quadrant_sentences,
)
from .support_page import (
    _block_chart,
    _block_message,
    _proactive_chart,
    _support_headlines,
    _support_sentences,
)


@dataclass(frozen=True, eq=False)
class StoryStep:
    """One screen of the presentation (one slide of the deck): ``title`` is its one message
    as a full sentence, ``figure`` is sized for presenting (or None), ``bullets`` are at most
    three short supporting facts and ``notes`` the plain-English reading for speaker notes."""

    key: str
    title: str
    figure: go.Figure | None
    bullets: tuple[str, ...]
    notes: str


# ---- the story -------------------------------------------------------------------------------

def story(dataset: Dataset, quarter: str | None = None,
          business_unit: str | None = None) -> tuple[StoryStep, ...]:
    """The presentation and the deck, one message per step, in this order: headline -> cost
    per user vs market -> cost vs value -> support trend -> block of hours. A step with no data
    behind it is left out (the headline always stays); figures are sized for presenting."""
    f = Facts(dataset, quarter, business_unit)
    steps = [_headline_step(f), _market_step(f), _value_step(f), _support_step(f),
             _block_step(f)]
    return tuple(s for s in steps if s is not None)


def _headline_step(f: Facts) -> StoryStep:
    total, per_person = _cost_headlines(f)[:2]
    now = first_row(f.cost_by_quarter, "quarter", f.quarter)
    figure = None
    if now is None:
        title = f"{f.who}: no cost data" + (f" for {f.quarter_label}" if f.quarter else "")
    else:
        spent = (f"{f.who} spent {total.value} on IT" if f.unit is None
                 else f"{possessive(f.unit)} share of IT cost was {total.value}")
        title = f"{spent} in {f.quarter_label}"
        if not is_missing(now.cost_per_person_month):
            title += f": {per_person.value} per user per month"
        if f.unit is None:  # cost pools are the organisation's; a unit has no pool split
            pools = costing.cost_by_pool(f.dataset)
            figure = charts.cost_by_pool(
                pools[pools["quarter"] <= f.quarter], f.currency,
                fiscal_year_start=f.settings.fiscal_year_start,
                title="Where the money goes: cost by TBM cost pool per quarter",
                presentation=True)
    market_lines = _market_headlines(f)
    proactive = _proactive_headline(f)
    # the total, the market line that calls for action (dearer in-house), and support
    bullets = [_bullet(h, f.label(f.previous)) for h in (total, market_lines[-1], proactive)
               if h.value not in (NO_COST_DATA, NO_SUPPORT_DATA, "no offers")]
    notes = [total.sentence, per_person.sentence, *(h.sentence for h in market_lines),
             proactive.sentence]
    return StoryStep("headline", title + ".", figure, tuple(bullets[:3]), " ".join(notes))


def _bullet(h: Headline, since: str) -> str:
    """A headline as a short fact: 'Total IT cost: $796,153 (+2.0% on 2026-Q2)'."""
    text = f"{h.label}: {h.value}"
    if h.delta and h.delta_arrow != "off":
        # back to the typographic minus the rest of the text uses (Headline keeps "-" for
        # st.metric)
        delta = MINUS + h.delta[1:] if h.delta.startswith("-") else h.delta
        text += f" ({delta} on {since})"
    elif h.delta:
        text += f", {h.delta}"
    return text


def _market_step(f: Facts) -> StoryStep | None:
    compared = _compared(f)
    if compared.empty:
        return None
    sentences = [market_sentence(r, f.currency) for r in compared.itertuples(index=False)]
    # the largest gaps in money (per user × users), either way, make the supporting facts
    gaps = compared["difference_per_user_month"].abs() * compared["users"].astype(float)
    largest = compared.iloc[np.argsort(-gaps.fillna(0).to_numpy(), kind="stable")[:3]]
    bullets = tuple(
        f"{r.service}: " + versus_offer(r.difference_per_user_month,
                                         r.offer_price_per_user_month, r.verdict)
        + f" the {f.per_user(r.offer_price_per_user_month, trim=True)} offer"
        for r in largest.itertuples(index=False))
    return StoryStep("market", _market_title(f) + ".", _market_chart(f, presentation=True),
                     bullets, " ".join([*sentences, LIKE_FOR_LIKE]))


def _value_step(f: Facts) -> StoryStep | None:
    placed = f.cost_value[f.cost_value["quadrant"].notna()]
    if placed.empty:
        return None
    quadrant = portfolio.Quadrant
    order = [quadrant.INVEST, quadrant.REPLACE, quadrant.OPTIMIZE, quadrant.TOLERATE]
    present = [q for q in order if (placed["quadrant"] == q).any()]
    bullets = tuple(f"{q}: {fmt_list(placed.loc[placed['quadrant'] == q, 'service'])}"
                    for q in present[:3])
    # the services that call for action, each with the advice that follows its market result
    acting = placed[placed["quadrant"].isin([quadrant.REPLACE, quadrant.OPTIMIZE])]
    suggestions = [f"{r.service}: {r.suggestion}" for r in acting.itertuples(index=False)]
    return StoryStep("value", _value_title(f, placed) + ".",
                     _value_chart(f, "users", presentation=True), bullets,
                     " ".join([_medians_sentence(f, placed), *_quadrant_sentences(f),
                               *suggestions]))


def _support_step(f: Facts) -> StoryStep | None:
    if f.proactive_now is None:
        return None
    sentence = _proactive_sentence(f)
    wanted = ("Proactive share", "Tickets per user per month", "Satisfaction",
              "Median time to resolve")
    headlines = {h.label: h for h in _support_headlines(f)}
    bullets = [_bullet(headlines[k], f.label(f.previous)) for k in wanted if k in headlines]
    facts = _support_sentences(f, proactive=False, block=False)
    return StoryStep("support", sentence, _proactive_chart(f, "quarter", presentation=True),
                     tuple(bullets[:3]), " ".join([sentence, *facts]))


def _block_step(f: Facts) -> StoryStep | None:
    b = f.current_block
    if b is None:
        return None
    sentence = _block_sentence(f, b)
    title = f"The {_block_message(b)}"
    bullets = [f"{fmt_hours(b.used_hours)} of {fmt_hours(b.purchased_hours)} used"
               + (f" as of {fmt_date(b.as_of)}." if not is_missing(b.as_of) else ".")]
    if not is_missing(b.burn_rate_hours_per_day):
        bullets.append(f"Burning {fmt_number(b.burn_rate_hours_per_day, 1)} hours a day over "
                       f"the last {support.BURN_WINDOW_DAYS} days.")
    spent = [f"{fmt_hours(getattr(b, f'{c}_hours'))} {c}" for c in WORK_CLASSES
             if getattr(b, f"{c}_hours", 0) > 0]
    if spent:
        bullets.append("Spent on " + fmt_list(spent) + " work.")
    figure = (_block_chart(f, b.block, presentation=True) if b.block in f.block_histories
              else None)
    return StoryStep("block", title + ".", figure, tuple(bullets[:3]), sentence)
