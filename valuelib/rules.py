"""Every validation rule: a stable code, its severity and a human title.

Codes never change meaning once published (saved findings and tests refer to them). The docs
page and the golden-file test enumerate this table. The table is the one list of codes:
:class:`Code` (a ``StrEnum``, so a code compares equal to its text) is generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import Severity

ERROR, WARNING, INFO = Severity  # short names for the table below


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str


_TABLE: tuple[Rule, ...] = (
    # files
    Rule("FILE_EMPTY", ERROR, "The file is empty"),
    Rule("FILE_UNREADABLE", ERROR, "Not a readable spreadsheet (damaged, truncated or another "
                                   "format renamed)"),
    Rule("FILE_ENCRYPTED", ERROR, "The workbook is password-protected"),
    Rule("FILE_UNSAFE", ERROR, "The workbook uses XML tricks Excel never writes"),
    Rule("FILE_TOO_LARGE", ERROR, "A sheet inflates past a sane size"),
    Rule("NO_SHEETS_RECOGNISED", ERROR, "No sheet or table in the file is recognised"),
    Rule("TEMPLATE_EXAMPLE", ERROR, "A row is the template's example row, not real data"),
    # sheets and columns
    Rule("SHEET_IGNORED", WARNING, "An unknown sheet was ignored"),
    Rule("HEADER_NOT_FOUND", ERROR, "No header row in the first 10 rows of a known sheet"),
    Rule("MISSING_COLUMN", ERROR, "A required column is missing"),
    Rule("DUPLICATE_COLUMN", ERROR, "Two columns map to the same field"),
    Rule("COLUMN_SHADOWED", WARNING, "A second column for the same field was set aside"),
    Rule("UNKNOWN_COLUMN", WARNING, "An unknown column was kept aside"),
    Rule("TOTAL_ROW_DROPPED", WARNING, "A total row was dropped (it would double-count)"),
    # cells
    Rule("MISSING_VALUE", ERROR, "A required cell is blank"),
    Rule("BAD_VALUE", ERROR, "A cell in a required column cannot be read"),
    Rule("BAD_OPTIONAL_VALUE", WARNING, "A cell in an optional column cannot be read (left "
                                        "empty)"),
    Rule("NEGATIVE_VALUE", ERROR, "A count or price is negative"),
    Rule("OUT_OF_RANGE", ERROR, "A score is outside 1–5 or a percent outside 0–100"),
    Rule("NEGATIVE_AMOUNT", WARNING, "A negative amount (read as a credit)"),
    Rule("MIXED_CURRENCY", ERROR, "An amount in a currency other than the reporting one"),
    Rule("AMBIGUOUS_DATE_ORDER", WARNING, "Every date reads both day- and month-first"),
    Rule("AMBIGUOUS_NUMBER_FORMAT", WARNING, "A column's numbers read with a decimal mark or a "
                                             "thousands separator; the Settings decided"),
    Rule("AMBIGUOUS_PERCENT", WARNING, "A fraction or 1–5 score inside a column of percents "
                                       "(read as that many percent)"),
    Rule("SCALED_COLUMN", INFO, "A scale in the header ($M, thousands) multiplied the column"),
    Rule("UNKNOWN_UNIT", ERROR, "A unit in a header that cannot be interpreted"),
    Rule("PRICE_ON_REQUEST", WARNING, "A market offer priced on request (kept, not compared)"),
    # meaning across sheets
    Rule("UNKNOWN_COST_POOL", WARNING, "A cost pool that maps to no TBM pool (counted as "
                                       "Other)"),
    Rule("UNKNOWN_WORK_TYPE", WARNING, "A work type that maps to no class (unclassified)"),
    Rule("UNKNOWN_ALLOCATION", WARNING, "A shared line's allocation is not a method or rule"),
    Rule("RULE_TOTAL", ERROR, "An allocation rule's percents do not total 100"),
    Rule("SERVICE_NOT_IN_CATALOG", WARNING, "A service is missing from the Services sheet"),
    Rule("PARTIAL_QUARTER", WARNING, "A quarter has costs but no usage (or no support)"),
    Rule("SETTING_INVALID", WARNING, "A setting is unknown or its value cannot be used"),
    Rule("EVENT_LOG_COLLAPSED", INFO, "An event log was collapsed to one row per ticket"),
    Rule("RESOLVED_FROM_CLOSED", INFO, "Ended tickets without a resolved date took their "
                                       "closed date as resolved"),
    Rule("PERIODS_DO_NOT_OVERLAP", WARNING, "Support and cost data cover different quarters"),
    # budget (issue 17)
    Rule("BUDGET_SPREAD", INFO, "A fiscal-year budget row was spread evenly over its quarters"),
    Rule("BUDGET_KIND_UNKNOWN", WARNING, "A budget row's kind is neither budget nor forecast "
                                         "(left out of both)"),
    Rule("BUDGET_SERVICE_UNKNOWN", WARNING, "A budget names a service missing from the "
                                            "catalogue (kept, compared with no cost)"),
)

# Code.FILE_EMPTY == "FILE_EMPTY": one member per rule, in the table's order.
Code = StrEnum("Code", [(rule.code, rule.code) for rule in _TABLE], module=__name__)
Code.__doc__ = "Every finding code: the rules table's codes, as an enumeration."

RULES: tuple[Rule, ...] = tuple(Rule(Code(r.code), r.severity, r.title) for r in _TABLE)
RULES_BY_CODE: dict[Code, Rule] = {rule.code: rule for rule in RULES}


def severity(code: str) -> Severity:
    """The severity of a finding code (a KeyError for a code with no rule: add it here)."""
    return RULES_BY_CODE[code].severity
