"""Which data the app shows, loaded once and cached at the edge.

Order of precedence for a session: a private preview of its own upload → an earlier version
chosen in History → the latest published version → the sample organisation.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from valuelib import ask, links, views, whatif
from valuelib.datafiles import dataset_workbook, ignored_columns
from valuelib.ingest import load, load_paths, partial_quarters
from valuelib.model import Dataset, latest_complete_quarter
from valuelib.parse import quarter_label
from valuelib.publishing import PublishPlan, plan_publish
from valuelib.store import (
    DamagedVersionError,
    Store,
    StoreVersionError,
    VersionInfo,
    database_url,
)

from . import render, state

SAMPLE_FILES = tuple(sorted((Path(__file__).parents[1] / "sample_data").glob("*.xlsx")))
UPLOAD_FILES = "upload_files"  # session key: tuple[(name, bytes)] of this session's upload
_UPLOAD_DATASET = "upload_dataset"  # session key: (upload_key, Dataset) read from it
# One upload is read at a time per process: each may take its whole memory budget
# (docs/decisions.md, "Upload limits"), and viewers keep being served meanwhile.
_READING = threading.Lock()


@dataclass(frozen=True)
class Source:
    """The dataset on screen and where it comes from."""

    key: str  # cache key for views: changes whenever the data does
    kind: str  # "sample" | "published" | "version" | "preview"
    label: str
    dataset: Dataset
    version: VersionInfo | None = None
    damage: str = ""  # "version 7 is damaged; showing version 6", or ""

    @functools.cached_property
    def choices(self) -> Choices:
        """The data's quarters, units, services, default quarter and example questions (one
        cache look-up per run, however many parts of the page ask)."""
        return choices(self.key, self.dataset)


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The published-versions store (SQLite by default; VALUELIB_DATABASE_URL to change)."""
    return _store(database_url())


# Datasets never change once read (a publish makes a new version), so every session shares one
# object: st.cache_data would unpickle a copy on every run (379 ms at 300k tickets).
@st.cache_resource(show_spinner="Loading the sample organisation …", max_entries=1)
def sample_dataset() -> Dataset:
    return load_paths(SAMPLE_FILES)


@st.cache_resource(show_spinner="Loading the published data …", max_entries=8)
def published_dataset(url: str, version_id: int) -> Dataset:
    return _store(url).load(version_id)


def upload_dataset(files: tuple[tuple[str, bytes], ...]) -> Dataset:
    """This session's upload, read once and kept in the session only (never in a shared
    cache): it is private, and it goes when the session does."""
    key = upload_key(files)
    kept = st.session_state.get(_UPLOAD_DATASET)
    if kept and kept[0] == key:
        return kept[1]
    st.session_state.pop(_UPLOAD_DATASET, None)  # free the last upload before reading this one
    if not _READING.acquire(blocking=False):
        note = st.empty()
        note.info("Another upload is being read; yours is next and starts by itself in a "
                  "moment.", icon=":material/hourglass_top:")
        _READING.acquire()
        note.empty()
    try:
        dataset = load(files)
    finally:
        _READING.release()
    st.session_state[_UPLOAD_DATASET] = (key, dataset)
    return dataset


def load_version(version_id: int) -> Dataset:
    """A published version's data (cached: versions never change)."""
    return published_dataset(database_url(), version_id)


def try_load_version(version_id: int) -> Dataset | None:
    """A version's data, or None when it is damaged."""
    try:
        return load_version(version_id)
    except DamagedVersionError:
        return None


@st.cache_data(show_spinner=False, max_entries=4)
def _version_workbook(url: str, version_id: int) -> bytes:
    return dataset_workbook(published_dataset(url, version_id))


def version_workbook(version_id: int) -> bytes:
    """A version's data as one re-uploadable workbook (cached: versions never change)."""
    return _version_workbook(database_url(), version_id)


def files_label(version: VersionInfo) -> str:
    """The files kept with a version; a purged one says who purged it and when."""
    return ", ".join(f.name + (f" (purged by {f.purged_by}, {f.purged_at:%Y-%m-%d})"
                               if f.purged else "") for f in version.files)


@st.cache_data(show_spinner="Checking every version …", max_entries=4, ttl=300)
def _damaged_versions(url: str, latest_id: int) -> frozenset[int]:
    opened = _store(url)
    return frozenset(v.id for v in opened.versions()
                     if not opened.check(v.id, decode=False).ok)


