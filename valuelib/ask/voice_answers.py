"""Answers about the voice of users: what users ask for (the Needs sheet, ranked by votes ×
importance) and how satisfied they are at each contact (ticket satisfaction per service,
the services whose perception is falling). Figures and sentences are the Support page's
"Voice of users" (:class:`Facts`, :mod:`valuelib.present.voice`)."""

from __future__ import annotations

import pandas as pd

from .. import perception
from ..present import Facts, voice
from ..present import briefing as present_briefing
from . import charts
from .common import Context, count, names_list, over_period, pct, plain, points
from .reading import Period
from .result import Answer, KeyFigure
from .words import phrase

TOP = 3  # needs or services named in a sentence


# ---- needs -----------------------------------------------------------------------------------

@over_period("needs", "needs", "needs data")
def needs(ctx: Context, period: Period) -> Answer:
    """"What do users ask for most?": the quarter's needs ranked by votes × importance, for
    the unit or the services the question names."""
    q, quarter = ctx.query, period.last
    ranked = perception.ranked_needs(ctx.dataset, quarter, q.business_unit)
    if q.services:
        ranked = ranked[ranked["service"].isin(q.services)]
    whose = " and ".join(filter(None, (q.business_unit, names_list(list(q.services)))))
    about = f" from {whose}" if whose else ""
    if ranked.empty:
        return plain(ctx, "needs", f"No needs recorded{about} in {ctx.q(quarter)}.", period,
                     "needs data")
    top = ranked.head(TOP)
    first = top.iloc[0]
    sentence = (f"In {ctx.q(quarter)}, users{about} asked most for {voice.need_words(first)}: "
                f"{voice.score_words(first)}"
                + (", new this quarter" if first.new_this_quarter else
                   f", first raised in {ctx.q(first.first_quarter)}") + ".")
    if len(top) > 1:
        sentence += " Next: " + "; ".join(
            f"{voice.need_words(r)}, needs score {ctx.fmt('needs_score', r.score)}"
            + (" (new)" if r.new_this_quarter else "")
            for r in top.iloc[1:].itertuples(index=False)) + "."
    new = int(ranked["new_this_quarter"].sum())
    sentence += (f" {count(len(ranked), 'need')} raised{about} in {ctx.q(quarter)}, "
                 f"{new} new.")
    figures = [ctx.fig("needs_score", r.score, f"Needs score: {r.need}", quarter, r.service
                       if isinstance(r.service, str) else None, "votes × importance")
               for r in top.itertuples(index=False)]
    shown = ranked.assign(new=ranked["new_this_quarter"].map({True: "new", False: ""}),
                          importance=ranked["importance"].where(ranked["importance_given"]))
    tbl = ctx.table(shown, "rank need service business_unit votes importance score new "
                    "first_quarter", like={"score": "needs_score", "rank": "needs_rank"},
                    rank="Rank", need="Need", service="Service",
                    business_unit="Business unit", score="Needs score",
                    new="New this quarter", first_quarter="First raised")
    best = ranked.head(10)
    chart = charts.bar(best["need"], best["score"],
                       f"What users ask for, {ctx.q(quarter)}: needs score", "votes × importance",
                       highlight=list(best.loc[best["new_this_quarter"], "need"]))
    how = (f"perception.ranked_needs for {ctx.q(quarter)}: the Needs sheet's rows for the "
           "same need, service and unit added up; needs score = votes × importance, a missing "
           f"importance counted as {perception.MISSING_IMPORTANCE:.0f}; new = first raised in "
           "this quarter (highlighted in the chart).")
    return ctx.done("needs", sentence, figures, tbl, chart, how, period, "needs data")


# ---- ticket satisfaction ---------------------------------------------------------------------

@over_period("perception", "support", "support data")
def satisfaction(ctx: Context, period: Period) -> Answer:
    """"How satisfied are users with email support?" (a service's contact satisfaction and
    its change) or "which services are users less happy with?" (the falling services, then the
    lowest)."""
    q, quarter = ctx.query, period.last
    f = ctx.facts(quarter)
    sat = f.contact_satisfaction
    now = sat[sat["quarter"] == quarter]
    if now.empty:
        return plain(ctx, "perception", f"No rated tickets in {ctx.q(quarter)}: a "
                     "satisfaction column in the Support sheet gives each service's contact "
                     "satisfaction.", period, "support data")
    how = ("perception.contact_satisfaction: the mean satisfaction of each service's rated "
           "tickets, 0–100 (a 1–5 score as (score − 1) ÷ 4 × 100), low = 2 of 5 or less or 40 % "
           f"or less; falling = {perception.FALL_POINTS:.0f} points or more below either of "
           f"the two quarters before, at least {perception.MIN_RESPONSES} rated tickets in "
           "each, beyond chance.")
    falling = f.falling.set_index("service")
    if q.services:
        return _service_satisfaction(ctx, period, now, falling, how)
    reliable = now[now["responses"] >= perception.MIN_RESPONSES].sort_values(
        ["satisfaction_pct", "service"])
    parts = [voice.falling_sentence(f)]
    lowest = reliable[~reliable["service"].isin(falling.index)].head(TOP)
    if len(lowest):
        parts.append(f"Lowest contact satisfaction{' otherwise' if len(falling) else ''}: "
                     + names_list([
            f"{r.service} ({pct(r.satisfaction_pct)}, {pct(r.low_share_pct)} low)"
            for r in lowest.itertuples(index=False)]) + ".")
    few = now["responses"].lt(perception.MIN_RESPONSES).sum()
    if few:
        parts.append(f"{count(int(few), 'service')} had fewer than "
                     f"{perception.MIN_RESPONSES} rated tickets: too few to judge.")
    figures = [ctx.fig("contact_satisfaction_pct", r.satisfaction_pct,
                       f"{r.service}: contact satisfaction", quarter, r.service)
               for r in [*falling.reset_index().itertuples(index=False),
                         *lowest.itertuples(index=False)][:TOP]]
    ranked = now.sort_values(["satisfaction_pct", "service"])
    tbl = _table(ctx, ranked)
    chart = charts.page("contact_satisfaction_trend", sat, highlight=list(falling.index),
                        fiscal_year_start=ctx.fiscal_start,
                        title=f"Contact satisfaction by service up to {ctx.q(quarter)}")
    return ctx.done("perception", " ".join(parts), figures, tbl, chart, how, period,
                    "support data", follow="perception_all")


