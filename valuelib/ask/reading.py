"""Reading a question: plain words -> a :class:`Query` (intent, services, business unit, time).

The reader is rules over words, not a model: deterministic, offline and explainable. In order:

1. money amounts (``$15``), block names, quarters (``2026-Q3``, ``Q3 2026``, ``FY26 Q3`` …)
   and time phrases (``last quarter``, ``in 2025``, ``this year``, ``now`` …) are taken out;
2. the rest is split into words; typos are corrected towards the words the reader knows
   (``emial`` -> ``email``) and plurals stemmed;
3. services are found: the organisation's own names first, then built-in synonyms
   (``outlook`` -> the service with "email" in its name), then distinctive words of a name;
   business units likewise;
4. the intent is the first rule whose signal words are present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pandas as pd

from ..frames import UNALLOCATED, shift_quarter, table
from ..model import Dataset
from ..parse import fiscal_to_calendar, quarter_from_text
from ..portfolio import Quadrant
from ..schema import COST_POOL_WORDS, normalize_name
from .words import (
    BUSINESS_UNIT_ALIASES,
    GENERIC_SERVICE_WORDS,
    MONEY_PATTERN,
    PHRASES,
    SERVICE_ALIASES,
    SIGNALS,
    STOPWORDS,
    clean,
    correct,
    number_word,
    phrase,
    stem,
    tokens,
)

# Ledger words that name a service or are too common to mean a cost pool here.
_NOT_POOLS = frozenset(phrase(
    "services service payroll benefits consulting consultants other network networking phones "
    "telephony mobile internet telecommunications maintenance change outsourcing outsource"))

# ---- time references ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeRef:
    """When a question is about, before it is resolved against the data.

    kind: ``default`` (nothing said: the latest quarter), ``latest``, ``previous``, ``back``
    (``value`` quarters before the latest), ``quarters`` (explicit canonical labels in
    ``labels``), ``qnum`` (a quarter number without a year), ``year`` (calendar year
    ``value``), ``fyear`` (fiscal year ``value``), ``this_year``, ``last_year``, ``trailing``
    (the last ``value`` quarters)."""

    kind: str = "default"
    value: int = 0
    labels: tuple[str, ...] = ()
    words: str = ""
    since: bool = False  # "since 2025": from then up to the latest quarter
    month: str | None = None  # "May 2026" -> "2026-05" (labels holds its quarter)
    page: bool = False  # not said in the question: the page's quarter filter


@dataclass(frozen=True)
class Period:
    """A time reference resolved against the quarters that have data.

    ``quarters``: the quarters with data it covers, oldest first (empty: none has data);
    ``label``: how an answer names it; ``missing``: asked-for quarters without data;
    ``single``: whether one quarter was asked for (or assumed)."""

    quarters: tuple[str, ...]
    label: str
    single: bool
    missing: tuple[str, ...] = ()
    assumed: bool = False
    words: str = ""

    @property
    def last(self) -> str | None:
        return self.quarters[-1] if self.quarters else None


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "last": 4}

_Y = r"(?:20)?\d{2}"
_QUARTER_PATTERNS = (
    # fiscal first: "FY26 Q3", "FY2026-Q3", "Q3 FY26"
    re.compile(r"\bfy\s*'?(?P<y>\d{4}|\d{2})\s*[-/ ]?\s*q(?P<q>[1-4])\b"),
    re.compile(r"\bq(?P<q>[1-4])\s*[-/ ,]?\s*fy\s*'?(?P<y>\d{4}|\d{2})\b"),
    # calendar: "2026-Q3", "2026 Q3", "2026Q3", "Q3 2026", "Q3-2026", "Q3 '26"
    re.compile(r"\b(?P<y>\d{4})\s*[-/ ]?\s*q(?P<q>[1-4])\b"),
    re.compile(r"\bq(?P<q>[1-4])\s*[-/ ,]?\s*(?:of\s+)?(?P<y>\d{4})\b"),
    re.compile(r"\bq(?P<q>[1-4])\s*[-/ ]?\s*'(?P<y>\d{2})\b"),
    # "third quarter of 2026", "3rd quarter 2025"
    re.compile(r"\b(?P<o>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?"
               r"(?:fy\s*)?(?P<y>\d{4})\b"),
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A month only with its year: "may" alone is far more often the verb.
_MONTH = re.compile(r"\b(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|"
                    r"july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|"
                    r"dec(?:ember)?)\.?\s+(?:of\s+)?(?P<y>20\d{2})\b(?!\s*[-/]?\s*q[1-4])")
_DATE = re.compile(r"\b(?P<y>20\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
_SLASH_DATE = re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>20\d{2})\b")
_YEAR_SPAN = re.compile(r"\b(?P<a>20\d{2})\s*[-/]\s*(?P<b>\d{2}|20\d{2})\b(?![-/]\d)")
_BARE_QUARTER = re.compile(
    r"\b(?:q(?P<q>[1-4])|(?P<o>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)\b")
_FISCAL_YEAR = re.compile(r"\bfy\s*'?(?P<y>\d{4}|\d{2})\b")
_YEAR = re.compile(r"\b(?P<y>20\d{2})\b")
_TRAILING = re.compile(
    r"\b(?:last|past|previous|trailing|recent)\s+(?P<n>\d+|two|three|four|five|six|seven|"
    r"eight|nine|ten|twelve)\s+(?P<u>quarters?|months?|years?)\b")
_RELATIVE = (
    # (pattern, kind, value); checked in order, each match removed from the text
    (re.compile(r"\b(?:over|in|during|for)?\s*(?:the\s+)?(?:last|past)\s+(?:12|twelve)\s+"
                r"months\b|\b(?:over|in|during)\s+the\s+(?:last|past)\s+year\b|"
                r"\b(?:the\s+)?past\s+year\b|\btrailing\s+(?:year|12\s+months)\b|\bttm\b"),
     "trailing", 4),
    (re.compile(r"\b(?:this|current|the\s+current)\s+(?:fiscal\s+)?year\b|"
                r"\byear\s+to\s+date\b|\bytd\b|\bso\s+far\s+this\s+year\b"), "this_year", 0),
    (re.compile(r"\b(?:last|previous|prior)\s+(?:fiscal\s+)?year\b"), "last_year", 0),
    (re.compile(r"\b(?:same\s+quarter\s+(?:last|a)\s+year|a\s+year\s+ago)\b"), "back", 4),
    (re.compile(r"\b(?:two|2)\s+quarters\s+ago\b|\bquarter\s+before\s+last\b"), "back", 2),
    (re.compile(r"\b(?:previous|prior|preceding)\s+quarter\b|\bquarter\s+before\b|"
                r"\bone\s+quarter\s+ago\b"), "previous", 0),
    (re.compile(r"\b(?:last|latest|this|current|most\s+recent|the\s+recent)\s+quarter\b|"
                r"\bright\s+now\b|\bat\s+the\s+moment\b|\bat\s+present\b|\bthese\s+days\b|"
                r"\bcurrently\b|\bnow\b|\btoday\b|\blatest\b|\bthe\s+moment\b"),
     "latest", 0),
)
# "since / from / compared with last quarter" compares with a quarter; it does not pick one
_SINCE = re.compile(r"\b(?:since|from|vs\.?|versus|compared\s+(?:to|with)|than)\s+"
                    r"(?:the\s+)?(?:last|previous|prior)\s+quarter\b")


def _fy(year: str) -> int:
    y = int(year)
    return y + 2000 if y < 100 else y


def _take_time(text: str, fiscal_start: int, day_first: bool = False
               ) -> tuple[str, TimeRef, bool]:
    """Remove time phrases from ``text``; return the rest, the time reference and whether the
    question compares with the previous quarter ("since last quarter"). "since <time>" makes
    the reference run from that time up to the latest quarter."""
    since = bool(_SINCE.search(text))
    text = _SINCE.sub(" ", text)
    rest, ref = _take_time_ref(text, fiscal_start, day_first)
    if ref.kind == "this_year" and re.search(r"\b(?:last|previous|prior)\s+year\b", text):
        return rest, TimeRef("last_year", words="last year", since=True), since
    starts = re.search(r"\b(?:since|from|than|vs\.?|versus|compared\s+(?:to|with))\s+"
                       r"(?:the\s+)?(?:start\s+of\s+|beginning\s+of\s+|end\s+of\s+)?(?:in\s+)?$",
                       text[:text.find(ref.words)] if ref.words and ref.words in text else "")
    if starts and ref.kind not in ("default", "latest", "trailing"):
        ref = replace(ref, since=True)
    return rest, ref, since


def _take_time_ref(text: str, fiscal_start: int, day_first: bool = False
                   ) -> tuple[str, TimeRef]:
    labels: list[str] = []
    words: list[str] = []
    month = _MONTH.search(text)
    if month:
        number = _MONTHS.index(month["m"][:3]) + 1
        return (text.replace(month[0], " "),
                TimeRef("quarters", labels=(f"{month['y']}-Q{(number - 1) // 3 + 1}",),
                        words=month[0], month=f"{month['y']}-{number:02d}"))
    for match in _DATE.finditer(text):
        month = int(match["m"])
        if 1 <= month <= 12:
            labels.append(f"{match['y']}-Q{(month - 1) // 3 + 1}")
            words.append(match[0])
    text = _DATE.sub(" ", text)
    for match in _SLASH_DATE.finditer(text):  # 8/14/2026, or 14/8/2026 where the day says so
        a, b = int(match["a"]), int(match["b"])
        month = b if (day_first and b <= 12) or a > 12 else a
        if 1 <= month <= 12:
            labels.append(f"{match['y']}-Q{(month - 1) // 3 + 1}")
            words.append(match[0])
    text = _SLASH_DATE.sub(" ", text)
    for pattern in _QUARTER_PATTERNS:
        for match in pattern.finditer(text):
            if "o" in match.groupdict() and match["o"]:
                label = f"{_fy(match['y'])}-Q{_ORDINALS[match['o']]}"
            else:
                label = quarter_from_text(match[0].replace(",", " ").replace("of", " ")
                                          .replace("'", "").strip(), fiscal_start)
                if label is None:  # "Q3 '26" and friends
                    label = f"{_fy(match['y'])}-Q{match['q']}"
            labels.append(label)
            words.append(match[0].strip())
        text = pattern.sub(" ", text)
    if labels:
        for bare in _BARE_QUARTER.finditer(text):  # "Q1 and Q2 2026": Q1 of the same year
            number = int(bare["q"]) if bare["q"] else _ORDINALS[bare["o"]]
            labels.append(f"{labels[0][:4]}-Q{number}")
            words.append(bare[0])
        text = _BARE_QUARTER.sub(" ", text)
        order = sorted(dict.fromkeys(labels))
        return text, TimeRef("quarters", labels=tuple(order), words=", ".join(words))
    trailing = _TRAILING.search(text)
    if trailing:
        n = number_word(trailing["n"]) or 1
        unit = trailing["u"]
        quarters = n if unit.startswith("quarter") else (
            max(1, round(n / 3)) if unit.startswith("month") else n * 4)
        text = text.replace(trailing[0], " ")
        return text, TimeRef("trailing", quarters, words=trailing[0])
    for pattern, kind, value in _RELATIVE:
        match = pattern.search(text)
        if match:
            text = pattern.sub(" ", text)
            rest_ref = _take_years(text, fiscal_start)
            if rest_ref is not None and kind == "latest":
                return rest_ref  # "in 2025 … now": the year wins
            return text, TimeRef(kind, value, words=match[0].strip())
    years = _take_years(text, fiscal_start)
    if years is not None:
        return years
    bare = _BARE_QUARTER.search(text)
    if bare:
        number = int(bare["q"]) if bare["q"] else _ORDINALS[bare["o"]]
        text = text.replace(bare[0], " ")
        return text, TimeRef("qnum", number, words=bare[0])
    return text, TimeRef()


def _take_years(text: str, fiscal_start: int) -> tuple[str, TimeRef] | None:
    fiscal = _FISCAL_YEAR.search(text)
    if fiscal:
        return text.replace(fiscal[0], " "), TimeRef("fyear", _fy(fiscal["y"]),
                                                      words=fiscal[0])
    year = _YEAR.search(text)
    if year:
        return _YEAR.sub(" ", text), TimeRef("year", int(year["y"]), words=year[0])
    return None


def resolve_period(ref: TimeRef, available: list[str], fiscal_start: int = 1) -> Period:
    """The quarters a time reference means, given the quarters that have data (sorted)."""
    period = _resolve_time(ref, available, fiscal_start)
    if ref.since and period.quarters:
        got = tuple(q for q in available if q >= period.quarters[0])
        label = f"since {period.label}" if len(got) == 1 else (
            f"{got[0]} to {got[-1]} (since {ref.words.strip()})")
        return Period(got, label, len(got) == 1, words=ref.words)
    return period


def _resolve_time(ref: TimeRef, available: list[str], fiscal_start: int) -> Period:
    from ..parse import quarter_label

    def show(q: str) -> str:
        return quarter_label(q, fiscal_start)

    if not available:
        return Period((), "no data", True, words=ref.words)
    latest = available[-1]
    have = set(available)
    if ref.kind in ("default", "latest"):
        return Period((latest,), show(latest), True, assumed=ref.kind == "default",
                      words=ref.words)
    if ref.kind in ("previous", "back"):
        if ref.kind == "previous":
            target = available[-2] if len(available) > 1 else None
        else:
            target = shift_quarter(latest, -ref.value)
        if target is None or target not in have:
            return Period((), target or "the previous quarter", True,
                          missing=(target,) if target else (), words=ref.words)
        return Period((target,), show(target), True, words=ref.words)
    if ref.kind == "quarters":
        got = tuple(q for q in ref.labels if q in have)
        missing = tuple(q for q in ref.labels if q not in have)
        label = " and ".join(show(q) for q in ref.labels)
        return Period(got, label, len(ref.labels) == 1, missing=missing, words=ref.words)
    if ref.kind == "qnum":
        matches = [q for q in available if q.endswith(f"Q{ref.value}")]
        if not matches:
            return Period((), f"Q{ref.value}", True, missing=(f"Q{ref.value}",),
                          words=ref.words)
        return Period((matches[-1],), show(matches[-1]), True, words=ref.words)
    if ref.kind == "trailing":
        wanted = [shift_quarter(latest, -i) for i in range(ref.value - 1, -1, -1)]
        got = tuple(q for q in wanted if q in have)
        label = (f"the last {ref.value} quarters ({show(got[0])} to {show(got[-1])})"
                 if len(got) > 1 else show(latest))
        return Period(got, label, ref.value == 1, words=ref.words)
    # years
    if ref.kind == "fyear":
        wanted = [fiscal_to_calendar(ref.value, k, fiscal_start) for k in range(1, 5)]
        name = f"FY{ref.value}"
    else:
        year = {"this_year": int(latest[:4]), "last_year": int(latest[:4]) - 1}.get(
            ref.kind, ref.value)
        wanted = [f"{year}-Q{k}" for k in range(1, 5)]
        name = str(year)
    got = tuple(q for q in wanted if q in have)
    if not got:
        return Period((), name, False, missing=tuple(wanted), words=ref.words)
    if len(got) == 4:
        label = f"{name} ({show(got[0])} to {show(got[-1])})"
    elif len(got) == 1:
        label = f"{name} (only {show(got[0])} has data)"
    else:
        label = f"{name} ({len(got)} quarters with data: {show(got[0])} to {show(got[-1])})"
    return Period(got, label, False, words=ref.words)


# ---- the dataset's names -----------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """Services, business units and blocks of one dataset, ready for matching."""

    services: tuple[str, ...]
    service_phrases: dict[str, tuple[str, ...]]
    word_index: dict[str, tuple[str, ...]]  # distinctive name word -> services
    aliases: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # phrase -> services
    units: dict[tuple[str, ...], str]  # business unit phrase -> unit name
    blocks: tuple[str, ...]
    vocabulary: frozenset[str]


def _distinct(values) -> list[str]:
    out: list[str] = []
    for v in values:
        if isinstance(v, str) and v.strip() and v not in out:
            out.append(v)
    return out


def dataset_names(dataset: Dataset) -> Names:
    services_table = table(dataset, "services")
    found = list(services_table["service"].dropna())
    for key in ("costs", "usage", "value", "market"):
        found += list(table(dataset, key)["service"].dropna().unique())
    services = [s for s in _distinct(found) if s != UNALLOCATED]
    service_phrases = {s: tuple(w for w in phrase(s) if w not in ("and", "the", "of"))
                       for s in services}
    units_found: list[str] = []
    for key in ("usage", "costs", "support", "subscriptions"):
        units_found += list(table(dataset, key)["business_unit"].dropna().unique())
    units: dict[tuple[str, ...], str] = {}
    for unit in _distinct(units_found):
        own = phrase(unit)
        if own:
            units.setdefault(own, unit)
        for alias in BUSINESS_UNIT_ALIASES.get(" ".join(own), ()):
            units.setdefault(phrase(alias), unit)
    unit_words = {p[0] for p in units if len(p) == 1}  # "sales" alone is a business unit

    index: dict[str, list[str]] = {}
    for service, words in service_phrases.items():
        for word in words:
            if word in GENERIC_SERVICE_WORDS or word in unit_words or len(word) < 2:
                continue
            index.setdefault(word, [])
            if service not in index[word]:
                index[word].append(service)

    aliases: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for typed, anchors in SERVICE_ALIASES:
        anchor_stems = [phrase(a) for a in anchors]
        matches = tuple(s for s, words in service_phrases.items()
                        if any(_starts(words, a) for a in anchor_stems))
        if matches:
            aliases += [(phrase(t), matches) for t in typed]
    blocks = tuple(_distinct(table(dataset, "blocks")["block"].dropna())
                   + _distinct(table(dataset, "support")["block"].dropna().unique()))
    vocabulary = set().union(*SIGNALS.values())
    vocabulary |= {w for p in PHRASES.values() for ph in p for w in ph}
    vocabulary |= {w for words in service_phrases.values() for w in words}
    vocabulary |= {w for p, _ in aliases for w in p}
    vocabulary |= {w for p in units for w in p}
    vocabulary |= {w for w in COST_POOL_WORDS if stem(w) not in _NOT_POOLS}
    vocabulary = {w for w in vocabulary if w.isalpha()}
    return Names(tuple(services), service_phrases, {k: tuple(v) for k, v in index.items()},
                 tuple(aliases), units, blocks, frozenset(vocabulary))


def _starts(words: tuple[str, ...], anchor: tuple[str, ...]) -> bool:
    """Whether ``anchor`` (one or more words) occurs in ``words``, its last word as a prefix."""
    n = len(anchor)
    for i in range(len(words) - n + 1):
        if words[i:i + n - 1] == anchor[:-1] and words[i + n - 1].startswith(anchor[-1]):
            return True
    return False


# ---- the query ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """Words of the question that name a service (or several equally)."""

    words: str
    services: tuple[str, ...]
    how: str  # "name", "synonym", "word"


@dataclass(frozen=True)
class Query:
    """A question as read: its intent and slots. ``services`` are the ones named without
    doubt, in the order named; ``ambiguous`` the words that name several services equally;
    ``unknown`` the words the reader does not know (a service it has never heard of?)."""

    text: str
    words: tuple[str, ...]
    intent: str
    services: tuple[str, ...] = ()
    ambiguous: tuple[Mention, ...] = ()
    mentions: tuple[Mention, ...] = ()
    unknown: tuple[str, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()
    time: TimeRef = field(default_factory=TimeRef)
    since_previous: bool = False
    per_user: bool = False
    period: str | None = None  # "month" / "year": the unit asked for
    total: bool = False
    whole_it: bool = False
    direction: str | None = None  # "most" / "least"
    top_n: int | None = None
    singular: bool = False
    plural: bool = False  # "services": about all of them
    measure: str | None = None  # "per_user" / "total" where the question says
    business_unit: str | None = None
    by_unit: bool = False
    price: float | None = None
    block: str | None = None
    quadrants: tuple[str, ...] = ()
    pools: tuple[str, ...] = ()  # TBM cost pools named ("*": all of them)
    satisfaction: bool = False
    trend: bool = False
    external: str | None = None  # "external" / "internal"
    focus: str | None = None  # what a support question asks for: "runout", "backlog" …


class _Words:
    """The question's words, their stems, and which are already used by a match."""

    def __init__(self, raw: list[str], fixed: list[str]):
        self.raw = raw
        self.stems = [stem(w) for w in fixed]
        self.used = [False] * len(fixed)

    def has(self, *phrases: tuple[str, ...]) -> bool:
        return any(self.find(p) >= 0 for p in phrases)

    def find(self, p: tuple[str, ...], free_only: bool = False) -> int:
        n = len(p)
        if not n:
            return -1
        for i in range(len(self.stems) - n + 1):
            if tuple(self.stems[i:i + n]) == p and (
                    not free_only or not any(self.used[i:i + n])):
                return i
        return -1

    def any_of(self, group: frozenset[str]) -> bool:
        return any(s in group for s in self.stems)

    def take(self, p: tuple[str, ...]) -> int:
        i = self.find(p, free_only=True)
        if i >= 0:
            for k in range(i, i + len(p)):
                self.used[k] = True
        return i


