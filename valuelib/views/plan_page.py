"""The Plan page's view model: a what-if scenario's result in tiles, a table per change, what
it gives up and gains; several scenarios side by side; the editor's choices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .. import whatif
from ..model import Dataset
from ..parse import quarter_label
from ..present.facts import Headline
from ..present.formatting import MISSING, is_missing
from ..present.measures import fmt_measure
from ..present.tables import Table, table
from ..whatif import ChangeKind, Scenario, ScenarioResult, TradeOff, Verdict

CHANGE_COLUMNS = ["Change", "Yearly cost change", "Cost per user per month, today",
                  "Cost per user per month, after", "Users today", "Users after", "Gives up",
                  "Gains", "Note"]
# A money change is written as text in a table (a printf format cannot put the sign before the
# currency symbol: present.measures.Measure.table_format), by the registry's measure.
CHANGE_MEASURES = {"Cost per user per month, today": "cost_per_user_before",
                   "Cost per user per month, after": "cost_per_user_after",
                   "Users today": "users_before", "Users after": "users_after"}
COMPARE_COLUMNS = ["Scenario", "Changes", "Yearly cost change", "Yearly IT cost",
                   "IT cost per user per month", "Budget variance after", "Gives up", "Gains"]
COMPARE_MEASURES = {"Yearly IT cost": "yearly_cost",
                    "IT cost per user per month": "cost_per_person_month"}
MAX_COMPARED = 3

# A trade-off's figure: the measure that writes it (text when absent) and its words.
_TRADE_MEASURES = {"availability": "availability_target", "storage_gb": "storage_gb",
                   "block_hours_bought": "block_hours_bought", "price_per_hour": "price_per_hour"}
_TRADE_WORDS = {"availability": "availability", "storage_gb": "storage per user",
                "support": "support", "block_hours_bought": "support hours bought",
                "price_per_hour": "price per hour", "service": "the service"}


@dataclass(frozen=True, eq=False)
class PlanView:
    """One scenario's result: ``headlines`` (yearly cost change, IT cost per user before →
    after, the budget variance after), ``changes`` (a row per change), ``gives_up`` /
    ``gains`` / ``changes_text`` (a sentence per trade-off), ``problems`` (changes that could
    not be applied, and why) and ``notes`` (how it was worked out)."""

    scenario: Scenario
    result: ScenarioResult
    quarter_label: str
    headlines: tuple[Headline, ...]
    changes: Table
    gives_up: tuple[str, ...]
    gains: tuple[str, ...]
    other_changes: tuple[str, ...]
    problems: tuple[str, ...]
    notes: tuple[str, ...]


def _figure(trade: TradeOff, value, currency: str) -> str:
    if value is None or is_missing(value):
        return "none" if trade.what == "service" else "not known"
    key = _TRADE_MEASURES.get(trade.what)
    return fmt_measure(key, value, currency) if key else str(value)


def trade_sentence(change: whatif.ChangeResult, trade: TradeOff, currency: str) -> str:
    """``Move Email to Cloud mail: availability 99.90% → 99.00%``."""
    if trade.what == "service":
        return f"{change.label}: the service itself"
    what = _TRADE_WORDS.get(trade.what, trade.what)
    return (f"{change.label}: {what} {_figure(trade, trade.today, currency)} → "
            f"{_figure(trade, trade.after, currency)}")


def _trades(result: ScenarioResult, verdict: Verdict, currency: str) -> tuple[str, ...]:
    return tuple(trade_sentence(c, t, currency) for c in result.changes for t in c.trade_offs
                 if t.verdict == verdict)


def _per_change(c: whatif.ChangeResult, verdict: Verdict, currency: str) -> str:
    words = [trade_sentence(c, t, currency).split(": ", 1)[1] for t in c.trade_offs
             if t.verdict == verdict]
    return "; ".join(words) or MISSING


def _headlines(result: ScenarioResult, currency: str) -> tuple[Headline, ...]:
    change = result.yearly_cost_change
    before, after = result.cost_per_person_before, result.cost_per_person_after
    year_before = fmt_measure("yearly_cost", result.yearly_cost_before, currency)
    year_after = fmt_measure("yearly_cost", result.yearly_cost_after, currency)
    tiles = [
        Headline("Yearly cost change", fmt_measure("yearly_cost_change", change, currency),
                 sentence=f"A year's IT cost: {year_before} today → {year_after} with the "
                          "scenario (the quarter × 4, a block's price once)."),
        Headline("IT cost per user per month", fmt_measure("cost_per_person_month", after,
                                                           currency),
                 delta=None if is_missing(after - before) else fmt_measure(
                     "cost_per_user_change", after - before, currency),
                 delta_color="inverse",
                 sentence=f"Today {fmt_measure('cost_per_person_month', before, currency)} "
                          f"({fmt_measure('people', result.headcount_before)} people) → "
                          f"{fmt_measure('cost_per_person_month', after, currency)} "
                          f"({fmt_measure('people', result.headcount_after)} people)."),
    ]
    if is_missing(result.variance_after):
        tiles.append(Headline("Budget variance after", MISSING,
                              sentence="This data has no budget for the year, so there is no "
                                       "variance to move."))
    else:
        tiles.append(Headline(
            "Budget variance after", fmt_measure("budget_variance_after",
                                                 result.variance_after, currency),
            delta=fmt_measure("yearly_cost_change", result.variance_after
                              - result.variance_before, currency),
            delta_color="inverse",
            sentence=f"{result.budget_year}: forecast − budget is "
                     f"{fmt_measure('budget_variance_after', result.variance_before, currency)}"
                     " today; with a full year of the scenario, "
                     f"{fmt_measure('budget_variance_after', result.variance_after, currency)}"
                     " (positive: over budget)."))
    return tuple(tiles)


def plan_view(dataset: Dataset, scenario: Scenario, quarter: str | None = None) -> PlanView:
    """The Plan page's result for ``scenario`` on ``quarter`` (default: as whatif.evaluate)."""
    result = whatif.evaluate(dataset, scenario, quarter)
    currency = dataset.settings.currency
    rows = [{
        "Change": c.label,
        "Yearly cost change": fmt_measure("yearly_cost_change", c.yearly_cost_change,
                                          currency),
        "Cost per user per month, today": c.cost_per_user_before,
        "Cost per user per month, after": c.cost_per_user_after,
        "Users today": c.users_before, "Users after": c.users_after,
        "Gives up": _per_change(c, Verdict.GIVES_UP, currency),
        "Gains": _per_change(c, Verdict.GAINS, currency),
        "Note": c.problem or " ".join(c.notes) or MISSING,
    } for c in result.changes]
    label = (quarter_label(result.quarter, dataset.settings.fiscal_year_start)
             if result.quarter else "no quarter")
    return PlanView(
        scenario, result, label, _headlines(result, currency),
        table(rows, CHANGE_COLUMNS, CHANGE_MEASURES, currency),
        _trades(result, Verdict.GIVES_UP, currency), _trades(result, Verdict.GAINS, currency),
        _trades(result, Verdict.CHANGES, currency), result.problems,
        (f"Worked out on {label}. " + " ".join(result.notes),))


