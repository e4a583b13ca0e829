"""valuelib.charts: every chart builds from the sample organisation's analytics frames and
from empty frames, is titled, labels its axes (with units and currency), stays readable at
1280×720, and draws the work classes in CLASS_COLORS."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from valuelib import charts, costing, perception, portfolio, summary, support
from valuelib.ingest import load_paths
from valuelib.schema import WORK_CLASSES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))
Q = "2026-Q3"
EMAIL = "Email & Productivity"


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    """The analytics frames each chart is drawn from, for the sample organisation."""
    ds = load_paths(SAMPLE)
    cpu = costing.cost_per_user(ds, Q)
    as_of = pd.date_range("2026-07-31", "2026-09-30", freq="ME")
    history = pd.concat([support.block_status(ds, d) for d in [pd.Timestamp("2026-07-01"),
                                                               *as_of]])
    shown = costing.showback(ds, Q)
    return {
        "services": summary.summarize(ds, Q).services,
        "trend": costing.cost_trend(ds, "cost_per_user_month", EMAIL),
        "pools": costing.cost_by_pool(ds),
        "showback": shown[shown["service"] == EMAIL],
        "cost_value": portfolio.cost_vs_value(ds, Q).merge(
            cpu[["service", "users", "total_cost"]], on="service"),
        "share": support.proactive_share(ds),
        "share_month": support.proactive_share(ds, by="month"),
        "mix": support.work_mix(ds),
        "block": history[history["block"] == "2026-27 support block"],
        "matrix": support.priority_matrix(ds, Q),
        "contact": perception.contact_satisfaction(ds),
    }


# chart name -> (how to draw it from the frames, words the x and y axis titles must hold)
CHARTS = {
    "cost_per_user_vs_market": (
        lambda f, **kw: charts.cost_per_user_vs_market(f["services"], "USD", **kw),
        "per user per month", ""),
    "cost_per_user_trend": (
        lambda f, **kw: charts.cost_per_user_trend(f["trend"], "USD", service=EMAIL,
                                                   offer_price=15.0, offer_name="Suite", **kw),
        "Quarter", "per user per month (USD)"),
    "cost_by_pool": (lambda f, **kw: charts.cost_by_pool(f["pools"], "USD", **kw),
                     "Quarter", "(USD)"),
    "showback": (lambda f, **kw: charts.showback(f["showback"], "USD", highlight="Sales", **kw),
                 "(USD)", ""),
    "cost_vs_value": (lambda f, **kw: charts.cost_vs_value(f["cost_value"], "USD", **kw),
                      "per user per month (USD", "Value score"),
    "proactive_trend": (lambda f, **kw: charts.proactive_trend(f["share"], **kw),
                        "Quarter", "%"),
    "proactive_trend_month": (
        lambda f, **kw: charts.proactive_trend(f["share_month"], by="month", **kw),
        "Month", "%"),
    "work_mix": (lambda f, **kw: charts.work_mix(f["mix"], **kw), "Quarter", "Hours"),
    "block_burndown": (lambda f, **kw: charts.block_burndown(f["block"], **kw),
                       "Date", "Hours left"),
    "priority_heatmap": (lambda f, **kw: charts.priority_heatmap(f["matrix"], **kw),
                         "Urgency", "Impact"),
    "contact_satisfaction_trend": (
        lambda f, **kw: charts.contact_satisfaction_trend(f["contact"], highlight=[EMAIL], **kw),
        "Quarter", "Satisfaction"),
}


def _title(fig: go.Figure) -> str:
    return fig.layout.title.text or ""


def _empty(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {k: v.iloc[0:0] for k, v in frames.items()}


@pytest.mark.parametrize("name", CHARTS)
@pytest.mark.parametrize("which", ["sample", "empty typed frames", "bare empty frames"])
def test_chart_builds_titled_with_labelled_axes(frames, name, which):
    draw, x_words, y_words = CHARTS[name]
    given = {"sample": frames, "empty typed frames": _empty(frames),
             "bare empty frames": dict.fromkeys(frames, pd.DataFrame())}[which]
    fig = draw(given)
    assert isinstance(fig, go.Figure)
    assert _title(fig).strip()
    if x_words:
        assert x_words in fig.layout.xaxis.title.text
    if y_words:
        assert y_words in fig.layout.yaxis.title.text
    fig.to_json()  # serialisable, as st.plotly_chart and the exports need
    if which != "sample":
        notes = [a.text for a in fig.layout.annotations]
        assert any(n.startswith("No ") for n in notes), notes


@pytest.mark.parametrize("name", CHARTS)
def test_message_title_is_used_and_long_ones_wrap(frames, name):
    draw = CHARTS[name][0]
    message = ("Email & Productivity costs $12.58 per user per month, 16% below the $15 offer, "
               "and it has done so for eight quarters in a row")
    fig = draw(frames, title=message)
    assert _title(fig).replace("<br>", " ") == message
    assert "<br>" in _title(fig)  # wrapped to stay inside a 1280 px wide image


@pytest.mark.parametrize("name", CHARTS)
@pytest.mark.parametrize("presentation, font, title", [(False, 14, 20), (True, 18, 28)])
def test_fonts_are_readable_and_larger_for_presenting(frames, name, presentation, font, title):
    fig = CHARTS[name][0](frames, presentation=presentation)
    assert fig.layout.font.size >= font
    assert fig.layout.title.font.size >= title
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        assert axis.tickfont.size >= font
        assert axis.title.font.size >= font
    for note in fig.layout.annotations:
        assert note.font.size is None or note.font.size >= 14
    for trace in fig.data:
        size = getattr(getattr(trace, "textfont", None), "size", None)
        assert size is None or size >= 14


def test_presentation_scales_up(frames):
    draw = CHARTS["work_mix"][0]
    screen, shown = draw(frames), draw(frames, presentation=True)
    assert shown.layout.font.size > screen.layout.font.size
    assert shown.layout.title.font.size > screen.layout.title.font.size


def test_class_colors_cover_every_work_class_in_order():
    assert tuple(charts.CLASS_COLORS) == WORK_CLASSES
    assert len(set(charts.CLASS_COLORS.values())) == len(WORK_CLASSES)


def test_work_mix_draws_each_class_in_its_colour(frames):
    mix = frames["mix"].copy()
    mix.loc[mix["work_class"] == "unclassified", "hours"] = 5.0  # so every class is drawn
    fig = charts.work_mix(mix)
    drawn = {t.name.lower(): t.marker.color for t in fig.data}
    assert drawn == charts.CLASS_COLORS
    assert fig.layout.barmode == "stack"


def test_work_mix_leaves_out_a_class_with_nothing_in_it(frames):
    names = {t.name.lower() for t in charts.work_mix(frames["mix"]).data}
    assert names == {"reactive", "proactive", "routine"}  # the sample has no unclassified


def test_proactive_trend_is_drawn_in_the_proactive_colour(frames):
    fig = charts.proactive_trend(frames["share"])
    assert fig.data[0].line.color == charts.CLASS_COLORS["proactive"]


def test_proactive_trend_marks_periods_counted_by_tickets(frames):
    share = frames["share"].copy()
    share.loc[share.index[:2], "basis"] = "tickets"
    fig = charts.proactive_trend(share)
    symbols = list(fig.data[0].marker.symbol)
    assert symbols[:2] == ["circle-open", "circle-open"] and symbols[2] == "circle"
    assert any("tickets" in (t.name or "") for t in fig.data)


def test_market_chart_marks_offers_and_splits_the_not_comparable_part(frames):
    fig = charts.cost_per_user_vs_market(frames["services"], "USD")
    names = [t.name for t in fig.data]
    assert "Cheapest applicable offer" in names
    assert "In-house, left out of the comparison" in names  # email's archive storage
    offers = next(t for t in fig.data if t.name == "Cheapest applicable offer")
    assert dict(zip(offers.y, offers.x, strict=True))[EMAIL] == 15.0
    # every bar is named on the axis, its figures under its name
    ticks = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    assert set(ticks) == set(fig.data[0].y)
    assert "$12.58" in ticks[EMAIL] and "offer $15.00" in ticks[EMAIL]


def test_bar_charts_grow_with_their_bars_and_start_at_zero(frames):
    few = charts.cost_per_user_vs_market(frames["services"].head(2), "USD")
    many = charts.cost_per_user_vs_market(
        pd.concat([frames["services"]] * 3).assign(
            service=lambda d: [f"S{i}" for i in range(len(d))]), "USD")
    assert many.layout.height > few.layout.height
    assert few.layout.xaxis.range[0] == 0


def test_crowded_bubbles_leave_names_unwritten_rather_than_overlapping():
    n = 30
    frame = pd.DataFrame({"service": [f"A service with a long name {i}" for i in range(n)],
                          "cost_per_user_month": [10.0 + i * 0.1 for i in range(n)],
                          "value_score": [50.0 + (i % 3) for i in range(n)],
                          "quadrant": "Invest", "users": 100})
    fig = charts.cost_vs_value(frame, "USD")
    written = [t for trace in fig.data for t in (trace.text or ()) if t]
    assert 0 < len(written) < n
    table = charts.figure_table(fig)
    assert len(table) == n  # every service is in the chart's data table


def test_the_data_table_reads_every_mark(frames):
    fig = charts.cost_per_user_vs_market(frames["services"], "USD")
    table = charts.figure_table(fig)
    assert EMAIL in set(table["Label"]) and set(table.columns) == {"Series", "Label", "Value"}
    title, _ = charts.words(fig)
    assert title.startswith("Cost per user per month")
    assert charts.untitled(fig).layout.title.text == ""


def test_cost_vs_value_writes_the_quadrants_and_medians(frames):
    fig = charts.cost_vs_value(frames["cost_value"], "USD", size_by="cost")
    notes = " ".join(a.text for a in fig.layout.annotations)
    for quadrant in charts.QUADRANT_COLORS:
        assert quadrant in notes
    assert "median" in notes
    assert fig.layout.xaxis.type == "log"
    assert {t.name for t in fig.data} <= set(charts.QUADRANT_COLORS)
    assert all(t.marker.color == charts.QUADRANT_COLORS[t.name] for t in fig.data)


def test_cost_vs_value_refuses_an_unknown_size(frames):
    with pytest.raises(ValueError, match="size_by"):
        charts.cost_vs_value(frames["cost_value"], size_by="colour")


def test_block_burndown_projects_the_run_out_and_draws_the_warnings(frames):
    fig = charts.block_burndown(frames["block"])
    assert any((t.name or "").startswith("Projected: runs out") for t in fig.data)
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "80% used" in notes and "95% used" in notes and "block ends" in notes


def test_priority_heatmap_states_the_mismatch_share(frames):
    fig = charts.priority_heatmap(frames["matrix"])
    assert "46 tickets of 986 (4.7%)" in fig.layout.title.subtitle.text


@pytest.mark.parametrize("currency, prefix, suffix", [("EUR", "€", None), ("CHF", None, " CHF")])
def test_money_axes_show_the_currency(frames, currency, prefix, suffix):
    fig = charts.cost_by_pool(frames["pools"], currency)
    assert fig.layout.yaxis.tickprefix == prefix
    assert fig.layout.yaxis.ticksuffix == suffix
    assert f"({currency})" in fig.layout.yaxis.title.text


def test_fiscal_quarters_are_labelled_as_the_organisation_names_them(frames):
    fig = charts.proactive_trend(frames["share"], fiscal_year_start=7)
    assert fig.data[0].x[-1] == "FY2027 Q1 (2026-Q3)"


@pytest.mark.parametrize("name", CHARTS)
def test_frames_are_not_mutated(frames, name):
    before = {k: v.copy(deep=True) for k, v in frames.items()}
    CHARTS[name][0](frames)
    for key, frame in frames.items():
        pd.testing.assert_frame_equal(frame, before[key])


def test_the_data_table_holds_numbers_for_every_chart(frames):
    for name, (draw, _, _) in CHARTS.items():
        table = charts.figure_table(draw(frames))
        assert str(table["Value"].dtype) in ("float64", "int64"), name


def test_contact_satisfaction_colours_the_highlighted_service_and_greys_the_rest(frames):
    fig = charts.contact_satisfaction_trend(frames["contact"], highlight=[EMAIL])
    colours = {t.name: t.line.color for t in fig.data}
    assert colours[EMAIL] == charts.VERMILLION
    assert {c for name, c in colours.items() if name != EMAIL} == {charts.LIGHT_GREY}
    assert fig.data[-1].name == EMAIL  # drawn last, on top