def _has_phrase(w: _Words, key: str) -> bool:
    return w.has(*PHRASES[key])


def _signal(w: _Words, key: str) -> bool:
    return w.any_of(SIGNALS[key])


_UNIT_NOUNS = frozenset(phrase("user seat head mailbox licence license capita"))


def _per_user(w: _Words, units: frozenset[str]) -> bool:
    nouns = SIGNALS["per_noun"] | units
    for i, s in enumerate(w.stems):
        if s in nouns and i > 0 and w.stems[i - 1] in ("per", "each", "a", "an", "every",
                                                       "one", "by"):
            return True
        if s in _UNIT_NOUNS | units and i + 1 < len(w.stems) and w.stems[i + 1] in (
                "cost", "price", "spend", "rate"):
            return True  # "user cost", "seat price"; but "staff costs" are labour
    return _has_phrase(w, "per_user")


def _period(w: _Words) -> str | None:
    """"month" / "year" when the question asks per month or per year ("monthly", "a year")."""
    for i, s in enumerate(w.stems):
        after = i > 0 and w.stems[i - 1] in ("per", "a", "each", "every", "the", "by", "one", "an")
        for unit in ("month", "year"):
            if s in SIGNALS[unit] and (s not in (unit, unit + "s") or after):
                return unit
    return None