def damaged_versions(latest_id: int) -> frozenset[int]:
    """Versions whose stored tables fail their checksums (checked again every 5 minutes and
    after every publish, since the latest id is part of the key)."""
    return _damaged_versions(database_url(), latest_id)


def upload_key(files: tuple[tuple[str, bytes], ...]) -> str:
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


@st.cache_data(show_spinner=False, max_entries=8)
def _ignored(key: str, _files: tuple[tuple[str, bytes], ...]
             ) -> dict[str, dict[str, list[str]]]:
    dataset = upload_dataset(_files)
    return {name: found for name, content in _files
            if (found := ignored_columns(name, content, dataset))}


def ignored_in_upload(files: tuple[tuple[str, bytes], ...]) -> dict[str, dict[str, list[str]]]:
    """File -> sheet -> the columns the dashboard ignores (dropped from the kept copy)."""
    return _ignored(upload_key(files), files)


def uploaded_files() -> tuple[tuple[str, bytes], ...]:
    return st.session_state.get(UPLOAD_FILES, ())


_STORE_PROBLEMS = (StoreVersionError, SQLAlchemyError)


def _say_store_problem(exc: Exception) -> None:
    if isinstance(exc, StoreVersionError):
        st.error("The database of published versions cannot be used: "
                 + render.md(str(exc)))
    else:
        st.error("The database of published versions does not answer, so published data "
                 f"cannot be shown or saved right now ({type(exc).__name__}). Check "
                 "VALUELIB_DATABASE_URL and that the database server is running.")


def _guarded(ask):
    """``ask()``, or None after saying plainly why the store cannot be used."""
    try:
        return ask()
    except _STORE_PROBLEMS as exc:
        _say_store_problem(exc)
        return None


@dataclass(frozen=True)
class Published:
    """What "the published data" is right now: the newest version that loads, and the ids of
    newer versions that are damaged (empty when the latest loads, as it almost always does).
    ``latest_id`` is the newest id of all, the base a publish must name."""

    version: VersionInfo | None
    damaged: tuple[int, ...] = ()
    latest_id: int | None = None

    @property
    def dataset(self) -> Dataset | None:
        return load_version(self.version.id) if self.version else None

    def damage_note(self) -> str:
        """'version 7 is damaged; showing version 6', or '' when nothing is damaged."""
        if not self.damaged:
            return ""
        names = " and ".join(f"version {i}" for i in sorted(self.damaged))
        verb = "is" if len(self.damaged) == 1 else "are"
        shown = f"showing version {self.version.id}" if self.version else \
            "no earlier version loads, so the sample data is shown"
        return f"{names[0].upper()}{names[1:]} {verb} damaged; {shown}."


@st.cache_resource(show_spinner=False, max_entries=64)
def _version_info(url: str, version_id: int) -> VersionInfo:
    """A version's description, read once per process: its id, time, editor and tables never
    change (its files' purge marks can; History reads those fresh from the store)."""
    return _store(url).version(version_id)


def _published(opened: Store) -> Published:
    # One small query per run (the newest id), so a publish made through any instance sharing
    # the database is seen on this instance's next run; everything else is cached by that id.
    newest = opened.latest_id()
    if newest is None:
        return Published(None)
    latest = _version_info(database_url(), newest)
    try:
        load_version(latest.id)  # cached: the usual case costs nothing after the first run
        return Published(latest, (), latest.id)
    except DamagedVersionError:
        loadable, damaged = opened.latest_loadable()
        return Published(loadable, tuple(damaged), latest.id)


def published() -> Published | None:
    """The published data's version (see Published); None, after saying why, when the
    database cannot be used: the app then shows the sample or the upload."""
    return _guarded(lambda: _published(store()))


def usable_store() -> Store | None:
    """The store for the pages that write or list versions, or None after saying why not."""

    def answering() -> Store:
        opened = store()
        opened.latest_id()  # a cached store whose server has gone away fails here, not later
        return opened

    return _guarded(answering)


_SHOWN = "shown_source"  # session: the Source the frame chose for the current run


def choose_source() -> Source:
    """Decide, once per run (in app.py, before the page), which data the session sees."""
    source = current_source()
    st.session_state[_SHOWN] = source
    return source


def shown_source() -> Source:
    """The data this run shows, as the frame chose it; pages call this, not current_source,
    so the store is asked (and any problem with it reported) once per run."""
    return st.session_state.get(_SHOWN) or choose_source()


