"""Answers about the budget (issue 17): are we over budget (IT or a service), which services
are over (or under) budget this year, and where will we end the year.

Every figure is valuelib.budget's (``compare``, ``summary``, ``largest_variances``), written by
the measure registry. Variance is held against the version named "Budget" unless the question
names another version; the sentence always says which. Without a Budget sheet these intents
are refused before they get here (``ask._refusal``)."""

from __future__ import annotations

import pandas as pd

from .. import budget
from ..present.summary_text import budget_basis_words
from . import charts
from .common import Context, asked, join_how, names_list, plain, possessive, quarters_of
from .result import Answer

_STATUS_WORDS = {
    budget.BudgetStatus.OVER: ("over", "overspend", "overspent", "overspending", "above"),
    budget.BudgetStatus.UNDER: ("under", "underspend", "underspent", "underspending", "below"),
    budget.BudgetStatus.ON: ("on budget", "within", "on track", "track"),
}
_YES_NO_START = ("is ", "are ", "am ", "will ", "have ", "has ", "did ", "do ", "does ",
                 "were ", "was ")


def _as_of(ctx: Context) -> str | None:
    """The quarter the question is as of: the page's or the question's quarter (the last of
    a year or span), else None (budget's default: the latest complete quarter)."""
    q = ctx.query
    if q.time.kind == "default":
        return None
    period = ctx.period(quarters_of(ctx.dataset, "costs"))
    return period.last if period.quarters else None


def _version(ctx: Context) -> str | None:
    """A version the question names ("against Reforecast Q2", "against the reforecast") that
    holds budget rows, else None (the default). Longer and non-default names are tried
    first, so "over budget against the reforecast" is not read as the version "Budget"."""
    text = ctx.query.text.casefold()
    default = budget.default_version(ctx.dataset)
    listed = sorted(budget.versions(ctx.dataset), key=lambda v: (v == default, -len(v)))
    named = next((v for v in listed if v != default and v.casefold() in text), None)
    if named is None and ("reforecast" in text or "re-forecast" in text):
        named = next((v for v in reversed(budget.versions(ctx.dataset)) if v != default),
                     None)
    return named if named is not None and named in budget.budget_versions(ctx.dataset) \
        else None


def _yes_no(ctx: Context, status: str) -> str:
    """"Yes. " / "No. " for "are we over / under / on budget?"."""
    text = ctx.query.text.strip().casefold()
    if not text.startswith(_YES_NO_START):
        return ""
    for meant, words in _STATUS_WORDS.items():
        if asked(ctx.query, *words):
            return "Yes. " if status == meant else "No. "
    return ""


def _versions_note(c: budget.BudgetComparison) -> str:
    note = (f"Compared with the version '{c.version}'"
            + (" (the approved budget: the default)" if c.version == budget.DEFAULT_VERSION
               else ""))
    others = [v for v in c.versions if v != c.version]
    if others:
        note += (f"; other versions: {names_list(others)} (name one that holds budget rows "
                 "in the question to compare with it")
        if c.forecast_version:
            note += f"; the year end takes its forecast rows from {c.forecast_version}"
        note += ")"
    return note + "."


def _year_end_words(ctx: Context, row, c: budget.BudgetComparison, who: str) -> str:
    s = _summary_of(row, c)
    end = (f"{who} will end {c.year} at about "
           f"{ctx.fmt('end_of_year_predicted', row['end_of_year_predicted'])} against a "
           f"budget of {ctx.fmt('budget_full_year', row['budget_full_year'])} "
           f"({ctx.fmt('full_year_variance', row['full_year_variance'])}, "
           f"{ctx.fmt('full_year_variance_pct', row['full_year_variance_pct'])}: "
           f"{row['status_full_year']})")
    if c.remaining:
        left = c.remaining[0] if len(c.remaining) == 1 else (
            f"{c.remaining[0]} to {c.remaining[-1]}")
        end += (f": {ctx.fmt('actual_ytd', row['actual_ytd'])} so far + "
                f"{ctx.fmt('remaining_forecast', row['remaining_forecast'])} for {left}, "
                f"{budget_basis_words(s, ctx.currency)}")
        if row["basis"] in (budget.ForecastBasis.RUN_RATE, budget.ForecastBasis.MIXED):
            end += (f"; range {ctx.fmt('end_of_year_low', row['end_of_year_low'])} to "
                    f"{ctx.fmt('end_of_year_high', row['end_of_year_high'])}")
    return end + "."


def _summary_of(row, c: budget.BudgetComparison) -> budget.BudgetSummary:
    return budget.BudgetSummary(
        version=c.version, forecast_version=c.forecast_version, versions=c.versions,
        year=c.year, quarter=c.quarter, to_date=c.to_date, remaining=c.remaining,
        **{k: row[k] for k in budget.YEAR_COLUMNS})


def _to_date(c: budget.BudgetComparison) -> str:
    if not c.to_date:
        return f"{c.year} (no quarter of it has actuals yet)"
    span = c.to_date[0] if len(c.to_date) == 1 else f"{c.to_date[0]} to {c.to_date[-1]}"
    return f"{c.year} so far ({span})"