def _is_it_noun(raw_text: str, raw: list[str]) -> bool:
    """"IT" the department, not "it" the pronoun: written in capitals, or after words that
    make it a noun (our IT, total IT), or before IT-ish nouns (IT spend, IT costs)."""
    if re.search(r"\bIT\b", raw_text):
        return True
    before = {"our", "the", "total", "all", "of", "on", "for", "in", "overall", "whole",
              "entire", "company", "whats"}
    after = {"spend", "spending", "budget", "costs", "department", "services", "bill",
             "expenditure", "expenses", "expense", "cost", "estate", "function"}
    for i, word in enumerate(raw):
        if word != "it":
            continue
        prev = raw[i - 1] if i else ""
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        if prev in before and prev not in ("of", "for", "on", "in"):
            return True
        if prev in ("of", "for", "on", "in") and nxt in after:
            return True
        if nxt in after and nxt != "cost":
            return True
        if nxt == "cost" and prev not in ("does", "did", "will", "would", "is", "do", "can"):
            return True
        if prev in ("on", "for") and not nxt:
            return True
    return False


def _match_names(w: _Words, names: Names) -> tuple[list[Mention], str | None]:
    """Services and the business unit the question names. Longest and most specific first,
    each match using up its words: the organisation's full service names, multi-word
    synonyms, business units (so "website sales" is a service but "sales" alone a business
    unit), one-word synonyms, then distinctive words of service names ("consult" is enough
    for "Program & Consulting")."""
    found: list[tuple[int, Mention]] = []

    def take(words: tuple[str, ...], services: tuple[str, ...], how: str) -> None:
        at = w.take(words)
        while at >= 0:
            found.append((at, Mention(" ".join(w.raw[at:at + len(words)]), services, how)))
            at = w.take(words)

    by_length = sorted(names.service_phrases.items(), key=lambda kv: -len(kv[1]))
    for service, words in by_length:
        take(phrase(service), (service,), "name")  # as written, "and" included
        take(words, (service,), "name")
    aliases = sorted(names.aliases, key=lambda a: -len(a[0]))
    for typed, services in aliases:
        if len(typed) > 1:
            take(typed, services, "synonym")
    unit = None
    for words, name in sorted(names.units.items(), key=lambda kv: -len(kv[0])):
        if w.take(words) >= 0 and unit is None:
            unit = name
    for typed, services in aliases:
        if len(typed) == 1:
            take(typed, services, "synonym")
    for i, s in enumerate(w.stems):
        if w.used[i]:
            continue
        services = names.word_index.get(s)
        if services is None and len(s) >= 5 and s not in STOPWORDS:
            hits = sorted({sv for word, svs in names.word_index.items()
                           if word.startswith(s) for sv in svs})
            services = tuple(hits) or None
        if services:
            w.used[i] = True
            found.append((i, Mention(w.raw[i], tuple(services), "word")))
    found.sort(key=lambda m: m[0])
    return [m for _, m in found], unit


