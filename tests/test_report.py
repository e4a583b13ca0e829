"""Exports: the deck, the workbook and the PDF, each opened with its own library (python-pptx,
openpyxl, pypdf) and checked for what a presenter hands out: the slides and pages in story
order, the key figures, number formats, frozen headers, speaker notes, 16:9 geometry with
nothing off the slide, and formula-like text kept as text."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from tests.frames import assert_unchanged, snapshot
from valuelib import budget, costing, report, views, whatif
from valuelib.cli import main as cli
from valuelib.frames import table
from valuelib.ingest import load, load_paths
from valuelib.present.formatting import fmt_money
from valuelib.present.measures import fmt_measure
from valuelib.report import typeset
from valuelib.report.slides import Card, Slide, layout, overflows, slides
from valuelib.report.typeset import ARIAL, DEJAVU
from valuelib.report.workbook import put

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))
Q = "2026-Q3"
EMAIL = "Email & Productivity"
SLIDE_W, SLIDE_H = 12_192_000, 6_858_000  # 13.333 × 7.5 in
PT = 12_700  # EMU per point
TABLE_SHEETS = ("Services", "Cost per user by quarter", "Allocations", "Market comparison",
                "Value & quadrants", "Proactive share", "Work mix", "Blocks",
                "Priority mismatches", "Service desk", "Showback", "Budget")


@pytest.fixture(scope="module")
def sample():
    return load_paths(SAMPLE)


@pytest.fixture(scope="module")
def email_per_user(sample) -> str:
    """Email's cost per user per month in 2026-Q3 as costing computes it, formatted."""
    cpu = costing.cost_per_user(sample, Q)
    value = cpu.loc[cpu["service"] == EMAIL, "cost_per_user_month"].iloc[0]
    return fmt_money(value, sample.settings.currency)


@pytest.fixture(scope="module")
def deck_progress():
    return []


@pytest.fixture(scope="module")
def deck(sample, deck_progress):
    data = report.build_deck(sample, Q, services=(EMAIL,),
                             progress=lambda f, m: deck_progress.append((f, m)))
    return Presentation(io.BytesIO(data))


@pytest.fixture(scope="module")
def pdf(sample):
    return PdfReader(io.BytesIO(report.build_pdf(sample, Q, services=(EMAIL,))))


@pytest.fixture(scope="module")
def book_bytes(sample):
    return report.build_workbook(sample, Q)


@pytest.fixture(scope="module")
def book(book_bytes):
    return openpyxl.load_workbook(io.BytesIO(book_bytes))


def slide_text(slide) -> str:
    """The slide's text boxes, one a line (a box's line breaks become spaces)."""
    return "\n".join(shape.text_frame.text.replace("\v", " ") for shape in slide.shapes
                     if shape.has_text_frame)


# ---- the deck --------------------------------------------------------------------------------

def test_deck_is_16_9(deck):
    assert (deck.slide_width, deck.slide_height) == (SLIDE_W, SLIDE_H)


def test_deck_tells_the_story_in_order(deck, sample):
    steps = views.story(sample, Q)
    assert [s.key for s in steps] == ["briefing", "headline", "market", "value", "support",
                                      "block", "recovery", "budget", "year-end"]
    slides_ = list(deck.slides)
    # a title, the story the Presentation page shows, step for step, then Email
    assert len(slides_) == 1 + len(steps) + 1
    assert "Northwind Traders" in slide_text(slides_[0]) and Q in slide_text(slides_[0])
    for slide, step in zip(slides_[1:], steps, strict=False):
        assert slide_text(slide).startswith(step.title)
    assert slide_text(slides_[-4]).startswith("4 services do not pay for themselves")
    assert slide_text(slides_[-3]).startswith("IT is on budget to 2026-Q3")
    assert slide_text(slides_[-2]).startswith("2026 ends on budget")
    assert slide_text(slides_[-1]).startswith(EMAIL)


def test_headline_slide_shows_every_headline_figure(deck, sample):
    text = slide_text(deck.slides[2])
    for h in views.overview(sample, Q).headlines:
        assert h.label in text and h.value in text


