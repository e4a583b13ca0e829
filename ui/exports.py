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
_BUILT = "built_exports"  # session: {(source key, quarter, unit, services, kind): bytes}


def _build(kind: str, source: data.Source, quarter, unit, services, progress) -> bytes:
    from valuelib import report

    if kind == "workbook":
        return report.build_workbook(source.dataset, quarter, business_unit=unit,
                                     progress=progress)
    build = report.build_deck if kind == "deck" else report.build_pdf
    return build(source.dataset, quarter, services=services, business_unit=unit,
                 progress=progress)


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
    built = st.session_state.setdefault(_BUILT, {})
    columns = st.columns(len(_KINDS))
    for column, (kind, label, extension, per_service) in zip(columns, _KINDS, strict=True):
        key = (source.key, quarter, unit, services if per_service else (), kind)
        with column:
            if key not in built and st.button(f"Prepare {label}", key=f"prepare_{kind}",
                                              icon=":material/description:", width="stretch"):
                bar = st.progress(0.0, text=f"Building the {label} …")
                try:
                    built[key] = _build(kind, source, quarter, unit, services,
                                        lambda f, m, bar=bar: bar.progress(min(f, 1.0),
                                                                  text=render.md(m)))
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
