"""Text from data or links is text, in a real browser: an editor (whose name is a link)
publishes a workbook full of hostile text; then every page, presentation mode and hostile
links are visited, and no page has a link, image, heading, LaTeX or network request that the
data or the link put there, and no traceback.

One server for this module, with its own database and passcode (tests/test_browser.py's
pattern). A small HTTP listener stands on the beacon's port and counts every request the
browser makes to it: the count must stay 0.
"""

from __future__ import annotations

import http.server
import re
import threading
from urllib.parse import quote, urlsplit

import pytest

from tests.golden.cases import hostile_names, hostile_workbook
from tests.test_browser import (
    PASSCODE,
    SHOTS,
    _free_port,
    _require_browser,
    settle,
)
from tests.test_browser import (
    browser as browser,
)
from tests.test_browser import (
    server as server,
)

pytestmark = pytest.mark.browser

PAGES = ("/", "/services", "/cost_value", "/support", "/data", "/history", "/contract")
WJ = "\u2060"


class _Beacon(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _Beacon.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def beacon():
    """A listener on a free port; its URL is what the hostile text points at."""
    _require_browser()
    port = _free_port()
    httpd = http.server.HTTPServer(("127.0.0.1", port), _Beacon)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/beacon"
    httpd.shutdown()


def publish_as_editor(browser, server, files: list[tuple[str, bytes]], editor: str,
                      note: str) -> None:
    """The Upload & publish flow, as an editor does it (one place to adapt when the page's
    labels change)."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{server}/data")
    settle(page, "Upload & publish")
    page.locator('input[type="file"]').set_input_files([
        {"name": name, "mimeType": "application/vnd.openxmlformats-officedocument."
                                   "spreadsheetml.sheet", "buffer": content}
        for name, content in files])
    settle(page, "What publishing changes")
    page.get_by_label("Your name").fill(editor)
    page.get_by_label("Editor passcode").fill(PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    settle(page, "Signed in as editor")
    page.get_by_label("Note for this version").fill(note)
    page.get_by_role("button", name="Publish", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("What changes").wait_for(timeout=60_000)
    dialog.get_by_role("button", name="Publish now").click()
    settle(page, "Everyone with the link now sees it")
    page.context.close()


@pytest.fixture(scope="module")
def published(browser, server, beacon):
    names = hostile_names(beacon)
    publish_as_editor(browser, server, [(names["file"], hostile_workbook(beacon))],
                      editor=names["editor"], note=f"[Sign in again]({beacon}/note)")
    return names


def _visit(browser, server, path: str, wait_for: str, requests: list[str]):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + path)
    try:
        settle(page, wait_for, timeout=180_000)
    except Exception:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "hostile_failed.png"), full_page=True)
        raise
    page.wait_for_timeout(1500)  # images and charts that would load, load now
    return page


def _assert_only_text(page, server: str, beacon: str, names: dict[str, str],
                      requests: list[str]) -> None:
    where = page.url
    assert page.locator('[data-testid="stException"]').count() == 0, where
    own = urlsplit(server).netloc
    for href in page.locator("a[href]").evaluate_all("els => els.map(e => e.href)"):
        assert urlsplit(href).netloc in ("", own), (where, href)
        assert not href.lower().startswith("javascript:"), (where, href)
    for src in page.locator("img").evaluate_all("els => els.map(e => e.src)"):
        assert src.startswith(("data:", "blob:")) or urlsplit(src).netloc == own, (where, src)
    assert page.locator(".katex").count() == 0, where  # no LaTeX: the app writes none
    headings = page.locator("[data-testid='stMain'] :is(h1,h2,h3,h4,h5,h6)").all_inner_texts()
    for heading in headings:
        # the data's "# Evil Org" and "## Block" show their hashes; a heading made from them
        # would start with the bare words
        assert not heading.strip().startswith(("Evil Org", "Block renew", "Block [renew]")), \
            (where, heading)
    body = page.locator("body").inner_text()
    assert "\u202e" not in body, where
    foreign = [url for url in requests
               if urlsplit(url).netloc not in (own, "") and not url.startswith(("data:", "blob:"))]
    assert not foreign, (where, foreign)
    assert not [url for url in requests if urlsplit(beacon).netloc in url], where


@pytest.mark.parametrize("path, wait_for", [
    ("/", "Total IT cost"), ("/catalogue", "services in"),
    ("/services", "Compared with buying it"),
    ("/cost_value", "Cost vs value"), ("/support", "Service desk"),
    ("/data", "Upload quarterly workbooks"), ("/history", "Every publish is kept"),
    ("/contract", "Workbook contract"), ("/?present=1", "Next"),
    ("/?present=1&step=3", "Next"), ("/?present=1&step=5", "Next"),
])
def test_every_page_shows_hostile_data_as_text(browser, server, beacon, published,
                                               path, wait_for):
    requests: list[str] = []
    page = _visit(browser, server, path, wait_for, requests)
    _assert_only_text(page, server, beacon, published, requests)
    if path == "/":
        text = page.locator("body").inner_text().replace(WJ, "")
        assert "# Evil Org [sign in](" in text  # the organisation's name, as typed
        assert "[Re-enter passcode](" in text  # the editor's name in the sidebar, as typed
    page.context.close()
    assert _Beacon.hits == []


@pytest.mark.parametrize("query", [
    "present=1&bu={evil}", "present=1&quarter={evil}", "present=1&quarter=abc",
    "service={evil}", "bu={evil}", "unit={evil}", "q={evil}", "present=1&step={evil}",
])
def test_a_hostile_link_shows_no_link_and_a_plain_note(browser, server, beacon,
                                                       published, query):
    evil = f"[Session expired - sign in]({beacon}/evil)"
    requests: list[str] = []
    path = "/?" + query.format(evil=quote(evil))
    page = _visit(browser, server, path, "Next" if "present=1" in query else "Total IT cost",
                  requests)
    _assert_only_text(page, server, beacon, published, requests)
    text = page.locator("body").inner_text().replace(WJ, "")
    if not query.startswith("q="):
        assert "The link asked for" in text
    assert not re.search(r"Session expired - sign in(?!\]\()", text.replace("\n", " ")) or \
        "[Session expired - sign in](" in text
    page.context.close()
    assert _Beacon.hits == []