def _resolve(mentions: list[Mention]) -> tuple[tuple[str, ...], tuple[Mention, ...]]:
    sure: list[str] = []
    for m in mentions:
        if len(m.services) == 1 and m.services[0] not in sure:
            sure.append(m.services[0])
    ambiguous = []
    for m in mentions:
        if len(m.services) > 1 and not set(m.services) & set(sure):
            ambiguous.append(m)
    return tuple(sure), tuple(ambiguous)


_QUADRANT_WORDS = (
    (Quadrant.REPLACE, "retire retiring retired retirement replace replacing replaced "
                       "decommission sunset kill"),
    (Quadrant.OPTIMIZE, "optimise optimize optimising optimizing optimisation optimization"),
    (Quadrant.INVEST, "invest investing investment"),
    (Quadrant.TOLERATE, "tolerate tolerated"))


def _quadrants(w: _Words) -> tuple[str, ...]:
    return tuple(name for name, words in _QUADRANT_WORDS if w.any_of(frozenset(phrase(words))))


def _take_money(text: str) -> tuple[str, float | None]:
    """``$15`` / ``15 dollars`` -> 15.0, replaced by a ``$`` word (a money question)."""
    money = MONEY_PATTERN.search(text)
    if not money:
        return text, None
    return MONEY_PATTERN.sub(" $ ", text), float((money["a"] or money["b"]).replace(",", ""))


