"""The command line: check, template and summary, as a person would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden.cases import HERE as GOLDEN
from valuelib.__main__ import main
from valuelib.ingest import load_paths

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = [str(p) for p in sorted((ROOT / "sample_data").glob("*.xlsx"))]
SERVICENOW = str(ROOT.parent / "shared/data/servicenow_incident_log_sample.csv")


def test_check_passes_the_sample_with_counts(capsys):
    assert main(["check", *SAMPLE]) == 0
    out = capsys.readouterr().out
    assert "support" in out and "7,493 rows" in out
    assert "0 error(s)" in out


def test_check_reports_an_event_log_and_its_tickets(capsys):
    assert main(["check", SERVICENOW]) == 0
    assert "2,040 events became 300 tickets" in capsys.readouterr().out


@pytest.mark.parametrize("golden, code", [("bad_value.xlsx", "BAD_VALUE"),
                                          ("encrypted.xlsx", "FILE_ENCRYPTED")])
def test_check_exits_1_on_errors_and_lists_them(capsys, golden, code):
    assert main(["check", str(GOLDEN / golden)]) == 1
    assert code in capsys.readouterr().out


def test_check_json_is_machine_readable(capsys):
    assert main(["check", "--json", str(GOLDEN / "bad_value.xlsx")]) == 1
    report = json.loads(capsys.readouterr().out)
    (finding,) = report["findings"]
    assert (finding["code"], finding["sheet"], finding["row"], finding["column"]) == \
        ("BAD_VALUE", "Usage", 3, "users")


def test_check_a_missing_file_says_so(capsys):
    assert main(["check", "nope.xlsx"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_template_round_trips_through_check(tmp_path, capsys):
    out = tmp_path / "template.xlsx"
    assert main(["template", str(out)]) == 0
    dataset = load_paths([out])
    # Every example row reads, and every one is flagged: uploading it would publish fiction.
    assert {f.code for f in dataset.findings} == {"TEMPLATE_EXAMPLE"}
    assert {f.sheet for f in dataset.findings} >= {"Services", "Costs", "Usage", "Market",
                                                   "Blocks", "Support", "Value"}
    assert all(len(dataset[key]) == 1 for key in ("services", "costs", "usage", "support",
                                                   "market", "value", "blocks"))


def test_summary_shows_email_against_the_15_dollar_offer(capsys):
    assert main(["summary", *SAMPLE, "--quarter", "2026-Q3"]) == 0
    out = capsys.readouterr().out
    email = next(line for line in out.splitlines() if line.startswith("Email & Productivity"))
    assert "$15.00" in email and "$12.58" in email
    assert "Rising" in out


def test_summary_json(capsys):
    assert main(["summary", *SAMPLE, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["quarter"] == "2026-Q3"
    shares = [row["proactive_share_pct"] for row in report["proactive"]]
    assert shares == sorted(shares)  # the sample's proactive share rises every quarter


def test_summary_refuses_a_quarter_without_data(capsys):
    assert main(["summary", *SAMPLE, "--quarter", "2019-Q1"]) == 2
    assert "quarters with data" in capsys.readouterr().err
