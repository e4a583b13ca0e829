"""Issue 12, support side: the ServiceNow lifecycle (a blank resolved takes the closed date),
reopened tickets, periods that do not overlap, incomplete quarters, the service desk in the
summary, and no 'nan' / 'n/a' in any sentence when only a ticket log is loaded."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.frames import make_dataset
from valuelib import summary, support, views
from valuelib.ask import answer
from valuelib.frames import gap_note, quarter_gaps
from valuelib.ingest import load, load_paths
from valuelib.present.summary_text import summary_notes, summary_text
from valuelib.present.tables import Table

ROOT = Path(__file__).resolve().parents[1]
SERVICENOW = ROOT / "tests/data/servicenow_incident_log_sample.csv"
NAN = np.nan


def _csv(text: str, name: str = "log.csv"):
    return load([(name, io.BytesIO(text.encode()))])


# ---- the closed_at fallback -----------------------------------------------------------------

HEADER = "number,opened_at,resolved_at,closed_at,incident_state,sys_updated_at\n"


@pytest.mark.parametrize("row, resolved, fires", [
    ("INC1,13/3/2016 08:00,14/3/2016 09:00,20/3/2016 12:00,Closed,20/3/2016 12:00",
     "2016-03-14 09:00", False),  # resolved given: kept
    ("INC1,13/3/2016 08:00,?,20/3/2016 12:00,Closed,20/3/2016 12:00",
     "2016-03-20 12:00", True),  # blank resolved: the closed date
    ("INC1,13/3/2016 08:00,?,?,Resolved,19/3/2016 10:00", "2016-03-19 10:00", True),
    ("INC1,13/3/2016 08:00,?,?,cancelled ,19/3/2016 10:00", "2016-03-19 10:00", True),
    ("INC1,13/3/2016 08:00,?,?,Active,19/3/2016 10:00", None, False),  # still open
    ("INC1,13/3/2016 08:00,?,?,?,19/3/2016 10:00", None, False),  # no state: still open
])
def test_a_blank_resolved_takes_the_time_the_ticket_ended(row, resolved, fires):
    dataset = _csv(HEADER + row + "\n")
    got = dataset["support"]["resolved"].iloc[0]
    assert pd.isna(got) if resolved is None else got == pd.Timestamp(resolved)
    assert any(f.code == "RESOLVED_FROM_CLOSED" for f in dataset.findings) is fires


def test_the_finding_counts_each_way():
    dataset = _csv(HEADER
                   + "INC1,13/3/2016 08:00,?,15/3/2016 12:00,Closed,15/3/2016 12:00\n"
                   + "INC2,13/3/2016 09:00,?,16/3/2016 12:00,Closed,16/3/2016 12:00\n"
                   + "INC3,13/3/2016 10:00,?,?,Closed,14/3/2016 10:00\n")
    [finding] = [f for f in dataset.findings if f.code == "RESOLVED_FROM_CLOSED"]
    assert finding.severity == "info"
    assert finding.message.startswith("3 tickets with no resolved date had ended")
    assert "2 by its closed date and 1 by the last update" in finding.message


def test_the_servicenow_sample_resolves_its_closed_tickets():
    raw = pd.read_csv(SERVICENOW, dtype=str)
    latest = raw.assign(when=pd.to_datetime(raw["sys_updated_at"], format="%d/%m/%Y %H:%M")
                        ).sort_values("when", kind="stable").drop_duplicates("number", keep="last")
    blank = latest["resolved_at"].eq("?") & latest["closed_at"].ne("?")
    assert blank.sum() == 11  # the real export: closed tickets without resolved_at
    dataset = load_paths([str(SERVICENOW)])
    tickets = dataset["support"]
    assert len(tickets) == 300 and tickets["resolved"].notna().all()
    [finding] = [f for f in dataset.findings if f.code == "RESOLVED_FROM_CLOSED"]
    assert finding.message.startswith("11 tickets")
    fell_back = tickets.set_index("ticket").loc[latest.loc[blank, "number"]]
    assert (fell_back["resolved"] == fell_back["closed"]).all()
    # every ticket in the sample is closed: nothing is open once the last one has closed
    last = tickets["resolved"].max()
    after = f"{last.year}-Q{last.quarter}"
    assert support.service_desk(dataset, after)["backlog"].iloc[0] == 0


def _event_log(incidents: int, blank_every: int) -> str:
    """A ServiceNow event log: each incident New -> Resolved -> Closed; every
    ``blank_every``-th incident has '?' for resolved_at (as 1,556 of the UCI log's do)."""
    lines = [HEADER.strip()]
    start = pd.Timestamp("2016-03-01")
    for i in range(incidents):
        opened = start + pd.Timedelta(hours=7 * i)
        resolved = opened + pd.Timedelta(days=3)
        closed = resolved + pd.Timedelta(days=5)
        shown = "?" if i % blank_every == 0 else f"{resolved:%-d/%-m/%Y %H:%M}"
        for state, when in (("New", opened), ("Resolved", resolved), ("Closed", closed)):
            lines.append(f"INC{i:05d},{opened:%-d/%-m/%Y %H:%M},{shown},"
                         f"{closed:%-d/%-m/%Y %H:%M},{state},{when:%-d/%-m/%Y %H:%M}")
    return "\n".join(lines) + "\n"


def test_an_event_log_with_blank_resolved_has_no_backlog_once_all_are_closed():
    """The UCI log's case: closed incidents without resolved_at used to stay open for ever
    (a backlog of 1,556 at the end of 2017-Q1 instead of 0)."""
    dataset = _csv(_event_log(1_000, 7))
    assert len(dataset["support"]) == 1_000
    desk = support.service_desk(dataset).set_index("quarter")
    last = dataset["support"]["closed"].max()
    after = f"{last.year}-Q{last.quarter}"
    assert desk.loc[after, "backlog"] == 0
    assert desk["resolved"].sum() == 1_000


# ---- reopened tickets -----------------------------------------------------------------------

REOPENS = make_dataset(support=[
    {"opened": "2026-01-05", "reopen_count": 0.0},
    {"opened": "2026-01-06", "reopen_count": 2.0},
    {"opened": "2026-01-07", "reopen_count": NAN},  # not recorded: not in the rate
    {"opened": "2026-01-08", "reopen_count": 1.0},
    {"opened": "2026-04-01", "reopen_count": 0.0},
    {"opened": "2026-07-01"},
])


@pytest.mark.parametrize("quarter, reopened, recorded, rate", [
    ("2026-Q1", 2, 3, 200 / 3),
    ("2026-Q2", 0, 1, 0.0),
    ("2026-Q3", 0, 0, NAN),  # no reopen counts: no rate, never 0 %
])
def test_reopened_tickets_and_rate_per_quarter(quarter, reopened, recorded, rate):
    row = support.service_desk(REOPENS, quarter).iloc[0]
    assert (row["reopened"], row["reopen_recorded"]) == (reopened, recorded)
    assert row["reopen_rate_pct"] == pytest.approx(rate, nan_ok=True)


def test_the_servicenow_sample_has_four_reopened_tickets():
    dataset = load_paths([str(SERVICENOW)])
    row = support.service_desk(dataset, "2016-Q1").iloc[0]
    assert (row["reopened"], row["reopen_recorded"]) == (4, 300)
    assert row["reopen_rate_pct"] == pytest.approx(4 / 3)
    view = views.support_view(dataset, "2016-Q1")
    assert view.desk_table.formatted().iloc[0][["Reopened", "Reopen rate"]].tolist() == [
        "4", "1.3%"]
    assert any(h.label == "Reopened tickets" and h.value == "4" for h in view.headlines)


@pytest.mark.parametrize("question, first_label", [
    ("how many tickets were reopened?", "Tickets reopened"),
    ("what is the reopen rate?", "Reopen rate"),
])
def test_answers_about_reopened_tickets(question, first_label):
    got = answer(question, load_paths([str(SERVICENOW)]))
    assert got.intent == "service_desk"
    assert got.figures[0].label == first_label
    assert "4 of 300 tickets (1.3%) were reopened" in got.sentence


# ---- incomplete quarters --------------------------------------------------------------------

@pytest.mark.parametrize("tickets, incomplete", [
    ([100, 120, 5], [False, False, True]),
    ([100, 120, 11], [False, False, False]),  # 11 is not under 10 % of 110
    ([3], [False]),  # nothing before it
    ([100, 5, 110, 9], [False, True, False, True]),  # median of 100, 5, 110 = 100
])
def test_incomplete_quarters(tickets, incomplete):
    assert support.incomplete_quarters(np.array(tickets)).tolist() == incomplete


def test_an_incomplete_quarter_is_labelled_where_it_is_the_headline():
    rows = ([{"opened": f"2026-0{m}-{d:02d}", "work_type": "incident"}
             for m in (1, 4) for d in range(1, 26)]
            + [{"opened": "2026-07-01", "work_type": "incident"}])
    dataset = make_dataset(support=rows)
    view = views.support_view(dataset, "2026-Q3")
    tickets = next(h for h in view.headlines if h.label.startswith("Tickets"))
    assert tickets.label == "Tickets (incomplete quarter)"
    assert "looks incomplete" in tickets.sentence
    assert views.support_view(dataset, "2026-Q2").headlines[1].label == "Tickets"
    assert summary.summarize(dataset).service_desk["incomplete"] is True


# ---- periods that do not overlap ------------------------------------------------------------

@pytest.mark.parametrize("periods, gaps", [
    (["2016-Q1", "2016-Q2", "2026-Q3"], [("2016-Q3", "2026-Q2")]),
    (["2016-Q1", "2017-Q2"], []),  # 4 empty quarters: said nowhere
    (["2016-Q1", "2017-Q3"], [("2016-Q2", "2017-Q2")]),  # 5
    (["2016-03", "2016-04", "2024-10"], [("2016-Q3", "2024-Q3")]),  # months
    ([], []),
])
def test_long_gaps_are_found(periods, gaps):
    assert quarter_gaps(periods) == gaps


def test_gap_note_words():
    assert gap_note(["2017-Q1", "2024-Q4"]) == "no data 2017-Q2 … 2024-Q3"


def _old_log_new_costs():
    tickets = [{"opened": "2016-02-29 01:16", "resolved": "2016-03-01 10:00",
                "work_type": w, "service": "CRM"} for w in ("incident", "change")]
    tickets += [{"opened": "2026-08-01 09:00", "resolved": "2026-08-01 10:00",
                 "work_type": "incident", "service": "CRM"}]
    return make_dataset(support=tickets, costs=[
        {"quarter": "2026-Q3", "service": "CRM", "cost_pool": "Software", "amount": 900.0}],
        usage=[{"quarter": "2026-Q3", "service": "CRM", "users": 30.0}])


def test_a_trend_across_a_long_gap_says_so():
    view = views.support_view(_old_log_new_costs(), "2026-Q3")
    subtitle = view.proactive_chart.layout.title.text + str(view.proactive_chart.layout)
    assert "no data 2016-Q2 … 2026-Q2" in subtitle
    assert view.mix_chart.layout.title.subtitle.text == "No data 2016-Q2 … 2026-Q2"
    assert any("no data 2016-Q2 … 2026-Q2" in h.sentence for h in view.headlines)


def test_periods_that_do_not_overlap_are_a_warning():
    from tests.golden.cases import xlsx
    book = xlsx(Costs=[["quarter", "service", "cost_pool", "amount"],
                       ["2026-Q3", "CRM", "Software", 900]],
                Support=[["ticket", "opened", "service"], ["INC1", "2016-02-29", "CRM"]])
    [finding] = [f for f in load([("old_and_new.xlsx", book)]).findings
                 if f.code == "PERIODS_DO_NOT_OVERLAP"]
    assert finding.severity == "warning"
    assert "Support data covers 2016-Q1 but cost data covers 2026-Q3" in finding.message
    same = xlsx(Costs=[["quarter", "service", "cost_pool", "amount"],
                       ["2016-Q1", "CRM", "Software", 900]],
                Support=[["ticket", "opened", "service"], ["INC1", "2016-02-29", "CRM"]])
    assert not [f for f in load([("same.xlsx", same)]).findings
                if f.code == "PERIODS_DO_NOT_OVERLAP"]


def test_a_block_is_never_measured_before_it_starts():
    dataset = make_dataset(
        support=[{"opened": "2016-03-01", "hours": 2.0, "work_type": "incident"}],
        blocks=[{"block": "2026 block", "purchased_hours": 100.0, "start": "2026-01-01",
                 "end": "2026-12-31"}])
    status = support.block_status(dataset)
    assert status["as_of"].iloc[0] == pd.Timestamp("2026-01-01")
    text = summary_text(summary.summarize(dataset))
    assert "starts on 1 Jan 2026; no support data from its period yet" in text


# ---- the service desk in the summary --------------------------------------------------------

def test_the_summary_carries_the_service_desk():
    desk = summary.summarize(load_paths([str(SERVICENOW)])).to_dict()["service_desk"]
    assert desk["quarter"] == "2016-Q1"
    assert desk["tickets"] == 300
    assert desk["tickets_per_user_per_month"] is None  # no usage data
    assert desk["backlog_at_quarter_end"] == 20
    assert (desk["reopened_tickets"], desk["reopen_rate_pct"]) == (4, pytest.approx(4 / 3))
    assert desk["median_hours_to_resolve"] > desk["median_hours_to_resolve_p1"] * 0 > -1
    assert desk["p1_share_pct"] == pytest.approx(7 / 3)
    assert desk["priority_mismatches"] == 30
    assert desk["satisfaction_pct"] is None
    assert set(desk) >= {"median_hours_to_resolve_p1", "incomplete"}


# ---- no 'nan', 'n/a' or '$0.00 across 0' in any sentence ------------------------------------

BAD = re.compile(r"\bnan\b|\bn/a\b|\$0\.00 across 0", re.I)


def _texts(obj, out: list[str], depth: int = 0) -> list[str]:
    if depth > 6:
        return out
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            _texts(x, out, depth + 1)
    elif isinstance(obj, dict):
        for x in obj.values():
            _texts(x, out, depth + 1)
    elif isinstance(obj, Table):  # what every surface shows of a view table
        _texts(obj.formatted(), out, depth + 1)
    elif isinstance(obj, pd.DataFrame):
        out += [str(v) for c in obj.columns for v in obj[c].tolist()]
    elif hasattr(obj, "layout") and hasattr(obj, "data"):  # a plotly figure
        out.append(str(obj.layout.title.text or ""))
        out += [str(a.text or "") for a in obj.layout.annotations or ()]
    elif dataclasses.is_dataclass(obj):
        for field in dataclasses.fields(obj):
            _texts(getattr(obj, field.name), out, depth + 1)
    return out


def test_a_ticket_log_alone_never_says_nan():
    dataset = load_paths([str(SERVICENOW)])
    made = summary.summarize(dataset)
    out = [summary_text(made), *summary_notes(made)]
    for view in (views.overview(dataset), views.support_view(dataset),
                 views.cost_value(dataset), views.service_detail(dataset),
                 views.story(dataset)):
        _texts(view, out)
    for question in ("how many tickets were reopened?", "what is the reopen rate?",
                     "how many P1 tickets?", "how many tickets per user?",
                     "what is our total IT cost?", "what does email cost?",
                     "what is the proactive share?", "which services cost more than the "
                     "market?"):
        got = answer(question, dataset)
        _texts([got.sentence, got.how, list(got.figures)], out)
    assert len(out) > 100
    assert [t for t in out if BAD.search(t)] == []
    assert "No cost data loaded." in summary_text(made)