@st.cache_resource(show_spinner=False, max_entries=8)
def _plan(url: str, key: str, base: int | None, shown: int | None, _published: Dataset | None,
          _incoming: Dataset) -> PublishPlan:
    return plan_publish(_published, base, _incoming)


def publish_plan(files: tuple[tuple[str, bytes], ...],
                 against: Published | None) -> PublishPlan:
    """What publishing ``files`` would leave (merged with the published data), its findings
    and its change summary; cached per upload and published version."""
    against = against or Published(None)
    shown = against.version.id if against.version else None
    return _plan(database_url(), upload_key(files), against.latest_id, shown, against.dataset,
                 upload_dataset(files))


def current_source() -> Source:
    latest = published()
    files = uploaded_files()
    if files and state.get(state.PREVIEW):
        plan = publish_plan(files, latest)
        if not plan.errors:
            base = latest.latest_id if latest else None
            return Source(f"{PREVIEW_KEY}{upload_key(files)}:{base}", "preview",
                          "Your upload merged with the published data — a private preview, "
                          "not published", plan.merged)
    damaged = latest.damaged if latest else ()
    damage = latest.damage_note() if latest else ""
    shown = latest.version if latest else None
    chosen = state.get(state.VIEW_VERSION)
    if chosen and shown and chosen != shown.id and chosen not in damaged:
        info = store().version(chosen)
        try:
            return Source(f"version:{chosen}", "version",
                          f"Earlier version {info.label}", load_version(chosen), info, damage)
        except DamagedVersionError:
            st.session_state.pop(state.VIEW_VERSION, None)
            damage = (f"Version {chosen} is damaged and cannot be shown; showing the "
                      "published data. " + damage).strip()
    if shown:
        return Source(f"version:{shown.id}", "published", f"Published {shown.label}",
                      load_version(shown.id), shown, damage)
    if damaged:
        return Source("sample", "sample", "Sample data — no published version loads",
                      sample_dataset(), None, damage)
    return Source("sample", "sample", "Sample data — Northwind Traders (not yours yet)",
                  sample_dataset())


def check_link(source: Source) -> tuple[str, ...]:
    """Drop the link's parameters that name nothing in the data on screen (before any
    widget reads them), and what the session kept from an earlier dataset; the notes say what
    the link asked for, as plain text."""
    known = source.choices
    quarters, units, services = known.quarters, known.units, known.services
    checked = links.check_link(
        st.query_params.to_dict(), quarters=quarters, units=units, services=services,
        shown_quarter=known.shown_quarter,
        quarter_names=known.quarter_names,
        all_units=state.ALL_UNITS)
    for key in checked.drop:
        st.query_params.pop(key, None)
        st.session_state.pop(key, None)
    question = checked.values.get(links.QUESTION)
    if question is not None and question != st.query_params.get(links.QUESTION):
        st.query_params[links.QUESTION] = question
    # a choice from other data (an upload previewed, then switched off) names nothing here
    for key, known in ((state.QUARTER, quarters), (state.BUSINESS_UNIT, [state.ALL_UNITS, *units]),
                       (state.STATEMENT_UNIT, units), (state.SERVICE, services)):
        if st.session_state.get(key) is not None and st.session_state[key] not in known:
            st.session_state.pop(key)
    return checked.notes


# --- views, cached per (data key, filters); the Dataset itself is not hashed ----------------
#
# A view model is built once per data key and filters and shared by every session as it is
# (st.cache_resource: no copy per run); nothing that draws one may change it (ui/render.py
# draws figures from a copy made once per figure). The key names the data's version, so a
# publish gives new view models. A private preview's are kept in its own session only.

PREVIEW_KEY = "upload:"  # how a private preview's data key starts (see current_source)
_PRIVATE_VIEWS = "private_views"  # session: {"key": data key, (name, args): view}


def _view_cache(max_entries: int):
    """Cache a view builder ``fn(key, ..., _dataset, ...)`` once per key and the arguments not
    named with a leading underscore: shared between sessions, or in the session for a
    private preview (never in a shared cache)."""

    def wrap(fn):
        shared = st.cache_resource(show_spinner=False, max_entries=max_entries)(fn)
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def cached(key: str, *args, **kwargs):
            if not key.startswith(PREVIEW_KEY):
                return shared(key, *args, **kwargs)
            bound = signature.bind(key, *args, **kwargs)
            bound.apply_defaults()
            memo = st.session_state.get(_PRIVATE_VIEWS)
            if memo is None or memo.get("key") != key:  # the previous upload's views go
                memo = st.session_state[_PRIVATE_VIEWS] = {"key": key}
            name = (fn.__name__, *(v for k, v in bound.arguments.items()
                                   if not k.startswith("_")))
            if name not in memo:
                memo[name] = fn(*bound.args, **bound.kwargs)
            return memo[name]

        cached.clear = shared.clear
        return cached

    return wrap


