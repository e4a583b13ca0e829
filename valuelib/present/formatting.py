"""How numbers are shown to people: money, percents, changes, hours and dates.

One place so every page, table, chart label and export writes a figure the same way:

- money: ``$1,234`` above 100, ``$11.40`` below (cents matter only for small figures);
  ``€`` / ``£`` / ``$`` before the number, any other currency after it (``1,234 CHF``);
- percents: ``24.0%`` (no space), changes ``+3.1%`` / ``−2.0%``, points ``+3.7 pts``;
- negatives use the typographic minus ``−`` (U+2212), which lines up with ``+`` in tables;
- a missing value (None, NaN, NaT, pd.NA) is ``—`` unless ``missing=`` says otherwise.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

MISSING = "—"
MINUS = "\u2212"

# Symbols written before the number; any other ISO code is written after it.
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def is_missing(x) -> bool:
    """True for None, NaN, NaT and pd.NA (and anything else pandas calls missing)."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):  # a list or array is not a missing scalar
        return False


def _signed(x: float, digits: str, body: str, signed: bool) -> str:
    """``body`` (``digits``, the absolute value formatted, with any symbol or unit) with the
    sign of ``x``. A value that rounds to zero gets no sign, so ``−0.00`` never appears."""
    if not any(ch in "123456789" for ch in digits):
        return body
    if x < 0:
        return MINUS + body
    return "+" + body if signed else body


def _number(x: float, decimals: int) -> str:
    """|x| with thousands separators, rounded half up as people do (82.5 -> 83, where Python's
    format rounds half to even: 82). The float's shortest repr is what is rounded, so 2.675
    gives 2.68 as written, not 2.67 as stored in binary."""
    exact = Decimal(repr(abs(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{exact:,.{decimals}f}"


def rounded(x, decimals: int):
    """``x`` rounded as :func:`_number` writes it (half up, from its shortest repr), so a
    table that keeps numbers holds the number its cell shows: 32.25 -> 32.3, not 32.2."""
    if is_missing(x):
        return x
    exact = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals),
                                             rounding=ROUND_HALF_UP)
    return float(exact)


def money_decimals(x: float) -> int:
    """2 decimals below 100 (``$11.40``), none from 100 up (``$1,234``)."""
    return 2 if round(abs(x), 2) < 100 else 0


def fmt_money(x, currency: str = "USD", decimals: int | None = None, *,
              signed: bool = False, trim: bool = False, missing: str = MISSING) -> str:
    """``1234.5`` -> ``$1,235``; ``11.4`` -> ``$11.40``; ``-5`` -> ``−$5.00``;
    ``1234`` in CHF -> ``1,234 CHF``. ``decimals`` overrides the 2-below-100 rule; ``trim``
    drops cents that are zero (``$15.00`` -> ``$15``, for prose)."""
    if is_missing(x):
        return missing
    x = float(x)
    places = money_decimals(x) if decimals is None else decimals
    digits = _number(x, places)
    if trim and places and digits.endswith("." + "0" * places):
        digits = digits[: -(places + 1)]
    code = str(currency or "").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    body = f"{symbol}{digits}" if symbol else f"{digits} {code}".rstrip()
    return _signed(x, digits, body, signed)


def fmt_signed_money(x, currency: str = "USD", decimals: int | None = None, *,
                     missing: str = MISSING) -> str:
    """Money with its sign always written: ``+$1,234``, ``−$3.05``, ``$0.00``."""
    return fmt_money(x, currency, decimals, signed=True, missing=missing)


def fmt_number(x, decimals: int = 0, *, missing: str = MISSING) -> str:
    """Thousands separators: ``1234.5`` -> ``1,235``; ``decimals=1`` -> ``1,234.5``."""
    if is_missing(x):
        return missing
    x = float(x)
    digits = _number(x, decimals)
    return _signed(x, digits, digits, signed=False)


def fmt_percent(x, decimals: int = 1, *, missing: str = MISSING) -> str:
    """A percent already on the 0–100 scale: ``24`` -> ``24.0%``."""
    if is_missing(x):
        return missing
    x = float(x)
    digits = _number(x, decimals)
    return _signed(x, digits, digits + "%", signed=False)


def fmt_change(pct, decimals: int = 1, *, missing: str = MISSING) -> str:
    """A relative change in percent, sign always written: ``3.14`` -> ``+3.1%``,
    ``-2`` -> ``−2.0%``, ``0`` -> ``0.0%``."""
    if is_missing(pct):
        return missing
    pct = float(pct)
    digits = _number(pct, decimals)
    return _signed(pct, digits, digits + "%", signed=True)


def fmt_points(points, decimals: int = 1, *, missing: str = MISSING) -> str:
    """A change between two percents, in percentage points: ``3.7`` -> ``+3.7 pts``."""
    if is_missing(points):
        return missing
    points = float(points)
    digits = _number(points, decimals)
    return _signed(points, digits, digits + " pts", signed=True)


def fmt_hours(x, decimals: int | None = None, *, missing: str = MISSING) -> str:
    """Hours: ``43.25`` -> ``43.3 h``; from 100 up no decimals: ``1156.75`` -> ``1,157 h``."""
    if is_missing(x):
        return missing
    x = float(x)
    places = (1 if round(abs(x), 1) < 100 else 0) if decimals is None else decimals
    digits = _number(x, places)
    return _signed(x, digits, digits + " h", signed=False)


def fmt_date(d, *, missing: str = MISSING) -> str:
    """A date people read the same way everywhere: ``2026-09-30`` -> ``30 Sep 2026``."""
    if is_missing(d):
        return missing
    day = pd.Timestamp(d)
    return f"{day.day} {day:%b %Y}"


def fmt_count(n, singular: str, plural: str | None = None) -> str:
    """``1 service``, ``3 services``, ``1,204 tickets``."""
    n = 0 if is_missing(n) else n
    word = singular if n == 1 else (plural or singular + "s")
    return f"{fmt_number(n)} {word}"


def fmt_list(items) -> str:
    """``a``; ``a and b``; ``a, b and c``."""
    items = [str(i) for i in items]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