def _ytd_words(ctx: Context, row, c: budget.BudgetComparison, who: str) -> str:
    return (f"{who} {'is' if who != 'We' else 'are'} {row['status_ytd']} for {_to_date(c)}: "
            f"actual {ctx.fmt('actual_ytd', row['actual_ytd'])} against "
            f"{ctx.fmt('budget_ytd', row['budget_ytd'])} budgeted, "
            f"{ctx.fmt('variance_ytd', row['variance_ytd'])} "
            f"({ctx.fmt('variance_ytd_pct', row['variance_ytd_pct'])}).")


def _figures(ctx: Context, row, c: budget.BudgetComparison, who: str,
             service: str | None, year_end_first: bool = False):
    ytd = [ctx.fig("variance_ytd", row["variance_ytd"], f"{who}: variance to date", c.quarter,
                   service),
           ctx.fig("actual_ytd", row["actual_ytd"], f"{who}: actual to date", c.quarter,
                   service),
           ctx.fig("budget_ytd", row["budget_ytd"], f"{who}: budget to date", c.quarter,
                   service)]
    end = [ctx.fig("end_of_year_predicted", row["end_of_year_predicted"],
                   f"{who}: end of {c.year} predicted", c.quarter, service),
           ctx.fig("full_year_variance", row["full_year_variance"],
                   f"{who}: full-year variance", c.quarter, service)]
    return (*end, *ytd) if year_end_first else (*ytd, *end)


def _service_rows(ctx: Context, c: budget.BudgetComparison) -> tuple[pd.DataFrame, list[str]]:
    year = c.year_table.set_index("service")
    named = [s for s in ctx.query.services if s in year.index]
    missing = [s for s in ctx.query.services if s not in year.index]
    return year.loc[named].reset_index(), missing


def _compared(ctx: Context, intent: str
              ) -> Answer | tuple[budget.BudgetComparison, pd.DataFrame, list[str]]:
    """The comparison a question asks for (IT, or the services it names) and its year rows
    with the services the budget does not name; or the answer saying there is nothing."""
    services = ctx.query.services
    c = budget.compare(ctx.dataset, "service" if services else "it", version=_version(ctx),
                       quarter=_as_of(ctx))
    rows, missing = _service_rows(ctx, c) if services else (c.year_table, [])
    if services and rows.empty:
        return _no_budget_for(ctx, intent, missing, c)
    if rows.empty:
        return plain(ctx, intent, f"The version '{c.version}' sets no budget for {c.year}.")
    return c, rows, missing


def _no_budget_for(ctx: Context, intent: str, missing: list[str], c) -> Answer:
    sentence = (f"{names_list(missing)} {'has' if len(missing) == 1 else 'have'} no budget "
                f"in the version '{c.version}'; the budget names "
                f"{names_list(list(c.year_table['service'])) or 'no services'}.")
    return plain(ctx, intent, sentence, follow=intent)


def _said(ctx: Context, c: budget.BudgetComparison, rows: pd.DataFrame, to_date: bool
          ) -> tuple[list[str], list]:
    """Each row's sentences (the year to date first when ``to_date``, then the year end) and
    figures (the year end's first when not ``to_date``)."""
    sentences, figures = [], []
    for _, row in rows.iterrows():
        service = row["service"] if ctx.query.services else None
        who = service or "IT"
        if to_date:
            sentences.append(_ytd_words(ctx, row, c, service or "We"))
        sentences.append(_year_end_words(ctx, row, c, who))
        figures += _figures(ctx, row, c, who, service, year_end_first=not to_date)
    return sentences, figures


def budget_status(ctx: Context) -> Answer:
    """"Are we over budget?", "are we on budget for CRM?", "budget variance": the year to date
    against the budget (IT or the services named), and where the year will end."""
    services = ctx.query.services
    found = _compared(ctx, "budget")
    if isinstance(found, Answer):
        return found
    c, rows, missing = found
    sentences, figures = _said(ctx, c, rows, to_date=True)
    first = rows.iloc[0]
    if missing:
        sentences.append(f"{names_list(missing)} has no budget in '{c.version}'.")
    per_q = c.quarters
    if services:
        per_q = per_q[per_q["service"].isin(list(rows["service"]))]
        tbl = ctx.table(per_q, "quarter service budget forecast actual variance variance_pct",
                        quarter="Quarter", service="Service")
    else:
        tbl = ctx.table(per_q, "quarter budget forecast actual variance variance_pct",
                        quarter="Quarter")
    shown = per_q.dropna(subset=["variance"])
    labels = shown["quarter"] + ("" if not services else " " + shown["service"])
    chart = charts.bar(labels, shown["variance"],
                       f"Actual − budget by quarter, {c.year} ({c.version})", ctx.currency,
                       highlight=list(labels[shown["variance"] > 0]), horizontal=False)
    how = join_how(f"valuelib.budget.compare ({'per service' if services else 'IT'}) for "
                   f"{c.year} as of {c.quarter}: variance = actual − budget; within ± "
                   f"{budget.ON_BUDGET_PCT:g}% reads on budget.", _versions_note(c))
    return ctx.done("budget", _yes_no(ctx, first["status_ytd"]) + " ".join(sentences),
                    figures, tbl, chart, how=how)


