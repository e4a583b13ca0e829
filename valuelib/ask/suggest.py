"""Questions to offer: follow-ups after an answer, and the closest answerable questions when a
question was not understood. Every suggestion is a question this package answers (a test asks
each one)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from ..frames import table
from .words import STOPWORDS, clean, phrase

if TYPE_CHECKING:
    from .common import Context
    from .reading import Names

# key -> template; {service} and {unit} are filled from the dataset.
TEMPLATES: dict[str, str] = {
    "cost_per_user": "What does {service} cost per user per month?",
    "total_cost": "What is the total cost of {service} this year?",
    "total_it": "What is our total IT spend last quarter?",
    "ranking": "Which services are the most expensive per user?",
    "ranking_total": "Which services cost the most in total?",
    "ranking_cheap": "Which service is the cheapest per user?",
    "trend": "How has the cost of {service} changed over time?",
    "market": "Is it cheaper to buy {service} from a provider?",
    "market_all": "Which services would be cheaper to buy?",
    "quadrant": "Which services cost more than they are worth?",
    "quadrant_service": "Is {service} worth what it costs?",
    "value": "How satisfied are users with {service}?",
    "value_all": "Which services have the highest value score?",
    "proactive": "Is support getting more proactive?",
    "block": "How many hours are left in the support block?",
    "p1_share": "What share of tickets are P1?",
    "priority_mismatches": "How many tickets have a priority that differs from the matrix?",
    "showback": "What does {unit} pay for IT?",
    "showback_all": "What does each business unit pay for IT?",
    "changes": "What changed since last quarter?",
    "explain": "Why does {service} cost what it does?",
    "users": "How many users does {service} have?",
    "users_all": "Which services have the most users?",
    "cost_pools": "What are our biggest cost pools?",
    "service_desk": "How many tickets did the service desk handle last quarter?",
}

# Offered after a budget answer only (never as the closest question to one not understood:
# data without a Budget sheet cannot answer them).
BUDGET_TEMPLATES: dict[str, str] = {
    "budget": "Are we over budget?",
    "budget_services": "Which services are over budget this year?",
    "year_end": "Where will we end the year?",
}
_FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "budget": ("budget_services", "year_end", "total_it"),
    "budget_services": ("year_end", "explain", "budget"),
    "year_end": ("budget_services", "budget", "trend"),
    "cost_per_user": ("market", "trend", "explain"),
    "total_cost": ("cost_per_user", "trend", "ranking_total"),
    "total_it": ("ranking_total", "changes", "showback_all"),
    "ranking": ("quadrant", "market_all", "ranking_total"),
    "ranking_total": ("quadrant", "market_all", "ranking"),
    "trend": ("cost_per_user", "market", "explain"),
    "market": ("market_all", "value", "explain"),
    "market_all": ("quadrant", "ranking", "total_it"),
    "quadrant": ("market_all", "ranking", "explain"),
    "value": ("quadrant_service", "cost_per_user", "market"),
    "value_all": ("quadrant", "value", "ranking"),
    "proactive": ("block", "p1_share", "service_desk"),
    "block": ("proactive", "service_desk", "p1_share"),
    "p1_share": ("priority_mismatches", "service_desk", "proactive"),
    "priority_mismatches": ("p1_share", "service_desk", "proactive"),
    "showback": ("showback_all", "ranking_total", "total_it"),
    "showback_all": ("showback", "ranking_total", "total_it"),
    "changes": ("ranking_total", "quadrant", "proactive"),
    "explain": ("market", "trend", "value"),
    "users": ("cost_per_user", "value", "trend"),
    "cost_pools": ("ranking_total", "total_it", "changes"),
    "service_desk": ("proactive", "p1_share", "block"),
}

# The template a refused question's guessed intent maps to, with or without a service.
_INTENT_TEMPLATE = {
    "cost_per_user": ("cost_per_user", "ranking"), "total_cost": ("total_cost", "total_it"),
    "ranking": ("ranking", "ranking"), "trend": ("trend", "total_it"),
    "market": ("market", "market_all"), "quadrant": ("quadrant_service", "quadrant"),
    "value": ("value", "value_all"), "explain": ("explain", "ranking"),
    "users": ("users", "users"), "showback": ("showback", "showback_all"),
}


def fill(key: str, names: Names, service: str | None = None, unit: str | None = None) -> str:
    template = TEMPLATES.get(key) or BUDGET_TEMPLATES[key]
    service = service or (names.services[0] if names.services else "email")
    units = list(dict.fromkeys(names.units.values()))
    unit = unit or (units[0] if units else "Sales")
    return template.format(service=service, unit=unit)


def follow_ups(ctx: Context, intent: str, *, service: str | None = None,
               per_user: bool | None = None, all_services: bool = False) -> tuple[str, ...]:
    """Three questions to ask next, about the same service or business unit."""
    q = ctx.query
    service = service or (q.services[0] if q.services else None)
    key = intent
    if intent == "total_cost" and not q.services:
        key = "total_it"
    elif intent == "market" and (all_services or not q.services):
        key = "market_all"
    elif intent == "value" and not q.services:
        key = "value_all"
    elif intent == "showback" and not q.business_unit:
        key = "showback_all"
    elif intent == "ranking" and per_user is False:
        key = "ranking_total"
    offered = set(table(ctx.dataset, "market")["service"].dropna())
    out = []
    for follow in _FOLLOW_UPS.get(key, ("cost_per_user", "quadrant", "proactive")):
        chosen = service or (ctx.names.services[0] if ctx.names.services else None)
        if follow == "market" and chosen not in offered:
            follow = "market_all"  # no offer to hold this service against
        out.append(fill(follow, ctx.names, service, q.business_unit))
    return tuple(dict.fromkeys(out))[:3]


def _content(text: str) -> set[str]:
    return {w for w in phrase(text) if w not in STOPWORDS and len(w) > 1}


def closest(question: str, names: Names, intent: str | None = None,
            services: tuple[str, ...] = (), n: int = 3) -> tuple[str, ...]:
    """The ``n`` answerable questions closest to ``question``: a guessed intent's question
    first (once per candidate service), then the templates sharing most words with it."""
    out: list[str] = []
    if intent in _INTENT_TEMPLATE:
        with_service, without = _INTENT_TEMPLATE[intent]
        if services:
            out += [fill(with_service, names, s) for s in services]
        else:
            top = list(names.services[:2]) or [None]
            out += [fill(with_service, names, s) for s in top]
            out.append(fill(without, names))
    words = _content(question)
    text = clean(question)
    scored = []
    subject = services[0] if services else None
    for key in TEMPLATES:
        candidate = fill(key, names, subject)
        overlap = len(words & _content(candidate)) / (len(words | _content(candidate)) or 1)
        ratio = difflib.SequenceMatcher(None, text, clean(candidate)).ratio()
        scored.append((overlap + 0.3 * ratio, candidate))
    scored.sort(key=lambda s: -s[0])
    shares_words = any(len(words & _content(c)) for _, c in scored)
    if not out and not shares_words:  # nothing to go on: the standard examples
        from . import EXAMPLES

        out = list(EXAMPLES)
    out += [c for _, c in scored]
    return tuple(dict.fromkeys(out))[:n]
