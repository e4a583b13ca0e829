"""The command line: check, template and summary, as a person would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden.cases import HERE as GOLDEN
from valuelib.cli import main
from valuelib.ingest import load_paths

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = [str(p) for p in sorted((ROOT / "sample_data").glob("*.xlsx"))]
SERVICENOW = str(ROOT / "tests/data/servicenow_incident_log_sample.csv")


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


def test_summary_json_carries_the_service_desk(capsys):
    assert main(["summary", *SAMPLE, "--json"]) == 0
    desk = json.loads(capsys.readouterr().out)["service_desk"]
    assert desk["quarter"] == "2026-Q3"
    assert set(desk) == {
        "quarter", "tickets", "tickets_per_user_per_month", "backlog_at_quarter_end",
        "reopened_tickets", "reopen_rate_pct", "median_hours_to_resolve",
        "median_hours_to_resolve_p1", "p1_share_pct", "priority_mismatches",
        "satisfaction_pct", "incomplete"}
    assert desk["tickets"] > 0 and desk["satisfaction_pct"] > 0


def test_summary_of_a_ticket_log_alone(capsys):
    assert main(["summary", SERVICENOW, "--json"]) == 0
    desk = json.loads(capsys.readouterr().out)["service_desk"]
    assert (desk["quarter"], desk["tickets"], desk["reopened_tickets"]) == ("2016-Q1", 300, 4)
    assert main(["summary", SERVICENOW]) == 0
    out = capsys.readouterr().out
    assert "No cost data loaded." in out and "Service desk, 2016-Q1:" in out
    assert "4 (1.3%)" in out and "n/a" not in out and "nan" not in out


def test_summary_refuses_a_quarter_without_data(capsys):
    assert main(["summary", *SAMPLE, "--quarter", "2019-Q1"]) == 2
    assert "quarters with data" in capsys.readouterr().err


# ---- publish, history, rollback, verify ----------------------------------------------------

@pytest.fixture
def cli_store(tmp_path, monkeypatch):
    """An empty SQLite store for the publishing commands, the shared passcode set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VALUELIB_DATABASE_URL", raising=False)
    monkeypatch.delenv("VALUELIB_EDITORS", raising=False)
    monkeypatch.setenv("VALUELIB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VALUELIB_EDITOR_PASSWORD", "pass-1234")
    return tmp_path


