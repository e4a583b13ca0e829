"""Every page renders (AppTest) on the sample, on an upload and on published data; filters,
query parameters, publishing and presentation mode do what they say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.golden.cases import HERE as GOLDEN
from tests.workbooks import fewer_offers
from valuelib import views
from valuelib.ingest import load_paths

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").rglob("*.py"))
PRESENT = "app_pages/dashboard/present.py"
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))
PASSCODE = "correct horse"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Each test gets its own empty database and fresh caches."""
    import streamlit as st

    monkeypatch.setenv("VALUELIB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("VALUELIB_DATABASE_URL", raising=False)
    monkeypatch.setenv("VALUELIB_EDITOR_PASSWORD", PASSCODE)
    monkeypatch.setenv("VALUELIB_RAISE_PAGE_ERRORS", "1")  # a page's error fails its test
    st.cache_data.clear()
    st.cache_resource.clear()


def app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def sample_files():
    return tuple((p.name, p.read_bytes()) for p in SAMPLE)


def badges(at: AppTest) -> list[str]:
    """The data-source badge(s): Streamlit draws st.badge as markdown ':color-badge[text]'."""
    return [m.value for m in at.sidebar.markdown if "-badge[" in m.value]


def shown(markdown: str) -> str:
    """Escaped Markdown as a visitor reads it: a backslash before ASCII punctuation is
    dropped, the word joiner that breaks shortcodes is invisible."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "caption", "markdown", "subheader", "info",
                                  "success", "error") for e in getattr(at, kind)]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    return shown("\n".join(str(p) for p in parts))


def test_the_landing_page_says_it_shows_sample_data():
    at = app().run()
    assert not at.exception
    assert any("Sample data" in b for b in badges(at))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_sample(page):
    at = app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, "every page has a title"
    assert page.endswith("present.py") or any("Sample data" in b for b in badges(at))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_uploaded_file(page):
    at = app()
    at.session_state["upload_files"] = (
        ("servicenow.csv", (ROOT / "tests/data/servicenow_incident_log_sample.csv")
         .read_bytes()),)
    at.session_state["preview_upload"] = True
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_overview_shows_headline_figures_with_readings():
    at = app().run()
    labels = [m.label for m in at.metric]
    assert len(labels) >= 5
    assert any("per user" in label.lower() for label in labels)
    assert "$15" in texts(at)  # the email sentence against the $15 offer


def test_overview_says_budget_vs_actual_and_not_for_one_unit():
    at = app().run()
    assert "Budget vs actual" in [h.value for h in at.subheader]
    assert "Over budget to date: CRM" in texts(at)
    sales = app(bu="Sales").run()
    assert "Budget vs actual" not in [h.value for h in sales.subheader]


def test_quarter_filter_in_the_url_changes_the_figures():
    latest = app().run()
    earlier = app(quarter="2025-Q1").run()
    assert not earlier.exception
    assert [m.value for m in latest.metric] != [m.value for m in earlier.metric]
    assert "2025-Q1" in texts(earlier)


def test_business_unit_filter_changes_the_figures():
    everyone = app().run()
    sales = app(bu="Sales").run()
    assert not sales.exception
    assert [m.value for m in everyone.metric] != [m.value for m in sales.metric]


def test_service_in_the_url_opens_that_service():
    at = app(service="CRM").run()
    at.switch_page("app_pages/dashboard/services.py").run()
    assert not at.exception
    assert at.selectbox(key="service").value == "CRM"
    assert at.title[0].value == "CRM"


def test_a_bad_upload_shows_its_findings_and_no_preview():
    at = app().run()
    at.switch_page("app_pages/data/upload.py").run()
    at.file_uploader(key="upload").set_value(
        [("bad_value.xlsx", (GOLDEN / "bad_value.xlsx").read_bytes(), "application/x")]).run()
    assert not at.exception
    findings = at.dataframe[0].value
    bad = findings[findings["code"] == "BAD_VALUE"]
    assert bad.iloc[0]["row"] == 3
    assert any("Usage, row 3, column users" in m.value for m in at.markdown)
    assert "preview_upload" not in [t.key for t in at.toggle]  # no preview of bad data
    assert not [b for b in at.button if b.label == "Publish"]


def test_a_viewer_has_no_publishing_control():
    at = app().run()
    at.switch_page("app_pages/data/upload.py").run()
    at.file_uploader(key="upload").set_value(
        [(p.name, p.read_bytes(), "application/x") for p in SAMPLE]).run()
    assert not at.exception
    assert not [b for b in at.button if b.label == "Publish"]


def _sign_in(at: AppTest, passcode: str) -> None:
    next(t for t in at.text_input if t.label.startswith("Your name")).input("Dana")
    next(t for t in at.text_input if t.label == "Editor passcode").input(passcode)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()


def test_a_wrong_passcode_is_refused():
    at = app().run()
    at.switch_page("app_pages/data/upload.py").run()
    at.file_uploader(key="upload").set_value(
        [(p.name, p.read_bytes(), "application/x") for p in SAMPLE]).run()
    _sign_in(at, "guess")
    assert any("not right" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Publish"]


def test_publish_then_a_new_session_sees_the_published_data():
    at = app().run()
    at.switch_page("app_pages/data/upload.py").run()
    at.file_uploader(key="upload").set_value(
        [(p.name, p.read_bytes(), "application/x") for p in SAMPLE]).run()
    _sign_in(at, PASSCODE)
    next(b for b in at.button if b.label == "Publish").click().run()
    next(b for b in at.button if b.label == "Publish now").click().run()  # the confirmation
    assert not at.exception
    assert any("Published" in s.value for s in at.success)
    assert any("Published" in b for b in badges(at))  # the editor's own sidebar says so too

    viewer = app().run()
    assert not viewer.exception
    assert any("Published" in b for b in badges(viewer))


def test_presentation_mode_from_the_url_hides_the_sidebar_and_steps_through_the_story():
    at = app(present="1").run()
    assert not at.exception
    assert not at.sidebar.selectbox  # no filters, no navigation
    first = at.title[0].value
    next(b for b in at.button if "Next" in b.label).click().run()
    assert at.title[0].value != first
    assert at.query_params["step"] == "2"


def _answer(at: AppTest) -> str:
    return next((m.value for m in at.subheader if m.value.startswith("For ")), "")


def test_typing_a_question_shows_the_answer_and_its_chart():
    at = app().run()
    at.text_input(key="q").input("what does our email cost per user?").run()
    assert not at.exception
    assert "Email & Productivity" in _answer(at) and "per user per month" in _answer(at)
    assert len(at.get("plotly_chart")) >= 2  # the answer's chart beside the page's own


def test_a_question_in_the_link_is_answered_on_open():
    at = app(q="is it cheaper to buy email?").run()
    assert not at.exception
    assert "$15" in _answer(at)


def test_a_question_follows_the_pages_quarter_and_unit():
    at = app(q="how proactive is support?", quarter="2026-Q1", bu="Sales").run()
    assert not at.exception
    assert _answer(at).startswith("For Sales: In 2026-Q1, ")


def test_a_question_it_cannot_answer_offers_three_it_can():
    at = app(q="what's the weather tomorrow?").run()
    assert not at.exception
    assert at.warning
    suggestions = [b for b in at.button if b.key and b.key.startswith("suggestion_")]
    assert len(suggestions) == 3
    suggestions[0].click().run()
    assert not at.exception
    assert _answer(at)  # the suggestion is answered


def test_the_overview_builds_a_workbook_to_download():
    at = app().run()
    next(b for b in at.button if b.key == "prepare_workbook").click().run()
    assert not at.exception
    assert not at.error
    assert "download_workbook" in [b.key for b in at.get("download_button")]


def _publish_twice():
    from valuelib.ingest import load
    from valuelib.store import Store

    store = Store.from_env()
    files = sample_files()
    store.publish(load(files), list(files), editor="Dana", note="first")
    store.publish(load(files[:1]), list(files[:1]), editor="Dana", note="second")
    return store


def test_history_lists_versions_and_an_editor_rolls_back():
    store = _publish_twice()
    at = app().run()
    at.switch_page("app_pages/data/history.py").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 2
    assert not [b for b in at.button if b.label.startswith("Publish version")]  # viewer
    at.selectbox(key="history_version").select_index(1).run()  # newest first: version 1
    _sign_in(at, PASSCODE)
    next(b for b in at.button if b.label.startswith("Publish version 1")).click().run()
    assert store.latest().id == 2  # the confirmation first, repeating what changes
    assert any("Total cost" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Roll back now").click().run()
    assert not at.exception
    latest = store.latest()
    assert (latest.id, latest.rolled_back_from) == (3, 1)
    assert len(store.versions()) == 3  # history never rewritten


def test_an_earlier_version_can_be_viewed_on_every_page():
    _publish_twice()
    at = app().run()
    at.switch_page("app_pages/data/history.py").run()
    at.selectbox(key="history_version").select_index(1).run()  # newest first: version 1
    next(b for b in at.button if b.label.startswith("Show version 1")).click().run()
    at.switch_page("app_pages/dashboard/overview.py").run()
    assert not at.exception
    assert any("Earlier version" in b for b in badges(at))


def test_switching_pages_and_filters_does_not_read_the_files_again(monkeypatch):
    import ui.data

    reads = []
    real = ui.data.load_paths
    monkeypatch.setattr(ui.data, "load_paths", lambda paths: reads.append(1) or real(paths))
    at = app().run()
    for page in ("app_pages/dashboard/services.py", "app_pages/dashboard/support.py",
                 "app_pages/dashboard/overview.py"):
        at.switch_page(page).run()
    at.selectbox(key="quarter").select("2025-Q4").run()
    assert not at.exception
    assert len(reads) == 1


def test_a_database_that_does_not_answer_is_said_plainly_and_the_sample_still_shows(
        monkeypatch):
    monkeypatch.setenv("VALUELIB_DATABASE_URL",
                       "postgresql+psycopg://nobody:wrong@127.0.0.1:1/none?connect_timeout=2")
    at = app().run()
    assert not at.exception
    assert any("does not answer" in e.value for e in at.error)
    assert any("Sample data" in b for b in badges(at))
    at.switch_page("app_pages/data/history.py").run()
    assert not at.exception


# --- publishing through the plan, the tick and the confirmation (issue 11) ------------------

UPLOAD_PAGE = "app_pages/data/upload.py"
HISTORY_PAGE = "app_pages/data/history.py"


def _upload(at: AppTest, files) -> AppTest:
    at.switch_page(UPLOAD_PAGE).run()
    at.file_uploader(key="upload").set_value(
        [(name, content, "application/x") for name, content in files]).run()
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def _publish_sample():
    from valuelib.ingest import load
    from valuelib.store import Store

    store = Store.from_env()
    files = sample_files()
    store.publish(load(files), list(files), editor="Dana", note="first")
    return store


def test_the_template_uploaded_as_it_is_is_refused_on_the_page():
    from valuelib.template import write_template

    at = _upload(app().run(), [("it-value-template.xlsx", write_template())])
    assert not at.exception
    assert "TEMPLATE_EXAMPLE" in set(at.dataframe[0].value["code"])
    assert any("block publishing" in e.value for e in at.error)
    assert "Publish" not in _labels(at)


def test_a_publish_identical_to_the_live_version_is_refused_plainly():
    _publish_sample()
    at = _upload(app().run(), sample_files())
    assert not at.exception
    assert any("identical to version 1" in i.value for i in at.info)
    assert "Publish" not in _labels(at)


def test_removing_published_offers_needs_the_tick_before_publish_is_enabled():
    store = _publish_sample()
    at = _upload(app().run(), [("market.xlsx", fewer_offers())])
    _sign_in(at, PASSCODE)
    assert not at.exception
    assert any("would be removed" in w.value for w in at.warning)
    assert _button(at, "Publish").disabled
    at.checkbox(key="publish_ticked").check().run()
    assert not _button(at, "Publish").disabled
    _button(at, "Publish").click().run()
    _button(at, "Publish now").click().run()
    assert not at.exception
    assert store.latest().id == 2


def test_publish_opens_a_confirmation_then_clears_the_upload():
    from valuelib.store import Store

    at = _upload(app().run(), sample_files())
    _sign_in(at, PASSCODE)
    _button(at, "Publish").click().run()
    assert "Publish now" in _labels(at)  # the dialog, repeating the summary
    assert any("Total cost" in m.value for m in at.markdown)
    assert Store.from_env().latest() is None  # nothing written before the confirmation
    _button(at, "Publish now").click().run()
    assert not at.exception
    assert any("Published Version 1" in s.value for s in at.success)
    assert Store.from_env().latest().id == 1
    assert not at.dataframe  # the upload and its findings are gone
    assert at.file_uploader[0].key != "upload"  # a fresh, empty uploader
    assert any("Published" in b for b in badges(at))


def test_cancel_in_the_confirmation_publishes_nothing():
    from valuelib.store import Store

    at = _upload(app().run(), sample_files())
    _sign_in(at, PASSCODE)
    _button(at, "Publish").click().run()
    _button(at, "Cancel").click().run()
    assert not at.exception
    assert "Publish now" not in _labels(at)
    assert Store.from_env().latest() is None


def test_a_version_published_meanwhile_is_never_overwritten():
    from valuelib.ingest import load
    from valuelib.store import Store

    at = _upload(app().run(), sample_files())
    _sign_in(at, PASSCODE)
    _button(at, "Publish").click().run()
    files = sample_files()[:1]  # another editor publishes while the dialog is open
    Store.from_env().publish(load(files), list(files), editor="Lee", note="meanwhile")
    _button(at, "Publish now").click().run()
    assert not at.exception
    assert any("version 1 was published meanwhile" in w.value for w in at.warning)
    assert Store.from_env().latest().id == 1
    assert any("Checked as it would be published" in c.value and "Version 1" in c.value
               for c in at.caption)  # planned again against the new version


def test_viewers_see_file_names_but_only_editors_download_them():
    _publish_sample()
    at = app().run()
    at.switch_page(HISTORY_PAGE).run()
    assert not at.exception
    downloads = [b.label for b in at.get("download_button")]
    assert not [label for label in downloads if label.endswith(".xlsx")
                and label.startswith("northwind")]
    assert any("northwind_it" in shown(m.value) for m in at.markdown)
    assert any("as one workbook" in label for label in downloads)  # the data, for everyone
    _sign_in(at, PASSCODE)
    downloads = [b.label for b in at.get("download_button")]
    assert sum(label.startswith("northwind") for label in downloads) == 2


def test_wrong_passcodes_are_throttled_after_five():
    at = _upload(app().run(), sample_files())
    for _ in range(5):
        _sign_in(at, "guess")
        assert not any("wait" in e.value for e in at.error)  # five are free
    _sign_in(at, "guess")
    assert any("Too many wrong passcodes" in e.value and "wait 2 seconds" in e.value
               for e in at.error)
    assert not at.exception
    assert "Publish" not in _labels(at)


def test_an_editor_can_sign_out():
    at = _upload(app().run(), sample_files())
    _sign_in(at, PASSCODE)
    assert "Publish" in _labels(at)
    _button(at, "Sign out").click().run()
    assert not at.exception
    assert "Publish" not in _labels(at)
    assert "Sign in" in _labels(at)


def _damage(version_id: int, tmp_path: Path) -> None:
    """Bit-rot in one stored table of a version, written behind the store's back."""
    import sqlite3

    with sqlite3.connect(tmp_path / "valuelib.sqlite") as conn:
        conn.execute("UPDATE version_tables SET payload = ? WHERE version_id = ? AND "
                     "name = 'costs'", (b"\x78\x9c" + bytes(range(64)), version_id))


def test_a_damaged_latest_version_shows_the_one_before_with_a_warning(tmp_path):
    _publish_twice()
    _damage(2, tmp_path)
    at = app().run()
    assert not at.exception
    assert any("Version 2 is damaged; showing version 1" in w.value for w in at.warning)
    assert any("Version 2 is damaged" in c.value for c in at.sidebar.caption)
    at.switch_page(HISTORY_PAGE).run()
    assert not at.exception
    assert "damaged" in set(at.dataframe[0].value["status"])


def test_an_editor_rolls_back_from_a_damaged_version(tmp_path):
    store = _publish_twice()
    _damage(2, tmp_path)
    at = app().run()
    at.switch_page(HISTORY_PAGE).run()
    at.selectbox(key="history_version").set_value(1).run()
    _sign_in(at, PASSCODE)
    next(b for b in at.button if b.label.startswith("Publish version 1")).click().run()
    _button(at, "Roll back now").click().run()
    assert not at.exception
    assert (store.latest().id, store.latest().rolled_back_from) == (3, 1)
    assert not at.warning  # the latest loads again


def test_an_editor_purges_a_versions_files_after_a_confirmation():
    store = _publish_sample()
    at = app().run()
    at.switch_page(HISTORY_PAGE).run()
    _sign_in(at, PASSCODE)
    next(b for b in at.button if b.label.startswith("Purge version 1")).click().run()
    assert store.files(1)  # nothing deleted before the confirmation
    _button(at, "Purge the files").click().run()
    assert not at.exception
    assert store.files(1) == []
    assert any("purged by Dana" in f for f in at.dataframe[0].value["files"])
    assert any("as one workbook" in b.label for b in at.get("download_button"))


def test_a_vanished_database_refuses_to_publish_and_says_so(tmp_path):
    _publish_sample()
    at = _upload(app().run(), [("market.xlsx", fewer_offers())])
    _sign_in(at, PASSCODE)
    at.checkbox(key="publish_ticked").check().run()
    _button(at, "Publish").click().run()
    (tmp_path / "valuelib.sqlite").unlink()  # deleted while the app runs
    _button(at, "Publish now").click().run()
    assert not at.exception
    assert any("vanished" in e.value and "nothing was published" in e.value for e in at.error)
    assert not any("Everyone with the link now sees it" in s.value for s in at.success)


def test_present_on_any_page_opens_the_story_and_exit_returns_there():
    at = app(present="1", service="CRM", quarter="2025-Q2")
    at.switch_page("app_pages/dashboard/services.py").run()
    assert not at.exception
    steps = len(views.story(load_paths(SAMPLE), "2025-Q2"))
    assert any(f"of {steps}" in c.value for c in at.caption)  # the story, not Services
    assert at.query_params["quarter"] == "2025-Q2"  # the view rides in the URL
    assert at.query_params["present"] == "1"
    at.switch_page(PRESENT)  # AppTest starts each run on its own page, not where the app went
    _button(at, "Exit presentation").click().run()
    assert not at.exception
    assert at.title[0].value == "CRM"  # back on the Services page, same service
    assert at.query_params["quarter"] == "2025-Q2"
    assert "present" not in at.query_params


def test_a_presentation_link_reopens_its_slide_and_exit_goes_to_the_overview():
    at = app(present="1", step="3", quarter="2025-Q2").run()
    assert not at.exception
    steps = len(views.story(load_paths(SAMPLE), "2025-Q2"))
    assert any(c.value == f"3 of {steps}" for c in at.caption)
    at.switch_page(PRESENT)
    _button(at, "Exit presentation").click().run()
    assert not at.exception
    assert any("Total IT cost" in m.label for m in at.metric)
    assert at.query_params["quarter"] == "2025-Q2"


def _voice_workbook() -> bytes:
    """Two quarters of costs, usage and rated tickets (Email's ratings fall from 5 to 3) and
    a Needs sheet: everything the Support page's "Voice of users" shows."""
    import io

    import pandas as pd

    quarters = ("2026-Q2", "2026-Q3")
    days = {"2026-Q2": "2026-05-04", "2026-Q3": "2026-08-03"}
    frames = {
        "Costs": pd.DataFrame([{"quarter": q, "service": s, "amount": 3000}
                               for q in quarters for s in ("Email", "CRM")]),
        "Usage": pd.DataFrame([{"quarter": q, "service": s, "users": 100}
                               for q in quarters for s in ("Email", "CRM")]),
        "Support": pd.DataFrame([
            {"opened": days[q], "service": s, "work_type": "incident",
             "satisfaction": (5 if q == "2026-Q2" else 3) if s == "Email" else 4}
            for q in quarters for s in ("Email", "CRM") for _ in range(12)]),
        "Needs": pd.DataFrame([
            {"quarter": "2026-Q2", "need": "Larger mailboxes", "service": "Email",
             "business_unit": "Sales", "votes": 5, "importance": 4},
            {"quarter": "2026-Q3", "need": "Larger mailboxes", "service": "Email",
             "business_unit": "Sales", "votes": 40, "importance": 5},
            {"quarter": "2026-Q3", "need": "Shared team calendars", "service": "Email",
             "business_unit": "Ops", "votes": 9, "importance": None}]),
    }
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return out.getvalue()


def test_support_page_gives_the_voice_of_users():
    at = app()
    at.session_state["upload_files"] = (("voice.xlsx", _voice_workbook()),)
    at.session_state["preview_upload"] = True
    at.run()
    at.switch_page("app_pages/dashboard/support.py").run()
    assert not at.exception, at.exception
    assert "Voice of users" in [s.value for s in at.subheader]
    said = texts(at)
    assert "Perception is falling for Email: contact satisfaction fell to 50.0% in 2026-Q3 " \
           "from 100.0% in 2026-Q2" in said
    assert "Top need in 2026-Q3: “Larger mailboxes” (Email, Sales), 40 votes × importance " \
           "5.0 = needs score 200, first raised in 2026-Q2." in said
    tables = [d.value for d in at.dataframe]
    voice = next(t for t in tables if "Contact satisfaction" in t.columns)
    assert list(voice["Service"]) == ["Email", "CRM"]  # lowest first
    needs = next(t for t in tables if "Needs score" in t.columns)
    assert list(needs["Need"]) == ["Larger mailboxes", "Shared team calendars"]
    assert list(needs["Needs score"]) == [200.0, 27.0]  # 9 votes × 3 (no importance given)
    assert list(needs["New this quarter"].fillna("")) == ["", "new"]


def test_overview_says_what_to_tell_the_executives_with_links():
    at = app().run()
    assert not at.exception, at.exception
    assert "What to tell the executives this quarter" in [s.value for s in at.subheader]
    said = texts(at)
    # the sample's three findings with money, the largest a year first, then the risk and need
    first = said.index("1. Desktop & User Support costs $265,760 a year more in-house")
    second = said.index("2. Desktop & User Support recovers 82.7% of its cost from charges")
    third = said.index("3. 2026-27 support block runs out about 20 Jan 2027, 161 days before")
    fourth = said.index("4. Perception of Telecom & Networking is falling")
    fifth = said.index("5. Top need in 2026-Q3: “Reliable Wi-Fi in the new warehouse”")
    assert first < second < third < fourth < fifth
    link = at.get("page_link")[0].proto
    assert (link.page, link.query_string) == ("services", "service=Desktop+%26+User+Support")


def test_the_briefing_names_falling_perception_and_the_top_need():
    at = app()
    at.session_state["upload_files"] = (("voice.xlsx", _voice_workbook()),)
    at.session_state["preview_upload"] = True
    at.run()
    assert not at.exception, at.exception
    said = texts(at)
    assert "1. Perception of Email is falling: contact satisfaction fell to 50.0%" in said
    assert "2. Top need in 2026-Q3: “Larger mailboxes” (Email, Sales)" in said
    assert [link.proto.page for link in at.get("page_link")][:2] == ["support", "support"]
# --- the service catalogue and chargeback (issue 16) ----------------------------------------

CATALOGUE_PAGE = "app_pages/dashboard/catalogue.py"


def _with_tiers(**query) -> AppTest:
    """The sample with a small price list of its own (tests/workbooks.tiers_workbook) in
    place of the sample's, as a private preview."""
    from tests.workbooks import sample_without_tiers, tiers_workbook

    at = app(**query)
    at.session_state["upload_files"] = (*sample_without_tiers(), ("tiers.xlsx", tiers_workbook()))
    at.session_state["preview_upload"] = True
    return at


def _without_tiers(**query) -> AppTest:
    """The sample without its Offerings and Subscriptions sheets, as a private preview."""
    from tests.workbooks import sample_without_tiers

    at = app(**query)
    at.session_state["upload_files"] = sample_without_tiers()
    at.session_state["preview_upload"] = True
    return at


def _card_titles(at: AppTest) -> list[str]:
    return [shown(s.value) for s in at.subheader]


def test_the_catalogue_shows_a_card_per_service_and_says_it_has_no_tiers():
    at = _without_tiers().run()
    at.switch_page(CATALOGUE_PAGE).run()
    assert not at.exception
    assert len(_card_titles(at)) == 12  # every Northwind service
    words = texts(at)
    assert "No Offerings sheet" in words and "upload an Offerings sheet" in words
    assert "Everyone paid correctly and on time" in words  # Payroll's value proposition
    assert "Owner: Dana Reyes" in words
    assert "$12.58" in words and "$15.00" in words  # email: cost and the best offer
    assert not at.table  # no tier tables without Offerings
    assert not at.warning  # every sample service has a value proposition


def test_the_catalogue_shows_each_services_tiers_and_filters_by_category():
    at = _with_tiers().run()
    at.switch_page(CATALOGUE_PAGE).run()
    assert not at.exception
    assert "No Offerings sheet" not in texts(at)
    tiers = [t.value.map(shown) for t in at.table]
    email = next(t for t in tiers if "Premium" in set(t["Tier"]))
    assert list(email["Tier"]) == ["Standard", "Premium"]  # cheapest first
    assert list(email["Price per user per month"]) == ["$11.00", "$19.00"]
    assert list(email["Support window"]) == ["8x5", "24x7"]
    at.pills(key="catalogue_category").set_value(["Professional"]).run()
    assert not at.exception
    assert _card_titles(at) == ["Desktop & User Support", "Program & Consulting"]
    assert "2 of 12 services: Professional" in texts(at)


def test_services_without_a_value_proposition_are_a_finding_for_the_it_director():
    from tests.golden.cases import COSTS, SERVICES, USAGE, xlsx

    usage = [*USAGE, ["2026-Q3", "Payroll", 40, "Finance"]]  # not in the Services sheet
    at = app()
    at.session_state["upload_files"] = (
        ("catalogue.xlsx", xlsx(Services=SERVICES, Usage=usage, Costs=COSTS)),)
    at.session_state["preview_upload"] = True
    at.run()
    at.switch_page(CATALOGUE_PAGE).run()
    assert not at.exception
    (warning,) = at.warning
    said = shown(warning.value)
    assert "3 services have no value proposition: CRM, Email & Productivity and Payroll" in said
    assert "What to do" in said and "value_proposition" in said
    assert "Payroll is not in the Services sheet" in said
    assert "No value proposition yet" in texts(at)


CHARGEBACK_PAGE = "app_pages/dashboard/chargeback.py"


def test_chargeback_without_offerings_says_what_to_upload():
    at = _without_tiers(unit="Sales")
    at.switch_page(CHARGEBACK_PAGE).run()
    assert not at.exception
    (info,) = [i for i in at.info if "Offerings" in i.value]
    assert "Upload one" in shown(info.value) and "Subscriptions" in shown(info.value)
    assert not at.dataframe


def test_a_link_to_sales_opens_its_bill_of_it():
    at = _with_tiers(unit="Sales")
    at.switch_page(CHARGEBACK_PAGE).run()
    assert not at.exception
    assert shown(at.title[0].value) == "Bill of IT: Sales"
    assert at.selectbox(key="unit").value == "Sales"
    bill = at.table[0].value.map(shown)  # the bill as printed: the registry's text
    email = bill[(bill["Service"] == "Email & Productivity") & (bill["Tier"] == "Premium")]
    assert email.iloc[0]["Users"] == "58" and email.iloc[0]["Charge"] == "$3,306"  # 58 × $19 × 3
    total = bill.iloc[-1]
    assert total["Service"] == "**Total**" and total["Tier"] == ""
    assert total["Charge"] == "**$23,376**"  # 46 × $95 × 3 + 58 × $40 × 3 + 58 × $19 × 3
    # the year to date adds Q1 and Q2, when Sales' email was Standard ($11): 2 × $21,984
    assert total["Charge, year to date"] == "**$67,344**"
    labels = [m.label for m in at.metric]
    assert "Charged to Sales" in labels and "Its share of IT cost (showback)" in labels
    assert "Line-driven share of IT" in labels
    assert "Cost recovery by service" in texts(at)
    at.selectbox(key="unit").select("Finance").run()
    assert not at.exception
    assert shown(at.title[0].value) == "Bill of IT: Finance"


def test_a_statement_link_for_an_unknown_unit_says_so():
    at = _with_tiers(unit="Legal")
    at.switch_page(CHARGEBACK_PAGE).run()  # the link opens the page itself
    assert not at.exception
    assert any("statement for business unit 'Legal'" in shown(i.value) for i in at.info)
    assert shown(at.title[0].value).startswith("Bill of IT: ")
    assert "unit" not in at.query_params or at.query_params["unit"] != "Legal"


def test_the_sidebar_unit_opens_its_own_statement():
    at = _with_tiers(bu="Operations").run()
    at.switch_page(CHARGEBACK_PAGE).run()
    assert not at.exception
    assert shown(at.title[0].value) == "Bill of IT: Operations"


def test_the_services_page_shows_tiers_subscribers_and_recovery():
    at = _with_tiers(service="Email & Productivity").run()
    at.switch_page("app_pages/dashboard/services.py").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    tiers = next(t for t in frames if "Support window" in t.columns)
    assert list(tiers["Tier"]) == ["Standard", "Premium"]
    subscribers = next(t for t in frames if "Users from" in t.columns)
    sales = subscribers[subscribers["Business unit"] == "Sales"].iloc[0]
    assert (sales["Tier"], sales["Users"]) == ("Premium", 58)
    assert any(m.label == "Cost recovery" for m in at.metric)
    assert "under-recovered" in texts(at)


def test_the_services_page_says_when_a_service_has_no_tiers():
    at = _without_tiers(service="Payroll").run()
    at.switch_page("app_pages/dashboard/services.py").run()
    assert not at.exception
    assert "No tiers: the data has no Offerings sheet" in texts(at)
# ---- Plan: what-if scenarios (issue 17) -------------------------------------------------------

PLAN = "app_pages/dashboard/plan.py"
EMAIL_OFFER = "Email & Productivity=Cloud email & productivity suite"


def _plan(**query) -> AppTest:
    at = app().run()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(PLAN).run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return shown(next(m.value for m in at.metric if m.label == label))


def test_plan_builds_a_scenario_shows_its_result_and_writes_it_into_the_link():
    at = _plan()
    assert "Add a change above" in texts(at)
    at.selectbox(key="plan_kind").set_value("move").run()
    at.selectbox(key="plan_move_service").set_value("Email & Productivity").run()
    at.selectbox(key="plan_offer").set_value("Cloud email & productivity suite").run()
    next(b for b in at.button if b.label == "Add change").click().run()
    assert not at.exception
    assert _metric(at, "Yearly cost change").startswith("+$")
    assert _metric(at, "IT cost per user per month").startswith("$")
    table = at.dataframe[0].value
    assert list(table["Change"]) == [
        "Move Email & Productivity to Cloud email & productivity suite"]
    assert "availability 99.50% → 99.00%" in texts(at)  # what it gives up
    assert at.query_params["move"] == EMAIL_OFFER
    # a second change, then remove the first
    at.selectbox(key="plan_kind").set_value("retire").run()
    at.selectbox(key="plan_retire_service").set_value("Payroll").run()
    next(b for b in at.button if b.label == "Add change").click().run()
    assert len(at.dataframe[0].value) == 2
    at.button(key="plan_remove_0").click().run()
    assert list(at.dataframe[0].value["Change"]) == ["Retire Payroll"]
    assert at.query_params["retire"] == "Payroll" and "move" not in at.query_params


def test_plan_saves_a_scenario_and_its_link_opens_it_in_another_session():
    at = _plan(move=EMAIL_OFFER)
    assert list(at.dataframe[0].value["Change"]) == [
        "Move Email & Productivity to Cloud email & productivity suite"]
    at.text_input(key="plan_name").input("Email to the cloud").run()
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert not at.exception
    assert any("Saved as scenario 1, 'Email to the cloud'" in s.value for s in at.success)
    assert at.query_params["scenario"] == "1" and "move" not in at.query_params
    saved_value = _metric(at, "Yearly cost change")

    other = _plan(scenario="1")
    assert _metric(other, "Yearly cost change") == saved_value
    assert other.text_input(key="plan_name").value == "Email to the cloud"
    saved = other.dataframe[-1].value
    assert list(saved["Name"]) == ["Email to the cloud"]
    assert "not published data" in saved["Made on"].iloc[0]


def test_plan_says_plainly_when_a_linked_scenario_does_not_exist():
    at = _plan(scenario="99")
    assert "There is no saved scenario 99. Showing a new scenario." in texts(at)
    assert "Add a change above" in texts(at)
    at = _plan(scenario="abc", users="CRM=lots")
    said = texts(at)
    assert "scenario 'abc', which is not a scenario number" in said
    assert "the users must be a number, not 'lots'" in said


def _saved(*names: str):
    from valuelib.store import Store, database_url
    from valuelib.whatif import Change, ChangeKind, Scenario

    store = Store(database_url())
    for name, change in zip(names, (
            Change(ChangeKind.RETIRE, service="Payroll"),
            Change(ChangeKind.MOVE, service="CRM", offer="Cloud CRM (Professional)"),
            Change(ChangeKind.HEADCOUNT, count=350)), strict=False):
        store.save_scenario(name, Scenario(name, (change,)).as_dict(), None)
    return store


def test_plan_compares_saved_scenarios_side_by_side():
    _saved("Retire payroll", "CRM to the cloud")
    at = _plan()
    at.multiselect(key="plan_compare").set_value([2, 1]).run()
    assert not at.exception
    compared = at.dataframe[-1].value
    assert list(compared["Scenario"]) == ["CRM to the cloud", "Retire payroll"]
    assert len([m for m in at.metric if m.label == "Yearly cost change"]) == 2


def test_exports_add_a_slide_per_chosen_saved_scenario(monkeypatch):
    from valuelib import report

    _saved("Retire payroll", "CRM to the cloud")
    asked = []
    monkeypatch.setattr(report, "build_deck", lambda *a, **k: asked.append(k) or b"deck")
    at = app().run()
    at.toggle(key="export_with_scenarios").set_value(True).run()
    at.multiselect(key="export_scenarios").set_value([2]).run()
    next(b for b in at.button if b.label == "Prepare Deck (.pptx)").click().run()
    assert not at.exception
    assert [s.name for s in asked[0]["scenarios"]] == ["CRM to the cloud"]
    assert asked[0]["scenarios"][0].changes[0].service == "CRM"


def test_presentation_tells_the_budget_the_year_end_and_a_chosen_scenario():
    _saved("Retire payroll", "CRM to the cloud")
    at = app(present="1").run()
    steps = len(views.story(load_paths(SAMPLE)))
    assert f"1 of {steps}" in [c.value for c in at.caption]
    # a scenario chosen for the handouts gets a screen of its own, the last
    at.toggle(key="export_with_scenarios").set_value(True).run()
    at.multiselect(key="export_scenarios").set_value([2]).run()
    assert f"1 of {steps + 1}" in [c.value for c in at.caption]
    seen = {}
    for _ in range(steps):
        seen[at.title[0].value] = {m.label: shown(m.value) for m in at.metric}
        next(b for b in at.button if "Next" in b.label).click().run()
        assert not at.exception
    seen[at.title[0].value] = {m.label: shown(m.value) for m in at.metric}
    titles = list(seen)
    assert titles[0].startswith("What to tell the executives this quarter")
    assert any(t.startswith("IT is on budget to 2026-Q3") for t in titles)
    year_end = next(t for t in titles if t.startswith("2026 ends on budget"))
    assert seen[year_end]["End of year predicted"] == "$3,172,537"  # as the deck's card
    assert titles[-1].startswith("CRM to the cloud: ") and titles[-1].endswith(" a year.")
    assert "Yearly cost change" in seen[titles[-1]]


def test_only_an_editor_deletes_a_saved_scenario():
    store = _saved("Retire payroll")
    at = _plan()
    assert not [b for b in at.button if b.label == "Delete"]
    at.session_state["editor_unlocked"] = True
    at.session_state["editor_name"] = "Dana"
    at.run()
    next(b for b in at.button if b.label == "Delete").click().run()
    assert not at.exception
    assert store.scenarios() == []
    assert "Scenario 1 deleted." in texts(at)
    assert "was deleted by Dana" in texts(_plan(scenario="1"))


def test_a_what_if_question_is_answered_and_offers_the_plan_page():
    at = app().run()
    at.text_input(key="q").input("what if we moved email to the $15 offer?").run()
    assert not at.exception
    assert "Move Email & Productivity to Cloud email & productivity suite" in _answer(at)
    (link,) = [link for link in at.get("page_link")  # besides the briefing's links
               if link.proto.label == "Open this scenario on the Plan page"]
    assert link.proto.page == "plan"
    assert link.proto.query_string == (
        "move=Email+%26+Productivity%3DCloud+email+%26+productivity+suite")


def test_plan_changes_one_units_headcount_from_today_s():
    at = _plan()
    at.selectbox(key="plan_kind").set_value("headcount").run()
    at.selectbox(key="plan_unit").set_value("Sales").run()
    box = at.number_input(key="plan_headcount_Sales")
    today = box.value
    assert box.label == f"Headcount (today {today:,.0f})"
    box.set_value(today + 20).run()
    next(b for b in at.button if b.label == "Add change").click().run()
    assert not at.exception
    (change,) = at.dataframe[0].value["Change"]
    assert change == f"Sales' headcount to {today + 20:,.0f}"
    assert at.query_params["headcount"] == f"Sales={today + 20:g}"
