"""The Bill of IT handout and the deck's recovery slide: the .xlsx opened with openpyxl, the
PDF read back with pdftotext (poppler-utils) and pypdf, the ``bill`` command, and a tiny
hand-worked statement whose every figure is checked as the pages write it."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from tests.frames import make_dataset
from valuelib import chargeback, report
from valuelib.cli import main as cli
from valuelib.ingest import load_paths
from valuelib.model import Settings
from valuelib.present.measures import excel_format, fmt_measure
from valuelib.report import bill as bill_of_it
from valuelib.report.slides import layout, overflows, slides, step_slide
from valuelib.report.typeset import ARIAL, DEJAVU

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))
Q = "2026-Q3"
EMAIL, DESK, NETWORK = "Email & Productivity", "Desktop & User Support", "Telecom & Networking"
MONEY = excel_format("money", "USD")
PER_USER = excel_format("money_per_user", "USD")


@pytest.fixture(scope="module")
def sample():
    return load_paths(SAMPLE)


@pytest.fixture(scope="module")
def statement(sample):
    return chargeback.statement(sample, "Sales", Q)


@pytest.fixture(scope="module")
def book(sample):
    return openpyxl.load_workbook(io.BytesIO(report.build_bill_workbook(sample, "Sales", Q)))


@pytest.fixture(scope="module")
def pdf_bytes(sample):
    return report.build_bill_pdf(sample, "Sales", Q)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The PDF's text as poppler lays it out (a reader's view of the page)."""
    path = tmp_path / "bill.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext (poppler-utils) is not installed")


def rows_of(ws) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def charge_table(ws) -> tuple[int, list[tuple]]:
    """The row of the Charges table's header and its data rows up to the Total row."""
    rows = rows_of(ws)
    header = next(i for i, r in enumerate(rows, start=1) if r[0] == "Service")
    body = []
    for r in rows[header:]:
        if r[0] == "Total":
            break
        body.append(r)
    return header, body


# ---- the sample's story ---------------------------------------------------------------------

def test_sales_statement_is_the_hand_worked_one(statement):
    """Sales in 2026-Q3: 58 people, all of them on Premium email by now (58 × $19 × 3)."""
    lines = statement.lines.set_index(["service", "tier"])
    premium = lines.loc[(EMAIL, "Premium")]
    assert (premium["users"], premium["price_per_user_month"]) == (58, 19.0)
    assert premium["charge"] == 58 * 19 * 3 == 3306
    # on Standard earlier in the year (2026-Q1 and Q2), not this quarter
    assert lines.loc[(EMAIL, "Standard"), "charge"] == 0
    assert lines.loc[(EMAIL, "Standard"), "charge_year_to_date"] > 0
    assert statement.total == pytest.approx(lines["charge"].sum())
    assert statement.year_quarters == ("2026-Q1", "2026-Q2", Q)


# ---- the workbook -----------------------------------------------------------------------------

def test_workbook_has_the_bill_and_its_lines(book):
    assert book.sheetnames == ["Bill of IT", "Lines"]
    ws = book["Bill of IT"]
    assert ws["A1"].value == "Bill of IT: Sales"
    assert "Northwind Traders" in ws["A2"].value and Q in ws["A2"].value
    assert "year to date 2026-Q1 – 2026-Q3" in ws["A2"].value


def test_workbook_headline_figures_are_the_statements(book, statement):
    ws = book["Bill of IT"]
    figures = {r[0]: (r[1], ws.cell(row=i, column=2).number_format)
               for i, r in enumerate(rows_of(ws), start=1) if r[0] and r[1] is not None
               and isinstance(r[1], int | float)}
    assert figures["Charge this quarter"] == (pytest.approx(statement.total), MONEY)
    assert figures["Charge year to date"] == (pytest.approx(statement.total_year_to_date), MONEY)
    assert figures["Share of IT cost (showback)"][0] == pytest.approx(statement.showback_cost)


