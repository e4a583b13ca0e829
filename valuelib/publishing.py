"""What a publish would do, checked before anyone clicks: the publish plan.

``plan_publish(published, base_version, incoming)`` merges the upload into the published data
(:func:`valuelib.store.merge_for_publish`), checks the MERGED result (file-level findings of
the upload plus the cross-table findings worked out again on the merged tables), compares it
with the published data table by table (:class:`ChangeSummary`) and says which changes need
an explicit tick. ``publish(store, plan, ...)`` is the one code path the page and the command
line use to publish: it refuses errors, data identical to the live version and a missing
tick, and passes the base version to ``Store.publish`` so a version published meanwhile is
never silently overwritten.

Pure: no Streamlit, no IO besides the store handed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import partial

import numpy as np
import pandas as pd

from .ingest import CROSS_TABLE_CODES, recheck
from .model import SOURCE_COLUMNS, Dataset, Finding, Settings
from .present.formatting import fmt_change, fmt_money, fmt_number, fmt_percent
from .present.measures import fmt_measure
from .schema import SHEETS_BY_KEY
from .store import QUARTER_TABLES, Store, VersionInfo, merge_for_publish

__all__ = [
    "BIG_MOVE",
    "PER_USER_MOVE",
    "BlockChange",
    "ChangeSummary",
    "PerUserChange",
    "PublishPlan",
    "PublishRefused",
    "TableChange",
    "TotalChange",
    "diff_against",
    "plan_publish",
    "publish",
    "same_data",
]

# A total (cost, users, tickets of a replaced quarter) moving by more than this share needs a
# tick; a service's cost per user moving by more than PER_USER_MOVE is listed.
BIG_MOVE = 0.5
PER_USER_MOVE = 0.2
LISTED = 6  # names listed in one sentence before "and N more"
# The tables cost per user is worked out from (costing.cost_per_user).
PER_USER_INPUTS = ("costs", "usage", "allocation_rules", "support", "services")

# Reference tables (replaced wholesale by an upload that has rows for them): the columns that
# name one row, and what one row is called.
REFERENCE_KEYS: dict[str, tuple[str, ...]] = {
    "services": ("service",),
    "market": ("offer",),
    "blocks": ("block",),
    "allocation_rules": ("rule", "service"),
    "work_types": ("work_type",),
}
ROW_NOUNS: dict[str, tuple[str, str]] = {
    "services": ("service", "services"),
    "market": ("offer", "offers"),
    "blocks": ("block", "blocks"),
    "allocation_rules": ("rule share", "rule shares"),
    "work_types": ("work type", "work types"),
    "costs": ("cost line", "cost lines"),
    "usage": ("usage row", "usage rows"),
    "value": ("survey row", "survey rows"),
    "support": ("ticket", "tickets"),
}


class PublishRefused(ValueError):  # noqa: N818 (the name the pages and CLI use)
    """Publishing was refused; the message says why in plain words."""


# --------------------------------------------------------------------------------------------
# The change summary


@dataclass(frozen=True)
class TableChange:
    """How one table changes. Quarter-keyed tables (costs, usage, value, support) list the
    quarters added and replaced; reference tables list the rows removed and added (by their
    key: an offer, a block, a rule's share, a work type)."""

    table: str
    rows_before: int
    rows_after: int
    quarters_added: tuple[str, ...] = ()
    quarters_replaced: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    replaced: bool = False  # a reference table whose published rows were replaced

    @property
    def title(self) -> str:
        return SHEETS_BY_KEY[self.table].title if self.table in SHEETS_BY_KEY else self.table

    def line(self) -> str | None:
        """One sentence, or None when the table does not change."""
        one, many = ROW_NOUNS.get(self.table, ("row", "rows"))

        def rows(n: int) -> str:
            return f"{n:,} {one if n == 1 else many}"

        if self.table in QUARTER_TABLES:
            parts = []
            if self.quarters_added:
                parts.append(f"adds {_names(self.quarters_added)}")
            if self.quarters_replaced:
                parts.append(f"replaces {_names(self.quarters_replaced)}")
            if not parts:
                return None
            return (f"{self.title}: {' and '.join(parts)} "
                    f"({rows(self.rows_before)} → {rows(self.rows_after)}).")
        if not (self.removed or self.added or self.replaced):
            return None
        detail = "; ".join(part for part in (
            f"removed: {_names(self.removed)}" if self.removed else "",
            f"added: {_names(self.added)}" if self.added else "") if part)
        verb = "replaced" if self.replaced else "changed"
        return (f"{self.title} {verb}: {rows(self.rows_before)} → {rows(self.rows_after)}"
                + (f" ({detail})." if detail else " (same names, new details)."))


@dataclass(frozen=True)
class TotalChange:
    """A total before → after. ``quarter`` is empty for a total over all the data."""

    name: str
    before: float
    after: float
    quarter: str = ""
    money: bool = False

    @property
    def moved(self) -> float:
        """The change as a share of the total before (inf when it was 0 and is not now)."""
        if self.before == self.after:
            return 0.0
        if self.before == 0:
            return float("inf")
        return abs(self.after - self.before) / abs(self.before)


@dataclass(frozen=True)
class PerUserChange:
    """A service's cost per user per month in one quarter, before → after."""

    quarter: str
    service: str
    before: float
    after: float

    @property
    def moved(self) -> float:
        return abs(self.after - self.before) / abs(self.before) if self.before else float("inf")


@dataclass(frozen=True)
class BlockChange:
    """A block of hours whose purchased hours or dates change."""

    block: str
    changes: tuple[tuple[str, str, str], ...]  # (what, before, after)


@dataclass(frozen=True)
class ChangeSummary:
    """What publishing would change in the published data, table by table."""

    quarters_added: tuple[str, ...]
    quarters_replaced: tuple[str, ...]
    services_added: tuple[str, ...]
    services_removed: tuple[str, ...]
    total_cost_before: float
    total_cost_after: float
    rows_before: dict[str, int] = field(default_factory=dict)
    rows_after: dict[str, int] = field(default_factory=dict)
    currency: str = "USD"
    tables: tuple[TableChange, ...] = ()
    totals: tuple[TotalChange, ...] = ()
    per_user: tuple[PerUserChange, ...] = ()
    blocks: tuple[BlockChange, ...] = ()
    settings: tuple[tuple[str, str, str], ...] = ()  # (setting, before, after)

    @property
    def total_cost_change(self) -> float:
        return self.total_cost_after - self.total_cost_before

    @property
    def removed_reference_rows(self) -> dict[str, tuple[str, ...]]:
        """Reference table -> the rows publishing would remove (services no longer listed
        count too)."""
        removed = {t.table: t.removed for t in self.tables
                   if t.table in REFERENCE_KEYS and t.removed}
        if self.services_removed:
            removed["services"] = tuple(dict.fromkeys(
                [*removed.get("services", ()), *self.services_removed]))
        return removed

    @property
    def big_moves(self) -> tuple[TotalChange, ...]:
        """Totals of a replaced quarter moving by more than BIG_MOVE."""
        return tuple(t for t in self.totals if t.quarter and t.moved > BIG_MOVE)

    def lines(self) -> list[str]:
        """The summary in plain sentences, for the page and the command line."""
        money = partial(fmt_money, currency=self.currency, decimals=0)  # totals: whole
        lines = []
        for change in self.tables:
            line = change.line()
            if line:
                lines.append(line)
        if self.services_added:
            lines.append(f"New services: {_names(self.services_added)}.")
        if self.services_removed:
            lines.append(f"Services no longer listed: {_names(self.services_removed)}.")
        for name, before, after in self.settings:
            lines.append(f"Setting {name}: {before} → {after}.")
        lines.append(f"Total cost {money(self.total_cost_before)} → "
                     f"{money(self.total_cost_after)} "
                     f"({money(self.total_cost_change, signed=True)}).")
        for total in self.totals:
            if total.quarter and total.before != total.after:
                shown = money if total.money else _count
                lines.append(f"{total.quarter} {total.name}: {shown(total.before)} → "
                             f"{shown(total.after)}{_percent_moved(total)}.")
            elif not total.quarter and not total.money and total.before != total.after:
                lines.append(f"{total.name[:1].upper()}{total.name[1:]}: "
                             f"{_count(total.before)} → {_count(total.after)}.")
        for block in self.blocks:
            what = "; ".join(f"{name} {before} → {after}" for name, before, after in block.changes)
            lines.append(f"Block '{block.block}': {what}.")
        if self.per_user:
            per_user = partial(fmt_measure, "cost_per_user_month", currency=self.currency)
            shown = [f"{p.service} {p.quarter} {per_user(p.before)} → {per_user(p.after)}"
                     for p in self.per_user[:LISTED]]
            more = len(self.per_user) - LISTED
            lines.append(f"Cost per user per month moves by more than "
                         f"{fmt_percent(PER_USER_MOVE * 100, 0)}: {'; '.join(shown)}"
                         + (f"; and {more} more" if more > 0 else "") + ".")
        return lines


def _names(names: Iterable[str]) -> str:
    names = list(names)
    shown = ", ".join(names[:LISTED])
    return shown + (f" and {len(names) - LISTED} more" if len(names) > LISTED else "")


def _count(value: float) -> str:
    return fmt_number(value, 0 if float(value).is_integer() else 1)


def _percent_moved(total: TotalChange) -> str:
    if total.before == 0 or not np.isfinite(total.moved):
        return ""
    sign = 1 if total.after >= total.before else -1
    return f" ({fmt_change(sign * abs(total.moved) * 100, 0)})"


def diff_against(published: Dataset | None, merged: Dataset,
                 incoming: Dataset | None = None) -> ChangeSummary:
    """Compare the published data with ``merged`` (what publishing would leave).

    ``incoming`` (the upload) says which quarters it brings; without it the quarters are
    those that differ. For backwards compatibility ``diff_against(published, incoming)``
    with an unmerged upload also works: the upload is merged first (merging twice changes
    nothing)."""
    if incoming is None:
        incoming = merged
        merged = merge_for_publish(published, merged)
    before = published if published is not None else Dataset(tables={})
    before_quarters = set(before.quarters)
    incoming_quarters = incoming.quarters
    tables = tuple(change for change in (
        _table_change(key, before.tables.get(key), merged.tables.get(key),
                      incoming.tables.get(key))
        for key in dict.fromkeys([*before.tables, *merged.tables])) if change is not None)
    before_services, after_services = _service_names(before), _service_names(merged)
    return ChangeSummary(
        quarters_added=tuple(q for q in incoming_quarters if q not in before_quarters),
        quarters_replaced=tuple(q for q in incoming_quarters if q in before_quarters),
        services_added=tuple(sorted(after_services - before_services)),
        services_removed=tuple(sorted(before_services - after_services)),
        total_cost_before=_sum(before, "costs", "amount"),
        total_cost_after=_sum(merged, "costs", "amount"),
        rows_before={k: len(f) for k, f in before.tables.items()} if published else {},
        rows_after={k: len(f) for k, f in merged.tables.items()},
        currency=merged.settings.currency,
        tables=tables,
        totals=_totals(before, merged, [q for q in incoming_quarters if q in before_quarters]),
        per_user=_per_user_changes(before, merged) if published is not None else (),
        blocks=_block_changes(before, merged),
        settings=_settings_changes(before.settings, merged.settings) if published else (),
    )


def _table_change(key: str, old: pd.DataFrame | None, new: pd.DataFrame | None,
                  incoming: pd.DataFrame | None) -> TableChange | None:
    rows_before = 0 if old is None else len(old)
    rows_after = 0 if new is None else len(new)
    if key in QUARTER_TABLES:
        before_q = _quarters(old)
        brought = _quarters(incoming)
        return TableChange(key, rows_before, rows_after,
                           quarters_added=tuple(q for q in brought if q not in before_q),
                           quarters_replaced=tuple(q for q in brought if q in before_q))
    if key not in REFERENCE_KEYS:
        return None
    before_names, after_names = _row_names(key, old), _row_names(key, new)
    if key == "services":
        # Services merge by name; the top-level services_added/removed say it already.
        return None
    replaced = (rows_before > 0 and incoming is not None and len(incoming) > 0
                and not _same_frame(old, new))
    return TableChange(
        key, rows_before, rows_after,
        removed=tuple(n for n in before_names if n not in set(after_names)),
        added=tuple(n for n in after_names if n not in set(before_names)),
        replaced=replaced)


def _quarters(frame: pd.DataFrame | None) -> list[str]:
    if frame is None or "quarter" not in frame:
        return []
    return sorted(frame["quarter"].dropna().unique())


def _row_names(key: str, frame: pd.DataFrame | None) -> list[str]:
    columns = REFERENCE_KEYS[key]
    if frame is None or frame.empty or any(c not in frame for c in columns):
        return []
    if len(columns) == 1:
        values = frame[columns[0]].astype("object").where(frame[columns[0]].notna(), "(blank)")
        return list(dict.fromkeys(str(v) for v in values))
    parts = frame[list(columns)].astype("object").where(frame[list(columns)].notna(), "(blank)")
    return list(dict.fromkeys(f"{a} → {b}" for a, b in parts.itertuples(index=False)))


def _service_names(dataset: Dataset) -> set[str]:
    services = dataset.tables.get("services")
    if services is None or "service" not in services:
        return set()
    return set(services["service"].dropna())


def _sum(dataset: Dataset, key: str, column: str, quarter: str | None = None) -> float:
    frame = dataset.tables.get(key)
    if frame is None or column not in frame:
        return 0.0
    if quarter is not None:
        frame = frame[frame["quarter"] == quarter] if "quarter" in frame else frame.iloc[0:0]
    return float(pd.to_numeric(frame[column], errors="coerce").sum())


def _rows_in(dataset: Dataset, key: str, quarter: str) -> float:
    frame = dataset.tables.get(key)
    if frame is None or "quarter" not in frame:
        return 0.0
    return float((frame["quarter"] == quarter).sum())


def _totals(before: Dataset, after: Dataset, replaced: list[str]) -> tuple[TotalChange, ...]:
    out = [
        TotalChange("total cost", _sum(before, "costs", "amount"),
                    _sum(after, "costs", "amount"), money=True),
        TotalChange("tickets", float(len(before.tables.get("support", ()))),
                    float(len(after.tables.get("support", ())))),
        TotalChange("block hours purchased", _sum(before, "blocks", "purchased_hours"),
                    _sum(after, "blocks", "purchased_hours")),
    ]
    for quarter in replaced:
        out += [
            TotalChange("total cost", _sum(before, "costs", "amount", quarter),
                        _sum(after, "costs", "amount", quarter), quarter, money=True),
            TotalChange("users", _sum(before, "usage", "users", quarter),
                        _sum(after, "usage", "users", quarter), quarter),
            TotalChange("tickets", _rows_in(before, "support", quarter),
                        _rows_in(after, "support", quarter), quarter),
        ]
    return tuple(out)


def _per_user_changes(before: Dataset, after: Dataset) -> tuple[PerUserChange, ...]:
    from .costing import cost_per_user

    shared = sorted(set(before.quarters) & set(after.quarters))
    if not shared:
        return ()
    if all(_same_frame(before.tables.get(k), after.tables.get(k)) for k in PER_USER_INPUTS):
        return ()  # nothing behind the per-user figures changed
    try:
        old, new = cost_per_user(before), cost_per_user(after)
    except (KeyError, ValueError, TypeError):  # tables without the costing columns
        return ()
    keys = ["quarter", "service"]
    both = old[keys + ["cost_per_user_month"]].merge(
        new[keys + ["cost_per_user_month"]], on=keys, suffixes=("_before", "_after"))
    both = both[both["quarter"].isin(shared)].dropna()
    changes = [PerUserChange(r.quarter, r.service, float(r.cost_per_user_month_before),
                             float(r.cost_per_user_month_after))
               for r in both.itertuples(index=False)]
    return tuple(sorted((c for c in changes if c.moved > PER_USER_MOVE),
                        key=lambda c: (c.quarter, c.service)))


def _block_changes(before: Dataset, after: Dataset) -> tuple[BlockChange, ...]:
    old, new = before.tables.get("blocks"), after.tables.get("blocks")
    if old is None or new is None or old.empty or "block" not in old or "block" not in new:
        return ()
    out = []
    new_by_name = new.drop_duplicates("block").set_index("block")
    for row in old.drop_duplicates("block").itertuples(index=False):
        if row.block not in new_by_name.index:
            continue
        other = new_by_name.loc[row.block]
        changes = []
        for column, name in (("purchased_hours", "hours"), ("start", "starts"), ("end", "ends")):
            if column not in old or column not in new:
                continue
            was, now = getattr(row, column), other[column]
            if _missing(was) and _missing(now):
                continue
            if _missing(was) or _missing(now) or was != now:
                changes.append((name, _shown(was), _shown(now)))
        if changes:
            out.append(BlockChange(str(row.block), tuple(changes)))
    return tuple(out)


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and np.isnan(value))


