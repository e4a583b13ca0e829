"""Real-browser checks that every page and every slide holds up when shared: at 1280 × 720
(sidebar open and closed) and on a phone (390 × 844, a mobile browser with touch), no chart
text leaves its chart or sits on other text, no metric value or button label is cut short,
and axe-core finds no serious or critical WCAG 2.1 A/AA violation. On the phone the sidebar
starts closed and nothing spills sideways; at 1280 × 720 the page prints alone within the
paper, in the light theme. One page load per page and viewport; every check runs on that load
(a page load is most of a browser test's time: loading each page once per check cost minutes).
Screenshots go to tests/artefacts/ (git-ignored) to look at, the print PDFs to
screenshots/screens/.

axe-core is the npm package, pinned in tests/run.sh (``npm install axe-core@4.10.3``); without
it the accessibility check skips locally and fails under CI=true.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.test_browser import (  # noqa: F401  (shared fixtures)
    SAMPLE,
    SHOTS,
    browser,
    server,
    settle,
)
from valuelib import views
from valuelib.ingest import load_paths

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "tests" / "artefacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PRINTS = SHOTS / "screens"

DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": {"viewport": DESKTOP, "color_scheme": "light"},
             "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True}}

# Every page app.py's st.navigation lists, with a text that shows it has drawn.
PAGES = [
    ("overview", "", "Total IT cost"),
    ("catalogue", "catalogue", "services in"),
    ("services", "services?service=CRM", "Compared with buying it"),
    ("chargeback", "chargeback?unit=Sales", "Bill of IT"),
    ("cost_value", "cost_value", "Cost vs value"),
    ("support", "support", "Blocks of support hours"),
    ("data", "data", "Upload & publish"),
    ("history", "history", "History"),
    ("contract", "contract", "Workbook contract"),
]
SLIDES = len(views.story(load_paths(SAMPLE)))  # the sample's story, screen by screen

# Every text plotly draws that a person reads: titles, legend entries, axis titles and ticks,
# annotations, and text on the marks (bar labels, bubble names, heat-map cells).
LAYOUT_CHECK = r"""() => {
  const problems = [];
  const kinds = {
    'title': '.g-gtitle text, .gtitle, .gtitle-subtitle',
    'legend': '.legendtext',
    'axis title': '.g-xtitle text, .g-ytitle text',
    'tick': '.xtick text, .ytick text',
    'annotation': '.annotation-text',
    'mark text': '.textpoint text, .textpoint, .bartext, .heatmaplayer text',
  };
  const visible = r => r.width > 0.5 && r.height > 0.5;
  document.querySelectorAll('.js-plotly-plot').forEach((plot, n) => {
    const svg = plot.querySelector('svg.main-svg');
    if (!svg) return;
    const frame = svg.getBoundingClientRect();
    const name = (plot.closest('[data-testid]')?.getAttribute('data-testid') || 'chart') + ' ' + n;
    const boxes = [];
    for (const [kind, selector] of Object.entries(kinds)) {
      plot.querySelectorAll(selector).forEach(el => {
        if (el.tagName.toLowerCase() !== 'text' && el.querySelector('text')) return;
        const r = el.getBoundingClientRect();
        if (!visible(r) || !(el.textContent || '').trim()) return;
        boxes.push({kind, text: el.textContent.trim().slice(0, 40), r});
      });
    }
    for (const b of boxes) {
      if (b.r.left < frame.left - 1 || b.r.right > frame.right + 1 ||
          b.r.top < frame.top - 1 || b.r.bottom > frame.bottom + 1)
        problems.push(`${name}: ${b.kind} "${b.text}" leaves the chart`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 2)
          problems.push(`${name}: ${boxes[i].kind} "${boxes[i].text}" overlaps ` +
                        `${boxes[j].kind} "${boxes[j].text}"`);
      }
    }
  });
  const cut = el => el.scrollWidth > el.clientWidth + 1;
  document.querySelectorAll('[data-testid="stMetricValue"] div, [data-testid="stMetricValue"]')
    .forEach(el => {
      if (cut(el)) problems.push(`metric value "${el.textContent}" is cut short`);
    });
  document.querySelectorAll('button').forEach(button => {
    if (!button.offsetParent) return;
    button.querySelectorAll('p, div[data-testid="stMarkdownContainer"]').forEach(el => {
      if (cut(el)) problems.push(`button "${button.textContent.trim()}" is cut short`);
    });
  });
  return problems;
}"""

AXE_RUN = """async () => {
  // Streamlit's own sidebar navigation puts its section headings inside the <ul>
  // (axe "list"/"listitem"): Streamlit markup we cannot change; see docs/decisions.md.
  const context = {exclude: [['[data-testid="stSidebarNav"]']]};
  const result = await axe.run(context, {runOnly: {type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
         v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def _axe(page) -> list[str]:
    if not AXE.exists():
        message = f"axe-core is not installed ({AXE}): npm install axe-core@4.10.3"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


# What reaches past the page's width, inside the main area (a table's own frame counts; what
# scrolls inside it does not).
WIDER_THAN_PAGE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(e => e.getClientRects().length
                 && !e.parentElement.closest('[data-testid="stDataFrame"]'))
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.width > 0 && r.right > width + 1)
    .map(([e, r]) => (e.dataset.testid || e.tagName) + ' ' + Math.round(r.right));
}"""


def luminance(css_color: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def background(page) -> float:
    """The app's background luminance (0 black – 1 white)."""
    return luminance(page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"))


def _phone_problems(page, name: str) -> list[str]:
    """On a phone the sidebar starts closed, the page never scrolls sideways (wide tables
    scroll inside their own frame) and the tiles stack in one column."""
    problems = []
    box = page.locator('[data-testid="stSidebar"]').bounding_box()
    if not (box is None or box["x"] + box["width"] <= 0):  # collapsed, off to the left
        problems.append(f"the sidebar is open: {box}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"the page scrolls sideways ({width} px)")
    frames = page.locator('[data-testid="stDataFrame"]')
    for i in range(frames.count()):
        frame = frames.nth(i).bounding_box()
        if not (frame["x"] >= 0 and frame["x"] + frame["width"] <= PHONE["width"] + 1):
            problems.append(f"table {i} leaves the screen: {frame}")
    lefts = {round(b["x"]) for b in (m.bounding_box() for m in
                                      page.locator('[data-testid="stMetric"]').all()) if b}
    if len(lefts) > 1:
        problems.append(f"the tiles do not stack: left edges {sorted(lefts)}")
    return [f"{name}: {p}" for p in problems]


def _print_problems(page, name: str) -> list[str]:
    """The browser's Print shows the page alone (no sidebar, header or toolbar) within the
    paper; a PDF of it is saved to look at. The page is back on screen media afterwards."""
    PRINTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(PRINTS / f"print_{name}.pdf"), format="A4", print_background=True)
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    problems = [f"print {name}: {chrome} shows" for chrome in ("stSidebar", "stHeader", "stToolbar")
                if page.locator(f'[data-testid="{chrome}"]').first.is_visible()]
    problems += [f"print {name}: wider than the paper: {e}" for e in page.evaluate(WIDER_THAN_PAGE)]
    page.emulate_media(media="screen")
    page.wait_for_timeout(300)
    return problems


def _check(page, name: str) -> list[str]:
    """Every check on one load: a screenshot, the layout, then axe."""
    ARTEFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(600)  # plotly draws after Streamlit settles
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"))
    problems = [f"{name}: {p}" for p in page.evaluate(LAYOUT_CHECK)]
    problems += [f"{name}: axe {v}" for v in _axe(page)]
    return problems


@pytest.fixture(params=list(VIEWPORTS))
def view(request, browser):  # noqa: F811
    context = browser.new_context(**VIEWPORTS[request.param])
    yield request.param, context.new_page()
    context.close()


@pytest.mark.parametrize("name, path, text", PAGES, ids=[p[0] for p in PAGES])
def test_every_page_fits_and_is_accessible(view, server, name, path, text):  # noqa: F811
    """Also (on the same load): a phone's layout, the printed page, the light theme."""
    size, page = view
    page.goto(f"{server}/{path}")
    settle(page, text)
    problems = _check(page, f"{name}_{size}")
    if size == "phone":
        problems += _phone_problems(page, name)
    else:
        problems += _print_problems(page, name)
        if background(page) <= 0.9:
            problems.append(f"{name}: the light theme is not light")
    if name == "overview" and size == "desktop":  # and with the sidebar closed
        page.locator('[data-testid="stSidebar"]').hover()
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()
        page.wait_for_timeout(800)
        problems += _check(page, f"{name}_{size}_no_sidebar")
    assert not problems, "\n".join(problems)


def test_every_slide_fits_and_is_accessible(view, server):  # noqa: F811
    size, page = view
    page.goto(f"{server}/?present=1")
    settle(page, f"1 of {SLIDES}")
    problems = []
    for step in range(1, SLIDES + 1):
        problems += _check(page, f"present_{step}_{size}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS[size]["viewport"]["width"]:
            problems.append(f"present_{step}_{size}: the slide scrolls sideways ({width} px)")
        if step < SLIDES:
            page.get_by_role("button", name="Next ▶").click()
            settle(page, f"{step + 1} of {SLIDES}")
    assert not problems, "\n".join(problems)
