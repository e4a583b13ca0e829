"""The screens a page is shared on, in a real browser: presentation by keyboard (a clicker's
keys) and by link, a phone (390 × 844), print, and the dark theme.

One server for this module (tests/test_browser.py's fixtures). Screenshots of every page in
each mode, and a PDF of each page as the browser's Print makes it, are saved under
screenshots/screens/ (git-ignored) to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.test_browser import SHOTS, settle
from tests.test_browser import browser as browser
from tests.test_browser import server as server

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
PHONE = {"width": 390, "height": 844}


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
def test_on_a_phone_the_sidebar_starts_closed_and_nothing_spills_sideways(
        browser, server, name, path, text):
    page = _open(browser, server + path, viewport=PHONE, is_mobile=True, has_touch=True)
    settle(page, text)
    box = page.locator('[data-testid="stSidebar"]').bounding_box()
    assert box is None or box["x"] + box["width"] <= 0  # collapsed, off to the left
    # the page never scrolls sideways: wide tables scroll inside their own frame
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    frames = page.locator('[data-testid="stDataFrame"]')
    for i in range(frames.count()):
        frame = frames.nth(i).bounding_box()
        assert frame["x"] >= 0 and frame["x"] + frame["width"] <= PHONE["width"] + 1
    # tiles stack: one column, all at the same left edge
    lefts = {round(b["x"]) for b in (m.bounding_box() for m in
                                      page.locator('[data-testid="stMetric"]').all()) if b}
    assert len(lefts) <= 1
    _shot(page, f"phone_{name}")
    page.context.close()


def test_presentation_on_a_phone(browser, server):
    page = _open(browser, f"{server}/?present=1", viewport=PHONE, is_mobile=True,
                 has_touch=True)
    page.get_by_role("button", name="Next ▶").wait_for(timeout=30_000)
    _wait_for_slide(page, 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "phone_present_1")
    page.context.close()


_WIDER_THAN_PAGE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('[data-testid="stMain"] *')]
    // a table's own frame counts; what scrolls inside it does not
    .filter(e => e.getClientRects().length
                 && !e.parentElement.closest('[data-testid="stDataFrame"]'))
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.width > 0 && r.right > width + 1)
    .map(([e, r]) => (e.dataset.testid || e.tagName) + ' ' + Math.round(r.right));
}"""


@pytest.mark.parametrize("name, path, text", PAGES)
def test_print_shows_the_page_alone_within_the_paper(browser, server, name, path, text):
    page = _open(browser, server + path)
    settle(page, text)
    OUT.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(OUT / f"print_{name}.pdf"), format="A4", print_background=True)
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    for chrome in ("stSidebar", "stHeader", "stToolbar"):
        assert not page.locator(f'[data-testid="{chrome}"]').first.is_visible(), chrome
    assert page.evaluate(_WIDER_THAN_PAGE) == []
    page.context.close()


def _luminance(css_color: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.parametrize("name, path, text", PAGES)
def test_the_dark_theme_follows_the_system_and_charts_read_in_it(
        browser, server, name, path, text):
    page = _open(browser, server + path, color_scheme="dark")
    settle(page, text)
    background = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor")
    assert _luminance(background) < 0.2, background
    # every chart's text is light on the dark page (none left in the paper's dark ink)
    fills = page.evaluate("""() => [...document.querySelectorAll(
        '.js-plotly-plot .gtitle, .js-plotly-plot .annotation-text, .js-plotly-plot .xtick text,'
        + '.js-plotly-plot .ytick text, .js-plotly-plot .legendtext')]
        .map(t => getComputedStyle(t).fill)""")
    assert all(_luminance(fill) > 0.3 for fill in fills), fills
    _shot(page, f"dark_{name}")
    page.context.close()


def test_the_light_theme_is_light(browser, server):
    page = _open(browser, server, color_scheme="light")
    settle(page, "Total IT cost")
    background = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor")
    assert _luminance(background) > 0.9, background
    page.context.close()


def test_every_slide_in_presentation_and_dark(browser, server):
    for scheme in ("light", "dark"):
        page = _open(browser, f"{server}/?present=1", color_scheme=scheme)
        page.get_by_role("button", name="Next ▶").wait_for(timeout=30_000)
        _wait_for_slide(page, 1)
        total = int(_slide(page)[1].split(" of ")[1])
        for number in range(1, total + 1):
            _shot(page, f"present_{scheme}_{number}")
            if number < total:
                page.keyboard.press("ArrowRight")
                _wait_for_slide(page, number + 1)
        page.context.close()
