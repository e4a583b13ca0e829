"""valuelib.store: every database test runs against SQLite (a file under tmp_path) and
PostgreSQL (a fresh schema per test in the database named by VALUELIB_TEST_POSTGRES_URL).

Without that variable the PostgreSQL cases are skipped, except on CI (CI=true), where they
fail: start a server with ``URL=$(bash .ci/postgres.sh | tail -1)``.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import threading
import types
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

import valuelib.store as store_module
from tests.postgres import fresh_schema
from valuelib.model import Dataset, Finding, Settings, Severity, SourceFile
from valuelib.publishing import diff_against
from valuelib.store import (
    SCHEMA_VERSION,
    DamagedVersionError,
    ScenarioNotFoundError,
    StaleBaseError,
    Store,
    StoreMovedError,
    StoreVersionError,
    VersionNotFoundError,
    check_passcode,
    configured_passcode,
    database_url,
    merge_for_publish,
    sqlite_url,
)

# --------------------------------------------------------------------------------------------
# Databases


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A URL to an empty database: a SQLite file in a folder that does not exist yet, or a
    fresh PostgreSQL schema (dropped afterwards)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "data" / "valuelib.sqlite")
        return
    with fresh_schema() as url:
        yield url


@pytest.fixture
def open_store(db_url):
    """Opens stores on the test database and closes them all at the end."""
    opened: list[Store] = []

    def opener(url: str = db_url) -> Store:
        store = Store(url)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store) -> Store:
    return open_store()


def raw_engine(url: str):
    """An engine without valuelib in the way, to look at or tamper with the database."""
    database = make_url(url).database
    if url.startswith("sqlite") and database:
        os.makedirs(os.path.dirname(database), exist_ok=True)
    return create_engine(url)


def count_rows(url: str, table: str) -> int:
    engine = raw_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def execute(url: str, *statements: str) -> None:
    engine = raw_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


# --------------------------------------------------------------------------------------------
# Data


def typed(columns: dict[str, str], rows: list[tuple]) -> pd.DataFrame:
    """A frame with exactly these dtypes (None = missing)."""
    values = list(zip(*rows, strict=True)) if rows else [[] for _ in columns]
    return pd.DataFrame({name: pd.Series(list(column), dtype=dtype)
                         for (name, dtype), column in zip(columns.items(), values, strict=True)})


SOURCE = {"source_file": "str", "source_sheet": "str", "source_row": "int64"}
T = pd.Timestamp


def full_dataset() -> Dataset:
    """Every column kind of the contract, with missing values and awkward ones."""
    services = typed(
        {"service": "str", "category": "str", "owner": "str", "external_facing": "boolean",
         "availability_target": "float64", "unit": "str", "in_catalog": "bool", **SOURCE},
        [("Email & Productivity", "Business", "Dana Reyes", False, 99.9, "mailbox", True,
          "q3.xlsx", "Services", 2),
         ("Intranet", None, "", None, None, "user", True, "q3.xlsx", "Services", 3),
         ("Fax ✓ 'quoted' \"x\"", None, None, True, 0.0, "user", False, "q3.xlsx", "Costs", 9)])
    costs = typed(
        {"quarter": "str", "date": "datetime64[us]", "service": "str", "shared": "bool",
         "amount": "float64", "comparable": "bool", "note": "str", **SOURCE},
        [("2026-Q3", T("2026-08-14 09:30:15.123456"), "Email & Productivity", False, 13500.25,
          True, "M365 E3\nline two", "q3.xlsx", "Costs", 2),
         ("2026-Q3", None, None, True, -0.0, False, None, "q3.xlsx", "Costs", 3),
         ("2026-Q2", T("1999-12-31"), "Intranet", False, 0.1 + 0.2, True, "", "q3.xlsx",
          "Costs", 4),
         ("2026-Q2", T("2026-04-01"), "Intranet", False, np.nan, True, "\x00 nul", "q3.xlsx",
          "Costs", 5)])
    support = typed(
        {"ticket": "str", "opened": "datetime64[us]", "resolved": "datetime64[us]",
         "hours": "float64", "impact": "Int64", "priority": "Int64", "quarter": "str",
         **SOURCE},
        [("INC001", T("2026-08-14 09:30"), T("2026-08-14 11:00"), 1.5, 2, 3, "2026-Q3",
          "t.csv", "Support", 2),
         ("INC002", T("2026-08-15"), None, None, None, None, "2026-Q3", "t.csv", "Support", 3)])
    usage = typed({"quarter": "str", "service": "str", "users": "float64", **SOURCE},
                  [("2026-Q3", "Intranet", 1e-300, "q3.xlsx", "Usage", 2)])
    blocks = typed({"block": "str", "purchased_hours": "float64", "start": "datetime64[us]",
                    **SOURCE}, [])
    findings = (
        Finding("W_STUB", Severity.WARNING, "Fax is not in the catalogue", "Add it", "q3.xlsx",
                "Costs", 9, "service", "Fax"),
        Finding("I_SHEET", Severity.INFO, "No Blocks sheet", "Nothing to do"),
    )
    sources = (SourceFile("q3.xlsx", "ab" * 32, 1234, {"costs": 4, "services": 3}),
               SourceFile("t.csv", "cd" * 32, 99, {"support": 2}, events=5, tickets=2))
    return Dataset(
        tables={"services": services, "costs": costs, "support": support, "usage": usage,
                "blocks": blocks},
        settings=Settings(organization="Contoso Ltd", currency="EUR", fiscal_year_start=7,
                          date_order="DMY"),
        findings=findings,
        sources=sources,
    )


def tiny_dataset(amount: float = 1.0, quarter: str = "2026-Q3") -> Dataset:
    costs = typed({"quarter": "str", "service": "str", "amount": "float64"},
                  [(quarter, "Email", amount)])
    return Dataset(tables={"costs": costs})


def assert_same_dataset(loaded: Dataset, published: Dataset) -> None:
    assert list(loaded.tables) == list(published.tables)
    for key, frame in published.tables.items():
        assert_frame_equal(loaded[key], frame, check_exact=True)
        assert loaded[key].dtypes.to_dict() == frame.dtypes.to_dict()
    assert loaded.settings == published.settings
    assert loaded.findings == published.findings
    assert [replace(s, tables=dict(s.tables)) for s in loaded.sources] == [
        replace(s, tables=dict(s.tables)) for s in published.sources]


# --------------------------------------------------------------------------------------------
# Publishing and reading


def test_nothing_published_yet(store):
    assert store.latest() is None
    assert store.versions() == []


def test_a_new_store_on_the_same_url_sees_the_publish(store, open_store):
    info = store.publish(tiny_dataset(), [("q3.xlsx", b"bytes")], "Dana", "Q3 close")
    again = open_store()
    assert again.latest() == info
    assert info.id == 1
    assert (info.editor, info.note, info.rolled_back_from) == ("Dana", "Q3 close", None)
    assert info.published_at.tzinfo is not None
    assert info.row_counts == {"costs": 1}
    assert info.quarters == ("2026-Q3",)


def test_versions_are_newest_first_and_latest_is_the_newest(store):
    published = [store.publish(tiny_dataset(n), [], "Dana", f"#{n}") for n in range(3)]
    assert [v.id for v in store.versions()] == [3, 2, 1]
    assert store.versions() == published[::-1]
    assert store.latest() == published[-1]
    assert store.version(2) == published[1]
    times = [v.published_at for v in published]
    assert times == sorted(times)


def test_load_round_trips_every_table_exactly(store, open_store):
    dataset = full_dataset()
    info = store.publish(dataset, [], "Dana")
    loaded = open_store().load(info.id)
    assert_same_dataset(loaded, dataset)
    assert np.signbit(loaded["costs"]["amount"][1])  # -0.0 stays negative zero
    assert loaded["costs"]["amount"][2] == 0.1 + 0.2
    assert info.warning_count == 1
    assert info.row_counts == {"services": 3, "costs": 4, "support": 2, "usage": 1, "blocks": 0}
    assert info.quarters == ("2026-Q2", "2026-Q3")


@pytest.mark.parametrize("column", [
    pd.Series(["a", None], dtype="string"),
    pd.Series([1.5, None], dtype="Float64"),
    pd.Series([np.inf, -np.inf]),
    pd.Series([1, 2], dtype="int32"),
    pd.Series([T("2026-01-01 10:00"), None], dtype="datetime64[ns]"),
    pd.Series([T("2026-01-01 10:00"), None], dtype="datetime64[s]"),
    pd.Series([T("2026-01-01 10:00", tz="Europe/Paris"), None]),
    pd.to_timedelta([90, None], unit="s"),
    pd.Series(["x", None, 3, 2.5, True, np.nan, pd.NA], dtype=object),
], ids=["string", "Float64", "inf", "int32", "ns", "s", "tz", "timedelta", "object"])
def test_other_dtypes_round_trip_too(store, column):
    frame = pd.DataFrame({"c": column})
    info = store.publish(Dataset(tables={"extra": frame}), [], "Dana")
    assert_frame_equal(store.load(info.id)["extra"], frame, check_exact=True)


def test_a_dtype_that_cannot_round_trip_is_refused_and_nothing_is_written(store, db_url):
    frame = pd.DataFrame({"c": pd.Categorical(["a", "b"])})
    with pytest.raises(TypeError, match="extra.c has dtype category"):
        store.publish(Dataset(tables={"extra": frame}), [], "Dana")
    assert store.latest() is None
    assert count_rows(db_url, "version_tables") == 0


def test_files_come_back_byte_for_byte(store, db_url):
    files = [("q3.xlsx", bytes(range(256)) * 10), ("tickets é.csv", b"\xef\xbb\xbfa,b\r\n"),
             ("empty.csv", b"")]
    info = store.publish(tiny_dataset(), files, "Dana")
    assert store.files(info.id) == files
    assert [(f.name, f.sha256, f.size) for f in info.files] == [
        (name, hashlib.sha256(data).hexdigest(), len(data)) for name, data in files]
    # The same bytes uploaded again are kept once.
    store.publish(tiny_dataset(2.0), files[:1], "Dana")
    assert count_rows(db_url, "file_blobs") == 3


def test_rollback_publishes_the_old_content_as_a_new_version(store, db_url):
    first = full_dataset()
    files = [("q3.xlsx", b"first upload")]
    v1 = store.publish(first, files, "Dana", "first")
    store.publish(tiny_dataset(99.0), [("fix.xlsx", b"second")], "Dana", "second")
    rolled = store.rollback(v1.id, "Eve")
    assert rolled.id == 3
    assert rolled.rolled_back_from == 1
    assert rolled.note == "Rollback to version 1"
    assert rolled.editor == "Eve"
    assert (rolled.files, rolled.row_counts, rolled.quarters, rolled.warning_count) == (
        v1.files, v1.row_counts, v1.quarters, v1.warning_count)
    assert_same_dataset(store.load(3), first)
    assert store.files(3) == files
    assert [v.id for v in store.versions()] == [3, 2, 1]  # history kept
    assert store.load(2)["costs"]["amount"].tolist() == [99.0]


def test_unknown_versions_are_reported(store):
    with pytest.raises(VersionNotFoundError, match="nothing has been published"):
        store.load(1)
    store.publish(tiny_dataset(), [], "Dana")
    for read in (store.load, store.files, store.version):
        with pytest.raises(VersionNotFoundError, match="no published version 7; the newest is 1"):
            read(7)
    with pytest.raises(VersionNotFoundError):
        store.rollback(7, "Eve")
    assert [v.id for v in store.versions()] == [1]


@pytest.mark.parametrize("dataset, editor, message", [
    (Dataset(tables={"costs": tiny_dataset()["costs"]},
             findings=(Finding("E_AMOUNT", Severity.ERROR, "Amount is not a number",
                               "Type a number", "q3.xlsx", "Costs", 14, "amount", "abc"),)),
     "Dana", r"1 error\(s\).*q3.xlsx Costs row 14 amount: Amount is not a number"),
    (Dataset(tables={"costs": tiny_dataset()["costs"].iloc[0:0]}), "Dana", "every table is empty"),
    (tiny_dataset(), "  ", "editor name is empty"),
], ids=["errors", "empty", "no-editor"])
def test_unpublishable_data_is_refused(store, dataset, editor, message):
    with pytest.raises(ValueError, match=message):
        store.publish(dataset, [], editor)
    assert store.latest() is None


# --------------------------------------------------------------------------------------------
# Concurrency and failures


def test_publishes_from_several_threads_all_land_in_order(store):
    threads, per_thread = 4, 3
    start = threading.Barrier(threads)

    def publisher(editor: str) -> None:
        start.wait()
        for n in range(per_thread):
            store.publish(tiny_dataset(n), [(f"{editor}.csv", editor.encode())], editor,
                          f"{editor} #{n}")

    editors = [f"editor{i}" for i in range(threads)]
    with ThreadPoolExecutor(threads) as pool:
        for done in [pool.submit(publisher, editor) for editor in editors]:
            done.result(timeout=120)  # re-raises a publisher's exception here
    assert_all_recorded_in_order(store, editors, per_thread)


def _publish_from_process(url: str, editor: str, count: int, start) -> None:
    start.wait()
    with Store(url) as store:
        for n in range(count):
            store.publish(tiny_dataset(n), [(f"{editor}.csv", editor.encode())], editor,
                          f"{editor} #{n}")


def _spawn_without_the_app(monkeypatch) -> None:
    """spawn re-runs the parent's __main__ in each child; after AppTest ran app.py in this
    process that would be the app, so give the children a bare __main__."""
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))


def run_in_processes(monkeypatch, target, db_url: str, editors: list[str], count: int,
                     timeout: float = 300) -> None:
    """Run ``target(db_url, editor, count, start)`` in one process per editor, all released
    at once; asserts every process exited cleanly."""
    _spawn_without_the_app(monkeypatch)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no shared sockets
    start = context.Event()
    processes = [context.Process(target=target, args=(db_url, editor, count, start))
                 for editor in editors]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=timeout)
    assert [p.exitcode for p in processes] == [0] * len(editors)


def test_publishes_from_two_processes_all_land_in_order(store, db_url, monkeypatch):
    editors, per_process = ["alice", "bob"], 4
    run_in_processes(monkeypatch, _publish_from_process, db_url, editors, per_process)
    assert_all_recorded_in_order(store, editors, per_process)


def assert_all_recorded_in_order(store: Store, editors: list[str], per_editor: int) -> None:
    versions = store.versions()[::-1]
    assert [v.id for v in versions] == list(range(1, len(editors) * per_editor + 1))
    times = [v.published_at for v in versions]
    assert times == sorted(times)
    for editor in editors:
        notes = [v.note for v in versions if v.editor == editor]
        assert notes == [f"{editor} #{n}" for n in range(per_editor)]
        assert store.load(max(v.id for v in versions if v.editor == editor))[
            "costs"]["amount"].tolist() == [per_editor - 1]


def assert_only_version_one(url: str, store: Store) -> None:
    assert [v.id for v in store.versions()] == [1]
    for table, rows in [("versions", 1), ("version_tables", 1), ("version_findings", 0),
                        ("version_files", 1), ("file_blobs", 1)]:
        assert count_rows(url, table) == rows, table


def test_a_publish_failing_midway_leaves_no_trace(store, db_url, monkeypatch):
    before = store.publish(tiny_dataset(1.0), [("v1.csv", b"one")], "Dana")

    def broken(*_args):
        raise RuntimeError("disk full")

    # The version row and its tables are written by now; the findings insert fails.
    monkeypatch.setattr(store_module, "_insert_findings", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        store.publish(tiny_dataset(2.0), [("v2.csv", b"two")], "Eve")
    assert store.latest() == before
    assert_only_version_one(db_url, store)
    monkeypatch.undo()
    assert store.publish(tiny_dataset(3.0), [], "Eve").id == 2


def _publish_and_die(url: str) -> None:
    def die(*_args):
        os._exit(3)  # no cleanup at all, as if the machine lost power mid-transaction

    store_module._insert_files = die
    Store(url).publish(tiny_dataset(2.0), [("v2.csv", b"two")], "Eve")


def test_a_publisher_killed_midway_leaves_no_trace(store, db_url, monkeypatch):
    _spawn_without_the_app(monkeypatch)
    before = store.publish(tiny_dataset(1.0), [("v1.csv", b"one")], "Dana")
    process = multiprocessing.get_context("spawn").Process(target=_publish_and_die,
                                                           args=(db_url,))
    process.start()
    process.join(timeout=120)
    assert process.exitcode == 3
    assert store.latest() == before
    assert_only_version_one(db_url, store)
    assert store.publish(tiny_dataset(3.0), [], "Eve").id == 2  # the lock was released


# --------------------------------------------------------------------------------------------
# Schema versions


def test_an_empty_database_is_initialised(store, db_url):
    assert store.schema_version == SCHEMA_VERSION
    tables = set(inspect(raw_engine(db_url)).get_table_names())
    assert {"meta", "versions", "version_tables", "version_findings", "file_blobs",
            "version_files", "scenarios"} <= tables


def test_a_missing_or_empty_sqlite_file_is_created(tmp_path):
    missing = tmp_path / "deep" / "er" / "valuelib.sqlite"
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    for path in (missing, empty):
        with Store(sqlite_url(path)) as store:
            assert store.latest() is None
            store.publish(tiny_dataset(), [], "Dana")
        assert path.stat().st_size > 0


def test_a_v0_database_is_migrated(db_url, open_store):
    # Version 0: only a stub meta table, as a first release might have left it.
    execute(db_url,
            "CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)",
            "INSERT INTO meta (key, value) VALUES ('schema_version', '0')")
    store = open_store()
    assert store.schema_version == SCHEMA_VERSION
    assert store.publish(tiny_dataset(), [], "Dana").id == 1


def test_an_older_database_is_upgraded_by_the_next_migration(db_url, open_store, monkeypatch):
    open_store().publish(full_dataset(), [("q3.xlsx", b"x")], "Dana")

    def add_reviewer(conn):
        conn.execute(text("ALTER TABLE versions ADD COLUMN reviewed_by TEXT"))

    following = SCHEMA_VERSION + 1
    monkeypatch.setattr(store_module, "MIGRATIONS",
                        {**store_module.MIGRATIONS, following: add_reviewer})
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", following)
    upgraded = open_store()
    assert upgraded.schema_version == following
    columns = {c["name"] for c in inspect(raw_engine(db_url)).get_columns("versions")}
    assert "reviewed_by" in columns
    assert_same_dataset(upgraded.load(1), full_dataset())
    assert upgraded.publish(tiny_dataset(), [], "Eve").id == 2


def test_a_failing_migration_leaves_the_database_as_it_was(db_url, open_store, monkeypatch):
    open_store().publish(tiny_dataset(), [], "Dana")

    def half_done(conn):
        conn.execute(text("ALTER TABLE versions ADD COLUMN reviewed_by TEXT"))
        raise RuntimeError("migration bug")

    following = SCHEMA_VERSION + 1
    monkeypatch.setattr(store_module, "MIGRATIONS",
                        {**store_module.MIGRATIONS, following: half_done})
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", following)
    with pytest.raises(RuntimeError, match="migration bug"):
        open_store()
    monkeypatch.undo()
    store = open_store()
    assert store.schema_version == SCHEMA_VERSION
    columns = {c["name"] for c in inspect(raw_engine(db_url)).get_columns("versions")}
    assert "reviewed_by" not in columns
    assert [v.id for v in store.versions()] == [1]


def test_a_newer_database_is_refused_untouched(db_url, open_store):
    open_store().publish(tiny_dataset(), [], "Dana")
    execute(db_url, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreVersionError, match=r"schema version 99.*upgrade valuelib"):
        Store(db_url)
    engine = raw_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text(
            "SELECT value FROM meta WHERE key = 'schema_version'")).scalar_one() == "99"
        assert conn.execute(text("SELECT count(*) FROM versions")).scalar_one() == 1
    engine.dispose()


def test_a_running_store_stops_writing_once_the_schema_moves_on(store, db_url):
    store.publish(tiny_dataset(), [], "Dana")
    execute(db_url, f"UPDATE meta SET value = '{SCHEMA_VERSION + 1}' "
                    "WHERE key = 'schema_version'")
    with pytest.raises(StoreVersionError, match="Restart the app"):
        store.publish(tiny_dataset(), [], "Eve")
    with pytest.raises(StoreVersionError):
        store.rollback(1, "Eve")
    assert count_rows(db_url, "versions") == 1


def test_tables_named_like_ours_without_meta_are_refused(db_url):
    execute(db_url, "CREATE TABLE versions (id INTEGER PRIMARY KEY)")
    with pytest.raises(StoreVersionError, match="no 'meta' table"):
        Store(db_url)


def test_from_env_uses_the_database_url(db_url, monkeypatch):
    monkeypatch.setenv("VALUELIB_DATABASE_URL", db_url)
    with Store.from_env() as store:
        store.publish(tiny_dataset(), [], "Dana")
    with Store(db_url) as store:
        assert store.latest().id == 1


# --------------------------------------------------------------------------------------------
# Where the database is (no database needed)


def test_database_url_defaults_to_data_folder_in_working_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert make_url(database_url({})).database == str(tmp_path / "data" / "valuelib.sqlite")
    assert make_url(database_url({"VALUELIB_DATA_DIR": "/srv/vl"})).database == (
        "/srv/vl/valuelib.sqlite")
    assert database_url({"VALUELIB_DATABASE_URL": "postgresql+psycopg://u@h/db",
                         "VALUELIB_DATA_DIR": "/srv/vl"}) == "postgresql+psycopg://u@h/db"


def test_from_env_creates_the_default_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VALUELIB_DATABASE_URL", raising=False)
    monkeypatch.setenv("VALUELIB_DATA_DIR", "store-here")
    with Store.from_env() as store:
        store.publish(tiny_dataset(), [], "Dana")
    assert (tmp_path / "store-here" / "valuelib.sqlite").exists()


@pytest.mark.parametrize("url", ["postgres://u:p@h/db", "postgresql://u:p@h/db"])
def test_bare_postgres_urls_use_psycopg(url):
    assert store_module._normalise_url(url).drivername == "postgresql+psycopg"


# --------------------------------------------------------------------------------------------
# Editor passcode


@pytest.mark.parametrize("given, configured, ok, is_configured, says", [
    ("s3cret", "s3cret", True, True, "accepted"),
    ("wrong", "s3cret", False, True, "not right"),
    ("", "s3cret", False, True, "not right"),
    ("pässwörd ✓", "pässwörd ✓", True, True, "accepted"),
    ("s3cret", None, False, False, "VALUELIB_EDITOR_PASSWORD"),
    ("", "", False, False, "editor_password in .streamlit/secrets.toml"),
])
def test_check_passcode(given, configured, ok, is_configured, says):
    result = check_passcode(given, configured)
    assert (result.ok, result.configured) == (ok, is_configured)
    assert says in result.message


class NoSecretsFile(dict):
    def get(self, key, default=None):
        raise FileNotFoundError("No secrets found")  # what st.secrets does without a file


@pytest.mark.parametrize("env, secrets, expected", [
    ({"VALUELIB_EDITOR_PASSWORD": "from-env"}, {"editor_password": "from-secrets"}, "from-env"),
    ({}, {"editor_password": "from-secrets"}, "from-secrets"),
    ({"VALUELIB_EDITOR_PASSWORD": ""}, {"editor_password": "from-secrets"}, "from-secrets"),
    ({}, {}, None),
    ({}, None, None),
    ({}, NoSecretsFile(), None),
])
def test_configured_passcode_reads_env_then_secrets(env, secrets, expected):
    assert configured_passcode(secrets, env=env) == expected


def test_configured_passcode_reads_the_real_environment(monkeypatch):
    monkeypatch.setenv("VALUELIB_EDITOR_PASSWORD", "hunter2")
    assert configured_passcode() == "hunter2"


# --------------------------------------------------------------------------------------------
# What a publish changes, and the merge


def services(*rows: tuple) -> pd.DataFrame:
    return typed({"service": "str", "owner": "str", "in_catalog": "bool"}, list(rows))


def costs(*rows: tuple) -> pd.DataFrame:
    return typed({"quarter": "str", "service": "str", "amount": "float64",
                  "source_file": "str"}, list(rows))


def usage(*rows: tuple) -> pd.DataFrame:
    return typed({"quarter": "str", "service": "str", "users": "float64"}, list(rows))


def market(*rows: tuple) -> pd.DataFrame:
    return typed({"service": "str", "offer": "str"}, list(rows))


PUBLISHED = Dataset(
    tables={
        "services": services(("Email", "Dana", True), ("Intranet", "Sam", True),
                             ("Fax", None, False)),
        "costs": costs(("2026-Q1", "Email", 100.0, "q1.xlsx"), ("2026-Q2", "Email", 110.0,
                       "q2.xlsx"), ("2026-Q2", "Fax", 5.0, "q2.xlsx")),
        "usage": usage(("2026-Q1", "Email", 50.0), ("2026-Q2", "Email", 52.0)),
        "market": market(("Email", "Cloud suite"),),
    },
    settings=Settings(organization="Contoso Ltd", currency="EUR"),
    findings=(Finding("W_OLD", Severity.WARNING, "old warning", "fix"),),
    sources=(SourceFile("q1.xlsx", "1" * 64, 10), SourceFile("q2.xlsx", "2" * 64, 20)),
)

INCOMING = Dataset(
    tables={
        # Email: a new owner; Intranet only as a stub (must not overwrite the published row);
        # Chat: a stub named by Q3 costs. Fax disappears with the Q2 costs it came from.
        "services": services(("Email", "Lee", True), ("Intranet", None, False),
                             ("Chat", None, False)),
        "costs": costs(("2026-Q3", "Chat", 30.0, "q2q3.xlsx"),
                       ("2026-Q2", "Email", 120.0, "q2q3.xlsx"),
                       ("2026-Q2", "Intranet", 7.0, "q2q3.xlsx")),
        "usage": usage(),
        "market": market(),
    },
    settings=Settings(currency="GBP"),
    findings=(Finding("W_NEW", Severity.WARNING, "new warning", "fix"),),
    sources=(SourceFile("q2q3.xlsx", "3" * 64, 30),),
)


def test_merge_replaces_incoming_quarters_and_keeps_the_rest():
    merged = merge_for_publish(PUBLISHED, INCOMING)
    assert_frame_equal(merged["costs"], costs(
        ("2026-Q1", "Email", 100.0, "q1.xlsx"),
        ("2026-Q2", "Email", 120.0, "q2q3.xlsx"),
        ("2026-Q2", "Intranet", 7.0, "q2q3.xlsx"),
        ("2026-Q3", "Chat", 30.0, "q2q3.xlsx")))
    assert_frame_equal(merged["usage"], PUBLISHED["usage"])  # incoming had no usage rows
    assert_frame_equal(merged["market"], PUBLISHED["market"])
    assert_frame_equal(merged["services"], services(
        ("Email", "Lee", True), ("Intranet", "Sam", True), ("Chat", None, False)))


def test_merge_settings_findings_and_sources():
    merged = merge_for_publish(PUBLISHED, INCOMING)
    assert merged.settings == Settings(organization="Contoso Ltd", currency="GBP")
    assert merged.findings == INCOMING.findings
    assert [s.name for s in merged.sources] == ["q1.xlsx", "q2q3.xlsx"]  # q2.xlsx has no rows


@pytest.mark.parametrize("table, incoming, expected", [
    ("market", market(("Email", "New suite"),), market(("Email", "New suite"),)),
    ("market", market(), market(("Email", "Cloud suite"),)),
    ("usage", usage(("2026-Q1", "Email", 60.0),),
     usage(("2026-Q1", "Email", 60.0), ("2026-Q2", "Email", 52.0))),
    ("usage", usage(("2026-Q4", "Email", 70.0),),
     usage(("2026-Q1", "Email", 50.0), ("2026-Q2", "Email", 52.0), ("2026-Q4", "Email", 70.0))),
])
def test_merge_rules_per_table(table, incoming, expected):
    merged = merge_for_publish(PUBLISHED, INCOMING.with_tables(**{table: incoming}))
    assert_frame_equal(merged[table], expected)


def test_merge_without_published_data_is_the_incoming_data():
    assert merge_for_publish(None, INCOMING) is INCOMING


def test_merge_and_diff_do_not_modify_their_inputs():
    published_copy = {k: v.copy() for k, v in PUBLISHED.tables.items()}
    incoming_copy = {k: v.copy() for k, v in INCOMING.tables.items()}
    merged = merge_for_publish(PUBLISHED, INCOMING)
    diff_against(PUBLISHED, INCOMING)
    merged["costs"].loc[0, "amount"] = -1.0
    merged["usage"].loc[0, "users"] = -1.0
    for original, copy in ((PUBLISHED, published_copy), (INCOMING, incoming_copy)):
        for key, frame in copy.items():
            assert_frame_equal(original[key], frame)


def test_diff_against_published_data():
    summary = diff_against(PUBLISHED, INCOMING)
    assert summary.quarters_added == ("2026-Q3",)
    assert summary.quarters_replaced == ("2026-Q2",)
    assert (summary.services_added, summary.services_removed) == (("Chat",), ("Fax",))
    assert (summary.total_cost_before, summary.total_cost_after) == (215.0, 257.0)
    assert summary.rows_before == {"services": 3, "costs": 3, "usage": 2, "market": 1}
    assert summary.rows_after == {"services": 3, "costs": 4, "usage": 2, "market": 1}
    assert summary.currency == "GBP"  # the merged data's reporting currency
    assert summary.total_cost_change == 42.0
    assert summary.lines() == [
        "Costs: adds 2026-Q3 and replaces 2026-Q2 (3 cost lines → 4 cost lines).",
        "New services: Chat.",
        "Services no longer listed: Fax.",
        "Setting currency: EUR → GBP.",
        "Total cost £215 → £257 (+£42).",
        "2026-Q2 total cost: £115 → £127 (+10%).",
    ]


def test_diff_before_the_first_publish():
    summary = diff_against(None, INCOMING)
    assert summary.quarters_added == ("2026-Q2", "2026-Q3")
    assert summary.quarters_replaced == ()
    assert summary.services_added == ("Chat", "Email", "Intranet")
    assert (summary.total_cost_before, summary.total_cost_after) == (0.0, 157.0)
    assert summary.rows_before == {}


def test_a_merged_dataset_publishes_and_loads_back(store):
    store.publish(PUBLISHED, [("q1.xlsx", b"1"), ("q2.xlsx", b"2")], "Dana")
    merged = merge_for_publish(store.load(1), INCOMING)
    info = store.publish(merged, [("q2q3.xlsx", b"3")], "Dana", "Q3")
    assert info.quarters == ("2026-Q1", "2026-Q2", "2026-Q3")
    assert_same_dataset(store.load(info.id), merged)


# --------------------------------------------------------------------------------------------
# Base versions: concurrent publishers never lose a change


def _upload(editor: str, n: int) -> Dataset:
    """An upload adding one quarter of its own (a different year per editor and round)."""
    from tests.golden.cases import xlsx
    from valuelib.ingest import load

    year = {"alice": 2030, "bob": 2040, "editor0": 2050, "editor1": 2060,
            "editor2": 2070}[editor] + n
    return load([(f"{editor}.xlsx", xlsx(
        Services=[["service", "owner"], [f"Svc {editor}", editor]],
        Costs=[["quarter", "service", "cost_pool", "amount"],
               [f"{year}-Q1", f"Svc {editor}", "Software", 100 + n]]))])


def _publish_until_it_lands(store: Store, editor: str, n: int) -> int:
    """Plan against the latest version and publish; plan again whenever another version was
    published meanwhile. Returns how many times the store refused a stale plan."""
    from valuelib.publishing import plan_publish, publish

    incoming, refused = _upload(editor, n), 0
    while True:
        latest = store.latest()
        published = store.load(latest.id) if latest else None
        plan = plan_publish(published, latest.id if latest else None, incoming)
        try:
            publish(store, plan, [(f"{editor}.xlsx", b"x")], editor, f"{editor} #{n}",
                    confirmed=True)
            return refused
        except StaleBaseError:
            refused += 1


def _publisher_process(url: str, editor: str, count: int, start) -> None:
    start.wait()
    with Store(url) as store:
        for n in range(count):
            _publish_until_it_lands(store, editor, n)


def assert_no_change_lost(store: Store, editors: list[str], per_editor: int) -> None:
    versions = store.versions()
    assert len(versions) == len(editors) * per_editor
    latest = store.load(versions[0].id)
    kept = set(zip(latest["costs"]["service"], latest["costs"]["amount"], strict=True))
    assert kept == {(f"Svc {e}", 100 + n) for e in editors for n in range(per_editor)}
    # Every version holds everything its predecessor held: nothing dropped on the way.
    quarters = [set(v.quarters) for v in versions[::-1]]
    assert all(a <= b for a, b in zip(quarters, quarters[1:], strict=False))


def test_a_stale_base_is_refused_inside_the_lock(store, db_url):
    store.publish(tiny_dataset(1.0), [], "Dana", base_version=None)
    store.publish(tiny_dataset(2.0), [], "Eve", base_version=1)
    with pytest.raises(StaleBaseError, match="version 2 was published meanwhile: review the "
                                             "changes again"):
        store.publish(tiny_dataset(3.0), [], "Dana", base_version=1)
    with pytest.raises(StaleBaseError, match="version 2"):
        store.publish(tiny_dataset(3.0), [], "Dana", base_version=None)
    assert count_rows(db_url, "versions") == 2
    assert store.publish(tiny_dataset(3.0), [], "Dana", base_version=2).id == 3


def test_concurrent_publishers_in_threads_never_lose_a_change(store):
    threads, per_thread = 3, 2
    start = threading.Barrier(threads)
    editors = [f"editor{i}" for i in range(threads)]

    def publisher(editor: str) -> int:
        start.wait()
        return sum(_publish_until_it_lands(store, editor, n) for n in range(per_thread))

    with ThreadPoolExecutor(threads) as pool:
        refusals = [f.result(timeout=300) for f in [pool.submit(publisher, e) for e in editors]]
    assert_no_change_lost(store, editors, per_thread)
    assert sum(refusals) >= 0  # how often a plan went stale depends on timing; none is lost


def test_concurrent_publishers_in_processes_never_lose_a_change(store, db_url, monkeypatch):
    editors, per_process = ["alice", "bob"], 3
    run_in_processes(monkeypatch, _publisher_process, db_url, editors, per_process)
    assert_no_change_lost(store, editors, per_process)


# --------------------------------------------------------------------------------------------
# Integrity: checksums, damaged versions, a vanished or replaced database


def _payload(url: str, version_id: int, table: str) -> bytes:
    engine = raw_engine(url)
    with engine.connect() as conn:
        payload = conn.execute(text(
            "SELECT payload FROM version_tables WHERE version_id = :v AND name = :t"),
            {"v": version_id, "t": table}).scalar_one()
    engine.dispose()
    return bytes(payload)


def _set_payload(url: str, version_id: int, table: str, payload: bytes,
                 checksum: str | None = None) -> None:
    engine = raw_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE version_tables SET payload = :p WHERE version_id = :v "
                          "AND name = :t"), {"p": payload, "v": version_id, "t": table})
        if checksum is not None:
            conn.execute(text("UPDATE version_tables SET checksum = :c WHERE version_id = :v "
                              "AND name = :t"), {"c": checksum, "v": version_id, "t": table})
    engine.dispose()


def _bit_rot(payload: bytes) -> bytes:
    """64 bytes flipped in the middle of the payload."""
    middle = max(0, len(payload) // 2 - 32)
    rotten = bytes(b ^ 0xFF for b in payload[middle:middle + 64])
    return payload[:middle] + rotten + payload[middle + 64:]


def test_a_damaged_version_is_reported_and_rolled_back_from(store, db_url):
    store.publish(full_dataset(), [("q3.xlsx", b"1")], "Dana")
    store.publish(tiny_dataset(2.0), [("q4.xlsx", b"2")], "Eve")
    _set_payload(db_url, 2, "costs", _bit_rot(_payload(db_url, 2, "costs")))
    with pytest.raises(DamagedVersionError, match="Version 2 is damaged") as caught:
        store.load(2)
    assert caught.value.version_id == 2 and "checksum" in caught.value.detail
    assert_same_dataset(store.load(1), full_dataset())  # the others are unaffected
    info, damaged = store.latest_loadable()
    assert (info.id, damaged) == (1, [2])
    assert [(c.id, c.ok) for c in store.verify()] == [(2, False), (1, True)]
    with pytest.raises(DamagedVersionError):
        store.rollback(2, "Dana")  # rolling back TO the damage would publish it again
    rolled = store.rollback(1, "Dana")
    assert_same_dataset(store.load(rolled.id), full_dataset())
    assert store.latest_loadable() == (store.version(3), [])


def test_an_undecodable_payload_with_a_matching_checksum_is_damaged_too(store, db_url):
    store.publish(tiny_dataset(), [], "Dana")
    garbage = b"not zlib at all"
    _set_payload(db_url, 1, "costs", garbage, hashlib.sha256(garbage).hexdigest())
    with pytest.raises(DamagedVersionError, match="does not decompress"):
        store.load(1)
    assert store.latest_loadable() == (None, [1])


def test_a_vanished_database_file_refuses_to_publish(tmp_path):
    path = tmp_path / "data" / "valuelib.sqlite"
    with Store(sqlite_url(path)) as store:
        store.publish(tiny_dataset(), [], "Dana")
        for leftover in path.parent.glob("valuelib.sqlite*"):
            leftover.unlink()
        with pytest.raises(StoreMovedError, match="vanished"):
            store.publish(tiny_dataset(2.0), [], "Dana")
        with pytest.raises(StoreMovedError, match="vanished"):
            store.rollback(1, "Dana")
    assert not path.exists()  # nothing was written anywhere pretending to be kept


def test_a_replaced_database_file_refuses_to_publish(tmp_path):
    path = tmp_path / "valuelib.sqlite"
    other = tmp_path / "other.sqlite"
    with Store(sqlite_url(other)) as elsewhere:
        elsewhere.publish(tiny_dataset(9.0), [], "Mallory")
    with Store(sqlite_url(path)) as store:
        store.publish(tiny_dataset(), [], "Dana")
        os.replace(other, path)
        with pytest.raises(StoreMovedError, match="replaced"):
            store.publish(tiny_dataset(2.0), [], "Dana")


def test_a_database_with_another_store_id_refuses_to_publish(store, db_url):
    store.publish(tiny_dataset(), [], "Dana")
    execute(db_url, "UPDATE meta SET value = 'someone-else' WHERE key = 'store_id'")
    with pytest.raises(StoreMovedError, match="not the one this app opened"):
        store.publish(tiny_dataset(2.0), [], "Dana")
    assert count_rows(db_url, "versions") == 1


def test_a_v1_database_gets_checksums_and_a_store_id(db_url, open_store):
    open_store().publish(full_dataset(), [("q3.xlsx", b"x")], "Dana")
    execute(db_url,
            "ALTER TABLE version_tables DROP COLUMN checksum",
            "ALTER TABLE version_files DROP COLUMN purged_at",
            "ALTER TABLE version_files DROP COLUMN purged_by",
            "DELETE FROM meta WHERE key = 'store_id'",
            "DROP TABLE scenarios",
            "UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    store = open_store()
    assert store.schema_version == SCHEMA_VERSION == 3
    assert store.store_id
    assert_same_dataset(store.load(1), full_dataset())
    assert all(c.ok for c in store.verify())
    _set_payload(db_url, 1, "costs", _bit_rot(_payload(db_url, 1, "costs")))
    assert not store.check(1).ok


# --------------------------------------------------------------------------------------------
# Raw files: purge


def test_purging_a_versions_files_is_recorded_and_keeps_its_data(store, db_url):
    store.publish(tiny_dataset(1.0), [("private.csv", b"e-mail"), ("shared.csv", b"same")],
                  "Dana")
    store.publish(tiny_dataset(2.0), [("shared.csv", b"same")], "Dana")
    info = store.purge_files(1, "Lee")
    assert [(f.name, f.purged, f.purged_by) for f in info.files] == [
        ("private.csv", True, "Lee"), ("shared.csv", True, "Lee")]
    assert store.files(1) == []
    assert store.files(2) == [("shared.csv", b"same")]  # the same bytes, still kept by v2
    assert store.load(1)["costs"]["amount"].tolist() == [1.0]
    engine = raw_engine(db_url)
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT content FROM file_blobs WHERE sha256 = :s"),
                            {"s": hashlib.sha256(b"e-mail").hexdigest()}).scalar_one()
    engine.dispose()
    assert bytes(kept) == b""


# --------------------------------------------------------------------------------------------
# Backups: restore, then load gives the same data


def test_a_sqlite_backup_restores_identical_versions(tmp_path):
    import sqlite3

    live = tmp_path / "valuelib.sqlite"
    with Store(sqlite_url(live)) as store:
        store.publish(full_dataset(), [("q3.xlsx", b"1")], "Dana")
        store.publish(tiny_dataset(2.0), [("q4.xlsx", b"2")], "Eve")
        source, target = sqlite3.connect(live), sqlite3.connect(tmp_path / "backup.sqlite")
        source.backup(target)  # what `sqlite3 valuelib.sqlite ".backup backup.sqlite"` does
        source.close()
        target.close()
    with Store(sqlite_url(tmp_path / "backup.sqlite")) as restored:
        assert [v.id for v in restored.versions()] == [2, 1]
        assert_same_dataset(restored.load(1), full_dataset())
        assert restored.files(2) == [("q4.xlsx", b"2")]
        assert all(c.ok for c in restored.verify())


@pytest.mark.postgres
def test_a_pg_dump_restores_identical_versions(db_url):
    import shutil
    import subprocess

    if not db_url.startswith("postgresql"):
        pytest.skip("pg_dump is for the PostgreSQL store")
    if shutil.which("pg_dump") is None or shutil.which("psql") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pg_dump and psql are needed for the backup test: apt-get install "
                        "postgresql-client")
        pytest.skip("pg_dump / psql not installed")
    url = make_url(db_url)
    schema = url.query["options"].removeprefix("-csearch_path=")
    libpq = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    with Store(db_url) as store:
        store.publish(full_dataset(), [("q3.xlsx", b"1")], "Dana")
        store.publish(tiny_dataset(2.0), [("q4.xlsx", b"2")], "Eve")
        store_id = store.store_id
    dump = subprocess.run(["pg_dump", "--no-owner", f"--schema={schema}", libpq],
                          check=True, capture_output=True).stdout
    # Restore into a fresh schema of the same name: the original moves aside first.
    execute(db_url, f'ALTER SCHEMA "{schema}" RENAME TO "{schema}_old"')
    try:
        subprocess.run(["psql", "--quiet", "-v", "ON_ERROR_STOP=1", libpq], input=dump,
                       check=True, capture_output=True)
        with Store(db_url) as restored:
            assert restored.store_id == store_id
            assert [v.id for v in restored.versions()] == [2, 1]
            assert_same_dataset(restored.load(1), full_dataset())
            assert restored.files(2) == [("q4.xlsx", b"2")]
            assert all(c.ok for c in restored.verify())
            assert restored.publish(tiny_dataset(3.0), [], "Dana", base_version=2).id == 3
    finally:
        execute(db_url, f'DROP SCHEMA IF EXISTS "{schema}_old" CASCADE')


def test_a_rollback_reviewed_before_a_publish_is_refused(store):
    v1 = store.publish(tiny_dataset(1.0), [], "Dana")
    store.publish(tiny_dataset(2.0), [], "Dana", base_version=v1.id)
    with pytest.raises(StaleBaseError, match="published meanwhile"):
        store.rollback(v1.id, "Eve", base_version=v1.id)  # reviewed when v1 was the latest
    assert store.latest().id == 2
    assert store.rollback(v1.id, "Eve", base_version=2).rolled_back_from == v1.id


# --------------------------------------------------------------------------------------------
# Saved what-if scenarios


SCENARIO = {"name": "ignored: the name given wins",
            "changes": [{"kind": "move", "service": "Email", "offer": "Cloud mail"}]}


def _published_tables(url: str) -> dict[str, int]:
    return {t: count_rows(url, t) for t in ("versions", "version_tables", "version_findings",
                                            "version_files", "file_blobs")}


def test_scenarios_are_saved_listed_got_and_deleted_without_touching_published_data(
        store, db_url):
    store.publish(full_dataset(), [("q3.xlsx", b"x")], "Dana")
    published = _published_tables(db_url)
    first = store.save_scenario("  Cheaper   email ", SCENARIO, 1, "Dana")
    second = store.save_scenario("Retire fax", {"changes": []}, None)
    assert (first.id, first.name, first.version_id, first.saved_by) == (
        1, "Cheaper email", 1, "Dana")
    assert first.scenario == {**SCENARIO, "name": "Cheaper email"}
    assert first.saved_at.tzinfo is not None and first.label.startswith(
        "Scenario 1 · Cheaper email · ")
    assert second.version_id is None
    assert [s.id for s in store.scenarios()] == [2, 1]
    assert store.scenario(1) == first
    store.delete_scenario(1, "Eve")
    assert [s.id for s in store.scenarios()] == [2]
    with pytest.raises(ScenarioNotFoundError, match=r"Scenario 1 \('Cheaper email'\) was "
                                                     r"deleted by Eve on \d{4}-"):
        store.scenario(1)
    # an id is never given to another scenario, so an old link cannot open the wrong one
    assert store.save_scenario("Again", SCENARIO, 1).id == 3
    assert _published_tables(db_url) == published
    assert_same_dataset(store.load(1), full_dataset())


def test_a_scenario_made_on_older_data_stays_open_after_a_new_publish(store, open_store):
    store.publish(tiny_dataset(1.0), [], "Dana")
    saved = store.save_scenario("Plan", SCENARIO, 1)
    store.publish(tiny_dataset(2.0), [], "Dana")
    again = open_store().scenario(saved.id)
    assert (again.version_id, again.scenario) == (1, saved.scenario)


@pytest.mark.parametrize("scenario_id", [0, -1, 99, 2**40])
def test_an_unknown_scenario_is_said_plainly(store, scenario_id):
    with pytest.raises(ScenarioNotFoundError, match=f"no saved scenario {scenario_id}"):
        store.scenario(scenario_id)
    with pytest.raises(ScenarioNotFoundError):
        store.delete_scenario(scenario_id, "Eve")


@pytest.mark.parametrize("name, body, version, error, says", [
    (" ", SCENARIO, None, ValueError, "Give the scenario a name"),
    ("x" * 121, SCENARIO, None, ValueError, "at most 120"),
    ("Big", {"changes": ["x" * 30_000]}, None, ValueError, "too large"),
    ("Plan", SCENARIO, 7, VersionNotFoundError, "no published version 7"),
])
def test_a_scenario_that_cannot_be_kept_is_refused_and_nothing_is_written(
        store, db_url, name, body, version, error, says):
    with pytest.raises(error, match=says):
        store.save_scenario(name, body, version)
    assert count_rows(db_url, "scenarios") == 0


def test_deleting_a_scenario_needs_an_editor_name(store):
    saved = store.save_scenario("Plan", SCENARIO, None)
    with pytest.raises(ValueError, match="editor name is empty"):
        store.delete_scenario(saved.id, " ")
    assert store.scenario(saved.id) == saved


def test_a_v2_database_gets_the_scenarios_table(db_url, open_store):
    open_store().publish(tiny_dataset(), [], "Dana")
    execute(db_url, "DROP TABLE scenarios",
            "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store = open_store()
    assert store.schema_version == 3
    assert store.save_scenario("Plan", SCENARIO, 1).id == 1
