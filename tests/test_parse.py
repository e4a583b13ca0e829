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


# --- decimal marks: decided per column, never per cell (issue 12) --------------------------

US, EU = "1,234.56", "1.234,56"


@pytest.mark.parametrize("column, number_format, expected, ambiguous", [
    # a column that settles its own marks: the setting does not matter
    (["1.234,50"], EU, [1234.5], False),
    (["1.234,50"], US, [1234.5], False),
    (["1,234.50"], EU, [1234.5], False),
    (["1 234,50"], US, [1234.5], False),
    (["1.234.567"], US, [1234567.0], False),
    (["$26.538", "$1.245", "$0.011"], US, [26.538, 1.245, 0.011], False),  # 0.011 settles it
    (["$26.538", "$1.245", "$0.011"], EU, [26.538, 1.245, 0.011], False),
    (["1.234", "1.5"], EU, [1.234, 1.5], False),
    (["1,234", "2,5"], US, [1.234, 2.5], False),
    (["1,234", "1,234.50"], EU, [1234.0, 1234.5], False),
    (["12.3456"], EU, [12.3456], False),  # four digits after the mark: a decimal
    (["1234.567"], EU, [1234.567], False),  # a thousands group has at most three digits before
    # every value reads both ways: the Settings number format decides, and a warning says so
    (["1.234"], US, [1.234], True),
    (["1.234"], EU, [1234.0], True),
    (["1,234"], US, [1234.0], True),
    (["1,234"], EU, [1.234], True),
    (["12.345"], US, [12.345], True),
    (["12.345"], EU, [12345.0], True),
    (["12.345", "7"], EU, [12345.0, 7.0], True),
    # a mixed column keeps self-evident cells and reads the rest by the setting
    (["1.234,50", "1,234.50", "5.678"], US, [1234.5, 1234.5, 5.678], True),
])
def test_decimal_marks_per_column(column, number_format, expected, ambiguous):
    result = parse.parse_money(cells(*column), number_format=number_format)
    assert result.values.tolist() == pytest.approx(expected)
    assert not result.bad.any()
    assert bool(result.examples) == ambiguous


def test_ambiguous_examples_name_two_cells_as_typed():
    result = parse.parse_money(cells("$1.234", "$5.678", "$9.012", None))
    assert result.examples == ("$1.234", "$5.678")
    assert result.note == "ambiguous"


def test_real_numbers_are_never_reinterpreted():
    result = parse.parse_money(cells(26.538, "1.234,50", 0.011), number_format=EU)
    assert result.values.tolist() == pytest.approx([26.538, 1234.5, 0.011])


@pytest.mark.parametrize("column", [["1,23.5"], ["1.234,5,6"], ["1.2.3"]])
def test_badly_grouped_numbers_are_bad_not_guessed(column):
    assert parse.parse_money(cells(*column)).bad.all()


@pytest.mark.parametrize("body, evidence", [
    ("1.234", "?"), ("1,234", "?"), ("12.345", "?"), ("1.234,50", ","), ("1,234.50", "."),
    ("0,011", ","), ("0.011", "."), (".011", "."), ("1 234,50", ","), ("1.234.567", ","),
    ("1,234,567", "."), ("1.5", "."), ("12.3456", "."), ("1234", ""), ("-1.234", "?"),
])
def test_mark_evidence(body, evidence):
    assert parse.mark_evidence(body) == evidence


def test_counts_and_percents_follow_the_column_too():
    assert parse.parse_number(cells("1.200", "3.400"), number_format=EU).values.tolist() == [
        1200.0, 3400.0]
    assert parse.parse_percent(cells("99,9", "98,5")).values.tolist() == pytest.approx(
        [99.9, 98.5])


# --- units in headers ------------------------------------------------------------------------

@pytest.mark.parametrize("header, name, unit", [
    ("Amount (USD)", "Amount", "USD"), ("Amount ($M)", "Amount", "$M"),
    ("Cost in millions", "Cost", "millions"), ("Spend in $K", "Spend", "$K"),
    ("Cost (USD thousands)", "Cost", "USD thousands"), ("Logged in", "Logged in", ""),
    ("amount", "amount", ""),
])
def test_split_unit(header, name, unit):
    from valuelib.schema import normalize_name, split_unit
    assert split_unit(header) == (name, unit)
    assert normalize_name(header) == normalize_name(name)


@pytest.mark.parametrize("unit, kind, name, scale, currency, known", [
    ("$M", "money", "amount", 1e6, "USD", True),
    ("USD thousands", "money", "amount", 1e3, "USD", True),
    ("$K", "money", "amount", 1e3, "USD", True),
    ("000s", "money", "amount", 1e3, None, True),
    ("'000", "money", "amount", 1e3, None, True),
    ("millions", "money", "amount", 1e6, None, True),
    ("USD m", "money", "amount", 1e6, "USD", True),
    ("$000", "money", "amount", 1e3, "USD", True),
    ("bn", "money", "amount", 1e9, None, True),
    ("€m", "money", "amount", 1e6, "EUR", True),
    ("USD", "money", "amount", 1.0, "USD", True),
    ("$", "money", "amount", 1.0, "USD", True),
    ("£", "money", "amount", 1.0, "GBP", True),
    ("furlongs", "money", "amount", 1.0, None, False),
    ("USD/user/month", "price", "price_per_user_month", 1.0, "USD", True),
    ("$ per user per month", "price", "price_per_user_month", 1.0, "USD", True),
    ("000s", "count", "users", 1e3, None, True),
    ("#", "count", "users", 1.0, None, True),
    ("hours", "count", "hours", 1.0, None, True),
    ("GB", "count", "storage_gb", 1.0, None, True),
    ("days", "count", "hours", 1.0, None, False),
    ("%", "percent", "availability", 1.0, None, True),
    ("$M", "percent", "availability", 1.0, None, False),
    ("1-5", "score", "business_value", 1.0, None, True),
    ("%", "rating", "satisfaction", 1.0, None, True),
    ("UTC", "date", "opened", 1.0, None, True),  # a note on a text or date column: ignored
    ("full name", "text", "owner", 1.0, None, True),
])
def test_read_unit(unit, kind, name, scale, currency, known):
    assert parse.read_unit(unit, kind, name) == parse.HeaderUnit(scale, currency, known)


# --- price on request, doubtful percents ------------------------------------------------------

@pytest.mark.parametrize("cell, asked", [
    ("Call us", True), ("Contact sales", True), ("POA", True), ("Price on application", True),
    ("On request", True), ("Quote", True), ("Request a quote", True), ("$15", False),
    ("lots", False), ("n/a", False), (15.0, False),
])
def test_price_on_request(cell, asked):
    assert parse.price_on_request(cells(cell)).tolist() == [asked]


@pytest.mark.parametrize("column, doubtful", [
    ([99.9, 99.5, 0.98], [False, False, True]),
    (["99.9%", "0.98"], [False, True]),
    ([0.999, 0.98], [False, False]),  # all fractions: scaled, nothing doubtful
    ([60, 39, 1], [False, False, False]),  # a whole 1 % is a percent
    ([99.9, 0, 100], [False, False, False]),
])
def test_doubtful_percents(column, doubtful):
    result = parse.parse_percent(cells(*column))
    got = result.doubtful if result.doubtful is not None else np.zeros(len(column), bool)
    assert got.tolist() == doubtful


def test_doubtful_ratings_in_a_percent_column():
    result = parse.parse_rating(cells("85%", 90, 4, 0.9))
    assert result.note == "percent"
    assert result.doubtful.tolist() == [False, False, True, True]
    assert parse.parse_rating(cells(4, 5, 3)).doubtful is None
