"""The support page's view model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import charts, perception, support
from ..frames import with_gap_note
from ..model import Dataset
from ..present import voice
from ..present.facts import Facts, Headline, change_pct, first_row
from ..present.formatting import (
    MISSING,
    fmt_change,
    fmt_count,
    fmt_date,
    fmt_hours,
    fmt_list,
    fmt_number,
    fmt_percent,
    fmt_points,
    is_missing,
)
from ..present.tables import Table, table
from ..present.words import delta_or_none, is_yes
from ..schema import PRIORITY_LABELS
from .overview_page import _block_sentence, _proactive_headline, _proactive_sentence


@dataclass(frozen=True, eq=False)
class SupportView:
    """Support: how proactive the work is, the work mix, blocks of hours, priorities and the
    service desk. ``period`` (``quarter`` / ``month``) is the step of the trend charts."""

    quarter: str | None
    quarter_label: str
    business_unit: str | None
    period: str
    headlines: tuple[Headline, ...]
    proactive_chart: go.Figure
    mix_chart: go.Figure
    block_charts: tuple[go.Figure, ...]
    block_table: Table
    priority_chart: go.Figure
    mismatch_table: Table
    mismatch_sentence: str
    desk_table: Table
    sentences: tuple[str, ...]
    notes: tuple[str, ...]
    voice: VoiceOfUsers


@dataclass(frozen=True, eq=False)
class VoiceOfUsers:
    """"Voice of users": value perception at every contact and what users ask for.
    ``sentences``: the falling services named (or that none is) and the lowest; ``chart``:
    contact satisfaction per service over the quarters, the falling ones in colour;
    ``table``: per service this quarter (VOICE_COLUMNS); ``needs_table``: the quarter's needs
    ranked (NEEDS_COLUMNS); ``needs_sentence``: the top need, how many are new."""

    sentences: tuple[str, ...]
    chart: go.Figure
    table: Table
    needs_sentence: str
    needs_table: Table


# ---- support ---------------------------------------------------------------------------------

BLOCK_COLUMNS = ["Block", "Vendor", "Starts", "Ends", "Purchased", "Used", "Left", "Used %",
                 "Status", "Burn rate (h a day)", "Runs out", "Reactive", "Proactive",
                 "Routine"]
BLOCK_MEASURES = {
    "Starts": "start", "Ends": "end", "Purchased": "purchased_hours", "Used": "used_hours",
    "Left": "remaining_hours", "Used %": "used_pct",
    "Burn rate (h a day)": "burn_rate_hours_per_day", "Runs out": "runout_date",
    "Reactive": "reactive_hours", "Proactive": "proactive_hours", "Routine": "routine_hours",
}
MISMATCH_COLUMNS = ["Impact", "Urgency", "Matrix gives", "Recorded as", "Tickets"]
PRIORITY_MEDIAN_COLUMNS = [f"P{p} median" for p in range(1, 6)]
DESK_MEASURES = {
    "Tickets": "tickets", "Tickets per user per month": "tickets_per_user_month",
    "Resolved": "resolved", "Median hours to resolve": "median_resolve_hours",
    **{f"P{p} median": f"median_resolve_hours_p{p}" for p in range(1, 6)},
    "Backlog at quarter end": "backlog", "Reopened": "reopened",
    "Reopen rate": "reopen_rate_pct", "Satisfaction": "satisfaction_pct",
}
DESK_COLUMNS = ["Quarter", *DESK_MEASURES]
LEVEL_WORDS = charts.IMPACT_LABELS  # impact and urgency levels, as the heatmap names them


def support_view(dataset: Dataset, quarter: str | None = None, business_unit: str | None = None,
                 period: str = "quarter") -> SupportView:
    """Support figures for one quarter; the trend charts by ``period`` (``quarter`` or
    ``month``) up to the end of the quarter."""
    if period not in ("quarter", "month"):
        raise ValueError(f"period must be 'quarter' or 'month', not {period!r}")
    f = Facts(dataset, quarter, business_unit)
    matrix = support.priority_matrix(f.unit_dataset, f.quarter)
    mismatches = support.priority_mismatches(f.unit_dataset, f.quarter)
    notes = []
    if f.unit is not None:
        notes.append(f"Only {f.unit}'s tickets. Blocks of hours are shared by every unit: they "
                     f"are shown whole, with {f.unit}'s own use in the table.")
    return SupportView(
        quarter=f.quarter, quarter_label=f.shown_quarter, business_unit=f.unit, period=period,
        headlines=tuple(_support_headlines(f)),
        proactive_chart=_proactive_chart(f, period),
        mix_chart=_mix_chart(f, period),
        block_charts=tuple(_block_chart(f, name) for name in f.block_histories),
        block_table=_block_table(f),
        priority_chart=charts.priority_heatmap(
            matrix, title=f"Tickets by impact and urgency, {f.quarter_label}"),
        mismatch_table=_mismatch_table(f, mismatches),
        mismatch_sentence=_mismatch_sentence(f, matrix, mismatches),
        desk_table=_desk_table(f),
        sentences=tuple(_support_sentences(f)),
        notes=tuple(notes),
        voice=voice_of_users(f),
    )


def _support_headlines(f: Facts) -> list[Headline]:
    desk = f.desk
    now, before = first_row(desk, "quarter", f.quarter), first_row(desk, "quarter", f.previous)
    headlines = [_proactive_headline(f)]
    if now is None or not now.tickets:
        whose = f" for {f.unit}" if f.unit else ""
        return [*headlines, Headline("Tickets", "0", sentence=f"No tickets{whose} in "
                                                                f"{f.quarter_label}.")]

    def change(column):
        return delta_or_none(fmt_change(change_pct(now[column], before[column]
                                             if before is not None else None)))

    headlines += [
        Headline("Tickets" + (" (incomplete quarter)" if f.incomplete else ""),
                 fmt_number(now.tickets), change("tickets"), "inverse",
                 f"Tickets opened in {f.quarter_label}{f.incomplete}."),
        Headline("Tickets per user per month",
                 fmt_number(now.tickets_per_user_month, 2, missing="no usage data"),
                 change("tickets_per_user_month"), "inverse",
                 f"{fmt_number(now.tickets)} tickets ÷ {fmt_number(now.users)} people ÷ 3 "
                 "months." if not is_missing(now.users) else "No Usage rows to count people."),
        Headline("Median time to resolve", fmt_hours(now.median_resolve_hours),
                 change("median_resolve_hours"), "inverse",
                 f"Median hours from opened to resolved, of the {fmt_number(now.resolved)} "
                 f"tickets resolved in {f.quarter_label}."),
        Headline("Backlog at quarter end", fmt_number(now.backlog), change("backlog"),
                 "inverse", f"Tickets still open at the end of {f.quarter_label}."),
    ]
    if now.reopen_recorded:
        headlines.append(Headline(
            "Reopened tickets", fmt_number(now.reopened), change("reopened"), "inverse",
            reopen_sentence(now, f.quarter_label)))
    if now.satisfaction_responses:
        points = (now.satisfaction_pct - before.satisfaction_pct if before is not None
                  else np.nan)
        headlines.append(Headline(
            "Satisfaction", fmt_percent(now.satisfaction_pct), delta_or_none(fmt_points(points)),
            "normal", "Mean satisfaction (0–100) of "
                      f"{fmt_count(now.satisfaction_responses, 'response')}."))
    return headlines


def reopen_sentence(desk_row, quarter_label: str) -> str:
    """'4 of 300 tickets opened in 2016-Q1 (1.3%) were reopened at least once.'"""
    if not desk_row.reopen_recorded:
        return f"No reopen counts recorded for {quarter_label}."
    return (f"{fmt_number(desk_row.reopened)} of {fmt_count(desk_row.reopen_recorded, 'ticket')} "
            f"opened in {quarter_label} ({fmt_percent(desk_row.reopen_rate_pct)}) were reopened "
            "at least once.")


def _proactive_chart(f: Facts, period: str, presentation: bool = False) -> go.Figure:
    title = _proactive_sentence(f).rstrip(".") or "Proactive share of support work"
    share = f.proactive(period)
    return charts.proactive_trend(
        share, by=period, fiscal_year_start=f.settings.fiscal_year_start, title=title,
        subtitle=with_gap_note("Proactive ÷ (proactive + reactive); routine requests are not "
                               "in the share", share[period] if len(share) else []),
        presentation=presentation)


def _mix_chart(f: Facts, period: str) -> go.Figure:
    mix = f.work_mix(period)
    measure = "hours" if len(mix) and mix["hours"].sum() > 0 else "tickets"
    whose = f" for {f.unit}" if f.unit else ""
    return charts.work_mix(mix, by=period, measure=measure,
                           fiscal_year_start=f.settings.fiscal_year_start,
                           title=f"Support work{whose} by class ({measure})",
                           subtitle=with_gap_note(None, mix[period] if len(mix) else []))


def _block_message(b: pd.Series) -> str:
    """A block's one message: '2026-27 support block is 45% used and runs out about 20 Jan
    2027, before it ends on 30 Jun 2027'."""
    used = fmt_percent(b.used_pct, 0)
    if _not_started(b):
        return (f"{b.block} starts on {fmt_date(b.start)}: no support data from its period "
                "yet")
    if b.runout_basis == "actual":
        return f"{b.block} ran out on {fmt_date(b.runout_date)}"
    if not is_missing(b.end) and not is_missing(b.as_of) and b.end < b.as_of:
        return (f"{b.block} ended on {fmt_date(b.end)} with {fmt_hours(b.remaining_hours)} "
                f"unused ({used} used)")
    if b.runout_basis == "projected":
        text = f"{b.block} is {used} used and runs out about {fmt_date(b.runout_date)}"
        if is_yes(b.runs_out_before_end):
            text += f", before it ends on {fmt_date(b.end)}"
        return text
    return f"{b.block} has {fmt_hours(b.remaining_hours)} left ({used} used)"


