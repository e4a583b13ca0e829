"""The words of the executive summary and of a cost explanation.

The analytics (:mod:`valuelib.summary`, :func:`valuelib.costing.explain_cost`) return numbers;
these functions word them for the command line, answers and handouts, every figure written
through the measure registry, so the text says what the pages say.
"""

from __future__ import annotations

import json

from .. import budget, chargeback, costing, market
from ..frames import UNALLOCATED
from ..summary import ExecutiveSummary
from .formatting import (
    MISSING,
    fmt_count,
    fmt_date,
    fmt_hours,
    fmt_percent,
    fmt_points,
    is_missing,
)
from .measures import MEASURES, fmt_measure, measure
from .words import possessive

# ---- the executive summary -------------------------------------------------------------------


def summary_notes(s: ExecutiveSummary) -> tuple[str, ...]:
    """Plain sentences about the summary's gaps: unallocated cost, services without users,
    cost or a value score, quarters whose proactive share is by ticket count."""
    notes = []
    if s.unallocated_lines:
        notes.append(f"{fmt_count(s.unallocated_lines, 'shared cost line')} "
                     f"({fmt_measure('total_cost', s.unallocated_cost, s.currency)}) could not "
                     "be allocated and stay on Unallocated.")
    services = s.services
    for status, words in ((costing.CostStatus.NO_USAGE_DATA, "have cost but no usage data"),
                          (costing.CostStatus.NO_COST_DATA, "have users but no cost lines")):
        names = services.loc[services["status"] == status, "service"].tolist()
        if names:
            notes.append(f"{fmt_count(len(names), 'service')} {words}: {', '.join(names)}.")
    real = services[services["service"] != UNALLOCATED]
    no_value = int(real["value_score"].isna().sum())
    if len(real) and no_value:
        notes.append(f"{fmt_count(no_value, 'service')} without a value score.")
    tickets = s.proactive.loc[s.proactive["basis"] == "tickets", "quarter"].tolist()
    if tickets:
        notes.append("Proactive share by ticket count (no hours) in " + ", ".join(tickets) + ".")
    return tuple(notes)


def summary_json(s: ExecutiveSummary) -> dict:
    """The summary as JSON-safe Python: the figures as numbers (``ExecutiveSummary.to_dict``),
    the notes, and the label, unit and meaning of every measure it carries (from the registry,
    as the pages and the workbook name them)."""
    out = s.to_dict()
    out["notes"] = list(summary_notes(s))
    keys = {k: k for k in (*s.services.columns, *s.proactive.columns, *s.blocks.columns,
                           *s.charges.columns, *s.recovery.columns, *s.line_driven.columns,
                           "total_cost") if k in MEASURES}
    if "price_per_user_month" in s.recovery:  # the recovery's price is IT's own, not a provider's
        keys["price_per_user_month"] = "tier_price_per_user_month"
    keys.update({k: m for k, m in DESK_MEASURES.items() if k in s.service_desk})
    if s.budget is not None:
        keys.update({k: k for k in (*budget.YEAR_COLUMNS, *s.budget_services.columns)
                     if k in MEASURES})
    out["measures"] = {k: {"label": MEASURES[m].label, "unit": str(MEASURES[m].unit),
                           "definition": MEASURES[m].definition} for k, m in keys.items()}
    return out


# the service desk's JSON keys (named plainly, a published interface) -> their measures
DESK_MEASURES = {
    "tickets": "tickets", "tickets_per_user_per_month": "tickets_per_user_month",
    "backlog_at_quarter_end": "backlog", "reopened_tickets": "reopened",
    "reopen_rate_pct": "reopen_rate_pct", "median_hours_to_resolve": "median_resolve_hours",
    "median_hours_to_resolve_p1": "median_resolve_hours_p1", "p1_share_pct": "p1_share_pct",
    "priority_mismatches": "priority_mismatches", "satisfaction_pct": "satisfaction_pct",
}


