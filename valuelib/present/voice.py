"""The words of value perception and needs, once: the Support page's "Voice of users", the
briefing and the answers say a falling service or the top need in the same sentence."""

from __future__ import annotations

import pandas as pd

from .. import perception
from .facts import Facts
from .formatting import fmt_count, fmt_list, fmt_number, fmt_percent, fmt_points, is_missing


def falling_one(f: Facts, r) -> str:
    """'Email & Productivity: 64.0% in 2026-Q3, down 14.5 pts from 78.5% in 2026-Q2 (32 and
    30 rated tickets)' (a :func:`perception.falling_perception` row)."""
    return (f"{r.service}: {fmt_percent(r.satisfaction_pct)} in {f.label(r.quarter)}, down "
            f"{fmt_points(-r.change_points).lstrip('+')} from {fmt_percent(r.previous_pct)} in "
            f"{f.label(r.previous_quarter)} ({fmt_number(r.responses)} and "
            f"{fmt_count(r.previous_responses, 'rated ticket')})")


def falling_sentence(f: Facts) -> str:
    """The services whose contact satisfaction is falling this quarter, named; or that none
    is (and what "falling" takes)."""
    falling = f.falling
    whose = f" of {f.unit}'s tickets" if f.unit else ""
    if falling.empty:
        return (f"No service's contact satisfaction{whose} is falling in {f.quarter_label} (a "
                f"fall of {fmt_number(perception.FALL_POINTS)} points or more against either "
                f"of the two quarters before, with at least {perception.MIN_RESPONSES} rated "
                "tickets in each, beyond what chance explains).")
    n = len(falling)
    verb = "is" if n == 1 else "are"
    lead = (f"Perception is falling for {fmt_list(falling['service'])}: contact satisfaction"
            f"{whose} ")
    if n == 1:
        return lead + "fell to " + fell_words(f, falling.iloc[0]) + "."
    return (f"{fmt_count(n, 'service')} {verb} seeing perception fall in {f.quarter_label}: "
            + "; ".join(falling_one(f, r) for r in falling.itertuples(index=False)) + ".")


def fell_words(f: Facts, r) -> str:
    """'64.0% in 2026-Q3 from 78.5% in 2026-Q2 (−14.5 pts; 32 and 30 rated tickets)'."""
    return (f"{fmt_percent(r.satisfaction_pct)} in {f.label(r.quarter)} from "
            f"{fmt_percent(r.previous_pct)} in {f.label(r.previous_quarter)} "
            f"({fmt_points(r.change_points)}; {fmt_number(r.responses)} and "
            f"{fmt_count(r.previous_responses, 'rated ticket')})")


def lowest_sentence(f: Facts) -> str | None:
    """The service with the lowest contact satisfaction this quarter, among those with enough
    rated tickets to say so (None when none has)."""
    now = f.contact_satisfaction
    now = now[(now["quarter"] == f.quarter) & (now["responses"] >= perception.MIN_RESPONSES)]
    if len(now) < 2:
        return None
    r = now.sort_values(["satisfaction_pct", "service"]).iloc[0]
    return (f"Lowest contact satisfaction in {f.quarter_label}: {r.service}, "
            f"{fmt_percent(r.satisfaction_pct)} from {fmt_count(r.responses, 'rated ticket')}, "
            f"{fmt_percent(r.low_share_pct)} of them low (2 of 5 or less).")


def need_words(r) -> str:
    """'“Larger mailboxes” (Email & Productivity, Sales)'."""
    where = [str(x) for x in (r.service, r.business_unit) if not is_missing(x)]
    return f"“{r.need}”" + (f" ({', '.join(where)})" if where else "")


def score_words(r) -> str:
    """'40 votes × importance 4.5 = 180' (importance not given: counted as 3)."""
    if r.importance_given:
        importance = f"importance {fmt_number(r.importance, 1)}"
    else:
        importance = (f"importance not given, counted as "
                      f"{fmt_number(perception.MISSING_IMPORTANCE)}")
    return (f"{fmt_count(r.votes, 'vote')} × {importance} = needs score "
            f"{fmt_number(r.score)}")


def top_need_sentence(f: Facts) -> str | None:
    """'Top need in 2026-Q3: “Larger mailboxes” (Email & Productivity, Sales), 40 votes ×
    importance 4.5 = needs score 180, new this quarter.' (None without needs)."""
    needs = f.needs
    if needs.empty:
        return None
    r = needs.iloc[0]
    new = ", new this quarter" if r.new_this_quarter else f", first raised in " \
          f"{f.label(r.first_quarter)}"
    whose = f" from {f.unit}" if f.unit else ""
    return (f"Top need{whose} in {f.label(f.needs_quarter)}: {need_words(r)}, "
            f"{score_words(r)}{new}.")


def needs_sentence(f: Facts) -> str:
    """The top need, how many needs were raised and how many are new, and which quarter's
    survey is shown when it is not this quarter's."""
    needs = f.needs
    whose = f" from {f.unit}" if f.unit else ""
    if needs.empty:
        return (f"No needs recorded{whose} up to {f.quarter_label}: add a Needs sheet (what "
                "users ask for, votes and importance) to see them ranked here.")
    parts = []
    if f.needs_quarter != f.quarter:
        parts.append(f"No needs recorded{whose} in {f.quarter_label}; showing "
                     f"{f.label(f.needs_quarter)}, the latest survey before it.")
    parts.append(top_need_sentence(f))
    new = int(pd.Series(needs["new_this_quarter"]).sum())
    parts.append(f"{fmt_count(len(needs), 'need')} raised in {f.label(f.needs_quarter)}, "
                 f"{fmt_number(new)} of them new.")
    unrated = int((~needs["importance_given"].astype(bool)).sum())
    if unrated:
        parts.append(f"{fmt_count(unrated, 'need')} had no importance given: counted as "
                     f"{fmt_number(perception.MISSING_IMPORTANCE)}, the middle of 1–5, so "
                     "they rank by their votes.")
    return " ".join(parts)