def _not_started(b) -> bool:
    """The block starts after the latest support data (its as_of is its start)."""
    return (not is_missing(b.start) and not is_missing(b.as_of) and b.as_of <= b.start
            and not b.used_hours)


def _block_chart(f: Facts, name: str, presentation: bool = False) -> go.Figure:
    now = first_row(f.blocks, "block", name)
    subtitle = (f"Starts on {fmt_date(now.start)}" if _not_started(now)
                else f"{fmt_percent(now.used_pct)} used as of {fmt_date(now.as_of)}")
    if now.runout_basis == "projected":
        subtitle += f"; projected at the pace of the last {support.BURN_WINDOW_DAYS} days"
    return charts.block_burndown(f.block_histories[name], now, title=_block_message(now),
                                 subtitle=subtitle, presentation=presentation)


def _block_state(b) -> str | None:
    """What to know about a block beside its figures: overrun, a warning, how its run-out
    date was found."""
    parts = []
    if b.overrun_hours > 0:
        parts.append(f"{fmt_hours(b.overrun_hours)} over")
    elif b.warning != "none":
        parts.append(f"{b.warning}% used")
    if not is_missing(b.runout_date):
        parts.append(f"run-out {b.runout_basis}")
    return "; ".join(parts) or None


def _block_table(f: Facts) -> Table:
    used_by = f"Used by {f.unit}" if f.unit else None
    columns = BLOCK_COLUMNS + ([used_by] if used_by else [])
    measures = {**BLOCK_MEASURES, **({used_by: "used_hours"} if used_by else {})}
    rows = []
    for b in f.blocks.itertuples(index=False):  # a handful of blocks
        row = {
            "Block": b.block, "Vendor": b.vendor, "Starts": b.start, "Ends": b.end,
            "Purchased": b.purchased_hours, "Used": b.used_hours,
            "Left": b.remaining_hours, "Used %": b.used_pct, "Status": _block_state(b),
            "Burn rate (h a day)": b.burn_rate_hours_per_day, "Runs out": b.runout_date,
            "Reactive": b.reactive_hours, "Proactive": b.proactive_hours,
            "Routine": b.routine_hours,
        }
        if used_by:
            row[used_by] = f.unit_block_hours.get(b.block)
        rows.append(row)
    return table(rows, columns, measures, f.currency)


