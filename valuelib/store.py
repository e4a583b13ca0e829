"""Published versions, kept in a real database (SQLite by default, any SQLAlchemy URL).

Every publish writes one immutable version in ONE transaction: the version row, every table,
the findings, the uploaded files and their metadata. There is no update or delete: a rollback
publishes the earlier content again as a new version. Version ids are assigned under a write
lock as ``max(id) + 1``, so they increase strictly, without gaps, in commit order.

Where the database is (``Store.from_env``):

- ``VALUELIB_DATABASE_URL``: any SQLAlchemy URL, e.g.
  ``postgresql+psycopg://user:password@host:5432/dbname``;
- otherwise the SQLite file ``valuelib.sqlite`` in ``VALUELIB_DATA_DIR`` (default ``data``,
  relative to the working directory). The file and its folder are created when missing.

How tables are stored: one row per table and version; its payload is zlib-compressed JSON
holding the row count and, per column, its name, its pandas dtype name and its values. Values
are encoded so that every dtype the contract uses (``str``, ``float64``, ``Int64``,
``boolean``, ``bool``, ``int64``, ``datetime64[unit]``) comes back exactly: floats as their
shortest exact decimal (``Infinity`` / ``-Infinity`` as strings, missing as ``null``),
datetimes as integer ticks of their own unit, text as JSON strings. A dtype the codec cannot
bring back exactly (category, period, arrow types …) is refused at publish time, never
approximated. The index is not kept: a loaded table has a fresh ``RangeIndex``.

Saved what-if scenarios (schema 3) live in their own table beside the versions: saving or
deleting one never touches a published version's rows. A deleted scenario is only marked, so
its id is never reused and an old link says it was deleted.

The schema is versioned in the ``meta`` table; opening a store runs the missing migrations
and refuses (``StoreVersionError``) a database written by a newer valuelib.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import sqlite3
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

import numpy as np
import pandas as pd
from pandas.api.types import pandas_dtype
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url

from .model import Dataset, Finding, Settings, SourceFile

__all__ = [
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "PASSCODE_ENV",
    "PASSCODE_SECRET",
    "SCHEMA_VERSION",
    "PasscodeResult",
    "Store",
    "DamagedVersionError",
    "SavedScenario",
    "ScenarioNotFoundError",
    "StaleBaseError",
    "StoreMovedError",
    "VersionCheck",
    "StoreVersionError",
    "StoredFile",
    "VersionInfo",
    "VersionNotFoundError",
    "check_passcode",
    "configured_passcode",
    "database_url",
    "merge_for_publish",
    "sqlite_url",
]

DATABASE_URL_ENV = "VALUELIB_DATABASE_URL"
DATA_DIR_ENV = "VALUELIB_DATA_DIR"
DEFAULT_DATA_DIR = "data"
SQLITE_FILENAME = "valuelib.sqlite"
PASSCODE_ENV = "VALUELIB_EDITOR_PASSWORD"
PASSCODE_SECRET = "editor_password"

# A publisher waits this long for another publisher's write lock before giving up.
SQLITE_BUSY_TIMEOUT_SECONDS = 60.0

TABLE_FORMAT = "valuelib.columns/1"

QUARTER_TABLES = ("costs", "usage", "value", "support")
# Tables whose rows name a service: a service stub (in_catalog False) lives only while one does.
SERVICE_REFERENCING_TABLES = (*QUARTER_TABLES, "market", "allocation_rules")


class StoreVersionError(RuntimeError):
    """The database's schema is not one this valuelib can use safely."""


class VersionNotFoundError(LookupError):
    """No published version has that id."""


class DamagedVersionError(RuntimeError):
    """A stored version cannot be read back: a checksum does not match or a payload does not
    decode. Other versions are unaffected; roll back to one that loads."""

    def __init__(self, version_id: int, detail: str):
        self.version_id = version_id
        self.detail = detail
        super().__init__(
            f"Version {version_id} is damaged and cannot be shown ({detail}). Earlier versions "
            "are unaffected: roll back to one of them, or restore a backup.")


class ScenarioNotFoundError(LookupError):
    """No saved scenario has that id (or it was deleted: the message says by whom)."""


class StoreMovedError(RuntimeError):
    """The database this app opened vanished or was replaced while it ran."""


