"""What the answers share: the context of one question (its scope's :class:`Facts`, the
registry's formatter), figures, tables with the registry's labels, and the finished answer."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, wraps

import pandas as pd

from ..frames import NOT_AVAILABLE, table
from ..model import Dataset
from ..parse import quarter_label
from ..present import (
    MEASURES,
    Facts,
    Unit,
    fmt_change,
    fmt_count,
    fmt_hours,
    fmt_list,
    fmt_measure,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_points,
)
from ..present.formatting import rounded
from ..present.measures import MONEY_PLACES
from ..present.words import possessive  # noqa: F401  (the answers take it from here)
from .reading import Names, Period, Query, TimeRef, resolve_period
from .result import Answer, KeyFigure
from .suggest import follow_ups
from .words import phrase, stem

# What a figure's ``unit`` says, per registry unit (money units name the currency).
_UNIT_WORDS = {Unit.MONEY: "", Unit.MONEY_PER_USER: "per user per month", Unit.PERCENT: "%",
               Unit.POINTS: "percentage points", Unit.HOURS: "hours",
               Unit.SCORE: "score 0-100", Unit.DATE: "days"}


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

    def facts(self, quarter: str | None) -> Facts:
        """The page's facts for ``quarter`` (all units: an answer's own unit is a slot)."""
        return self._facts.setdefault(quarter, Facts(self.dataset, quarter, None))

    @cached_property
    def _facts(self) -> dict:
        return {}

    def q(self, quarter: str | None) -> str:
        """A quarter as answers show it (fiscal label when a fiscal year is set)."""
        return quarter_label(quarter, self.fiscal_start) if quarter else "no quarter"

    def total(self, value: float) -> str:
        """A money total, as the pages write it (whole units)."""
        return fmt_measure("total_cost", value, self.currency, missing="n/a")

    def per_user(self, value: float) -> str:
        """A per-user figure, as the pages write it (with cents)."""
        return fmt_measure("cost_per_user_month", value, self.currency, missing="n/a")

    def signed(self, value: float, per_user: bool = False) -> str:
        return fmt_money(value, self.currency, 2 if per_user else 0, signed=True,
                         missing=NOT_AVAILABLE)

    def fmt(self, key: str, value) -> str:
        return fmt_measure(key, value, self.currency, missing="n/a")

    def unit(self, what: str) -> str:
        return f"{self.currency} {what}".strip()

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

    def fig(self, key: str, value, label: str, quarter: str | None = None,
            service: str | None = None, unit: str | None = None,
            text: str | None = None) -> KeyFigure:
        """A key figure of measure ``key`` (a registered measure, or ``count``), written as
        the registry writes it."""
        kind = MEASURES[key].unit if key in MEASURES else Unit.COUNT
        if unit is None:
            words = _UNIT_WORDS.get(kind, "")
            unit = self.unit(words) if kind in (Unit.MONEY, Unit.MONEY_PER_USER) else words
        if text is None:
            text = self.fmt(key, value) if key in MEASURES else fmt_number(value)
        number = float(value) if value is not None and not pd.isna(value) else float("nan")
        return KeyFigure(number, unit, quarter=quarter, service=service, label=label,
                         formatted=text.strip())

    def table(self, frame: pd.DataFrame, columns, *, like: Mapping[str, str] | None = None,
              **names: str) -> pd.DataFrame:
        """A display copy of ``columns`` (space-separated keys), headed by the registry's
        labels (``names`` overrides one), numbers rounded as the registry shows them and kept
        numbers so the table sorts. ``like`` names the measure a column is written as when
        its key is not one (``first="total_cost"``). Which measure each column is goes with
        the frame (``attrs["measures"]``) to the answer, which writes it as every surface does
        (:meth:`Answer.shown_table`)."""
        keys = columns.split() if isinstance(columns, str) else list(columns)
        like = dict(like or {})
        out = frame[keys].reset_index(drop=True).copy()
        heads, measured = {}, {}
        for key in keys:
            m = MEASURES.get(like.get(key, key))
            head = names.get(key) or (m.label if m else key.replace("_", " ").capitalize())
            if m is not None and m.unit in MONEY_PLACES:
                places = MONEY_PLACES[m.unit]
                out[key] = [rounded(v, places) for v in out[key].astype(float)]
                head += "" if self.currency in head else f" ({self.currency})"
            elif m is not None and m.unit in (Unit.PERCENT, Unit.HOURS, Unit.POINTS,
                                              Unit.CHANGE):
                out[key] = [rounded(v, 1) for v in out[key].astype(float)]
                head += "" if m.unit == Unit.HOURS or "%" in head else " (%)"
            elif m is not None and m.unit == Unit.DATE:
                out[key] = pd.to_datetime(out[key]).astype("datetime64[ns]")
            elif pd.api.types.is_datetime64_any_dtype(out[key]):
                out[key] = out[key].dt.strftime("%Y-%m-%d").astype("str")
            elif pd.api.types.is_float_dtype(out[key]):
                out[key] = out[key].round(2)
            heads[key] = head
            if m is not None and m.unit != Unit.TEXT and (
                    m.unit == Unit.DATE or pd.api.types.is_numeric_dtype(out[key])):
                measured[head] = m.key
        out = out.rename(columns=heads)
        out.attrs["measures"] = measured
        return out

    def done(self, intent: str, sentence: str, figures=(), tbl=None, chart=None, how="",
             period: Period | None = None, what: str = "cost data", follow: str | None = None,
             **follow_args) -> Answer:
        """The understood answer: ``how`` with how the question was read, and follow-ups."""
        return Answer(self.query.text, sentence, intent, True, tuple(figures), tbl, chart,
                      join_how(how, reading_notes(self, period, what)),
                      follow_ups(self, follow or intent, **follow_args),
                      **table_measures(tbl, self.currency))


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
                return no_data(ctx, intent, what, period, available)
            return build(ctx, period)
        return handler
    return decorate


def sole_quarter(period: Period) -> str | None:
    """The period's quarter when it is one quarter, else None."""
    return period.last if len(period.quarters) == 1 else None


