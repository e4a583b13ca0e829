"""Real browser: a viewer keeps being served while another visitor uploads hostile files.

One context reloads the Overview page again and again, waiting each time for a headline
figure; another uploads the resource attacks (tests/golden/cases.py HOSTILE, plus a workbook
with one 50 MB cell built here) on the Upload page. Every poll must be answered within
POLL_BOUND_MS, and the uploader must see each file's finding, not a crash.
"""

from __future__ import annotations

import time

import pytest

from tests.golden.cases import HERE, HOSTILE, huge_cell_workbook
from tests.test_browser import browser, server, settle  # noqa: F401  (module fixtures)

pytestmark = pytest.mark.browser

# Generous, for a shared 2-core machine under load: a server stalled by a parse would miss
# it by far, and a killed one (a 17-billion-cell sheet used to abort the process) always.
POLL_BOUND_MS = 60_000


def test_a_viewer_is_served_while_hostile_files_are_uploaded(browser, server, tmp_path):  # noqa: F811
    huge = tmp_path / "huge_cell.xlsx"
    huge.write_bytes(huge_cell_workbook(50 * 1024**2))
    files = [str(HERE / name) for name in HOSTILE] + [str(huge)]

    viewer = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    uploader = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    viewer.goto(server)
    settle(viewer, "Total IT cost", timeout=240_000)  # a cold server on a busy machine
    uploader.goto(f"{server}/data")
    settle(uploader, "Upload & publish", timeout=240_000)

    uploader.locator('input[type="file"]').set_input_files(files)
    polls = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        viewer.reload()
        # raises (fails the test) if the viewer is not served within the bound
        viewer.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=POLL_BOUND_MS)
        polls.append(viewer.locator('[data-testid="stMetricValue"]').first.inner_text())
        # a few polls more once the findings are shown: the server stays well afterwards too
        if len(polls) >= 3 and uploader.get_by_text("error(s) block publishing").count():
            break
    assert len(polls) >= 3 and all(figure.strip() for figure in polls), polls
    settle(uploader, "error(s) block publishing", timeout=60_000)
    main = uploader.locator('[data-testid="stMain"]')
    text = main.inner_text()
    assert "Sheet 'Usage' reaches row 1,048,576 and column XFD" in text
    assert "Sheet 'Usage' reaches row 1,000,000 and column ZZ" in text
    assert "'lots' cannot be read as an amount." in text
    assert "'{value}' cannot be read as an amount." in text
    assert "'amount{}' is blank." in text and "'Amount ({value:>2000000000})' is blank." in text
    assert uploader.locator('[data-testid="stException"]').count() == 0
    assert viewer.locator('[data-testid="stException"]').count() == 0
    assert "Sheet 'Costs' has a cell longer than the 32,767 characters" in text
    assert len(text) < 100_000  # no finding copies the 50 MB cell
    print(f"\nviewer served {len(polls)} times while the hostile files were read")