def summary_json_text(s: ExecutiveSummary) -> str:
    return json.dumps(summary_json(s), indent=2)


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _short(text, width: int = 28) -> str:
    text = "" if is_missing(text) else str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_text(s: ExecutiveSummary) -> str:
    """The summary as a readable plain-text report (what ``valuelib summary`` prints)."""
    cur = s.currency

    def fmt(key, value, **kw):
        return fmt_measure(key, value, cur, **kw)

    out = [f"IT service value summary: {s.organization}, {s.quarter or 'no cost data'}",
           f"Money in {cur}; per user figures are per month.", ""]
    real = s.services[s.services["service"] != UNALLOCATED]
    if s.quarter is None:
        line = "No cost data loaded"
    elif not len(real) and not s.total_cost:
        line = f"No cost lines in {s.quarter}"
    else:
        line = (f"Total cost {fmt('total_cost', s.total_cost)} across "
                f"{fmt_count(len(real), 'service')}")
    if s.unallocated_cost:
        line += f", of which {fmt('total_cost', s.unallocated_cost)} could not be allocated"
    out += [line + ".", ""]
    if s.budget is not None:
        out += [*budget_sentences(s.budget, s.budget_services, cur), ""]

    if len(s.services):
        columns = ["service", "total_cost", "users", "cost_per_user_month", "best_offer",
                   "offer_price_per_user_month", "difference_per_year", "value_score",
                   "value_source", "quadrant"]
        rows = []
        for r in s.services.itertuples(index=False):
            per_user = (fmt("cost_per_user_month", r.cost_per_user_month)
                        if r.status == costing.CostStatus.OK else r.status)
            rows.append([
                _short(r.service), fmt("total_cost", r.total_cost), fmt("users", r.users),
                per_user, _short(r.best_offer, 24),
                fmt("offer_price_per_user_month", r.offer_price_per_user_month, missing=""),
                fmt("difference_per_year", r.difference_per_year, missing="", signed=True),
                fmt("value_score", r.value_score, missing=""),
                fmt("value_source", r.value_source, missing=""),
                "" if is_missing(r.quadrant) else str(r.quadrant),
            ])
        headers = [measure(c).label if c in MEASURES else c.replace("_", " ").capitalize()
                   for c in columns]
        out += _table(headers, rows, right={1, 2, 3, 5, 6, 7})
        dearer = real[real["verdict"] == market.Verdict.DEARER]
        cheaper = real[real["verdict"] == market.Verdict.CHEAPER]
        if len(dearer) or len(cheaper):
            together = fmt("difference_per_year", dearer["difference_per_year"].sum())
            out += ["", f"Market: {fmt_count(len(dearer), 'service')} cost more than the best "
                    f"offer (together {together} a year); {len(cheaper)} cost less."]
        out.append("")

    out.append("Proactive share of support work (proactive ÷ (proactive + reactive)):")
    if len(s.proactive):
        for r in s.proactive.itertuples(index=False):
            share = fmt("proactive_share_pct", r.proactive_share_pct)
            out.append(f"  {r.quarter}  {share.rjust(6)}  by {r.basis}")
        if s.proactive_trend in ("rising", "falling", "steady"):
            known = s.proactive.dropna(subset=["proactive_share_pct"])
            first, last = known.iloc[0], known.iloc[-1]
            out.append(
                f"  {s.proactive_trend.capitalize()}: from "
                f"{fmt('proactive_share_pct', first.proactive_share_pct)} in {first.quarter} "
                f"to {fmt('proactive_share_pct', last.proactive_share_pct)} in {last.quarter} "
                f"({fmt_points(s.proactive_change_points)}).")
    else:
        out.append("  No support data.")
    out.append("")

    out += _desk_lines(s.service_desk)
    out += _chargeback_lines(s)

    if len(s.blocks):
        when = fmt_date(s.as_of) if s.as_of is not None else "today"
        out.append(f"Blocks of hours (as of {when}):")
        out += ["  " + _block_line(b) for b in s.blocks.itertuples(index=False)]
        out.append("")

    notes = summary_notes(s)
    if notes:
        out.append("Notes:")
        out += [f"  - {n}" for n in notes]
    return "\n".join(out).rstrip() + "\n"


def _quarters_span(quarters: tuple[str, ...]) -> str:
    return quarters[0] if len(quarters) == 1 else f"{quarters[0]} to {quarters[-1]}"


def budget_basis_words(b: budget.BudgetSummary, currency: str = "USD") -> str:
    """How the year end was reached, in words: "from Reforecast Q2's forecast rows", "at
    the run rate of $788,208 a quarter (range $… to $…)"."""
    rate = fmt_measure("run_rate", b.run_rate, currency)
    if b.basis == budget.ForecastBasis.FORECAST:
        return f"from {b.forecast_version}'s forecast rows"
    if b.basis == budget.ForecastBasis.ACTUAL:
        return "the year is over: the actual"
    if b.basis == budget.ForecastBasis.NO_DATA:
        return "no actuals to go on"
    what = ("at the run rate" if b.basis == budget.ForecastBasis.RUN_RATE
            else f"from {b.forecast_version}'s forecast rows and the run rate")
    return f"{what} ({rate} a quarter: the mean of the last two quarters)"


