"""Plain-language questions -> answers: the number, the sentence around it, and the table and
chart behind it.

``answer("what does our email cost per user?", dataset)`` returns a frozen :class:`Answer`.
Questions are read by rules over words (``reading``), deterministic and offline: no model,
no network. Every number in an answer comes from the analytics modules (costing, market,
portfolio, support); when a question is not understood, is ambiguous, or names something the
data does not hold, the answer says so, gives no number, and offers three questions it can
answer instead.

Intents are rows of a table (``intents.TABLE``): what each needs, the words that select and
exclude it, examples, and its answer function, a thin adapter over the page's facts
(``valuelib.present.Facts``) and the measure registry's formatter.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .. import budget
from ..model import Dataset
from ..parse import quarter_label
from ..present import Facts, fmt_date
from .common import Context, names_list
from .intents import TABLE, handler, route
from .reading import Names, Query, TimeRef, dataset_names
from .reading import understand as _read
from .result import Answer, KeyFigure
from .suggest import closest

__all__ = ["EXAMPLES", "INTENTS", "Answer", "KeyFigure", "Query", "answer", "examples",
           "understand"]

EXAMPLES: tuple[str, ...] = (
    "What does email cost per user per month?",
    "Is it cheaper to buy email from a provider?",
    "Which services cost more than they are worth?",
    "Is support getting more proactive?",
    "How many hours are left in the support block?",
    "What changed since last quarter?",
)

INTENTS: tuple[str, ...] = tuple(dict.fromkeys(row.key for row in TABLE))

# Intents that are about one service and cannot be answered without it.
_NEEDS_SERVICE = {row.key for row in TABLE if "service" in row.needs}
# Intents where an unknown word in place of a service means "a service I don't know".
_SERVICE_SLOT = {"cost_per_user", "total_cost", "trend", "market", "value", "explain", "users",
                 "quadrant", "compare"}
# Intents about the budget: without a Budget sheet they are refused, saying so.
_BUDGET = {"budget", "budget_services", "year_end"}
# Intents whose figures come from support rows: the page's business unit narrows them.
_SUPPORT = {"proactive", "block", "p1_share", "priority_mismatches", "service_desk"}


def understand(question: str, dataset: Dataset, names: Names | None = None) -> Query:
    """Read ``question`` against ``dataset``: the reader's slots, routed by the intent table."""
    names = names or dataset_names(dataset)
    return route(_read(question, dataset, names), names)


def answer(question: str, dataset: Dataset, quarter: str | None = None,
           business_unit: str | None = None) -> Answer:
    """Answer one plain-language question from ``dataset`` (never mutated). ``quarter`` and
    ``business_unit`` are the page's filters: they apply when the question names no quarter
    or business unit, and the answer then says which ("For 2026-Q1, Sales: ...")."""
    names = dataset_names(dataset)
    query = understand(question or "", dataset, names)
    refusal = _refusal(query, names, dataset)
    if refusal is not None:
        return refusal
    scope: list[str] = []
    if quarter and query.time.kind == "default":
        query = replace(query, time=TimeRef("quarters", labels=(quarter,), page=True))
        scope.append(quarter_label(quarter, dataset.settings.fiscal_year_start))
    unit = query.business_unit or business_unit
    if unit and query.intent in _SUPPORT - {"block"}:  # blocks are whole, as the pages show
        dataset = Facts(dataset, quarter, unit).unit_dataset
        scope.append(unit)
    elif business_unit and not query.business_unit:
        if query.intent in ("showback", "total_cost") and not query.services:
            query = replace(query, business_unit=business_unit, intent="showback")
            scope.append(business_unit)
        else:  # service costs are the organisation's; the unit's share is its showback
            scope.append("all business units")
    result = handler(query)(Context(query, dataset, names))
    if query.time.month and query.intent != "service_desk" and result.understood:
        # only tickets are dated by day; the rest is kept by quarter: answer that quarter
        shown = quarter_label(query.time.labels[0], dataset.settings.fiscal_year_start)
        month = fmt_date(pd.Timestamp(query.time.month + "-01"))[2:].strip()
        what = "Support figures are" if query.intent in _SUPPORT else "Costs are"
        result = replace(result, sentence=(
            f"{what} recorded by quarter, so this is {shown}, the quarter holding {month}. "
            f"{result.sentence}"))
    if not scope or not result.understood:
        return result
    where = ", ".join(scope)
    said = [part for part in scope if not result.sentence.startswith(f"In {part},")]
    # "For 2026-Q3: In 2026-Q3, …" would say the quarter twice
    sentence = f"For {', '.join(said)}: {result.sentence}" if said else result.sentence
    return replace(result, sentence=sentence,
                   how=f"{result.how} The filters applied: {where}.".strip())