class StaleBaseError(RuntimeError):
    """Another version was published after the one the changes were reviewed against."""

    def __init__(self, base_version: int | None, newest: int):
        self.base_version = base_version
        self.newest = newest
        super().__init__(
            f"Not published: version {newest} was published meanwhile: review the changes "
            "again (upload the files again or reload the page) before publishing.")


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class StoredFile:
    """An uploaded file kept with a version: its name, SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int
    purged_at: datetime | None = None  # UTC; set once an editor purged the raw file
    purged_by: str = ""

    @property
    def purged(self) -> bool:
        return self.purged_at is not None


@dataclass(frozen=True)
class VersionCheck:
    """The result of checking one version: ``ok``, or ``detail`` says what is damaged."""

    id: int
    ok: bool
    detail: str = ""

    @property
    def line(self) -> str:
        return f"Version {self.id}: " + ("ok" if self.ok else f"DAMAGED ({self.detail})")


@dataclass(frozen=True)
class VersionInfo:
    """What one published version holds, without loading its tables."""

    id: int
    published_at: datetime  # UTC, timezone-aware
    editor: str
    note: str
    files: tuple[StoredFile, ...]
    row_counts: dict[str, int]  # table key -> rows
    warning_count: int
    quarters: tuple[str, ...]
    rolled_back_from: int | None = None

    @property
    def label(self) -> str:
        """``Version 3 · 2026-10-02 14:05 UTC · Dana``, for pickers and captions."""
        when = self.published_at.strftime("%Y-%m-%d %H:%M UTC")
        return f"Version {self.id} · {when} · {self.editor}"


@dataclass(frozen=True)
class SavedScenario:
    """A what-if scenario kept in the store: ``scenario`` is its JSON form
    (``whatif.Scenario.as_dict()``); ``version_id`` the published version it was made against
    (None: the sample or a private preview). It stays open against newer data."""

    id: int
    name: str
    scenario: dict
    version_id: int | None
    saved_at: datetime  # UTC, timezone-aware
    saved_by: str

    @property
    def label(self) -> str:
        """``Scenario 3 · Cheaper email · 2026-10-02 14:05 UTC``, for pickers."""
        return f"Scenario {self.id} · {self.name} · {self.saved_at:%Y-%m-%d %H:%M} UTC"


MAX_SCENARIO_NAME = 120  # a name, not a note
MAX_SCENARIO_BYTES = 20_000  # a handful of changes; refuses anything that is not one


# --------------------------------------------------------------------------------------------
# Schema and migrations


def _schema_v1(metadata: MetaData) -> dict[str, Table]:
    """The tables of schema version 1. Frozen: a later version adds a migration instead of
    editing this, so an old database always upgrades through the same steps."""
    meta = Table(
        "meta", metadata,
        Column("key", String(64), primary_key=True),
        Column("value", Text, nullable=False),
    )
    versions = Table(
        "versions", metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("published_at", DateTime, nullable=False),  # naive UTC
        Column("editor", Text, nullable=False),
        Column("note", Text, nullable=False),
        Column("rolled_back_from", Integer, ForeignKey("versions.id")),
        Column("warning_count", Integer, nullable=False),
        Column("quarters", Text, nullable=False),  # JSON list
        Column("settings", Text, nullable=False),  # JSON object
        Column("sources", Text, nullable=False),  # JSON list of SourceFile
    )
    version_tables = Table(
        "version_tables", metadata,
        Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),
        Column("position", Integer, nullable=False),
        Column("name", Text, nullable=False),
        Column("row_count", Integer, nullable=False),
        Column("format", Text, nullable=False),
        Column("payload", LargeBinary, nullable=False),
        PrimaryKeyConstraint("version_id", "name"),
    )
    version_findings = Table(
        "version_findings", metadata,
        Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),
        Column("position", Integer, nullable=False),
        *(Column(name, Text, nullable=False) for name in (
            "code", "severity", "message", "fix", "file", "sheet")),
        Column("row", Integer),
        Column("column", Text, nullable=False),
        Column("value", Text, nullable=False),
        PrimaryKeyConstraint("version_id", "position"),
    )
    # Uploaded bytes are kept once per content: a rollback or a re-upload adds no copy.
    file_blobs = Table(
        "file_blobs", metadata,
        Column("sha256", String(64), primary_key=True),
        Column("size", BigInteger, nullable=False),
        Column("content", LargeBinary, nullable=False),
    )
    version_files = Table(
        "version_files", metadata,
        Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),
        Column("position", Integer, nullable=False),
        Column("name", Text, nullable=False),
        Column("sha256", String(64), ForeignKey("file_blobs.sha256"), nullable=False),
        PrimaryKeyConstraint("version_id", "position"),
    )
    return {t.name: t for t in (
        meta, versions, version_tables, version_findings, file_blobs, version_files)}


def _migrate_to_1(conn: Connection) -> None:
    """Version 1: the initial schema (the ``meta`` table may already exist as a stub)."""
    tables = _schema_v1(MetaData())
    for table in tables.values():
        table.create(conn, checkfirst=True)


def _schema_v2(metadata: MetaData) -> dict[str, Table]:
    """Version 2 = version 1 plus a SHA-256 per stored table, a purge record per uploaded
    file, and a random store id in ``meta``."""
    tables = _schema_v1(metadata)
    tables["version_tables"].append_column(Column("checksum", String(64)))
    tables["version_files"].append_column(Column("purged_at", DateTime))
    tables["version_files"].append_column(Column("purged_by", Text))
    return tables


def _migrate_to_2(conn: Connection) -> None:
    """Version 2: checksums (computed for the tables already stored), purge records, and the
    store id that lets a running app notice its database was replaced."""
    conn.execute(text("ALTER TABLE version_tables ADD COLUMN checksum VARCHAR(64)"))
    conn.execute(text("ALTER TABLE version_files ADD COLUMN purged_at TIMESTAMP"))
    conn.execute(text("ALTER TABLE version_files ADD COLUMN purged_by TEXT"))
    v1 = _schema_v1(MetaData())["version_tables"]
    rows = conn.execute(select(v1.c.version_id, v1.c.name, v1.c.payload)).all()
    for version_id, name, payload in rows:
        conn.execute(text(
            "UPDATE version_tables SET checksum = :checksum "
            "WHERE version_id = :version_id AND name = :name"),
            {"checksum": _checksum(payload), "version_id": version_id, "name": name})
    known = conn.execute(select(META.c.value).where(META.c.key == "store_id")).first()
    if known is None:
        conn.execute(META.insert().values(key="store_id", value=uuid.uuid4().hex))


def _schema_v3(metadata: MetaData) -> dict[str, Table]:
    """Version 3 = version 2 plus saved what-if scenarios. A scenario keeps the published
    version it was made against (None: the sample or a private preview) and is never deleted
    for real: a delete marks it, so an id is never reused and a link to a deleted scenario
    says so."""
    tables = _schema_v2(metadata)
    tables["scenarios"] = Table(
        "scenarios", metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("name", Text, nullable=False),
        Column("body", Text, nullable=False),  # JSON: whatif.Scenario.as_dict()
        Column("version_id", Integer, ForeignKey("versions.id")),
        Column("saved_at", DateTime, nullable=False),  # naive UTC
        Column("saved_by", Text, nullable=False),
        Column("deleted_at", DateTime),
        Column("deleted_by", Text),
    )
    return tables


def _migrate_to_3(conn: Connection) -> None:
    """Version 3: the scenarios table."""
    _schema_v3(MetaData())["scenarios"].create(conn)


# Migration N brings a database from schema N-1 to N. Version 0 is a bare ``meta`` table.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _migrate_to_1, 2: _migrate_to_2, 3: _migrate_to_3}
SCHEMA_VERSION = 3

_TABLES = _schema_v3(MetaData())
META = _TABLES["meta"]
VERSIONS = _TABLES["versions"]
VERSION_TABLES = _TABLES["version_tables"]
VERSION_FINDINGS = _TABLES["version_findings"]
FILE_BLOBS = _TABLES["file_blobs"]
VERSION_FILES = _TABLES["version_files"]
SCENARIOS = _TABLES["scenarios"]

_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


# --------------------------------------------------------------------------------------------
# Where the database is


def sqlite_url(path: str | os.PathLike) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return URL.create("sqlite", database=str(Path(path))).render_as_string()


def database_url(env: Mapping[str, str] | None = None) -> str:
    """``VALUELIB_DATABASE_URL`` when set, else the SQLite file in ``VALUELIB_DATA_DIR``
    (default ``data``, relative to the working directory)."""
    env = os.environ if env is None else env
    if env.get(DATABASE_URL_ENV):
        return env[DATABASE_URL_ENV]
    data_dir = Path(env.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
    return sqlite_url(data_dir.absolute() / SQLITE_FILENAME)


def _normalise_url(url: str | URL) -> URL:
    url = make_url(url)
    # Hosting services hand out postgres:// URLs; psycopg 3 is the driver this project installs.
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy emit BEGIN itself: the sqlite3 module's implicit transactions skip
        # DDL and cannot take the write lock up front (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        # WAL: readers (the app) keep reading while a publish is being written. Switching
        # needs the database to itself, so only the first connection does it; if another
        # process holds a lock at that moment the next connection tries again (the rollback
        # journal is just as safe, only readers wait for writers meanwhile).
        mode = dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            with suppress(sqlite3.OperationalError):
                dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers take the lock before reading max(id): two publishers never pick the same id,
        # and the second waits (busy timeout) instead of failing on lock upgrade.
        mode = "IMMEDIATE" if conn.get_execution_options().get("valuelib_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


# --------------------------------------------------------------------------------------------
# The store


class Store:
    """Published versions in one database. Safe to share between threads; every process
    opens its own. ``Store(url)`` creates or upgrades the schema, or raises
    ``StoreVersionError``."""

    def __init__(self, url: str | URL):
        self._url = _normalise_url(url)
        self._is_sqlite = self._url.get_backend_name() == "sqlite"
        if self._is_sqlite:
            self._engine = _sqlite_engine(self._url)
        else:
            self._engine = create_engine(self._url, pool_pre_ping=True)
        try:
            self._upgrade_schema()
            self._identity = self._current_identity()
        except BaseException:
            self._engine.dispose()
            raise

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Store:
        """The store named by ``VALUELIB_DATABASE_URL`` or ``VALUELIB_DATA_DIR``."""
        return cls(database_url(env))

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self._url.render_as_string(hide_password=True)

    @property
    def schema_version(self) -> int:
        with self._reading() as conn:
            return _read_schema_version(conn)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # ---- writing ---------------------------------------------------------------------------

    def publish(self, dataset: Dataset, files: Iterable[tuple[str, bytes]], editor: str,
                note: str = "", *, base_version: int | None | object = ...) -> VersionInfo:
        """Keep ``dataset`` and the uploaded ``files`` as the new latest version.

        ``base_version`` is the version the dataset was merged against and reviewed (None:
        nothing was published yet). Inside the locked transaction, a newer version than that
        makes ``publish`` refuse (``StaleBaseError``), so a change published meanwhile is
        never dropped silently. Leaving it out skips the check (tests and imports of whole
        datasets only: the page and the command line always pass it).

        Refuses (``ValueError``) a dataset with errors or without any rows. Everything is
        written in one transaction: if anything fails, no trace of the version remains.
        """
        editor = _check_editor(editor)
        _check_publishable(dataset)
        uploads = [_check_file(name, data) for name, data in files]
        # Encode before taking the write lock: other publishers wait only for the inserts.
        encoded = [(key, len(frame), _encode_table(frame, key))
                   for key, frame in dataset.tables.items()]
        findings = list(dataset.findings)
        details = {
            "warning_count": len(dataset.warnings),
            "quarters": json.dumps(list(dataset.quarters)),
            "settings": json.dumps(asdict(dataset.settings)),
            "sources": json.dumps([_source_to_json(s) for s in dataset.sources]),
        }
        with self._writing() as conn:
            version_id = _next_version_id(conn)
            if base_version is not ... and version_id - 1 != (base_version or 0):
                raise StaleBaseError(base_version, version_id - 1)
            _insert_version(conn, version_id, editor, str(note), None, details)
            _insert_tables(conn, version_id, encoded)
            _insert_findings(conn, version_id, findings)
            _insert_files(conn, version_id, uploads)
        return self.version(version_id)

    def rollback(self, version_id: int, editor: str, *,
                 base_version: int | None | object = ...) -> VersionInfo:
        """Publish the content of an earlier version again, as a NEW version whose note says
        ``Rollback to version N``. History is never rewritten. ``base_version`` (the latest
        version when the rollback was reviewed) is checked as in :meth:`publish`: a version
        published meanwhile refuses the rollback (``StaleBaseError``) instead of being undone
        silently."""
        editor = _check_editor(editor)
        with self._writing() as conn:
            source = _version_row(conn, version_id)
            newest = _next_version_id(conn) - 1
            if base_version is not ... and newest != (base_version or 0):
                raise StaleBaseError(base_version, newest)
            # Copying a damaged version would only publish the damage again.
            _check_tables(conn, version_id, decode=True)
            new_id = _next_version_id(conn)
            details = {key: source[key]
                       for key in ("warning_count", "quarters", "settings", "sources")}
            _insert_version(conn, new_id, editor, f"Rollback to version {version_id}",
                            version_id, details)
            # Copy the stored rows as they are: the new version is byte-for-byte the old one.
            for table in (VERSION_TABLES, VERSION_FINDINGS, VERSION_FILES):
                rows = conn.execute(
                    select(table).where(table.c.version_id == version_id)).mappings().all()
                if rows:
                    conn.execute(table.insert(), [{**row, "version_id": new_id} for row in rows])
        return self.version(new_id)

    # ---- reading ---------------------------------------------------------------------------

    def latest(self) -> VersionInfo | None:
        """The newest version, or None when nothing was published yet."""
        with self._reading() as conn:
            newest = _newest_id(conn)
            return None if newest is None else _version_infos(conn, [newest])[0]

    def latest_id(self) -> int | None:
        """The newest version's id, or None: one indexed query (the primary key's maximum), so
        every page run can afford it. A publish by any process sharing this database shows in
        the next run of every other process (docs/store.md, "Several instances")."""
        with self._reading() as conn:
            return _newest_id(conn)

    def versions(self) -> list[VersionInfo]:
        """Every version, newest first."""
        with self._reading() as conn:
            return _version_infos(conn)

    def version(self, version_id: int) -> VersionInfo:
        """One version's description; ``VersionNotFoundError`` when there is none."""
        with self._reading() as conn:
            _version_row(conn, version_id)
            return _version_infos(conn, [version_id])[0]

    def load(self, version_id: int) -> Dataset:
        """The dataset as published in that version, every table with its published dtypes."""
        with self._reading() as conn:
            row = _version_row(conn, version_id)
            stored = conn.execute(
                select(VERSION_TABLES.c.name, VERSION_TABLES.c.format, VERSION_TABLES.c.payload,
                       VERSION_TABLES.c.checksum)
                .where(VERSION_TABLES.c.version_id == version_id)
                .order_by(VERSION_TABLES.c.position)).all()
            finding_rows = conn.execute(
                select(*(VERSION_FINDINGS.c[name] for name in _FINDING_FIELDS))
                .where(VERSION_FINDINGS.c.version_id == version_id)
                .order_by(VERSION_FINDINGS.c.position)).mappings().all()
        try:
            tables = {}
            for name, fmt, payload, checksum in stored:
                if checksum is not None and _checksum(payload) != checksum:
                    raise DamagedVersionError(
                        version_id, f"table {name}: its checksum does not match")
                tables[name] = _decode_table(payload, fmt)
            return Dataset(
                tables=tables,
                settings=_settings_from_json(row["settings"]),
                findings=tuple(Finding(**r) for r in finding_rows),
                sources=tuple(_source_from_json(s) for s in json.loads(row["sources"])),
            )
        except (DamagedVersionError, StoreVersionError):
            raise
        except Exception as exc:  # any decoding failure means damaged data
            raise DamagedVersionError(version_id, _damage(exc)) from exc

    def files(self, version_id: int) -> list[tuple[str, bytes]]:
        """The files uploaded with that version, exactly as uploaded, in upload order. Purged
        files are left out (``version(...).files`` still lists them, marked purged)."""
        with self._reading() as conn:
            _version_row(conn, version_id)
            rows = conn.execute(
                select(VERSION_FILES.c.name, FILE_BLOBS.c.content)
                .join(FILE_BLOBS, FILE_BLOBS.c.sha256 == VERSION_FILES.c.sha256)
                .where(VERSION_FILES.c.version_id == version_id,
                       VERSION_FILES.c.purged_at.is_(None))
                .order_by(VERSION_FILES.c.position)).all()
        return [(name, bytes(content)) for name, content in rows]

    def purge_files(self, version_id: int, editor: str) -> VersionInfo:
        """Delete the raw uploaded files of one version, recording who purged them and when
        (the version's files list shows them as purged). The version's data is untouched.
        A file's bytes are deleted once no other version still keeps the same content."""
        editor = _check_editor(editor)
        with self._writing() as conn:
            _version_row(conn, version_id)
            conn.execute(VERSION_FILES.update()
                         .where(VERSION_FILES.c.version_id == version_id,
                                VERSION_FILES.c.purged_at.is_(None))
                         .values(purged_at=_utc_now().replace(tzinfo=None), purged_by=editor))
            still_kept = select(VERSION_FILES.c.sha256).where(VERSION_FILES.c.purged_at.is_(None))
            purged = select(VERSION_FILES.c.sha256).where(
                VERSION_FILES.c.version_id == version_id)
            # The blob row stays (version_files refers to it); its bytes go.
            conn.execute(FILE_BLOBS.update()
                         .where(FILE_BLOBS.c.sha256.in_(purged),
                                FILE_BLOBS.c.sha256.not_in(still_kept))
                         .values(content=b""))
        return self.version(version_id)

    # ---- scenarios -------------------------------------------------------------------------
    # Saved what-if scenarios: their own table, written in their own transaction; nothing here
    # reads or writes a published version's rows.

    def save_scenario(self, name: str, scenario: Mapping, version_id: int | None,
                      saved_by: str = "") -> SavedScenario:
        """Keep a scenario (its JSON form) made against published ``version_id`` (None: not
        published data); ValueError for a blank or overlong name or an oversized body,
        VersionNotFoundError for a version that does not exist."""
        name = " ".join(str(name or "").split())
        if not name:
            raise ValueError("Give the scenario a name.")
        if len(name) > MAX_SCENARIO_NAME:
            raise ValueError(f"A scenario's name has at most {MAX_SCENARIO_NAME} characters.")
        body = json.dumps({**dict(scenario), "name": name}, ensure_ascii=False,
                          allow_nan=False)
        if len(body.encode()) > MAX_SCENARIO_BYTES:
            raise ValueError("The scenario is too large to keep.")
        with self._writing() as conn:
            if version_id is not None:
                _version_row(conn, version_id)
            new_id = (conn.execute(select(func.max(SCENARIOS.c.id))).scalar() or 0) + 1
            conn.execute(SCENARIOS.insert().values(
                id=new_id, name=name, body=body, version_id=version_id,
                saved_at=_utc_now().replace(tzinfo=None), saved_by=str(saved_by or "").strip()))
        return self.scenario(new_id)

    def scenarios(self) -> list[SavedScenario]:
        """The saved scenarios, newest first (deleted ones left out)."""
        with self._reading() as conn:
            rows = conn.execute(select(SCENARIOS).where(SCENARIOS.c.deleted_at.is_(None))
                                .order_by(SCENARIOS.c.id.desc())).mappings().all()
        return [_saved_scenario(r) for r in rows]

    def scenario(self, scenario_id: int) -> SavedScenario:
        """One saved scenario; ScenarioNotFoundError (saying so plainly) when there is none
        or it was deleted."""
        with self._reading() as conn:
            return _saved_scenario(_scenario_row(conn, scenario_id))

    def delete_scenario(self, scenario_id: int, editor: str) -> None:
        """Delete a saved scenario (an editor's act, recorded with who and when; its id is
        never given to another). ScenarioNotFoundError when there is none to delete."""
        editor = _check_editor(editor)
        with self._writing() as conn:
            _scenario_row(conn, scenario_id)
            conn.execute(SCENARIOS.update().where(SCENARIOS.c.id == int(scenario_id)).values(
                deleted_at=_utc_now().replace(tzinfo=None), deleted_by=editor))

    # ---- integrity ---------------------------------------------------------------------------

    def check(self, version_id: int, *, decode: bool = True) -> VersionCheck:
        """Whether one version loads: checksums match and (``decode``) every table decodes."""
        try:
            with self._reading() as conn:
                _version_row(conn, version_id)
                _check_tables(conn, version_id, decode=decode)
        except DamagedVersionError as exc:
            return VersionCheck(version_id, False, exc.detail)
        return VersionCheck(version_id, True)

    def verify(self) -> list[VersionCheck]:
        """Every version checked (checksums and decoding), newest first."""
        with self._reading() as conn:
            ids = conn.execute(select(VERSIONS.c.id).order_by(VERSIONS.c.id.desc())).scalars().all()
        return [self.check(i) for i in ids]

    def latest_loadable(self) -> tuple[VersionInfo | None, list[int]]:
        """The newest version whose tables pass their checksums, and the ids of the damaged
        versions newer than it (newest first): what the pages show instead of a traceback
        ("version 5 is damaged; showing version 4")."""
        damaged: list[int] = []
        for info in self.versions():
            if self.check(info.id).ok:
                return info, damaged
            damaged.append(info.id)
        return None, damaged

    @property
    def store_id(self) -> str | None:
        """The random id written into the database when it was created (schema 2)."""
        with self._reading() as conn:
            return _store_id(conn)

    # ---- transactions and schema -------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A transaction holding the store's write lock, on a schema this code understands."""
        with self._engine.connect() as conn:
            conn.execution_options(valuelib_write=True)
            with conn.begin():
                if self._is_sqlite:
                    found = _read_schema_version(conn)  # BEGIN IMMEDIATE holds the lock
                else:
                    # The meta row lock serialises publishers (held until commit).
                    found = int(conn.execute(
                        select(META.c.value).where(META.c.key == "schema_version")
                        .with_for_update()).scalar_one())
                if found != SCHEMA_VERSION:
                    raise StoreVersionError(
                        f"The database at {self.url} changed to schema version {found} while "
                        f"this app (schema version {SCHEMA_VERSION}) was running. Restart the "
                        "app; if it still refuses, upgrade valuelib.")
                self._check_identity(conn)
                yield conn

    def _sqlite_path(self) -> Path | None:
        database = self._url.database or ""
        if not self._is_sqlite or not database or database == ":memory:" or \
                database.startswith("file:"):
            return None
        return Path(database)

    def _current_identity(self) -> tuple[str | None, tuple[int, int] | None]:
        path = self._sqlite_path()
        with self._reading() as conn:
            store_id = _store_id(conn)
        if path is None:
            return store_id, None
        info = path.stat()
        return store_id, (info.st_dev, info.st_ino)

    def _check_identity(self, conn: Connection) -> None:
        """Refuse to write when the database is not the one this store opened: its SQLite
        file vanished or was replaced, or its store id changed (another database restored
        in its place). Writing on would report success for data nobody will see again."""
        store_id, file_id = self._identity
        path = self._sqlite_path()
        if path is not None:
            try:
                info = path.stat()
            except FileNotFoundError:
                raise StoreMovedError(
                    f"The database file {path} vanished while the app was running, so "
                    "nothing can be kept: nothing was published. Restore it from a backup "
                    "(see docs/store.md) and restart the app.") from None
            if (info.st_dev, info.st_ino) != file_id:
                raise StoreMovedError(
                    f"The database file {path} was replaced by another file while the app "
                    "was running: nothing was published. Restart the app so it opens the "
                    "new file, then review the changes again.")
        if _store_id(conn) != store_id:
            raise StoreMovedError(
                f"The database at {self.url} is not the one this app opened (its store id "
                "changed; another database was put in its place): nothing was published. "
                "Restart the app, then review the changes again.")

    def _upgrade_schema(self) -> None:
        """Create the schema in an empty database, or run the migrations it lacks: all in one
        transaction, so a failing migration leaves the database as it was."""
        with self._reading() as conn:
            found = _detect_schema_version(conn, self.url)
        if found == SCHEMA_VERSION:
            return
        with self._engine.connect() as conn:
            conn.execution_options(valuelib_write=True)
            with conn.begin():
                # Two processes may open a new database at once: lock, then look again.
                if conn.dialect.name == "postgresql":
                    conn.execute(text(
                        "SELECT pg_advisory_xact_lock(hashtext('valuelib schema ' || "
                        "coalesce(current_schema(), '')))"))
                found = _detect_schema_version(conn, self.url)
                if found is None:
                    META.create(conn)
                    conn.execute(META.insert(), [
                        {"key": "schema_version", "value": "0"},
                        {"key": "created_at", "value": _utc_now().isoformat()},
                    ])
                    found = 0
                for target in range(found + 1, SCHEMA_VERSION + 1):
                    MIGRATIONS[target](conn)
                    conn.execute(META.update().where(META.c.key == "schema_version")
                                 .values(value=str(target)))