def _priority_words(p) -> str:
    return PRIORITY_LABELS.get(int(p), str(p)) if not is_missing(p) else MISSING


def _mismatch_table(f: Facts, mismatches: pd.DataFrame) -> Table:
    rows = [{
        "Impact": LEVEL_WORDS.get(int(r.impact), str(r.impact)),
        "Urgency": LEVEL_WORDS.get(int(r.urgency), str(r.urgency)),
        "Matrix gives": _priority_words(r.matrix_priority),
        "Recorded as": _priority_words(r.recorded_priority),
        "Tickets": r.tickets,
    } for r in mismatches.itertuples(index=False)]
    return table(rows, MISMATCH_COLUMNS, {"Tickets": "tickets"}, f.currency)


def _mismatch_sentence(f: Facts, matrix: pd.DataFrame, mismatches: pd.DataFrame) -> str:
    recorded, wrong = int(matrix["recorded"].sum()), int(mismatches["tickets"].sum())
    if not recorded:
        return f"No tickets with a recorded priority and impact × urgency in {f.quarter_label}."
    if not wrong:
        return (f"All {fmt_count(recorded, 'ticket')} with a recorded priority in "
                f"{f.quarter_label} match the impact × urgency matrix.")
    top = mismatches.iloc[0]
    return (f"{fmt_number(wrong)} of {fmt_count(recorded, 'ticket')} "
            f"({fmt_percent(wrong / recorded * 100)}) in {f.quarter_label} have a recorded "
            "priority that differs from the impact × urgency matrix. Most often: impact "
            f"{LEVEL_WORDS[int(top.impact)]} × urgency {LEVEL_WORDS[int(top.urgency)]} gives "
            f"{_priority_words(top.matrix_priority)} but was recorded as "
            f"{_priority_words(top.recorded_priority)} ({fmt_count(top.tickets, 'ticket')}).")


