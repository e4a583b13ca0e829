"""The table of intents: each kind of question as one row of data (what it needs, the words
that select it and exclude it, examples, its answer), and the answers the rule reader of
``_understand`` never had: one thing against another (two services, two quarters, now against
a year ago) and support figures for a month.

Routing: the reader's slots and its first guess come from ``_understand``; then the first row
whose ``select`` words are in the question, whose ``exclude`` words are not and whose ``needs``
are met takes the question. Rows without ``select`` words are reached by the reader's guess."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from .. import costing
from .. import support as support_mod
from ..frames import shift_quarter, table
from ..present import fmt_count, fmt_date
from . import cost, market, support_answers
from .common import Context, figure, hours, join_how, quarters_of, reading_notes, signed_pct
from .reading import Names, Query, resolve_period
from .result import Answer
from .suggest import follow_ups
from .words import phrase, stem


@dataclass(frozen=True)
class Intent:
    """One kind of question. ``needs``: slots that must be filled (``two_services``,
    ``two_quarters``, ``earlier``: a past time to compare with, ``month``); ``select`` /
    ``exclude``: phrases (stemmed like the question) that pick it / rule it out."""

    key: str
    answer: Callable[[Context], Answer]
    needs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    instead_of: tuple[str, ...] = ()  # only over these guesses of the reader (empty: any)


_MARKET_WORDS = ("market", "offer", "vendor", "provider", "saas", "buy", "buying", "outsource",
                 "cloud", "move", "moved", "switch", "google", "microsoft")
_BIGGER = ("bigger", "larger", "more", "dearer", "pricier", "higher", "grown", "grow", "rise",
           "risen", "increase", "increased", "up", "slower", "longer", "worse")
_SMALLER = ("smaller", "less", "cheaper", "lower", "shrunk", "fallen", "fall", "drop",
            "dropped", "decrease", "decreased", "down", "quicker", "faster", "shorter", "better")
_YES_NO = re.compile(r"^\s*(?:is|are|has|have|did|does|do|was|were|will|would|can|could)\b",
                     re.I)


def _said(q: Query, *words: str) -> bool:
    have = set(q.words)
    return any(all(w in have for w in phrase(p)) for p in words)


def _asks_less(q: Query) -> bool | None:
    """Whether the question asks "is A below B" (True), "above" (False), or neither (None)."""
    first = next((w for w in q.words if w in _SMALLER or w in _BIGGER), None)
    return None if first is None else first in _SMALLER


def _yes_no(q: Query, a_below_b: bool | None) -> str:
    """"Yes. " / "No. " when the question is a yes/no question with a direction."""
    if not _YES_NO.match(q.text) or a_below_b is None:
        return ""
    wanted = _asks_less(q)
    if wanted is None:
        return ""
    return "Yes. " if wanted == a_below_b else "No. "


# ---- two services --------------------------------------------------------------------------

def compare_services(ctx: Context) -> Answer:
    """"Is payroll more expensive than CRM?": the two services' cost in one quarter, the
    measure the question names (per user when it says so, else total cost)."""
    q = ctx.query
    a, b = two_services(q, ctx.names)
    available = quarters_of(ctx.dataset, "costs")
    period = ctx.period(available)
    quarter = period.last
    if quarter is None:
        return Answer(q.text, "There is no cost data for that quarter.", "compare", True,
                      how=reading_notes(ctx, period, "cost data"),
                      suggestions=follow_ups(ctx, "total_cost"))
    per_user = q.per_user
    if per_user:
        frame = costing.cost_per_user(ctx.dataset, quarter)
        column, what, unit = "cost_per_user_month", "per user per month", ctx.unit(
            "per user per month")
    else:
        frame = costing.total_cost(ctx.dataset)
        frame = frame[frame["quarter"] == quarter]
        column, what, unit = "total_cost", "in total", ctx.unit("")
    values = {s: float(frame.loc[frame["service"] == s, column].sum()) for s in (a, b)}
    va, vb = values[a], values[b]
    bigger, smaller = (a, b) if va >= vb else (b, a)
    gap = abs(va - vb)
    if va == vb:
        body = f"{a} and {b} cost the same {what} in {ctx.q(quarter)}: {ctx.money(va)}."
    else:
        body = (f"{bigger} costs more {what} in {ctx.q(quarter)}: {ctx.money(values[bigger])} "
                f"against {ctx.money(values[smaller])} for {smaller}, {ctx.money(gap)} more.")
    sentence = _yes_no(q, va < vb) + body
    label = "cost per user per month" if per_user else "total cost"
    figures = (figure(va, unit, f"{a}: {label}", ctx.money(va), quarter, a),
               figure(vb, unit, f"{b}: {label}", ctx.money(vb), quarter, b))
    how = join_how(f"costing.{'cost_per_user' if per_user else 'total_cost'} for "
                   f"{ctx.q(quarter)}, the two services named, {label}.",
                   reading_notes(ctx, period, "cost data"))
    return Answer(q.text, sentence, "compare", True, figures, None, None, how,
                  follow_ups(ctx, "total_cost"))


def two_services(q: Query, names: Names) -> tuple[str, str] | None:
    """The two services a comparison names. Two words that name the same service ("telecom
    or network") mean two services: the other word is read as the service it also begins
    ("telecom" -> Telecommunications)."""
    named = list(q.services)
    for m in q.ambiguous:  # "telecom" when both fit: the service not already named
        named += [s for s in m.services if s not in named][:1]
    if len(named) == 1 and len(q.mentions) > 1:
        for m in q.mentions:
            word = stem(m.words.split()[-1])
            other = [s for s, words in names.service_phrases.items()
                     if s not in named and any(w.startswith(word) for w in words)]
            if len(other) == 1:
                named.append(other[0])
                break
    return (named[0], named[1]) if len(named) >= 2 else None


# ---- two quarters --------------------------------------------------------------------------

def compare_quarters(ctx: Context) -> Answer:
    """"Compare Q1 and Q2 2026": IT's total cost (or the named service's) in each, and the
    change from the first to the second."""
    q = ctx.query
    available = quarters_of(ctx.dataset, "costs")
    first, second = q.time.labels[0], q.time.labels[-1]
    missing = [x for x in (first, second) if x not in available]
    if missing:
        return Answer(q.text, f"There is no cost data for {' and '.join(missing)}; the cost "
                      f"data covers {available[0]} to {available[-1]}." if available else
                      "There is no cost data loaded.", "compare_quarters", True,
                      how=reading_notes(ctx), suggestions=follow_ups(ctx, "trend"))
    frame = costing.total_cost(ctx.dataset)
    service = q.services[0] if q.services else None
    if service is not None:
        frame = frame[frame["service"] == service]
    who = service or "IT"
    va = float(frame.loc[frame["quarter"] == first, "total_cost"].sum())
    vb = float(frame.loc[frame["quarter"] == second, "total_cost"].sum())
    change = (vb - va) / va * 100 if va else float("nan")
    verb = "went up" if vb > va else "went down" if vb < va else "stayed"
    sentence = (f"{who}'s total cost {verb} from {ctx.money(va)} in {ctx.q(first)} to "
                f"{ctx.money(vb)} in {ctx.q(second)} ({signed_pct(change)}).")
    figures = (figure(change, "%", f"{who}: change in total cost, {first} to {second}",
                      signed_pct(change), second, service),
               figure(vb, ctx.unit(""), f"{who}: total cost", ctx.money(vb), second, service),
               figure(va, ctx.unit(""), f"{who}: total cost", ctx.money(va), first, service))
    how = join_how(f"costing.total_cost summed per quarter for {first} and {second}.",
                   reading_notes(ctx))
    return Answer(q.text, sentence, "compare_quarters", True, figures, None, None, how,
                  follow_ups(ctx, "trend"))


# ---- the service desk: against an earlier time, or in one month --------------------------

def desk_then_and_now(ctx: Context) -> Answer:
    """"Are incidents resolved quicker than a year ago?": yes or no first, then the median
    hours to resolve (or tickets) in the quarter against the earlier one."""
    q = ctx.query
    desk = support_mod.service_desk(ctx.dataset)
    available = sorted(desk["quarter"].dropna().astype(str))
    if not available:
        return support_answers.service_desk(ctx)
    now = q.time.labels[-1] if q.time.page else available[-1]
    back = 1 if q.since_previous else {"back": q.time.value, "previous": 1,
                                        "last_year": 4}.get(q.time.kind)
    if back is None:
        earlier = resolve_period(q.time, [x for x in available if x < now], ctx.fiscal_start)
        then = earlier.quarters[0] if earlier.quarters else shift_quarter(now, -1)
    else:
        then = shift_quarter(now, -back)
    if then not in available:
        return support_answers.service_desk(ctx)
    resolve = _said(q, "resolve", "resolved", "resolution", "fix", "fixed", "quicker", "faster",
                    "slower", "long")
    column, label = (("median_resolve_hours", "median hours to resolve") if resolve
                     else ("tickets", "tickets logged"))
    fmt = hours if resolve else (lambda v: fmt_count(v, "ticket"))
    row = desk.set_index(desk["quarter"].astype(str))
    vn, vt = float(row.loc[now, column]), float(row.loc[then, column])
    sentence = (_yes_no(q, vn < vt) + f"In {ctx.q(now)} the {label} were {fmt(vn)}, against "
                f"{fmt(vt)} in {ctx.q(then)}.")
    if resolve:
        sentence = (_yes_no(q, vn < vt) + f"The median time to resolve a ticket was "
                    f"{fmt(vn)} in {ctx.q(now)}, against {fmt(vt)} in {ctx.q(then)}.")
    unit = "hours" if resolve else "tickets"
    figures = (figure(vn, unit, label.capitalize(), fmt(vn), now),
               figure(vt, unit, label.capitalize(), fmt(vt), then))
    how = join_how(f"support.service_desk per quarter: {column} in {now} against {then}.",
                   reading_notes(ctx))
    return Answer(q.text, sentence, "service_desk", True, figures, None, None, how,
                  follow_ups(ctx, "service_desk"))


def service_desk(ctx: Context) -> Answer:
    """The service desk for a quarter; for a month ("tickets in May 2026") the tickets opened
    in that month, since support rows are dated by day."""
    q = ctx.query
    if q.time.month is None:
        return support_answers.service_desk(ctx)
    rows = table(ctx.dataset, "support")
    opened = pd.to_datetime(rows["opened"], errors="coerce")
    in_month = rows[opened.dt.strftime("%Y-%m") == q.time.month]
    quarter = q.time.labels[0]
    in_quarter = rows[rows["quarter"].astype(str) == quarter]
    name = fmt_date(pd.Timestamp(q.time.month + "-01"))[2:].strip()
    n = len(in_month)
    sentence = (f"{fmt_count(n, 'ticket')} were opened in {name} (support is dated by day), "
                f"of {fmt_count(len(in_quarter), 'ticket')} in {ctx.q(quarter)}.")
    resolved = pd.to_datetime(in_month["resolved"], errors="coerce")
    spent = (resolved - pd.to_datetime(in_month["opened"], errors="coerce")).dt.total_seconds()
    median = float((spent / 3600).median()) if resolved.notna().any() else float("nan")
    figures = [figure(n, "tickets", f"Tickets opened in {name}", fmt_count(n, "ticket"),
                      quarter)]
    if median == median:
        sentence += f" Those resolved took a median of {hours(median)}."
        figures.append(figure(median, "hours", f"Median hours to resolve, {name}",
                              hours(median), quarter))
    how = join_how(f"Support rows whose 'opened' date falls in {name}; the quarter's count "
                   "for scale.", reading_notes(ctx))
    return Answer(q.text, sentence, "service_desk", True, tuple(figures), None, None, how,
                  follow_ups(ctx, "service_desk"))


def _earlier(q: Query) -> bool:
    """Whether the question holds now against an earlier time ("than a year ago")."""
    return q.since_previous or (
        q.time.month is None and q.time.kind in ("back", "previous", "last_year")
        and _said(q, "than", "compared", "versus", "vs", "since", "before"))


def trend(ctx: Context) -> Answer:
    """A trend; a yes/no question with a direction ("has support spend grown since last
    year?") gets "Yes." or "No." first, read from the change over the period."""
    result = cost.trend(ctx)
    change = next((f for f in result.figures if f.unit == "%"), None)
    if not result.understood or change is None or change.value != change.value:
        return result
    word = _yes_no(ctx.query, change.value < 0)
    return replace(result, sentence=word + result.sentence) if word else result


# ---- the table ----------------------------------------------------------------------------

TABLE: tuple[Intent, ...] = (
    # rows with select words: checked first, in this order
    Intent("compare_quarters", compare_quarters, ("two_quarters",),
           select=("compare", "vs", "versus", "against", "and", "or", "between"),
           exclude=(*_MARKET_WORDS, "proactive", "ticket", "block", "hour", "p1", "priority"),
           examples=("compare Q1 and Q2 2026", "2026-Q1 vs 2026-Q2")),
    Intent("service_desk_change", desk_then_and_now, ("earlier",),
           select=("incident", "ticket", "resolve", "resolved", "resolution"),
           exclude=("block", "proactive", "p1 share", "mismatch", *_MARKET_WORDS),
           examples=("are incidents resolved quicker than a year ago?",)),
    Intent("compare", compare_services, ("two_services",),
           # "compare email and CRM" stays with the reader: both services' cost per user
           select=(*_BIGGER, *_SMALLER, "than", "or", "vs", "versus", "which"),
           exclude=(*_MARKET_WORDS, "since", "trend", "change", "changed"),
           examples=("is payroll more expensive than CRM?",
                     "which is bigger, telecom or network spend?")),
    Intent("market", market.compare_market, select=("market", "buying", "buy in", "saas",
                                                       "vendor", "provider", "outsource"),
           exclude=("worth", "value", "quadrant"), instead_of=("quadrant",),
           examples=("which of our services cost more than the market?",)),
    Intent("users", cost.users,
           select=("headcount", "staff", "employee", "employees", "workforce", "people"),
           exclude=("cost", "spend", "pay", "ticket", "per"), instead_of=("unknown",),
           examples=("what is our headcount?",)),
    Intent("proactive", support_answers.proactive, select=("proactive", "reactive"),
           exclude=("block", "left", "remaining"), instead_of=("block",),
           examples=("what share of support hours is proactive?",)),
    Intent("quadrant", market.quadrant,
           select=("should we do", "what to do", "advice", "advise", "recommend", "suggest"),
           instead_of=("unknown",), examples=("what should we do about accounting?",)),
    # rows reached by the reader's guess
    Intent("cost_per_user", cost.cost_per_user, ("service",),
           examples=("what does email cost per user per month?",)),
    Intent("total_cost", cost.total_cost, examples=("what did IT cost last quarter?",)),
    Intent("ranking", cost.ranking, examples=("which service costs the most per user?",)),
    Intent("trend", trend, examples=("has IT spend grown since last year?",)),
    Intent("explain", cost.explain, ("service",), examples=("why is CRM so expensive?",)),
    Intent("users", cost.users, examples=("how many staff do we have?",)),
    Intent("showback", cost.showback, examples=("what does Sales pay for IT?",)),
    Intent("changes", cost.changes, examples=("what changed since last quarter?",)),
    Intent("cost_pools", cost.cost_pools, examples=("what do we spend on software?",)),
    Intent("market", market.compare_market,
           examples=("would Google be cheaper for email?",
                     "which services are dearer than buying them in?")),
    Intent("quadrant", market.quadrant,
           examples=("which services cost more than they are worth?",)),
    Intent("value", market.value, examples=("how do users rate CRM?",)),
    Intent("proactive", support_answers.proactive,
           examples=("share of support time that was proactive",)),
    Intent("block", support_answers.block,
           examples=("how many hours are left in the previous block?",)),
    Intent("p1_share", support_answers.p1_share, examples=("what share of tickets are P1?",)),
    Intent("priority_mismatches", support_answers.priority_mismatches,
           examples=("which tickets have the wrong priority?",)),
    Intent("service_desk", service_desk, examples=("tickets in May 2026",)),
)
# Rows with select words that re-route to an intent answered elsewhere in the table share
# its key; the others answer with their own function.
OWN_ANSWER = ("compare_quarters", "service_desk_change", "compare")
BY_KEY = {row.key: row for row in TABLE if not row.select or row.key in OWN_ANSWER}


def _needs_met(row: Intent, q: Query, names: Names) -> bool:
    for need in row.needs:
        if need == "two_services" and two_services(q, names) is None:
            return False
        if need == "two_quarters" and not (q.time.kind == "quarters"
                                           and len(q.time.labels) == 2 and not q.services):
            return False
        if need == "earlier" and not _earlier(q):
            return False
    return True


def route(q: Query, names: Names) -> Query:
    """The query with the intent the table picks (the reader's guess when no row with
    ``select`` words fits)."""
    for row in TABLE:
        if not row.select:
            break
        if row.instead_of and q.intent not in row.instead_of:
            continue
        if _said(q, *row.select) and not _said(q, *row.exclude) and _needs_met(row, q, names):
            if row.key in OWN_ANSWER:  # a row that answers with its own function
                key = "service_desk" if row.key == "service_desk_change" else row.key
                return replace(q, intent=key, focus=row.key)
            return replace(q, intent=row.key)
    return q


def handler(q: Query) -> Callable[[Context], Answer]:
    """The answer function for a routed query."""
    if q.focus in BY_KEY and BY_KEY[q.focus].select:
        return BY_KEY[q.focus].answer
    return BY_KEY[q.intent].answer