def test_workbook_charges_are_numbers_with_the_registry_formats(book, statement):
    ws = book["Bill of IT"]
    header_row, body = charge_table(ws)
    assert rows_of(ws)[header_row - 1][:6] == (
        "Service", "Tier", "Users", "Price per user per month (USD)",
        "Charge this quarter (USD)", "Charge year to date (USD)")
    expected = [(r.service, r.tier, r.users, r.price_per_user_month, r.charge,
                 r.charge_year_to_date) for r in statement.lines.itertuples()]
    assert [r[:6] for r in body] == [tuple(pytest.approx(v) if isinstance(v, float) else v
                                           for v in e) for e in expected]
    first = header_row + 1
    assert ws.cell(row=first, column=3).number_format == excel_format("count")
    assert ws.cell(row=first, column=4).number_format == PER_USER
    assert ws.cell(row=first, column=5).number_format == MONEY
    total = next(r for r in rows_of(ws) if r[0] == "Total")
    assert total[4:6] == (pytest.approx(statement.total),
                          pytest.approx(statement.total_year_to_date))
    assert ws.freeze_panes == f"A{header_row + 1}"


def test_workbook_commitments_and_notes(book):
    rows = rows_of(book["Bill of IT"])
    start = next(i for i, r in enumerate(rows) if r[0] == "What each tier commits to")
    commitments = {(r[0], r[1]): r[2:7] for r in rows[start + 2:] if r[0] and r[1]}
    assert commitments[(EMAIL, "Premium")] == (  # 99.90% as a fraction
        0.999, "24x7", "1h", 100, "Everything in Standard, 100 GB mailbox, archiving, 24x7 "
        "support")
    assert (EMAIL, "Standard") not in commitments  # not taken this quarter
    notes = [r[0] for r in rows[next(i for i, r in enumerate(rows)
                                     if r[0] == "How the charges are worked out") + 1:]]
    assert any(n.startswith(f"{NETWORK}: no subscriptions in {Q}") and "only tier" in n
               for n in notes)
    assert any("× 3 months" in n for n in notes)
    assert f"{EMAIL}, Standard: taken earlier in the year, not this quarter." in notes


def test_workbook_lines_sheet_says_each_basis(book):
    rows = rows_of(book["Lines"])
    basis = {(r[0], r[1]): r[-1] for r in rows[1:]}
    assert basis[(NETWORK, "Standard")] == chargeback.Basis.ONLY_TIER
    assert basis[(DESK, "8x5")] == chargeback.Basis.SUBSCRIPTIONS
    assert book["Lines"].auto_filter.ref.startswith("A1:")


# ---- the PDF -------------------------------------------------------------------------------------

def test_pdf_pages_are_a4_portrait_and_footed(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    assert 1 <= len(reader.pages) <= 2  # the notes may run onto a second page
    for n, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)
        assert f"Bill of IT: Sales, {Q} · page {n}" in page.extract_text()
    assert reader.metadata.title == f"Bill of IT: Sales, {Q}"


def test_a_long_bill_repeats_the_table_header_on_the_next_page(sample):
    """Forty lines do not fit one page: the charges run on with their header again."""
    b = bill_of_it.bill(sample, "Sales", Q)
    many = b.charge_rows * 4
    reader = PdfReader(io.BytesIO(bill_of_it.write_bill_pdf(
        bill_of_it.Bill(**{**b.__dict__, "charge_rows": many}))))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 2
    assert all("Charge this" in text for text in pages[:2])
    assert sum(text.count("Telecommunications") for text in pages) >= 4


@needs_poppler
def test_pdf_shows_every_figure_as_the_pages_write_it(pdf_bytes, statement, tmp_path):
    text = pdf_text(pdf_bytes, tmp_path)
    assert "Bill of IT: Sales" in text
    for value in (statement.total, statement.total_year_to_date, statement.showback_cost):
        assert fmt_measure("charge", value) in text
    lines = text.splitlines()
    for r in statement.lines.itertuples():
        row = next(line for line in lines if line.startswith(r.service) and f" {r.tier} " in line)
        for key, value in (("tier_price_per_user_month", r.price_per_user_month),
                           ("charge", r.charge), ("charge_year_to_date", r.charge_year_to_date)):
            assert fmt_measure(key, value) in row, (r.service, r.tier, key)
    total = next(line for line in lines if line.startswith("Total"))
    assert fmt_measure("charge", statement.total) in total
    assert "What each tier commits to" in text and "99.90%" in text
    assert f"{NETWORK}: no subscriptions in {Q}" in " ".join(text.split())