def test_deck_shows_emails_cost_per_user(deck, email_per_user):
    assert email_per_user == "$12.58"
    assert email_per_user in slide_text(deck.slides[-1])


def test_story_slides_carry_a_chart_each(deck):
    year_end = len(deck.slides) - 2  # the year end's figures are cards
    for slide in [s for i, s in enumerate(deck.slides) if i >= 3 and i != year_end]:
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        assert pictures[0].image.content_type == "image/png"
        assert pictures[0].image.size[0] >= 1600  # sharp when projected


def test_nothing_leaves_the_slide(deck):
    for n, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (n, shape.name)
            assert shape.left + shape.width <= SLIDE_W, (n, shape.name)
            assert shape.top + shape.height <= SLIDE_H, (n, shape.name)


def test_type_is_large_enough_for_a_room(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for p in shape.text_frame.paragraphs:
                for run in p.runs:
                    least = 28 if shape.name.startswith("title") else 18
                    assert run.font.size.pt >= least, (shape.name, run.text)


def test_text_fits_its_box(deck):
    """Each text box is measured from the file: its lines (runs between line breaks) in
    Arial's metrics fit its width, and their line pitch × count fits its height."""
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text:
                continue  # a picture, or a coloured panel
            frame = shape.text_frame
            assert frame.word_wrap is True
            height = 0.0
            for p in frame.paragraphs:
                indent = Emu(int(p._p.pPr.get("marL", 0))).pt if p._p.pPr is not None else 0
                size = p.runs[0].font.size.pt
                for run in p.runs:
                    width = typeset.text_width(run.text, size, bool(run.font.bold), ARIAL)
                    assert width <= Emu(shape.width).pt - indent + 0.5, run.text
                height += (p.space_before.pt if p.space_before else 0) + \
                    p.line_spacing.pt * len(p.runs)
            assert height <= Emu(shape.height).pt + 0.5, shape.text_frame.text


def test_speaker_notes_carry_the_reading(deck, sample):
    steps = {s.key: s for s in views.story(sample, Q)}
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides]
    assert all(n.strip() for n in notes)
    assert "Northwind Traders" in notes[0]
    assert steps["headline"].notes in notes[2]
    keys = ["market", "value", "support", "block", "recovery", "budget", "year-end"]
    for text, key in zip(notes[3:3 + len(keys)], keys, strict=True):
        assert steps[key].notes in text
        assert all(fact in text for fact in steps[key].bullets)
    detail = views.service_detail(sample, Q, EMAIL)
    assert detail.sentence in notes[-1]


def test_the_briefing_opens_the_deck(deck, sample):
    told = views.overview(sample, Q).briefing
    assert told.items
    text = slide_text(deck.slides[1])
    assert text.startswith(f"What to tell the executives this quarter: {Q}")
    for item in told.items:
        assert item.sentence in text
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert all(item.url in notes for item in told.items)


def test_progress_is_reported_in_order(deck, deck_progress):
    fractions = [f for f, _ in deck_progress]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] == 1.0
    assert any("chart" in m for _, m in deck_progress)


# ---- layout ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def every_slide(sample):
    """Every slide there can be: all services, for a business unit (longer titles)."""
    return slides(sample, Q, services=views.service_options(sample), business_unit="Sales")


@pytest.mark.parametrize("face", [ARIAL, DEJAVU], ids=["deck", "pdf"])
def test_every_slide_is_laid_out_without_overflow(every_slide, face):
    for slide in every_slide.slides:
        assert not overflows(layout(slide, face), face), slide.key


def test_a_long_title_is_wrapped_then_shortened():
    words = "Website Sales costs far more than anyone thought it would " * 6
    slide = Slide("x", "chart", words, notes="n", caption=words)
    page = layout(slide)
    assert not overflows(page)
    title = next(s for s in page.shapes if getattr(s, "name", "") == "title")
    assert len(title.paras[0].lines) == 2 and title.paras[0].size == 28
    assert title.paras[0].lines[-1].endswith("…")


def test_many_cards_still_fit():
    card = Card("A long label that wraps onto a second line", "$1,234,567", "+2.0% on 2026-Q2")
    for n in range(1, 10):
        page = layout(Slide("cards", "cards", "Headline figures", notes="n", cards=(card,) * n))
        assert not overflows(page), n