def _shown(value) -> str:
    if _missing(value):
        return "(none)"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return _count(value)
    return str(value)


def _settings_changes(before: Settings, after: Settings) -> tuple[tuple[str, str, str], ...]:
    return tuple((f.name.replace("_", " "), str(getattr(before, f.name)),
                  str(getattr(after, f.name)))
                 for f in fields(Settings) if getattr(before, f.name) != getattr(after, f.name))


# --------------------------------------------------------------------------------------------
# The plan


@dataclass(frozen=True)
class PublishPlan:
    """Everything the page and the command line show before publishing.

    ``merged`` is the dataset that would be published, its findings those of the MERGED
    result; ``confirmations`` the plain reasons an explicit tick is needed; ``identical`` is
    True when the merged data equals the published data (publishing would change nothing)."""

    base_version: int | None
    incoming: Dataset
    merged: Dataset
    findings: tuple[Finding, ...]
    changes: ChangeSummary
    confirmations: tuple[str, ...] = ()
    identical: bool = False

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def has_rows(self) -> bool:
        return any(len(frame) for frame in self.merged.tables.values())

    @property
    def publishable(self) -> bool:
        """No errors, something to publish, and not identical to the live version."""
        return not self.errors and not self.identical and self.has_rows

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.confirmations)

    @property
    def blocking_reason(self) -> str | None:
        """Why Publish is not possible at all (a tick does not help), or None."""
        if self.errors:
            return (f"The data has {len(self.errors)} error(s): fix them in the files and "
                    "upload them again.")
        if not self.has_rows:
            return "Every table is empty: there is nothing to publish."
        if self.identical:
            base = f"version {self.base_version}" if self.base_version else "the live version"
            return (f"This upload changes nothing: the result is identical to {base}, "
                    "which everyone already sees.")
        return None