PREVIOUS_BLOCK = "<previous block>"
_OLDER_BLOCK = re.compile(r"\b(?:previous|prior|last|old|older|earlier|former|expired)\s+"
                          r"(?:support\s+)?(?:block|bundle|contract)\b")


def _take_block(text: str, names: Names) -> tuple[str, str | None]:
    """A block of hours named by its years ("the 2025-26 block"), in full, or by age ("the
    previous block"). Other year spans are dropped so they are not read as years."""
    block = None
    older = _OLDER_BLOCK.search(text)
    if older and len(names.blocks) > 1:
        return text.replace(older[0], " block "), PREVIOUS_BLOCK
    for name in names.blocks:
        span = _YEAR_SPAN.search(clean(name))
        key = span[0] if span else None
        hit = re.search(re.escape(key).replace(r"\-", "[-/ ]?"), text) if key else None
        if hit:
            block, text = name, text[:hit.start()] + " " + text[hit.end():]
            break
        if clean(name) in text:
            block, text = name, text.replace(clean(name), " ")
            break
    return _YEAR_SPAN.sub(lambda m: " " if block is None else m[0], text), block


_LAST_MONTH = re.compile(r"\b(?:(?P<p>previous|prior)|last|this|latest|current|past)\s+month\b")


def _take_month_ago(text: str, time: TimeRef, dataset: Dataset) -> tuple[str, TimeRef]:
    """"last month": the latest month with support rows (support is dated by day), else the
    last month of the latest quarter; "previous month" the one before."""
    said = _LAST_MONTH.search(text)
    if said is None or time.kind != "default":
        return text, time
    opened = table(dataset, "support")["opened"].dropna()
    quarters = dataset.quarters
    if len(opened):
        last = pd.Timestamp(opened.max()).to_period("M")
    elif quarters:
        last = pd.Period(f"{quarters[-1][:4]}-{int(quarters[-1][-1]) * 3:02d}", "M")
    else:
        return text, time
    month = last - 1 if said["p"] else last
    return text.replace(said[0], " "), TimeRef(
        "quarters", labels=(f"{month.year}-Q{month.quarter}",), words=said[0],
        month=f"{month.year}-{month.month:02d}")