def _stdin(monkeypatch, text: str) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_publish_history_verify_and_rollback(cli_store, capsys, monkeypatch):
    assert main(["publish", *SAMPLE, "--editor", "Dana", "--note", "Q3", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "What changes (against nothing published yet):" in out
    assert "Published Version 1" in out
    # The same files again change nothing: refused.
    assert main(["publish", *SAMPLE, "--editor", "Dana", "--yes"]) == 1
    assert "changes nothing" in capsys.readouterr().err
    assert main(["history", "--json"]) == 0
    (version,) = json.loads(capsys.readouterr().out)
    assert (version["id"], version["editor"], version["note"]) == (1, "Dana", "Q3")
    assert version["quarters"][-1] == "2026-Q3"
    assert main(["verify"]) == 0
    assert "Version 1: ok" in capsys.readouterr().out
    assert main(["rollback", "1", "--editor", "Eve", "--yes"]) == 0
    assert "Published Version 2" in capsys.readouterr().out
    assert main(["history"]) == 0
    assert "Rollback to version 1" in capsys.readouterr().out


def test_publishing_the_template_exits_1_with_the_findings(cli_store, capsys):
    template = cli_store / "template.xlsx"
    assert main(["template", str(template)]) == 0
    assert main(["publish", str(template), "--editor", "Dana", "--yes"]) == 1
    captured = capsys.readouterr()
    assert "TEMPLATE_EXAMPLE" in captured.out
    assert "nothing was published" in captured.err
    assert main(["history"]) == 0
    assert "Nothing has been published yet" in capsys.readouterr().out


def test_removing_reference_rows_exits_3_without_the_tick(cli_store, capsys):
    from tests.golden.cases import xlsx

    assert main(["publish", *SAMPLE, "--editor", "Dana", "--yes"]) == 0
    market = cli_store / "market.xlsx"
    market.write_bytes(xlsx(Market=[["service", "offer", "price_per_user_month"],
                                    ["CRM", "Cheap CRM", 5]]))
    capsys.readouterr()
    assert main(["publish", str(market), "--editor", "Dana", "--yes"]) == 3
    captured = capsys.readouterr()
    assert "Market: 11 published offers would be removed" in captured.out
    assert "--replace-reference" in captured.err
    assert main(["publish", str(market), "--editor", "Dana", "--yes",
                 "--replace-reference"]) == 0
    assert "Published Version 2" in capsys.readouterr().out


def test_publish_asks_first_and_no_publishes_nothing(cli_store, capsys, monkeypatch):
    _stdin(monkeypatch, "n\n")
    assert main(["publish", *SAMPLE, "--editor", "Dana"]) == 4
    assert "Not published." in capsys.readouterr().out
    _stdin(monkeypatch, "y\n")
    assert main(["publish", *SAMPLE, "--editor", "Dana"]) == 0


def test_a_wrong_passcode_publishes_nothing(cli_store, capsys, monkeypatch):
    from valuelib.editors import hash_passcode

    monkeypatch.setenv("VALUELIB_EDITORS",
                       json.dumps({"Dana Reyes": hash_passcode("dana-pass", iterations=1000)}))
    monkeypatch.setenv("VALUELIB_EDITOR_PASSWORD", "wrong")
    assert main(["publish", *SAMPLE, "--editor", "Dana Reyes", "--yes"]) == 2
    assert "do not match an editor" in capsys.readouterr().err
    monkeypatch.setenv("VALUELIB_EDITOR_PASSWORD", "dana-pass")
    assert main(["publish", *SAMPLE, "--editor", "dana reyes", "--yes"]) == 0
    assert main(["history", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out[out.index("["):])[0]["editor"] == "Dana Reyes"  # as configured


def test_verify_exits_1_on_a_damaged_version(cli_store, capsys):
    from sqlalchemy import create_engine, text

    assert main(["publish", *SAMPLE, "--editor", "Dana", "--yes"]) == 0
    engine = create_engine(f"sqlite:///{cli_store / 'data' / 'valuelib.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE version_tables SET payload = :p WHERE name = 'costs'"),
                     {"p": b"rotten"})
    engine.dispose()
    capsys.readouterr()
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "Version 1: DAMAGED (table costs: its checksum does not match)" in out
    assert "Restore a backup" in out


def test_hash_passcode_prints_a_hash_check_editor_accepts(capsys, monkeypatch):
    from valuelib.editors import verify_passcode

    _stdin(monkeypatch, "long enough passcode\n")
    assert main(["hash-passcode", "--stdin"]) == 0
    hashed = capsys.readouterr().out.strip()
    assert hashed.startswith("pbkdf2_sha256$600000$")
    assert verify_passcode("long enough passcode", hashed)


def test_export_writes_a_reuploadable_workbook(cli_store, capsys):
    assert main(["publish", *SAMPLE, "--editor", "Dana", "--yes"]) == 0
    out = cli_store / "version-1.xlsx"
    assert main(["export", "1", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["publish", str(out), "--editor", "Dana", "--yes"]) == 1
    assert "changes nothing" in capsys.readouterr().err


def test_the_console_script_is_the_command_line_and_ships_every_package():
    """``pip install .`` gives a ``valuelib`` command: the entry point resolves to the one CLI,
    and the packaged list names every package under valuelib/ (a new one cannot be left out)."""
    import importlib
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    module, _, attribute = project["project"]["scripts"]["valuelib"].partition(":")
    entry = getattr(importlib.import_module(module), attribute)
    with pytest.raises(SystemExit) as done:
        import sys
        argv, sys.argv = sys.argv, ["valuelib", "check", SERVICENOW]
        try:
            entry()
        finally:
            sys.argv = argv
    assert done.value.code == main(["check", SERVICENOW])
    packages = {p.parent.relative_to(ROOT).as_posix().replace("/", ".")
                for p in (ROOT / "valuelib").rglob("__init__.py")}
    assert set(project["tool"]["setuptools"]["packages"]) == packages


# ---- whatif --------------------------------------------------------------------------------


def test_whatif_prints_the_scenario_of_moving_email_to_the_15_dollar_offer(capsys):
    assert main(["whatif", "--data", *SAMPLE, "--quarter", "2026-Q3", "--move",
                 "Email & Productivity=Cloud email & productivity suite",
                 "--retire", "Payroll"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("What if (2026-Q3):")
    assert "Yearly cost change: " in out and "IT cost per user per month: " in out
    assert "Move Email & Productivity to Cloud email & productivity suite" in out
    assert "Retire Payroll" in out
    assert "availability 99.50% → 99.00%" in out  # what the offer gives up
    assert "fixed pools" in out  # how it was worked out


def test_whatif_changes_apply_in_the_order_given(capsys):
    assert main(["whatif", "--data", *SAMPLE, "--users", "CRM=60", "--headcount", "320",
                 "--block", "500@45000"]) == 0
    out = capsys.readouterr().out
    assert out.index("CRM with 60 users") < out.index("Headcount to 320") < out.index(
        "Buy 500 hours")


@pytest.mark.parametrize("args, says", [
    (["--move", "Email & Productivity=Gmail"],
     "no market offer for Email & Productivity named 'Gmail' in this data; it has: "
     "'Cloud email & productivity suite', 'Cloud email & productivity suite (Enterprise)'"),
    (["--block", "500"], "--block takes HOURS@PRICE"),
    ([], "give at least one change"),
    (["--retire", "Fax", "--quarter", "1999-Q1"], "no data for 1999-Q1"),
])
def test_whatif_says_what_is_wrong_and_exits_2(capsys, args, says):
    assert main(["whatif", "--data", *SAMPLE, *args]) == 2
    assert says in capsys.readouterr().err
