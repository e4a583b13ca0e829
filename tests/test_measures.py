"""The measure registry: each measure once, written the same way on every surface."""

from __future__ import annotations

import math

import pytest

from valuelib.present import MEASURES, Unit, fmt_measure, measure


@pytest.mark.parametrize("key, value, currency, expected", [
    ("total_cost", 80800.4, "USD", "$80,800"),
    ("total_cost", 45.3, "USD", "$45"),  # totals are whole units at every size
    ("total_cost", -1250, "USD", "\u2212$1,250"),
    ("cost_per_user_month", 12.575, "USD", "$12.58"),
    ("cost_per_user_month", 523.4, "USD", "$523.40"),  # per-user figures keep their cents
    ("price_per_user_month", 125, "EUR", "€125.00"),
    ("cost_per_user_month", 1234, "CHF", "1,234.00 CHF"),
    ("proactive_share_pct", 56.84, "USD", "56.8%"),
    ("median_resolve_hours", 1156.75, "USD", "1,157 h"),
    ("tickets", 1204, "USD", "1,204"),
    ("tickets_per_user_month", 0.4567, "USD", "0.46"),
    ("value_score", 71.6, "USD", "72"),
    ("runout_date", "2026-09-30", "USD", "30 Sep 2026"),
    ("total_cost", math.nan, "USD", "—"),
])
def test_a_measure_is_written_one_way(key, value, currency, expected):
    assert fmt_measure(key, value, currency) == expected


def test_every_measure_has_a_label_and_definition():
    for key, m in MEASURES.items():
        assert m.key == key and m.label and m.definition, key


@pytest.mark.parametrize("unit, currency, expected", [
    (Unit.MONEY, "USD", "$%,.0f"), (Unit.MONEY_PER_USER, "EUR", "€%,.2f"),
    (Unit.MONEY_PER_USER, "CHF", "%,.2f CHF"), (Unit.PERCENT, "USD", "%.1f%%"),
    (Unit.DATE, "USD", None), (Unit.TEXT, "USD", None),
])
def test_table_formats_follow_the_unit(unit, currency, expected):
    m = next(m for m in MEASURES.values() if m.unit == unit) if unit != Unit.TEXT else None
    if m is None:
        assert expected is None
        return
    assert m.table_format(currency) == expected


def test_an_unknown_measure_names_the_known_ones():
    with pytest.raises(KeyError, match="total_cost"):
        measure("nope")


def test_no_text_column_of_the_contract_shares_its_name_with_a_numeric_measure():
    # A table carries its columns' measures by name: a number's measure named like a text
    # column (the what-if's hours bought once took Offerings' `support_hours`, "8x5") would
    # cast that column's words to numbers and fail the answer.
    from valuelib.schema import TABLE_DTYPES

    clashes = [(table, column, MEASURES[column].unit)
               for table, columns in TABLE_DTYPES.items()
               for column, dtype in columns.items()
               if dtype == "str" and column in MEASURES and MEASURES[column].unit != Unit.TEXT]
    assert clashes == []