def _desk_table(f: Facts) -> Table:
    desk = f.desk
    if "tickets" in desk:
        desk = desk[desk["tickets"] > 0]
    rows = [{"Quarter": f.label(r["quarter"]),
             **{label: r[key] for label, key in DESK_MEASURES.items()},
             # no reopen counts in the data is not "0 reopened"
             **({} if r["reopen_recorded"] else {"Reopened": None, "Reopen rate": None})}
            for _, r in desk.iloc[::-1].iterrows()]  # newest first; a row per quarter
    return table(rows, DESK_COLUMNS, DESK_MEASURES, f.currency)


def _support_sentences(f: Facts, *, proactive: bool = True,
                       block: bool = True) -> list[str]:
    out = []
    if proactive and f.proactive_now is not None:
        out.append(_proactive_sentence(f))
    mix = f.work_mix("quarter")
    mix = mix[mix["quarter"] == f.quarter] if len(mix) else mix
    if len(mix) and mix["tickets"].sum():
        by_class = mix.set_index("work_class")
        out.append(f"Routine requests were {fmt_percent(by_class.at['routine', 'tickets_pct'])} "
                   f"of tickets in {f.quarter_label}; routine work is shown but not counted in "
                   "the proactive share.")
        unclassified = by_class.at["unclassified", "tickets"]
        if unclassified:
            out.append(f"{fmt_count(unclassified, 'ticket')} had a work type that maps to no "
                       "class: extend the Work types sheet to classify them.")
    p1 = support.p1_share(f.unit_dataset, f.quarter) if f.quarter else pd.DataFrame()
    if len(p1) and p1["prioritised"].sum():
        parts = [f"{fmt_percent(r.p1_share_pct)} of {r.facing} tickets"
                 for r in p1.itertuples(index=False) if r.prioritised]
        out.append(f"P1 (critical) share in {f.quarter_label}: " + " and ".join(parts) + ".")
    if block and f.current_block is not None:
        out.append(_block_sentence(f, f.current_block))
    return out