def test_widths_are_estimated_without_the_font_files(monkeypatch):
    monkeypatch.setattr(typeset, "FONT_DIRS", ())
    typeset._font.cache_clear()
    try:
        assert typeset.font_file() is None
        assert typeset.text_width("abcd", 10) == pytest.approx(4 * 10 * 0.62)
        assert len(typeset.wrap("a " * 50, 60, 10)) > 1
    finally:
        typeset._font.cache_clear()


# ---- budget vs actual, the year end and what-if scenarios ----------------------------------

CLOUD_EMAIL = whatif.Scenario("Cloud email", (whatif.change_from_text(
    "move", f"{EMAIL}=Cloud email & productivity suite"),))


def without_budget(dataset):
    return dataset.with_tables(budget=table(dataset, "budget").iloc[0:0])


@pytest.fixture(scope="module")
def budget_story(sample):
    return {s.key: s for s in slides(sample, Q, scenarios=(CLOUD_EMAIL,)).slides}


def test_budget_slide_says_the_answer_and_names_the_largest_variances(budget_story, sample):
    slide = budget_story["budget"]
    b = budget.summary(sample, quarter=Q)
    assert slide.title == "IT is on budget to 2026-Q3: $2,372,537 against $2,400,000 (−1.1%)."
    assert fmt_measure("actual_ytd", b.actual_ytd) in slide.title
    # the notes open with the Overview's budget sentence; the largest variances are named
    overview = views.overview(sample, Q).budget_sentences
    assert slide.notes.startswith(overview[0])
    largest = budget.largest_variances(sample, quarter=Q)
    assert [f.split(":")[0] for f in slide.bullets] == [v.service for v in largest]
    assert "Website Sales: −$35,277 (−5.9%) to date" in slide.notes
    bars = slide.figure.data[0]
    # the furthest off at the top, either way (plotly draws the first bar at the bottom)
    assert list(bars.y)[::-1][:2] == ["Website Sales", "CRM"]
    assert len(bars.y) <= 8


def test_year_end_slide_shows_prediction_budget_and_basis(budget_story, sample):
    slide = budget_story["year-end"]
    b = budget.summary(sample, quarter=Q)
    assert slide.title == ("2026 ends on budget: $3,172,537 predicted against the $3,200,000 "
                           "budget.")
    assert [c.label for c in slide.cards] == ["End of year predicted", "Full-year budget",
                                              "Full-year variance"]
    assert slide.cards[0].value == fmt_measure("end_of_year_predicted", b.end_of_year_predicted)
    assert "Reforecast Q2's forecast rows" in slide.bullets[0]
    overview = views.overview(sample, Q).budget_sentences
    assert slide.notes.startswith(overview[1])


def test_no_budget_no_budget_slides(sample):
    keys = [s.key for s in slides(without_budget(sample), Q).slides]
    assert "budget" not in keys and "year-end" not in keys
    assert "recovery" in keys


def test_a_scenario_gets_a_slide_of_its_own(budget_story, sample):
    slide = budget_story["scenario:Cloud email"]
    result = whatif.evaluate(sample, CLOUD_EMAIL, Q)
    change = fmt_measure("yearly_cost_change", result.yearly_cost_change)
    assert slide.title == f"Cloud email: {change} a year."
    assert [c.label for c in slide.cards] == ["Yearly cost change",
                                              "IT cost per user per month",
                                              "Budget variance after"]
    assert slide.cards[2].value == fmt_measure("budget_variance_after", result.variance_after)
    assert any(b.startswith("Gives up: ") and "availability" in b for b in slide.bullets)
    assert "Gives up:" in slide.notes and "Today $896.57" in slide.notes
    assert list(budget_story)[-1] == "scenario:Cloud email"  # scenarios close the deck


@pytest.mark.parametrize("face", [ARIAL, DEJAVU], ids=["deck", "pdf"])
def test_budget_and_scenario_slides_fit(budget_story, face):
    for key in ("budget", "year-end", "scenario:Cloud email"):
        assert not overflows(layout(budget_story[key], face), face), key


