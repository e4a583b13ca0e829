"""The publish plan (merged findings, per-table change summary, ticks, identical refusal), the
one publish path, partial quarters, the data workbook, stripping ignored columns, and the
editors' passcodes and throttle."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.golden.cases import SERVICES, USAGE, xlsx
from valuelib import editors
from valuelib.datafiles import dataset_workbook, ignored_columns, strip_ignored_columns
from valuelib.ingest import load, load_paths
from valuelib.model import complete_quarters, latest_complete_quarter
from valuelib.publishing import PublishRefused, plan_publish, publish, same_data
from valuelib.store import StaleBaseError, Store, sqlite_url
from valuelib.summary import summarize
from valuelib.support import block_status
from valuelib.template import write_template
from valuelib.views import resolve_quarter

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = [ROOT / "sample_data" / "northwind_it_2024Q4-2026Q3.xlsx",
          ROOT / "sample_data" / "northwind_support_2024Q4-2026Q3.xlsx"]


@pytest.fixture(scope="module")
def sample():
    return load_paths([str(p) for p in SAMPLE])


@pytest.fixture
def store(tmp_path):
    with Store(sqlite_url(tmp_path / "valuelib.sqlite")) as store:
        yield store


def sample_files() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in SAMPLE]


def market_only(*offers: tuple) -> bytes:
    return xlsx(Market=[["service", "offer", "price_per_user_month"], *offers])


# ---- the plan ---------------------------------------------------------------------------------

def test_the_template_is_refused_and_nothing_is_published(sample, store):
    store.publish(sample, sample_files(), "Dana", base_version=None)
    template = load([("template.xlsx", write_template())])
    plan = plan_publish(sample, 1, template)
    assert {f.code for f in plan.errors} == {"TEMPLATE_EXAMPLE"}
    assert not plan.publishable
    assert "error" in plan.blocking_reason
    with pytest.raises(PublishRefused, match="error"):
        publish(store, plan, [("template.xlsx", b"x")], "Dana", confirmed=True)
    assert [v.id for v in store.versions()] == [1]


def test_an_identical_publish_is_refused(sample, store):
    store.publish(sample, sample_files(), "Dana", base_version=None)
    plan = plan_publish(store.load(1), 1, sample)
    assert plan.identical and not plan.publishable
    assert "changes nothing" in plan.blocking_reason
    with pytest.raises(PublishRefused, match="identical to version 1"):
        publish(store, plan, sample_files(), "Dana")
    assert len(store.versions()) == 1


def test_the_first_publish_is_never_identical(sample):
    plan = plan_publish(None, None, sample)
    assert plan.publishable and not plan.identical and plan.base_version is None


def test_replacing_reference_rows_needs_the_tick_and_names_what_goes(sample, store):
    store.publish(sample, sample_files(), "Dana", base_version=None)
    upload = market_only(["Email & Productivity", "Budget mail", 4])
    plan = plan_publish(store.load(1), 1, load([("market.xlsx", upload)]))
    market = next(t for t in plan.changes.tables if t.table == "market")
    assert (market.rows_before, market.rows_after, market.added) == (11, 1, ("Budget mail",))
    assert "Cloud CRM (Enterprise)" in market.removed
    line = market.line()
    assert line.startswith("Market replaced: 11 offers → 1 offer (removed: ")
    assert "added: Budget mail" in line
    assert any(r.startswith("Market: 11 published offers would be removed")
               for r in plan.confirmations)
    with pytest.raises(PublishRefused, match="explicit confirmation"):
        publish(store, plan, [("market.xlsx", upload)], "Dana")
    info = publish(store, plan, [("market.xlsx", upload)], "Dana", confirmed=True)
    assert info.id == 2 and info.row_counts["market"] == 1


def test_block_changes_are_named(sample):
    blocks = xlsx(Blocks=[["block", "purchased_hours", "start", "end"],
                          ["2026-27 support block", 800, "2026-07-01", "2027-06-30"]])
    plan = plan_publish(sample, 1, load([("blocks.xlsx", blocks)]))
    (change,) = plan.changes.blocks
    assert change.block == "2026-27 support block"
    assert ("hours", "1,000", "800") in change.changes
    lines = plan.changes.lines()
    assert "Block '2026-27 support block': hours 1,000 → 800." in lines
    assert any("removed: 2025-26 support block" in line for line in lines)
    assert any(r.startswith("Blocks: 1 published block would be removed (2025-26")
               for r in plan.confirmations)


def test_a_total_moving_by_more_than_half_needs_the_tick(sample):
    costs = xlsx(Costs=[["quarter", "service", "cost_pool", "amount"],
                        ["2026-Q3", "CRM", "Software", 1000]])
    plan = plan_publish(sample, 1, load([("q3.xlsx", costs)]))
    assert "2026-Q3 total cost moves by 100%: $796,153 → $1,000." in plan.confirmations
    assert any(line.startswith("2026-Q3 total cost: $") for line in plan.changes.lines())
    # CRM's Q3 cost per user collapses: listed among the per-user moves.
    assert any(p.service == "CRM" and p.quarter == "2026-Q3" for p in plan.changes.per_user)


def test_a_small_correction_needs_no_tick(sample):
    usage = sample["usage"]
    q3 = usage[usage["quarter"] == "2026-Q3"]
    rows = [["quarter", "service", "users", "business_unit"]] + [
        [r.quarter, r.service, r.users + (1 if i == 0 else 0), r.business_unit]
        for i, r in enumerate(q3.itertuples())]
    plan = plan_publish(sample, 1, load([("usage.xlsx", xlsx(Usage=rows))]))
    assert plan.publishable and not plan.confirmations, plan.confirmations
    assert plan.changes.lines()[0].startswith("Usage: replaces 2026-Q3")


def test_findings_are_those_of_the_merged_data(sample):
    # A usage correction naming services of the published catalogue, without a Services sheet.
    upload = xlsx(Usage=[USAGE[0], ["2026-Q3", "crm", 300, "Sales"]])
    incoming = load([("fix.xlsx", upload)])
    assert "SERVICE_NOT_IN_CATALOG" in {f.code for f in incoming.findings}
    plan = plan_publish(sample, 1, incoming)
    assert "SERVICE_NOT_IN_CATALOG" not in {f.code for f in plan.findings}
    assert set(plan.merged["usage"]["service"]) <= set(sample["services"]["service"])
    assert not plan.merged["services"]["in_catalog"].eq(False).any()
    # A service nobody has heard of is still reported on the merged data.
    unknown = load([("fix.xlsx", xlsx(Usage=[USAGE[0], ["2026-Q3", "Payroll 2", 3, "HR"]]))])
    assert "SERVICE_NOT_IN_CATALOG" in {f.code for f in plan_publish(sample, 1, unknown).findings}


def test_a_version_published_meanwhile_refuses_the_stale_plan(sample, store):
    store.publish(sample, sample_files(), "Dana", base_version=None)
    base = store.load(1)
    first = plan_publish(base, 1, load([("a.xlsx", market_only(["CRM", "Offer A", 9]))]))
    second = plan_publish(base, 1, load([("b.xlsx", xlsx(
        Usage=[USAGE[0], ["2026-Q3", "CRM", 1, "Sales"]]))]))
    publish(store, first, [("a.xlsx", b"a")], "Dana", confirmed=True)
    with pytest.raises(StaleBaseError, match="version 2 was published meanwhile"):
        publish(store, second, [("b.xlsx", b"b")], "Eve", confirmed=True)
    assert [v.id for v in store.versions()] == [2, 1]
    # Planned again on version 2, Eve's change keeps Dana's.
    again = plan_publish(store.load(2), 2, second.incoming)
    info = publish(store, again, [("b.xlsx", b"b")], "Eve", confirmed=True)
    latest = store.load(info.id)
    assert list(latest["market"]["offer"]) == ["Offer A"]
    assert 1 in set(latest["usage"]["users"])


# ---- partial quarters and block run-out ------------------------------------------------------

def test_a_quarter_with_costs_but_no_usage_is_partial_and_not_the_default(sample):
    costs = xlsx(Costs=[["quarter", "service", "cost_pool", "amount"],
                        ["2026-Q4", "CRM", "Software", 5000]])
    plan = plan_publish(sample, 1, load([("q4.xlsx", costs)]))
    partial = [f for f in plan.findings if f.code == "PARTIAL_QUARTER"]
    assert len(partial) == 1 and partial[0].value == "2026-Q4"
    assert "no usage and no support" in partial[0].message
    assert "executives would see" in partial[0].message
    assert complete_quarters(plan.merged)[-1] == "2026-Q3"
    assert latest_complete_quarter(plan.merged) == "2026-Q3"
    assert resolve_quarter(plan.merged) == "2026-Q3"
    assert resolve_quarter(plan.merged, "2026-Q4") == "2026-Q4"  # an explicit quarter stays
    assert summarize(plan.merged).quarter == "2026-Q3"
    assert "2026-Q4" in plan.merged.quarters


def test_no_run_out_date_after_a_block_ends():
    support = pd.DataFrame({
        "opened": pd.to_datetime(["2026-08-01", "2026-08-02"]), "hours": [1.0, 0.5],
        "block": ["B", "B"], "work_class": ["reactive", "reactive"],
    })
    for key in ("ticket", "resolved", "service", "business_unit", "work_type"):
        support[key] = pd.Series([None, None], dtype="str")
    from valuelib.ingest import empty_table
    base = empty_table("support")
    support = pd.concat([base, support], ignore_index=True)[list(base.columns)]
    blocks = pd.concat([empty_table("blocks"), pd.DataFrame({
        "block": ["B"], "purchased_hours": [500.0], "start": pd.to_datetime(["2026-01-01"]),
        "end": pd.to_datetime(["2026-12-31"])})], ignore_index=True)
    from valuelib.model import Dataset
    status = block_status(Dataset(tables={"support": support, "blocks": blocks}))
    row = status.iloc[0]
    assert pd.isna(row["runout_date"]) and pd.isna(row["runout_basis"])
    assert not row["runs_out_before_end"]


# ---- the data workbook and raw files ---------------------------------------------------------

def test_a_version_as_a_workbook_loads_back_to_the_same_figures(sample, store):
    store.publish(sample, sample_files(), "Dana", base_version=None)
    published = store.load(1)
    book = dataset_workbook(published)
    again = load([("version-1.xlsx", book)])
    assert not again.errors, again.errors[:3]
    assert summarize(again).to_dict() == summarize(published).to_dict()
    assert same_data(published, again)
    assert plan_publish(published, 1, again).identical
    sheets = load_workbook(io.BytesIO(book), read_only=True).sheetnames
    assert sheets[:3] == ["Settings", "Services", "Costs"]


CSV_EXPORT = ("number;opened_at;caller_email;caller_phone;description;priority\r\n"
              "INC1;2026-08-14 09:30;ana@example.com;+1 555 0100;Müller's laptop;3 - Moderate\r\n"
              "INC2;2026-08-15 10:00;bo@example.com;+1 555 0101;printer;2 - High\r\n")


def test_ignored_csv_columns_are_dropped_keeping_delimiter_and_encoding():
    data = CSV_EXPORT.encode("cp1252")
    dataset = load([("incidents.csv", data)])
    assert ignored_columns("incidents.csv", data, dataset) == {
        "incidents": ["caller_email", "caller_phone", "description"]}
    stripped = strip_ignored_columns("incidents.csv", data, dataset)
    text = stripped.decode("cp1252")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == ["number", "opened_at", "priority"]
    assert "example.com" not in text and "555" not in text and "\r\n" in text
    again = load([("incidents.csv", stripped)])
    assert same_data(dataset, again)


def test_ignored_workbook_columns_and_sheets_are_dropped():
    data = xlsx(Services=[[*SERVICES[0], "owner_phone"], [*SERVICES[1], "555-0100"],
                          [*SERVICES[2], "555-0101"]],
                Usage=USAGE, Staff_list=[["name", "salary"], ["Ana", 100]])
    dataset = load([("q3.xlsx", data)])
    stripped = strip_ignored_columns("q3.xlsx", data, dataset)
    book = load_workbook(io.BytesIO(stripped))
    assert book.sheetnames == ["Services", "Usage"]
    assert [c.value for c in book["Services"][1]] == SERVICES[0]
    assert same_data(dataset, load([("q3.xlsx", stripped)]))


def test_a_file_with_nothing_ignored_is_kept_byte_for_byte():
    data = xlsx(Services=SERVICES, Usage=USAGE)
    assert strip_ignored_columns("q3.xlsx", data, load([("q3.xlsx", data)])) is data


# ---- editors ---------------------------------------------------------------------------------

class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_wrong_passcodes_are_free_then_the_wait_doubles():
    clock = FakeClock()
    throttle = editors.PasscodeThrottle(clock=clock)
    waits = [throttle.record_failure("session-1") for _ in range(8)]
    assert waits == [0, 0, 0, 0, 0, 2, 4, 8]
    assert throttle.check("session-1") == 8
    assert throttle.check("session-2") == 0  # another session is not held up
    clock.now += 8
    assert throttle.check("session-1") == 0
    assert "wait 8 seconds" in throttle.message(8)


def test_the_window_forgets_old_failures_and_success_clears():
    clock = FakeClock()
    throttle = editors.PasscodeThrottle(clock=clock)
    for _ in range(5):
        throttle.record_failure("a")
    clock.now += editors.WINDOW_SECONDS + 1
    assert throttle.record_failure("a") == 0  # the five are older than ten minutes
    for _ in range(5):
        throttle.record_failure("b")
    throttle.record_success("b")
    assert throttle.failures("b") == 0 and throttle.record_failure("b") == 0


def test_the_wait_is_capped():
    throttle = editors.PasscodeThrottle(clock=FakeClock())
    waits = [throttle.record_failure("x") for _ in range(30)]
    assert max(waits) == editors.MAX_DELAY_SECONDS
    assert "5 minutes" in throttle.message(editors.MAX_DELAY_SECONDS)


def test_passcode_hashes_verify_and_refuse():
    hashed = editors.hash_passcode("correct horse", iterations=1000)
    assert hashed.startswith("pbkdf2_sha256$1000$")
    assert editors.verify_passcode("correct horse", hashed)
    assert not editors.verify_passcode("wrong", hashed)
    assert not editors.verify_passcode("correct horse", "not a hash")
    assert not editors.verify_passcode("", editors.hash_passcode("x", iterations=1000))


@pytest.mark.parametrize("raw", [
    '{"Dana Reyes": "HASH"}',
    "Dana Reyes=HASH;",
])
def test_editors_come_from_env_as_json_or_pairs(raw):
    hashed = editors.hash_passcode("dana-secret", iterations=1000)
    found = editors.configured_editors(env={"VALUELIB_EDITORS": raw.replace("HASH", hashed)})
    assert found == {"Dana Reyes": hashed}


def test_editors_come_from_secrets_when_the_env_is_silent():
    hashed = editors.hash_passcode("dana-secret", iterations=1000)
    assert editors.configured_editors({"editors": {"Dana Reyes": hashed}}, env={}) == {
        "Dana Reyes": hashed}
    with pytest.raises(ValueError, match="VALUELIB_EDITORS"):
        editors.configured_editors(env={"VALUELIB_EDITORS": "no equals sign"})


def test_check_editor_names_the_real_person():
    configured = {"Dana Reyes": editors.hash_passcode("dana-secret", iterations=1000)}
    ok = editors.check_editor("  dana   reyes ", "dana-secret", editors=configured)
    assert ok.ok and ok.editor == "Dana Reyes"
    wrong = editors.check_editor("Dana Reyes", "guess", editors=configured)
    unknown = editors.check_editor("Mallory", "dana-secret", editors=configured)
    assert not wrong.ok and not unknown.ok and wrong.message == unknown.message


def test_the_shared_passcode_still_works_without_editors():
    result = editors.check_editor("Sam", "shared-pass", shared="shared-pass")
    assert result.ok and result.editor == "Sam"
    assert not editors.check_editor("Sam", "nope", shared="shared-pass").ok
    off = editors.check_editor("Sam", "x")
    assert not off.ok and not off.configured
