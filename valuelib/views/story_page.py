"""The story: the presentation's steps and the deck's slides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import budget, chargeback, charts, costing, portfolio, support, whatif
from ..model import Dataset
from ..parse import quarter_label
from ..present.briefing import briefing
from ..present.facts import NO_COST_DATA, NO_SUPPORT_DATA, Facts, Headline, first_row
from ..present.formatting import (
    fmt_count,
    fmt_date,
    fmt_hours,
    fmt_list,
    fmt_number,
    is_missing,
)
from ..present.measures import fmt_measure
from ..present.summary_text import budget_basis_words, budget_sentences
from ..present.words import market_sentence, possessive, versus_offer
from ..schema import WORK_CLASSES
from .cost_value_page import _medians_sentence, _value_chart, _value_title
from .overview_page import (
    LIKE_FOR_LIKE,
    OverviewView,
    _block_sentence,
    _compared,
    _cost_headlines,
    _market_chart,
    _market_headlines,
    _market_title,
    _overview,
    _proactive_headline,
    _proactive_sentence,
    _quadrant_sentences,
)
from .plan_page import plan_view
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
    as a full sentence, ``figure`` is sized for presenting (or None), ``bullets`` are short
    supporting facts (at most three under a chart), ``notes`` the plain-English reading for
    speaker notes. ``headlines``: figures shown as tiles (the deck's cards) instead of a
    chart; ``facts``: the key facts the speaker notes list after the reading (the bullets,
    unless a step has more to say than its screen shows)."""

    key: str
    title: str
    figure: go.Figure | None
    bullets: tuple[str, ...]
    notes: str
    headlines: tuple[Headline, ...] = ()
    facts: tuple[str, ...] | None = None

    @property
    def speaker_facts(self) -> tuple[str, ...]:
        return self.bullets if self.facts is None else self.facts


# ---- the story -------------------------------------------------------------------------------

def story(dataset: Dataset, quarter: str | None = None, business_unit: str | None = None,
          scenarios: Sequence[whatif.Scenario] = ()) -> tuple[StoryStep, ...]:
    """The presentation and the deck, one message per step, in this order: the briefing ->
    headline -> cost per user vs market -> cost vs value -> support trend -> block of hours ->
    cost recovery -> budget vs actual -> year end -> one step per chosen scenario. A step with
    no data behind it is left out (the headline always stays; the budget is IT's, so a
    business unit's story has no budget steps); figures are sized for presenting."""
    return _story(Facts(dataset, quarter, business_unit), scenarios)


def overview_and_story(dataset: Dataset, quarter: str | None = None,
                       business_unit: str | None = None,
                       scenarios: Sequence[whatif.Scenario] = ()
                       ) -> tuple[OverviewView, tuple[StoryStep, ...]]:
    """The Overview and the story on one set of facts, for the deck that shows both: the
    briefing, the summary and the budget they share are worked out once."""
    f = Facts(dataset, quarter, business_unit)
    return _overview(f), _story(f, scenarios)


def _story(f: Facts, scenarios: Sequence[whatif.Scenario]) -> tuple[StoryStep, ...]:
    steps = [_briefing_step(f), _headline_step(f), _market_step(f), _value_step(f),
             _support_step(f), _block_step(f), _recovery_step(f)]
    if f.unit is None:
        steps += _budget_steps(f)
    steps += [_scenario_step(f, s) for s in scenarios]
    return tuple(s for s in steps if s is not None)


def _briefing_step(f: Facts) -> StoryStep | None:
    """The Overview's briefing, word for word: it opens the story (issue 16)."""
    told = briefing(f)
    if not told.items:
        return None
    scope = f.quarter_label + (f", {f.unit}" if f.unit else "")  # a unit's findings are its own
    return StoryStep("briefing", f"{told.title}: {scope}", None, told.sentences,
                     " ".join(f"{n}. {i.sentence} ({i.url})"
                              for n, i in enumerate(told.items, 1)), facts=())


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
        text += f" ({h.delta_text} on {since})"
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


# ---- the money: cost recovery, budget vs actual, the year end, scenarios ------------------------

