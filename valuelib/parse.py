"""Cell parsers: raw spreadsheet cells (object Series) -> typed Series plus a mask of bad cells.

Cells arrive as whatever the reader produced (str, float, int, bool, datetime, None). Every
parser works on the *unique* values of a column and maps the results back, so a 200,000-row
column with a few hundred distinct values costs a few hundred Python calls; high-cardinality
columns (dates, hours) take vectorised fast paths instead.

A parser never raises on bad data: it returns ``Parsed(values, bad)`` where ``bad`` marks the
cells that were present but could not be understood. Missing markers (blank, ``?``, ``-``,
``n/a`` …) are missing, not bad.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from .schema import LEVEL_WORDS, MISSING_MARKERS, PRIORITY_WORDS

_BAD = object()  # sentinel: present but unparseable

# Excel serial dates: 1 = 1900-01-01; 20000 ≈ 1954, 80000 ≈ 2119. Anything else is not a date.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL_RANGE = (20000, 80000)


@dataclass(frozen=True)
class Parsed:
    """A parsed column: typed values, which cells were bad, and a note about the whole column
    (e.g. the date order that was inferred)."""

    values: pd.Series
    bad: np.ndarray
    note: str = ""
    examples: tuple[str, ...] = ()  # cells (as typed) behind the note, e.g. ambiguous numbers
    doubtful: np.ndarray | None = None  # cells read one way that could mean another


def is_missing_scalar(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    if value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, str):
        return value.strip().casefold() in MISSING_MARKERS
    return False


@dataclass(frozen=True)
class CellTypes:
    """Facts about a column's cells, computed once and shared by the parsers and validation:
    which cells arrived as text, numbers, booleans or dates, which are missing, and (for text
    and mixed columns) the column factorised into ``codes`` over its distinct ``uniques``."""

    text: np.ndarray
    number: np.ndarray
    boolean: np.ndarray
    date: np.ndarray
    inferred: str
    missing: np.ndarray  # blank or a missing-value marker
    codes: np.ndarray | None = None  # -1 where the cell is None / NaN
    uniques: np.ndarray | None = None

    def subset(self, keep: np.ndarray) -> CellTypes:
        """The same facts for the kept rows only."""
        return CellTypes(self.text[keep], self.number[keep], self.boolean[keep],
                         self.date[keep], self.inferred, self.missing[keep],
                         None if self.codes is None else self.codes[keep], self.uniques)


_NUMBER_TYPES = (int, float, np.integer, np.floating)
_DATE_TYPES = (dt.date, np.datetime64)
_NUMERIC_INFERRED = ("floating", "integer", "mixed-integer-float", "decimal")
_DATE_INFERRED = ("datetime", "datetime64", "date")


def cell_types(raw: pd.Series) -> CellTypes:
    """Classify every cell once; parsers and validation reuse the result."""
    n = len(raw)
    inferred = infer_dtype(raw, skipna=True)
    none = np.zeros(n, dtype=bool)
    if inferred == "empty":
        return CellTypes(none, none, none, none, inferred, np.ones(n, dtype=bool))
    if inferred in _NUMERIC_INFERRED + _DATE_INFERRED:
        isna = pd.isna(raw.to_numpy())
        if inferred in _NUMERIC_INFERRED:
            return CellTypes(none, ~isna, none, none, inferred, isna)
        return CellTypes(none, none, none, ~isna, inferred, isna)
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    isna = codes < 0
    present = ~isna
    if inferred == "string":
        text, number, boolean, date = present, none, none, none
    elif inferred == "boolean":
        text, number, boolean, date = none, none, present, none
    else:  # mixed: classify the distinct values, then map back
        kinds = [type(v) for v in uniques]
        per_unique = {
            "text": np.fromiter((k is str for k in kinds), bool, len(kinds)),
            "boolean": np.fromiter((k is bool or k is np.bool_ for k in kinds), bool, len(kinds)),
            "date": np.fromiter((issubclass(k, _DATE_TYPES) for k in kinds), bool, len(kinds)),
        }
        per_unique["number"] = np.fromiter((issubclass(k, _NUMBER_TYPES) for k in kinds), bool,
                                           len(kinds)) & ~per_unique["boolean"]
        safe = np.maximum(codes, 0)
        text, number, boolean, date = (per_unique[k][safe] & present
                                       for k in ("text", "number", "boolean", "date"))
    # Markers are short: look closely only at short distinct texts (a ticket log has 200k ids).
    short = np.flatnonzero(short_texts(uniques, _LONGEST_MARKER))
    marker = np.zeros(len(uniques), dtype=bool)
    if len(short):  # vectorised string kernels rather than a Python call per value
        folded = pd.Series(uniques[short], dtype="str").str.strip().str.casefold()
        marker[short] = folded.isin(MISSING_MARKERS).to_numpy(bool)
    missing = isna | (marker[np.maximum(codes, 0)] & present)
    return CellTypes(text, number, boolean, date, inferred, missing, codes, uniques)


def short_texts(values: np.ndarray, longest: int) -> np.ndarray:
    """True for each value that is a string of at most ``longest`` characters."""
    try:  # all strings (the common case): len() mapped in C, no Python frame per value
        return np.fromiter(map(len, values), np.int64, len(values)) <= longest
    except TypeError:  # a number or date among them
        return np.fromiter((type(v) is str and len(v) <= longest for v in values), bool,
                           len(values))


_LONGEST_MARKER = max(len(m) for m in MISSING_MARKERS) + 4  # room for stray spaces


def missing_mask(raw: pd.Series, types: CellTypes | None = None) -> np.ndarray:
    """True where a cell is blank or a missing-value marker."""
    return (types or cell_types(raw)).missing


# A cell of a number, date, quarter, yes/no or code column longer than this is bad without
# being parsed: a 50 MB cell would otherwise hold the process (and the GIL) for minutes.
LONGEST_VALUE = 200


def _by_unique(raw: pd.Series, parse_one: Callable[[object], object], dtype,
               types: CellTypes | None = None) -> Parsed:
    """Apply ``parse_one`` to each distinct present value; map back. ``parse_one`` returns the
    parsed value, ``None`` for missing, or ``_BAD``."""
    if types is not None and types.codes is not None:
        codes, uniques = types.codes, types.uniques
    else:
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    parsed: list[object] = []
    bad_unique = np.zeros(len(uniques), dtype=bool)
    for i, value in enumerate(uniques):
        if parse_one is not _text_one and isinstance(value, str) and len(value) > LONGEST_VALUE:
            result = _BAD  # no number, date or code is this long; regexes would crawl over it
        else:
            result = None if is_missing_scalar(value) else parse_one(value)
        if result is _BAD:
            bad_unique[i] = True
            result = None
        parsed.append(result)
    mapped = pd.array(parsed + [None], dtype=dtype)
    values = pd.Series(mapped.take(np.where(codes < 0, len(parsed), codes)), index=raw.index)
    bad = np.zeros(len(raw), dtype=bool)
    present = codes >= 0
    bad[present] = bad_unique[codes[present]]
    return Parsed(values, bad)


# --- text -----------------------------------------------------------------------------------

def _text_one(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # ticket 123 read as 123.0 stays "123"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    text = str(value).strip()
    return text or None


def parse_text(raw: pd.Series, types: CellTypes | None = None) -> Parsed:
    """Text stays text: a formula (``=SUM(A1)``) or HTML is kept exactly, never evaluated."""
    types = types or cell_types(raw)
    if types.inferred == "string":  # the common case: vectorised, no call per distinct value
        stripped = pd.Series(types.uniques, dtype="str").str.strip()
        mapped = stripped.mask(stripped.eq("")).array
        values = pd.Series(mapped.take(np.maximum(types.codes, 0)), index=raw.index)
        return Parsed(values.mask(types.missing), np.zeros(len(raw), dtype=bool))
    return _by_unique(raw, _text_one, "str", types)


# --- numbers and money ----------------------------------------------------------------------

_CURRENCY_MARKS = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "¥": "JPY", "jpy": "JPY", "chf": "CHF", "cad": "CAD", "c$": "CAD", "aud": "AUD", "a$": "AUD",
    "sek": "SEK", "nok": "NOK", "dkk": "DKK", "inr": "INR", "₹": "INR", "nzd": "NZD",
}
_CURRENCY_ALTERNATION = (r"us\$|c\$|a\$|usd|eur|gbp|jpy|chf|cad|aud|sek|nok|dkk|inr|nzd|"
                         r"[$€£¥₹]")
_CURRENCY_RE = re.compile(f"({_CURRENCY_ALTERNATION})", re.IGNORECASE)
_NUMBER_BODY = re.compile(r"^[+-]?\d[\d.,' \u00a0\u202f]*$|^[+-]?[.,]\d+$")

# The Settings ``number format`` -> its decimal mark. A column's own values decide first.
NUMBER_FORMATS = {"1,234.56": ".", "1.234,56": ","}
DEFAULT_NUMBER_FORMAT = "1,234.56"
_OTHER_MARK = {".": ",", ",": "."}
# Thousands groups: 1,234,567 or the Indian lakh style 12,34,567.
_GROUPS = {mark: re.compile(rf"^\d{{1,3}}(?:\{mark}\d{{3}})*$|^\d{{1,2}}(?:\{mark}\d{{2}})*"
                            rf"\{mark}\d{{3}}$") for mark in ".,"}


def _number_body(text: str) -> str | None:
    """The digits, marks and sign of a number as typed (spaces kept), or None."""
    body = text.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("'", "")
    return body if _NUMBER_BODY.match(body) else None


def mark_evidence(body: str) -> str:
    """What one number says about the decimal mark: ``.`` or ``,`` (that mark is the
    decimal), ``?`` (``1.234`` / ``12,345``: one mark before exactly three digits reads
    both ways) or ``""`` (no mark at all)."""
    digits = body.lstrip("+-")
    spaced = " " in digits.strip()
    digits = digits.replace(" ", "")
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        return "." if digits.rfind(".") > digits.rfind(",") else ","
    if not dots and not commas:
        return ""
    mark = "," if commas else "."
    if max(dots, commas) > 1:
        return _OTHER_MARK[mark]  # 1.234.567: the repeated mark groups thousands
    head, _, tail = digits.rpartition(mark)
    if spaced or len(tail) != 3 or head in ("", "0") or len(head) > 3:
        # 1 234,50 (spaces group thousands), 0.011 (a leading zero), 1.5, 1234.567
        return mark
    return "?"


def _read_body(body: str, decimal: str) -> float | None:
    """A number body read with ``decimal`` as its decimal mark (the other mark groups
    thousands, and must group them properly); None if it does not read that way."""
    sign = -1.0 if body.lstrip().startswith("-") else 1.0
    digits = body.strip().lstrip("+-").replace(" ", "")
    thousands = _OTHER_MARK[decimal]
    whole, point, fraction = digits.partition(decimal)
    if decimal in fraction or thousands in fraction:
        return None
    if thousands in whole:
        if not _GROUPS[thousands].match(whole):
            return None
        whole = whole.replace(thousands, "")
    try:
        return sign * float(f"{whole or 0}.{fraction or 0}")
    except ValueError:
        return None


def number_from_text(text: str, decimal: str | None = None) -> float | None:
    """``1,234.50`` / ``1.234,50`` / ``1 234,50`` / ``1234.5`` -> float; None if not a number.

    ``decimal`` is the column's decimal mark (see :func:`decide_decimal`). Without it the cell
    speaks for itself, and a lone mark before exactly three digits (``1,234``) reads as a
    thousands separator, as a US spreadsheet writes it.
    """
    body = _number_body(text)
    if body is None:
        return None
    evidence = mark_evidence(body)
    if decimal is None:
        decimal = evidence if evidence in NUMBER_FORMATS.values() else "."
    return _read_body(body, decimal)


def _split_money(text: str) -> tuple[str, str | None, bool] | None:
    """``$(1,234.50)``-style text -> (number body, currency, negative); None if not money."""
    text = text.strip()
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    currencies = {_CURRENCY_MARKS[m.lower()] for m in _CURRENCY_RE.findall(text)}
    if len(currencies) > 1:
        return None
    stripped = _CURRENCY_RE.sub("", text).strip()
    if stripped.startswith("-") is False and text.lstrip().startswith("-"):
        stripped = "-" + stripped  # "-$12" keeps its sign once the $ is removed
    body = _number_body(stripped)
    if body is None:
        return None
    return body, (currencies.pop() if currencies else None), negative


def money_from_text(text: str, decimal: str | None = None) -> tuple[float, str | None] | None:
    """``$1,234.50``, ``USD 1,234.50``, ``1 234,50 €``, ``(1,234.50)`` -> (amount, currency)."""
    split = _split_money(text)
    if split is None:
        return None
    body, currency, negative = split
    number = number_from_text(body, decimal)
    if number is None:
        return None
    return (-abs(number) if negative else number), currency


@dataclass(frozen=True)
class Marks:
    """A column's decimal mark, and whether its values decided it. ``ambiguous`` lists (up to
    two) cells that read both ways and were read by the Settings number format instead."""

    decimal: str
    ambiguous: tuple[str, ...] = ()


def decide_decimal(evidence: list[str], examples: list[str],
                   number_format: str = DEFAULT_NUMBER_FORMAT) -> Marks:
    """The column's decimal mark from every distinct value's evidence (see
    :func:`mark_evidence`): ``26.538`` beside ``0.011`` is twenty-six point five. When no value
    settles it (``12.345`` alone), or values contradict each other, the Settings number format
    decides, and the cells that read both ways are named."""
    said = set(evidence)
    fallback = NUMBER_FORMATS.get(number_format, ".")
    clear = said & {".", ","}
    decimal = next(iter(clear)) if len(clear) == 1 else fallback
    if "?" in said and len(clear) != 1:
        doubtful = [text for text, e in zip(examples, evidence, strict=True) if e == "?"]
        return Marks(decimal, tuple(doubtful[:2]))
    return Marks(decimal)


def _numeric_fast(raw: pd.Series, types: CellTypes) -> pd.Series:
    """Cells that arrived as numbers, as float64 (everything else NaN)."""
    if types.inferred in ("floating", "integer", "mixed-integer-float"):
        return pd.to_numeric(raw, errors="coerce").astype("float64")
    numeric = pd.Series(np.nan, index=raw.index, dtype="float64")
    if types.number.any():
        numeric[types.number] = pd.to_numeric(raw[types.number], errors="coerce")
    return numeric


def parse_number(raw: pd.Series, types: CellTypes | None = None,
                 number_format: str = DEFAULT_NUMBER_FORMAT) -> Parsed:
    """Counts, hours, prices: ``1,234.5`` and friends; currency marks tolerated."""
    return parse_money(raw, currency=None, types=types, number_format=number_format)


def parse_money(raw: pd.Series, currency: str | None = "USD",
                types: CellTypes | None = None,
                number_format: str = DEFAULT_NUMBER_FORMAT) -> Parsed:
    """Money in the reporting currency. A cell marked with another currency is bad (one
    reporting currency per upload); ``currency=None`` accepts any mark.

    Text cells are read per distinct value, with one decimal mark for the whole column
    (:func:`decide_decimal`); cells that arrived as numbers are never reinterpreted. When the
    Settings ``number_format`` had to decide, the note says ``ambiguous`` and ``examples``
    holds two cells that read both ways."""
    types = types or cell_types(raw)
    numeric = _numeric_fast(raw, types)
    bad = types.boolean | types.date  # True or a date in a money column is not an amount
    if not types.text.any():
        return Parsed(numeric, bad)
    text_raw = raw[types.text]
    if types.text.all() and types.codes is not None:
        codes, uniques = types.codes, types.uniques
    else:
        codes, uniques = pd.factorize(text_raw, use_na_sentinel=True)
    splits = [None if is_missing_scalar(u) else _split_money(str(u)) for u in uniques]
    evidence = [None if s is None else mark_evidence(s[0]) for s in splits]
    read = [i for i, s in enumerate(splits) if s is not None]
    marks = decide_decimal([evidence[i] for i in read], [str(uniques[i]).strip() for i in read],
                           number_format)
    values = np.full(len(uniques) + 1, np.nan)
    bad_unique = np.zeros(len(uniques) + 1, dtype=bool)
    for i, (value, split) in enumerate(zip(uniques, splits, strict=True)):
        if split is None:
            bad_unique[i] = not is_missing_scalar(value)
            continue
        body, mark, negative = split
        own = evidence[i]
        # a self-evident cell (1.234,50) keeps its own reading even in a mixed column
        number = _read_body(body, own if own in (".", ",") else marks.decimal)
        if number is None or (currency and mark and mark != currency):
            bad_unique[i] = True
            continue
        values[i] = -abs(number) if negative else number
    index = np.where(codes < 0, len(uniques), codes)
    numeric = numeric.copy()
    numeric[types.text] = values[index]
    bad = bad.copy()
    bad[types.text] = bad_unique[index]
    note = "ambiguous" if marks.ambiguous else ""
    return Parsed(numeric, bad, note, examples=marks.ambiguous)


def foreign_currency(raw: pd.Series, currency: str) -> np.ndarray:
    """True where a money cell is written in a currency other than the reporting one."""
    out = np.zeros(len(raw), dtype=bool)
    is_str = cell_types(raw).text
    if not is_str.any():
        return out

    def one(value: object) -> object:
        parsed = _split_money(str(value))
        return bool(parsed and parsed[1] and parsed[1] != currency)

    out[is_str] = _by_unique(raw[is_str], one, "boolean").values.fillna(False).to_numpy(bool)
    return out


# --- scale units in headers -----------------------------------------------------------------

_SCALE_WORDS = {
    **dict.fromkeys(("k", "thousand", "thousands", "000", "000s", "thou", "ths"), 1e3),
    **dict.fromkeys(("m", "mm", "mn", "mio", "million", "millions", "mil", "000000"), 1e6),
    **dict.fromkeys(("b", "bn", "billion", "billions"), 1e9),
}
_UNIT_CURRENCY = re.compile(rf"^\s*({_CURRENCY_ALTERNATION})\s*|\s*({_CURRENCY_ALTERNATION})\s*$",
                            re.IGNORECASE)
_PER_WORDS = re.compile(r"\b(?:per|/)\s*(?:user|seat|mailbox|month|mo|year|yr|head)\b|\bpupm\b",
                        re.IGNORECASE)
# Units a column of each kind may carry besides money and scale (normalised: casefold, no
# spaces or punctuation). Percents and scores take their own scale marks only.
_KIND_UNITS = {
    "percent": {"%", "percent", "pct", "pc"},
    "rating": {"%", "percent", "pct", "15", "1to5", "outof5", "5", "score", "csat"},
    "score": {"15", "1to5", "outof5", "5", "score"},
}
_COLUMN_UNITS = {
    "hours": {"h", "hr", "hrs", "hour", "hours"},
    "purchased_hours": {"h", "hr", "hrs", "hour", "hours"},
    "storage_gb": {"gb", "gib", "gigabytes"},
    "users": {"users", "user", "seats", "people", "#", "count", "number", "no"},
    "respondents": {"#", "count", "number", "no", "people"},
    "votes": {"#", "count", "number", "no"},
}
NUMERIC_KINDS = ("money", "price", "count", "percent", "score", "rating")


@dataclass(frozen=True)
class HeaderUnit:
    """What a header's unit means: a ``scale`` to multiply by, a ``currency`` it names, or
    ``known=False`` when the reader cannot interpret it."""

    scale: float = 1.0
    currency: str | None = None
    known: bool = True


def read_unit(unit: str, kind: str, name: str) -> HeaderUnit:
    """``$M`` -> ×1,000,000; ``USD thousands`` -> USD ×1,000; ``000s`` -> ×1,000; ``USD`` ->
    USD; ``%`` in a percent column -> plain. A scale only means something for money, prices
    and counts; a unit of a text, date or other non-numeric column is a description and is
    ignored."""
    if not unit or kind not in NUMERIC_KINDS:
        return HeaderUnit()
    text = unit.strip()
    if kind == "price":
        text = _PER_WORDS.sub(" ", text).strip(" /")
    currency = None
    match = _UNIT_CURRENCY.search(text)
    if match and kind in ("money", "price"):
        currency = _CURRENCY_MARKS[(match[1] or match[2]).lower()]
        text = (text[:match.start()] + " " + text[match.end():]).strip()
    key = re.sub(r"[\s'’_.\-]+", "", text.casefold()).removeprefix("in")
    if not key:
        return HeaderUnit(1.0, currency)
    if kind in ("money", "price", "count") and key in _SCALE_WORDS:
        return HeaderUnit(_SCALE_WORDS[key], currency)
    if key in _KIND_UNITS.get(kind, set()) | _COLUMN_UNITS.get(name, set()):
        return HeaderUnit(1.0, currency)
    return HeaderUnit(known=False, currency=currency)


# --- price on request -----------------------------------------------------------------------

_ON_REQUEST = re.compile(
    r"call|contact|\bpoa\b|on\s+(?:request|application|demand|enquiry)|upon\s+request|quot(?:e|ation)"
    r"|enquire|inquire|ask\s+(?:us|for)|custom\s+pric|negotiable|\bby\s+arrangement",
    re.IGNORECASE)


def price_on_request(raw: pd.Series, types: CellTypes | None = None) -> np.ndarray:
    """True where a price cell says the price is given on request: ``Call us``, ``Contact
    sales``, ``POA``, ``Price on application``, ``On request``, ``Quote``."""
    types = types or cell_types(raw)
    out = np.zeros(len(raw), dtype=bool)
    candidates = types.text & ~types.missing
    if not candidates.any():
        return out
    codes, uniques = pd.factorize(raw[candidates])
    hits = pd.Series(uniques, dtype="str").str.contains(_ON_REQUEST).to_numpy(bool)
    out[candidates] = hits[codes]
    return out


def _without_percent_signs(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The cells with any ``%`` removed, and which cells had one."""
    is_str = cell_types(raw).text
    has_sign = np.zeros(len(raw), dtype=bool)
    if is_str.any():
        has_sign[is_str] = raw[is_str].str.contains("%", regex=False).to_numpy()
    cleaned = raw.copy()
    if has_sign.any():
        cleaned[has_sign] = raw[has_sign].str.replace("%", "", regex=False)
    return cleaned, has_sign