def budget_sentences(b: budget.BudgetSummary, services, currency: str = "USD"
                     ) -> list[str]:
    """IT against its budget to date, where the year will end, and the services over or
    under budget: a line or two for the summary, the answers and handouts."""
    def fmt(key, value, **kw):
        return fmt_measure(key, value, currency, **kw)

    out = []
    if b.to_date:
        out.append(
            f"Budget {b.year} (version {b.version}), {_quarters_span(b.to_date)}: actual "
            f"{fmt('actual_ytd', b.actual_ytd)} against {fmt('budget_ytd', b.budget_ytd)}, "
            f"{fmt('variance_ytd', b.variance_ytd)} "
            f"({fmt('variance_ytd_pct', b.variance_ytd_pct)}), {b.status_ytd}.")
    end = (f"End of year predicted {fmt('end_of_year_predicted', b.end_of_year_predicted)} "
           f"against the {fmt('budget_full_year', b.budget_full_year)} budget "
           f"({fmt('full_year_variance', b.full_year_variance)}, {b.status_full_year}), "
           f"{budget_basis_words(b, currency)}")
    if b.basis in (budget.ForecastBasis.RUN_RATE, budget.ForecastBasis.MIXED):
        end += (f"; range {fmt('end_of_year_low', b.end_of_year_low)} to "
                f"{fmt('end_of_year_high', b.end_of_year_high)}")
    out.append(end + ".")
    if services is not None and len(services):
        parts = []
        for status in (budget.BudgetStatus.OVER, budget.BudgetStatus.UNDER):
            rows = services[services["status_ytd"] == status]
            if len(rows):
                names = ", ".join(
                    f"{r.service} ({fmt('variance_ytd', r.variance_ytd)}, "
                    f"{fmt('variance_ytd_pct', r.variance_ytd_pct)})"
                    for r in rows.itertuples(index=False))
                parts.append(f"{status.capitalize()} to date: {names}.")
        out.append(" ".join(parts) if parts else "Every budgeted service is on budget to date.")
    return out


def _desk_lines(d: dict) -> list[str]:
    """The service desk block of the text summary; a figure that cannot be computed is said
    in words."""
    if not d:
        return ["Service desk: no support data.", ""]
    head = f"Service desk, {d['quarter']}"
    if d["incomplete"]:
        head += " (incomplete quarter: far fewer tickets than the quarters before)"

    def fmt(key, value, words):
        return fmt_measure(key, value, missing=words)

    reopened = ("not recorded" if d["reopened_tickets"] is None else
                f"{fmt('reopened', d['reopened_tickets'], '')} "
                f"({fmt('reopen_rate_pct', d['reopen_rate_pct'], 'not recorded')})")
    missing = {"tickets_per_user_per_month": "no usage data",
               "median_hours_to_resolve": "no tickets resolved",
               "median_hours_to_resolve_p1": "no P1 tickets resolved",
               "p1_share_pct": "no priorities recorded", "satisfaction_pct": "no responses"}
    rows = []
    for key, m in DESK_MEASURES.items():
        if key == "reopen_rate_pct":
            continue  # beside the reopened count
        label = measure(m).label
        if key == "median_hours_to_resolve_p1":  # the table's "P1 median" needs its noun here
            label = f"{measure('median_resolve_hours').label}, P1"
        value = (reopened if key == "reopened_tickets"
                 else fmt(m, d[key], missing.get(key, "0")))
        rows.append((label, value))
    width = max(len(label) for label, _ in rows)
    return [head + ":", *(f"  {label.ljust(width)}  {value}" for label, value in rows), ""]


