"""valuelib.present.formatting: how every figure is written, table-driven."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from valuelib.present.formatting import (
    MINUS,
    fmt_change,
    fmt_count,
    fmt_date,
    fmt_hours,
    fmt_list,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_points,
    fmt_signed_money,
)

M = MINUS  # the typographic minus, U+2212


@pytest.mark.parametrize("x, currency, decimals, expected", [
    (1234.5, "USD", None, "$1,235"),
    (11.4, "USD", None, "$11.40"),
    (99.99, "USD", None, "$99.99"),
    (99.996, "USD", None, "$100"),  # would print as $100.00: the no-cents rule applies
    (100, "USD", None, "$100"),
    (0, "USD", None, "$0.00"),
    (-5, "USD", None, f"{M}$5.00"),
    (-0.001, "USD", None, "$0.00"),  # rounds to zero: no sign
    (1234, "EUR", None, "€1,234"),
    (12.5, "GBP", None, "£12.50"),
    (1234, "CHF", None, "1,234 CHF"),
    (-12.5, "chf", None, f"{M}12.50 CHF"),
    (1234.567, "USD", 2, "$1,234.57"),
    (12.345, "USD", 0, "$12"),
    (2.675, "USD", None, "$2.68"),  # half up, as written (binary 2.67499…)
    (1_250_000, "USD", None, "$1,250,000"),
])
def test_fmt_money(x, currency, decimals, expected):
    assert fmt_money(x, currency, decimals) == expected


@pytest.mark.parametrize("x, expected", [(15.0, "$15"), (9.5, "$9.50"), (1250, "$1,250")])
def test_fmt_money_trim_drops_zero_cents(x, expected):
    assert fmt_money(x, trim=True) == expected


@pytest.mark.parametrize("x, expected", [
    (1234, "+$1,234"), (-3.05, f"{M}$3.05"), (0, "$0.00"), (0.004, "$0.00"),
])
def test_fmt_signed_money(x, expected):
    assert fmt_signed_money(x) == expected


@pytest.mark.parametrize("x, decimals, expected", [
    (1234.5, 0, "1,235"), (1234.5, 1, "1,234.5"), (82.5, 0, "83"), (81.25, 1, "81.3"),
    (-1234, 0, f"{M}1,234"), (0.4, 0, "0"), (1.1103, 2, "1.11"),
])
def test_fmt_number(x, decimals, expected):
    assert fmt_number(x, decimals) == expected


@pytest.mark.parametrize("x, decimals, expected", [
    (24, 1, "24.0%"), (56.8138, 1, "56.8%"), (16.1, 0, "16%"), (0, 1, "0.0%"),
    (-2.04, 1, f"{M}2.0%"), (99.5, 2, "99.50%"),
])
def test_fmt_percent(x, decimals, expected):
    assert fmt_percent(x, decimals) == expected


@pytest.mark.parametrize("pct, expected", [
    (3.14, "+3.1%"), (-2, f"{M}2.0%"), (0, "0.0%"), (-0.01, "0.0%"), (125.0, "+125.0%"),
])
def test_fmt_change(pct, expected):
    assert fmt_change(pct) == expected


@pytest.mark.parametrize("points, expected", [(3.7, "+3.7 pts"), (-7.84, f"{M}7.8 pts")])
def test_fmt_points(points, expected):
    assert fmt_points(points) == expected


@pytest.mark.parametrize("x, decimals, expected", [
    (43.25, None, "43.3 h"), (1156.75, None, "1,157 h"), (99.96, None, "100 h"),
    (0, None, "0.0 h"), (4.875, 2, "4.88 h"),
])
def test_fmt_hours(x, decimals, expected):
    assert fmt_hours(x, decimals) == expected


@pytest.mark.parametrize("d, expected", [
    ("2026-09-30", "30 Sep 2026"), (pd.Timestamp("2027-01-20 15:48"), "20 Jan 2027"),
    (np.datetime64("2025-07-01"), "1 Jul 2025"),
])
def test_fmt_date(d, expected):
    assert fmt_date(d) == expected


MISSING_VALUES = [None, np.nan, float("nan"), pd.NA, pd.NaT]


@pytest.mark.parametrize("fmt", [fmt_money, fmt_signed_money, fmt_number, fmt_percent,
                                 fmt_change, fmt_points, fmt_hours, fmt_date])
@pytest.mark.parametrize("missing", MISSING_VALUES)
def test_missing_is_a_dash_or_the_words_asked_for(fmt, missing):
    assert fmt(missing) == "—"
    assert fmt(missing, missing="no data") == "no data"


@pytest.mark.parametrize("n, expected", [
    (1, "1 service"), (3, "3 services"), (0, "0 services"), (1204, "1,204 services"),
])
def test_fmt_count(n, expected):
    assert fmt_count(n, "service") == expected


@pytest.mark.parametrize("items, expected", [
    ([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c"),
])
def test_fmt_list(items, expected):
    assert fmt_list(items) == expected


def test_numpy_and_pandas_scalars_format_like_floats():
    assert fmt_money(np.float64(12.576919)) == "$12.58"
    assert fmt_number(np.int64(296)) == "296"
    assert fmt_percent(pd.Series([44.925]).iloc[0]) == "44.9%"