def _detect_schema_version(conn: Connection, where: str) -> int | None:
    """The schema version of the database; None when it holds no valuelib table yet."""
    names = set(inspect(conn).get_table_names())
    if "meta" not in names:
        ours = sorted(names & set(_TABLES))
        if ours:
            raise StoreVersionError(
                f"The database at {where} has tables named like valuelib's ({', '.join(ours)}) "
                "but no 'meta' table with a schema version, so it was not made by valuelib or "
                "was damaged. Point VALUELIB_DATABASE_URL or VALUELIB_DATA_DIR at an empty "
                "database, or restore a backup.")
        return None
    found = _read_schema_version(conn)
    if found > SCHEMA_VERSION:
        raise StoreVersionError(
            f"The database at {where} has schema version {found}, newer than this valuelib "
            f"understands (schema version {SCHEMA_VERSION}). It was written by a newer "
            "valuelib: upgrade valuelib (git pull, pip install) before using it, or point "
            "VALUELIB_DATABASE_URL or VALUELIB_DATA_DIR at another database. Nothing was "
            "changed.")
    return found


def _read_schema_version(conn: Connection) -> int:
    value = conn.execute(
        select(META.c.value).where(META.c.key == "schema_version")).scalar_one_or_none()
    try:
        return int(value)
    except (TypeError, ValueError):
        raise StoreVersionError(
            f"The database's meta table has no readable schema_version (found {value!r}); "
            "restore a backup or point VALUELIB_DATABASE_URL at another database.") from None


