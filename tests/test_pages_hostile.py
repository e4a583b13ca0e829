"""Text from data or links is text (AppTest): hostile names in the data and hostile values
in the link render every page without an exception, as literal text, and a page that fails
shows a plain message instead of a traceback."""

from __future__ import annotations

import json
import re

import pytest

from tests.golden.cases import hostile_names, hostile_workbook
from tests.test_pages import PAGES, app, shown, texts
from tests.test_pages import _isolated as _isolated

EVIL = "[Session expired - sign in](http://127.0.0.1:9/evil)"
# Markdown that would become a link or image, a heading, LaTeX, or a directive, unescaped
LIVE_MARKUP = re.compile(r"(?<!\\)\]\(|(?<!\\)<[a-z/!]|^#{1,6} (?!\S*\\)|(?<!\\)\$[^ ]|"
                         r"(?<!\\):[a-z]+(?:-background)?\[|(?<![\\])https?:(?!\u2060)",
                         re.IGNORECASE | re.MULTILINE)
CHART_HTML = re.compile(r"<(?:a|img|span|b|i|sup|sub|em|br)[\s>]", re.IGNORECASE)


def markdown_values(at) -> list[str]:
    """Every text the page hands to Streamlit's Markdown renderer."""
    values = [e.value for kind in ("title", "caption", "markdown", "subheader", "header",
                                   "info", "success", "error", "warning") for e in
              getattr(at, kind)]
    values += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    values += [b.label for b in at.button]
    values += [e.label for e in at.get("expander")]
    return [v for v in values if isinstance(v, str)]


def chart_texts(at) -> list[str]:
    """Every string inside the page's plotly figures."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return out


def assert_all_text(at) -> None:
    assert not at.exception, at.exception
    for value in markdown_values(at):
        # a badge is Streamlit's own directive (:orange-badge[...]) around our constant text
        if "-badge[" in value:
            continue
        assert not LIVE_MARKUP.search(value), value
    for text in chart_texts(at):
        assert not CHART_HTML.search(re.sub(r"<br>|</?b>", "", text)), text


@pytest.mark.parametrize("present", [False, True])
def test_a_hostile_link_is_ignored_with_a_plain_note(present):
    query = {"bu": EVIL, "quarter": EVIL, "service": EVIL, "step": "²",
             "q": EVIL + " # heading $x$ :red[x]"}
    at = app(**({"present": "1"} if present else {}), **query).run()
    assert_all_text(at)
    notes = shown("\n".join(i.value for i in at.info))
    for what in ("quarter", "business unit", "service") + (("step",) if present else ()):
        assert f"The link asked for {what} '" in notes, notes
    for key in ("bu", "quarter", "service", "step"):
        assert at.query_params.get(key) != [query[key]], key
    if not present:  # the question is answered (it cannot be), and shown as typed
        assert at.text_input(key="q").value.startswith("[Session expired - sign in](")
        assert at.warning


def test_the_quarter_note_names_what_is_shown_instead():
    at = app(present="1", quarter="abc").run()
    assert not at.exception
    assert any("The link asked for quarter 'abc', which is not in this data; showing 2026-Q3."
               in shown(i.value) for i in at.info)


@pytest.fixture()
def hostile_published():
    """The hostile workbook published by an editor whose name is a link."""
    from valuelib.ingest import load
    from valuelib.store import Store

    files = [(hostile_names()["file"], hostile_workbook())]
    dataset = load(files)
    assert not dataset.errors
    Store.from_env().publish(dataset, files, editor=hostile_names()["editor"],
                             note=EVIL)
    return hostile_names()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_hostile_names_as_text(hostile_published, page):
    at = app().run()
    at.switch_page(page).run()
    assert_all_text(at)
    if page.endswith("overview.py"):
        assert "Evil Org" in texts(at)


def test_a_hostile_service_page_and_its_answer_show_text(hostile_published):
    service = hostile_published["service_link"]
    at = app(service=service, q=f"what does {service} cost per user?").run()
    assert_all_text(at)
    at.switch_page("app_pages/dashboard/services.py").run()
    assert_all_text(at)
    assert shown(at.title[0].value) == service


def test_every_presentation_step_shows_hostile_names_as_text(hostile_published):
    at = app(present="1").run()
    for _ in range(8):
        assert_all_text(at)
        following = next(b for b in at.button if "Next" in b.label)
        if following.disabled:
            break
        following.click().run()
    assert following.disabled  # every step was seen


def test_a_failing_page_shows_a_plain_message_not_a_traceback(monkeypatch):
    from valuelib import views

    monkeypatch.delenv("VALUELIB_RAISE_PAGE_ERRORS")

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/secret/path.py: SELECT * FROM versions")

    monkeypatch.setattr(views, "overview", broken)
    at = app().run()
    assert not at.exception
    assert any("could not be shown" in e.value for e in at.error)
    assert "/srv/secret" not in texts(at)


def test_streamlit_control_flow_passes_through_the_guard():
    # st.stop in a page guard must stop the page, not become an error message
    at = app().run()
    at.switch_page("app_pages/data/history.py").run()  # nothing published: st.info + st.stop
    assert not at.exception and not at.error