def _recovery_step(f: Facts) -> StoryStep | None:
    """Cost recovery by service in the quarter (charges ÷ cost), the under-recovered named:
    only when the workbooks hold tiers (an Offerings sheet) and some service is charged."""
    if f.quarter is None or not f.has_tiers:
        return None
    rec = f.recovery  # the briefing's, worked out once
    charged = rec[rec["recovery_pct"].notna()]
    if charged.empty:
        return None
    currency, label = f.currency, f.quarter_label
    under = charged[charged["status"].eq(chargeback.RecoveryStatus.UNDER)].sort_values(
        "over_under", kind="stable")  # the largest shortfall first

    def recovered(r) -> str:
        return fmt_measure("recovery_pct", r.recovery_pct)

    def named(rows: pd.DataFrame) -> str:  # "Desktop & User Support (83.0%) and Payroll …"
        return fmt_list(f"{r.service} ({recovered(r)})" for r in rows.itertuples())

    if len(under):
        worst = under.iloc[0]
        one = len(under) == 1
        verb = "does not pay for itself" if one else "do not pay for themselves"
        title = (f"{fmt_count(len(under), 'service')} {verb}: {worst.service} recovers "
                 f"{recovered(worst)} of its cost")
        shortfall = fmt_measure("charges", -under["over_under"].sum(), currency)
        reading = [f"In {label}, {named(under)} {'is' if one else 'are'} charged less than "
                   f"{'it costs' if one else 'they cost'}: {shortfall} of "
                   f"{'its' if one else 'their'} cost is paid from overhead this quarter."]
    else:
        title = f"Every charged service recovers its cost in {label}"
        reading = [f"In {label}, every service that is charged for recovers its cost (within "
                   f"{chargeback.RECOVERED_BAND_PCT:g}%) or more."]
    bullets = tuple(f"{r.service}: {recovered(r)} recovered, "
                    f"{fmt_measure('charges', -r.over_under, currency)} short this quarter"
                    for r in under.head(3).itertuples())
    over = charged[charged["status"].eq(chargeback.RecoveryStatus.OVER)]
    if len(over):
        reading.append(f"Charged more than they cost: {named(over)}.")
    unpaid = rec[rec["status"].eq(chargeback.RecoveryStatus.NO_CHARGES)]["service"]
    if len(unpaid):
        reading.append(f"Not charged for (funded centrally): {fmt_list(unpaid)}.")
    share = f.line_driven[f.line_driven["quarter"].eq(f.quarter)]
    if len(share) and pd.notna(share["line_driven_pct"].iloc[0]):
        paid = fmt_measure("line_driven_pct", share["line_driven_pct"].iloc[0])
        reading.append(f"Charges pay for {paid} of IT's cost; the rest is overhead.")
    reading.append("Cost recovery is a service's charges (users × its tier's price × 3) ÷ its "
                   "total cost, shared lines included.")
    figure = charts.cost_recovery(charged, currency, title=title + ".",
                                  subtitle=f"Charges ÷ total cost, {label}; the dashed line "
                                           "is cost recovered in full", presentation=True)
    return StoryStep("recovery", title + ".", figure, bullets, " ".join(reading))


BUDGET_BARS = 8  # services on the budget step's chart