def parse_percent(raw: pd.Series, number_format: str = DEFAULT_NUMBER_FORMAT) -> Parsed:
    """``99.9``, ``99.9%``, ``0.999``. A column whose values are all ≤ 1 (and written without
    ``%``) holds fractions and is scaled to 0-100; deciding per column keeps a 1 % share in a
    column of 60 / 39 / 1 from becoming 100 %.

    Where a column of percents (some value above 1) also holds plain fractions strictly
    between 0 and 1 (``99.9``, ``99.5``, ``0.98``), those cells are read as written (0.98 %)
    and marked ``doubtful``: they may have meant 98 %."""
    cleaned, has_sign = _without_percent_signs(raw)
    parsed = parse_number(cleaned, number_format=number_format)
    values = parsed.values.copy()
    plain = ~has_sign & values.notna().to_numpy()
    if plain.any() and not has_sign.any() and (values[plain].abs() <= 1).all():
        values[plain] = values[plain] * 100
        return Parsed(values, parsed.bad, "fractions scaled to percent", parsed.examples)
    doubtful = np.zeros(len(raw), dtype=bool)
    if (values.abs() > 1).any():
        doubtful = plain & (values > 0).to_numpy(bool) & (values < 1).to_numpy(bool)
    return Parsed(values, parsed.bad, "", parsed.examples, doubtful)


