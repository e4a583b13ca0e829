"""The table of intents: each kind of question as one row of data (what it needs, the words
that select it and exclude it, examples, its answer), and the answers that hold one thing
against another (two services, two quarters).

Routing: the reader's slots and its first guess come from ``reading``; then the first row
whose ``select`` words are in the question, whose ``exclude`` words are not and whose ``needs``
are met takes the question. Rows without ``select`` words are reached by the reader's guess.
A row with ``focus`` answers with its key's function, told what to focus on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .. import costing
from . import (
    budget_answers,
    chargeback_answers,
    cost,
    market,
    support_answers,
    voice_answers,
    whatif_answers,
)
from .common import Context, asked, over_period, quarters_of, signed_pct, yes_no
from .reading import Names, Period, Query
from .result import Answer
from .words import stem


@dataclass(frozen=True)
class Intent:
    """One kind of question, one row. ``needs``: slots its answer cannot do without
    (``service``); ``select`` / ``exclude``: phrases (stemmed like the question) that pick it
    over the reader's guess / rule that out, when the slots in ``when`` are filled
    (``two_services``, ``two_quarters``, ``earlier``: a past time to compare with, ``unit``:
    a business unit or "each department") and the
    reader guessed one of ``instead_of`` (empty: any); ``focus``: what the answer is then told
    to look at. A row without ``select`` words is reached by the reader's guess alone."""

    key: str
    answer: Callable[[Context], Answer]
    examples: tuple[str, ...]
    needs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    instead_of: tuple[str, ...] = ()
    focus: str | None = None


_MARKET_WORDS = ("market", "offer", "vendor", "provider", "saas", "buy", "buying", "outsource",
                 "cloud", "move", "moved", "switch", "google", "microsoft")
_COST_WORDS = ("cost", "spend", "spent", "pay", "price", "budget", "$")


# ---- one thing against another -----------------------------------------------------------------

@over_period("compare")
def compare_services(ctx: Context, period: Period) -> Answer:
    """"Is payroll more expensive than CRM?": the two services' figures in one quarter as the
    Overview's service table has them, per user when the question says so, else total."""
    q, quarter = ctx.query, period.last
    a, b = two_services(q, ctx.names)
    key, label = ("cost_per_user_month", "cost per user per month") if q.per_user else (
        "total_cost", "total cost")
    rows = ctx.facts(quarter).services.set_index("service")[key]
    va, vb = (float(rows.get(s, float("nan"))) for s in (a, b))
    what = "per user per month" if q.per_user else "in total"
    (big, vbig), (small, vsmall) = sorted(((a, va), (b, vb)), key=lambda x: -x[1])
    body = (f"{a} and {b} cost the same {what} in {ctx.q(quarter)}: {ctx.fmt(key, va)}."
            if va == vb else f"{big} costs more {what} in {ctx.q(quarter)}: "
            f"{ctx.fmt(key, vbig)} against {ctx.fmt(key, vsmall)} for {small}, "
            f"{ctx.fmt(key, abs(va - vb))} more.")
    figures = [ctx.fig(key, v, f"{s}: {label}", quarter, s) for s, v in ((a, va), (b, vb))]
    how = (f"costing.{'cost_per_user' if q.per_user else 'total_cost'} for {ctx.q(quarter)} "
           f"(the Overview's service table), the two services named, {label}.")
    return ctx.done("compare", yes_no(q, va < vb) + body, figures, how=how, period=period,
                    follow="total_cost")


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


