"""What-if answers: "what if we moved email to the $15 offer?", "what if we retire payroll?",
"what if Sales had 20 more users?". The question becomes one :class:`~valuelib.whatif.Change`,
worked out by :func:`valuelib.whatif.evaluate` without saving anything; the answer offers the
same scenario on the Plan page (``Answer.plan_link``)."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from .. import links, whatif
from ..frames import table
from ..present.formatting import is_missing
from ..whatif import Change, ChangeKind, Verdict
from . import charts
from .common import Context, asked, plain
from .result import Answer

PRICE_MATCH_PCT = 1.0  # "the $15 offer": within 1 % of the amount (as the market answer)
_HOURS = re.compile(r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?:h|hrs?|hours?)\b")
_NUMBER = re.compile(r"(?<![\w$.])(?P<n>\d[\d,]*(?:\.\d+)?)(?![\w.])")
_RETIRE = ("retire", "retired", "retiring", "decommission", "switch off", "turn off", "shut down",
           "drop", "stop", "kill", "get rid")
_MORE = ("more", "extra", "additional", "another", "add", "grow", "grew", "hire", "hired")
_FEWER = ("fewer", "less", "lose", "lost", "cut", "shrink", "shrank")
_PEOPLE = ("user", "users", "people", "staff", "headcount", "employee", "employees", "seat",
           "seats", "person", "persons", "head", "heads")
EXAMPLES = ("what if we moved email to the $15 offer?", "what if we retire payroll?",
            "what if Sales had 20 more users?")


def _numbers(text: str) -> list[float]:
    """The plain numbers of the question (not money, not hours)."""
    text = _HOURS.sub(" ", re.sub(r"\$\s?\d[\d,]*(?:\.\d+)?", " ", text))
    return [float(m.group("n").replace(",", "")) for m in _NUMBER.finditer(text)]


def _named(text: str, names) -> str | None:
    """The longest of ``names`` the question spells out (ignoring case)."""
    folded = text.casefold()
    hits = [n for n in names if isinstance(n, str) and n.casefold() in folded]
    return max(hits, key=len) if hits else None


def _offer(ctx: Context, service: str) -> tuple[str | None, str]:
    """The offer asked about: by name, else by price ("the $15 offer"), else the cheapest
    that fits the service's users; and how it was chosen."""
    q = ctx.query
    offers = whatif.offers(ctx.dataset, service)
    priced = offers.dropna(subset=["price_per_user_month"])
    named = _named(q.text, offers["offer"])
    if named:
        return named, f"Offer chosen by its name ('{named}')."
    if q.price is not None and len(priced):
        price = priced["price_per_user_month"]
        tolerance = abs(q.price) * PRICE_MATCH_PCT / 100 + 0.005
        near = priced[((price - q.price).abs() <= tolerance)
                      | ((price * 12 - q.price).abs() <= tolerance)]
        if len(near):
            chosen = near.sort_values("price_per_user_month").iloc[0]["offer"]
            return chosen, f"Offer chosen by its price ({ctx.per_user(q.price)})."
        return None, (f"No {service} offer costs {ctx.per_user(q.price)} per user per month; "
                      "the Market sheet has: " + ", ".join(
                          f"{r.offer} ({ctx.per_user(r.price_per_user_month)})"
                          for r in priced.itertuples(index=False)) + ".")
    users = whatif.users_of(ctx.dataset, whatif.resolve_quarter(ctx.dataset),
                                service)
    fits = priced[(priced["min_users"].isna() | (priced["min_users"] <= users))
                  & (priced["max_users"].isna() | (priced["max_users"] >= users))]
    pool = fits if len(fits) else priced
    if pool.empty:
        return None, f"The Market sheet has no priced offer for {service}."
    chosen = pool.sort_values(["price_per_user_month", "offer"]).iloc[0]["offer"]
    return chosen, "Offer chosen as the cheapest that fits its users."


def _people_change(ctx: Context, numbers: list[float]) -> tuple[Change | None, str]:
    q = ctx.query
    if not numbers:
        return None, "How many users? Say, for example, 'what if Sales had 20 more users?'."
    n = numbers[0]
    sign = 1 if asked(q, *_MORE) else -1 if asked(q, *_FEWER) else 0
    quarter = whatif.resolve_quarter(ctx.dataset)
    if q.business_unit and not q.services:
        usage = table(ctx.dataset, "usage")
        mine = usage[(usage["quarter"] == quarter) & (usage["business_unit"] == q.business_unit)]
        today = float(mine.groupby("service")["users"].sum().max()) if len(mine) else 0.0
        count = max(today + sign * n, 0.0) if sign else n
        return Change(ChangeKind.HEADCOUNT, count=count, business_unit=q.business_unit), ""
    if q.services:
        today = whatif.users_of(ctx.dataset, quarter, q.services[0])
        count = max(today + sign * n, 0.0) if sign else n
        return Change(ChangeKind.USERS, service=q.services[0], count=count), ""
    usage = table(ctx.dataset, "usage")
    per = usage[usage["quarter"] == quarter].groupby("service")["users"].sum()
    today = float(per.max()) if len(per) else 0.0
    count = max(today + sign * n, 0.0) if sign else n
    return Change(ChangeKind.HEADCOUNT, count=count), ""