def services_over_budget(ctx: Context) -> Answer:
    """"Which services are over budget this year?" (or under): the services by their
    variance to date, the largest explained down to its cost lines."""
    c = budget.compare(ctx.dataset, "service", version=_version(ctx), quarter=_as_of(ctx))
    under = asked(ctx.query, *_STATUS_WORDS[budget.BudgetStatus.UNDER])
    wanted = budget.BudgetStatus.UNDER if under else budget.BudgetStatus.OVER
    year = c.year_table
    chosen = year[year["status_ytd"] == wanted]
    word = "under" if under else "over"
    if year.empty:
        return plain(ctx, "budget_services", f"The version '{c.version}' budgets no service "
                     f"for {c.year}; ask about IT as a whole instead.", follow="budget")
    if chosen.empty:
        sentence = (f"No service is {word} budget for {_to_date(c)}, against the version "
                    f"'{c.version}' (within ± {budget.ON_BUDGET_PCT:g}% reads on budget).")
    else:
        listed = "; ".join(
            f"{r.service} {ctx.fmt('variance_ytd', r.variance_ytd)} "
            f"({ctx.fmt('variance_ytd_pct', r.variance_ytd_pct)})"
            for r in chosen.itertuples(index=False))
        sentence = (f"{len(chosen)} of {len(year)} budgeted services "
                    f"{'is' if len(chosen) == 1 else 'are'} {word} budget for {_to_date(c)}, "
                    f"against the version '{c.version}': {listed}.")
        t = budget.explain_variance(ctx.dataset, chosen.iloc[0]["service"], version=c.version,
                                    quarter=c.quarter)
        if t is not None:
            line = t.cost.lines.iloc[0] if len(t.cost.lines) else None
            sentence += (f" {possessive(t.service)} furthest quarter is {t.quarter} "
                         f"({ctx.fmt('variance', t.quarter_variance)})")
            if line is not None:
                what = line["note"] if isinstance(line["note"], str) else line["cost_pool"]
                sentence += (f"; its largest cost line then is {what}, "
                             f"{ctx.total(line['amount'])}")
            sentence += "."
    figures = [ctx.fig("variance_ytd", r.variance_ytd, f"{r.service}: variance to date",
                       c.quarter, r.service) for r in chosen.itertuples(index=False)]
    tbl = ctx.table(year, "service budget_ytd actual_ytd variance_ytd variance_ytd_pct "
                          "status_ytd end_of_year_predicted full_year_variance",
                    service="Service")
    chart = charts.bar(year["service"], year["variance_ytd"].fillna(0.0),
                       f"Actual − budget to date by service, {c.year} ({c.version})",
                       ctx.currency, highlight=list(chosen["service"]))
    how = join_how(f"valuelib.budget.compare per service for {c.year} as of {c.quarter}, "
                   "largest variance first; the largest explained by costing.explain_cost.",
                   _versions_note(c))
    return ctx.done("budget_services", sentence, figures, tbl, chart, how=how)


def year_end(ctx: Context) -> Answer:
    """"Where will we end the year?", "year end forecast": actual to date + the remaining
    quarters (forecast rows, or the run rate with its range) against the full-year budget."""
    services = ctx.query.services
    found = _compared(ctx, "year_end")
    if isinstance(found, Answer):
        return found
    c, rows, _missing = found
    sentences, figures = _said(ctx, c, rows, to_date=False)
    cols = ("budget_full_year actual_ytd remaining_forecast end_of_year_predicted "
            "end_of_year_low end_of_year_high full_year_variance basis")
    tbl = ctx.table(rows.assign(forecast_basis=rows["basis"]),
                    ("service " if services else "") + cols.replace("basis",
                                                                    "forecast_basis"),
                    service="Service")
    first = rows.iloc[0]
    who = first["service"] if services else "IT"
    chart = charts.bar(
        ["Budget", "Actual to date", "End of year predicted"],
        [first["budget_full_year"], first["actual_ytd"], first["end_of_year_predicted"]],
        f"{who}: end of {c.year} predicted against its budget", ctx.currency,
        highlight=["End of year predicted"], horizontal=False)
    how = join_how(f"valuelib.budget.compare for {c.year} as of {c.quarter}: actual to date + "
                   "the remaining quarters' forecast rows (the latest version with any: "
                   f"{c.forecast_version or 'none'}), or else the run rate (the mean of the "
                   f"last {budget.RUN_RATE_QUARTERS} quarters), its range the lowest and "
                   f"highest of the last {budget.RANGE_QUARTERS}.", _versions_note(c))
    return ctx.done("year_end", " ".join(sentences), figures, tbl, chart, how=how)