@_view_cache(max_entries=64)
def overview(key: str, quarter: str | None, unit: str | None, _dataset: Dataset):
    return views.overview(_dataset, quarter, unit)


@_view_cache(max_entries=64)
def service_detail(key: str, quarter: str | None, service: str | None, unit: str | None,
                   _dataset: Dataset):
    return views.service_detail(_dataset, quarter, service, unit)


@_view_cache(max_entries=32)
def catalogue(key: str, quarter: str | None, _dataset: Dataset):
    return views.catalogue(_dataset, quarter)


@_view_cache(max_entries=64)
def chargeback(key: str, quarter: str | None, unit: str | None, _dataset: Dataset):
    return views.chargeback_view(_dataset, quarter, unit)


@_view_cache(max_entries=64)
def cost_value(key: str, quarter: str | None, size_by: str, _dataset: Dataset):
    return views.cost_value(_dataset, quarter, size_by=size_by)


@_view_cache(max_entries=64)
def support_view(key: str, quarter: str | None, unit: str | None, period: str,
                 _dataset: Dataset):
    return views.support_view(_dataset, quarter, unit, period=period)


@_view_cache(max_entries=32)
def _story(key: str, quarter: str | None, unit: str | None, scenarios: str, _dataset: Dataset):
    return views.story(_dataset, quarter, unit, [whatif.Scenario.from_dict(s)
                                                 for s in json.loads(scenarios)])


def story(key: str, quarter: str | None, unit: str | None, dataset: Dataset,
          scenarios=()) -> tuple:
    """The presentation's steps, with a step for each of ``scenarios`` (whatif.Scenario);
    cached by the scenarios' JSON."""
    return _story(key, quarter, unit, json.dumps([s.as_dict() for s in scenarios]), dataset)


@_view_cache(max_entries=64)
def plan(key: str, scenario: str, quarter: str | None, _dataset: Dataset):
    """The Plan page's view of a scenario (``scenario``: its JSON, the cache key)."""
    return views.plan_view(_dataset, whatif.Scenario.from_dict(json.loads(scenario)), quarter)


@_view_cache(max_entries=32)
def plan_compare(key: str, scenarios: str, quarter: str | None, _dataset: Dataset):
    """Scenarios side by side (``scenarios``: a JSON list of them, the cache key)."""
    return views.compare_view(_dataset, [whatif.Scenario.from_dict(s)
                                         for s in json.loads(scenarios)], quarter)


@_view_cache(max_entries=8)
def plan_choices(key: str, quarter: str | None, _dataset: Dataset):
    return views.plan_choices(_dataset, quarter)


@dataclass(frozen=True)
class Choices:
    """What the frame, the sidebar and the question box need to know of the data on screen."""

    quarters: tuple[str, ...]  # newest first
    quarter_names: Mapping[str, str]  # each quarter as the organisation names it
    units: tuple[str, ...]  # business units
    services: tuple[str, ...]
    shown_quarter: str | None  # the quarter a page shows when none is chosen
    complete: str | None  # the latest complete quarter, the sidebar's default
    partial: Mapping[str, str]  # each later partial quarter → what it lacks
    examples: tuple[str, ...]  # example questions for the question box


@_view_cache(max_entries=8)
def choices(key: str, _dataset: Dataset) -> Choices:
    complete = latest_complete_quarter(_dataset)
    later = {f.value: f.message.split(":")[0] for f in partial_quarters(_dataset.tables)
             if complete is None or f.value > complete}
    quarters = tuple(reversed(views.quarter_options(_dataset)))
    fiscal = _dataset.settings.fiscal_year_start
    return Choices(quarters, MappingProxyType({q: quarter_label(q, fiscal) for q in quarters}),
                 tuple(views.business_unit_options(_dataset)),
                 tuple(views.service_options(_dataset)), views.resolve_quarter(_dataset),
                 complete, MappingProxyType(later), tuple(ask.examples(_dataset)))


@_view_cache(max_entries=128)
def answer(key: str, question: str, _dataset: Dataset, quarter: str | None = None,
           business_unit: str | None = None):
    return ask.answer(question, _dataset, quarter=quarter, business_unit=business_unit)
