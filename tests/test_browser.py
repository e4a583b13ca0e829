"""Real-browser tests: Debian's chromium, driven by playwright, against `streamlit run`.

They check what AppTest cannot: the page a person actually gets. Screenshots of every page
(normal and presentation mode) are saved under screenshots/ (git-ignored) to look at.
Without chromium these tests skip locally, but fail under CI=true.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.workbooks import fewer_offers
from valuelib import views
from valuelib.ingest import load_paths

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSCODE = "browser-test-passcode"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


def _require_browser():
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": the browser tests must run in CI")
        pytest.skip(message)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("playwright is not installed: pip install -r requirements.txt")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(data_dir: Path):
    """``streamlit run app.py`` on a free port over the store in ``data_dir``: its URL."""
    _require_browser()
    port = _free_port()
    env = {**os.environ, "VALUELIB_DATA_DIR": str(data_dir),
           "VALUELIB_EDITOR_PASSWORD": PASSCODE}
    env.pop("VALUELIB_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode(errors="replace")) from None
            time.sleep(0.3)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()


def settle(page, text: str, timeout: float = 60_000) -> None:
    """Wait for the page's own text (in the main area, not the sidebar's navigation), then
    for Streamlit to finish running and its placeholders to fill. The bound is generous: the
    tests run on two workers (tests/run.sh), so a page may load beside another module's work."""
    page.locator('[data-testid="stMain"]').get_by_text(text, exact=False).first.wait_for(
        timeout=timeout)
    for _ in range(2):  # the running indicator can appear a moment after the text
        page.wait_for_timeout(300)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') && "
            "!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout)


def shoot(page, name: str, at: str | None = None) -> None:
    """What fits on a 1280 × 720 screen, and the whole page (a tall window, since Streamlit
    scrolls inside its main area rather than the document). ``at``: a text to scroll to
    first, for the part of a long page a person would be looking at."""
    SHOTS.mkdir(exist_ok=True)
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0)")
    if at:
        page.get_by_text(at, exact=False).first.evaluate(
            "e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 3000})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{name}_full.png"))
    page.set_viewport_size(size)
    page.wait_for_timeout(300)


def test_a_shared_link_reopens_the_same_view(page, server):
    # a deep link is the first request this server sees: the frame (sidebar) must still run
    page.goto(f"{server}/services?service=Payroll&quarter=2025-Q2")
    settle(page, "Compared with buying it")
    assert page.locator('[role="dialog"]').count() == 0  # no "Page not found"
    assert page.locator("h1").first.inner_text().strip() == "Payroll"
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "Sample data" in sidebar.inner_text()
    assert "in 2025-Q2" in page.locator('[data-testid="stMain"]').inner_text()
    # switching page keeps the view's parameters in the URL and the figures follow them
    page.get_by_role("link", name="Overview").click()
    settle(page, "Total IT cost")
    assert "quarter=2025-Q2" in page.url
    assert page.get_by_text("2025-Q2").count() >= 1


def test_overview_shows_its_headline_figures(page, server):
    start = time.perf_counter()
    page.goto(server)
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=30_000)
    elapsed = time.perf_counter() - start
    print(f"\nfirst headline figure visible after {elapsed:.2f} s (cold server)")
    settle(page, "Total IT cost")
    metrics = page.locator('[data-testid="stMetric"]')
    assert metrics.count() >= 5
    assert "$" in metrics.first.inner_text()
    shoot(page, "overview")
    start = time.perf_counter()
    page.goto(server)
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=30_000)
    print(f"first headline figure visible after {time.perf_counter() - start:.2f} s (warm)")


@pytest.mark.parametrize("path, text, name", [
    ("services?service=CRM", "Compared with buying it", "services"),
    ("cost_value", "Cost vs value", "cost_value"),
    ("support", "Blocks of support hours", "support"),
    ("data", "Upload & publish", "data"),
    ("history", "History", "history"),
    ("contract", "Workbook contract", "contract"),
])
def test_every_page_renders_for_a_person(page, server, path, text, name):
    page.goto(f"{server}/{path}")
    settle(page, text)
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot(page, name)