def test_pdf_carries_the_budget_and_scenario_pages(sample):
    data = report.build_pdf(sample, Q, scenarios=(CLOUD_EMAIL,))
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]
    assert any("IT is on budget to 2026-Q3" in p for p in pages)
    assert any("2026 ends on budget" in p for p in pages)
    assert "Cloud email:" in pages[-1] and "Budget variance after" in pages[-1]


def test_workbook_budget_sheet(book, sample):
    ws = book["Budget"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Service", "Budget to date (USD)", "Actual to date (USD)",
                          "Variance to date", "Variance to date %"]
    assert "End of year predicted (USD)" in header and "Full-year budget (USD)" in header
    year = budget.compare(sample, "service", quarter=Q).year_table
    first = year.iloc[0]
    assert ws["A2"].value == first["service"] == "Website Sales"
    assert ws["D2"].value == pytest.approx(first["variance_ytd"])
    assert ws["E2"].value == pytest.approx(first["variance_ytd_pct"] / 100)  # a fraction
    assert "%" in ws["E2"].number_format
    assert ws.max_row == len(year) + 1


def test_workbook_without_a_budget_has_no_budget_sheet(sample):
    data = report.build_workbook(without_budget(sample), Q)
    assert "Budget" not in openpyxl.load_workbook(io.BytesIO(data)).sheetnames


# ---- the PDF ---------------------------------------------------------------------------------

def test_pdf_has_a_16_9_landscape_page_per_slide(pdf, deck):
    assert len(pdf.pages) == len(deck.slides)
    for page in pdf.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert (w, h) == pytest.approx((960, 540))


def test_pdf_text_is_real_and_findable(pdf, sample, email_per_user):
    pages = [p.extract_text() for p in pdf.pages]
    flat = [re.sub(r"\s+", " ", t) for t in pages]
    assert "Northwind Traders" in flat[0]
    assert "What to tell the executives this quarter" in flat[1]  # the briefing
    for page, title in zip(flat[1:], [s.title for s in views.story(sample, Q)], strict=False):
        assert title in page
    assert email_per_user in flat[-1]
    assert "$796,153" in flat[2]


def test_pdf_embeds_the_unicode_font_and_the_charts(pdf):
    fonts = set()
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVu" in f for f in fonts)
    # title, briefing, cards, the story, cost recovery, budget vs actual, year end (cards),
    # Email
    assert [len(p.images) for p in pdf.pages] == [0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1]
    assert pdf.metadata.title.startswith("IT service value: Northwind Traders")


def test_pdf_falls_back_to_helvetica_without_dejavu(monkeypatch):
    monkeypatch.setattr(typeset, "FONT_DIRS", ())
    typeset._font.cache_clear()
    try:
        data = report.build_pdf(load([]))
    finally:
        typeset._font.cache_clear()
    text = PdfReader(io.BytesIO(data)).pages[1].extract_text()
    assert "no cost data" in text


# ---- the workbook ----------------------------------------------------------------------------

def test_workbook_has_a_summary_every_table_and_an_about_sheet(book):
    assert book.sheetnames == ["Summary", *TABLE_SHEETS, "About these figures"]


def test_workbook_services_carry_real_numbers_and_formats(book, sample, email_per_user):
    ws = book["Services"]
    header = [c.value for c in ws[1]]
    col = header.index("Cost per user per month (USD)") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == EMAIL)
    cell = ws.cell(row, col)
    cpu = costing.cost_per_user(sample, Q)
    assert cell.value == pytest.approx(
        cpu.loc[cpu["service"] == EMAIL, "cost_per_user_month"].iloc[0])
    # per-user figures with cents, totals whole; negatives with the typographic minus
    assert cell.number_format == '"$"#,##0.00;"−$"#,##0.00'
    assert (ws.cell(row, header.index("Total cost (USD)") + 1).number_format
            == '"$"#,##0;"−$"#,##0')
    summary_text = " ".join(str(c.value) for r in book["Summary"].iter_rows() for c in r
                            if c.value is not None)
    assert f"{EMAIL} costs {email_per_user} per user per month" in summary_text


