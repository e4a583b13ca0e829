"""Handouts for budget meetings: the deck, the workbook and the PDF, built on request (they
take a few seconds) with a progress bar, then offered for download."""

from __future__ import annotations

import logging
import mimetypes
import re

import streamlit as st

from valuelib.safe_text import plain

from . import data, render, state

# valuelib.report (python-pptx, kaleido, fpdf2) is imported where a handout is built, not at
# start-up: it would add about 0.4 s before an executive sees the first figure.

log = logging.getLogger(__name__)

_KINDS = (  # (kind, button label, file extension, has service slides)
    ("deck", "Deck (.pptx)", "pptx", True),
    ("pdf", "PDF", "pdf", True),
    ("workbook", "Workbook (.xlsx)", "xlsx", False),
)
_WITH_SCENARIOS = "export_with_scenarios"  # the toggle that offers saved scenarios
_SCENARIO_IDS = "export_scenarios"  # the ids of the saved scenarios chosen
_BUILT = "built_exports"  # session: {(source key, quarter, unit, services, scenario ids, kind)
#                                        : bytes}


def _scenarios(chosen) -> tuple:
    """The saved scenarios chosen for slides, as whatif scenarios (one that cannot be read
    is left out: the Plan page says why)."""
    from valuelib import whatif

    out = []
    for saved in chosen:
        try:
            found = whatif.Scenario.from_dict(saved.scenario)
        except ValueError:
            continue
        out.append(whatif.Scenario(saved.name, found.changes))
    return tuple(out)


def chosen_scenarios() -> tuple:
    """The saved what-if scenarios chosen below for slides, as whatif scenarios: the deck,
    the PDF and the Presentation page each give them a step. The store is read only when
    the toggle is on (see export_buttons)."""
    ids = st.session_state.get(_SCENARIO_IDS) or ()
    if not st.session_state.get(_WITH_SCENARIOS) or not ids:
        return ()
    from . import plan

    saved = {s.id: s for s in plan.saved_scenarios() or []}
    return _scenarios(saved[i] for i in ids if i in saved)


def _build(kind: str, source: data.Source, quarter, unit, services, progress,
           scenarios=()) -> bytes:
    from valuelib import report

    if kind == "workbook":
        return report.build_workbook(source.dataset, quarter, business_unit=unit,
                                     progress=progress)
    build = report.build_deck if kind == "deck" else report.build_pdf
    return build(source.dataset, quarter, services=services, business_unit=unit,
                 progress=progress, scenarios=_scenarios(scenarios))


def _file_name(source: data.Source, quarter: str | None, extension: str) -> str:
    # the organisation's name is data: only letters, digits and hyphens reach a file name
    organisation = re.sub(r"[^\w]+", "-", plain(source.dataset.settings.organization))
    organisation = organisation.strip("-").lower() or "organisation"
    return f"{organisation}-it-value-{quarter or 'latest'}.{extension}"


def export_buttons(source: data.Source) -> None:
    quarter, unit = state.quarter(), state.business_unit()
    names = source.choices.services
    services = tuple(st.multiselect("Add a slide for each of these services", names,
                                    key="export_services"))
    saved, ids = {}, []
    # Read from the store only when asked: a page run asks the database one small query (the
    # newest version id, tests/test_scale.py), and every Overview run draws these buttons.
    if st.toggle("Add slides for saved what-if scenarios", key=_WITH_SCENARIOS):
        from . import plan

        saved = {s.id: s for s in plan.saved_scenarios() or []}
        ids = st.multiselect("Add a slide for each of these saved what-if scenarios",
                             list(saved), format_func=lambda i: saved[i].label,
                             key=_SCENARIO_IDS) if saved else []
        if not saved:
            st.caption("No saved scenarios yet: save one on the Plan page.")
    chosen = tuple(saved[i] for i in ids if i in saved)
    built = st.session_state.setdefault(_BUILT, {})
    columns = st.columns(len(_KINDS))
    for column, (kind, label, extension, per_service) in zip(columns, _KINDS, strict=True):
        key = (source.key, quarter, unit, services if per_service else (),
               tuple(s.id for s in chosen) if per_service else (), kind)
        with column:
            if key not in built and st.button(f"Prepare {label}", key=f"prepare_{kind}",
                                              icon=":material/description:", width="stretch"):
                bar = st.progress(0.0, text=f"Building the {label} …")
                try:
                    built[key] = _build(kind, source, quarter, unit, services,
                                        lambda f, m, bar=bar: bar.progress(min(f, 1.0),
                                                                  text=render.md(m)),
                                        chosen)
                except RuntimeError as exc:  # report.ChartError: no browser to draw charts
                    st.error(render.md(str(exc)))
                except Exception:  # a handout must never turn into a traceback on screen
                    log.exception("export %s failed", kind)
                    st.error(f"The {label} could not be built. The dashboard itself is fine; "
                             "try again, or use the command line: python -m valuelib report.")
                bar.empty()
            if key in built:
                name = _file_name(source, quarter, extension)
                st.download_button(f"Download {label}", built[key], name,
                                   mime=mimetypes.guess_type(name)[0], key=f"download_{kind}",
                                   icon=":material/download:", type="primary", width="stretch")


# ---- the Bill of IT (issue 16): one business unit's statement as a handout -------------------

_BILLS = "built_bills"  # session: {(source key, quarter, unit): {extension: bytes, "name": …}}
_BILL_KINDS = (("xlsx", "Bill of IT (.xlsx)"), ("pdf", "Bill of IT (PDF)"))


def _build_bills(source: data.Source, unit: str, quarter: str | None) -> dict:
    from valuelib.report import bill

    statement = bill.bill(source.dataset, unit, quarter)
    return {"xlsx": bill.write_bill_workbook(statement), "pdf": bill.write_bill_pdf(statement),
            "names": {ext: bill.file_name(statement, ext) for ext, _ in _BILL_KINDS}}


def bill_buttons(source: data.Source, unit: str, quarter: str | None = None) -> None:
    """Downloads of ``unit``'s Bill of IT for ``quarter`` (None: the chargeback's default
    quarter) as .xlsx and PDF, for the Chargeback page: one button prepares both (about a
    second), then each downloads. A bill that cannot be made says why, never a traceback."""
    built = st.session_state.setdefault(_BILLS, {})
    key = (source.key, quarter, unit)
    if key not in built:
        if not st.button("Prepare the Bill of IT", key="prepare_bill",
                         icon=":material/receipt_long:"):
            return
        try:
            with st.spinner(f"Preparing the Bill of IT for {render.md(unit)} …"):
                built[key] = _build_bills(source, unit, quarter)
        except ValueError as exc:  # an unknown unit or quarter, or no tiers: the message says
            st.info(render.md(str(exc)))
            return
        except Exception:  # a handout must never turn into a traceback on screen
            log.exception("Bill of IT for %s failed", unit)
            st.error("The Bill of IT could not be built. The dashboard itself is fine; try "
                     "again, or use the command line: python -m valuelib bill.")
            return
    files = built[key]
    for column, (extension, label) in zip(st.columns(len(_BILL_KINDS)), _BILL_KINDS,
                                          strict=True):
        with column:
            name = files["names"][extension]
            st.download_button(f"Download {label}", files[extension], name,
                               mime=mimetypes.guess_type(name)[0], key=f"download_bill_{extension}",
                               icon=":material/download:", type="primary", width="stretch")