# --------------------------------------------------------------------------------------------
# Rows in and out


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _check_editor(editor: str) -> str:
    editor = str(editor or "").strip()
    if not editor:
        raise ValueError("Say who is publishing: the editor name is empty.")
    return editor


def _check_publishable(dataset: Dataset) -> None:
    errors = dataset.errors
    if errors:
        first = errors[0]
        where = " ".join(part for part in (
            first.file, first.sheet, f"row {first.row}" if first.row else "", first.column) if part)
        raise ValueError(
            f"Cannot publish: the data has {len(errors)} error(s). Fix them in the workbook and "
            f"upload it again. First: {where + ': ' if where else ''}{first.message}")
    if not any(len(frame) for frame in dataset.tables.values()):
        raise ValueError("Cannot publish: every table is empty, there is nothing to publish.")


def _check_file(name: str, data: bytes) -> tuple[str, bytes]:
    if not isinstance(name, str) or not name:
        raise TypeError(f"A file name must be a non-empty string, not {name!r}.")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"The content of {name!r} must be bytes, not {type(data).__name__}.")
    return name, bytes(data)


def _next_version_id(conn: Connection) -> int:
    return (_newest_id(conn) or 0) + 1


def _insert_version(conn: Connection, version_id: int, editor: str, note: str,
                    rolled_back_from: int | None, details: Mapping) -> None:
    # Taken under the write lock, so published_at never goes backwards as ids go up.
    published_at = _utc_now().replace(tzinfo=None)
    conn.execute(VERSIONS.insert().values(
        id=version_id, published_at=published_at, editor=editor, note=note,
        rolled_back_from=rolled_back_from, **details))