def compare_quarters(ctx: Context) -> Answer:
    """"Compare Q1 and Q2 2026": IT's total cost (the Overview's) or the named service's in
    each, and the change from the first to the second."""
    q = ctx.query
    available = quarters_of(ctx.dataset, "costs")
    first, second = q.time.labels[0], q.time.labels[-1]
    missing = [x for x in (first, second) if x not in available]
    if missing:
        from .common import plain

        return plain(ctx, "compare_quarters", f"There is no cost data for "
                     f"{' and '.join(missing)}; the cost data covers {available[0]} to "
                     f"{available[-1]}." if available else "There is no cost data loaded.",
                     follow="trend")
    service = q.services[0] if q.services else None
    if service is None:
        by_q = ctx.facts(second).cost_by_quarter.set_index("quarter")["total_cost"]
    else:
        frame = costing.total_cost(ctx.dataset)
        by_q = frame[frame["service"] == service].groupby("quarter")["total_cost"].sum()
    va, vb = float(by_q.get(first, 0.0)), float(by_q.get(second, 0.0))
    change = (vb - va) / va * 100 if va else float("nan")
    who = service or "IT"
    verb = "went up" if vb > va else "went down" if vb < va else "stayed"
    sentence = (f"{who}'s total cost {verb} from {ctx.total(va)} in {ctx.q(first)} to "
                f"{ctx.total(vb)} in {ctx.q(second)} ({signed_pct(change)}).")
    figures = (ctx.fig("change_pct", change, f"{who}: change in total cost, {first} to {second}",
                       second, service, "%", signed_pct(change)),
               ctx.fig("total_cost", vb, f"{who}: total cost", second, service),
               ctx.fig("total_cost", va, f"{who}: total cost", first, service))
    how = f"costing.total_cost summed per quarter for {first} and {second}."
    return ctx.done("compare_quarters", sentence, figures, how=how, follow="trend")


def trend(ctx: Context) -> Answer:
    """A trend; a yes/no question with a direction ("has support spend grown since last
    year?") gets "Yes." or "No." first, read from the change over the period."""
    result = cost.trend(ctx)
    change = next((f for f in result.figures if f.unit == "%"), None)
    if not result.understood or change is None or change.value != change.value:
        return result
    word = yes_no(ctx.query, change.value < 0)
    return replace(result, sentence=word + result.sentence) if word else result


def _earlier(q: Query) -> bool:
    """Whether the question holds now against an earlier time ("than a year ago")."""
    return q.since_previous or (
        q.time.month is None and q.time.kind in ("back", "previous", "last_year")
        and asked(q, "than", "compared", "versus", "vs", "since", "before", "ago"))


# ---- the table ----------------------------------------------------------------------------

# ---- the voice of users (issue 16)
_VOICE_ROWS = (
    Intent("briefing", voice_answers.briefing,
           ("what should I know?", "what should I tell the executives", "briefing"),
           select=("should i know", "need to know", "tell executive", "tell the board",
                   "tell leadership", "tell management", "brief", "briefing", "key finding",
                   "key message", "what matter")),
    Intent("needs", voice_answers.needs,
           ("what do users ask for most?", "top requests", "what are users asking for",
            "what does Sales need from IT?"),
           select=("ask for", "asking for", "asked for", "asks for", "request", "requested",
                   "need", "wish", "wishlist", "idea", "feature", "suggestion"),
           exclude=("ticket", "incident", "service request", "routine", "resolve", "backlog",
                    "how many", "desk", "block", "know", *_COST_WORDS, *_MARKET_WORDS)),
    Intent("perception", voice_answers.satisfaction,
           ("how satisfied are users with email support", "which services are users less "
            "happy with", "is ticket satisfaction falling?"),
           # "less happy" asks about a change (falling perception); "least happy" about the
           # lowest score, which the value row answers from the survey
           select=("less happy", "less satisfied", "unhappier", "more unhappy", "perception",
                   "happy support", "satisfied support", "satisfaction support",
                   "happy ticket", "satisfied ticket", "satisfaction ticket",
                   "satisfaction contact", "satisfied contact", "satisfaction falling",
                   "satisfaction fall", "satisfaction drop", "low score"),
           exclude=("value", "worth", "survey", "quadrant", *_COST_WORDS, *_MARKET_WORDS)),
)

