"""Several instances on one PostgreSQL (README, "Running several instances"): a publish made
through one instance is on every other's next page load, each run asks the database one small
query, sessions served at once never see each other's private preview (real sessions in
chromium: AppTest sessions in threads share Streamlit's test harness and trip over each
other), and nginx keeps a browser's page, websocket and uploads on one instance.

Without PostgreSQL, nginx or chromium these tests skip locally and fail under CI=true."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from tests import test_browser
from tests.postgres import fresh_schema, missing
from valuelib.datafiles import dataset_workbook
from valuelib.ingest import load_paths
from valuelib.model import Dataset
from valuelib.store import Store

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))
TICKETS = ROOT / "tests/data/servicenow_incident_log_sample.csv"


def _deploy_local():
    """deploy/local.py (a script, not part of the package) as a module."""
    spec = importlib.util.spec_from_file_location("valuelib_deploy_local",
                                                  ROOT / "deploy" / "local.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def sample_files() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in SAMPLE]


def costs_times(dataset: Dataset, factor: float) -> Dataset:
    """The same organisation with every cost multiplied: a publish whose figures differ."""
    costs = dataset.tables["costs"].assign(amount=dataset.tables["costs"]["amount"] * factor)
    return replace(dataset, tables={**dataset.tables, "costs": costs})


# --------------------------------------------------------------------------------------------
# In one process (AppTest): the per-run check and private previews under concurrency


@pytest.fixture
def pg_url(monkeypatch):
    import streamlit as st

    with fresh_schema() as url:
        monkeypatch.setenv("VALUELIB_DATABASE_URL", url)
        monkeypatch.setenv("VALUELIB_RAISE_PAGE_ERRORS", "1")
        st.cache_data.clear()
        st.cache_resource.clear()
        yield url
        st.cache_resource.clear()  # closes nothing, but forgets the engine of a dropped schema


def badges(at: AppTest) -> list[str]:
    return [m.value for m in at.sidebar.markdown if "-badge[" in m.value]


def test_a_page_run_asks_the_database_one_small_query(pg_url):
    """The check that notices a publish by another instance is one query (the newest id);
    the version's data and description come from caches keyed by that id."""
    from ui import data
    from valuelib.store import database_url

    with Store(pg_url) as store:
        store.publish(load_paths(SAMPLE), sample_files(), "Dana")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("Published" in b for b in badges(at)), badges(at)
    statements: list[str] = []
    engine = data._store(database_url())._engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731 (conn, cursor, statement)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        at.run()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert not at.exception
    assert len(statements) == 1, statements
    assert re.search(r"max\(versions\.id\)", statements[0], re.IGNORECASE), statements


# --------------------------------------------------------------------------------------------
# Two real instances behind nginx, on one PostgreSQL schema (one set per module)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from tests.test_browser import PASSCODE, _free_port, _require_browser

    _require_browser()
    local = _deploy_local()
    try:
        local.nginx_binary()
    except FileNotFoundError as exc:
        missing(str(exc))
    with fresh_schema() as url:
        env = {**os.environ, "VALUELIB_DATABASE_URL": url,
               "VALUELIB_EDITOR_PASSWORD": PASSCODE}
        env.pop("VALUELIB_DATA_DIR", None)
        started = local.start([_free_port(), _free_port()], _free_port(), env,
                              tmp_path_factory.mktemp("nginx"))
        try:
            yield started, url
        finally:
            started.stop()


@pytest.fixture(scope="module")
def server(cluster):
    """What test_browser's browser fixture waits for: here, the instances and nginx."""
    return cluster[0].url


browser = test_browser.browser  # chromium, once per module


def settle(page, text: str) -> None:
    """test_browser.settle, patient: the first visit to each fresh instance pays its imports
    and the first data load, and other tests share the machine."""
    from tests.test_browser import settle as settled

    settled(page, text, timeout=180_000)


