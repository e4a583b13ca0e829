"""valuelib: the IT service value dashboard's core. Pure Python; never imports streamlit.

One namespace for the everyday entry points; the modules hold the rest (``costing``,
``market``, ``portfolio``, ``support``, ``views``, ``ask``, ``report``, ``store``,
``publishing``, ``editors``, ``datafiles``).
"""

from .ask import answer
from .ingest import load, load_paths
from .model import (
    Dataset,
    Finding,
    Settings,
    SourceFile,
    findings_frame,
    latest_complete_quarter,
)
from .summary import ExecutiveSummary, summarize
from .template import write_template

__all__ = [
    "Dataset",
    "ExecutiveSummary",
    "Finding",
    "Settings",
    "SourceFile",
    "answer",
    "findings_frame",
    "latest_complete_quarter",
    "load",
    "load_paths",
    "summarize",
    "write_template",
]