def compare_view(dataset: Dataset, scenarios: Sequence[Scenario],
                 quarter: str | None = None) -> tuple[tuple[PlanView, ...], Table]:
    """Up to :data:`MAX_COMPARED` scenarios side by side: each one's view, and a table with a
    row per scenario."""
    views = tuple(plan_view(dataset, s, quarter) for s in scenarios[:MAX_COMPARED])
    currency = dataset.settings.currency
    rows = [{
        "Scenario": v.scenario.name or "Unsaved scenario",
        "Changes": "; ".join(c.label for c in v.result.changes) or MISSING,
        "Yearly cost change": fmt_measure("yearly_cost_change", v.result.yearly_cost_change,
                                          currency),
        "Yearly IT cost": v.result.yearly_cost_after,
        "IT cost per user per month": v.result.cost_per_person_after,
        "Budget variance after": fmt_measure("budget_variance_after", v.result.variance_after,
                                             currency),
        "Gives up": "; ".join(v.gives_up) or MISSING,
        "Gains": "; ".join(v.gains) or MISSING,
    } for v in views]
    return views, table(rows, COMPARE_COLUMNS, COMPARE_MEASURES, currency)


# ---- the editor's choices --------------------------------------------------------------------

@dataclass(frozen=True)
class PlanChoices:
    """What the scenario editor offers: services, each service's market offers (name →
    'name · $15.00 per user per month') and tiers, business units, today's headcount."""

    services: tuple[str, ...]
    offers: dict[str, tuple[str, ...]]
    offer_labels: dict[tuple[str, str], str]
    tiers: dict[str, tuple[str, ...]]
    units: tuple[str, ...]
    users: dict[str, float]
    headcount: float
    unit_headcount: dict[str, float]
    quarter: str | None