# ---- a tiny statement, worked by hand ----------------------------------------------------------

def tiny(**extra):
    """Two quarters of a July fiscal year; Sales takes Email Premium, Ops Standard."""
    quarters = ("2026-Q2", "2026-Q3")
    tables = {
        "services": [{"service": "Email"}, {"service": "=Wiki"}],
        "usage": [{"quarter": q, "service": "Email", "business_unit": u, "users": n}
                  for q in quarters for u, n in (("Sales", 10), ("Ops", 20))],
        "costs": [{"quarter": q, "service": "Email", "amount": 900.0} for q in quarters],
        "offerings": [
            {"service": "Email", "tier": "Standard", "price_per_user_month": 11.0,
             "availability_target": 99.5, "support_hours": "8x5", "response_time": "4h"},
            {"service": "Email", "tier": "Premium", "price_per_user_month": 19.0,
             "availability_target": 99.9, "support_hours": "24x7", "response_time": "1h",
             "storage_gb": 100, "includes": "100 GB mailbox"}],
        "subscriptions": [
            {"quarter": q, "business_unit": u, "service": "Email", "tier": t, "users": n}
            for q in quarters for u, t, n in (("Sales", "Premium", 10), ("Ops", "Standard", 20))],
    }
    tables.update(extra)
    return make_dataset(Settings(organization="Tiny Co", currency="EUR", fiscal_year_start=7),
                        **tables)


def test_tiny_bill_is_worked_by_hand():
    b = bill_of_it.bill(tiny(), "sales", "2026-Q3")  # the unit as the data spells it
    assert b.business_unit == "Sales"
    # FY2027 starts in July: 2026-Q3 is its first quarter, so year to date = the quarter
    assert b.year_label == "FY2027 Q1 (2026-Q3)"
    assert b.charge_rows == (("Email", "Premium", "10", "€19.00", "€570", "€570"),)
    assert b.total_row[-2:] == ("€570", "€570")
    assert [f.text for f in b.figures] == ["€570", "€570", "€300"]  # 10 of 30 users of €900
    assert b.commitment_rows == (("Email", "Premium", "99.90%", "24x7", "1h", "100",
                                  "100 GB mailbox"),)
    assert b.notes[0].startswith("Charge = users × the tier's price")


def test_a_bill_for_an_unknown_unit_names_the_units():
    with pytest.raises(ValueError, match=r"No business unit named 'Legal'.*Ops, Sales"):
        bill_of_it.bill(tiny(), "Legal")


def test_a_bill_without_offerings_says_there_is_nothing_to_bill():
    with pytest.raises(ValueError, match="no tiers"):
        bill_of_it.bill(tiny(offerings=[]), "Sales")


def test_a_bill_for_an_unknown_quarter_names_the_quarters():
    with pytest.raises(ValueError, match="2026-Q2, 2026-Q3"):
        bill_of_it.bill(tiny(), "Sales", "2019-Q1")


def test_formula_like_names_stay_text_and_file_names_are_safe():
    data = tiny(subscriptions=[{"quarter": "2026-Q3", "business_unit": "=cmd|' /C calc'!A0",
                                "service": "Email", "tier": "Premium", "users": 4}])
    b = bill_of_it.bill(data, "=cmd|' /C calc'!A0", "2026-Q3")
    ws = openpyxl.load_workbook(io.BytesIO(bill_of_it.write_bill_workbook(b)))["Bill of IT"]
    assert ws["A1"].value == "Bill of IT: =cmd|' /C calc'!A0" and ws["A1"].data_type == "s"
    assert bill_of_it.file_name(b, "pdf") == "tiny-co-bill-of-it-cmd-c-calc-a0-2026-Q3.pdf"


# ---- the command line ----------------------------------------------------------------------------

