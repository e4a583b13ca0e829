"""Support: proactive share and its basis, work mix, blocks of hours, the priority matrix,
P1 share and service desk figures, on tiny ticket lists worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.frames import assert_unchanged, make_dataset, snapshot
from valuelib import support

NAN = np.nan


def row(opened, work_type=None, hours=None, **extra):
    return {"opened": opened, "work_type": work_type, "hours": hours, **extra}


MIX = make_dataset(support=[
    row("2026-02-01", "password reset", 1.0),  # Q1: routine only
    row("2026-04-01", "change"),  # Q2: no hours at all -> by tickets
    row("2026-04-02", "incident"),
    row("2026-04-03", "incident"),
    row("2026-04-04", "incident"),
    row("2026-07-10", "change", 3.0),  # Q3: by hours
    row("2026-07-11", "incident", 1.0),
    row("2026-08-01", "password reset", 5.0),
    row("2026-08-02", "firmware dance", 2.0),  # unclassified
])


@pytest.mark.parametrize("quarter, basis, share, coverage, routine, unclassified", [
    ("2026-Q1", "none", NAN, NAN, 1.0, 0.0),
    ("2026-Q2", "tickets", 25.0, 0.0, 0.0, 0.0),
    ("2026-Q3", "hours", 75.0, 100.0, 5.0, 2.0),
    ("2026-Q4", "none", NAN, NAN, 0.0, 0.0),  # a quarter without support rows
])
def test_proactive_share_by_quarter(quarter, basis, share, coverage, routine, unclassified):
    got = support.proactive_share(MIX, quarter=quarter)
    assert len(got) == 1
    got = got.iloc[0]
    assert got["quarter"] == quarter
    assert got["basis"] == basis
    assert got["proactive_share_pct"] == pytest.approx(share, nan_ok=True)
    assert got["hours_coverage_pct"] == pytest.approx(coverage, nan_ok=True)
    assert got["routine_hours"] == routine
    assert got["unclassified_hours"] == unclassified


def test_proactive_share_columns_and_ticket_counts():
    got = support.proactive_share(MIX).set_index("quarter")
    assert got.index.tolist() == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert got.loc["2026-Q2", ["proactive_tickets", "reactive_tickets"]].tolist() == [1, 3]
    assert got.loc["2026-Q3", ["proactive_hours", "reactive_hours"]].tolist() == [3.0, 1.0]


@pytest.mark.parametrize("month, basis, share", [
    ("2026-07", "hours", 75.0),
    ("2026-08", "none", NAN),  # routine and unclassified only
])
def test_proactive_share_by_month(month, basis, share):
    got = support.proactive_share(MIX, by="month", quarter="2026-Q3").set_index("month")
    assert got.index.tolist() == ["2026-07", "2026-08"]
    assert got.loc[month, "basis"] == basis
    assert got.loc[month, "proactive_share_pct"] == pytest.approx(share, nan_ok=True)


def test_partial_hours_use_the_hours_there_are_and_say_how_many():
    dataset = make_dataset(support=[row("2026-07-01", "change", 2.0),
                                    row("2026-07-02", "incident"),
                                    row("2026-07-03", "incident")])
    got = support.proactive_share(dataset).iloc[0]
    assert got["basis"] == "hours"
    assert got["proactive_share_pct"] == 100.0
    assert got["hours_coverage_pct"] == pytest.approx(100 / 3)


def test_by_must_be_quarter_or_month():
    with pytest.raises(ValueError, match="by must be"):
        support.proactive_share(MIX, by="week")


@pytest.mark.parametrize("work_class, hours, tickets, without_hours, hours_pct", [
    ("reactive", 1.0, 1, 0, 100 / 11),
    ("proactive", 3.0, 1, 0, 300 / 11),
    ("routine", 5.0, 1, 0, 500 / 11),
    ("unclassified", 2.0, 1, 0, 200 / 11),
])
def test_work_mix_shows_every_class(work_class, hours, tickets, without_hours, hours_pct):
    got = support.work_mix(MIX, quarter="2026-Q3").set_index("work_class").loc[work_class]
    assert got["hours"] == hours
    assert got["tickets"] == tickets
    assert got["rows_without_hours"] == without_hours
    assert got["hours_pct"] == pytest.approx(hours_pct)
    assert got["tickets_pct"] == 25.0


def test_work_mix_zeros_and_tickets_without_hours():
    got = support.work_mix(MIX).set_index(["quarter", "work_class"])
    assert len(got) == 3 * 4
    assert got.loc[("2026-Q1", "reactive"), "tickets"] == 0
    assert got.loc[("2026-Q2", "reactive"), "rows_without_hours"] == 3
    assert np.isnan(got.loc[("2026-Q2", "reactive"), "hours_pct"])  # no hours in Q2
    empty = support.work_mix(MIX, quarter="2026-Q4")
    assert empty["tickets"].tolist() == [0, 0, 0, 0]


# ---- blocks of hours -------------------------------------------------------------------------

BLOCKS = [
    {"block": "Support 2026", "purchased_hours": 10.0, "start": "2026-01-01",
     "end": "2026-12-31", "price": 1000.0, "vendor": "Acme"},
    {"block": "Overrun block", "purchased_hours": 4.0, "start": "2026-01-01",
     "end": "2026-12-31"},
]
NAMED = make_dataset(blocks=BLOCKS, support=[
    row("2026-07-01", "incident", 4.0, block="Support 2026"),
    row("2026-08-01", "change", 4.0, block="support 2026"),  # names match loosely
    row("2026-08-15", "password reset", block="Support 2026"),  # a ticket without hours
    row("2026-03-01", "incident", 3.0, block="Overrun block"),
    row("2026-05-01", "change", 2.0, block="OVERRUN BLOCK"),  # the hours run out here
    row("2026-09-01", "incident", 1.0, block="Overrun block"),
    row("2026-06-01", "incident", 1.0, block="Mystery"),  # not in the Blocks sheet
    row("2026-06-02", "incident", 9.0),  # names no block: draws from none
])


@pytest.mark.parametrize("block, expected", [
    ("Support 2026", {
        "used_hours": 8.0, "remaining_hours": 2.0, "overrun_hours": 0.0, "used_pct": 80.0,
        "warning": "80", "reactive_hours": 4.0, "proactive_hours": 4.0, "routine_hours": 0.0,
        "tickets": 3, "rows_without_hours": 1, "burn_rate_hours_per_day": 8 / 90,
        "burn_window_days": 90.0, "runout_date": pd.Timestamp("2026-09-23"),
        "runout_basis": "projected", "runs_out_before_end": True, "vendor": "Acme",
        "in_blocks_table": True}),
    ("Overrun block", {
        "used_hours": 6.0, "remaining_hours": 0.0, "overrun_hours": 2.0, "used_pct": 150.0,
        "warning": "95", "reactive_hours": 4.0, "proactive_hours": 2.0, "tickets": 3,
        "runout_date": pd.Timestamp("2026-05-01"), "runout_basis": "actual",
        "runs_out_before_end": True, "burn_rate_hours_per_day": 1 / 90}),
    ("Mystery", {
        "used_hours": 1.0, "purchased_hours": NAN, "used_pct": NAN, "warning": "none",
        "in_blocks_table": False}),
])
def test_block_status(block, expected):
    got = support.block_status(NAMED).set_index("block").loc[block]
    assert got["as_of"] == pd.Timestamp("2026-09-01")  # the latest support date
    for column, value in expected.items():
        if isinstance(value, float):
            assert got[column] == pytest.approx(value, nan_ok=True), column
        else:
            assert got[column] == value, column


def test_block_status_as_of_an_earlier_date():
    got = support.block_status(NAMED, as_of="2026-07-15").set_index("block")
    assert got.loc["Support 2026", "used_hours"] == 4.0  # only the row of 1 July so far
    assert got.loc["Overrun block", "used_hours"] == 5.0
    assert got.loc["Overrun block", "warning"] == "95"


def test_burn_rate_counts_only_the_days_the_block_ran():
    blocks = [{"block": "New", "purchased_hours": 100.0, "start": "2026-08-03"}]
    dataset = make_dataset(blocks=blocks, support=[row("2026-08-10", "incident", 3.0,
                                                       block="New")])
    got = support.block_status(dataset, as_of="2026-09-01").iloc[0]
    assert got["burn_window_days"] == 30.0  # 3 August to 1 September, both included
    assert got["burn_rate_hours_per_day"] == pytest.approx(0.1)
    assert got["runout_date"] == pd.Timestamp("2026-09-01") + pd.Timedelta(days=970)
    assert pd.isna(got["runs_out_before_end"])  # no end date


DATED = make_dataset(
    blocks=[
        {"block": "H1", "purchased_hours": 10.0, "start": "2026-01-01", "end": "2026-06-30"},
        {"block": "H2", "purchased_hours": 10.0, "start": "2026-07-01", "end": "2026-12-31"},
        {"block": "Overlap", "purchased_hours": 5.0, "start": "2026-06-15",
         "end": "2026-06-20"},
    ],
    support=[
        row("2026-03-01", "incident", 2.0),  # H1
        row("2026-06-30 18:00", "incident", 3.0),  # H1: its end day is included
        row("2026-06-17", "incident", 1.0),  # inside H1 and Overlap: draws from neither
        row("2026-08-01", "change", 4.0),  # H2
        row("2025-12-01", "incident", 1.0),  # before every block
    ],
)


@pytest.mark.parametrize("block, used, tickets", [("H1", 5.0, 2), ("H2", 4.0, 1),
                                                  ("Overlap", 0.0, 0)])
def test_rows_naming_no_block_draw_from_the_one_active_on_their_date(block, used, tickets):
    got = support.block_status(DATED).set_index("block").loc[block]
    assert got["used_hours"] == used
    assert got["tickets"] == tickets


def test_no_blocks_gives_an_empty_frame():
    got = support.block_status(MIX)
    assert got.empty
    assert "runout_date" in got.columns


# ---- priority --------------------------------------------------------------------------------

@pytest.mark.parametrize("impact, urgency, priority", [
    (1, 1, 1), (1, 2, 2), (2, 1, 2), (1, 3, 3), (2, 2, 3), (3, 1, 3), (2, 3, 4), (3, 2, 4),
    (3, 3, 5), (None, 1, NAN), (4, 1, NAN),
])
def test_servicenow_priority_matrix(impact, urgency, priority):
    impact = NAN if impact is None else impact
    assert support.matrix_priority([impact], [urgency])[0] == pytest.approx(priority,
                                                                            nan_ok=True)


PRIORITIES = make_dataset(
    services=[{"service": "Shop", "external_facing": True},
              {"service": "Email", "external_facing": False}],
    support=[
        row("2026-07-01", impact=1, urgency=1, priority=1, service="Shop"),
        row("2026-07-02", impact=1, urgency=1, priority=2, service="Shop"),
        row("2026-07-03", impact=1, urgency=1, priority=2, service="Shop"),
        row("2026-07-04", impact=2, urgency=2, priority=3, service="Email"),
        row("2026-07-05", impact=3, urgency=3, service="Email"),  # no recorded priority
        row("2026-07-06", urgency=2, priority=4, service="Email"),  # no impact
        row("2026-07-07", priority=1, service="Wiki"),  # not in the catalogue: internal
        row("2026-07-08", service="Email"),  # no priority at all
        row("2026-04-01", impact=3, urgency=1, priority=5, service="Email"),  # Q2
    ])


@pytest.mark.parametrize("impact, urgency, label, tickets, recorded, mismatched", [
    (1, 1, "1 - Critical", 3, 3, 2),
    (2, 2, "3 - Moderate", 1, 1, 0),
    (3, 3, "5 - Planning", 1, 0, 0),
    (3, 1, "3 - Moderate", 1, 1, 1),
    (1, 3, "3 - Moderate", 0, 0, 0),
])
def test_priority_matrix_counts_every_cell(impact, urgency, label, tickets, recorded,
                                           mismatched):
    got = support.priority_matrix(PRIORITIES)
    assert len(got) == 9
    cell = got.set_index(["impact", "urgency"]).loc[(impact, urgency)]
    assert cell["label"] == label
    assert [cell["tickets"], cell["recorded"], cell["mismatched"]] == [tickets, recorded,
                                                                     mismatched]


@pytest.mark.parametrize("quarter, expected", [
    (None, [(1, 1, 1, 2, 2), (3, 1, 3, 5, 1)]),
    ("2026-Q3", [(1, 1, 1, 2, 2)]),
    ("2026-Q4", []),
])
def test_priority_mismatches_say_how_many_and_which_pairs(quarter, expected):
    got = support.priority_mismatches(PRIORITIES, quarter)
    assert list(got.columns) == ["impact", "urgency", "matrix_priority", "recorded_priority",
                                 "tickets"]
    assert [tuple(r) for r in got.itertuples(index=False)] == expected


@pytest.mark.parametrize("quarter, facing, tickets, prioritised, p1, share", [
    # Shop: P1, P2, P2 -> 1 of 3
    ("2026-Q3", "external", 3, 3, 1, 100 / 3),
    # Email P3, matrix 5, P4, none; Wiki P1 -> 1 of 4 prioritised
    ("2026-Q3", "internal", 5, 4, 1, 25.0),
    ("2026-Q2", "external", 0, 0, 0, NAN),
    ("2026-Q4", "internal", 0, 0, 0, NAN),  # a quarter without support rows
])
def test_p1_share_external_and_internal_apart(quarter, facing, tickets, prioritised, p1,
                                              share):
    got = support.p1_share(PRIORITIES, quarter).set_index("facing").loc[facing]
    assert [got["tickets"], got["prioritised"], got["p1_tickets"]] == [tickets, prioritised, p1]
    assert got["p1_share_pct"] == pytest.approx(share, nan_ok=True)


def test_matrix_priority_fills_in_a_missing_recorded_priority_for_p1():
    dataset = make_dataset(support=[row("2026-07-01", impact=1, urgency=1)])
    assert support.p1_share(dataset).set_index("facing").loc["internal", "p1_tickets"] == 1


# ---- service desk ----------------------------------------------------------------------------

DESK = make_dataset(
    usage=[{"quarter": "2026-Q3", "service": "Email", "users": 100},
           {"quarter": "2026-Q3", "service": "Email", "users": 50},
           {"quarter": "2026-Q3", "service": "CRM", "users": 80},
           {"quarter": "2026-Q4", "service": "Email", "users": 160}],
    support=[
        row("2026-07-01 09:00", resolved="2026-07-01 11:00", priority=1, satisfaction=100.0),
        row("2026-07-02 09:00", resolved="2026-07-03 09:00", priority=1, satisfaction=50.0),
        row("2026-08-01 09:00", resolved="2026-08-01 13:00", impact=2, urgency=2),  # P3
        row("2026-09-29 10:00", priority=4),  # never resolved
        row("2026-09-15 00:00", resolved="2026-10-02 00:00", priority=2),  # resolved in Q4
        row("2026-06-30 10:00", resolved="2026-07-01 10:00", priority=3),  # opened in Q2
    ],
)


@pytest.mark.parametrize("quarter, expected", [
    ("2026-Q3", {
        "tickets": 5, "users": 150.0, "tickets_per_user_month": 5 / 150 / 3, "resolved": 4,
        "median_resolve_hours": 14.0, "median_resolve_hours_p1": 13.0,
        "median_resolve_hours_p2": NAN, "median_resolve_hours_p3": 14.0, "backlog": 2,
        "satisfaction_pct": 75.0, "satisfaction_responses": 2}),
    ("2026-Q2", {
        "tickets": 1, "users": NAN, "tickets_per_user_month": NAN, "resolved": 0,
        "median_resolve_hours": NAN, "backlog": 1, "satisfaction_pct": NAN,
        "satisfaction_responses": 0}),
    ("2026-Q4", {  # no ticket opened: zeros and NaN, and the old tickets still count
        "tickets": 0, "users": 160.0, "tickets_per_user_month": 0.0, "resolved": 1,
        "median_resolve_hours": 17 * 24.0, "median_resolve_hours_p2": 17 * 24.0,
        "backlog": 1, "satisfaction_pct": NAN, "satisfaction_responses": 0}),
    ("2027-Q1", {
        "tickets": 0, "users": NAN, "resolved": 0, "median_resolve_hours": NAN,
        "backlog": 1}),
])
def test_service_desk(quarter, expected):
    got = support.service_desk(DESK, quarter)
    assert len(got) == 1
    got = got.iloc[0]
    for column, value in expected.items():
        assert got[column] == pytest.approx(value, nan_ok=True), column


def test_service_desk_covers_every_quarter_with_data():
    got = support.service_desk(DESK)
    assert got["quarter"].tolist() == ["2026-Q2", "2026-Q3", "2026-Q4"]


def test_headcount_is_the_largest_service_user_count():
    got = support.headcount(DESK).set_index("quarter")["users"]
    assert got.to_dict() == {"2026-Q3": 150.0, "2026-Q4": 160.0}


def test_resolution_times_by_priority():
    got = support.resolution_times(DESK, "2026-Q3").set_index("priority")
    assert got.loc[0, "resolved"] == 4
    assert got.loc[1, ["resolved", "median_hours"]].tolist() == [2, 13.0]
    assert got.loc[3, ["resolved", "median_hours"]].tolist() == [2, 14.0]


@pytest.mark.parametrize("function", [
    support.proactive_share, support.work_mix, support.block_status, support.priority_matrix,
    support.priority_mismatches, support.p1_share, support.service_desk,
    support.resolution_times,
])
def test_an_empty_dataset_does_not_crash(function):
    got = function(make_dataset())
    assert isinstance(got, pd.DataFrame)


def test_inputs_are_not_mutated():
    for dataset in (MIX, NAMED, DATED, PRIORITIES, DESK):
        before = snapshot(dataset)
        support.proactive_share(dataset)
        support.proactive_share(dataset, by="month", quarter="2026-Q3")
        support.work_mix(dataset)
        support.block_status(dataset)
        support.priority_matrix(dataset)
        support.priority_mismatches(dataset)
        support.p1_share(dataset)
        support.service_desk(dataset)
        assert_unchanged(dataset, before)