def pct(value: float, decimals: int = 1) -> str:
    return fmt_percent(value, decimals, missing="n/a")


def signed_pct(value: float) -> str:
    return fmt_change(value, missing=NOT_AVAILABLE)


def points(value: float) -> str:
    return fmt_points(value, missing=NOT_AVAILABLE)


def hours(value: float) -> str:
    return fmt_hours(value, missing=NOT_AVAILABLE)


count = fmt_count
names_list = fmt_list


_BIGGER = frozenset(("bigger", "larger", "more", "dearer", "pricier", "higher", "grown", "grow",
                     "rise", "risen", "increase", "increased", "up", "slower", "longer", "worse"))
_SMALLER = frozenset(("smaller", "less", "cheaper", "lower", "shrunk", "fallen", "fall", "drop",
                      "dropped", "decrease", "decreased", "down", "quicker", "faster",
                      "shorter", "better", "fewer"))
_YES_NO = re.compile(r"^\s*(?:is|are|has|have|did|does|do|was|were|will|would|can|could)\b",
                     re.I)


def asked(q: Query, *words: str) -> bool:
    """Whether the question holds any of ``words`` (phrases, stemmed like the question)."""
    have = set(q.words) | {stem(w) for w in q.words}
    return any(all(w in have for w in phrase(p)) for p in words)


def yes_no(q: Query, a_below_b: bool | None) -> str:
    """"Yes. " / "No. " first when a yes/no question asks for a direction ("is A cheaper than
    B", "has it grown") and the figures give one."""
    first = next((w for w in q.words if w in _SMALLER or w in _BIGGER), None)
    if not _YES_NO.match(q.text) or a_below_b is None or first is None:
        return ""
    return "Yes. " if (first in _SMALLER) == a_below_b else "No. "


def moved(change: float, up: str = "rose", down: str = "fell",
          same: str = "stayed the same") -> str:
    return up if change > 0 else down if change < 0 else same


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
            available: list[str], follow: str | None = None) -> Answer:
    """The question is understood, but the data holds nothing for it."""
    if not available:
        sentence = f"There is no {what} in the data loaded, so this cannot be answered yet."
    else:
        asked = period.label if period is not None else "that period"
        sentence = (f"There is no {what} for {asked}; the {what} covers "
                    f"{ctx.q(available[0])} to {ctx.q(available[-1])}.")
    return plain(ctx, intent, sentence, follow=follow)


def plain(ctx: Context, intent: str, sentence: str, period: Period | None = None,
          what: str = "data", follow: str | None = None, tbl=None) -> Answer:
    """An understood answer without figures: the data cannot give a number for it."""
    return Answer(ctx.query.text, sentence, intent, True, (), tbl, None,
                  reading_notes(ctx, period, what), follow_ups(ctx, follow or intent),
                  **table_measures(tbl, ctx.currency))


def table_measures(tbl: pd.DataFrame | None, currency: str) -> dict:
    """The measure of each column of an answer's table (set by :meth:`Context.table`)."""
    if tbl is None:
        return {}
    return {"measures": dict(tbl.attrs.get("measures", {})), "currency": currency}
