"""Cell parsers, table-driven: every accepted format of the workbook contract."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from valuelib import parse


def cells(*values):
    return pd.Series(list(values), dtype=object)


@pytest.mark.parametrize("raw, expected", [
    ("1234.5", 1234.5), ("$1,234.50", 1234.5), ("USD 1,234.50", 1234.5),
    ("(1,234.50)", -1234.5), ("1.234,50", 1234.5), ("-$5", -5.0), (12.0, 12.0),
    ("1 234,50", 1234.5), ("1,234", 1234.0), ("0,5", 0.5),
])
def test_money(raw, expected):
    result = parse.parse_money(cells(raw))
    assert result.values[0] == pytest.approx(expected)
    assert not result.bad.any()


@pytest.mark.parametrize("raw", ["abc", "1 234,50 €", "12 apples", True])
def test_money_bad_or_foreign(raw):
    assert parse.parse_money(cells(raw), "USD").bad.all()


def test_money_in_the_reporting_currency_is_accepted():
    assert parse.parse_money(cells("1 234,50 €"), "EUR").values[0] == pytest.approx(1234.5)


@pytest.mark.parametrize("raw", [None, "", "?", "-", "n/a", "N/A", "NULL", "none", " ? "])
def test_missing_markers_are_missing_not_bad(raw):
    result = parse.parse_money(cells(raw))
    assert np.isnan(result.values[0]) and not result.bad.any()
    assert parse.missing_mask(cells(raw)).all()


@pytest.mark.parametrize("raw, expected", [
    (["99.9"], [99.9]), (["99.9%"], [99.9]), ([0.999], [99.9]), ([0.5, 0.25], [50, 25]),
    ([60, 39, 1], [60, 39, 1]),  # a 1 % share among whole percents stays 1
])
def test_percent(raw, expected):
    assert parse.parse_percent(cells(*raw)).values.tolist() == pytest.approx(expected)


@pytest.mark.parametrize("raw, expected", [
    ("yes", True), ("N", False), ("true", True), (1, True), (0, False), ("y", True),
    ("FALSE", False),
])
def test_yesno(raw, expected):
    assert parse.parse_yesno(cells(raw)).values[0] == expected


def test_yesno_x_marks_make_blank_mean_no():
    assert parse.parse_yesno(cells("x", None)).values.tolist() == [True, False]


@pytest.mark.parametrize("raw, expected, note", [
    (["29/2/2016 01:16", "5/3/2016 12:00"], ["2016-02-29 01:16", "2016-03-05 12:00"], "DMY"),
    (["8/14/2026", "3/2/2026"], ["2026-08-14", "2026-03-02"], "MDY"),
    (["2026-08-14", "2026-08-14T09:30"], ["2026-08-14", "2026-08-14 09:30"], ""),
    ([dt.datetime(2026, 1, 2, 3, 4)], ["2026-01-02 03:04"], ""),
    ([46000.0], ["2025-12-09"], ""),  # an Excel serial number
    (["8/14/2026 3:05 PM"], ["2026-08-14 15:05"], "MDY"),
])
def test_dates(raw, expected, note):
    result = parse.parse_date(cells(*raw))
    assert result.values.tolist() == [pd.Timestamp(e) for e in expected]
    assert note in result.note


def test_ambiguous_dates_follow_the_setting_and_say_so():
    result = parse.parse_date(cells("3/4/2026", "5/6/2026"), date_order="DMY")
    assert result.values.tolist() == [pd.Timestamp("2026-04-03"), pd.Timestamp("2026-06-05")]
    assert result.note.startswith("ambiguous")


@pytest.mark.parametrize("raw, fiscal_start, expected", [
    ("2026-Q3", 1, "2026-Q3"), ("2026 Q3", 1, "2026-Q3"), ("Q3 2026", 1, "2026-Q3"),
    ("Q3-2026", 1, "2026-Q3"), ("2026Q3", 1, "2026-Q3"), ("FY2026 Q3", 1, "2026-Q3"),
    ("FY26 Q3", 7, "2026-Q1"), ("Q3 FY26", 7, "2026-Q1"), ("FY2027 Q1", 7, "2026-Q3"),
    ("2026-08-14", 1, "2026-Q3"), (dt.datetime(2026, 11, 2), 1, "2026-Q4"),
])
def test_quarters(raw, fiscal_start, expected):
    assert parse.parse_quarter(cells(raw), fiscal_start).values[0] == expected


@pytest.mark.parametrize("quarter, fiscal_start, label", [
    ("2026-Q3", 1, "2026-Q3"), ("2026-Q3", 7, "FY2027 Q1 (2026-Q3)"),
    ("2026-Q1", 7, "FY2026 Q3 (2026-Q1)"),
])
def test_quarter_labels(quarter, fiscal_start, label):
    assert parse.quarter_label(quarter, fiscal_start) == label


@pytest.mark.parametrize("raw, expected", [
    ("1", 1), ("P1", 1), ("1 - Critical", 1), ("Critical", 1), (3.0, 3), ("4 - Low", 4),
    ("planning", 5), ("P9", None),
])
def test_priority(raw, expected):
    result = parse.parse_priority(cells(raw))
    assert (None if pd.isna(result.values[0]) else result.values[0]) == expected
    assert result.bad[0] == (expected is None)


@pytest.mark.parametrize("raw, expected", [("2 - Medium", 2), ("High", 1), (3, 3), ("low", 3)])
def test_impact_and_urgency(raw, expected):
    assert parse.parse_level(cells(raw)).values[0] == expected


@pytest.mark.parametrize("raw, expected", [
    (123.0, "123"), ("  padded ", "padded"), ("=SUM(A1)", "=SUM(A1)"), ("n/a", None),
])
def test_text(raw, expected):
    value = parse.parse_text(cells(raw, "other")).values[0]
    assert (None if pd.isna(value) else value) == expected


def test_satisfaction_scale_is_decided_per_column():
    assert parse.parse_rating(cells(1, 5, 3)).note == "score"
    assert parse.parse_rating(cells("85%", 90)).note == "percent"
    scores = parse.rating_pct(pd.Series([1.0, 5.0, 3.0]), "score")
    assert scores.tolist() == [0, 100, 50]