def test_workbook_percents_are_fractions_shown_as_percent(book, sample):
    ws = book["Proactive share"]
    header = [c.value for c in ws[1]]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    cell = ws.cell(rows[Q], header.index("Proactive share") + 1)
    assert cell.number_format == '0.0%;"−"0.0%'
    assert cell.value == pytest.approx(0.568, abs=0.001)
    allocations = book["Allocations"]
    share = [c.value for c in allocations[1]].index("Share of the line") + 1
    assert allocations.cell(2, share).number_format == '0.0%;"−"0.0%'
    blocks = book["Blocks"]
    assert blocks.cell(2, 3).number_format == "d mmm yyyy"
    # hours as fmt_hours writes them: one decimal below 100, none from 100 up
    assert blocks.cell(2, 5).number_format == '[>=100]#,##0" h";[<=-100]"−"#,##0" h";#,##0.0" h"'


def test_workbook_headers_are_frozen_and_columns_fit(book):
    for name in TABLE_SHEETS:
        ws = book[name]
        assert ws.freeze_panes == "B2", name
        assert ws.auto_filter.ref, name
        for col in range(1, ws.max_column + 1):
            letter = openpyxl.utils.get_column_letter(col)
            width = ws.column_dimensions[letter].width
            longest = max((len(str(ws.cell(r, col).value)) for r in range(2, ws.max_row + 1)
                           if isinstance(ws.cell(r, col).value, str)
                           and not ws.cell(r, col).alignment.wrap_text), default=0)
            assert 8 <= width <= 62 and width >= min(longest, 58), (name, letter)
    assert book["About these figures"].freeze_panes == "A2"
    assert book["Summary"].freeze_panes is not None


def test_about_sheet_explains_each_sheet_and_figure(book):
    rows = [[c.value for c in r] for r in book["About these figures"].iter_rows(min_row=2)]
    sheets = {r[0] for r in rows}
    assert set(TABLE_SHEETS) <= sheets
    about = {(r[0], r[1]): r[2] for r in rows}
    assert "÷ users ÷ 3" in about[("Services", "Cost per user per month (USD)")]


def test_workbook_holds_no_formula(book_bytes):
    with zipfile.ZipFile(io.BytesIO(book_bytes)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


def test_workbook_leaves_the_dataset_untouched(sample):
    before = snapshot(sample)
    report.build_workbook(sample, Q, business_unit="Sales")
    assert_unchanged(sample, before)


FORMULA_NAMES = {
    EMAIL: '=HYPERLINK("http://example.com","click me")',
    "CRM": "+cmd|' /C calc'!A0",
    "Payroll": "-x",
    "Accounting": "@sum(1,2)",
}


def _renamed(dataset):
    tables = {}
    for key, frame in dataset.tables.items():
        if "service" in frame.columns:
            frame = frame.assign(service=frame["service"].replace(FORMULA_NAMES))
        tables[key] = frame
    return dataset.with_tables(**tables)


def test_formula_like_service_names_stay_text(sample):
    data = report.build_workbook(_renamed(sample), Q)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    seen = set()
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert cell.quotePrefix, (ws.title, cell.coordinate)
                    seen.add(cell.value)
    assert set(FORMULA_NAMES.values()) <= seen
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if "worksheets/" in n)


@pytest.mark.parametrize("value, formula_like", [
    ("=1+1", True), ("+cmd", True), ("-x", True), ("@sum", True), ("plain", False),
    ("a=b", False), ("−5 (typographic minus)", False)])
def test_put_keeps_formula_like_text_as_text(value, formula_like):
    cell = openpyxl.Workbook().active["A1"]
    put(cell, value)
    assert cell.value == value and cell.data_type == "s"
    assert bool(cell.quotePrefix) is formula_like