TABLE: tuple[Intent, ...] = (
    # rows with select words: checked first, in this order
    Intent("whatif", whatif_answers.whatif_answer, whatif_answers.EXAMPLES,
           select=("what if", "suppose", "imagine", "what would happen", "what happens if")),
    # ---- budget (issue 17): refused without a Budget sheet (ask._refusal)
    Intent("year_end", budget_answers.year_end,
           ("where will we end the year?", "year end forecast",
            "where will CRM end the year?"),
           select=("end year", "year end", "yearend", "end of year", "finish year",
                   "land year", "full year forecast", "forecast"),
           exclude=("block", "hours", "run out", "runs out", "ticket")),
    Intent("budget_services", budget_answers.services_over_budget,
           ("which services are over budget this year?", "which services are under budget?"),
           select=("which budget", "services budget", "what services budget"),
           exclude=("block", "hours")),
    Intent("budget", budget_answers.budget_status,
           ("are we over budget?", "budget variance", "how are we tracking against budget",
            "are we on budget for CRM"),
           select=("budget", "overspend", "overspent", "underspend", "underspent",
                   "variance"),
           exclude=("block", "hours", "ticket")),
    *_VOICE_ROWS,
    Intent("compare_quarters", compare_quarters,
           ("compare Q1 and Q2 2026", "2026-Q1 vs 2026-Q2"), when=("two_quarters",),
           select=("compare", "vs", "versus", "against", "and", "or", "between"),
           exclude=(*_MARKET_WORDS, "proactive", "ticket", "block", "hour", "p1", "priority")),
    Intent("service_desk", support_answers.service_desk,
           ("are incidents resolved quicker than a year ago?",
            "is support quicker than last year", "tickets in May 2026",
            "how many tickets did Sales log in May 2026"), when=("earlier",),
           select=("incident", "ticket", "resolve", "resolved", "resolution", "quicker",
                   "faster", "slower", "speed", "backlog", "reopen"),
           exclude=("block", "proactive", "p1 share", "mismatch", *_COST_WORDS,
                    *_MARKET_WORDS), focus="service_desk_change"),
    Intent("compare", compare_services, ("is payroll more expensive than CRM?",
                                         "which is bigger, telecom or network spend?"),
           when=("two_services",),
           # "compare email and CRM" stays with the reader: both services' cost per user
           select=("bigger", "larger", "more", "dearer", "pricier", "higher", "smaller",
                   "less", "cheaper", "lower", "than", "or", "vs", "versus", "which"),
           exclude=(*_MARKET_WORDS, "since", "trend", "change", "changed")),
    Intent("market", market.compare_market,
           ("which of our services cost more than the market?",
            "would Google be cheaper for email?", "which services are dearer than buying them in?"),
           select=("market", "buying", "buy in", "saas", "vendor", "provider", "outsource"),
           exclude=("worth", "value", "quadrant"), instead_of=("quadrant",)),
    Intent("users", cost.users, ("what is our headcount?", "how many staff do we have?"),
           select=("headcount", "staff", "employee", "employees", "workforce", "people"),
           exclude=("cost", "spend", "pay", "ticket", "per"), instead_of=("unknown",)),
    Intent("proactive", support_answers.proactive,
           ("what share of support hours is proactive?",
            "share of support time that was proactive"),
           select=("proactive", "reactive"), exclude=("block", "left", "remaining"),
           instead_of=("block",)),
    Intent("support_hours", support_answers.support_hours,
           ("how much time is spent on support tickets?", "how many hours did support log?"),
           select=("time spent", "hours spent", "time on support", "support time",
                   "support hours", "hours of support", "how much time", "how many hours",
                   "hours logged"),
           # "time spent" is time, not money: "spend" and "spent" are not excluded
           exclude=("block", "left", "remaining", "run out", "runs out", "when", "proactive",
                    "reactive", "share", "resolve",
                    "cost", "pay", "price", "budget", "$", *_MARKET_WORDS)),
    Intent("quadrant", market.quadrant, ("what should we do about accounting?",
                                         "which services cost more than they are worth?"),
           select=("should we do", "what to do", "advice", "advise", "recommend", "suggest"),
           instead_of=("unknown",)),
    # ---- chargeback (issue 16): before "charges", whose "pay" these questions also hold
    Intent("recovery", chargeback_answers.recovery,
           ("which services don't pay for themselves?", "cost recovery by service",
            "which services are under-recovered?", "does email pay for itself?"),
           select=("pay for themselves", "pay for itself", "pays for itself",
                   "cover their cost", "cover its cost", "recovery", "recover", "recovers",
                   "recovered", "underrecovered", "overrecovered", "subsidised", "subsidized"),
           exclude=(*_MARKET_WORDS, "line driven")),
    Intent("line_driven", chargeback_answers.line_driven,
           ("how much of IT is line-driven?", "what share of IT is overhead?"),
           select=("line driven", "overhead", "funded by charges", "paid for by charges")),
    Intent("tier", chargeback_answers.tier,
           ("what tier is Finance on for email?", "which tiers does Sales take?"),
           select=("tier", "service level", "level of service"),
           exclude=("market", "offer", "provider", "vendor", "buy", "buying", "cheaper")),
    Intent("charges", chargeback_answers.bill,
           ("what does Sales pay for IT?", "how much is Finance charged?",
            "Bill of IT for HR", "what does each business unit pay for IT?"),
           when=("unit",),
           select=("pay", "pays", "paying", "paid", "charge", "charged", "charges",
                   "charging", "bill", "billed", "invoice", "invoiced", "chargeback",
                   "charge back", "statement"),
           exclude=_MARKET_WORDS),
    # rows reached by the reader's guess
    Intent("cost_per_user", cost.cost_per_user, ("what does email cost per user per month?",),
           needs=("service",)),
    Intent("total_cost", cost.total_cost, ("what did IT cost last quarter?",)),
    Intent("ranking", cost.ranking, ("which service costs the most per user?",)),
    Intent("trend", trend, ("has IT spend grown since last year?",
                            "has support spend grown since last year?")),
    Intent("explain", cost.explain, ("why is CRM so expensive?",), needs=("service",)),
    Intent("showback", cost.showback, ("what does Sales pay for IT?",)),
    Intent("changes", cost.changes, ("what changed since last quarter?",)),
    Intent("cost_pools", cost.cost_pools, ("what do we spend on software?",)),
    Intent("value", market.value, ("how do users rate CRM?",)),
    Intent("block", support_answers.block, ("how many hours are left in the previous block?",
                                            "how much did Sales spend on the block last year?")),
    Intent("p1_share", support_answers.p1_share, ("what share of tickets are P1?",)),
    Intent("priority_mismatches", support_answers.priority_mismatches,
           ("which tickets have the wrong priority?",)),
)
BY_KEY = {row.key: row for row in TABLE}


def _needs_met(row: Intent, q: Query, names: Names) -> bool:
    for need in row.when:
        if need == "two_services" and two_services(q, names) is None:
            return False
        if need == "two_quarters" and not (q.time.kind == "quarters"
                                           and len(q.time.labels) == 2 and not q.services):
            return False
        if need == "earlier" and not _earlier(q):
            return False
        if need == "unit" and not (q.business_unit or q.by_unit):
            return False
    return True


def route(q: Query, names: Names) -> Query:
    """The query with the intent the table picks (the reader's guess when no row with
    ``select`` words fits)."""
    for row in TABLE:
        if not row.select:
            continue
        if row.instead_of and q.intent not in row.instead_of:
            continue
        if asked(q, *row.select) and not asked(q, *row.exclude) and _needs_met(row, q, names):
            return replace(q, intent=row.key, focus=row.focus or q.focus)
    return q


def handler(q: Query) -> Callable[[Context], Answer]:
    """The answer function for a routed query."""
    return BY_KEY[q.intent].answer
