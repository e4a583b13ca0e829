"""The screens a page is shared on, in a real browser: presentation by keyboard (a clicker's
keys) and by link, and the dark theme (pages and slides). A phone, print and the light theme
are checked on tests/test_browser_fit.py's page loads (one load per page and size, every
check on it), with every slide in the light theme.

One server for this module (tests/test_browser.py's fixtures). Screenshots of every page and
slide in the dark theme are saved under screenshots/screens/ (git-ignored) to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.test_browser import SHOTS, settle
from tests.test_browser import browser as browser
from tests.test_browser import server as server
from tests.test_browser_fit import background, luminance

pytestmark = pytest.mark.browser

OUT = SHOTS / "screens"
PAGES = [("overview", "/", "Total IT cost"),
         ("services", "/services?service=CRM", "Compared with buying it"),
         ("cost_value", "/cost_value", "Cost vs value"),
         ("support", "/support", "Blocks of support hours"),
         ("data", "/data", "Upload & publish"),
         ("history", "/history", "History"),
         ("contract", "/contract", "Workbook contract")]
DESKTOP = {"width": 1280, "height": 720}


def _open(browser, path: str, **context):
    page = browser.new_context(viewport=context.pop("viewport", DESKTOP), **context).new_page()
    page.goto(path)
    return page


def _slide(page) -> tuple[str, str]:
    """The slide's title and its "n of N"."""
    position = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]')
    return page.locator("h1").first.inner_text().strip(), position.first.inner_text().strip()


def _wait_for_slide(page, number: int) -> None:
    settle(page, f"{number} of ")


def _shot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0)")
    page.screenshot(path=str(OUT / f"{name}.png"))


def test_a_clickers_keys_move_the_slides(browser, server):
    page = _open(browser, f"{server}/?present=1&quarter=2025-Q2")
    page.get_by_role("button", name="Next ▶").wait_for(timeout=30_000)
    _wait_for_slide(page, 1)
    seen = [_slide(page)]
    for key, expected in (("ArrowRight", 2), ("PageDown", 3), ("Space", 4), ("ArrowLeft", 3),
                          ("PageUp", 2)):
        page.keyboard.press(key)
        _wait_for_slide(page, expected)
        title, position = _slide(page)
        assert position.startswith(f"{expected} of "), (key, position)
        assert title != seen[-1][0], key  # a new slide, not just a new number
        assert f"step={expected}" in page.url
        seen.append((title, position))
    assert seen[1] == seen[5]  # back and forth lands on the same slide
    # a clicked button keeps the focus: Space then moves once, not twice
    page.get_by_role("button", name="Next ▶").click()
    _wait_for_slide(page, 3)
    page.keyboard.press("Space")
    _wait_for_slide(page, 4)
    page.wait_for_timeout(800)
    assert _slide(page)[1].startswith("4 of ")
    page.context.close()


@pytest.mark.parametrize("path", ["/services?present=1", "/overview?present=1",
                                  "/cost_value?present=1&quarter=2025-Q3&bu=Sales"])
def test_present_on_any_path_opens_the_story_without_page_not_found(browser, server, path):
    page = _open(browser, server + path)
    page.get_by_role("button", name="Next ▶").wait_for(timeout=30_000)
    _wait_for_slide(page, 1)
    assert page.locator('[role="dialog"]').count() == 0  # no "Page not found"
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert re.search(r"[?&]quarter=\d{4}-Q\d", page.url)  # the view rides in the link
    if "bu=Sales" in path:
        assert "bu=Sales" in page.url and "Sales" in _slide(page)[0]
    page.context.close()


def test_a_copied_presentation_link_reopens_the_same_slide(browser, server):
    page = _open(browser, f"{server}/support?present=1&quarter=2025-Q3&bu=Sales")
    page.get_by_role("button", name="Next ▶").wait_for(timeout=30_000)
    _wait_for_slide(page, 1)
    page.keyboard.press("ArrowRight")
    _wait_for_slide(page, 2)
    page.keyboard.press("ArrowRight")
    _wait_for_slide(page, 3)
    copied, slide = page.url, _slide(page)
    assert "quarter=2025-Q3" in copied and "bu=Sales" in copied and "step=3" in copied
    page.context.close()

    again = _open(browser, copied)
    again.get_by_role("button", name="Next ▶").wait_for(timeout=30_000)
    _wait_for_slide(again, 3)
    assert _slide(again) == slide
    again.context.close()


def test_exit_returns_to_the_page_the_presenter_came_from(browser, server):
    page = _open(browser, f"{server}/cost_value?quarter=2025-Q3&bu=Sales")
    settle(page, "Cost vs value")
    page.get_by_text("Presentation mode").click()
    page.get_by_role("button", name="Next ▶").wait_for(timeout=30_000)
    _wait_for_slide(page, 1)
    assert "quarter=2025-Q3" in page.url and "bu=Sales" in page.url
    page.get_by_role("button", name="Exit presentation").click()
    settle(page, "Bubble size")
    assert "/cost_value" in page.url and "quarter=2025-Q3" in page.url
    assert "present" not in page.url
    assert page.locator("h1").first.inner_text().strip() == "Cost vs value"
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    page.context.close()


@pytest.mark.parametrize("name, path, text", PAGES)
def test_the_dark_theme_follows_the_system_and_charts_read_in_it(
        browser, server, name, path, text):
    page = _open(browser, server + path, color_scheme="dark")
    settle(page, text)
    assert background(page) < 0.2
    # every chart's text is light on the dark page (none left in the paper's dark ink)
    fills = page.evaluate("""() => [...document.querySelectorAll(
        '.js-plotly-plot .gtitle, .js-plotly-plot .annotation-text, .js-plotly-plot .xtick text,'
        + '.js-plotly-plot .ytick text, .js-plotly-plot .legendtext')]
        .map(t => getComputedStyle(t).fill)""")
    assert all(luminance(fill) > 0.3 for fill in fills), fills
    _shot(page, f"dark_{name}")
    page.context.close()


def test_every_slide_in_presentation_and_dark(browser, server):
    """Every slide in the dark theme (each light slide is checked and shot by
    tests/test_browser_fit.py)."""
    page = _open(browser, f"{server}/?present=1", color_scheme="dark")
    page.get_by_role("button", name="Next ▶").wait_for(timeout=30_000)
    _wait_for_slide(page, 1)
    total = int(_slide(page)[1].split(" of ")[1])
    for number in range(1, total + 1):
        _shot(page, f"present_dark_{number}")
        if number < total:
            page.keyboard.press("ArrowRight")
            _wait_for_slide(page, number + 1)
    page.context.close()