# ---- voice of users (issue 16) ---------------------------------------------------------------

VOICE_COLUMNS = ["Service", "Responses", "Contact satisfaction", "Change since last quarter",
                 "Low scores", "Perception"]
VOICE_MEASURES = {"Responses": "responses", "Contact satisfaction": "contact_satisfaction_pct",
                  "Change since last quarter": "satisfaction_change_points",
                  "Low scores": "low_share_pct"}
NEEDS_COLUMNS = ["Rank", "Need", "Service", "Business unit", "Votes", "Importance (1–5)",
                 "Needs score", "New this quarter", "First raised"]
NEEDS_MEASURES = {"Rank": "needs_rank", "Votes": "votes", "Importance (1–5)": "importance",
                  "Needs score": "needs_score"}


def voice_of_users(f: Facts) -> VoiceOfUsers:
    """The Support page's "Voice of users" for the quarter (the unit's tickets and needs)."""
    sat = f.contact_satisfaction
    falling = f.falling
    whose = f" ({f.unit}'s tickets)" if f.unit else ""
    title = (f"Perception is falling for {fmt_list(falling['service'])} in {f.quarter_label}"
             if len(falling) else f"Contact satisfaction by service{whose}")
    chart = charts.contact_satisfaction_trend(
        sat, highlight=list(falling["service"]),
        fiscal_year_start=f.settings.fiscal_year_start, title=title,
        subtitle=with_gap_note("Mean rating of each service's tickets, 0–100 (a 1–5 score as "
                               "(score − 1) ÷ 4 × 100)", sat["quarter"] if len(sat) else []))
    sentences = [voice.falling_sentence(f)] if len(sat) else [
        f"No rated tickets{whose} up to {f.quarter_label}: a satisfaction column in the "
        "Support sheet gives each service's contact satisfaction."]
    lowest = voice.lowest_sentence(f)
    if lowest:
        sentences.append(lowest)
    return VoiceOfUsers(tuple(sentences), chart, _voice_table(f), voice.needs_sentence(f),
                        _needs_table(f))


def _voice_table(f: Facts) -> Table:
    sat = f.contact_satisfaction
    now = sat[sat["quarter"] == f.quarter] if len(sat) else sat
    falling = f.falling.set_index("service")
    rows = [{
        "Service": r.service, "Responses": r.responses,
        "Contact satisfaction": r.satisfaction_pct, "Change since last quarter": r.change_points,
        "Low scores": r.low_share_pct,
        "Perception": (f"falling since {f.label(falling.at[r.service, 'previous_quarter'])}"
                       if r.service in falling.index else
                       f"too few to judge (under {perception.MIN_RESPONSES})"
                       if r.responses < perception.MIN_RESPONSES else None),
    } for r in now.sort_values(["satisfaction_pct", "service"]).itertuples(index=False)]
    return table(rows, VOICE_COLUMNS, VOICE_MEASURES, f.currency)


def _needs_table(f: Facts) -> Table:
    rows = [{
        "Rank": r.rank, "Need": r.need, "Service": r.service,
        "Business unit": r.business_unit, "Votes": r.votes,
        "Importance (1–5)": r.importance if r.importance_given else None,
        "Needs score": r.score,
        "New this quarter": "new" if r.new_this_quarter else None,
        "First raised": f.label(r.first_quarter),
    } for r in f.needs.itertuples(index=False)]
    return table(rows, NEEDS_COLUMNS, NEEDS_MEASURES, f.currency)