def _chargeback_lines(s: ExecutiveSummary) -> list[str]:
    """One or two lines: what units were charged and the line-driven share; the services
    that do not pay for themselves. Nothing without tiers."""
    now = s.line_driven_now
    if now is None and s.charges.empty:
        return []
    cur = s.currency
    total = s.charges["charge"].sum() if len(s.charges) else 0.0
    line = (f"Chargeback, {s.quarter}: business units were charged "
            f"{fmt_measure('charge', total, cur)}")
    if now is not None and not is_missing(now["line_driven_pct"]):
        share = fmt_measure("line_driven_pct", now["line_driven_pct"])
        line += f", a line-driven share of {share} of IT cost"
    lines = [line + "."]
    under = s.recovery[s.recovery["status"] == chargeback.RecoveryStatus.UNDER]
    if len(under):
        worst = under.iloc[0]
        lines.append(
            f"Under-recovered: {fmt_count(len(under), 'service')}, together "
            f"{fmt_measure('over_under', under['over_under'].sum(), cur)}; most "
            f"{worst.service} ({fmt_measure('recovery_pct', worst.recovery_pct)} of its cost, "
            f"{fmt_measure('over_under', worst.over_under, cur)}).")
    return [*lines, ""]


def _block_line(b) -> str:
    name = b.block + ("" if is_missing(b.vendor) else f" ({b.vendor})")
    if is_missing(b.purchased_hours):
        return f"{name}: {fmt_hours(b.used_hours)} used; not in the Blocks sheet."
    if (not is_missing(b.start) and not is_missing(b.as_of) and b.as_of <= b.start
            and not b.used_hours):
        return (f"{name}: {fmt_hours(b.purchased_hours)}, starts on {fmt_date(b.start)}; no "
                "support data from its period yet.")
    text = (f"{name}: {fmt_hours(b.used_hours)} of {fmt_hours(b.purchased_hours)} used "
            f"({fmt_measure('used_pct', b.used_pct)})")
    if b.overrun_hours > 0:
        text += f", {fmt_hours(b.overrun_hours)} over"
    else:
        text += f", {fmt_hours(b.remaining_hours)} left"
    if b.warning != "none":
        text += f"; warning: {b.warning}% used"
    if not is_missing(b.burn_rate_hours_per_day):
        burn = fmt_measure("burn_rate_hours_per_day", b.burn_rate_hours_per_day)
        text += f"; burning {burn} a day"
    if not is_missing(b.runout_date):
        verb = "ran out on" if b.runout_basis == "actual" else "runs out about"
        text += f"; {verb} {fmt_measure('runout_date', b.runout_date)}"
    return text + "."


# ---- a cost explanation ----------------------------------------------------------------------

def explanation_text(e: costing.CostExplanation, currency: str | None = None, *,
                     quarter: str | None = None, unit: str | None = None,
                     total: float | None = None) -> str:
    """What a service costs and its largest parts, from the allocation lines: 'Email cost
    $11,168 in 2026-Q3: $12.58 per user per month for 296 users. Largest parts of the
    service's cost: Email licences $2,774 (25%); share of Security suite $1,962 (18%); …'.
    ``quarter``: the quarter as the page names it; ``unit`` and ``total``: a business unit and
    its share of the cost (its showback)."""
    currency = currency or e.currency
    quarter = quarter or e.quarter
    if e.status == costing.CostStatus.NO_COST_DATA:
        return f"{e.service} has no cost lines in {quarter}."
    total = e.total_cost if total is None else total
    whose = f"{possessive(unit)} share of {e.service}" if unit else e.service
    text = f"{whose} cost {fmt_measure('total_cost', total, currency)} in {quarter}"
    if e.status == costing.CostStatus.OK:
        text += (f": {fmt_measure('cost_per_user_month', e.cost_per_user_month, currency)} "
                 f"per user per month for {fmt_count(e.users, 'user')}")
    else:
        text += f" ({e.status})"
    parts = [f"{_line_name(r)} {fmt_measure('amount', r.amount, currency)} "
             f"({fmt_percent(r.pct_of_total, 0)})"
             for r in e.lines.head(3).itertuples(index=False)]
    if parts:
        text += ". Largest parts of the service's cost: " + "; ".join(parts)
    return text + "."


def line_label(r) -> str:
    """A cost line as the ledger names it: its note, else its cost pool."""
    if isinstance(r.note, str) and r.note:
        return r.note
    return MISSING if is_missing(r.cost_pool) else str(r.cost_pool)


def _line_name(r) -> str:
    return line_label(r) if r.method == "direct" else f"share of {line_label(r)}"


__all__ = ["explanation_text", "line_label", "summary_json", "summary_json_text",
           "summary_notes", "summary_text"]