def test_an_upload_shows_findings_for_a_bad_file_and_figures_for_a_good_one(page, server):
    page.goto(f"{server}/data")
    settle(page, "Upload & publish")
    page.locator('input[type="file"]').set_input_files(
        str(ROOT / "tests/golden/bad_value.xlsx"))
    settle(page, "error(s) block publishing")
    assert page.get_by_text("BAD_VALUE").count() >= 1
    shoot(page, "data_bad_upload")

    page.goto(f"{server}/data")  # a new session: the uploader would add to the bad file
    settle(page, "Upload & publish")
    page.locator('input[type="file"]').set_input_files(
        [str(p) for p in sorted((ROOT / "sample_data").glob("*.xlsx"))])
    settle(page, "Show the dashboard with this upload")
    page.get_by_text("Show the dashboard with this upload").click()
    page.get_by_role("link", name="Overview").click()
    settle(page, "Total IT cost")
    assert page.get_by_text("Preview — not published").count() >= 1
    assert page.locator('[data-testid="stMetricValue"]').count() >= 5


def test_presentation_mode_hides_the_sidebar(page, server):
    page.goto(f"{server}/?present=1")
    page.get_by_role("button", name="Next ▶").wait_for(timeout=30_000)
    settle(page, "1 of ")
    assert page.locator('[data-testid="stSidebar"]').count() == 0 or \
        not page.locator('[data-testid="stSidebar"]').is_visible()
    total = int(page.get_by_text(re.compile(r"^1 of \d+$")).inner_text().split(" of ")[1])
    assert total == len(views.story(load_paths(SAMPLE)))  # the story the deck tells
    for step in range(1, total + 1):
        shoot(page, f"present_{step}")
        if step < total:
            page.get_by_role("button", name="Next ▶").click()
            settle(page, f"{step + 1} of {total}")


def test_a_bar_on_the_overview_opens_its_service_keeping_quarter_and_unit(page, server):
    page.goto(f"{server}/?quarter=2026-Q2&bu=Sales")
    bars = page.locator("[data-testid='stPlotlyChart'] .bars path")
    bars.first.wait_for(state="attached", timeout=60_000)
    settle(page, "Every service this quarter")
    bar = bars.nth(2)  # a bar in the middle of the chart, scrolled into view and clicked
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # the service first, then the sidebar's bound filters write themselves back
    page.wait_for_url(lambda url: "/services?" in url and "bu=" in url, timeout=30_000)
    params = parse_qs(urlsplit(page.url).query)
    assert (params.get("quarter"), params.get("bu")) == (["2026-Q2"], ["Sales"]), page.url
    page.locator("h1").filter(has_text=params["service"][0]).wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_briefings_link_opens_its_service_keeping_the_quarter(page, server):
    page.goto(f"{server}/?quarter=2026-Q2")
    settle(page, "What to tell the executives this quarter")
    first = page.locator('[data-testid="stMain"]').get_by_text("a year more in-house").first
    assert first.inner_text().startswith("1. Desktop & User Support costs")
    shoot(page, "overview_briefing", at="What to tell the executives this quarter")
    page.get_by_role("link", name="See it on the Services page").first.click()
    page.wait_for_url(lambda url: "/services?" in url and "quarter=2026-Q2" in url,
                      timeout=30_000)
    params = parse_qs(urlsplit(page.url).query)
    assert params["service"] == ["Desktop & User Support"], page.url
    page.locator("h1").filter(has_text="Desktop & User Support").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_support_page_gives_the_voice_of_users(page, server):
    page.goto(f"{server}/support")
    settle(page, "Voice of users")
    shoot(page, "support_voice_of_users", at="Voice of users")
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "contact satisfaction" in main and "What users ask for" in main
    assert page.locator('[data-testid="stException"]').count() == 0


