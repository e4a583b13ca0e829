"""Real-browser checks of the service catalogue and a unit's Bill of IT, on the sample with
tiers and subscriptions published (tests/workbooks.tiers_workbook): the link an executive is
sent (``/chargeback?unit=Sales``) opens on their own statement, the page fits a 1280 × 720
screen without scrolling sideways, no chart text collides, axe-core finds no serious WCAG
violation, and both pages print alone within the paper."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.test_browser import browser, page, serve, settle, shoot  # noqa: F401  (fixtures)
from tests.test_browser_fit import LAYOUT_CHECK, _axe, _print_problems
from tests.workbooks import sample_without_tiers, tiers_workbook

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server whose published data is the sample with tiers and subscriptions."""
    from valuelib.ingest import load
    from valuelib.store import Store

    data_dir = tmp_path_factory.mktemp("db")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("VALUELIB_DATA_DIR", str(data_dir))
        env.delenv("VALUELIB_DATABASE_URL", raising=False)
        files = [*sample_without_tiers(), ("tiers.xlsx", tiers_workbook())]
        Store.from_env().publish(load(files), files, editor="Dana", note="with tiers")
    with serve(data_dir) as url:
        yield url


def _fits(page, name: str) -> list[str]:  # noqa: F811
    problems = [f"{name}: {p}" for p in page.evaluate(LAYOUT_CHECK)]
    problems += [f"{name}: axe {v}" for v in _axe(page)]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 1280:
        problems.append(f"{name}: the page scrolls sideways ({width} px)")
    return problems + _print_problems(page, name)


def test_a_units_link_opens_its_own_bill_of_it(page, server):  # noqa: F811
    page.goto(f"{server}/chargeback?unit=Sales")
    settle(page, "Statement")
    main = page.locator('[data-testid="stMain"]')
    assert page.locator("h1").first.inner_text().strip() == "Bill of IT: Sales"
    assert page.locator('[data-testid="stException"]').count() == 0
    bill = page.locator('[data-testid="stTable"]').first.inner_text()
    assert "Premium" in bill and "$3,306" in bill  # 58 users × $19 × 3 months
    assert "Total" in bill and "$23,376" in bill and "$67,344" in bill
    assert "Cost recovery by service" in main.inner_text()
    page.wait_for_timeout(600)  # plotly draws after Streamlit settles
    problems = _fits(page, "chargeback_sales")
    shoot(page, "chargeback_sales")
    # another unit from the picker: the link follows, so it can be sent on
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Statement for").click()
    page.get_by_role("option", name="Finance", exact=True).click()
    page.locator("h1").filter(has_text="Bill of IT: Finance").wait_for(timeout=30_000)
    page.wait_for_url(lambda url: "unit=Finance" in url, timeout=30_000)
    assert parse_qs(urlsplit(page.url).query)["unit"] == ["Finance"]
    assert not problems, "\n".join(problems)


def test_the_catalogue_shows_every_service_and_prints(page, server):  # noqa: F811
    page.goto(f"{server}/catalogue")
    settle(page, "12 services in 3 categories")
    cards = page.locator('[class*="st-key-card_"]')
    assert cards.count() == 12
    email = cards.filter(has_text="Email & Productivity").first.inner_text()
    assert "Premium" in email and "$19.00" in email and "24x7" in email
    assert "$12.58" in email and "$15.00" in email  # cost per user and the best offer
    problems = _fits(page, "catalogue")
    shoot(page, "catalogue")
    page.get_by_role("button", name="Professional").click()
    settle(page, "2 of 12 services: Professional")
    assert cards.count() == 2
    assert not problems, "\n".join(problems)
