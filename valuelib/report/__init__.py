"""Exports to hand out and keep: the deck (.pptx), the workbook (.xlsx) and the PDF.

- :func:`build_deck`: a 16:9 PowerPoint deck: title, headline figures, the story (cost per
  user vs market, cost vs value, proactive vs reactive, block of hours), "Budget vs actual"
  and "Year end" (with a budget), one slide per chosen service and one per chosen what-if
  scenario (``scenarios``), each with one message as its title and the plain-English
  reading in the speaker notes. Charts are the app's plotly figures drawn to PNG with
  kaleido (one server per export).
- :func:`build_pdf`: the same slides as 16:9 landscape PDF pages, with real (selectable,
  searchable) text.
- :func:`build_workbook`: a Summary sheet, every table behind it with real number formats,
  and an "About these figures" sheet.
- :func:`build_bill_workbook` / :func:`build_bill_pdf`: one business unit's Bill of IT
  (its charges for the quarter and the fiscal year to date, what each tier commits to, how
  the charges were based) as an .xlsx or an A4 PDF (:mod:`.bill`).

Every builder takes ``(dataset, quarter=None, ..., business_unit=None, progress=None)``:
``quarter`` None is the latest quarter with cost data; ``progress(fraction, message)`` is
called as the export goes, for a progress bar. An unknown quarter or service raises
ValueError with the names there are. Each returns the file's bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Dataset
from ..whatif import Scenario
from . import bill as _bill
from .deck import write_deck
from .slides import ChartError, Progress, prepare
from .typeset import ARIAL, DEJAVU
from .workbook import write_workbook

__all__ = ["FORMATS", "ChartError", "build_bill_pdf", "build_bill_workbook", "build_deck",
           "build_pdf", "build_workbook"]

# file extension -> MIME type (for a download button)
FORMATS = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}


def _done(progress: Progress, what: str) -> None:
    if progress:
        progress(1.0, f"{what} ready")


def _story_file(write, face, stage: str, what: str, dataset: Dataset, quarter, services,
                business_unit, progress: Progress, scenarios: Sequence[Scenario] = ()
                ) -> bytes:
    """The story (and a slide per service and per scenario) prepared once, then written by
    ``write``."""
    rendered = prepare(dataset, quarter, services, business_unit, progress, face, scenarios)
    if progress:
        progress(0.9, stage)
    data = write(rendered)
    _done(progress, what)
    return data


def build_deck(dataset: Dataset, quarter: str | None = None, services: Sequence[str] = (),
               business_unit: str | None = None, progress: Progress = None,
               scenarios: Sequence[Scenario] = ()) -> bytes:
    """The deck as .pptx bytes: 16:9 (13.333 × 7.5 in), one message a slide, speaker notes."""
    return _story_file(write_deck, ARIAL, "Writing the slides", "Deck", dataset, quarter,
                       services, business_unit, progress, scenarios)


def build_pdf(dataset: Dataset, quarter: str | None = None, services: Sequence[str] = (),
              business_unit: str | None = None, progress: Progress = None,
              scenarios: Sequence[Scenario] = ()) -> bytes:
    """The deck's story as PDF bytes: one 16:9 landscape page per slide, selectable text."""
    from .pdf import write_pdf  # fpdf2 is needed for the PDF only

    return _story_file(write_pdf, DEJAVU, "Writing the pages", "PDF", dataset, quarter,
                       services, business_unit, progress, scenarios)


def build_workbook(dataset: Dataset, quarter: str | None = None,
                   business_unit: str | None = None, progress: Progress = None) -> bytes:
    """The workbook as .xlsx bytes: Summary, the tables behind it, About these figures."""
    data = write_workbook(dataset, quarter, business_unit, progress)
    _done(progress, "Workbook")
    return data


def build_bill_workbook(dataset: Dataset, business_unit: str,
                        quarter: str | None = None) -> bytes:
    """``business_unit``'s Bill of IT as .xlsx bytes (ValueError names the units or quarters
    there are, or says there are no tiers)."""
    return _bill.write_bill_workbook(_bill.bill(dataset, business_unit, quarter))


def build_bill_pdf(dataset: Dataset, business_unit: str, quarter: str | None = None) -> bytes:
    """``business_unit``'s Bill of IT as A4 PDF bytes, with selectable text."""
    return _bill.write_bill_pdf(_bill.bill(dataset, business_unit, quarter))
