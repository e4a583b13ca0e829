"""Per-run cost (issue 15): view models and screen figures are built once per (data version,
filters) and shared by every session; no run changes them; a publish gives new ones; a private
preview's are built in its own session only."""

from __future__ import annotations

import json

import pytest

from tests.test_pages import (
    ROOT,
    _isolated,  # noqa: F401  (each test's own database and caches)
    _publish_sample,
    app,
    sample_files,
)
from ui import data, render
from valuelib import views
from valuelib.ingest import load, load_paths
from valuelib.store import Store


def _charts(at) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def _metrics(at) -> list[str]:
    return [m.label + " " + str(m.value) for m in at.metric]


@pytest.fixture
def overview_builds(monkeypatch) -> list[tuple]:
    """Every Overview view model built while the test runs: (quarter, unit) each."""
    built = []
    original = views.overview

    def counting(dataset, quarter=None, unit=None):
        built.append((quarter, unit))
        return original(dataset, quarter, unit)

    monkeypatch.setattr(views, "overview", counting)
    return built


def test_two_sessions_with_different_units_each_see_their_own_figures():
    sales, everyone = app(bu="Sales").run(), app().run()
    assert not sales.exception and not everyone.exception
    first = {"sales": (_charts(sales), _metrics(sales)),
             "everyone": (_charts(everyone), _metrics(everyone))}
    assert first["sales"] != first["everyone"]
    for _ in range(2):  # reruns, interleaved, draw from the same cached objects
        sales.run()
        everyone.run()
    assert (_charts(sales), _metrics(sales)) == first["sales"]
    assert (_charts(everyone), _metrics(everyone)) == first["everyone"]
    assert (_charts(app(bu="Sales").run()), _metrics(sales)) == first["sales"]  # a newcomer


def test_drawing_leaves_the_cached_view_model_as_it_was_built():
    at = app().run()
    quarter = at.sidebar.selectbox(key="quarter").value
    view = data.overview("sample", quarter, None, data.sample_dataset())
    fresh = views.overview(data.sample_dataset(), quarter, None)
    for _ in range(2):
        at.run()
    assert data.overview("sample", quarter, None, data.sample_dataset()) is view  # shared
    assert view.market_chart.to_json() == fresh.market_chart.to_json()  # title, colours kept
    assert view.market_chart.layout.title.text  # only the screen's copy loses its title
    assert view.services_table.frame.equals(fresh.services_table.frame)
    assert view.headlines == fresh.headlines


def test_a_view_model_is_built_once_for_every_session_and_rerun(overview_builds):
    at = app().run()
    at.run()
    app().run()
    assert len(overview_builds) == 1
    app(bu="Sales").run()
    assert len(overview_builds) == 2  # other filters: another view


def test_a_publish_gives_new_view_models(overview_builds):
    store = _publish_sample()
    at = app().run()
    at.run()
    assert len(overview_builds) == 1
    fewer = sample_files()[:1]  # one workbook alone: a new version with other figures
    store.publish(load(fewer), list(fewer), editor="Dana", note="second")
    at.run()  # the same session's next run, nothing else done
    assert not at.exception
    assert len(overview_builds) == 2  # built again for version 2
    assert any("Version 2" in c.value for c in at.sidebar.caption)


def test_a_private_preview_builds_its_views_in_its_own_session(overview_builds):
    upload = (("servicenow.csv", (ROOT / "tests/data/servicenow_incident_log_sample.csv")
               .read_bytes()),)
    sessions = []
    for _ in range(2):  # two sessions previewing the same bytes
        at = app()
        at.session_state["upload_files"] = upload
        at.session_state["preview_upload"] = True
        sessions.append(at.run())
        assert not at.exception
    assert len(overview_builds) == 2  # one each: a preview is never in the shared cache
    sessions[0].run()
    assert len(overview_builds) == 2  # kept in its session for the next run


def test_the_screen_copy_of_a_figure_is_made_once_and_leaves_the_figure_alone():
    figure = views.overview(load_paths(data.SAMPLE_FILES)).market_chart
    before = figure.to_json()
    shown = render.prepared(figure)
    assert render.prepared(figure) is shown  # once per figure
    assert render.prepared(figure, height=500) is not shown  # and per height
    assert figure.to_json() == before
    sent = json.loads(json.dumps(shown.figure.to_dict(), default=str))
    assert not sent["layout"]["title"]["text"]  # the page writes the title as text
    assert "paper_bgcolor" in sent["layout"]  # follows the theme
    shown.figure.to_dict()["layout"] = None  # a caller's change to what it was handed …
    assert shown.figure.to_dict()["layout"]  # … never reaches the kept copy


def test_a_table_is_converted_once_and_keeps_its_numbers():
    table = views.overview(load_paths(data.SAMPLE_FILES)).services_table
    converted = render.kept(table, "arrow", lambda: render.arrow(table.frame))
    assert render.kept(table, "arrow", lambda: None) is converted
    assert converted.num_rows == len(table.frame)
    assert converted.to_pandas().equals(table.frame.reset_index(drop=True))


def test_the_store_is_not_asked_for_datasets_on_a_cached_run(monkeypatch):
    _publish_sample()
    at = app().run()
    loads = []
    original = Store.load
    monkeypatch.setattr(Store, "load", lambda self, v: loads.append(v) or original(self, v))
    at.run()
    app().run()
    assert loads == []  # the published dataset is one shared object, not read per run