def parse_rating(raw: pd.Series, number_format: str = DEFAULT_NUMBER_FORMAT) -> Parsed:
    """Satisfaction: a 1-5 score or a percent; the number as written (see ``rating_pct``).

    In a column of percents (a ``%`` sign or a value above 5), a plain value from 0 to 5
    (``4`` or ``0.9`` beside ``85%``) is read as a percent and marked ``doubtful``: it may be
    a 1-5 score or a fraction."""
    cleaned, has_sign = _without_percent_signs(raw)
    parsed = parse_number(cleaned, number_format=number_format)
    values = parsed.values
    percent = bool(has_sign.any() or (values > 5).any())
    doubtful = None
    if percent:
        plain = ~has_sign & values.notna().to_numpy()
        doubtful = plain & (values > 0).to_numpy(bool) & (values <= 5).to_numpy(bool)
    return Parsed(values, parsed.bad, "percent" if percent else "score", parsed.examples,
                  doubtful)


def rating_pct(values: pd.Series, scale: str) -> pd.Series:
    """A rating on a 0-100 scale: 1-5 scores map (v - 1) / 4 * 100; percents stay."""
    return values if scale == "percent" else (values - 1) / 4 * 100


# --- yes / no -------------------------------------------------------------------------------

_YES = {"yes", "y", "true", "1", "x", "✓", "ja", "oui", "t"}
_NO = {"no", "n", "false", "0", "f"}