def _insert_tables(conn: Connection, version_id: int, encoded: list) -> None:
    if encoded:
        conn.execute(VERSION_TABLES.insert(), [
            {"version_id": version_id, "position": position, "name": key, "row_count": rows,
             "format": TABLE_FORMAT, "payload": payload, "checksum": _checksum(payload)}
            for position, (key, rows, payload) in enumerate(encoded)])


def _insert_findings(conn: Connection, version_id: int, findings: list[Finding]) -> None:
    if findings:
        conn.execute(VERSION_FINDINGS.insert(), [
            {"version_id": version_id, "position": position, **f.as_dict()}
            for position, f in enumerate(findings)])


def _insert_files(conn: Connection, version_id: int, uploads: list[tuple[str, bytes]]) -> None:
    rows = []
    for position, (name, data) in enumerate(uploads):
        digest = hashlib.sha256(data).hexdigest()
        known = conn.execute(
            select(FILE_BLOBS.c.sha256).where(FILE_BLOBS.c.sha256 == digest)).first()
        if known is None:
            conn.execute(FILE_BLOBS.insert().values(sha256=digest, size=len(data), content=data))
        rows.append({"version_id": version_id, "position": position, "name": name,
                     "sha256": digest})
    if rows:
        conn.execute(VERSION_FILES.insert(), rows)


