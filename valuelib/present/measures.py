"""The measure registry: every figure the product shows, once — its key, label, unit and a
one-line definition.

A page tile, a table column, an answer, the CLI summary and every handout look a measure up
here, so one figure reads the same string everywhere (:func:`fmt_measure`) and tables keep
numbers (:attr:`Measure.table_format` is how a table column shows them).

Units:

- ``money``: totals in the reporting currency, whole units (``$80,800``);
- ``money_per_user``: per-user prices and costs, always with cents (``$12.58``, ``$125.00``):
  these are compared against market prices, where cents matter at every size;
- ``percent``: on the 0–100 scale, one decimal (``24.0%``); ``availability`` two
  (``99.95%``: the second decimal is the difference between offers); ``points``: a change
  between two percents (``+3.7 pts``);
- ``money_change`` and ``money_per_user_change`` (a change in money, its sign always
  written, with the decimals of what changed: ``+$29,413``, ``−$0.35``) and
  ``change`` (a relative change, one decimal, signed: ``+6.2%``);
- ``hours`` (``43.3 h``; from 100 up without decimals), ``count`` (``1,204``),
  ``rate`` (two decimals: tickets per user per month), ``score`` (0–100, whole: ``72``),
  ``date`` (``30 Sep 2026``) and ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .formatting import (
    CURRENCY_SYMBOLS,
    MINUS,
    MISSING,
    fmt_change,
    fmt_date,
    fmt_hours,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_points,
    fmt_signed_money,
)


class Unit(StrEnum):
    MONEY = "money"
    MONEY_PER_USER = "money_per_user"
    PERCENT = "percent"
    AVAILABILITY = "availability"
    POINTS = "points"
    MONEY_CHANGE = "money_change"
    MONEY_PER_USER_CHANGE = "money_per_user_change"
    CHANGE = "change"
    HOURS = "hours"
    COUNT = "count"
    RATE = "rate"
    SCORE = "score"
    DATE = "date"
    TEXT = "text"


@dataclass(frozen=True)
class Measure:
    """One figure: ``key`` (the analytics' column name), ``label`` as people read it, its
    ``unit`` and what it means in one line."""

    key: str
    label: str
    unit: Unit
    definition: str = ""

    def format(self, value, currency: str = "USD", *, missing: str = MISSING,
               signed: bool = False) -> str:
        """The value as every surface writes it (``signed``: money with ``+`` before a gain)."""
        if signed and self.unit in MONEY_DECIMALS:
            return fmt_money(value, currency, MONEY_DECIMALS[self.unit], signed=True,
                             missing=missing)
        return _FORMATTERS[self.unit](value, currency, missing)

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_DECIMALS

    def excel_format(self, currency: str = "USD") -> str | None:
        """The Excel number format that shows a cell as :meth:`format` writes the value (a
        percent's cell holds the fraction: 24.0% is 0.24), or None for text."""
        return excel_format(self.unit, currency)

    def hover(self, value: str = "y", currency: str = "USD") -> str:
        """A Plotly hover-template piece writing ``%{value}`` as this measure
        (``$%{y:,.2f}``, ``%{y:.1f}%``)."""
        spec = _D3.get(self.unit)
        if spec is None:
            return f"%{{{value}}}"
        body = f"%{{{value}:{spec}}}"
        if self.unit in MONEY_PLACES:
            return _in_currency(body, currency)
        return body + _D3_SUFFIX.get(self.unit, "")

    def table_format(self, currency: str = "USD") -> str | None:
        """How a table column shows the number (a printf format for ``st.column_config``), or
        None for text, dates (:data:`TABLE_DATE_FORMAT`) and money changes (a printf format
        cannot write the sign before the currency symbol: ``+$29,413``; tables show their
        text)."""
        return {
            Unit.MONEY: _in_currency("%,.0f", currency),
            Unit.MONEY_PER_USER: _in_currency("%,.2f", currency),
            Unit.PERCENT: "%.1f%%", Unit.AVAILABILITY: "%.2f%%", Unit.POINTS: "%+.1f pts",
            Unit.CHANGE: "%+.1f%%", Unit.HOURS: "%,.1f h",
            Unit.COUNT: "%,.0f", Unit.RATE: "%,.2f", Unit.SCORE: "%.0f",
        }.get(self.unit)


MONEY_DECIMALS = {Unit.MONEY: 0, Unit.MONEY_PER_USER: 2}
MONEY_CHANGE_DECIMALS = {Unit.MONEY_CHANGE: 0, Unit.MONEY_PER_USER_CHANGE: 2}
# every unit written as money (an amount or a change in one) -> its decimals
MONEY_PLACES = {**MONEY_DECIMALS, **MONEY_CHANGE_DECIMALS}
TABLE_DATE_FORMAT = "D MMM YYYY"  # a table's dates as fmt_date writes them: 30 Sep 2026


def _in_currency(body: str, currency: str) -> str:
    """A number format with the currency: ``$`` / ``€`` / ``£`` before, any other code after
    (as :func:`~valuelib.present.formatting.fmt_money` writes it)."""
    symbol = CURRENCY_SYMBOLS.get(str(currency).upper())
    return f"{symbol}{body}" if symbol else f"{body} {currency}"

# Plotly (d3) number formats: the same decimals as the formatter
_D3 = {Unit.MONEY: ",.0f", Unit.MONEY_PER_USER: ",.2f", Unit.PERCENT: ".1f",
       Unit.AVAILABILITY: ".2f", Unit.POINTS: "+.1f", Unit.MONEY_CHANGE: "+,.0f",
       Unit.MONEY_PER_USER_CHANGE: "+,.2f", Unit.CHANGE: "+.1f", Unit.HOURS: ",.1f",
       Unit.COUNT: ",.0f", Unit.RATE: ",.2f", Unit.SCORE: ".0f"}
_D3_SUFFIX = {Unit.PERCENT: "%", Unit.CHANGE: "%", Unit.AVAILABILITY: "%", Unit.POINTS: " pts",
              Unit.HOURS: " h"}


def money_format(currency: str, decimals: int) -> str:
    """The Excel format of money: ``"$"#,##0.00`` / ``"€"#,##0`` / ``#,##0.00 "CHF"``."""
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    symbol = CURRENCY_SYMBOLS.get(str(currency).upper())
    return f'"{symbol}"{digits}' if symbol else f'{digits} "{currency}"'


def excel_format(unit: Unit | str, currency: str = "USD") -> str | None:
    """The Excel number format of a unit; negatives take the typographic minus, as
    :func:`~valuelib.present.formatting.fmt_money` writes them."""
    unit = Unit(unit)
    if unit in MONEY_DECIMALS:
        positive = money_format(currency, MONEY_DECIMALS[unit])
        negative = (f'"{MINUS}{positive[1:]}' if positive.startswith('"')
                    else f'"{MINUS}"{positive}')
        return f"{positive};{negative}"
    if unit in MONEY_CHANGE_DECIMALS:
        body = money_format(currency, MONEY_CHANGE_DECIMALS[unit])
        if body.startswith('"'):  # the sign joins the symbol's quotes: "+$"#,##0
            return f'"+{body[1:]};"{MINUS}{body[1:]};{body}'
        return f'"+"{body};"{MINUS}"{body};{body}'
    if unit == Unit.POINTS:
        return f'"+"0.0" pts";"{MINUS}"0.0" pts";0.0" pts"'
    if unit == Unit.CHANGE:
        return f'"+"0.0%;"{MINUS}"0.0%;0.0%'
    elif unit == Unit.HOURS:  # one decimal below 100 hours, none from 100 up
        return f'[>=100]#,##0" h";[<=-100]"{MINUS}"#,##0" h";#,##0.0" h"'
    elif unit == Unit.DATE:
        return "d mmm yyyy"
    else:
        positive = {Unit.PERCENT: "0.0%", Unit.AVAILABILITY: "0.00%", Unit.COUNT: "#,##0",
                    Unit.RATE: "#,##0.00", Unit.SCORE: "0"}.get(unit)
        if positive is None:
            return None
    return f'{positive};"{MINUS}"{positive}'


_FORMATTERS = {
    Unit.MONEY: lambda v, c, m: fmt_money(v, c, 0, missing=m),
    Unit.MONEY_PER_USER: lambda v, c, m: fmt_money(v, c, 2, missing=m),
    Unit.PERCENT: lambda v, c, m: fmt_percent(v, missing=m),
    Unit.AVAILABILITY: lambda v, c, m: fmt_percent(v, 2, missing=m),
    Unit.POINTS: lambda v, c, m: fmt_points(v, missing=m),
    Unit.MONEY_CHANGE: lambda v, c, m: fmt_signed_money(v, c, 0, missing=m),
    Unit.MONEY_PER_USER_CHANGE: lambda v, c, m: fmt_signed_money(v, c, 2, missing=m),
    Unit.CHANGE: lambda v, c, m: fmt_change(v, missing=m),
    Unit.HOURS: lambda v, c, m: fmt_hours(v, missing=m),
    Unit.COUNT: lambda v, c, m: fmt_number(v, missing=m),
    Unit.RATE: lambda v, c, m: fmt_number(v, 2, missing=m),
    Unit.SCORE: lambda v, c, m: fmt_number(v, missing=m),
    Unit.DATE: lambda v, c, m: fmt_date(v, missing=m),
    Unit.TEXT: lambda v, c, m: m if v is None or v != v else str(v),
}


def _m(key: str, label: str, unit: Unit, definition: str = "") -> Measure:
    return Measure(key, label, unit, definition)


MEASURES: dict[str, Measure] = {m.key: m for m in (
    # cost
    _m("total_cost", "Total cost", Unit.MONEY,
       "A service's own cost lines plus its shares of shared lines, in the quarter."),
    _m("direct_cost", "Direct cost", Unit.MONEY, "The service's own cost lines."),
    _m("allocated_cost", "Allocated cost", Unit.MONEY, "Its shares of shared cost lines."),
    _m("comparable_cost", "Like-for-like cost", Unit.MONEY,
       "The part of total cost on lines marked comparable (held against market offers)."),
    _m("cost_per_user_month", "Cost per user per month", Unit.MONEY_PER_USER,
       "Total cost ÷ users ÷ 3 months."),
    _m("comparable_cost_per_user_month", "Like-for-like cost per user per month",
       Unit.MONEY_PER_USER, "Comparable cost ÷ users ÷ 3 months: the figure held against "
       "market offers."),
    _m("cost_per_person_month", "IT cost per user per month", Unit.MONEY_PER_USER,
       "All IT cost ÷ the headcount ÷ 3 months."),
    _m("qoq_change", "Change on previous quarter", Unit.MONEY_CHANGE,
       "This quarter's figure − the previous quarter's."),
    _m("qoq_pct", "Change on previous quarter", Unit.CHANGE,
       "The change on the previous quarter, relative to it."),
    _m("yoy_pct", "Change on a year before", Unit.CHANGE,
       "The change on the same quarter a year before, relative to it."),
    _m("change", "Change", Unit.MONEY_CHANGE, "The last quarter's cost − the first's."),
    _m("cost_per_user_change", "Change", Unit.MONEY_PER_USER_CHANGE,
       "The change in cost per user per month."),
    _m("change_pct", "Change", Unit.CHANGE,
       "The last quarter's cost against the first's, relative to the first."),
    _m("users", "Users", Unit.COUNT, "Users of the service in the quarter (the sum of its "
       "Usage rows)."),
    _m("people", "Headcount", Unit.COUNT, "The largest user count of any service in the "
       "quarter."),
    _m("cost", "Cost", Unit.MONEY, "A business unit's share of the service's cost, in "
       "proportion to its users."),
    _m("share_pct", "Share", Unit.PERCENT, "The unit's share of the service's users."),
    # cost lines
    _m("source_amount", "Line amount", Unit.MONEY, "The ledger line's full amount."),
    _m("share", "Share", Unit.PERCENT, "The share of the line that reaches the service."),
    _m("amount", "Amount", Unit.MONEY, "Line amount × share."),
    _m("pct_of_total", "% of service cost", Unit.PERCENT,
       "The amount as a share of the service's total cost."),
    _m("per_user_month", "Per user per month", Unit.MONEY_PER_USER,
       "The amount ÷ users ÷ 3 months."),
    _m("source_row", "Row", Unit.COUNT, "The row in the uploaded sheet, as Excel numbers it."),
    _m("driver", "Driver", Unit.RATE, "The receiving service's users, tickets, hours, direct "
       "cost, 1 (even) or rule percent."),
    _m("driver_total", "Driver total", Unit.RATE,
       "The driver summed over every receiving service."),
    # market
    _m("price_per_user_month", "Price per user per month", Unit.MONEY_PER_USER,
       "The provider's price per user per month."),
    _m("offer_price_per_user_month", "Offer per user per month", Unit.MONEY_PER_USER,
       "The cheapest applicable offer's price per user per month."),
    _m("internal_per_user_month", "In-house like for like", Unit.MONEY_PER_USER,
       "Like-for-like cost per user per month."),
    _m("difference_per_user_month", "In-house − offer per user per month",
       Unit.MONEY_PER_USER, "Positive: the offer is cheaper."),
    _m("difference_per_year", "Buying it instead saves, a year", Unit.MONEY,
       "(In-house − offer) × users × 12: positive is what buying would save."),
    _m("availability", "Offer availability", Unit.AVAILABILITY,
       "Availability the provider promises."),
    _m("availability_target", "Availability target", Unit.AVAILABILITY,
       "Availability the service promises."),
    _m("storage_gb", "Storage (GB)", Unit.COUNT, "Storage per user in GB."),
    _m("as_of", "Price checked", Unit.DATE, "When the price was checked."),
    _m("availability_gap", "Offer − target", Unit.POINTS,
       "Offer availability − the service's target, in percentage points."),
    # value
    _m("value_score", "Value score", Unit.SCORE,
       "0–100: the mean of the parts present, business value ((score − 1) ÷ 4 × 100) and "
       "satisfaction (as a percent), weighted by respondents."),
    _m("business_value", "Business value (1–5)", Unit.RATE,
       "Mean rating, weighted by respondents."),
    _m("respondents", "Respondents", Unit.COUNT, "People who answered the survey."),
    _m("value_median", "Value median", Unit.SCORE,
       "The split between high and low value: the median over the services placed."),
    _m("cost_median", "Cost median per user per month", Unit.MONEY_PER_USER,
       "The split between high and low cost: the median over the services placed."),
    # support
    _m("proactive_share_pct", "Proactive share", Unit.PERCENT,
       "Proactive ÷ (proactive + reactive) hours, or tickets where no hours are recorded."),
    _m("tickets", "Tickets", Unit.COUNT, "Tickets opened in the period."),
    *(_m(f"{c}_tickets", f"{c.capitalize()} tickets", Unit.COUNT, f"Tickets of {c} work.")
      for c in ("proactive", "reactive", "routine", "unclassified")),
    _m("p1_share_pct", "P1 share", Unit.PERCENT, "P1 tickets ÷ the tickets with a priority."),
    _m("priority_mismatches", "Priority mismatches", Unit.COUNT,
       "Tickets whose recorded priority differs from the impact × urgency matrix."),
    _m("impact", "Impact (1 high – 3 low)", Unit.COUNT, "The ticket's impact."),
    _m("urgency", "Urgency (1 high – 3 low)", Unit.COUNT, "The ticket's urgency."),
    _m("matrix_priority", "Matrix priority", Unit.COUNT,
       "The priority the impact × urgency matrix gives (impact + urgency − 1)."),
    _m("recorded_priority", "Recorded priority", Unit.COUNT,
       "The priority recorded on the ticket."),
    _m("satisfaction_responses", "Satisfaction responses", Unit.COUNT,
       "Tickets with a satisfaction rating."),
    _m("hours", "Hours", Unit.HOURS, "Hours of support work recorded."),
    _m("hours_pct", "Share of hours", Unit.PERCENT, "The class's share of the hours."),
    _m("tickets_pct", "Share of tickets", Unit.PERCENT, "The class's share of the tickets."),
    _m("rows_without_hours", "Rows without hours", Unit.COUNT,
       "Support rows that carry no hours."),
    _m("hours_coverage_pct", "Rows with hours", Unit.PERCENT,
       "The share of proactive and reactive rows that carry hours."),
    _m("tickets_per_user_month", "Tickets per user per month", Unit.RATE,
       "Tickets ÷ headcount ÷ 3 months."),
    _m("resolved", "Resolved", Unit.COUNT, "Tickets resolved in the quarter."),
    _m("median_resolve_hours", "Median hours to resolve", Unit.HOURS,
       "Median hours from opened to resolved, of the tickets resolved in the quarter."),
    *(_m(f"median_resolve_hours_p{p}", f"P{p} median", Unit.HOURS,
         f"Median hours to resolve of priority {p} tickets.") for p in range(1, 6)),
    _m("backlog", "Backlog at quarter end", Unit.COUNT,
       "Tickets opened before the quarter's end and not resolved by then."),
    _m("reopened", "Reopened", Unit.COUNT,
       "Tickets of the quarter reopened at least once (reopen_count above 0)."),
    _m("reopen_rate_pct", "Reopen rate", Unit.PERCENT,
       "Reopened ÷ the quarter's tickets that carry a reopen count."),
    _m("satisfaction_pct", "Satisfaction", Unit.PERCENT,
       "Mean satisfaction of the tickets that have one, on a 0–100 scale."),
    _m("purchased_hours", "Purchased", Unit.HOURS, "Hours bought in the block."),
    _m("used_hours", "Used", Unit.HOURS, "Hours drawn from the block so far."),
    _m("remaining_hours", "Left", Unit.HOURS, "Purchased − used (below zero: overrun)."),
    _m("used_pct", "Used %", Unit.PERCENT, "Used ÷ purchased."),
    _m("burn_rate_hours_per_day", "Burn rate (h a day)", Unit.HOURS,
       "Hours used in the last 90 days ÷ the days of that window the block ran."),
    _m("reactive_hours", "Reactive", Unit.HOURS, "Hours of reactive work (incidents)."),
    _m("proactive_hours", "Proactive", Unit.HOURS,
       "Hours of proactive work (problems, changes, improvements)."),
    _m("routine_hours", "Routine", Unit.HOURS, "Hours of routine requests."),
    _m("unclassified_hours", "Unclassified", Unit.HOURS,
       "Hours whose work type has no class."),
    _m("overrun_hours", "Overrun", Unit.HOURS, "Hours used beyond those purchased."),
    _m("price", "Price", Unit.MONEY, "What the block cost."),
    _m("runout_date", "Runs out", Unit.DATE, "The day the hours ran out, or are projected to."),
    _m("start", "Starts", Unit.DATE, "First day of the block."),
    _m("end", "Ends", Unit.DATE, "Last day of the block."),
    # ---- chargeback (issue 16)
    _m("charge", "Charge", Unit.MONEY,
       "Subscribed users × the tier's price per user per month × 3 months."),
    _m("charge_year_to_date", "Charge, year to date", Unit.MONEY,
       "The charges of the fiscal year up to and including the quarter."),
    _m("charges", "Charges", Unit.MONEY,
       "What business units are charged for the service in the quarter (users × tier price "
       "× 3)."),
    _m("recovery_pct", "Cost recovery", Unit.PERCENT,
       "Charges ÷ the service's total cost: above 100 % it is over-recovered, below it "
       "under-recovered."),
    _m("over_under", "Over / under-recovered", Unit.MONEY_CHANGE,
       "Charges − total cost: below zero, the cost that charges do not cover (funded as "
       "overhead)."),
    _m("line_driven_pct", "Line-driven share", Unit.PERCENT,
       "Charges ÷ IT's total cost: the part of IT paid for by the business units' charges; "
       "the rest is overhead."),
    _m("it_cost", "IT cost", Unit.MONEY, "All of IT's cost in the quarter (the whole ledger)."),
    _m("tier_price_per_user_month", "Price per user per month", Unit.MONEY_PER_USER,
       "What IT charges a unit per user per month for the tier (for a service, the "
       "users-weighted mean of its tiers)."),
    _m("best_market_price_per_user_month", "Best market offer per user per month",
       Unit.MONEY_PER_USER, "The cheapest market offer that fits the service's users."),
    _m("showback_cost", "Share of cost (showback)", Unit.MONEY,
       "The unit's share of the cost of the services it uses, in proportion to its users."),
    # ---- budget (issue 17)
    _m("budget", "Budget", Unit.MONEY,
       "What the budget sets for the quarter (a fiscal-year row spread evenly over its "
       "quarters)."),
    _m("actual", "Actual", Unit.MONEY,
       "Actual total cost in the quarter: direct plus allocated (IT's includes Unallocated)."),
    _m("forecast", "Forecast", Unit.MONEY, "What the forecast rows expect for the quarter."),
    _m("variance", "Variance", Unit.MONEY_CHANGE,
       "Actual − budget: above zero is over budget, below zero under."),
    _m("variance_pct", "Variance %", Unit.CHANGE, "Variance ÷ budget."),
    _m("budget_ytd", "Budget to date", Unit.MONEY,
       "The budget of the fiscal year's quarters so far."),
    _m("actual_ytd", "Actual to date", Unit.MONEY,
       "Actual total cost of the fiscal year's quarters so far."),
    _m("variance_ytd", "Variance to date", Unit.MONEY_CHANGE,
       "Actual to date − budget to date: above zero is over budget."),
    _m("variance_ytd_pct", "Variance to date %", Unit.CHANGE,
       "Variance to date ÷ budget to date."),
    _m("status_ytd", "Against budget", Unit.TEXT,
       "Over or under budget to date; within ± 2 % reads on budget."),
    _m("budget_full_year", "Full-year budget", Unit.MONEY,
       "The budget of the whole fiscal year."),
    _m("remaining_forecast", "Rest of the year", Unit.MONEY,
       "The quarters still to come, from forecast rows or at the run rate."),
    _m("end_of_year_predicted", "End of year predicted", Unit.MONEY,
       "Actual to date + the remaining quarters' forecast rows, or else the run rate."),
    _m("end_of_year_low", "Low end", Unit.MONEY,
       "Actual to date + the lowest of the last four quarters × the quarters left."),
    _m("end_of_year_high", "High end", Unit.MONEY,
       "Actual to date + the highest of the last four quarters × the quarters left."),
    _m("full_year_variance", "Full-year variance", Unit.MONEY_CHANGE,
       "End of year predicted − full-year budget: above zero is over budget."),
    _m("full_year_variance_pct", "Full-year variance %", Unit.CHANGE,
       "Full-year variance ÷ full-year budget."),
    _m("status_full_year", "Year end against budget", Unit.TEXT,
       "Over or under budget at the end of the year; within ± 2 % reads on budget."),
    _m("run_rate", "Run rate", Unit.MONEY,
       "The mean of the last two quarters' actual cost: a quarter at today's pace."),
    _m("forecast_basis", "Forecast basis", Unit.TEXT,
       "How the rest of the year was predicted: forecast rows, the run rate, or both."),
    # ---- value perception and needs (issue 16)
    _m("value_source", "Value from", Unit.TEXT,
       "Where the value score comes from: the Value survey, or where a service has no survey "
       "yet, its ticket satisfaction (the survey wins where both exist)."),
    _m("contact_satisfaction_pct", "Contact satisfaction", Unit.PERCENT,
       "Mean satisfaction rating of a service's tickets in the quarter, on a 0–100 scale "
       "(a 1–5 score as (score − 1) ÷ 4 × 100)."),
    _m("responses", "Responses", Unit.COUNT, "Tickets of the service rated in the quarter."),
    _m("low_share_pct", "Low scores", Unit.PERCENT,
       "Share of the ratings that are low: 2 or less of 5, or 40 % or less."),
    _m("satisfaction_change_points", "Change in contact satisfaction", Unit.POINTS,
       "This quarter's contact satisfaction − the earlier quarter's, in percentage points."),
    _m("votes", "Votes", Unit.COUNT, "How many users asked for the need."),
    _m("importance", "Importance (1–5)", Unit.RATE,
       "How much the need matters to those who asked, 1–5 (votes-weighted mean)."),
    _m("needs_score", "Needs score", Unit.COUNT,
       "Votes × importance; a need without an importance counts as 3, the middle of 1–5."),
    _m("needs_rank", "Rank", Unit.COUNT, "1 for the highest needs score; ties share a rank."),
    # ---- the Chargeback page (issue 16, pages)
    _m("charge_vs_showback", "Charge − share of cost", Unit.MONEY_CHANGE,
       "Positive: the unit is charged more than its share of the cost (showback)."),
    # ---- what-if (issue 17)
    _m("yearly_cost_change", "Yearly cost change", Unit.MONEY_CHANGE,
       "What a scenario adds to (+) or saves from (−) a year's IT cost: the quarter's run "
       "rate × 4, a block of hours' price once."),
    _m("yearly_cost", "Yearly IT cost", Unit.MONEY,
       "The quarter's total IT cost × 4, plus any block of hours bought."),
    _m("cost_per_user_before", "Cost per user per month, today", Unit.MONEY_PER_USER,
       "The service's total cost ÷ users ÷ 3 months in the quarter (IT's per person for a "
       "headcount or block change)."),
    _m("cost_per_user_after", "Cost per user per month, after", Unit.MONEY_PER_USER,
       "The same figure with the change made."),
    _m("users_before", "Users today", Unit.COUNT, "The service's users in the quarter (the "
       "headcount for a headcount or block change)."),
    _m("users_after", "Users after", Unit.COUNT, "The same count with the change made."),
    _m("budget_variance_after", "Budget variance after", Unit.MONEY_CHANGE,
       "The year-end forecast with a full year of the scenario − the budget: positive is over "
       "budget."),
    _m("block_hours_bought", "Support hours bought", Unit.HOURS,
       "Hours of support bought in blocks that run in the quarter."),
    _m("price_per_hour", "Price per hour", Unit.MONEY_PER_USER,
       "A block's price ÷ its hours."),
)}


def measure(key: str) -> Measure:
    """The registered measure ``key``; KeyError names the known ones."""
    try:
        return MEASURES[key]
    except KeyError:
        raise KeyError(f"no measure {key!r}; known: {', '.join(MEASURES)}") from None


def fmt_measure(key: str, value, currency: str = "USD", *, missing: str = MISSING,
                signed: bool = False) -> str:
    """``value`` written as the measure ``key`` is written everywhere."""
    return measure(key).format(value, currency, missing=missing, signed=signed)