def _change(ctx: Context) -> tuple[Change | None, str]:
    """The one change the question asks about, and how it was read (or why none)."""
    q = ctx.query
    service = q.services[0] if q.services else None
    if asked(q, *_RETIRE):
        if service is None:
            return None, "Which service would you retire?"
        return Change(ChangeKind.RETIRE, service=service), ""
    if asked(q, "block"):
        hours = _HOURS.search(q.text.lower())
        if hours is None or q.price is None:
            return None, ("Say the block's hours and price, e.g. 'what if we bought a block of "
                          "500 hours for $45,000?'.")
        return Change(ChangeKind.BLOCK, hours=float(hours.group("n").replace(",", "")),
                      price=q.price), ""
    if asked(q, *_PEOPLE) or (q.business_unit and _numbers(q.text)):
        return _people_change(ctx, _numbers(q.text))
    if service is None:
        return None, ("Which service? For example: 'what if we moved email to the $15 offer?'.")
    tiers = whatif.tiers(ctx.dataset, whatif.resolve_quarter(ctx.dataset), service)
    tier = _named(q.text, tiers["tier"])
    if tier is not None or asked(q, "tier", "level", "service level"):
        if tiers.empty:
            return None, f"{service} has no tiers in the Offerings sheet."
        if tier is None:
            return None, f"Which tier of {service}? Its tiers: {', '.join(tiers['tier'])}."
        return Change(ChangeKind.TIER, service=service, tier=tier), ""
    offer, how = _offer(ctx, service)
    if offer is None:
        return None, how
    return Change(ChangeKind.MOVE, service=service, offer=offer), how


def whatif_answer(ctx: Context) -> Answer:
    """A what-if question, worked out (never saved), with the Plan page's link to it."""
    change, how = _change(ctx)
    if change is None:
        return replace(plain(ctx, "whatif", how), understood=False,
                       suggestions=EXAMPLES)
    scenario = whatif.Scenario("", (change,))
    result = whatif.evaluate(ctx.dataset, scenario)
    (c,) = result.changes
    if c.problem:
        return plain(ctx, "whatif", c.problem, follow="whatif")
    quarter = result.quarter
    yearly = c.yearly_cost_change
    cost = ("saves" if yearly < 0 else "adds")
    sentence = (f"{c.label} {cost} about {ctx.total(abs(yearly))} a year "
                f"({ctx.signed(yearly)}; {ctx.q(quarter)} × 4)")
    per_user = "cost per user per month" if c.basis == "service" else \
        "IT cost per user per month"
    if not is_missing(c.cost_per_user_after):
        sentence += (f"; {per_user} {ctx.per_user(c.cost_per_user_before)} → "
                     f"{ctx.per_user(c.cost_per_user_after)}")
    sentence += "."
    lost = [_trade(ctx, t) for t in c.trade_offs if t.verdict == Verdict.GIVES_UP]
    won = [_trade(ctx, t) for t in c.trade_offs if t.verdict == Verdict.GAINS]
    if lost:
        sentence += " It gives up " + "; ".join(lost) + "."
    if won:
        sentence += " It gains " + "; ".join(won) + "."
    if not is_missing(result.variance_after):
        sentence += (f" The budget variance for {result.budget_year} would be "
                     f"{ctx.signed(result.variance_after)} (now "
                     f"{ctx.signed(result.variance_before)}).")
    figures = [ctx.fig("yearly_cost_change", yearly, f"{c.label}: yearly cost change", quarter,
                       change.service, ctx.unit("per year"), ctx.signed(yearly)),
               ctx.fig("cost_per_user_before", c.cost_per_user_before,
                       f"{per_user.capitalize()}, today", quarter, change.service),
               ctx.fig("cost_per_user_after", c.cost_per_user_after,
                       f"{per_user.capitalize()}, after", quarter, change.service)]
    if not is_missing(result.variance_after):
        figures.append(ctx.fig("budget_variance_after", result.variance_after,
                               "Budget variance after", quarter,
                               text=ctx.signed(result.variance_after)))
    notes = " ".join((how, *c.notes, *result.notes))
    frame = pd.DataFrame([{
        "what": c.label, "yearly_cost_change": yearly,
        "cost_per_user_before": c.cost_per_user_before,
        "cost_per_user_after": c.cost_per_user_after, "users_before": c.users_before,
        "users_after": c.users_after}])
    tbl = ctx.table(frame, list(frame.columns), what="Change")
    chart = charts.bar([f"{per_user.capitalize()}, today", f"{per_user.capitalize()}, after"],
                       [c.cost_per_user_before, c.cost_per_user_after],
                       f"{c.label}: {per_user}", ctx.currency,
                       highlight=[f"{per_user.capitalize()}, after"])
    answer = ctx.done("whatif", sentence + " Nothing was saved: open it on the Plan page to "
                      "change or keep it.", figures, tbl, chart, how=f"whatif.evaluate on "
                      f"{ctx.q(quarter)}. {notes}", follow="whatif")
    return replace(answer, plan_link=tuple(links.plan_query(scenario)))


def _trade(ctx: Context, t: whatif.TradeOff) -> str:
    if t.what == "service":
        return "the service itself"
    if t.what == "availability":
        after = "none" if t.after is None else ctx.fmt("availability", t.after)
        return f"availability ({ctx.fmt('availability', t.today)} → {after})"
    if t.what == "storage_gb":
        return f"storage ({t.today:,.0f} GB → {t.after:,.0f} GB per user)"
    if t.what == "block_hours_bought":
        return f"support hours ({t.today:,.0f} h → {t.after:,.0f} h)"
    if t.what == "price_per_hour":
        return f"price per hour ({ctx.per_user(t.today)} → {ctx.per_user(t.after)})"
    return f"{t.what} ({t.today} → {t.after})"

