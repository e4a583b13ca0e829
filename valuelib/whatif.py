"""What-if scenarios: change the inputs, never the published data, and see what it does.

A :class:`Scenario` is a name and a tuple of :class:`Change` s, applied in order to one
quarter's costs and users (default: the latest complete quarter, else the latest with cost
data). :func:`evaluate` gives, per change and in total, the **yearly** cost change (the
quarter's run rate × 4), cost per user per month before → after, and what the change gives
up or gains against today's commitments (availability, storage, support window / response).

How each change moves the cost (docs/decisions.md, "What-if scenarios"):

- ``move``: the service's comparable cost (the lines held against market offers) goes and
  the offer's price × users is paid instead; its non-comparable lines stay;
- ``tier``: every user of the service moves to another tier of the Offerings sheet: its cost
  per user moves by the tier's price − today's tier's price (the rate card is IT's price for
  a level of service);
- ``users``: a service's users change; its **per-user** cost pools move with them, its
  **fixed** pools do not (:data:`POOL_BEHAVIOUR`);
- ``headcount``: the headcount (the largest user count of any service) changes; every
  service's users move in proportion (or, for one business unit, that unit's users of each
  service it uses), with the same pools;
- ``block``: a block of N hours bought at a price: the price is a year's cost;
- ``retire``: the service's own cost lines go; its shares of shared lines stay, carried by
  the other services (retiring a service does not switch off the shared network).

Each change is evaluated on the state the changes before it left. A change that names
something the data does not have is kept with its ``problem`` (plain words listing what the
data has) and changes nothing: findings are data, never exceptions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
import pandas as pd

from . import budget, chargeback, costing
from .frames import MONTHS_PER_QUARTER, UNALLOCATED, latest_quarter, quarter_end, table
from .frames import quarter_start as _quarter_start
from .model import Dataset, latest_complete_quarter
from .present.measures import fmt_measure
from .present.words import possessive

QUARTERS_PER_YEAR = 4
MONTHS_PER_YEAR = 12
AVAILABILITY_SAME = 0.005  # percentage points: as market.AVAILABILITY_SAME


class Behaviour(StrEnum):
    """How a cost pool moves when users do."""

    FIXED = "fixed"  # the same cost for more or fewer users within a year
    PER_USER = "per user"  # in proportion to users


# Each TBM cost pool (schema.TBM_COST_POOLS); any other pool text is fixed: what is not known to
# move with users is never moved (docs/decisions.md, "What-if scenarios").
POOL_BEHAVIOUR: Mapping[str, Behaviour] = {
    "Internal Labor": Behaviour.FIXED,  # salaried staff: not hired or let go per user
    "External Labor": Behaviour.FIXED,  # contracts run for their term
    "Facilities & Power": Behaviour.FIXED,  # the data centre and its power
    "Hardware": Behaviour.FIXED,  # bought ahead and depreciated
    "Other": Behaviour.FIXED,  # unknown: not moved
    "Software": Behaviour.PER_USER,  # licences and subscriptions per seat
    "Outside Services": Behaviour.PER_USER,  # managed and cloud services priced per user
    "Telecom": Behaviour.PER_USER,  # phones, mobile plans, circuits per person
    "Internal Services": Behaviour.PER_USER,  # charged by consumption
}


def behaviour(pool: str) -> Behaviour:
    """How ``pool`` moves with users (a pool outside the TBM list is fixed)."""
    return POOL_BEHAVIOUR.get(pool, Behaviour.FIXED)


class ChangeKind(StrEnum):
    MOVE = "move"  # a service to a market offer
    TIER = "tier"  # a service to another tier
    USERS = "users"  # a service's users to a number
    HEADCOUNT = "headcount"  # the headcount (of the organisation, or one unit) to a number
    BLOCK = "block"  # buy a block of hours at a price
    RETIRE = "retire"  # retire a service


KIND_LABELS = {ChangeKind.MOVE: "Move to a market offer", ChangeKind.TIER: "Move to a tier",
               ChangeKind.USERS: "Change a service's users",
               ChangeKind.HEADCOUNT: "Change the headcount",
               ChangeKind.BLOCK: "Buy a block of hours", ChangeKind.RETIRE: "Retire a service"}


@dataclass(frozen=True)
class Change:
    """One change. ``service`` for move / tier / users / retire; ``offer`` (move), ``tier``
    (tier); ``count``: the new users (users) or headcount (headcount, of ``business_unit``
    when given); ``hours`` and ``price`` (block: the block's whole price)."""

    kind: ChangeKind
    service: str | None = None
    offer: str | None = None
    tier: str | None = None
    count: float | None = None
    business_unit: str | None = None
    hours: float | None = None
    price: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "kind", ChangeKind(self.kind))

    def as_dict(self) -> dict:
        """The fields that are set, as plain JSON values."""
        out = {"kind": self.kind.value}
        for name in ("service", "offer", "tier", "count", "business_unit", "hours", "price"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out

    @classmethod
    def from_dict(cls, raw: Mapping) -> Change:
        """A change from :meth:`as_dict`'s form; ValueError says what is wrong."""
        if not isinstance(raw, Mapping):
            raise ValueError("a change must be an object with a 'kind'")
        kind = raw.get("kind")
        if kind not in set(ChangeKind):
            raise ValueError(f"unknown change kind {kind!r}: use one of "
                             f"{', '.join(ChangeKind)}")
        texts = {k: raw.get(k) for k in ("service", "offer", "tier", "business_unit")}
        numbers = {k: raw.get(k) for k in ("count", "hours", "price")}
        for key, value in texts.items():
            if value is not None and not isinstance(value, str):
                raise ValueError(f"'{key}' must be text")
        for key, value in numbers.items():
            if value is not None and (isinstance(value, bool) or not isinstance(
                    value, int | float) or not math.isfinite(value) or value < 0):
                raise ValueError(f"'{key}' must be a number of 0 or more")
        change = cls(ChangeKind(kind), **texts, **{k: None if v is None else float(v)
                                                   for k, v in numbers.items()})
        missing = [name for name in REQUIRED[change.kind] if getattr(change, name) is None]
        if missing:
            raise ValueError(f"a '{kind}' change needs {' and '.join(missing)}")
        return change


REQUIRED = {ChangeKind.MOVE: ("service", "offer"), ChangeKind.TIER: ("service", "tier"),
            ChangeKind.USERS: ("service", "count"), ChangeKind.HEADCOUNT: ("count",),
            ChangeKind.BLOCK: ("hours", "price"), ChangeKind.RETIRE: ("service",)}
MAX_CHANGES = 20  # a scenario is a handful of decisions, not a data set


@dataclass(frozen=True)
class Scenario:
    """A named set of changes, applied in order."""

    name: str
    changes: tuple[Change, ...] = ()

    def as_dict(self) -> dict:
        return {"name": self.name, "changes": [c.as_dict() for c in self.changes]}

    @classmethod
    def from_dict(cls, raw: Mapping) -> Scenario:
        """A scenario from :meth:`as_dict`'s form (the store's and a link's); ValueError says
        what is wrong."""
        if not isinstance(raw, Mapping):
            raise ValueError("a scenario must be an object with 'name' and 'changes'")
        name, changes = raw.get("name", ""), raw.get("changes", [])
        if not isinstance(name, str):
            raise ValueError("the scenario's 'name' must be text")
        if not isinstance(changes, list) or len(changes) > MAX_CHANGES:
            raise ValueError(f"'changes' must be a list of at most {MAX_CHANGES} changes")
        return cls(name.strip(), tuple(Change.from_dict(c) for c in changes))


# ---- changes as text: the command line's options and a link's parameters ------------------

def _number(text: str, what: str) -> float:
    cleaned = text.strip().replace(",", "").replace("$", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{what} must be a number, not '{text.strip()}'") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a number of 0 or more, not '{text.strip()}'")
    return value


def _pair(text: str, kind: str, right: str) -> tuple[str, str]:
    left, sep, value = text.rpartition("=")
    if not sep or not left.strip() or not value.strip():
        raise ValueError(f"--{kind} takes SERVICE={right}, e.g. \"Email & Productivity="
                         f"{ {'offer': 'Cloud email', 'tier': 'Standard', 'N': '250'}[right] }\","
                         f" not '{text}'")
    return left.strip(), value.strip()


def change_from_text(kind: str, text: str) -> Change:
    """A change as the command line and a Plan link write it: ``move`` SERVICE=OFFER,
    ``tier`` SERVICE=TIER, ``users`` SERVICE=N, ``headcount`` N or UNIT=N, ``block``
    HOURS@PRICE, ``retire`` SERVICE. ValueError says what is wrong."""
    kind = str(kind).strip().lower()
    text = str(text)
    if kind == ChangeKind.MOVE:
        service, offer = text.split("=", 1) if "=" in text else ("", "")
        if not service.strip() or not offer.strip():
            raise ValueError(f"--move takes SERVICE=OFFER, e.g. \"Email & Productivity=Cloud "
                             f"email\", not '{text}'")
        return Change(ChangeKind.MOVE, service=service.strip(), offer=offer.strip())
    if kind == ChangeKind.TIER:
        service, tier = _pair(text, kind, "tier")
        return Change(ChangeKind.TIER, service=service, tier=tier)
    if kind == ChangeKind.USERS:
        service, n = _pair(text, kind, "N")
        return Change(ChangeKind.USERS, service=service, count=_number(n, "the users"))
    if kind == ChangeKind.HEADCOUNT:
        unit, _, n = text.rpartition("=")
        return Change(ChangeKind.HEADCOUNT, count=_number(n, "the headcount"),
                      business_unit=unit.strip() or None)
    if kind == ChangeKind.BLOCK:
        hours, sep, price = text.partition("@")
        if not sep:
            raise ValueError(f"--block takes HOURS@PRICE, e.g. 500@45000, not '{text}'")
        return Change(ChangeKind.BLOCK, hours=_number(hours, "the hours"),
                      price=_number(price, "the price"))
    if kind == ChangeKind.RETIRE:
        if not text.strip():
            raise ValueError("--retire takes the service's name")
        return Change(ChangeKind.RETIRE, service=text.strip())
    raise ValueError(f"unknown change '{kind}': use one of {', '.join(ChangeKind)}")


def _plain(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.0f}"


def change_to_text(change: Change) -> tuple[str, str]:
    """(kind, text) as :func:`change_from_text` reads it back."""
    match change.kind:
        case ChangeKind.MOVE:
            text = f"{change.service}={change.offer}"
        case ChangeKind.TIER:
            text = f"{change.service}={change.tier}"
        case ChangeKind.USERS:
            text = f"{change.service}={_plain(change.count)}"
        case ChangeKind.HEADCOUNT:
            unit = f"{change.business_unit}=" if change.business_unit else ""
            text = f"{unit}{_plain(change.count)}"
        case ChangeKind.BLOCK:
            text = f"{_plain(change.hours)}@{_plain(change.price)}"
        case _:
            text = str(change.service)
    return change.kind.value, text


def describe(change: Change) -> str:
    """The change in a few words, for labels: ``Move Email & Productivity to Cloud email``."""
    match change.kind:
        case ChangeKind.MOVE:
            return f"Move {change.service} to {change.offer}"
        case ChangeKind.TIER:
            return f"Move {change.service} to the {change.tier} tier"
        case ChangeKind.USERS:
            return f"{change.service} with {change.count:,.0f} users"
        case ChangeKind.HEADCOUNT:
            unit = change.business_unit
            who = (f"{unit}{chr(39) if unit.endswith('s') else chr(39) + 's'} headcount"
                   if unit else "Headcount")
            return f"{who} to {change.count:,.0f}"
        case ChangeKind.BLOCK:
            return f"Buy {change.hours:,.0f} hours for {change.price:,.0f}"
        case _:
            return f"Retire {change.service}"


# ---- results ---------------------------------------------------------------------------------

class Verdict(StrEnum):
    """What a change does to one commitment."""

    GAINS = "gains"
    GIVES_UP = "gives up"
    SAME = "same"
    CHANGES = "changes"  # different, not better or worse by itself (a support window's text)
    UNKNOWN = "unknown"  # today's or the new commitment is not in the data


@dataclass(frozen=True)
class TradeOff:
    """One commitment today against after the change. ``what``: ``availability`` (percent),
    ``storage_gb``, ``support`` (text), ``block_hours_bought`` (hours in blocks),
    ``price_per_hour``, ``service`` (a retired service: today its name, after None)."""

    what: str
    today: float | str | None
    after: float | str | None
    verdict: Verdict


@dataclass(frozen=True)
class ChangeResult:
    """One change's effect, on the state the changes before it left.

    ``yearly_cost_change``: after − before, a year (the quarter's run rate × 4; a block's
    price once); ``cost_per_user_*``: the service's cost per user per month (for a headcount
    or block change, IT's cost per person per month: ``basis`` says which); ``problem``: why
    the change could not be applied (it then changes nothing)."""

    change: Change
    label: str
    yearly_cost_change: float
    basis: str  # "service" | "it"
    cost_per_user_before: float
    cost_per_user_after: float
    users_before: float
    users_after: float
    trade_offs: tuple[TradeOff, ...] = ()
    notes: tuple[str, ...] = ()
    problem: str = ""


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario evaluated on one quarter. Yearly figures are the quarter × 4, plus any block
    bought. ``budget_*``: the fiscal year's budget, forecast and variance (forecast − budget;
    positive = over budget) before and with a full year of the changes (NaN without a budget);
    ``notes``: how it was worked out, in plain words."""

    scenario: Scenario
    quarter: str | None
    changes: tuple[ChangeResult, ...]
    yearly_cost_before: float
    yearly_cost_after: float
    headcount_before: float
    headcount_after: float
    cost_per_person_before: float
    cost_per_person_after: float
    budget_year: str | None = None
    budget: float = float("nan")
    forecast: float = float("nan")
    variance_before: float = float("nan")
    variance_after: float = float("nan")
    notes: tuple[str, ...] = field(default=())

    @property
    def yearly_cost_change(self) -> float:
        return self.yearly_cost_after - self.yearly_cost_before

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(c.problem for c in self.changes if c.problem)


# ---- the state the changes work on -----------------------------------------------------------

@dataclass(frozen=True)
class _State:
    """A quarter's cost, in pieces: one row per (service, fixed, comparable, direct) with its
    quarterly amount; users per service; what each service's users are paid per month on top
    (a market offer or a tier's price difference); blocks bought (yearly); services retired."""

    pieces: pd.DataFrame
    users: Mapping[str, float]
    per_user_price: Mapping[str, float] = field(default_factory=dict)
    bought: float = 0.0
    retired: frozenset[str] = frozenset()

    def quarterly(self, service: str) -> float:
        own = float(self.pieces.loc[self.pieces["service"] == service, "amount"].sum())
        paid = self.per_user_price.get(service, 0.0) * self.users.get(service, 0.0)
        return own + paid * MONTHS_PER_QUARTER

    def cost_per_user(self, service: str) -> float:
        users = self.users.get(service, 0.0)
        if service in self.retired or not users > 0:
            return float("nan")
        return self.quarterly(service) / users / MONTHS_PER_QUARTER

    def yearly(self) -> float:
        paid = sum(price * self.users.get(s, 0.0) for s, price in self.per_user_price.items())
        quarterly = float(self.pieces["amount"].sum()) + paid * MONTHS_PER_QUARTER
        return quarterly * QUARTERS_PER_YEAR + self.bought

    def headcount(self) -> float:
        live = [u for s, u in self.users.items() if s not in self.retired]
        return max(live, default=0.0)

    def cost_per_person(self) -> float:
        people = self.headcount()
        return self.yearly() / people / MONTHS_PER_YEAR if people > 0 else float("nan")

    def scaled(self, factors: Mapping[str, float]) -> _State:
        """Users of each service in ``factors`` × its factor; its per-user pieces with them."""
        p = self.pieces
        factor = p["service"].map(factors).fillna(1.0).to_numpy(dtype=float)
        moves = ~p["fixed"].to_numpy(dtype=bool)
        amount = np.where(moves, p["amount"].to_numpy(dtype=float) * factor, p["amount"])
        users = {s: u * factors.get(s, 1.0) for s, u in self.users.items()}
        return replace(self, pieces=p.assign(amount=amount), users=users)


def _state(dataset: Dataset, quarter: str) -> _State:
    a = costing.allocations(dataset, quarter)
    fixed = a["cost_pool"].map(lambda pool: behaviour(pool) == Behaviour.FIXED)
    pieces = a.assign(fixed=fixed.astype(bool), direct=a["method"].eq("direct")).groupby(
        ["service", "fixed", "comparable", "direct"], as_index=False)["amount"].sum()
    users = costing.users_by_service(dataset, quarter)
    return _State(pieces, dict(zip(users["service"], users["users"].astype(float),
                                   strict=True)))


def users_of(dataset: Dataset, quarter: str | None, service: str) -> float:
    """A service's users in ``quarter`` (the sum of its Usage rows; 0 without any)."""
    usage = table(dataset, "usage")
    mine = usage[(usage["quarter"] == quarter) & (usage["service"] == service)]
    return float(mine["users"].sum())


def resolve_quarter(dataset: Dataset, quarter: str | None = None) -> str | None:
    """``quarter``, or the latest complete quarter, or the latest with cost data."""
    return quarter or latest_complete_quarter(dataset) or latest_quarter(
        table(dataset, "costs"))


# ---- what the data offers ---------------------------------------------------------------------

def _match(name: str | None, known) -> str | None:
    """The known name ``name`` means: exactly, else ignoring case and surrounding spaces."""
    if name is None:
        return None
    known = [k for k in known if isinstance(k, str)]
    if name in known:
        return name
    folded = {k.strip().casefold(): k for k in known}
    return folded.get(name.strip().casefold())


def services(dataset: Dataset) -> tuple[str, ...]:
    """The services a scenario can name: the catalogue and every service with cost or users."""
    names = set(table(dataset, "services")["service"].dropna())
    names |= set(table(dataset, "costs")["service"].dropna())
    names |= set(table(dataset, "usage")["service"].dropna())
    names.discard("Shared")
    return tuple(sorted(names, key=str.casefold))


def offers(dataset: Dataset, service: str | None = None) -> pd.DataFrame:
    """The Market sheet's priced offers (of ``service`` when given): service, offer,
    price_per_user_month, min_users, max_users, availability, storage_gb, support."""
    market = table(dataset, "market")
    market = market[market["service"].notna() & market["offer"].notna()]
    if service is not None:
        market = market[market["service"] == service]
    cols = ["service", "offer", "price_per_user_month", "min_users", "max_users",
            "availability", "storage_gb", "support"]
    return market[cols].reset_index(drop=True)


def tiers(dataset: Dataset, quarter: str | None = None, service: str | None = None
          ) -> pd.DataFrame:
    """The Offerings sheet's tiers in effect in ``quarter``, as the Bill of IT prices them
    (:func:`valuelib.chargeback.tiers`: the latest-starting row of a tier wins), of one
    ``service`` or all: service, tier, price_per_user_month, availability_target,
    support_hours, response_time, storage_gb, includes."""
    found = chargeback.tiers(dataset, quarter)
    if service is not None:
        found = found[found["service"].eq(service).to_numpy(dtype=bool, na_value=False)]
    return found.reset_index(drop=True)


def current_tier(dataset: Dataset, service: str, quarter: str | None) -> pd.Series | None:
    """The tier a service is on today: the one most of its users subscribe to in the quarter
    (Subscriptions), else its only tier; None when neither says."""
    offered = tiers(dataset, quarter, service)
    if offered.empty:
        return None
    subs = table(dataset, "subscriptions")
    subs = subs[(subs["service"] == service) & (subs["quarter"] == quarter)]
    if len(subs):
        by_tier = subs.groupby("tier")["users"].sum().sort_values(ascending=False, kind="stable")
        for name in by_tier.index:
            found = offered[offered["tier"] == name]
            if len(found):
                return found.iloc[0]
    return offered.iloc[0] if len(offered) == 1 else None


def _support_text(row: pd.Series | None) -> str | None:
    if row is None:
        return None
    parts = [str(row[c]) for c in ("support_hours", "response_time")
             if isinstance(row[c], str) and row[c].strip()]
    return ", ".join(parts) or None


def _target(dataset: Dataset, service: str) -> float:
    s = table(dataset, "services")
    found = s.loc[s["service"] == service, "availability_target"].dropna()
    return float(found.iloc[0]) if len(found) else float("nan")


def _number_trade(what: str, today, after, higher_is_better: bool = True,
                  same: float = 0.0) -> TradeOff:
    today = float(today) if today is not None and pd.notna(today) else None
    after = float(after) if after is not None and pd.notna(after) else None
    if today is None or after is None:
        verdict = Verdict.UNKNOWN
    elif abs(after - today) <= same:
        verdict = Verdict.SAME
    else:
        verdict = Verdict.GAINS if (after > today) == higher_is_better else Verdict.GIVES_UP
    return TradeOff(what, today, after, verdict)


def _text_trade(what: str, today: str | None, after: str | None) -> TradeOff:
    if not today or not after:
        verdict = Verdict.UNKNOWN
    elif today.strip().casefold() == after.strip().casefold():
        verdict = Verdict.SAME
    else:
        verdict = Verdict.CHANGES
    return TradeOff(what, today, after, verdict)


def _commitment_trades(dataset: Dataset, service: str, quarter: str, availability,
                       storage, support: str | None, tier_basis: bool) -> tuple[TradeOff, ...]:
    """Availability, storage and support after, against the service's today: its availability
    target (Services; for a tier change today's tier's, when known) and today's tier."""
    today = current_tier(dataset, service, quarter)
    target = _target(dataset, service)
    if today is not None and (tier_basis or pd.isna(target)):
        target = today["availability_target"]
    return (
        _number_trade("availability", target, availability, same=AVAILABILITY_SAME),
        _number_trade("storage_gb", None if today is None else today["storage_gb"], storage),
        _text_trade("support", _support_text(today), support),
    )


# ---- the changes ------------------------------------------------------------------------------

def _unknown(what: str, name, known) -> str:
    listed = ", ".join(f"'{k}'" for k in known) if len(known) else "none"
    return f"There is no {what} '{name}' in this data; it has: {listed}."


def _service(dataset: Dataset, state: _State, name: str | None) -> tuple[str | None, str]:
    known = services(dataset)
    found = _match(name, known)
    if found is None:
        return None, _unknown("service", name, known)
    if found in state.retired:
        return None, f"{found} is retired by an earlier change of this scenario."
    return found, ""


def _move(dataset, state, change, quarter):
    service, problem = _service(dataset, state, change.service)
    if problem:
        return state, problem, (), ()
    mine = offers(dataset, service)
    offer = _match(change.offer, mine["offer"])
    if offer is None:
        return state, _unknown(f"market offer for {service} named", change.offer,
                               list(mine["offer"])), (), ()
    row = mine[mine["offer"] == offer].iloc[0]
    price = float(row["price_per_user_month"])
    if pd.isna(price):
        return state, f"{offer} is priced on request: it has no price to work with.", (), ()
    p = state.pieces
    goes = (p["service"] == service) & p["comparable"]
    pieces = p.assign(amount=p["amount"].where(~goes, 0.0))
    users = state.users.get(service, 0.0)
    notes = [f"{possessive(service)} comparable cost goes; {offer} is paid instead at "
             f"{fmt_measure('price_per_user_month', price, dataset.settings.currency)} per user "
             f"per month for {users:,.0f} users; its other lines stay."]
    lo, hi = row["min_users"], row["max_users"]
    if (pd.notna(lo) and users < lo) or (pd.notna(hi) and users > hi):
        notes.append(f"{offer} takes {lo:,.0f} to {hi:,.0f} users; {service} has "
                     f"{users:,.0f}." if pd.notna(lo) and pd.notna(hi) else
                     f"{offer}'s user range does not fit {service}'s {users:,.0f} users.")
    after = replace(state, pieces=pieces,
                    per_user_price={**state.per_user_price, service: price})
    support = row["support"] if isinstance(row["support"], str) else None
    trades = _commitment_trades(dataset, service, quarter, row["availability"],
                                row["storage_gb"], support, tier_basis=False)
    return after, "", trades, tuple(notes)


def _tier(dataset, state, change, quarter):
    service, problem = _service(dataset, state, change.service)
    if problem:
        return state, problem, (), ()
    offered = tiers(dataset, quarter, service)
    name = _match(change.tier, offered["tier"])
    if name is None:
        return state, _unknown(f"tier of {service} named", change.tier,
                               list(offered["tier"])), (), ()
    new = offered[offered["tier"] == name].iloc[0]
    today = current_tier(dataset, service, quarter)
    if today is None:
        return state, (f"It is not known which tier {service} is on today (Subscriptions name "
                       "none in the quarter, and it has several tiers), so the change of price "
                       "cannot be worked out."), (), ()
    step = float(new["price_per_user_month"]) - float(today["price_per_user_month"])
    if pd.isna(step):
        return state, f"The {name} or {today['tier']} tier has no price.", (), ()
    after = replace(state, per_user_price={
        **state.per_user_price, service: state.per_user_price.get(service, 0.0) + step})
    notes = (f"{service}'s users move from the {today['tier']} tier "
             f"({today['price_per_user_month']:,.2f} per user per month) to {name} "
             f"({new['price_per_user_month']:,.2f}): its cost per user moves by the "
             "difference.",)
    trades = _commitment_trades(dataset, service, quarter, new["availability_target"],
                                new["storage_gb"], _support_text(new), tier_basis=True)
    return after, "", trades, notes


def _users(dataset, state, change, quarter):
    service, problem = _service(dataset, state, change.service)
    if problem:
        return state, problem, (), ()
    before = state.users.get(service, 0.0)
    if not before > 0:
        return state, (f"{service} has no users in the quarter, so its per-user costs cannot "
                       "be scaled."), (), ()
    return state.scaled({service: change.count / before}), "", (), (
        f"{service}'s per-user pools move with its users ({before:,.0f} → "
        f"{change.count:,.0f}); its fixed pools stay.",)


def _headcount(dataset, state, change, quarter):
    live = {s: u for s, u in state.users.items() if s not in state.retired and s != UNALLOCATED}
    if change.business_unit is None:
        people = state.headcount()
        if not people > 0:
            return state, "There are no users in the quarter to scale.", (), ()
        k = change.count / people
        return state.scaled(dict.fromkeys(live, k)), "", (), (
            f"Every service's users move in proportion to the headcount ({people:,.0f} → "
            f"{change.count:,.0f}, × {k:.3f}); per-user pools with them, fixed pools stay.",)
    usage = table(dataset, "usage")
    usage = usage[usage["quarter"] == quarter]
    unit = _match(change.business_unit, usage["business_unit"].dropna().unique())
    if unit is None:
        return state, _unknown("business unit with users named", change.business_unit,
                               sorted(usage["business_unit"].dropna().unique())), (), ()
    mine = usage[usage["business_unit"] == unit].groupby("service")["users"].sum()
    people = float(mine.max())
    k = change.count / people if people > 0 else float("nan")
    factors = {s: (live[s] + float(u) * (k - 1)) / live[s]
               for s, u in mine.items() if live.get(s, 0) > 0}
    return state.scaled(factors), "", (), (
        f"{unit}'s headcount {people:,.0f} → {change.count:,.0f}: its users of each service it "
        "uses move in proportion; per-user pools with them, fixed pools stay.",)


def _blocks_in(dataset: Dataset, quarter: str) -> pd.DataFrame:
    b = table(dataset, "blocks")
    start, end = _quarter_start(quarter), quarter_end(quarter)
    live = (b["start"].isna() | (b["start"] <= end)) & (b["end"].isna() | (b["end"] >= start))
    return b[live.to_numpy(dtype=bool, na_value=False) & (b["purchased_hours"] > 0)]


def _block(dataset, state, change, quarter):
    if not change.hours > 0:
        return state, "A block needs more than 0 hours.", (), ()
    today = _blocks_in(dataset, quarter)
    hours = float(today["purchased_hours"].sum()) if len(today) else None
    priced = today.dropna(subset=["price"])
    per_hour = (float(priced["price"].sum()) / float(priced["purchased_hours"].sum())
                if len(priced) else None)
    trades = (_number_trade("block_hours_bought", hours, change.hours),
              _number_trade("price_per_hour", per_hour, change.price / change.hours,
                            higher_is_better=False, same=0.005))
    after = replace(state, bought=state.bought + change.price)
    return after, "", trades, ("The block's price counts once, as a year's cost.",)


def _retire(dataset, state, change, quarter):
    service, problem = _service(dataset, state, change.service)
    if problem:
        return state, problem, (), ()
    p = state.pieces
    goes = (p["service"] == service) & p["direct"]
    shared = float(p.loc[(p["service"] == service) & ~p["direct"], "amount"].sum())
    prices = {s: v for s, v in state.per_user_price.items() if s != service}
    users = {s: (0.0 if s == service else u) for s, u in state.users.items()}
    after = replace(state, pieces=p.assign(amount=p["amount"].where(~goes, 0.0)),
                    per_user_price=prices, users=users, retired=state.retired | {service})
    notes = [f"{service}'s own cost lines go."]
    if shared:
        notes.append(f"Its share of shared costs ({shared * QUARTERS_PER_YEAR:,.0f} a year) "
                     "stays, carried by the other services.")
    target = _target(dataset, service)
    trades = (TradeOff("service", service, None, Verdict.GIVES_UP),
              TradeOff("availability", None if pd.isna(target) else target, None,
                       Verdict.GIVES_UP))
    return after, "", trades, tuple(notes)


_APPLY = {ChangeKind.MOVE: _move, ChangeKind.TIER: _tier, ChangeKind.USERS: _users,
          ChangeKind.HEADCOUNT: _headcount, ChangeKind.BLOCK: _block,
          ChangeKind.RETIRE: _retire}


def _result(change: Change, before: _State, after: _State, problem: str, trades,
            notes) -> ChangeResult:
    service = _match(change.service, before.users) or change.service
    if change.kind in (ChangeKind.HEADCOUNT, ChangeKind.BLOCK) or problem:
        basis = "it"
        cpu = (before.cost_per_person(), after.cost_per_person())
        users = (before.headcount(), after.headcount())
    else:
        basis = "service"
        cpu = (before.cost_per_user(service), after.cost_per_user(service))
        users = (before.users.get(service, 0.0), after.users.get(service, 0.0))
    return ChangeResult(change, describe(change), after.yearly() - before.yearly(), basis,
                        *cpu, *users, tuple(trades), tuple(notes), problem)


def _budget(dataset: Dataset, quarter: str) -> dict:
    """The fiscal year's full-year budget, end of year predicted and their variance
    (valuelib.budget, as of ``quarter``), when the data has a budget; {} otherwise."""
    found = budget.summary(dataset, quarter=quarter)
    if found is None or pd.isna(found.full_year_variance):
        return {}
    return {"budget_year": found.year, "budget": found.budget_full_year,
            "forecast": found.end_of_year_predicted,
            "variance_before": found.full_year_variance}


HOW = ("Yearly figures are the quarter's run rate × 4 (a block's price once). Per-user cost "
       "pools (Software, Outside Services, Telecom, Internal Services) move with users; fixed "
       "pools (Internal and External Labor, Facilities & Power, Hardware, Other) do not.")


def evaluate(dataset: Dataset, scenario: Scenario, quarter: str | None = None
             ) -> ScenarioResult:
    """The scenario's changes applied in order to ``quarter`` (default :func:`resolve_quarter`):
    per change and in total, the yearly cost change, cost per user before → after, the
    trade-offs and the budget variance after. Never changes ``dataset``."""
    quarter = resolve_quarter(dataset, quarter)
    if quarter is None:
        nan = float("nan")
        return ScenarioResult(scenario, None, tuple(
            ChangeResult(c, describe(c), nan, "it", nan, nan, nan, nan,
                         problem="There is no cost data to work on.")
            for c in scenario.changes), nan, nan, nan, nan, nan, nan, notes=(HOW,))
    start = state = _state(dataset, quarter)
    results = []
    for change in scenario.changes:
        after, problem, trades, notes = _APPLY[change.kind](dataset, state, change, quarter)
        results.append(_result(change, state, after, problem, trades, notes))
        state = after
    on_budget = _budget(dataset, quarter)
    if on_budget:
        # as if the changes held the whole fiscal year (docs/decisions.md)
        change = state.yearly() - start.yearly()
        on_budget["variance_after"] = on_budget["variance_before"] + change
    return ScenarioResult(
        scenario, quarter, tuple(results), start.yearly(), state.yearly(),
        start.headcount(), state.headcount(), start.cost_per_person(), state.cost_per_person(),
        notes=(HOW,), **on_budget)