@pytest.mark.parametrize("extension", ["xlsx", "pdf"])
def test_cli_writes_the_bill(tmp_path, capsys, extension):
    out = tmp_path / f"sales.{extension}"
    code = cli(["bill", "--data", *map(str, SAMPLE), "--unit", "Sales", "--quarter", "2026-Q2",
                "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "Wrote" in capsys.readouterr().out
    data = out.read_bytes()
    if extension == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data))["Bill of IT"]["A1"].value == \
            "Bill of IT: Sales"
    else:
        assert PdfReader(io.BytesIO(data)).metadata.title == "Bill of IT: Sales, 2026-Q2"


@pytest.mark.parametrize("args, message", [
    (["--unit", "Legal", "--out", "x.xlsx"], "No business unit named 'Legal'"),
    (["--unit", "Sales", "--out", "x.docx"], "NAME.xlsx (workbook) or NAME.pdf"),
    (["--unit", "Sales", "--quarter", "2019-Q1", "--out", "x.pdf"], "Quarters with data"),
])
def test_cli_refuses_with_a_clear_message(tmp_path, capsys, args, message):
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    assert cli(["bill", "--data", *map(str, SAMPLE), *args]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # nothing written


# ---- the deck's recovery slide -------------------------------------------------------------------

def recovery_slide(dataset, quarter):
    """The story's cost-recovery step as the deck draws it."""
    from valuelib import views

    return step_slide(next(s for s in views.story(dataset, quarter) if s.key == "recovery"))


def test_recovery_slide_names_the_under_recovered(sample):
    slide = recovery_slide(sample, Q)
    rec = chargeback.recovery(sample, Q)
    under = rec[rec["status"].eq(chargeback.RecoveryStatus.UNDER)]
    assert sorted(under["service"]) == [DESK, "Inventory Management", "Payroll",
                                        "Procurement & Billing"]
    worst = under.sort_values("over_under").iloc[0]
    assert slide.title == (f"4 services do not pay for themselves: {worst.service} recovers "
                           f"{fmt_measure('recovery_pct', worst.recovery_pct)} of its cost.")
    assert all(s in slide.notes for s in under["service"])
    assert "Not charged for (funded centrally): Program & Consulting and Website Sales" in \
        slide.notes
    assert slide.bullets[0].startswith(f"{worst.service}: ")
    assert slide.figure is not None


@pytest.mark.parametrize("face", [ARIAL, DEJAVU], ids=["deck", "pdf"])
def test_recovery_slide_fits(sample, face):
    assert not overflows(layout(recovery_slide(sample, Q), face), face)


def test_the_deck_has_a_recovery_slide_only_with_offerings(sample):
    keys = [s.key for s in slides(sample, Q, services=(EMAIL,)).slides]
    assert keys.index("recovery") == keys.index("block") + 1  # after the story, before
    assert keys[-1] == f"service:{EMAIL}"                     # the services
    without = sample.with_tables(offerings=sample["offerings"].iloc[:0])
    assert "recovery" not in [s.key for s in slides(without, Q).slides]


# ---- the download the Chargeback page calls ----------------------------------------------------

def _bill_page(unit: str = "Sales") -> None:
    import streamlit as st

    from ui import data, exports

    source = data.Source("sample", "sample", "sample data", data.sample_dataset())
    exports.bill_buttons(source, st.session_state.get("unit", unit), "2026-Q3")


def test_the_page_prepares_then_offers_both_files():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_bill_page, default_timeout=60).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Prepare the Bill of IT"]
    at.button[0].click().run()
    assert not at.exception and not at.error
    names = [b.proto.label for b in at.get("download_button")]
    assert names == ["Download Bill of IT (.xlsx)", "Download Bill of IT (PDF)"]


def test_the_page_says_why_there_is_no_bill_for_an_unknown_unit():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_bill_page, default_timeout=60)
    at.session_state["unit"] = "Legal"
    at.run()
    at.button[0].click().run()
    assert not at.exception and not at.get("download_button")
    assert "No business unit named 'Legal'" in at.info[0].value
