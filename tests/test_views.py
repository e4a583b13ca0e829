"""valuelib.views: the view models pages render, checked against the analytics they come
from, on the sample organisation, one business unit, a ServiceNow export alone, an empty
dataset and datasets with pieces missing."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, is_dataclass, replace
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from tests.frames import assert_unchanged, snapshot
from valuelib import costing, support, views, whatif
from valuelib.ingest import load, load_paths
from valuelib.present import Table, fmt_measure
from valuelib.present.formatting import MINUS, fmt_money, fmt_number

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))
SERVICENOW = ROOT.parent / "shared" / "data" / "servicenow_incident_log_sample.csv"
Q = "2026-Q3"
EMAIL = "Email & Productivity"
UNIT = "Sales"
STORY_ORDER = ("briefing", "headline", "market", "value", "support", "block", "recovery",
               "budget", "year-end")


@pytest.fixture(scope="module")
def sample():
    return load_paths(SAMPLE)


@pytest.fixture(scope="module")
def servicenow():
    if not SERVICENOW.exists():
        pytest.skip(f"{SERVICENOW} is not here")
    return load_paths([SERVICENOW])


@pytest.fixture(scope="module")
def empty():
    return load([])


def headlines(view) -> dict[str, views.Headline]:
    return {h.label: h for h in view.headlines}


def every_view(dataset, **scope) -> dict[str, object]:
    """Each view function on ``dataset`` (story as a tuple)."""
    return {
        "overview": views.overview(dataset, **scope),
        "service_detail": views.service_detail(dataset, **scope),
        "cost_value": views.cost_value(dataset, **scope),
        "support_view": views.support_view(dataset, **scope),
        "support_view by month": views.support_view(dataset, period="month", **scope),
        "story": views.story(dataset, **scope),
        "catalogue": views.catalogue(dataset, scope.get("quarter")),
        "chargeback": views.chargeback_view(dataset, **scope),
    }


def figures(view) -> list[go.Figure]:
    """Every figure a view (or story) holds."""
    if isinstance(view, tuple):
        return [s.figure for s in view if s.figure is not None]
    out = []
    for value in vars(view).values():
        if isinstance(value, go.Figure):
            out.append(value)
        elif isinstance(value, tuple):
            out += [v for v in value if isinstance(v, go.Figure)]
        elif is_dataclass(value):  # a section of the page (the Support page's voice of users)
            out += figures(value)
    return out


def tables(view) -> list[Table]:
    if isinstance(view, tuple):
        return []
    return [t for v in vars(view).values()
            for t in ([v] if isinstance(v, Table) else tables(v) if is_dataclass(v) else [])]


def assert_renderable(view) -> None:
    """What a page relies on: titled figures, tables that keep their numbers (each measured
    column numeric or a date, the rest text), text headlines."""
    for fig in figures(view):
        assert fig.layout.title.text
    for shown in tables(view):
        for column, dtype in shown.frame.dtypes.items():
            if column in shown.measures:
                assert str(dtype) == "float64" or str(dtype).startswith("datetime64"), column
            else:
                assert str(dtype) in ("str", "object"), (column, dtype)
        assert shown.formatted().shape == shown.frame.shape
    for h in getattr(view, "headlines", ()):
        assert isinstance(h.value, str) and h.value
        assert h.delta is None or not h.delta.startswith(MINUS)  # st.metric needs "-"


# ---- the sample organisation -----------------------------------------------------------------

def test_overview_defaults_to_the_latest_quarter_with_cost_data(sample):
    view = views.overview(sample)
    assert view.quarter == Q and view.quarter_label == Q
    assert view.quarters[0] == "2024-Q4" and view.quarters[-1] == Q  # oldest first
    assert view.organization == "Northwind Traders" and view.currency == "USD"
    assert UNIT in view.business_units
    assert_renderable(view)


def test_overview_budget_sentences_follow_the_budget(sample):
    from valuelib import budget

    said = views.overview(sample).budget_sentences
    it = budget.summary(sample, quarter=Q)
    assert said[0].startswith(f"Budget 2026 (version {it.version}), 2026-Q1 to {Q}")
    assert fmt_money(it.end_of_year_predicted) in said[1]
    assert views.overview(sample, business_unit=UNIT).budget_sentences == ()
    no_budget = sample.with_tables(budget=sample["budget"].iloc[0:0])
    assert views.overview(no_budget).budget_sentences == ()


def test_overview_headlines_match_the_analytics(sample):
    h = headlines(views.overview(sample))
    total = costing.total_cost(sample, Q)["total_cost"].sum()
    assert h["Total IT cost"].value == fmt_money(total)
    assert h["Total IT cost"].delta_color == "inverse"
    headcount = support.headcount(sample).set_index("quarter").at[Q, "users"]
    assert h["IT cost per user per month"].value == fmt_measure(
        "cost_per_person_month", total / headcount / 3)
    assert f"÷ {fmt_number(headcount)} users ÷ 3 months" in h["IT cost per user per month"].sentence
    assert h["Cheaper in-house than the market"].value == "3 of 8"
    assert h["Dearer in-house than the market"].value == "5 of 8"
    share = support.proactive_share(sample, quarter=Q)["proactive_share_pct"].iloc[0]
    assert h["Proactive share"].value == f"{share:.1f}%"
    assert h["Proactive share"].delta.endswith(" pts")
    block = h["Hours left: 2026-27 support block"]
    assert block.value == "551 h left" and block.delta == "runs out 20 Jan 2027"
    assert block.delta_arrow == "off"


def test_the_email_sentence_names_its_cost_per_user_and_the_offer(sample):
    cpu = costing.cost_per_user(sample, Q).set_index("service").at[EMAIL, "cost_per_user_month"]
    sentence = next(s for s in views.overview(sample).sentences if s.startswith(EMAIL))
    assert fmt_money(cpu) == "$12.58"
    assert f"costs {fmt_money(cpu)} per user per month" in sentence
    assert "the $15 offer" in sentence and "below" in sentence


def test_services_table_keeps_numbers_and_formats_them_one_way(sample):
    shown = views.overview(sample).services_table
    assert shown.columns == views.SERVICES_COLUMNS
    numbers = shown.frame.set_index("Service")
    cpu = costing.cost_per_user(sample, Q).set_index("service")
    assert numbers.at[EMAIL, "Cost per user per month"] == cpu.at[EMAIL, "cost_per_user_month"]
    assert shown.frame["Total cost"].is_monotonic_decreasing  # largest cost first, as numbers
    email = shown.formatted().set_index("Service").loc[EMAIL]
    assert email["Cost per user per month"] == "$12.58"
    assert email["Offer per user per month"] == "$15.00"
    assert email["In-house − offer per user per month"] == "\u2212$3.05"
    assert email["In-house is"] == "cheaper"
    assert email["Quadrant"] == "Invest"
    assert shown.formatted()["Total cost"].iloc[0] == "$193,272"


def test_a_fall_reaches_st_metric_with_an_ascii_minus(sample):
    cost = headlines(views.service_detail(sample, Q, EMAIL))["Cost per user per month"]
    assert cost.delta == "-1.6%" and cost.delta_color == "inverse"


def test_headline_turns_the_typographic_minus_into_ascii():
    assert views.Headline("x", "1", f"{MINUS}2.0%").delta == "-2.0%"
    with pytest.raises(FrozenInstanceError):
        views.Headline("x", "1").value = "2"


def test_service_detail_explains_the_cost_lines_and_offers(sample):
    view = views.service_detail(sample, Q, EMAIL)
    assert view.service == EMAIL and EMAIL in view.services
    assert "$12.58 per user per month for 296 users" in view.sentence
    explanation = costing.explain_cost(sample, EMAIL, Q)
    assert len(view.allocation_table) == len(explanation.lines)
    first = view.allocation_table.frame.iloc[0]
    assert first["How it reaches the service"] == "its own line"
    assert first["File"] == "northwind_it_2024Q4-2026Q3.xlsx" and first["Sheet"] == "Costs"
    assert first["Row"] == explanation.lines["source_row"].iloc[0]
    market_rows = view.market_table.frame
    assert list(market_rows["Offer"]) == [
        "Cloud email & productivity suite", "Cloud email & productivity suite (Enterprise)"]
    assert view.market_table.formatted()["Buying it instead saves, a year"].iloc[0] == (
        "\u2212$10,821")  # buying would cost more
    assert market_rows["Storage (GB)"].iloc[0] == 25
    assert market_rows["Offer availability"].iloc[0] < market_rows["Availability target"].iloc[0]
    assert len(view.showback_table) == 7
    assert_renderable(view)


def test_service_detail_falls_back_when_the_service_is_unknown(sample):
    view = views.service_detail(sample, Q, "Carrier pigeons")
    assert view.service == "Website Sales"  # the largest cost
    assert "Carrier pigeons is not in this data" in view.notes[0]


def test_cost_value_places_every_service_and_states_the_medians(sample):
    view = views.cost_value(sample, size_by="cost")
    assert len(view.table) == 12 and list(view.table.columns) == views.VALUE_COLUMNS
    assert view.table.frame["Quadrant"].iloc[0] == "Invest"
    assert "medians of the 12 services" in view.sentence and "69.4" in view.sentence
    assert "total cost" in view.chart.layout.title.subtitle.text
    with pytest.raises(ValueError, match="size_by"):
        views.cost_value(sample, size_by="colour")


def test_every_value_score_says_where_it_came_from(sample):
    # the sample surveys every service every quarter: every score is a survey's
    cost_value = views.cost_value(sample).table.frame
    assert set(cost_value["Value from"]) == {f"survey, {Q}"}
    overview = views.overview(sample).services_table.frame
    assert set(overview["Value from"]) == {f"survey, {Q}"}
    tile = headlines(views.service_detail(sample, Q, "CRM"))["Value score"]
    assert tile.delta == "from survey" and tile.sentence.startswith(f"From the {Q} survey.")


def test_support_view_gives_the_voice_of_users(sample):
    voice = views.support_view(sample).voice
    # the sample's story: the new warehouse's Wi-Fi (sample_data/README.md)
    assert voice.sentences[0].startswith("Perception is falling for Telecom & Networking: "
                                         "contact satisfaction fell to 40.2% in 2026-Q3")
    assert list(voice.table.columns) == views.VOICE_COLUMNS and len(voice.table) == 12
    assert voice.table.frame["Contact satisfaction"].is_monotonic_increasing  # lowest first
    assert voice.needs_table.frame["Need"].iloc[0] == "Reliable Wi-Fi in the new warehouse"
    assert "4 needs raised in 2026-Q3, 4 of them new" in voice.needs_sentence
    sales = views.support_view(sample, business_unit="Sales").voice
    assert sales.table.frame["Responses"].sum() < voice.table.frame["Responses"].sum()


def test_support_view_figures(sample):
    view = views.support_view(sample)
    h = headlines(view)
    assert h["Tickets"].value == "986" and h["Tickets"].delta == "+4.2%"
    assert h["Backlog at quarter end"].delta_color == "inverse"
    assert len(view.block_charts) == 2 and len(view.block_table) == 2
    assert view.block_table.frame.set_index("Block").at[
        "2025-26 support block", "Status"].startswith("95% used")
    assert view.mismatch_sentence.startswith("46 of 986 tickets (4.7%)")
    assert view.mismatch_table.frame["Tickets"].iloc[0] == 11
    assert view.desk_table.frame["Quarter"].iloc[0] == Q  # newest first
    assert_renderable(view)


def test_support_view_by_month_and_unknown_period(sample):
    view = views.support_view(sample, period="month")
    assert view.proactive_chart.data[0].x[-1] == "Sep 2026"
    with pytest.raises(ValueError, match="period"):
        views.support_view(sample, period="week")


def test_story_follows_the_order_with_one_message_a_step(sample):
    steps = views.story(sample)
    assert tuple(s.key for s in steps) == STORY_ORDER
    told = views.overview(sample).briefing
    assert steps[0].title == f"{told.title}: 2026-Q3"  # the Overview's briefing, word for word
    assert steps[0].bullets == told.sentences and steps[0].figure is None
    for step in steps[1:]:
        assert step.notes and step.title.endswith(".")
        if step.headlines:  # a step of figures shows them as tiles, not a chart
            assert step.figure is None and len(step.headlines) == 3
            continue
        assert len(step.bullets) <= 3
        assert step.figure is not None
        assert step.figure.layout.title.font.size >= 28  # presentation sizing
    by_key = {s.key: s for s in steps}
    assert by_key["headline"].title.startswith(
        "Northwind Traders spent $796,153 on IT in 2026-Q3")
    assert by_key["market"].title.startswith("5 of 8 services cost more in-house")
    assert "before it ends on 30 Jun 2027" in by_key["block"].title
    assert by_key["year-end"].title == ("2026 ends on budget: $3,172,537 predicted against "
                                        "the $3,200,000 budget.")
    variance = by_key["year-end"].headlines[2]
    assert (variance.value, variance.delta, variance.delta_color) == ("−$27,463", "-0.9%", "off")


def test_a_business_units_story_has_no_budget_steps(sample):
    keys = [s.key for s in views.story(sample, business_unit="Sales")]
    assert "budget" not in keys and "year-end" not in keys  # the budget is IT's
    assert keys[:2] == ["briefing", "headline"]
    told = views.story(sample, business_unit="Sales")[0]
    assert told.title == "What to tell the executives this quarter: 2026-Q3, Sales"


def test_chosen_scenarios_close_the_story(sample):
    email = whatif.Scenario("Cloud email", (whatif.change_from_text(
        "move", f"{EMAIL}=Cloud email & productivity suite"),))
    steps = views.story(sample, scenarios=(email,))
    last = steps[-1]
    assert last.key == "scenario:Cloud email" and last.figure is None
    assert last.title == "Cloud email: +$10,821 a year."
    assert [h.label for h in last.headlines] == ["Yearly cost change",
                                                 "IT cost per user per month",
                                                 "Budget variance after"]
    assert any(b.startswith("Gives up: ") for b in last.bullets)


def test_an_earlier_quarter(sample):
    view = views.overview(sample, "2025-Q1")
    assert view.quarter == "2025-Q1"
    assert headlines(view)["Total IT cost"].sentence.endswith("than in 2024-Q4.")


def test_fiscal_year_labels(sample):
    fiscal = replace(sample, settings=replace(sample.settings, fiscal_year_start=7))
    assert views.quarter_options(fiscal)[Q] == "FY2027 Q1 (2026-Q3)"
    assert views.overview(fiscal).quarter_label == "FY2027 Q1 (2026-Q3)"


# ---- one business unit -----------------------------------------------------------------------

def test_a_unit_sees_its_showback_at_the_same_cost_per_user(sample):
    org = views.overview(sample).services_table.formatted().set_index("Service")
    unit = views.overview(sample, business_unit=UNIT)
    table = unit.services_table.formatted().set_index("Service")
    shown = costing.showback(sample, Q)
    mine = shown[shown["business_unit"] == UNIT].set_index("service")
    assert set(table.index) == set(mine.index)  # only the services the unit uses
    assert headlines(unit)[f"IT cost of {UNIT}"].value == fmt_money(mine["cost"].sum())
    for service in table.index:
        assert table.at[service, "Users"] == fmt_number(mine.at[service, "users"])
        assert table.at[service, "Total cost"] == fmt_money(mine.at[service, "cost"], decimals=0)
        assert table.at[service, "Cost per user per month"] == org.at[
            service, "Cost per user per month"]
    assert any("showback" in n for n in unit.notes)
    assert_renderable(unit)


def test_a_unit_sees_only_its_tickets_but_the_whole_block(sample):
    view = views.support_view(sample, business_unit=UNIT)
    tickets = sample["support"]
    mine = tickets[(tickets["business_unit"] == UNIT) & (tickets["quarter"] == Q)]
    assert headlines(view)["Tickets"].value == fmt_number(len(mine))
    assert f"Used by {UNIT}" in view.block_table.columns
    assert view.block_table.formatted()["Purchased"].tolist() == ["1,200 h", "1,000 h"]  # whole


def test_a_units_service_detail(sample):
    view = views.service_detail(sample, Q, EMAIL, business_unit=UNIT)
    h = headlines(view)
    assert h["Cost per user per month"].value == "$12.58"
    assert h["Users"].value == "58" and h[f"Cost to {UNIT}"].value == "$2,188"
    assert view.market_table.frame["Buying it instead saves, a year"].isna().all()  # for all
    assert view.showback_chart.data[0].marker.color[
        list(view.showback_chart.data[0].y).index(UNIT)] != view.showback_chart.data[
        0].marker.color[0]


# ---- datasets with pieces missing ------------------------------------------------------------

def test_servicenow_export_alone_says_no_cost_data(servicenow):
    built = every_view(servicenow)
    h = headlines(built["overview"])
    assert built["overview"].quarter == "2016-Q1"
    assert h["Total IT cost"].value == "no cost data"
    assert h["Compared with the market"].value == "no cost data"
    assert headlines(built["support_view"])["Tickets"].value == "300"
    assert "(no hours recorded)" in h["Proactive share"].sentence
    assert tuple(s.key for s in built["story"]) == ("headline", "support")
    for view in built.values():
        assert_renderable(view)


def test_empty_dataset(empty):
    built = every_view(empty)
    overview = built["overview"]
    assert overview.quarter is None and overview.quarter_label == "no data"
    assert overview.quarters == () and overview.services_table.empty
    assert overview.services_table.columns == views.SERVICES_COLUMNS
    assert headlines(overview)["Total IT cost"].value == "no cost data"
    assert built["service_detail"].service is None
    assert tuple(s.key for s in built["story"]) == ("headline",)
    for view in built.values():
        assert_renderable(view)


def test_a_quarter_without_support_rows(sample):
    earlier = sample["support"][sample["support"]["quarter"] < Q]
    dataset = sample.with_tables(support=earlier)
    view = views.support_view(dataset, Q)
    h = headlines(view)
    assert h["Proactive share"].value == "no support data"
    assert h["Tickets"].value == "0"
    assert view.mismatch_sentence.startswith("No tickets")
    assert "support" not in [s.key for s in views.story(dataset, Q)]
    assert_renderable(view)


def test_a_service_without_users(sample):
    usage = sample["usage"]
    dataset = sample.with_tables(usage=usage[usage["service"] != "Payroll"])
    table = views.overview(dataset).services_table.formatted().set_index("Service")
    assert table.at["Payroll", "Cost per user per month"] == "—"
    assert table.at["Payroll", "Note"] == "no usage data"  # why, never 0 or ∞
    detail = views.service_detail(dataset, Q, "Payroll")
    assert headlines(detail)["Cost per user per month"].value == "no usage data"


def test_no_blocks_and_no_market(sample):
    dataset = sample.with_tables(blocks=sample["blocks"].iloc[0:0],
                                 market=sample["market"].iloc[0:0])
    tickets = dataset["support"]
    dataset = dataset.with_tables(support=tickets.assign(block=pd.NA).astype(tickets.dtypes))
    h = headlines(views.overview(dataset))
    assert h["Compared with the market"].value == "no offers"
    assert h["Block of hours"].value == "no block"
    view = views.support_view(dataset)
    assert view.block_charts == () and view.block_table.empty
    assert views.service_detail(dataset, Q, EMAIL).market_table.empty
    assert tuple(s.key for s in views.story(dataset)) == (
        "briefing", "headline", "value", "support", "recovery", "budget", "year-end")


def test_a_quarter_with_no_data_at_all(sample):
    for view in every_view(sample, quarter="2030-Q1").values():
        assert_renderable(view)
    assert headlines(views.overview(sample, "2030-Q1"))["Total IT cost"].value == "no cost data"


# ---- selectors and purity --------------------------------------------------------------------

def test_selectors(sample):
    assert list(views.quarter_options(sample))[-2:] == ["2026-Q2", Q]
    assert views.business_unit_options(sample) == (
        "Customer Service", "Executive", "Finance", "HR", "Marketing", "Operations", "Sales")
    services = views.service_options(sample)
    assert len(services) == 12 and services == tuple(sorted(services, key=str.casefold))


@pytest.mark.parametrize("scope", [{}, {"business_unit": UNIT}, {"quarter": "2025-Q2"}])
def test_inputs_are_not_mutated(sample, scope):
    before = snapshot(sample)
    every_view(sample, **scope)
    assert_unchanged(sample, before)