def _service_satisfaction(ctx: Context, period: Period, now, falling, how) -> Answer:
    q, quarter = ctx.query, period.last
    parts, figures = [], []
    for service in q.services:
        mine = now[now["service"] == service]
        if mine.empty:
            parts.append(f"No rated tickets for {service} in {ctx.q(quarter)}.")
            continue
        r = mine.iloc[0]
        text = (f"Contact satisfaction with {service} was {pct(r.satisfaction_pct)} in "
                f"{ctx.q(quarter)} ({count(r.responses, 'rated ticket')}, "
                f"{pct(r.low_share_pct)} of them low)")
        if r.previous_pct == r.previous_pct:  # not NaN
            text += f", {points(r.change_points)} since the quarter before"
        text += "."
        if service in falling.index:
            text += (" Perception is falling: " + voice.falling_one(
                ctx.facts(quarter), falling.loc[[service]].reset_index().iloc[0]) + ".")
        elif r.responses < perception.MIN_RESPONSES:
            text += f" Under {perception.MIN_RESPONSES} rated tickets: too few to judge a trend."
        parts.append(text)
        figures.append(ctx.fig("contact_satisfaction_pct", r.satisfaction_pct,
                               f"{service}: contact satisfaction", quarter, service))
    sat = ctx.facts(quarter).contact_satisfaction
    shown = sat[sat["service"].isin(q.services)]
    chart = charts.lines(shown, "quarter", "satisfaction_pct",
                         "service" if len(q.services) > 1 else None,
                         f"Contact satisfaction by quarter: {names_list(list(q.services))}",
                         "%", highlight_x=quarter)
    return ctx.done("perception", " ".join(parts), figures, _table(ctx, shown), chart, how,
                    period, "support data")


def _table(ctx: Context, frame):
    return ctx.table(frame, "service quarter responses satisfaction_pct change_points "
                     "low_share_pct", like={"satisfaction_pct": "contact_satisfaction_pct",
                                            "change_points": "satisfaction_change_points"},
                     service="Service", quarter="Quarter")


# ---- the briefing ----------------------------------------------------------------------------

# words that name whom the briefing is for, not a business unit ("tell the executives")
_AUDIENCE = frozenset(("executive", "exec", "board", "leadership", "management", "ceo", "cio",
                       "cfo"))


def briefing(ctx: Context) -> Answer:
    """"What should I know?" / "what should I tell the executives?": the Overview's briefing,
    its sentences numbered, each finding's figure and link in the table."""
    q = ctx.query
    period = ctx.period(list(ctx.dataset.quarters))
    if not period.quarters:
        return plain(ctx, "briefing", "There is no data loaded yet, so there is nothing to "
                     "tell the executives.", period)
    unit = q.business_unit
    if unit and set(phrase(unit)) & _AUDIENCE:
        unit = None  # "tell the executives" names the audience, not the Executive unit
    # no quarter asked: the Overview's own (the latest complete quarter)
    f = Facts(ctx.dataset, None if period.assumed else period.last, unit)
    told = present_briefing.briefing(f)
    whose = f", {unit}" if unit else ""
    if not told.items:
        return plain(ctx, "briefing", f"Nothing stands out in {f.quarter_label}{whose}: no "
                     "service dearer than the market, no block running out, no falling "
                     "perception, no rising P1 share and no needs recorded.", period)
    sentence = (f"What to tell the executives about {f.quarter_label}{whose}: "
                + " ".join(f"{n}. {i.sentence}" for n, i in enumerate(told.items, 1)))
    figures = [KeyFigure(i.value, i.unit, f.quarter, i.service, i.label,
                         i.figure) for i in told.items]
    tbl = pd.DataFrame({"#": range(1, len(told.items) + 1),
                        "Finding": [i.sentence for i in told.items],
                        "Figure": [i.figure for i in told.items],
                        "Link": [i.url for i in told.items]})
    how = ("present.briefing (the Overview's \"What to tell the executives this quarter\"): at "
           "most five findings, those with money first (largest a year first), then risks: a "
           "block running out before its end, P1 share rising for external-facing services, "
           "falling perception; then the top need.")
    return ctx.done("briefing", sentence, figures, tbl, None, how, period)