_TOP_N = re.compile(
    r"\b(?:top|bottom|first|last)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b"
    r"|\b(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:most|least|cheapest|"
    r"biggest|largest|priciest|highest|lowest|smallest|costliest|dearest)\b")


def _corrected(raw: list[str], vocabulary: frozenset[str]
               ) -> tuple[list[str], list[tuple[str, str]]]:
    """Each word, or the vocabulary word it is a typo of; and the corrections made."""
    fixed: list[str] = []
    corrections: list[tuple[str, str]] = []
    for word in raw:
        s = stem(word)
        if word in STOPWORDS or s in vocabulary or word in vocabulary or not word.isalpha():
            fixed.append(word)
            continue
        better = correct(s, vocabulary) or correct(word, vocabulary)
        if better:
            corrections.append((word, better))
        fixed.append(better or word)
    return fixed, corrections


def understand(question: str, dataset: Dataset, names: Names | None = None) -> Query:
    """Read ``question`` against ``dataset``'s services, business units and blocks."""
    names = names or dataset_names(dataset)
    text, price = _take_money(clean(question))
    text, block = _take_block(text, names)
    text, time, since = _take_time(text, dataset.settings.fiscal_year_start,
                                   dataset.settings.date_order == "DMY")
    text, time = _take_month_ago(text, time, dataset)
    top = _TOP_N.search(text)
    top_n = number_word(top[1] or top[2]) if top else None

    raw = tokens(text)
    fixed, corrections = _corrected(raw, names.vocabulary)
    w = _Words(raw, fixed)
    mentions, unit = _match_names(w, names)
    services, ambiguous = _resolve(mentions)
    known = names.vocabulary | STOPWORDS | {"$"}
    unknown = tuple(raw[i] for i, s in enumerate(w.stems)
                    if not w.used[i] and s not in known and fixed[i] not in known
                    and not s.isdigit() and len(s) > 2)

    catalogue_units = frozenset(stem(str(u).casefold()) for u in
                                table(dataset, "services")["unit"].dropna().unique())
    per_user = _per_user(w, catalogue_units)
    period = _period(w)
    whole_it = _is_it_noun(question, tokens(clean(question))) or (
        _has_phrase(w, "total") and not services)
    total = _signal(w, "total") or _has_phrase(w, "total")
    most, least = _signal(w, "most"), _signal(w, "least")
    if w.has(phrase("least expensive"), phrase("least costly")):
        most, least = False, True
    direction = "least" if least and not most else "most" if most else None
    if w.has(phrase("most expensive")) or w.has(phrase("cost the most")) or _has_phrase(
            w, "spend_most"):
        direction = "most"
    plural_services = any(r in ("services", "systems", "ones", "applications", "apps")
                          for r in raw) or (top_n or 0) > 1
    plural_services = plural_services or _has_phrase(w, "all_services")
    singular = not plural_services and any(r in ("service", "system", "one", "application",
                                                 "app") for r in raw)
    pools = tuple(dict.fromkeys(
        COST_POOL_WORDS[normalize_name(r)] for r in raw
        if normalize_name(r) in COST_POOL_WORDS and stem(r) not in _NOT_POOLS))
    if w.has(phrase("cost pool"), phrase("cost pools"), phrase("pool")) and not pools:
        pools = ("*",)  # every pool
    external = None
    if w.has(phrase("external"), phrase("customer facing"), phrase("external facing")):
        external = "external"
    elif w.has(phrase("internal")):
        external = "internal"

    query = {
        "text": question, "words": tuple(fixed), "services": services, "ambiguous": ambiguous,
        "mentions": tuple(mentions), "unknown": unknown, "corrections": tuple(corrections),
        "time": time, "since_previous": since, "per_user": per_user, "period": period,
        "total": total, "whole_it": bool(whole_it), "direction": direction, "top_n": top_n,
        "singular": singular, "plural": plural_services, "business_unit": unit,
        "price": price, "block": block, "quadrants": _quadrants(w), "pools": pools,
        "satisfaction": _signal(w, "satisfaction"), "external": external,
        "by_unit": _has_phrase(w, "showback") or w.any_of(frozenset(phrase(
            "department departments division divisions bu bus showback chargeback"))),
    }
    query["measure"] = ("per_user" if per_user else "total"
                        if total or _has_phrase(w, "spend_most")
                        or w.any_of(frozenset(phrase("spend spent spending budget")))
                        else None)
    intent, extra = _intent(w, query, names)
    query.update(extra)
    return Query(intent=intent, **query)