def _budget_steps(f: Facts) -> list[StoryStep]:
    """"Budget vs actual" (IT to date, each service's variance charted, the largest named)
    and "Year end" (end of year predicted against the full-year budget, and its basis), in
    the Overview's budget sentences; none when the data holds no budget."""
    dataset, quarter, currency = f.dataset, f.quarter, f.currency
    b = f.budget_summary
    if b is None:
        return []
    start = f.settings.fiscal_year_start

    def fmt(key, value):
        return fmt_measure(key, value, currency)

    services = f.budget_services
    sentences = budget_sentences(b, services, currency)
    out = []
    if b.to_date and b.quarter:
        to = quarter_label(b.quarter, start)
        title = (f"IT is {b.status_ytd} to {to}: {fmt('actual_ytd', b.actual_ytd)} against "
                 f"{fmt('budget_ytd', b.budget_ytd)} "
                 f"({fmt('variance_ytd_pct', b.variance_ytd_pct)})")
        bullets = tuple(
            f"{v.service}: {fmt('variance_ytd', v.variance_ytd)} "
            f"({fmt('variance_ytd_pct', v.variance_ytd_pct)}) to date; furthest off in "
            f"{quarter_label(v.quarter, start)}: {fmt('actual', v.quarter_actual)} against "
            f"{fmt('budget', v.quarter_budget)}"
            for v in budget.largest_variances(dataset, quarter=quarter))
        # the furthest off, so every bar keeps its name and figures readable on a slide
        shown = services.dropna(subset=["variance_ytd"]).head(BUDGET_BARS)
        rest = services["variance_ytd"].notna().sum() - len(shown)
        figure = charts.budget_variance(
            shown, currency, title=title + ".",
            subtitle=f"{b.year} to {to} (version {b.version}); right of the line is over "
                     "budget"
                     + (f"; the {fmt_count(rest, 'service')} closer to budget left out"
                        if rest else ""), presentation=True)
        out.append(StoryStep("budget", title + ".", figure, bullets,
                             " ".join([sentences[0], *sentences[2:]])))
    if pd.notna(b.end_of_year_predicted):
        title = (f"{b.year} ends {b.status_full_year}: "
                 f"{fmt('end_of_year_predicted', b.end_of_year_predicted)} predicted against "
                 f"the {fmt('budget_full_year', b.budget_full_year)} budget")
        basis = budget_basis_words(b, currency)
        # coloured only when it is over or under: within the band it is "on budget"
        judged = ("inverse" if b.status_full_year in (budget.BudgetStatus.OVER,
                                                      budget.BudgetStatus.UNDER) else "off")
        tiles = (
            Headline("End of year predicted",
                     fmt("end_of_year_predicted", b.end_of_year_predicted),
                     sentence=f"Actual to date and the quarters left, {basis}."),
            Headline("Full-year budget", fmt("budget_full_year", b.budget_full_year),
                     sentence=f"{b.year}, version {b.version}."),
            Headline("Full-year variance", fmt("full_year_variance", b.full_year_variance),
                     delta=fmt_measure("full_year_variance_pct", b.full_year_variance_pct),
                     delta_color=judged,
                     sentence="End of year predicted − full-year budget (positive: over)."))
        facts = [f"Basis: {basis}."]
        if b.basis in (budget.ForecastBasis.RUN_RATE, budget.ForecastBasis.MIXED):
            facts.append(f"Range: {fmt('end_of_year_low', b.end_of_year_low)} to "
                         f"{fmt('end_of_year_high', b.end_of_year_high)} (the lowest and "
                         "highest recent quarter's cost for the quarters left).")
        if b.to_date:
            facts.append(f"Actual to date {fmt('actual_ytd', b.actual_ytd)}; the quarters "
                         f"left {fmt('remaining_forecast', b.remaining_forecast)}.")
        end = next(t for t in sentences if t.startswith("End of year predicted"))
        out.append(StoryStep("year-end", title + ".", None, tuple(facts), end,
                             headlines=tiles))
    return out


def _scenario_step(f: Facts, scenario: whatif.Scenario) -> StoryStep:
    """One what-if scenario: the yearly cost change, IT's cost per user before → after and the
    budget variance after as tiles; what it gives up and gains beneath, and in the notes."""
    view = plan_view(f.dataset, scenario, f.quarter)
    name = scenario.name or "What if"
    change = view.headlines[0].value
    facts = [*(f"Gives up: {t}" for t in view.gives_up), *(f"Gains: {t}" for t in view.gains),
             *(f"Changes: {t}" for t in view.other_changes),
             *(f"Not applied: {p}" for p in view.problems)]
    reading = " ".join([f"{name}: {'; '.join(c.label for c in view.result.changes)}.",
                        *(h.sentence for h in view.headlines if h.sentence), *view.notes])
    return StoryStep(f"scenario:{name}", f"{name}: {change} a year.", None, tuple(facts[:4]),
                     reading, headlines=view.headlines,
                     facts=tuple(facts) or ("Gives up nothing the data records.",))