def test_workbook_progress(sample):
    seen = []
    report.build_workbook(sample, Q, progress=lambda f, m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 5


# ---- edges -----------------------------------------------------------------------------------

def test_an_unknown_quarter_or_service_says_what_there_is(sample):
    with pytest.raises(ValueError, match="Quarters with data: 2024-Q4"):
        report.build_workbook(sample, "1999-Q1")
    with pytest.raises(ValueError, match="No service named 'Fax'.*Services: Accounting"):
        report.build_deck(sample, Q, services=("Fax",))


def test_an_empty_dataset_still_exports():
    empty = load([])
    deck = Presentation(io.BytesIO(report.build_deck(empty)))
    assert len(deck.slides) == 2 and "no cost data" in slide_text(deck.slides[1])
    book = openpyxl.load_workbook(io.BytesIO(report.build_workbook(empty)))
    assert book.sheetnames[0] == "Summary"
    assert len(PdfReader(io.BytesIO(report.build_pdf(empty))).pages) == 2


def test_a_chart_that_cannot_be_drawn_says_what_to_install(sample, monkeypatch):
    import kaleido

    class NoBrowser:
        def __init__(self, *args, **kwargs):
            raise RuntimeError("no browser")

    monkeypatch.setattr(kaleido, "Kaleido", NoBrowser)
    with pytest.raises(report.ChartError, match="apt-get install chromium"):
        report.build_deck(sample, Q)


def test_formats_map_extensions_to_mime_types():
    assert set(report.FORMATS) == {".pptx", ".xlsx", ".pdf"}


# ---- the command line ------------------------------------------------------------------------

def test_cli_writes_a_workbook(tmp_path, capsys):
    out = tmp_path / "book.xlsx"
    assert cli(["report", "--data", *map(str, SAMPLE), "--quarter", Q, "--out", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"


def test_cli_writes_a_deck_with_a_service_slide(tmp_path, capsys):
    out = tmp_path / "deck.pptx"
    args = ["report", "--data", *map(str, SAMPLE), "--quarter", Q, "--out", str(out),
            "--service", EMAIL]
    assert cli(args) == 0
    deck = Presentation(str(out))
    assert slide_text(deck.slides[-1]).startswith(EMAIL)


def test_cli_adds_a_slide_per_scenario(tmp_path, capsys, monkeypatch):
    from valuelib.store import Store

    monkeypatch.delenv("VALUELIB_DATABASE_URL", raising=False)
    monkeypatch.setenv("VALUELIB_DATA_DIR", str(tmp_path / "data"))
    store = Store.from_env()
    saved = store.save_scenario("Fewer CRM users", whatif.Scenario("", (
        whatif.change_from_text("users", "CRM=20"),)).as_dict(), None)
    store.close()
    out = tmp_path / "deck.pptx"
    args = ["report", "--data", *map(str, SAMPLE), "--quarter", Q, "--out", str(out),
            "--scenario", str(saved.id), "--move", f"{EMAIL}=Cloud email & productivity suite",
            "--scenario-name", "Cloud email"]
    assert cli(args) == 0
    titles = [slide_text(s).split("\n")[0] for s in Presentation(str(out)).slides]
    assert titles[-2].startswith("Fewer CRM users: ")
    assert titles[-1].startswith("Cloud email: ")
    assert cli([*args[:args.index("--out") + 2], "--scenario", "999"]) == 2
    assert "999" in capsys.readouterr().err


@pytest.mark.parametrize("out, message", [
    ("report.docx", "NAME.pptx (deck), NAME.xlsx (workbook) or NAME.pdf"),
    ("report", "cannot tell the format"),
])
def test_cli_rejects_an_unknown_extension(tmp_path, capsys, out, message):
    assert cli(["report", "--data", *map(str, SAMPLE), "--out", str(tmp_path / out)]) == 2
    assert message in capsys.readouterr().err


def test_cli_names_a_missing_file_quarter_or_service(tmp_path, capsys):
    out = str(tmp_path / "deck.pdf")
    assert cli(["report", "--data", "nope.xlsx", "--out", out]) == 2
    assert "no such file: nope.xlsx" in capsys.readouterr().err
    assert cli(["report", "--data", *map(str, SAMPLE), "--quarter", "1999-Q1",
                "--out", out]) == 2
    assert "No data for quarter '1999-Q1'" in capsys.readouterr().err
    assert cli(["report", "--data", *map(str, SAMPLE), "--service", "Fax", "--out", out]) == 2
    assert "No service named 'Fax'" in capsys.readouterr().err
    assert not Path(out).exists()