def _intent(w: _Words, q: dict, names: Names) -> tuple[str, dict]:
    """The first rule that fits; ``extra`` carries what the rule learnt (trend, focus)."""
    services = q["services"] or tuple(s for m in q["ambiguous"] for s in m.services)
    cost = _signal(w, "cost") or _has_phrase(w, "how_much") or q["price"] is not None
    trend = (_signal(w, "trend") or _has_phrase(w, "trend")
             or (q["time"].kind in ("trailing", "year", "fyear", "this_year", "last_year")
                 and w.has(phrase("since"))))
    extra: dict = {"trend": bool(trend)}
    hours = _signal(w, "hours")

    # support: blocks of hours, priorities, the work mix, the service desk
    if (_signal(w, "block") or _has_phrase(w, "block") or q["block"]
            or (hours and (_signal(w, "left") or w.has(phrase("how many"))))):
        focus = "runout" if w.has(phrase("when"), phrase("run out"), phrase("runs out"),
                                  phrase("running out"), phrase("last")) else "hours"
        extra["focus"] = focus
        return "block", extra
    p1 = _has_phrase(w, "p1") or w.has(phrase("p1"), phrase("critical"), phrase("sev1"))
    resolve = w.has(phrase("how long"), phrase("resolve"), phrase("resolution"),
                    phrase("resolved"), phrase("time to fix"), phrase("time to resolve"))
    if resolve and (_signal(w, "ticket") or _signal(w, "priority") or _has_phrase(w, "p1")):
        extra["focus"] = "resolve_p1" if p1 else "resolve"
        return "service_desk", extra  # "how long do P1 tickets take to resolve"
    if _signal(w, "priority") or _has_phrase(w, "p1") or _has_phrase(w, "mismatch"):
        if _signal(w, "mismatch") or _has_phrase(w, "mismatch"):
            return "priority_mismatches", extra
        return "p1_share", extra
    if _signal(w, "proactive") or _has_phrase(w, "proactive") or w.has(phrase("routine")):
        extra["focus"] = ("routine" if w.has(phrase("routine")) else
                          "reactive" if _has_phrase(w, "reactive_words") and not w.has(
                              phrase("proactive")) else "proactive")
        return "proactive", extra
    if (_signal(w, "ticket") or _has_phrase(w, "ticket")) and not cost:
        if w.has(phrase("reopen"), phrase("reopened"), phrase("reopens"),
                 phrase("reopening")):
            extra["focus"] = "reopen_rate" if w.has(phrase("rate"), phrase("share"),
                                                    phrase("percent"), phrase("percentage"),
                                                    phrase("how often")) else "reopened"
        elif w.has(phrase("backlog"), phrase("open tickets"), phrase("still open")):
            extra["focus"] = "backlog"
        elif w.has(phrase("per user"), phrase("per person"), phrase("per head")):
            extra["focus"] = "per_user"
        else:
            extra["focus"] = "tickets"
        return "service_desk", extra

    # what changed: for everything, or (with a service) that service's trend
    changed = _has_phrase(w, "changes") or q["since_previous"]
    if changed and not services and not q["business_unit"]:
        return "changes", extra
    if changed and services:
        extra["trend"] = True
        return "trend", extra

    # business units
    if q["business_unit"] and (cost or _signal(w, "showback") or w.has(
            phrase("use"), phrase("consume"), phrase("share"), phrase("cost"))):
        return "showback", extra
    if q["by_unit"] and (cost or _signal(w, "showback") or w.has(phrase("most"))):
        return "showback", extra

    # cost pools: "how much do we spend on software licences", "biggest cost pools"
    if q["pools"] and not services and not q["per_user"] and not q["business_unit"] and (
            cost or q["direction"] or w.has(phrase("pool"))):
        return "cost_pools", extra
    # a price with a service is an offer: "what if we moved email to the $22 plan"
    if q["price"] is not None and services and not q["business_unit"]:
        return "market", extra
    # "is CRM cheaper than last year": against its own past, not the market
    if services and q["time"].kind not in ("default", "latest") and not _signal(
            w, "market") and w.has(phrase("cheaper"), phrase("dearer"), phrase("more expensive"),
                                   phrase("less expensive"), phrase("pricier")):
        extra["trend"] = True
        return "trend", extra

    # value for money, the market, value
    if (_signal(w, "quadrant") or _has_phrase(w, "value_for_money")) and not (
            _signal(w, "market") and services and not _has_phrase(w, "value_for_money")):
        return "quadrant", extra
    market = (_signal(w, "market") or _has_phrase(w, "market")
              or (q["price"] is not None and (_signal(w, "compare") or w.has(
                  phrase("offer"), phrase("price"), phrase("cheaper"), phrase("dearer"))))
              or (_signal(w, "compare") and (services or cost))
              or (services and w.has(phrase("cheaper"), phrase("dearer"))
                  and not q["direction"]))
    ranged = (q["time"].kind == "quarters" and len(q["time"].labels) > 1) or q["time"].since
    if ranged and (services or q["whole_it"] or cost) and not _signal(w, "market"):
        extra["trend"] = True
        return "trend", extra
    if (_signal(w, "compare") and len(q["services"]) > 1 and not _signal(w, "market")
            and not _has_phrase(w, "market")):
        return ("cost_per_user" if q["per_user"] or q["measure"] != "total"
                else "total_cost"), extra
    if market and not (q["direction"] and not services and not _signal(w, "market")):
        return "market", extra
    if _signal(w, "value") and not w.has(phrase("value proposition")):
        return "value", extra

    if services and (_signal(w, "explain") or _has_phrase(w, "explain")) and (
            cost or w.has(phrase("why"))):
        return "explain", extra

    if q["direction"] and not cost and not services and (
            _signal(w, "users") or w.has(phrase("people"))):
        return "users", extra  # "which service has the most users"

    # rankings, trends, cost
    if q["direction"] and (cost or not services or q["per_user"] or q["singular"]
                           or w.has(phrase("which"))):
        if trend and services and not w.has(phrase("which")):
            return "trend", extra
        return "ranking", extra
    if cost and not services and not trend and (
            q["plural"] or _signal(w, "rank") or w.has(phrase("which"))) and not q["business_unit"]:
        return "ranking", extra  # "list services by cost per user": all of them, dearest first
    if trend and (cost or services or q["whole_it"] or w.has(phrase("spend"))):
        return "trend", extra
    if _has_phrase(w, "users") or (w.has(phrase("how many")) and (
            _signal(w, "users") or w.has(phrase("use"), phrase("people")))):
        return "users", extra
    if cost or q["per_user"] or q["period"]:
        if q["per_user"]:
            return "cost_per_user", extra
        if q["total"] or q["whole_it"] or q["measure"] == "total" or q["period"]:
            return "total_cost", extra  # "what does CRM cost a year": its annual cost
        return "cost_per_user", extra
    if q["whole_it"] and w.has(phrase("spend")):
        return "total_cost", extra
    return "unknown", extra
