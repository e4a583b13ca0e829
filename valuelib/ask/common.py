"""What the answer builders share: the context of one question, formatting, display tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

import pandas as pd

from ..frames import NOT_AVAILABLE, table
from ..model import Dataset
from ..parse import quarter_label
from ..present import (
    fmt_change,
    fmt_count,
    fmt_hours,
    fmt_list,
    fmt_money,
    fmt_percent,
    fmt_points,
)
from .reading import Names, Period, Query, TimeRef, resolve_period
from .result import Answer, KeyFigure
from .suggest import follow_ups


@dataclass(frozen=True)
class Context:
    """One question being answered: what was read, against which data."""

    query: Query
    dataset: Dataset
    names: Names

    @property
    def currency(self) -> str:
        return self.dataset.settings.currency

    @property
    def fiscal_start(self) -> int:
        return self.dataset.settings.fiscal_year_start

    def q(self, quarter: str | None) -> str:
        """A quarter as answers show it (fiscal label when a fiscal year is set)."""
        return quarter_label(quarter, self.fiscal_start) if quarter else "no quarter"

    def money(self, value: float, decimals: int | None = None) -> str:
        """Money exactly as the pages write it (one formatter for every surface)."""
        return fmt_money(value, self.currency, decimals, missing="n/a")

    def big(self, value: float) -> str:
        return self.money(value)

    def signed(self, value: float, big: bool = False) -> str:
        return fmt_money(value, self.currency, signed=True, missing=NOT_AVAILABLE)

    def period(self, quarters: list[str], annual: bool = False) -> Period:
        """The quarters the question asks about, among ``quarters``. ``annual``: "a year"
        without a year named is the last four quarters with data."""
        if annual and self.query.time.kind == "default" and self.query.period == "year":
            return resolve_period(TimeRef("trailing", 4, words="a year"), quarters,
                                  self.fiscal_start)
        return resolve_period(self.query.time, quarters, self.fiscal_start)

    def span(self, period: Period) -> str:
        """``in 2026-Q3`` for one quarter, ``over 2025`` for more."""
        return (f"in {self.q(period.last)}" if len(period.quarters) == 1
                else f"over {period.label}")

    def unit(self, what: str) -> str:
        return f"{self.currency} {what}".strip()


Handler = Callable[[Context], Answer]  # answers a question of one intent
Builder = Callable[[Context, Period], Answer]  # ... over the period found for it


def quarters_of(dataset: Dataset, key: str) -> list[str]:
    """Quarters with rows in table ``key``, oldest first."""
    return sorted(str(q) for q in table(dataset, key)["quarter"].dropna().unique())


def over_period(intent: str, key: str = "costs", what: str = "cost data",
                annual: bool = False) -> Callable[[Builder], Handler]:
    """Makes the answer builder of ``intent`` a handler: it is called with the period the
    question asks about, among the quarters with rows in table ``key`` (``annual``: see
    :meth:`Context.period`); when none of those quarters has data, the answer says so
    instead (``what`` names the data)."""

    def decorate(build: Builder) -> Handler:
        @wraps(build)
        def handler(ctx: Context) -> Answer:
            available = quarters_of(ctx.dataset, key)
            period = ctx.period(available, annual)
            if not period.quarters:
                return no_data(ctx, intent, what, period, available, follow_ups(ctx, intent))
            return build(ctx, period)
        return handler
    return decorate


def sole_quarter(period: Period) -> str | None:
    """The period's quarter when it is one quarter, else None."""
    return period.last if len(period.quarters) == 1 else None


def fmt_pct(value: float, decimals: int = 1) -> str:
    return fmt_percent(value, decimals, missing="n/a")


def signed_pct(value: float, decimals: int = 1) -> str:
    return fmt_change(value, decimals, missing=NOT_AVAILABLE)


def points(value: float) -> str:
    return fmt_points(value, missing=NOT_AVAILABLE)


def hours(value: float) -> str:
    return fmt_hours(value, missing=NOT_AVAILABLE)


def count(value: float, word: str) -> str:
    return fmt_count(int(round(value)), word)


names_list = fmt_list


def possessive(name: str) -> str:
    """``Sales'``, ``CRM's``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def figure(value, unit: str, label: str, formatted: str, quarter: str | None = None,
           service: str | None = None) -> KeyFigure:
    number = float(value) if value is not None and not pd.isna(value) else float("nan")
    return KeyFigure(number, unit, quarter=quarter, service=service, label=label,
                     formatted=formatted)


def display(frame: pd.DataFrame, columns: dict[str, str], money_cols=(), pct_cols=(),
            one_decimal=(), whole=()) -> pd.DataFrame:
    """A display copy: the chosen columns, renamed, numbers rounded (money to cents, percents
    and hours to one decimal, counts whole). Values stay numbers so the table sorts."""
    out = frame[list(columns)].reset_index(drop=True).copy()
    for col in money_cols:
        out[col] = out[col].astype(float).round(2)
    for col in (*pct_cols, *one_decimal):
        out[col] = out[col].astype(float).round(1)
    for col in whole:
        out[col] = out[col].astype(float).round(0).astype("Int64")
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d").astype("str")
    return out.rename(columns=columns)


def reading_notes(ctx: Context, period: Period | None = None, what: str = "data") -> str:
    """How the question was read, for ``how``: corrected words and an assumed quarter."""
    notes = []
    q = ctx.query
    if q.corrections:
        notes.append("Read " + ", ".join(f"'{a}' as '{b}'" for a, b in q.corrections) + ".")
    synonyms = [m for m in q.mentions if m.how == "synonym" and len(m.services) == 1]
    if synonyms:
        notes.append("Took " + ", ".join(f"'{m.words}' to mean {m.services[0]}"
                                         for m in synonyms) + ".")
    if period is not None and period.assumed and period.quarters:
        notes.append(f"No quarter named: used the latest quarter with {what}, "
                     f"{ctx.q(period.last)}.")
    elif period is not None and period.words and period.quarters:
        notes.append(f"'{period.words}' read as {period.label}.")
    if q.unknown:
        notes.append("Words not used: " + ", ".join(f"'{u}'" for u in q.unknown) + ".")
    return " ".join(notes)


def join_how(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def no_data(ctx: Context, intent: str, what: str, period: Period | None,
            available: list[str], suggestions: tuple[str, ...]) -> Answer:
    """The question is understood, but the data holds nothing for it."""
    if not available:
        sentence = f"There is no {what} in the data loaded, so this cannot be answered yet."
    else:
        asked = period.label if period is not None else "that period"
        sentence = (f"There is no {what} for {asked}; the {what} covers "
                    f"{ctx.q(available[0])} to {ctx.q(available[-1])}.")
    return Answer(ctx.query.text, sentence, intent, True, how=reading_notes(ctx),
                  suggestions=suggestions)
