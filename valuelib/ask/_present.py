"""The one door from the question box to the presentation layer: the page's facts, its
formatter and its words. Answers import these names from here only, so when the presentation
layer moves (``valuelib.present``) this is the single file to repoint."""

from __future__ import annotations

from ..present.facts import Facts
from ..present.formatting import (
    fmt_change,
    fmt_count,
    fmt_date,
    fmt_hours,
    fmt_list,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_points,
)

__all__ = ["Facts", "fmt_change", "fmt_count", "fmt_date", "fmt_hours", "fmt_list",
           "fmt_money", "fmt_number", "fmt_percent", "fmt_points"]