def _version_row(conn: Connection, version_id: int) -> Mapping:
    row = conn.execute(select(VERSIONS).where(VERSIONS.c.id == int(version_id))).mappings().first()
    if row is None:
        newest = _newest_id(conn)
        known = f"the newest is {newest}" if newest else "nothing has been published yet"
        raise VersionNotFoundError(f"There is no published version {version_id}; {known}.")
    return row


def _scenario_row(conn: Connection, scenario_id: int) -> Mapping:
    if not 0 < int(scenario_id) < 2**31:  # a crafted link's id: never sent to the database
        raise ScenarioNotFoundError(f"There is no saved scenario {scenario_id}.")
    row = conn.execute(select(SCENARIOS).where(SCENARIOS.c.id == int(scenario_id))
                       ).mappings().first()
    if row is None:
        raise ScenarioNotFoundError(f"There is no saved scenario {scenario_id}.")
    if row["deleted_at"] is not None:
        raise ScenarioNotFoundError(
            f"Scenario {scenario_id} ('{row['name']}') was deleted by {row['deleted_by']} on "
            f"{row['deleted_at']:%Y-%m-%d}.")
    return row


def _saved_scenario(row: Mapping) -> SavedScenario:
    return SavedScenario(row["id"], row["name"], json.loads(row["body"]), row["version_id"],
                         row["saved_at"].replace(tzinfo=UTC), row["saved_by"])


def _checksum(payload: bytes) -> str:
    return hashlib.sha256(bytes(payload)).hexdigest()


def _store_id(conn: Connection) -> str | None:
    return conn.execute(select(META.c.value).where(META.c.key == "store_id")).scalar()


def _damage(exc: BaseException) -> str:
    """A damaged payload in a few plain words (no traceback, no stored bytes)."""
    if isinstance(exc, zlib.error):
        return "a stored table does not decompress"
    if isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
        return "a stored table is not readable JSON"
    return f"a stored table does not decode ({type(exc).__name__})"


def _check_tables(conn: Connection, version_id: int, *, decode: bool) -> None:
    """Raise ``DamagedVersionError`` when a table of the version fails its checksum or (with
    ``decode``) does not decode; the version row's JSON is checked too."""
    row = _version_row(conn, version_id)
    try:
        for column in ("quarters", "settings", "sources"):
            json.loads(row[column])
    except (TypeError, ValueError) as exc:
        raise DamagedVersionError(version_id, f"its {column} record is not readable") from exc
    for name, fmt, payload, checksum in conn.execute(
            select(VERSION_TABLES.c.name, VERSION_TABLES.c.format, VERSION_TABLES.c.payload,
                   VERSION_TABLES.c.checksum)
            .where(VERSION_TABLES.c.version_id == version_id)):
        if checksum is not None and _checksum(payload) != checksum:
            raise DamagedVersionError(version_id, f"table {name}: its checksum does not match")
        if decode or checksum is None:
            try:
                _decode_table(payload, fmt)
            except StoreVersionError:
                raise
            except Exception as exc:  # any failure here is damage
                raise DamagedVersionError(version_id, f"table {name}: {_damage(exc)}") from exc


def _newest_id(conn) -> int | None:
    """The newest version's id (the primary key's maximum), or None."""
    return conn.execute(select(func.max(VERSIONS.c.id))).scalar()


def _version_infos(conn: Connection, ids: list[int] | None = None) -> list[VersionInfo]:
    """VersionInfo for each id in the order given (None: every version, newest first), in
    three queries."""
    def only_ids(query, column):
        return query if ids is None else query.where(column.in_(ids))

    rows = {r["id"]: r for r in conn.execute(
        only_ids(select(VERSIONS), VERSIONS.c.id)).mappings()}
    if ids is None:
        ids = sorted(rows, reverse=True)
    files: dict[int, list[StoredFile]] = {i: [] for i in ids}
    for version_id, name, digest, size, purged_at, purged_by in conn.execute(only_ids(
            select(VERSION_FILES.c.version_id, VERSION_FILES.c.name, VERSION_FILES.c.sha256,
                   FILE_BLOBS.c.size, VERSION_FILES.c.purged_at, VERSION_FILES.c.purged_by)
            .join(FILE_BLOBS, FILE_BLOBS.c.sha256 == VERSION_FILES.c.sha256),
            VERSION_FILES.c.version_id)
            .order_by(VERSION_FILES.c.version_id, VERSION_FILES.c.position)):
        files[version_id].append(StoredFile(
            name, digest, size, purged_at and purged_at.replace(tzinfo=UTC), purged_by or ""))
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    for version_id, name, row_count in conn.execute(only_ids(
            select(VERSION_TABLES.c.version_id, VERSION_TABLES.c.name,
                   VERSION_TABLES.c.row_count),
            VERSION_TABLES.c.version_id)
            .order_by(VERSION_TABLES.c.version_id, VERSION_TABLES.c.position)):
        counts[version_id][name] = row_count
    return [
        VersionInfo(
            id=i,
            published_at=rows[i]["published_at"].replace(tzinfo=UTC),
            editor=rows[i]["editor"],
            note=rows[i]["note"],
            files=tuple(files[i]),
            row_counts=counts[i],
            warning_count=rows[i]["warning_count"],
            quarters=tuple(json.loads(rows[i]["quarters"])),
            rolled_back_from=rows[i]["rolled_back_from"],
        )
        for i in ids
    ]


def _settings_from_json(raw: str) -> Settings:
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in json.loads(raw).items() if k in known})