def plan_choices(dataset: Dataset, quarter: str | None = None) -> PlanChoices:
    quarter = whatif.resolve_quarter(dataset, quarter)
    currency = dataset.settings.currency
    offers = whatif.offers(dataset)
    by_service: dict[str, tuple[str, ...]] = {}
    labels: dict[tuple[str, str], str] = {}
    for service, rows in offers.groupby("service", sort=True):
        by_service[service] = tuple(rows["offer"])
        for offer, price in zip(rows["offer"], rows["price_per_user_month"], strict=True):
            priced = fmt_measure("price_per_user_month", price, currency)
            labels[(service, offer)] = (f"{offer} · {priced} per user per month"
                                        if not pd.isna(price) else f"{offer} · price on request")
    tiers = whatif.tiers(dataset, quarter)
    usage = dataset.tables.get("usage")
    users: dict[str, float] = {}
    units: tuple[str, ...] = ()
    headcount = 0.0
    unit_headcount: dict[str, float] = {}
    if usage is not None and quarter is not None and len(usage):
        now = usage[usage["quarter"] == quarter]
        per = now.groupby("service")["users"].sum()
        users = {str(k): float(v) for k, v in per.items()}
        headcount = float(per.max()) if len(per) else 0.0
        if "business_unit" in now:
            units = tuple(sorted(now["business_unit"].dropna().unique(), key=str.casefold))
            by_unit = now.groupby(["business_unit", "service"])["users"].sum()
            unit_headcount = {str(u): float(v) for u, v in by_unit.groupby(level=0).max().items()}
    return PlanChoices(
        whatif.services(dataset), by_service, labels,
        {s: tuple(rows["tier"]) for s, rows in tiers.groupby("service", sort=True)},
        units, users, headcount, unit_headcount, quarter)


KIND_OPTIONS = tuple(ChangeKind)


SAVED_COLUMNS = ["Scenario", "Name", "Changes", "Made on", "Saved by", "Saved"]


def saved_table(saved: Sequence, shown_version: int | None) -> Table:
    """The saved scenarios (``store.SavedScenario`` s), newest first: which data each was made
    on, said against the data shown (a scenario stays open on newer data)."""
    rows = []
    for s in saved:
        if s.version_id is None:
            made = "not published data (the sample or a preview)"
        elif s.version_id == shown_version:
            made = f"version {s.version_id} (the data shown)"
        else:
            made = f"version {s.version_id}; worked out here on the data shown"
        changes = s.scenario.get("changes", []) if isinstance(s.scenario, dict) else []
        rows.append({"Scenario": str(s.id), "Name": s.name, "Changes": str(len(changes)),
                     "Made on": made, "Saved by": s.saved_by or MISSING,
                     "Saved": f"{s.saved_at:%Y-%m-%d %H:%M} UTC"})
    return table(rows, SAVED_COLUMNS, {}, "USD")