def plan_publish(published: Dataset | None, base_version: int | None,
                 incoming: Dataset) -> PublishPlan:
    """The plan for publishing ``incoming`` on top of ``published`` (version
    ``base_version``; both None before the first publish)."""
    merged = merge_for_publish(published, incoming)
    tables, cross = recheck(merged.tables, merged.settings)
    file_level = tuple(f for f in incoming.findings if f.code not in CROSS_TABLE_CODES)
    findings = file_level + tuple(cross)
    merged = Dataset(tables=tables, settings=merged.settings, findings=findings,
                     sources=merged.sources)
    changes = diff_against(published, merged, incoming)
    identical = published is not None and same_data(published, merged)
    return PublishPlan(
        base_version=base_version if published is not None else None,
        incoming=incoming, merged=merged, findings=findings, changes=changes,
        confirmations=_confirmations(changes), identical=identical)


def _confirmations(changes: ChangeSummary) -> tuple[str, ...]:
    money = partial(fmt_money, currency=changes.currency, decimals=0)
    reasons = []
    for table, removed in changes.removed_reference_rows.items():
        title = SHEETS_BY_KEY[table].title
        one, many = ROW_NOUNS[table]
        noun = one if len(removed) == 1 else many
        reasons.append(f"{title}: {len(removed)} published {noun} would be removed "
                       f"({_names(removed)}).")
    for total in changes.big_moves:
        shown = money if total.money else _count
        moved = ("from nothing" if total.before == 0
                 else f"by {fmt_percent(abs(total.moved) * 100, 0)}")
        reasons.append(f"{total.quarter} {total.name} moves {moved}: {shown(total.before)} → "
                       f"{shown(total.after)}.")
    return tuple(reasons)