def _source_to_json(source: SourceFile) -> dict:
    return {**asdict(source), "tables": dict(source.tables)}


def _source_from_json(raw: dict) -> SourceFile:
    return SourceFile(**raw)


# --------------------------------------------------------------------------------------------
# Table codec: DataFrame <-> compressed JSON, exact for every supported dtype

_NUMPY_TIME_KINDS = "mM"  # timedelta64, datetime64
_NAT_TICKS = np.iinfo(np.int64).min
_FLOAT_WORDS = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}
_MASKED_DTYPES = (
    "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "boolean",
    "Float32", "Float64",
)


def _encode_table(frame: pd.DataFrame, table: str) -> bytes:
    if frame.columns.has_duplicates:
        raise ValueError(f"Table {table!r} has duplicate column names; cannot store it.")
    columns = []
    for name in frame.columns:
        if not isinstance(name, str):
            raise TypeError(f"Table {table!r} has a column named {name!r}; names must be text.")
        dtype_name, values = _encode_column(frame[name], f"{table}.{name}")
        columns.append({"name": name, "dtype": dtype_name, "values": values})
    document = {"format": TABLE_FORMAT, "rows": len(frame), "columns": columns}
    # allow_nan=False: a stray NaN would be non-standard JSON; the codec spells it instead.
    raw = json.dumps(document, separators=(",", ":"), allow_nan=False)
    return zlib.compress(raw.encode("ascii"), 6)


def _decode_table(payload: bytes, fmt: str = TABLE_FORMAT) -> pd.DataFrame:
    if fmt != TABLE_FORMAT:
        raise StoreVersionError(f"A table is stored in format {fmt!r}, unknown to this valuelib.")
    document = json.loads(zlib.decompress(payload))
    return pd.DataFrame(
        {c["name"]: _decode_column(c["dtype"], c["values"]) for c in document["columns"]},
        index=pd.RangeIndex(document["rows"]))


def _unsupported(where: str, dtype) -> TypeError:
    return TypeError(
        f"Column {where} has dtype {dtype}, which the store cannot keep exactly. Convert it to "
        "str, float64, Int64, boolean or datetime64 before publishing.")


def _encode_column(series: pd.Series, where: str) -> tuple[str, list]:
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        # The storage (python / pyarrow) is the machine's choice; the missing marker is not.
        name = "string" if dtype.na_value is pd.NA else "str"
        return name, series.to_numpy(dtype=object, na_value=None).tolist()
    name = str(dtype)
    try:
        same = pandas_dtype(name) == dtype
    except TypeError:
        same = False
    if not same:
        raise _unsupported(where, dtype)
    if isinstance(dtype, pd.DatetimeTZDtype):
        naive = series.dt.tz_convert("UTC").dt.tz_localize(None)
        return name, _ticks(naive.to_numpy(), series.isna().to_numpy())
    if isinstance(dtype, np.dtype):
        values = series.to_numpy()
        if dtype.kind in "biu":
            return name, values.tolist()
        if dtype.kind == "f":
            return name, [_float_out(v, nan_is_missing=True) for v in values.tolist()]
        if dtype.kind in _NUMPY_TIME_KINDS:
            return name, _ticks(values, series.isna().to_numpy())
        if dtype.kind == "O":
            return name, [_object_out(v, where) for v in values.tolist()]
    if name in _MASKED_DTYPES:
        values = series.to_numpy(dtype=object, na_value=None).tolist()
        if name.startswith("Float"):
            values = [None if v is None else _float_out(v, nan_is_missing=False) for v in values]
        return name, values
    raise _unsupported(where, dtype)


def _decode_column(name: str, values: list) -> pd.Series:
    dtype = pandas_dtype(name)
    if isinstance(dtype, pd.StringDtype):
        return pd.Series(values, dtype=name)
    if isinstance(dtype, pd.DatetimeTZDtype):
        naive = _from_ticks(values, f"datetime64[{dtype.unit}]")
        return naive.dt.tz_localize("UTC").dt.tz_convert(dtype.tz)
    if isinstance(dtype, np.dtype):
        if dtype.kind in "biu":
            return pd.Series(np.array(values, dtype=dtype))
        if dtype.kind == "f":
            return pd.Series(np.array([_float_in(v) for v in values], dtype=dtype))
        if dtype.kind in _NUMPY_TIME_KINDS:
            return _from_ticks(values, name)
        if dtype.kind == "O":
            column = np.empty(len(values), dtype=object)
            column[:] = [_object_in(v) for v in values]
            return pd.Series(column, dtype=object)
    if name.startswith("Float"):
        # Built from values and mask: a NaN value stays NaN instead of turning into NA.
        mask = np.array([v is None for v in values], dtype=bool)
        data = np.array([0.0 if v is None else _float_in(v) for v in values],
                        dtype=dtype.numpy_dtype)
        return pd.Series(pd.arrays.FloatingArray(data, mask))
    return pd.Series(pd.array(values, dtype=dtype))


def _ticks(values: np.ndarray, missing: np.ndarray) -> list:
    ticks = values.view("int64").tolist()
    return [None if gone else tick for tick, gone in zip(ticks, missing.tolist(), strict=True)]


def _from_ticks(values: list, name: str) -> pd.Series:
    ticks = np.array([_NAT_TICKS if v is None else v for v in values], dtype="int64")
    return pd.Series(ticks.view(name))


def _float_out(value: float, *, nan_is_missing: bool):
    if math.isfinite(value):
        return value  # json writes repr(): the shortest decimal that reads back exactly
    if math.isnan(value):
        return None if nan_is_missing else "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _float_in(value) -> float:
    if value is None:
        return math.nan
    return _FLOAT_WORDS[value] if isinstance(value, str) else float(value)