def examples(dataset: Dataset) -> tuple[str, ...]:
    """EXAMPLES, with "email" replaced by the organisation's first service when it has no
    email service."""
    names = dataset_names(dataset)
    has_email = any(len(s) == 1 for p, s in names.aliases if p == ("email",))
    if has_email or not names.services:
        return EXAMPLES
    service = names.services[0]
    return tuple(e.replace("email", service) for e in EXAMPLES)


def _refusal(q: Query, names: Names, dataset: Dataset) -> Answer | None:
    """An answer that says plainly why the question cannot be answered as asked, or None."""
    shown = list(names.services[:12])
    if len(names.services) > 12:
        shown[-1] = f"{len(names.services) - 11} more"
    services_text = names_list(shown) or "none loaded"
    if not q.text.strip():
        return _refuse(q, "Ask a question about what IT services cost, how they compare with "
                          "the market, their value, or support.", "unknown", names,
                       "Empty question.")
    if q.ambiguous and not q.services:
        m = q.ambiguous[0]
        sentence = (f"'{m.words}' could mean {names_list(list(m.services))}. Which one do you "
                    "mean?")
        return _refuse(q, sentence, q.intent, names,
                       f"'{m.words}' matches {len(m.services)} services equally.",
                       services=m.services)
    words = set(q.words)
    if not budget.has_budget(dataset) and (q.intent in _BUDGET or (
            words & {"budget", "budgets", "forecast", "forecasts"} and words & {
            "over", "under", "against", "variance", "vs", "versus", "within", "remaining",
            "left", "overspend", "overspent", "underspend"})):
        sentence = ("The workbooks hold no budget or forecast, so I can't compare with one. I "
                    "can tell you what IT actually cost.")
        return _refuse(q, sentence, "total_cost", names, "No budget figures in the data.",
                       guess="total_cost")
    if q.intent in _SERVICE_SLOT and not names.services and (q.unknown or q.mentions):
        sentence = ("There are no services in the data loaded yet, so this cannot be answered. "
                    "Upload a workbook with a Services, Costs or Usage sheet.")
        return Answer(q.text, sentence, q.intent, True, how="No services in the data.",
                      suggestions=closest(q.text, names))
    pays = any(w in q.words for w in ("pay", "pays", "paying", "paid", "charged", "owe"))
    if q.intent in _SERVICE_SLOT and not q.services and q.unknown and not q.business_unit \
            and (not q.whole_it or pays):
        word = " ".join(q.unknown[:3])
        org = dataset.settings.organization
        what = "a service or business unit" if pays else "a service"
        sentence = (f"I don't know {what} called '{word}'"
                    + (f" at {org}" if org else "") + f". The services are: {services_text}.")
        return _refuse(q, sentence, q.intent, names, f"No service matches '{word}'.")
    if q.intent == "unknown":
        if q.services:
            sentence = (f"I see {names_list(list(q.services))}, but not what you want to know "
                        "about it. Try one of these:")
            return _refuse(q, sentence, "unknown", names, "No question words recognised.",
                           services=q.services, guess="cost_per_user")
        sentence = ("Sorry, I can't answer that from this data. I answer questions about what "
                    "IT services cost, how they compare with the market, their value, and "
                    "support work. Try one of these:")
        return _refuse(q, sentence, "unknown", names, "No question words recognised.")
    if q.intent in _NEEDS_SERVICE and not q.services and not (
            q.intent == "cost_per_user" and q.whole_it):
        sentence = f"Which service do you mean? The services are: {services_text}."
        return _refuse(q, sentence, q.intent, names, "The question names no service.")
    return None


def _refuse(q: Query, sentence: str, intent: str, names: Names, why: str,
            services: tuple[str, ...] = (), guess: str | None = None) -> Answer:
    how = why
    if q.corrections:
        how += " Read " + ", ".join(f"'{a}' as '{b}'" for a, b in q.corrections) + "."
    suggestions = closest(q.text, names, guess or (intent if intent != "unknown" else None),
                          services)
    return Answer(q.text, sentence, intent, False, how=how, suggestions=suggestions)

