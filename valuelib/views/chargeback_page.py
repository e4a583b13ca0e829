"""The Chargeback page's view model: one business unit's Bill of IT for a quarter (like a
phone bill: service, tier, users, unit price, charge and what the tier commits to, the
quarter and the fiscal year to date), its charge against its showback cost, cost recovery by
service and the line-driven share of IT."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .. import chargeback, charts
from ..frames import ratio
from ..model import Dataset
from ..present.facts import (
    Facts,
    Headline,
    business_unit_options,
    change_pct,
    first_row,
    only_unit,
)
from ..present.formatting import fmt_change, fmt_count, fmt_list, fmt_points, is_missing
from ..present.measures import fmt_measure
from ..present.tables import Table, table
from ..present.words import delta_or_none

NO_OFFERINGS = ("There is nothing to charge yet: this data has no Offerings sheet. Upload one "
                "with each service's tiers and their price per user per month (and, to say "
                "which unit takes which tier, a Subscriptions sheet: quarter, business unit, "
                "service, tier, users). The Workbook contract page lists their columns; "
                "without Subscriptions each unit's users come from Usage.")
TOTAL = "Total"

STATEMENT_COLUMNS = ["Service", "Tier", "Users", "Price per user per month", "Charge",
                     "Charge, year to date", "Availability target", "Support window", "Response"]
STATEMENT_MEASURES = {"Users": "users",
                      "Price per user per month": "tier_price_per_user_month",
                      "Charge": "charge", "Charge, year to date": "charge_year_to_date",
                      "Availability target": "availability_target"}
VERSUS_COLUMNS = ["Service", "Charge", "Share of cost (showback)", "Charge − share of cost"]
VERSUS_MEASURES = {"Charge": "charge", "Share of cost (showback)": "showback_cost",
                   "Charge − share of cost": "charge_vs_showback"}
RECOVERY_COLUMNS = ["Service", "Status", "Charges", "Total cost", "Cost recovery",
                    "Over / under-recovered", "Price per user per month",
                    "Cost per user per month", "Best market offer per user per month",
                    "Best offer"]
RECOVERY_MEASURES = {"Charges": "charges", "Total cost": "total_cost",
                     "Cost recovery": "recovery_pct", "Over / under-recovered": "over_under",
                     "Price per user per month": "tier_price_per_user_month",
                     "Cost per user per month": "cost_per_user_month",
                     "Best market offer per user per month": "best_market_price_per_user_month"}


@dataclass(frozen=True, eq=False)
class ChargebackView:
    """One unit's Bill of IT and IT's cost recovery in one quarter.

    ``business_unit``: the unit whose statement this is (None: the data has no unit);
    ``units``: every unit, for the picker; ``has_offerings``: False when the data has no tiers
    (nothing is charged: ``guard`` says what to upload). ``statement_table``: one row per
    service × tier charged to the unit this fiscal year, then the total; ``versus_table``: per
    service, the unit's charge against its showback cost; ``recovery_table``: every service's
    charges against its cost; ``share_chart``: the line-driven share of IT by quarter."""

    business_unit: str | None
    units: tuple[str, ...]
    quarter: str | None
    quarter_label: str
    period: str  # "2026-Q3; fiscal year to date 2026-Q1 to 2026-Q3"
    currency: str
    has_offerings: bool
    guard: str  # why nothing can be charged (no Offerings sheet: what to upload), else ""
    headlines: tuple[Headline, ...]
    sentence: str
    statement_table: Table
    statement_notes: tuple[str, ...]
    versus_table: Table
    recovery_sentence: str
    recovery_chart: go.Figure
    recovery_table: Table
    share_sentence: str
    share_chart: go.Figure
    notes: tuple[str, ...]


def chargeback_view(dataset: Dataset, quarter: str | None = None,
                    business_unit: str | None = None) -> ChargebackView:
    """``business_unit``'s Bill of IT in ``quarter`` (default: the latest complete one) and IT's
    recovery. A unit the data lacks, or none, shows the first unit; the notes say so."""
    f = Facts(dataset, quarter, None)
    units = business_unit_options(dataset)
    notes = []
    if business_unit is not None and business_unit not in units:
        notes.append(f"{business_unit} is not a business unit in this data; showing "
                     f"{units[0] if units else 'none'}.")
        business_unit = None
    unit = business_unit or (units[0] if units else None)
    tiered = f.has_tiers
    ran = f.quarter is not None and tiered
    bill = f.statement(unit) if ran and unit else None
    before = (chargeback.statement(dataset, unit, f.previous) if bill is not None else None)
    recovered = f.recovery if ran else _empty_recovery()
    share = f.line_driven if ran else pd.DataFrame(
        columns=["quarter", "charges", "it_cost", "line_driven_pct"])
    year = bill.year_quarters if bill is not None else ()
    period = f.quarter_label
    if len(year) > 1:
        period += f"; fiscal year to date {f.label(year[0])} to {f.label(year[-1])}"
    return ChargebackView(
        business_unit=unit, units=units, quarter=f.quarter, quarter_label=f.shown_quarter,
        period=period, currency=f.currency, has_offerings=tiered,
        guard="" if tiered else NO_OFFERINGS,
        headlines=_headlines(f, unit, bill, before, share),
        sentence=_sentence(f, unit, bill),
        statement_table=_statement_table(f, bill),
        statement_notes=bill.notes if bill is not None else (),
        versus_table=_versus_table(f, unit, bill),
        recovery_sentence=_recovery_sentence(f, recovered),
        recovery_chart=charts.cost_recovery(
            recovered, f.currency,
            title=f"Cost recovery by service, {f.quarter_label}: charges ÷ cost",
            subtitle="The dashed line is 100%: the charges cover the cost; services not "
                     "charged for are left out"),
        recovery_table=_recovery_table(f, recovered),
        share_sentence=_share_sentence(f, share),
        share_chart=charts.line_driven_share(
            share, fiscal_year_start=f.settings.fiscal_year_start,
            title="Line-driven share of IT: charges ÷ IT total cost",
            subtitle="The rest of IT's cost is funded as corporate overhead"),
        notes=tuple(notes))


def _empty_recovery() -> pd.DataFrame:
    return pd.DataFrame(columns=["service", "charges", "total_cost", "recovery_pct",
                                 "over_under", "status"])


def _headlines(f: Facts, unit: str | None, bill, before, share: pd.DataFrame
               ) -> tuple[Headline, ...]:
    if bill is None:
        return ()
    money = f.total
    change = change_pct(bill.total, before.total if before is not None else None)
    year = bill.year_quarters
    out = [
        Headline(f"Charged to {unit}", money(bill.total), delta_or_none(fmt_change(change)),
                 "inverse", f"{unit}'s Bill of IT for {f.quarter_label}: users × the tier's "
                 "price per user per month × 3 months, over every service."),
        Headline("Year to date", money(bill.total_year_to_date), sentence=(
            f"Its charges in the fiscal year so far: {fmt_count(len(year), 'quarter')}, "
            f"{f.label(year[0])} to {f.label(year[-1])}." if year else "")),
        Headline("Its share of IT cost (showback)", money(bill.showback_cost),
                 sentence=f"What {unit} uses of IT, costed: each service's cost shared by its "
                 "users."),
    ]
    gap = bill.difference
    if not is_missing(gap):
        if gap < 0:
            covered = fmt_measure("recovery_pct", ratio(bill.total, bill.showback_cost) * 100)
            said = (f"{unit} is charged {covered} of the cost of what it uses; the other "
                    f"{money(-gap)} is funded as overhead.")
        else:
            said = f"{unit} is charged {money(gap)} more than the cost of what it uses."
        out.append(Headline("Charged − share of cost",
                            fmt_measure("charge_vs_showback", gap, f.currency), sentence=said))
    now = first_row(share, "quarter", f.quarter)
    if now is not None and not is_missing(now.line_driven_pct):
        earlier = first_row(share, "quarter", f.previous)
        points = (now.line_driven_pct - earlier.line_driven_pct
                  if earlier is not None and not is_missing(earlier.line_driven_pct) else None)
        out.append(Headline(
            "Line-driven share of IT", fmt_measure("line_driven_pct", now.line_driven_pct),
            delta_or_none(fmt_points(points)), "normal",
            f"Every unit's charges ÷ IT's total cost in {f.quarter_label} "
            f"({money(now.charges)} of {money(now.it_cost)}); the rest is corporate "
            "overhead."))
    return tuple(out)


def _sentence(f: Facts, unit: str | None, bill) -> str:
    if unit is None:
        return "No business unit in this data: nobody to send a statement to."
    if bill is None:
        return f"No charges for {unit}: this data has no tiers to charge for."
    lines = bill.lines[bill.lines["charge"] > 0] if len(bill.lines) else bill.lines
    if lines.empty:
        return f"{unit} has no charges in {f.quarter_label}."
    services = sorted(lines["service"].unique())
    return (f"{unit} is charged {f.total(bill.total)} for "
            f"{fmt_count(len(services), 'service')} in {f.quarter_label} ({fmt_list(services)}), "
            f"{f.total(bill.total_year_to_date)} in the fiscal year to date.")


def _statement_table(f: Facts, bill) -> Table:
    if bill is None or bill.lines.empty:
        return table([], STATEMENT_COLUMNS, STATEMENT_MEASURES, f.currency)
    rows = [{
        "Service": r.service, "Tier": r.tier, "Users": r.users,
        "Price per user per month": r.price_per_user_month, "Charge": r.charge,
        "Charge, year to date": r.charge_year_to_date, "Availability target": r.availability_target,
        "Support window": r.support_hours, "Response": r.response_time,
    } for r in bill.lines.itertuples(index=False)]
    rows.append({"Service": TOTAL, "Charge": bill.total,
                 "Charge, year to date": bill.total_year_to_date})
    return table(rows, STATEMENT_COLUMNS, STATEMENT_MEASURES, f.currency)


def _versus_table(f: Facts, unit: str | None, bill) -> Table:
    """Per service the unit uses or is charged for: its charge, its showback cost and the
    difference (NaN where either is missing)."""
    if bill is None or unit is None:
        return table([], VERSUS_COLUMNS, VERSUS_MEASURES, f.currency)
    charged = bill.lines.groupby("service")["charge"].sum(min_count=1) if len(
        bill.lines) else pd.Series(dtype=float)
    shown = only_unit(f.showback_all[f.showback_all["quarter"].eq(f.quarter).to_numpy(
        dtype=bool, na_value=False)], unit)
    cost = shown.groupby("service")["cost"].sum(min_count=1)
    names = sorted(set(charged.index[charged.fillna(0) > 0]) | set(cost.index),
                   key=lambda s: -(cost.get(s, 0) or 0))
    rows = [{"Service": s, "Charge": charged.get(s), "Share of cost (showback)": cost.get(s),
             "Charge − share of cost": (charged.get(s, 0) or 0) - cost.get(s)
             if not is_missing(cost.get(s)) else None} for s in names]
    return table(rows, VERSUS_COLUMNS, VERSUS_MEASURES, f.currency)


def _recovery_sentence(f: Facts, recovered: pd.DataFrame) -> str:
    charged = recovered[recovered["status"] != chargeback.RecoveryStatus.NO_CHARGES]
    if charged.empty:
        return f"No service is charged for in {f.quarter_label}."
    measured = charged[charged["recovery_pct"].notna()]
    said = (f"{len(charged)} of {fmt_count(len(recovered), 'service')} are charged for in "
            f"{f.quarter_label}")
    if len(measured):
        total, cost = measured["charges"].sum(), measured["total_cost"].sum()
        said += (f"; together their charges of {f.total(total)} recover "
                 f"{fmt_measure('recovery_pct', ratio(total, cost) * 100)} of their cost of "
                 f"{f.total(cost)}")
    under = charged[charged["status"] == chargeback.RecoveryStatus.UNDER]
    if len(under):
        said += f". Under-recovered: {fmt_list(sorted(under['service']))}"
    free = len(recovered) - len(charged)
    if free:
        said += (f". {fmt_count(free, 'service')} {'is' if free == 1 else 'are'} not charged "
                 "for: funded as overhead")
    return said + "."


def _recovery_table(f: Facts, recovered: pd.DataFrame) -> Table:
    order = recovered.sort_values(["recovery_pct", "service"], na_position="last")
    rows = [{
        "Service": r.service, "Status": r.status, "Charges": r.charges,
        "Total cost": r.total_cost, "Cost recovery": r.recovery_pct,
        "Over / under-recovered": r.over_under,
        "Price per user per month": r.price_per_user_month,
        "Cost per user per month": r.cost_per_user_month,
        "Best market offer per user per month": r.best_market_price_per_user_month,
        "Best offer": r.best_market_offer,
    } for r in order.itertuples(index=False)] if "best_market_offer" in order else []
    return table(rows, RECOVERY_COLUMNS, RECOVERY_MEASURES, f.currency)


def _share_sentence(f: Facts, share: pd.DataFrame) -> str:
    known = share[share["line_driven_pct"].notna()]
    if known.empty:
        return "No charges yet: all of IT's cost is funded as corporate overhead."
    first, last = known.iloc[0], known.iloc[-1]
    now = fmt_measure("line_driven_pct", last.line_driven_pct)
    said = f"The business units' charges paid for {now} of IT's cost in {f.label(last.quarter)}"
    if len(known) > 1:
        points = last.line_driven_pct - first.line_driven_pct
        said += (f", against {fmt_measure('line_driven_pct', first.line_driven_pct)} in "
                 f"{f.label(first.quarter)} ({fmt_points(points)})")
    return said + "; the rest is funded as corporate overhead."