def _yesno_one(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return {1: True, 0: False}.get(value, _BAD)
    text = str(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return _BAD


def parse_yesno(raw: pd.Series) -> Parsed:
    """yes/no, y/n, true/false, 1/0. In a column of ``x`` marks a blank means no."""
    parsed = _by_unique(raw, _yesno_one, "boolean")
    uses_marks = any(isinstance(v, str) and v.strip().casefold() == "x" for v in pd.unique(raw))
    if uses_marks:
        return Parsed(parsed.values.fillna(False), parsed.bad, note="x marks")
    return parsed


# --- dates ----------------------------------------------------------------------------------

_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_SLASH_RE = (r"^\s*(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{2,4})"
             r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?)?\s*$")


# Shapes read by one strptime per column (Arrow's, ~40× the regular expressions): regex that
# must match the whole text -> strptime format. Day/month order is still decided by the
# column; anything else falls back to _ISO_RE / _SLASH_RE.
_ISO_SHAPES = (  # a 'T' between date and time is read as a space
    (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d"),
    (r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}$", "%Y-%m-%d %H:%M:%S"),
    (r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$", "%Y-%m-%d %H:%M"),
)
_SLASH_SHAPES = (
    (r"^\d{1,2}/\d{1,2}/\d{4}$", "{d}/{m}/%Y"),
    (r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}$", "{d}/{m}/%Y %H:%M"),
    (r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2}$", "{d}/{m}/%Y %H:%M:%S"),
)
_FAST_MIN = 1_000  # below this many distinct texts the regular expressions are quick enough


class _FastDates:
    """The distinct date texts of a column that have one of the common shapes, parsed with
    one strptime per shape. Strptime rolls an impossible date over (31/4 -> 1 May), so every
    result is checked against the day and month written; a failed check is NaT, as the
    regular-expression path gives."""

    def __init__(self, text: pd.Series):
        n = len(text)
        self.iso_done = np.zeros(n, dtype=bool)
        self.iso_values = np.empty(0, dtype="datetime64[us]")
        self.slash_shaped = np.zeros(n, dtype=bool)
        self.first = self.second = pd.Series(dtype="float64")
        self._slash: list[tuple[np.ndarray, str]] = []
        if n < _FAST_MIN:
            return
        import pyarrow as pa
        import pyarrow.compute as pc

        self._pa, self._pc = pa, pc
        self._arr = pa.array(text.to_numpy(dtype=object), type=pa.string())
        values = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
        for shape, fmt in _ISO_SHAPES:
            hit = self._match(shape)
            if not hit.any():
                continue
            part = pc.replace_substring(pc.filter(self._arr, hit), "T", " ")
            values[hit] = self._checked(part, fmt, 2, 1)
            self.iso_done |= hit
        self.iso_values = values[self.iso_done]
        for shape, fmt in _SLASH_SHAPES:
            hit = self._match(shape) & ~self.iso_done
            if hit.any():
                self._slash.append((hit, fmt))
                self.slash_shaped |= hit
        if self.slash_shaped.any():
            parts = pc.split_pattern(pc.filter(self._arr, self.slash_shaped), "/", max_splits=2)
            index = text.index[self.slash_shaped]
            self.first = pd.Series(self._ints(pc.list_element(parts, 0)), index=index)
            self.second = pd.Series(self._ints(pc.list_element(parts, 1)), index=index)

    def _match(self, shape: str) -> np.ndarray:
        return self._pc.match_substring_regex(self._arr, shape).to_numpy(zero_copy_only=False)

    def _ints(self, strings) -> np.ndarray:
        return self._pc.cast(strings, self._pa.float64()).to_numpy(zero_copy_only=False)

    def _checked(self, part, fmt: str, day_field: int, month_field: int) -> np.ndarray:
        """strptime, then NaT where the day or month read differs from the one written."""
        pc = self._pc
        stamps = pc.strptime(part, format=fmt, unit="us", error_is_null=True)
        fields = pc.split_pattern(part, "-" if fmt.startswith("%Y-") else "/", max_splits=2)
        day = self._ints(pc.utf8_slice_codeunits(pc.list_element(fields, day_field), 0, 2))
        month = self._ints(pc.list_element(fields, month_field))
        out = stamps.to_numpy(zero_copy_only=False).astype("datetime64[us]")
        ok = ~np.isnat(out)
        stamp = pd.DatetimeIndex(out[ok])
        good = (stamp.day.to_numpy() == day[ok]) & (stamp.month.to_numpy() == month[ok])
        out[np.flatnonzero(ok)[~good]] = np.datetime64("NaT")
        return out

    def slash_values(self, order: str) -> np.ndarray:
        """The slash-shaped texts read in the column's day/month order."""
        d, m = ("%d", "%m") if order == "DMY" else ("%m", "%d")
        day_field, month_field = (0, 1) if order == "DMY" else (1, 0)
        values = np.full(len(self.slash_shaped), np.datetime64("NaT"), dtype="datetime64[us]")
        for hit, fmt in self._slash:
            values[hit] = self._checked(self._pc.filter(self._arr, hit),
                                        fmt.format(d=d, m=m), day_field, month_field)
        return values[self.slash_shaped]


def _assemble(year, month, day, hour, minute, second) -> pd.Series:
    frame = pd.DataFrame({
        "year": year, "month": month, "day": day,
        "hour": hour.fillna(0), "minute": minute.fillna(0), "second": second.fillna(0),
    }).astype("float64")
    return pd.to_datetime(frame, errors="coerce")


def infer_date_order(first: pd.Series, second: pd.Series) -> str | None:
    """'DMY' if some first part exceeds 12, 'MDY' if some second part does, None if every
    value reads both ways (ambiguous)."""
    day_first = bool((first > 12).any())
    month_first = bool((second > 12).any())
    if day_first and not month_first:
        return "DMY"
    if month_first and not day_first:
        return "MDY"
    if day_first and month_first:
        return "mixed"
    return None


def parse_date(raw: pd.Series, date_order: str = "MDY",
               types: CellTypes | None = None) -> Parsed:
    """Real dates, ISO text, ``8/14/2026``, ``29/2/2016 01:16``, Excel serial numbers.

    The day/month order of slashed dates is inferred from the column's values; when every
    value reads both ways ``date_order`` decides and the note says ``ambiguous``.
    """
    result = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    if raw.empty:
        return Parsed(result, np.zeros(0, bool))
    types = types or cell_types(raw)
    missing = types.missing
    is_dt, is_num, is_str = types.date, types.number, types.text & ~missing
    if types.inferred in ("datetime", "datetime64", "date"):
        result = pd.to_datetime(raw, errors="coerce").astype("datetime64[us]")
        return Parsed(result, np.zeros(len(raw), dtype=bool))
    note = ""
    if is_dt.any():
        result[is_dt] = pd.to_datetime(raw[is_dt].astype(object), errors="coerce").astype(
            "datetime64[us]")
    if is_num.any():
        serial = pd.to_numeric(raw[is_num], errors="coerce")
        ok = serial.between(*_SERIAL_RANGE)
        result[is_num] = (_EXCEL_EPOCH + pd.to_timedelta(serial.where(ok), unit="D")).astype(
            "datetime64[us]")
    if is_str.any():
        # distinct cells first, then distinct stripped texts: strip a few thousand, not every row
        cell_codes, cells = pd.factorize(raw[is_str].to_numpy(dtype=object))
        stripped = pd.Series(cells, dtype=object).map(lambda v: str(v).strip())
        text_codes, uniques = pd.factorize(stripped.to_numpy(dtype=object))
        codes = text_codes[cell_codes]
        text = pd.Series(uniques, dtype=object)
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
        # The column's common shapes (ISO, d/m/yyyy hh:mm …) go through one strptime each;
        # only what they leave takes the regular expressions below.
        fast = _FastDates(text)
        iso = text[~fast.iso_done & ~fast.slash_shaped].str.extract(_ISO_RE)
        is_iso = iso[0].notna()
        if is_iso.any():
            parts = iso[is_iso].astype("float64")
            parsed[parts.index] = _assemble(parts[0], parts[1], parts[2], parts[3], parts[4],
                                            parts[5])
        parsed[fast.iso_done] = fast.iso_values
        is_iso = is_iso.reindex(text.index, fill_value=False) | fast.iso_done
        slash = text[~is_iso & ~fast.slash_shaped].str.extract(_SLASH_RE)
        is_slash = slash["a"].notna()
        if is_slash.any() or fast.slash_shaped.any():
            s = slash[is_slash]
            a, b = s["a"].astype("float64"), s["b"].astype("float64")
            year = s["y"].astype("float64")
            year = year.where(year >= 100, year + 2000)
            order = infer_date_order(pd.concat([a, fast.first]), pd.concat([b, fast.second]))
            if order is None:
                order, note = date_order, f"ambiguous; read as {date_order}"
            elif order == "mixed":
                order, note = date_order, f"mixed orders; read as {date_order}"
            else:
                note = f"inferred {order}"
            month, day = (b, a) if order == "DMY" else (a, b)
            hour = s["H"].astype("float64")
            pm = s["ampm"].str.casefold().eq("pm").fillna(False).to_numpy(bool)
            am = s["ampm"].str.casefold().eq("am").fillna(False).to_numpy(bool)
            hour = hour.where(~(pm & (hour < 12)), hour + 12).where(~(am & (hour == 12)), 0)
            if len(s):
                parsed[s.index] = _assemble(year, month, day, hour, s["M"].astype("float64"),
                                            s["S"].astype("float64"))
            if fast.slash_shaped.any():
                parsed[fast.slash_shaped] = fast.slash_values(order)
        is_slash = is_slash.reindex(text.index, fill_value=False) | fast.slash_shaped
        rest = parsed.isna() & ~is_iso & ~is_slash
        if rest.any():  # e.g. "14 Aug 2026", "August 14, 2026"
            parsed[rest] = pd.to_datetime(text[rest], errors="coerce", format="mixed",
                                          dayfirst=date_order == "DMY").astype("datetime64[us]")
        result[is_str] = parsed.to_numpy()[codes]
    bad = result.isna().to_numpy() & (is_str | is_num | is_dt | types.boolean)
    return Parsed(result, bad, note)


# --- quarters -------------------------------------------------------------------------------

_Q_PATTERNS = (
    # (regex, fiscal?) with named groups y (year) and q (quarter)
    (re.compile(r"^(?P<y>\d{4})\s*[-/ ]?\s*Q(?P<q>[1-4])$", re.I), False),
    (re.compile(r"^Q(?P<q>[1-4])\s*[-/ ]?\s*(?P<y>\d{4})$", re.I), False),
    (re.compile(r"^FY\s*'?(?P<y>\d{2}|\d{4})\s*[-/ ]?\s*Q(?P<q>[1-4])$", re.I), True),
    (re.compile(r"^Q(?P<q>[1-4])\s*[-/ ]?\s*FY\s*'?(?P<y>\d{2}|\d{4})$", re.I), True),
)


def quarter_of(timestamps: pd.Series) -> pd.Series:
    """Calendar quarter label ``2026-Q3`` of each timestamp (NA stays NA)."""
    ts = pd.to_datetime(timestamps)
    label = ts.dt.year.astype("Int64").astype("str") + "-Q" + ts.dt.quarter.astype(
        "Int64").astype("str")
    return label.where(ts.notna()).astype("str")


def fiscal_to_calendar(fiscal_year: int, quarter: int, fiscal_start: int) -> str:
    """Fiscal ``FY2026 Q3`` -> the calendar quarter holding the fiscal quarter's first month.

    A fiscal year is named for the calendar year in which it ends (FY2026 starting July runs
    July 2025 - June 2026), the usual convention; with a January start they coincide.
    """
    start_year = fiscal_year if fiscal_start == 1 else fiscal_year - 1
    month_index = (fiscal_start - 1) + (quarter - 1) * 3
    year = start_year + month_index // 12
    month = month_index % 12 + 1
    return f"{year}-Q{(month - 1) // 3 + 1}"


def quarter_from_text(text: str, fiscal_start: int = 1) -> str | None:
    text = text.strip()
    for pattern, fiscal in _Q_PATTERNS:
        match = pattern.match(text)
        if match:
            year = int(match["y"])
            year = year + 2000 if year < 100 else year
            quarter = int(match["q"])
            if fiscal:
                return fiscal_to_calendar(year, quarter, fiscal_start)
            return f"{year}-Q{quarter}"
    return None


def parse_quarter(raw: pd.Series, fiscal_start: int = 1, date_order: str = "MDY") -> Parsed:
    """``2026-Q3``, ``Q3 2026``, ``2026Q3``, ``FY26 Q3``, ``Q3 FY26`` or any date (the quarter
    containing it) -> canonical calendar ``2026-Q3``."""
    def one(value: object) -> object:
        label = quarter_from_text(value, fiscal_start) if isinstance(value, str) else None
        return label or _BAD

    labels = _by_unique(raw, one, "str")
    if not labels.bad.any():
        return labels
    dates = parse_date(raw.where(labels.bad), date_order)
    from_dates = quarter_of(dates.values)
    values = labels.values.where(~labels.bad, from_dates)
    bad = labels.bad & dates.values.isna().to_numpy()
    return Parsed(values.astype("str"), bad, dates.note)


_FISCAL_YEAR = re.compile(r"^(?:FY\s*'?(?P<fy>\d{2}|\d{4})|(?P<y>(?:19|20|21)\d{2}))$", re.I)


def fiscal_year_of_text(value: object) -> int | None:
    """``FY2026``, ``FY26``, ``FY'26`` or a bare year (``2026``, also as the number 2026) ->
    2026; anything else -> None. A bare year names the fiscal year as ``FY`` does (the
    calendar year in which it ends)."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        return int(number) if number.is_integer() and 1900 <= number < 2200 else None
    if not isinstance(value, str):
        return None
    match = _FISCAL_YEAR.match(value.strip())
    if match is None:
        return None
    year = int(match["fy"] or match["y"])
    return year + 2000 if year < 100 else year


def fiscal_year_quarters(fiscal_year: int, fiscal_start: int = 1) -> tuple[str, ...]:
    """The four calendar quarters of fiscal year ``fiscal_year`` (named for the calendar year
    in which it ends), in order."""
    return tuple(fiscal_to_calendar(fiscal_year, k, fiscal_start) for k in range(1, 5))


def fiscal_year_of(quarter: str, fiscal_start: int = 1) -> int:
    """The fiscal year (named for the calendar year in which it ends) holding a canonical
    calendar quarter."""
    year, q = int(quarter[:4]), int(quarter[-1])
    first_month = (q - 1) * 3 + 1
    return year + (1 if fiscal_start != 1 and first_month >= fiscal_start else 0)


def parse_period(raw: pd.Series, fiscal_start: int = 1, date_order: str = "MDY") -> Parsed:
    """A quarter as :func:`parse_quarter` reads it, or a fiscal year (``FY2026``, ``FY26``, a
    bare ``2026``) kept as ``FY2026`` for the caller to spread over its quarters."""
    def one(value: object) -> object:
        year = fiscal_year_of_text(value)
        return _BAD if year is None else f"FY{year}"

    years = _by_unique(raw, one, "str")
    if not years.bad.any():
        return years
    quarters = parse_quarter(raw.where(years.bad), fiscal_start, date_order)
    values = years.values.where(~years.bad, quarters.values)
    return Parsed(values.astype("str"), years.bad & quarters.bad, quarters.note)


def quarter_label(quarter: str, fiscal_start: int = 1) -> str:
    """How a canonical quarter is shown: ``2026-Q3``, or ``FY2027 Q1 (2026-Q3)`` when a fiscal
    year start other than January is set."""
    if fiscal_start == 1 or not isinstance(quarter, str):
        return quarter
    year, q = int(quarter[:4]), int(quarter[-1])
    first_month = (q - 1) * 3 + 1
    offset = (first_month - fiscal_start) % 12
    fiscal_q = offset // 3 + 1
    fiscal_year = year + (1 if first_month >= fiscal_start else 0)
    return f"FY{fiscal_year} Q{fiscal_q} ({quarter})"


# --- impact, urgency, priority, scores ------------------------------------------------------

_LEADING_NUMBER = re.compile(r"^\s*[Pp]?\s*(\d)(?:\s*[-–:.)]\s*\w.*|\.0)?\s*$")


def _ranked(words: dict[str, int], top: int) -> Callable[[object], object]:
    def one(value: object) -> object:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = int(value) if float(value).is_integer() else None
        else:
            text = str(value).strip()
            match = _LEADING_NUMBER.match(text)
            number = int(match[1]) if match else words.get(text.casefold())
        return number if number is not None and 1 <= number <= top else _BAD

    return one


def parse_level(raw: pd.Series, types: CellTypes | None = None) -> Parsed:
    """Impact / urgency: ``1``, ``2 - Medium``, ``High`` -> 1 (high) … 3 (low)."""
    return _by_unique(raw, _ranked(LEVEL_WORDS, 3), "Int64", types)


def parse_priority(raw: pd.Series, types: CellTypes | None = None) -> Parsed:
    """Priority: ``1``, ``P1``, ``1 - Critical``, ``Critical`` -> 1 … 5 (planning)."""
    return _by_unique(raw, _ranked(PRIORITY_WORDS, 5), "Int64", types)