def _sign_in(page) -> None:
    page.get_by_label("Your name").fill("Dana Reyes")
    page.get_by_label("Editor passcode").fill(PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    settle(page, "Signed in as editor")


def _confirm_publish(page) -> None:
    page.get_by_role("button", name="Publish", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("What changes").wait_for(timeout=30_000)


def test_published_data_is_what_a_new_visitor_sees(browser, server, tmp_path):
    """An IT director's whole publish: upload → findings → what changes → sign in → the
    confirmation → published; another browser sees it. Then a smaller Market sheet, which
    removes offers, needs the tick first."""
    editor = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    editor.goto(f"{server}/data")
    settle(editor, "Upload & publish")
    editor.locator('input[type="file"]').set_input_files(
        [str(p) for p in sorted((ROOT / "sample_data").glob("*.xlsx"))])
    settle(editor, "What publishing changes")
    shoot(editor, "publish_1_findings", at="What was loaded")
    shoot(editor, "publish_2_changes", at="What publishing changes")
    _sign_in(editor)
    editor.get_by_label("Note for this version").fill("Browser test publish")
    _confirm_publish(editor)
    shoot(editor, "publish_3_confirmation")
    editor.get_by_role("dialog").get_by_role("button", name="Publish now").click()
    settle(editor, "Everyone with the link now sees it")
    assert editor.locator('[data-testid="stFileUploaderFile"]').count() == 0  # cleared
    assert editor.get_by_text("Findings", exact=True).count() == 0
    shoot(editor, "publish_4_published")

    viewer = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    viewer.goto(server)
    # the headline's reading sentence: a metric's label can stay hidden from text locators
    settle(viewer, "on IT in", timeout=90_000)  # a cold load of the published version
    assert viewer.get_by_text("Published Version 1").count() >= 1
    assert viewer.locator('[data-testid="stMetricValue"]').count() >= 5

    fewer = tmp_path / "market-two-offers.xlsx"
    fewer.write_bytes(fewer_offers())
    editor.locator('input[type="file"]').set_input_files(str(fewer))
    settle(editor, "would be removed")
    publish = editor.get_by_role("button", name="Publish", exact=True)
    assert publish.is_disabled()
    shoot(editor, "publish_5_tick", at="What publishing changes")
    editor.get_by_text("I have checked these changes").click()
    settle(editor, "would be removed")
    assert publish.is_enabled()
    _confirm_publish(editor)
    editor.get_by_role("dialog").get_by_role("button", name="Publish now").click()
    settle(editor, "Everyone with the link now sees it")
    editor.context.close()

    viewer.reload()
    settle(viewer, "on IT in", timeout=90_000)
    assert viewer.get_by_text("Published Version 2").count() >= 1
    viewer.context.close()


def test_a_shared_scenario_link_opens_the_same_scenario(browser, server):
    """Plan (issue 17): a scenario built from a link, saved with a name; its ?scenario=ID
    link opens it in another browser; an unknown id says so."""
    offer = "Email & Productivity=Cloud email & productivity suite"
    planner = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    planner.goto(f"{server}/plan?{urlencode({'move': offer})}")
    settle(planner, "Gives up")
    main = planner.locator('[data-testid="stMain"]')
    assert "Move Email & Productivity to Cloud email & productivity suite" in main.inner_text()
    planner.get_by_label("Scenario name").fill("Email to the cloud")
    planner.get_by_label("Scenario name").press("Enter")
    settle(planner, "Gives up")
    planner.get_by_role("button", name="Save scenario").click()
    settle(planner, "Saved as scenario")
    (scenario_id,) = parse_qs(urlsplit(planner.url).query)["scenario"]
    yearly = main.locator('[data-testid="stMetricValue"]').first.inner_text()
    shoot(planner, "plan")
    planner.context.close()

    viewer = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    viewer.goto(f"{server}/plan?scenario={scenario_id}")
    settle(viewer, "Gives up")
    main = viewer.locator('[data-testid="stMain"]')
    assert viewer.get_by_label("Scenario name").input_value() == "Email to the cloud"
    assert "Move Email & Productivity to Cloud email & productivity suite" in main.inner_text()
    assert main.locator('[data-testid="stMetricValue"]').first.inner_text() == yearly
    assert main.locator('[data-testid="stException"]').count() == 0
    viewer.goto(f"{server}/plan?scenario=9999")
    settle(viewer, "There is no saved scenario 9999")
    viewer.context.close()
