"""The contract (valuelib.schema) is the one vocabulary: ingest's checks and costing read
allocate_by, rule names, cost pools and the rule tolerance the same way."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.golden.cases import SERVICES, USAGE, xlsx
from valuelib import cli, costing, market, portfolio, rules
from valuelib.costing import CostStatus
from valuelib.ingest import empty_table, load, load_paths
from valuelib.market import Verdict
from valuelib.model import Severity, findings_frame
from valuelib.portfolio import MarketPosition, Placement, Quadrant
from valuelib.schema import (
    ALLOCATION_WORDS,
    DATETIME,
    RULE_TOLERANCE,
    SOURCE_DTYPES,
    TABLE_DTYPES,
    TBM_COST_POOLS,
    AllocationMethod,
    Table,
    WorkClass,
    allocation_of,
    tables_markdown,
    word_keys,
)

ROOT = Path(__file__).resolve().parents[1]

COSTS_HEADER = ["quarter", "service", "cost_pool", "amount", "comparable", "allocate_by"]
RULES = [["rule", "service", "percent"], ["Network split", "CRM", 60],
         ["Network split", "Email & Productivity", 40]]
SUPPORT = [["ticket", "opened", "hours", "service"], ["T1", "2026-08-14", 2, "CRM"]]


def _load(allocate_by, rules=RULES):
    costs = [COSTS_HEADER, ["2026-Q3", "CRM", "Software", 100, "yes", None],
             ["2026-Q3", "Shared", "Telecom", 1000, "yes", allocate_by]]
    return load([("c.xlsx", xlsx(Services=SERVICES, Usage=USAGE, Costs=costs,
                                 Allocation_rules=rules, Support=SUPPORT))])


@pytest.mark.parametrize("written, method", [
    ("users", "users"), ("Users", "users"), ("user", "users"), ("seats", "users"),
    ("Seat", "users"), ("headcount", "users"), ("Head count", "users"), ("per user", "users"),
    ("Per-User", "users"), ("user count", "users"), ("usage", "users"),
    ("cost", "cost"), ("costs", "cost"), ("direct cost", "cost"), ("spend", "cost"),
    ("even", "even"), ("evenly", "even"), ("equal", "even"), ("Equally", "even"),
    ("tickets", "tickets"), ("ticket count", "tickets"), ("per ticket", "tickets"),
    ("hours", "hours"), ("hour", "hours"), ("support hours", "hours"), ("time", "hours"),
])
def test_method_words_mean_the_same_to_ingest_and_costing(written, method):
    dataset = _load(written)
    assert not [f for f in dataset.findings if f.code == "UNKNOWN_ALLOCATION"]
    rows = costing.allocations(dataset, include_direct=False)
    assert set(rows["method"]) == {method}
    assert rows["amount"].sum() == pytest.approx(1000)


@pytest.mark.parametrize("written", ["Network split", "network split", "Network-split",
                                     "NETWORK_SPLIT", " network  split ", "networksplit"])
def test_rule_names_match_the_same_in_ingest_and_costing(written):
    dataset = _load(written)
    assert not [f for f in dataset.findings if f.code == "UNKNOWN_ALLOCATION"]
    assert dataset["costs"]["allocate_by"].iloc[1] == "Network split"  # as the rule spells it
    rows = costing.allocations(dataset, include_direct=False)
    assert dict(zip(rows["service"], rows["amount"], strict=True)) == {
        "CRM": pytest.approx(600), "Email & Productivity": pytest.approx(400)}


@pytest.mark.parametrize("written", ["vibes", "split"])  # split: even? by what? never guessed
def test_an_unknown_word_is_warned_and_stays_unallocated_in_both(written):
    dataset = _load(written)
    (finding,) = [f for f in dataset.findings if f.code == "UNKNOWN_ALLOCATION"]
    assert "users, cost, even, tickets, hours" in finding.fix
    rows = costing.allocations(dataset, include_direct=False)
    assert rows["service"].tolist() == ["Unallocated"]
    assert f"no allocation rule named '{written}'" in rows["reason"].iloc[0]


def test_a_rule_named_like_a_method_word_is_the_rule():
    rules = [["rule", "service", "percent"], ["Equal", "CRM", 100]]
    dataset = _load("equal", rules)
    rows = costing.allocations(dataset, include_direct=False)
    assert rows["method"].tolist() == ["rule"] and rows["service"].tolist() == ["CRM"]


@pytest.mark.parametrize("percents, usable", [
    ((60, 40), True), ((60, 40 + RULE_TOLERANCE), True), ((60, 40 - RULE_TOLERANCE), True),
    ((60, 41), False), ((60, 30), False)])
def test_one_rule_tolerance_for_the_finding_and_the_allocation(percents, usable):
    rules = [["rule", "service", "percent"], ["Network split", "CRM", percents[0]],
             ["network-split", "Email & Productivity", percents[1]]]
    dataset = _load("Network split", rules)
    totals = [f for f in dataset.findings if f.code == "RULE_TOTAL"]
    rows = costing.allocations(dataset, include_direct=False)
    allocated = "Unallocated" not in set(rows["service"])
    assert (not totals, allocated) == (usable, usable)
    if totals:
        assert f"± {RULE_TOLERANCE:g}" in totals[0].message
        assert f"± {RULE_TOLERANCE:g}" in rows["reason"].iloc[0]


def test_the_pool_fix_text_lists_the_contract_pools():
    costs = [COSTS_HEADER, ["2026-Q3", "CRM", "Snacks", 40, "yes", None]]
    dataset = load([("c.xlsx", xlsx(Services=SERVICES, Costs=costs))])
    (finding,) = [f for f in dataset.findings if f.code == "UNKNOWN_COST_POOL"]
    assert ", ".join(TBM_COST_POOLS) in finding.fix


def test_every_method_word_is_its_own_key_and_names_a_method():
    for word, method in ALLOCATION_WORDS.items():
        assert word_keys(pd.Series([word], dtype="str")).iloc[0] == word
        assert method in set(AllocationMethod)


def test_allocation_of_says_method_or_rule_or_nothing():
    method, rule = allocation_of(pd.Series(["Seats", "Net split", None, "x"], dtype="str"),
                                 pd.Series(["net-split"], dtype="str"))
    assert method.tolist()[:2] == ["users", "rule"]
    assert method.isna().tolist()[2:] == [True, True]
    assert rule.tolist()[1] == "netsplit" and rule.isna().tolist() == [True, False, True, True]


# ---- the typed tables: TABLE_DTYPES and docs/tables.md come from the contract ---------------

def test_docs_tables_md_is_what_the_contract_writes():
    """Edit valuelib/schema.py, then run ``valuelib tables-doc docs/tables.md``."""
    committed = (ROOT / "docs" / "tables.md").read_text("utf-8")
    assert committed == tables_markdown()


def test_cli_writes_the_tables_doc(tmp_path):
    out = tmp_path / "tables.md"
    assert cli.main(["tables-doc", str(out)]) == 0
    assert out.read_text("utf-8") == tables_markdown()


DOC_TYPES = {"str": "str", "float": "float64", "Int64": "Int64", "boolean": "boolean",
             "datetime": DATETIME, "bool": "bool", "int": "int64"}


def test_the_doc_states_every_typed_column_and_its_dtype():
    tables = {}
    for key, columns in re.findall(r"^\| `(\w+)` \| (.+?) \|", tables_markdown(), flags=re.M):
        found = re.findall(r"(\w+) \((str|float|Int64|boolean|datetime|bool|int)\b", columns)
        tables[key] = {name: DOC_TYPES[kind] for name, kind in found}
    assert tables == TABLE_DTYPES


@pytest.fixture(scope="module")
def sample():
    return load_paths(sorted((ROOT / "sample_data").glob("*.xlsx")))


@pytest.mark.parametrize("key", sorted(TABLE_DTYPES))
def test_loaded_tables_have_the_contract_dtypes(sample, key):
    dataset = sample
    expected = {**TABLE_DTYPES[key], **SOURCE_DTYPES}
    assert {c: str(t) for c, t in dataset[key].dtypes.items()} == expected
    assert {c: str(t) for c, t in empty_table(key).dtypes.items()} == expected


# ---- enumerations: StrEnums that frames, JSON and comparisons see as their text -------------

@pytest.mark.parametrize("enum, values", [
    (Severity, ["error", "warning", "info"]),
    (Verdict, ["cheaper", "dearer", "same", "price on request", "no internal cost",
               "no offer price"]),
    (Quadrant, ["Invest", "Optimize", "Tolerate", "Replace or retire"]),
    (Placement, ["placed", "no value score", "no usage data", "no cost data"]),
    (CostStatus, ["ok", "no usage data", "no cost data", "unallocated"]),
    (MarketPosition, ["cheaper in-house", "no offer"]),
    (WorkClass, ["reactive", "proactive", "routine", "unclassified"]),
    (AllocationMethod, ["users", "cost", "even", "tickets", "hours"]),
    (Table, ["services", "costs", "allocation_rules", "usage", "support", "blocks", "market",
             "value", "offerings", "subscriptions", "needs", "budget", "work_types"]),
])
def test_enumerations_are_their_words(enum, values):
    assert list(enum) == values  # StrEnum: a member equals its text
    assert json.loads(json.dumps(list(enum))) == values


def test_the_rules_table_is_the_one_list_of_codes():
    assert [r.code for r in rules.RULES] == list(rules.Code)
    assert all(rules.severity(c) == r.severity for c, r in zip(rules.Code, rules.RULES,
                                                                strict=True))


def test_frames_and_json_hold_plain_text(sample, capsys):
    offers = market.compare_offers(sample)
    cvv = portfolio.cost_vs_value(sample)
    for frame, column, enum in [(offers, "verdict", Verdict), (cvv, "quadrant", Quadrant),
                                (cvv, "status", Placement),
                                (findings_frame(sample.findings), "severity", Severity)]:
        assert str(frame[column].dtype) == "str", column
        assert set(frame[column].dropna()) <= set(enum)
    assert cli.main(["check", "--json", str(ROOT / "tests/golden/bad_value.xlsx")]) == 1
    finding = json.loads(capsys.readouterr().out)["findings"][0]
    assert (finding["code"], finding["severity"]) == ("BAD_VALUE", "error")


def test_dataset_table_keys_are_plain_text(sample):
    """Streamlit coerces enum options: a selectbox over a mix of Table members and text fails."""
    assert {type(k) for k in sample.tables} == {str}
    assert {type(k) for k in TABLE_DTYPES} == {str}
    assert list(sample.tables) == list(Table)
