"""Plain-language questions -> answers: the number, the sentence around it, and the table and
chart behind it.

``answer("what does our email cost per user?", dataset)`` returns a frozen :class:`Answer`.
Questions are read by rules over words (``_understand``), deterministic and offline: no model,
no network. Every number in an answer comes from the analytics modules (costing, market,
portfolio, support); when a question is not understood, is ambiguous, or names something the
data does not hold, the answer says so, gives no number, and offers three questions it can
answer instead.

Intents: cost_per_user, total_cost, ranking, trend, market, quadrant, value, explain, users,
cost_pools, showback, changes, proactive, block, p1_share, priority_mismatches, service_desk.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Dataset
from . import _cost, _market, _support
from ._common import Context, names_list
from ._result import Answer, KeyFigure
from ._suggest import closest
from ._understand import Names, Query, dataset_names, understand

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

_HANDLERS: dict[str, Callable[[Context], Answer]] = {
    "cost_per_user": _cost.cost_per_user,
    "total_cost": _cost.total_cost,
    "ranking": _cost.ranking,
    "trend": _cost.trend,
    "explain": _cost.explain,
    "users": _cost.users,
    "showback": _cost.showback,
    "changes": _cost.changes,
    "cost_pools": _cost.cost_pools,
    "market": _market.compare_market,
    "quadrant": _market.quadrant,
    "value": _market.value,
    "proactive": _support.proactive,
    "block": _support.block,
    "p1_share": _support.p1_share,
    "priority_mismatches": _support.priority_mismatches,
    "service_desk": _support.service_desk,
}
INTENTS: tuple[str, ...] = tuple(_HANDLERS)

# Intents that are about one service and cannot be answered without it.
_NEEDS_SERVICE = {"cost_per_user", "explain"}
# Intents where an unknown word in place of a service means "a service I don't know".
_SERVICE_SLOT = {"cost_per_user", "total_cost", "trend", "market", "value", "explain", "users",
                 "quadrant"}


def answer(question: str, dataset: Dataset) -> Answer:
    """Answer one plain-language question from ``dataset`` (never mutated)."""
    names = dataset_names(dataset)
    query = understand(question or "", dataset, names)
    refusal = _refusal(query, names, dataset)
    if refusal is not None:
        return refusal
    return _HANDLERS[query.intent](Context(query, dataset, names))


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
    if words & {"budget", "budgets", "forecast", "forecasts"} and words & {
            "over", "under", "against", "variance", "vs", "versus", "within", "remaining",
            "left", "overspend", "overspent", "underspend"}:
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