def _sidebar(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def _total_cost(page) -> str:
    return page.locator('[data-testid="stMetric"]').filter(has_text="Total IT cost").locator(
        '[data-testid="stMetricValue"]').first.inner_text()


def _figures(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


@pytest.mark.browser
def test_a_publish_through_one_instance_is_on_the_others_next_page_load(cluster, browser):
    from tests.test_browser import _confirm_publish, _sign_in

    running, url = cluster
    first, second = running.instance_urls
    viewer = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    viewer.goto(f"{second}/")
    settle(viewer, "Total IT cost")
    assert "Sample data" in _sidebar(viewer)

    # an editor publishes through the first instance
    editor = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    editor.goto(f"{first}/data")
    settle(editor, "Upload & publish")
    editor.locator('input[type="file"]').set_input_files([str(p) for p in SAMPLE])
    settle(editor, "What publishing changes")
    _sign_in(editor)
    _confirm_publish(editor)
    editor.get_by_role("dialog").get_by_role("button", name="Publish now").click()
    settle(editor, "Everyone with the link now sees it")

    viewer.reload()
    settle(viewer, "Total IT cost")
    assert "Version 1" in _sidebar(viewer)
    before = _total_cost(viewer)

    # a second version (every cost doubled), published from outside both instances
    with Store(url) as store:
        store.publish(costs_times(store.load(1), 2), sample_files(), "Eve", base_version=1)
    viewer.reload()
    settle(viewer, "Total IT cost")
    assert "Version 2" in _sidebar(viewer)
    assert _total_cost(viewer) != before
    editor.goto(f"{first}/")
    settle(editor, "Total IT cost")
    assert "Version 2" in _sidebar(editor)
    assert _total_cost(editor) == _total_cost(viewer)
    viewer.context.close()
    editor.context.close()


def _log_lines(log: Path, route: str, wanted: str, timeout: float = 30) -> list[str]:
    """The access log's lines for one browser, once ``wanted`` has been logged (nginx writes
    a websocket's line when it closes)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in log.read_text().splitlines() if f"route={route}" in line]
        if any(wanted in line for line in lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.2)


@pytest.mark.browser
def test_nginx_keeps_a_browsers_page_websocket_and_upload_on_one_instance(cluster, browser):
    running, _url = cluster
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{running.url}/data")
    settle(page, "Upload & publish")
    page.locator('input[type="file"]').set_input_files(str(TICKETS))
    settle(page, "Show the dashboard with this upload")  # the upload reached its session
    route = next(c["value"] for c in context.cookies() if c["name"] == "valuelib_route")
    context.close()  # ends the websocket, so nginx logs it

    lines = _log_lines(running.access_log, route, "/_stcore/stream")
    assert any('"GET /data ' in line for line in lines), lines
    assert any("/_stcore/upload_file/" in line for line in lines), lines
    assert any("/_stcore/stream" in line for line in lines), lines
    upstreams = {re.search(r"upstream=(\S+)", line).group(1) for line in lines}
    assert len(upstreams) == 1, lines
    assert upstreams <= {u.removeprefix("http://") for u in running.instance_urls}


@pytest.mark.browser
def test_no_session_sees_another_sessions_private_preview(cluster, browser, tmp_path):
    """Four sessions on one instance: one previews its upload while the other three load the
    Overview at the same moment, twice; the three see the published data only."""
    running, _url = cluster
    instance = running.instance_urls[0]
    pages = [browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
             for _ in range(4)]
    uploader, viewers = pages[0], pages[1:]
    for page in viewers:
        page.goto(f"{instance}/")
    for page in viewers:
        settle(page, "Total IT cost")
    published = _figures(viewers[0])
    assert "Preview" not in _sidebar(viewers[0])

    uploader.goto(f"{instance}/data")
    settle(uploader, "Upload & publish")
    tripled = tmp_path / "tripled-costs.xlsx"  # differs from anything published here
    tripled.write_bytes(dataset_workbook(costs_times(load_paths(SAMPLE), 3)))
    uploader.locator('input[type="file"]').set_input_files(str(tripled))
    settle(uploader, "Show the dashboard with this upload")
    uploader.get_by_text("Show the dashboard with this upload").click()
    # every session runs at once: each navigation returns as soon as it has started
    uploader.get_by_role("link", name="Overview").click()  # in its session: keeps the upload
    for _ in range(2):
        for page in viewers:
            page.reload(wait_until="commit")  # a new page load, a new session
        uploader.wait_for_url(lambda url: "/data" not in url)
        for page in pages:
            settle(page, "Total IT cost")
        assert "Preview — not published" in _sidebar(uploader)
        assert _figures(uploader) != published  # else this test could not tell them apart
        for page in viewers:
            assert "Preview" not in _sidebar(page)
            assert _figures(page) == published
    for page in pages:
        page.context.close()