def same_data(a: Dataset, b: Dataset) -> bool:
    """True when both hold the same figures: the same settings and, table by table, the same
    rows (where each row came from — file, sheet, row — does not count)."""
    if a.settings != b.settings:
        return False
    keys = {k for k, f in a.tables.items() if len(f)} | {k for k, f in b.tables.items() if len(f)}
    return all(_same_frame(a.tables.get(k), b.tables.get(k)) for k in keys)


def _same_frame(a: pd.DataFrame | None, b: pd.DataFrame | None) -> bool:
    if a is None or b is None:
        return (a is None or a.empty) and (b is None or b.empty)
    a = a.drop(columns=[c for c in SOURCE_COLUMNS if c in a]).reset_index(drop=True)
    b = b.drop(columns=[c for c in SOURCE_COLUMNS if c in b]).reset_index(drop=True)
    if set(a.columns) != set(b.columns) or len(a) != len(b):
        return False
    try:
        pd.testing.assert_frame_equal(a, b[a.columns], check_dtype=False,
                                      check_index_type=False, check_exact=True)
    except AssertionError:
        return False
    return True


# --------------------------------------------------------------------------------------------
# Publishing


def publish(store: Store, plan: PublishPlan, files: Iterable[tuple[str, bytes]], editor: str,
            note: str = "", *, confirmed: bool = False) -> VersionInfo:
    """Publish ``plan.merged`` — the one path for the page and the command line.

    Refuses (``PublishRefused``) data with errors, data identical to the live version, and
    changes that need a tick when ``confirmed`` is False. ``Store.publish`` refuses
    (``StaleBaseError``) when a version newer than ``plan.base_version`` was published
    meanwhile: plan again and review the changes."""
    reason = plan.blocking_reason
    if reason:
        raise PublishRefused(f"Not published. {reason}")
    if plan.confirmations and not confirmed:
        raise PublishRefused(
            "Not published: these changes need an explicit confirmation first. "
            + " ".join(plan.confirmations))
    return store.publish(plan.merged, files, editor, note, base_version=plan.base_version)


def plan_for_store(store: Store, incoming: Dataset) -> PublishPlan:
    """The plan against the store's latest version (a convenience for the command line)."""
    latest = store.latest()
    published = store.load(latest.id) if latest else None
    return plan_publish(published, latest.id if latest else None, incoming)


def changed_tables(plan: PublishPlan) -> Mapping[str, TableChange]:
    """Table key -> its change, for tables that change."""
    return {t.table: t for t in plan.changes.tables if t.line()}