def _object_out(value, where: str):
    """Object columns: JSON scalars as themselves, the rest tagged ``{"$": ...}``."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else {"$": _float_out(value, nan_is_missing=False)}
    if value is pd.NA:
        return {"$": "NA"}
    if value is pd.NaT:
        return {"$": "NaT"}
    raise TypeError(
        f"Column {where} holds a {type(value).__name__} ({value!r}), which the store cannot "
        "keep exactly. Convert the column to a typed dtype before publishing.")


def _object_in(value):
    if not isinstance(value, dict):
        return value
    tag = value["$"]
    if tag == "NA":
        return pd.NA
    if tag == "NaT":
        return pd.NaT
    return _FLOAT_WORDS[tag]


# --------------------------------------------------------------------------------------------
# Editor passcode


@dataclass(frozen=True)
class PasscodeResult:
    """Whether the passcode lets someone publish, and what to tell them."""

    ok: bool
    message: str
    configured: bool = True
    editor: str = ""  # who signed in, as the audit trail will name them (valuelib.editors)


def configured_passcode(secrets: Mapping | None = None,
                        env: Mapping[str, str] | None = None) -> str | None:
    """The editor passcode: ``VALUELIB_EDITOR_PASSWORD`` first, then ``editor_password`` in
    ``secrets`` (e.g. ``st.secrets``). None when neither is set or both are empty."""
    env = os.environ if env is None else env
    if env.get(PASSCODE_ENV):
        return env[PASSCODE_ENV]
    if secrets is None:
        return None
    try:
        value = secrets.get(PASSCODE_SECRET)
    except FileNotFoundError:  # st.secrets raises this when there is no secrets.toml
        return None
    return str(value) if value else None


def check_passcode(given: str, configured: str | None) -> PasscodeResult:
    """Compare in constant time; refuse with an explanation when no passcode is configured."""
    if not configured:
        return PasscodeResult(
            ok=False, configured=False,
            message="Publishing is switched off: no editor passcode is set. Set the "
                    f"{PASSCODE_ENV} environment variable, or {PASSCODE_SECRET} in "
                    ".streamlit/secrets.toml, then restart the app.")
    # compare_digest on str accepts ASCII only; compare the UTF-8 bytes instead.
    if given and hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8")):
        return PasscodeResult(ok=True, message="Passcode accepted.")
    return PasscodeResult(ok=False, message="That passcode is not right. Ask the person who "
                                            "runs the dashboard for the editor passcode.")


# --------------------------------------------------------------------------------------------
# How a publish merges


def merge_for_publish(published: Dataset | None, incoming: Dataset) -> Dataset:
    """The dataset to publish: the published data updated with ``incoming``.

    Rules (inputs are never modified):

    - Quarter-keyed tables (costs, usage, value, support by its ``quarter`` column), table by
      table: the quarters present in the incoming table replace the same quarters of the
      published table; other quarters are kept. An incoming table without rows changes
      nothing, so uploading Q3 costs alone never wipes Q3 usage.
    - services: union by service name; an incoming catalogue row wins. An incoming stub (a
      service named in other sheets but missing from the catalogue, ``in_catalog`` False)
      never replaces a published row. A stub that no table names any more is dropped.
    - Other tables (market, blocks, allocation_rules, work_types): replaced by the incoming
      rows when the incoming table has any, else kept.
    - settings: each incoming setting that differs from the default wins (an upload without
      a Settings sheet keeps the published organisation and currency).
    - findings: the incoming ones (earlier warnings stay with their own version).
    - sources: the incoming files, plus the published files that still have rows.
    """
    if published is None:
        return incoming
    tables: dict[str, pd.DataFrame] = {}
    for key in dict.fromkeys([*published.tables, *incoming.tables]):
        old, new = published.tables.get(key), incoming.tables.get(key)
        if old is None or new is None:
            tables[key] = (new if old is None else old).copy(deep=False)
        elif key in QUARTER_TABLES and "quarter" in old and "quarter" in new:
            tables[key] = _replace_quarters(old, new)
        elif key == "services":
            continue  # needs the other merged tables: done below
        else:
            tables[key] = (new if len(new) else old).copy(deep=False)
    if "services" in published.tables and "services" in incoming.tables:
        tables["services"] = _merge_services(
            published.tables["services"], incoming.tables["services"], _named_services(tables))
    tables = {key: tables[key] for key in dict.fromkeys([*published.tables, *incoming.tables])}
    return Dataset(
        tables=tables,
        settings=_merge_settings(published.settings, incoming.settings),
        findings=incoming.findings,
        sources=_merge_sources(published.sources, incoming.sources, tables),
    )


def _replace_quarters(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    if new.empty:
        return old.copy(deep=False)
    kept = old[~old["quarter"].isin(set(new["quarter"].dropna()))]
    return _stack(kept, new).sort_values("quarter", kind="stable", na_position="last",
                                         ignore_index=True)


def _merge_services(old: pd.DataFrame, new: pd.DataFrame, named: set[str]) -> pd.DataFrame:
    if "service" not in old or "service" not in new:
        return (new if len(new) else old).copy(deep=False)
    new_is_stub = _stub_mask(new)
    catalogue, stubs = new[~new_is_stub], new[new_is_stub]
    kept = old[~old["service"].isin(set(catalogue["service"].dropna()))]
    known = set(kept["service"].dropna()) | set(catalogue["service"].dropna())
    stubs = stubs[~stubs["service"].isin(known)]
    merged = _stack(_stack(kept, catalogue), stubs)
    orphan = _stub_mask(merged) & ~merged["service"].isin(named)
    merged = merged[~orphan]
    # A replaced row keeps its published place; new services follow in incoming order.
    published_place = {name: place for place, name in enumerate(old["service"].dropna())}
    places = merged["service"].map(published_place).to_numpy(dtype="float64", na_value=np.inf)
    return merged.iloc[np.argsort(places, kind="stable")].reset_index(drop=True)


def _stub_mask(services: pd.DataFrame) -> pd.Series:
    """True for rows ingest added because other sheets named the service."""
    if "in_catalog" not in services:
        return pd.Series(False, index=services.index)
    return services["in_catalog"].eq(False).fillna(False).astype(bool)


def _stack(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Rows of both, columns of ``second`` first; an empty side is left out so it cannot
    change the dtypes of the other."""
    parts = [part for part in (first, second) if len(part)]
    if not parts:
        return second.iloc[0:0].copy()
    stacked = pd.concat(parts, ignore_index=True)
    order = [*second.columns, *(c for c in stacked.columns if c not in second.columns)]
    return stacked[order]


def _named_services(tables: Mapping[str, pd.DataFrame]) -> set[str]:
    named: set[str] = set()
    for key in SERVICE_REFERENCING_TABLES:
        frame = tables.get(key)
        if frame is not None and "service" in frame:
            named.update(frame["service"].dropna())
    return named


def _merge_settings(published: Settings, incoming: Settings) -> Settings:
    default = Settings()
    changes = {f.name: getattr(incoming, f.name) for f in fields(Settings)
               if getattr(incoming, f.name) != getattr(default, f.name)}
    return replace(published, **changes)


def _merge_sources(published: tuple[SourceFile, ...], incoming: tuple[SourceFile, ...],
                   tables: Mapping[str, pd.DataFrame]) -> tuple[SourceFile, ...]:
    incoming_names = {s.name for s in incoming}
    with_rows: set[str] = set()
    for frame in tables.values():
        if "source_file" in frame:
            with_rows.update(frame["source_file"].dropna())
    kept = tuple(s for s in published if s.name in with_rows and s.name not in incoming_names)
    return kept + tuple(incoming)
