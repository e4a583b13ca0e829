"""Generate the Northwind Traders sample workbooks for the IT service value dashboard.

Northwind Traders is an invented wholesale-and-web trading company of about 300 people. This
script writes two workbooks that follow the workbook contract (``valuelib.schema``: sheet
titles and canonical column names are read from it, never spelled here) for the eight
calendar quarters 2024-Q4 … 2026-Q3, reporting currency USD:

``northwind_it_2024Q4-2026Q3.xlsx``
    Settings, Services, Costs, Allocation rules, Usage, Blocks, Market, Value, Work types,
    Budget.
``northwind_support_2024Q4-2026Q3.xlsx``
    Support: one row per ticket (about 7,500 tickets).

Realism choices
---------------
* Headcount grows about 1.4 % a quarter (265 → 292) across seven business units; every
  service's users are a share of each unit's headcount, so usage moves with hiring. Email
  counts mailboxes (headcount plus a few shared mailboxes) and stays under 300, the upper
  bound of the cheapest market offer. Payroll counts every employee paid (everyone uses the
  payslip portal), because payroll providers price per employee; Accounting and Benefits
  are used by Finance and HR staff.
* Costs are a ledger of a few lines per service per quarter across TBM cost pools, with
  modest growth and noise. Licence lines scale with the service's users. Shared lines use
  every allocation method (users, cost, even, tickets, hours and the rule "Network split").
  A few lines are ``comparable = no`` (archive storage above the standard mailbox quota,
  internal-only network links, laptops bought outright), and one carrier credit is negative.
  The support-block purchases appear in the ledger as External Labor, a quarter of the price
  per quarter. Total IT spend is about $3.1M a year (≈ $11k per employee). Once shared lines
  are allocated, email costs about $12.60 per mailbox per month (below the $15 cloud offer)
  and CRM about $163 per seat (dearer than the $125 cloud offer) in 2026-Q3.
* Value surveys rate every service every quarter; the scores are spread so that services
  fall in all four cost-vs-value quadrants, and Desktop & User Support satisfaction improves
  as its work turns proactive.
* Support tickets: about 3.4 tickets per employee per quarter (≈ 900–1,000 a quarter).
  Routine requests are about a fifth of tickets; the proactive share of hours rises from
  about 25 % to about 55 % while reactive ticket counts fall. Hours per ticket are
  log-normal per work type (0.25–8 h, rounded to a quarter hour). Priority follows
  ServiceNow's impact × urgency matrix, except for two recorded "habits" (~5 % of tickets):
  executives' tickets bumped one level, and some tickets left at the default "3".
  Tickets still open on 2026-09-30 have a blank resolved date.
* The 2026 budget (yearly per service and for IT) and a mid-year reforecast: CRM runs about
  19 % over after a licence true-up, Website Sales about 6 % under (a replatforming slipped);
  IT as a whole ends the year on budget (see ``make_budget``).
* A partner, Harbor Point IT Services, sells blocks of support hours. Its technicians'
  tickets name the block: the 2025-26 block ends nearly used up, the 2026-27 block is about
  half used after its first quarter (a firmware refresh rollout) and burning fast.

Everything is drawn from ``numpy.random.default_rng(2026)``; ticket rows are generated with
vectorised numpy/pandas. Workbook properties and zip timestamps are fixed, so running
``python sample_data/make_sample.py`` again gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: valuelib lives in the repo root

from valuelib.schema import SHEETS_BY_KEY  # noqa: E402

OUT_DIR = ROOT / "sample_data"
IT_WORKBOOK = "northwind_it_2024Q4-2026Q3.xlsx"
SUPPORT_WORKBOOK = "northwind_support_2024Q4-2026Q3.xlsx"
SEED = 2026
# Every file gets these timestamps (document properties and zip entries) so reruns are
# byte-identical.
FIXED_TIMESTAMP = dt.datetime(2026, 10, 1, 9, 0, 0)

ORGANIZATION = "Northwind Traders"
PERIODS = pd.period_range("2024Q4", "2026Q3", freq="Q")
QUARTERS = [f"{p.year}-Q{p.quarter}" for p in PERIODS]
DATA_END = PERIODS[-1].end_time  # 2026-09-30 23:59:59.999…

# --------------------------------------------------------------------------------------
# The organisation
# --------------------------------------------------------------------------------------

STARTING_HEADCOUNT = 265
HEADCOUNT_GROWTH = 0.014  # per quarter: 265 → ~292 by 2026-Q3

# Share of headcount per business unit (sums to 1).
BUSINESS_UNIT_SHARES = {
    "Operations": 0.32, "Customer Service": 0.21, "Sales": 0.20, "Marketing": 0.09,
    "Finance": 0.08, "HR": 0.06, "Executive": 0.04,
}
BUSINESS_UNITS = list(BUSINESS_UNIT_SHARES)


@dataclass(frozen=True)
class Service:
    name: str
    category: str
    value_proposition: str
    owner: str
    external_facing: bool
    availability_target: float | None
    unit: str
    # Share of each business unit's headcount that uses the service (1.0 = everyone).
    usage_shares: dict[str, float]
    extra_users: int = 0  # e.g. shared mailboxes, counted under Customer Service
    usage_wobble: float = 0.0  # relative quarter-to-quarter swing in users


EVERYONE = dict.fromkeys(BUSINESS_UNITS, 1.0)

SERVICES = [
    Service("Email & Productivity", "Business",
            "Email, calendar, documents and chat for every employee", "Dana Reyes", False,
            99.5, "mailbox", EVERYONE, extra_users=4),
    Service("Telecommunications", "Business",
            "Desk and mobile phones, conferencing and the contact-centre lines", "Marcus Lee",
            False, 99.9, "user",
            {"Sales": 1.0, "Customer Service": 1.0, "Executive": 1.0, "Marketing": 0.5,
             "Operations": 0.35, "Finance": 0.5, "HR": 0.6}),
    Service("Payroll", "Business",
            "Everyone paid correctly and on time, with payslips online", "Priya Shah", False,
            99.0, "user", EVERYONE),
    Service("Accounting", "Business",
            "General ledger, payables, receivables and month-end close", "Priya Shah", False,
            99.0, "user",
            {"Finance": 1.0, "Executive": 0.3, "Operations": 0.05, "Sales": 0.02}),
    Service("Benefits Management", "Business",
            "Benefit enrolment and changes, with data sent to the carriers", "Priya Shah",
            False, 98.5, "user", {"HR": 1.0, "Finance": 0.3, "Executive": 0.2}),
    Service("CRM", "Industry",
            "Accounts, opportunities and quotes for the sales team", "Elena Novak", False,
            99.5, "seat",
            {"Sales": 0.8, "Marketing": 0.12, "Executive": 0.2, "Customer Service": 0.05}),
    Service("Inventory Management", "Industry",
            "Stock levels, warehouse picking and replenishment", "Tom Becker", False, 99.5,
            "user",
            {"Operations": 0.5, "Finance": 0.2, "Customer Service": 0.15, "Sales": 0.05}),
    Service("Website Sales", "Industry",
            "The online shop where customers browse, order and pay", "Elena Novak", True,
            99.9, "user",
            {"Marketing": 0.6, "Sales": 0.15, "Customer Service": 0.15, "Operations": 0.05}),
    Service("Desktop & User Support", "Professional",
            "Laptops, service desk and hands-on help for every employee", "Dana Reyes", False,
            99.0, "user", EVERYONE),
    Service("Telecom & Networking", "Business",
            "Office and warehouse network, Wi-Fi, internet and remote access", "Marcus Lee",
            False, 99.9, "user", EVERYONE),
    Service("Procurement & Billing", "Industry",
            "Purchase orders, supplier invoices and customer billing", "Tom Becker", False,
            99.0, "user",
            {"Finance": 0.8, "Operations": 0.3, "Sales": 0.1, "Customer Service": 0.15}),
    Service("Program & Consulting", "Professional",
            "Project management and business analysis for change in the business",
            "Aisha Bello", False, None, "user",
            {"Executive": 0.5, "Finance": 0.3, "Marketing": 0.2, "HR": 0.2, "Operations": 0.1,
             "Sales": 0.1, "Customer Service": 0.05}, usage_wobble=0.15),
]
SERVICE_NAMES = [s.name for s in SERVICES]


def headcount_by_unit(rng: np.random.Generator) -> pd.DataFrame:
    """Headcount per quarter and business unit: long form (quarter, business_unit, headcount)."""
    growth = (1 + HEADCOUNT_GROWTH + rng.normal(0, 0.004, len(QUARTERS))).cumprod()
    totals = np.round(STARTING_HEADCOUNT * growth / growth[0]).astype(int)
    shares = np.array(list(BUSINESS_UNIT_SHARES.values()))
    exact = totals[:, None] * shares[None, :]
    # Largest-remainder rounding so the units add up to the company headcount exactly.
    counts = np.floor(exact).astype(int)
    shortfall = totals - counts.sum(axis=1)
    order = np.argsort(-(exact - counts), axis=1, kind="stable")
    ranks = np.argsort(order, axis=1, kind="stable")
    counts += ranks < shortfall[:, None]
    return pd.DataFrame({
        "quarter": np.repeat(QUARTERS, len(BUSINESS_UNITS)),
        "business_unit": np.tile(BUSINESS_UNITS, len(QUARTERS)),
        "headcount": counts.ravel(),
    })


def make_usage(rng: np.random.Generator, headcount: pd.DataFrame) -> pd.DataFrame:
    shares = pd.DataFrame(
        [(s.name, unit, share, s.usage_wobble)
         for s in SERVICES for unit, share in s.usage_shares.items()],
        columns=["service", "business_unit", "share", "wobble"],
    )
    usage = headcount.merge(shares, on="business_unit")
    wobble = 1 + usage["wobble"] * rng.standard_normal(len(usage))
    users = np.maximum(1, np.round(usage["headcount"] * usage["share"] * wobble))
    extras = {s.name: s.extra_users for s in SERVICES}
    users += np.where(usage["business_unit"] == "Customer Service",
                      usage["service"].map(extras), 0)
    usage["users"] = users.astype(int)
    usage["service"] = pd.Categorical(usage["service"], SERVICE_NAMES, ordered=True)
    usage["business_unit"] = pd.Categorical(usage["business_unit"], BUSINESS_UNITS,
                                            ordered=True)
    usage = usage.sort_values(["quarter", "service", "business_unit"])
    return usage[["quarter", "service", "business_unit", "users"]].astype(
        {"service": str, "business_unit": str}).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Blocks of support hours, market offers, allocation rules, local work types
# --------------------------------------------------------------------------------------

PARTNER = "Harbor Point IT Services"
PARTNER_TECHNICIANS = ["Lee Park (Harbor Point)", "Riley Santos (Harbor Point)"]

BLOCKS = pd.DataFrame([
    ("2025-26 support block", 1200, dt.datetime(2025, 7, 1), dt.datetime(2026, 6, 30),
     114_000.00, PARTNER),
    ("2026-27 support block", 1000, dt.datetime(2026, 7, 1), dt.datetime(2027, 6, 30),
     98_000.00, PARTNER),
], columns=["block", "purchased_hours", "start", "end", "price", "vendor"])

# Partner hours to be logged against the active block, per quarter: the first block ends
# almost used up; a firmware refresh rollout burns half of the second in its first quarter.
PARTNER_HOURS_TARGET = {"2025-Q3": 280, "2025-Q4": 290, "2026-Q1": 275, "2026-Q2": 285,
                        "2026-Q3": 500}

# The quarters (of the data) each block covers; a block runs whole quarters here.
QUARTERS_OF_BLOCK = {
    block.block: tuple(q for q, p in zip(QUARTERS, PERIODS, strict=True)
                       if block.start <= p.start_time and p.end_time.normalize() <= block.end)
    for block in BLOCKS.itertuples()
}
BLOCK_OF_QUARTER = {q: block for block, quarters in QUARTERS_OF_BLOCK.items() for q in quarters}
assert set(PARTNER_HOURS_TARGET) <= set(BLOCK_OF_QUARTER), "the partner works only in a block"

ALLOCATION_RULES = pd.DataFrame([
    ("Network split", "Telecom & Networking", 60),
    ("Network split", "Telecommunications", 25),
    ("Network split", "Website Sales", 15),
], columns=["rule", "service", "percent"])

LOCAL_WORK_TYPES = pd.DataFrame([
    ("Firmware refresh", "proactive"),
    ("Printer jam", "reactive"),
], columns=["work_type", "class"])

PRICE_CHECKED = dt.datetime(2026, 9, 30)
MARKET = pd.DataFrame([
    ("Email & Productivity", "Cloud email & productivity suite", 15.00, None, 1, 300, 99.0,
     25, "Phone, 1-hour response", "Email, calendar, office apps, chat, 25 GB mailbox",
     "Provider's published price list", PRICE_CHECKED),
    ("Email & Productivity", "Cloud email & productivity suite (Enterprise)", 22.00, None, 1,
     5000, 99.9, 100, "Phone 24x7, 30-minute response",
     "Everything in the standard suite, 100 GB mailbox, archiving, advanced security",
     "Provider's published price list", PRICE_CHECKED),
    ("CRM", "Cloud CRM (Enterprise)", 125.00, None, 1, 10000, 99.9, 10,
     "Phone 24x7, 1-hour response", "Accounts, opportunities, quotes, forecasting, API access",
     "Reseller quote NW-Q-2026-031", dt.datetime(2026, 8, 12)),
    ("CRM", "Cloud CRM (Professional)", 80.00, None, 1, 100, 99.5, 2,
     "Email, next business day", "Accounts, opportunities and quotes; no custom objects",
     "Provider's published price list", dt.datetime(2026, 8, 12)),
    ("Payroll", "Managed payroll service", 9.50, None, 25, 1000, 99.5, None,
     "Email, 4-hour response", "Payroll runs, tax filings, year-end forms, payslip portal",
     "Reseller quote NW-Q-2026-027", dt.datetime(2026, 6, 18)),
    ("Accounting", "Cloud accounting & financials", None, 4200.00, 1, 100, 99.5, None,
     "Email, next business day", "Ledger, payables, receivables, consolidation, reporting",
     "Provider's published price list (annual billing)", dt.datetime(2026, 7, 2)),
    ("Desktop & User Support", "Managed service desk (24x7)", 110.00, None, 50, 2000, 99.0,
     None, "Phone 24x7, 15-minute response",
     "Service desk, remote support, device management, 4 onsite days a month; devices "
     "not included", "Managed-service tender, shortlist average", dt.datetime(2026, 9, 5)),
    ("Desktop & User Support", "Managed service desk (business hours)", 95.00, None, 25, 500,
     99.0, None, "Phone 8-18 weekdays, 1-hour response",
     "Service desk, remote support, device management; onsite visits billed extra",
     "Managed-service tender, shortlist average", dt.datetime(2026, 9, 5)),
    ("Telecommunications", "Cloud phone system with mobile plans", 52.00, None, 1, 1000,
     99.99, None, "Phone 24x7, 1-hour response",
     "Calling, contact-centre lines, conferencing, mobile plan with unlimited calls and data",
     "Provider's published price list", dt.datetime(2026, 7, 20)),
    # Priced per staff account like the internal service: the platform fee, its revenue
    # share at current online sales and an agency development team, ÷ 40 staff accounts.
    ("Website Sales", "Managed e-commerce platform with agency development", 1250.00, None,
     10, 100, 99.99, 500, "Phone 24x7, 1-hour response",
     "Storefront, hosting, CDN, payments, PCI compliance, 3 agency developers",
     "Provider and agency quotes ÷ 40 staff accounts", dt.datetime(2026, 9, 14)),
    ("Inventory Management", "Cloud inventory & warehouse management", 190.00, None, 10, 500,
     99.5, None, "Email, 4-hour response", "Stock, picking, replenishment, barcode apps",
     "Provider's published price list", dt.datetime(2026, 6, 30)),
], columns=["service", "offer", "price_per_user_month", "price_per_user_year", "min_users",
            "max_users", "availability", "storage_gb", "support", "includes", "source",
            "as_of"])

# --------------------------------------------------------------------------------------
# The ledger
# --------------------------------------------------------------------------------------

SHARED = "Shared"  # written in the service column; SHARED_BLANK lines leave it empty
SHARED_BLANK = None


@dataclass(frozen=True)
class CostLine:
    """One recurring ledger line. Its amount in quarter i is
    (per_quarter, or per_user_month × 3 × the service's users) × (1 + growth)^i, wobbled."""

    service: str | None
    cost_pool: str
    note: str
    per_quarter: float = 0.0
    per_user_month: float = 0.0
    growth: float = 0.0
    noise: float = 0.03  # relative spread quarter to quarter; salaries barely move
    comparable: bool = True
    allocate_by: str | None = None
    business_unit: str | None = None
    quarters: tuple[str, ...] | None = None  # only these quarters (one-offs, contracts)


def block_cost_lines() -> list[CostLine]:
    """The partner's time: time and materials before the first block, then a quarter of each
    block's price in each quarter it covers."""
    first_start = BLOCKS["start"].min()
    before_blocks = tuple(q for q, p in zip(QUARTERS, PERIODS, strict=True)
                          if p.end_time < first_start)
    lines = [CostLine("Desktop & User Support", "External Labor",
                      f"{PARTNER}, time and materials", per_quarter=18_500, noise=0.12,
                      quarters=before_blocks)]
    for block in BLOCKS.itertuples():
        lines.append(CostLine("Desktop & User Support", "External Labor",
                              f"{block.block}, quarterly share of ${block.price:,.0f}",
                              per_quarter=block.price / 4, noise=0.0,
                              quarters=QUARTERS_OF_BLOCK[block.block]))
    return lines


COST_LINES = [
    # Email: volume licences scale with mailboxes; storage above the 25 GB standard quota is
    # not part of what a cloud suite's price buys, so it stays out of the comparison.
    CostLine("Email & Productivity", "Software", "Email & office suite volume licences",
             per_user_month=3.10),
    CostLine("Email & Productivity", "Hardware", "Mail servers & storage amortisation",
             per_quarter=800, noise=0.0),
    CostLine("Email & Productivity", "Internal Labor", "Messaging administrator, 5% FTE",
             per_quarter=1_450, growth=0.008, noise=0.01),
    CostLine("Email & Productivity", "Outside Services",
             "Archive storage above the 25 GB standard quota", per_quarter=420, growth=0.04,
             comparable=False),
    CostLine("Telecommunications", "Telecom", "Mobile plans & SIP trunks", per_user_month=14.0),
    CostLine("Telecommunications", "Software", "Phone system licences", per_user_month=4.0,
             noise=0.0),
    CostLine("Telecommunications", "Hardware", "Desk phones & headsets", per_quarter=1_800,
             noise=0.2),
    CostLine("Telecommunications", "Internal Labor", "Telephony administration, 10% FTE",
             per_quarter=3_200, growth=0.008, noise=0.01),
    CostLine("Telecommunications", "Telecom", "Carrier credit for the May outage (SLA breach)",
             per_quarter=-1_850, noise=0.0, quarters=("2025-Q3",)),
    CostLine("Payroll", "Software", "Payroll software licence & support", per_quarter=7_800,
             growth=0.01),
    CostLine("Payroll", "Internal Labor", "Payroll system administration, 20% FTE",
             per_quarter=5_600, growth=0.008, noise=0.01),
    CostLine("Payroll", "Outside Services", "Tax filing & payslip printing service",
             per_user_month=2.50),
    CostLine("Accounting", "Software", "Accounting suite licences", per_user_month=95.0,
             noise=0.0),
    CostLine("Accounting", "Internal Labor", "Finance systems analyst, 30% FTE",
             per_quarter=9_000, growth=0.008, noise=0.01),
    CostLine("Accounting", "Hardware", "Database server amortisation", per_quarter=1_500,
             noise=0.0),
    CostLine("Accounting", "Software", "Financial reporting add-on", per_quarter=3_400,
             growth=0.01),
    CostLine("Accounting", "External Labor", "Year-end close consultant", per_quarter=6_500,
             noise=0.15, quarters=("2024-Q4", "2025-Q1", "2025-Q4", "2026-Q1")),
    CostLine("Benefits Management", "Software", "Benefits administration software",
             per_quarter=4_200, growth=0.01),
    CostLine("Benefits Management", "Internal Labor", "HRIS analyst, 8% FTE", per_quarter=2_400,
             growth=0.008, noise=0.01),
    CostLine("Benefits Management", "Outside Services", "Benefits carrier data feeds",
             per_quarter=1_200),
    CostLine("CRM", "Software", "CRM licences & support", per_user_month=55.0, noise=0.0,
             business_unit="Sales"),
    CostLine("CRM", "Internal Labor", "CRM administrator, 25% FTE", per_quarter=7_500,
             growth=0.008, noise=0.01),
    CostLine("CRM", "Outside Services", "CRM hosting", per_quarter=1_600, growth=0.01),
    CostLine("CRM", "External Labor", "CRM upgrade consultant", per_quarter=9_800, noise=0.0,
             quarters=("2025-Q2",)),
    CostLine("Inventory Management", "Software", "Warehouse management licences",
             per_quarter=17_500, growth=0.01),
    CostLine("Inventory Management", "Internal Labor", "ERP analyst, 1 FTE", per_quarter=29_000,
             growth=0.008, noise=0.01),
    CostLine("Inventory Management", "Hardware", "Barcode scanners & label printers",
             per_quarter=4_200, noise=0.25),
    CostLine("Inventory Management", "Outside Services", "Application hosting",
             per_quarter=2_300),
    CostLine("Website Sales", "Internal Labor", "Web developers, 3 FTE", per_quarter=81_000,
             growth=0.008, noise=0.01),
    CostLine("Website Sales", "Outside Services", "Cloud hosting & CDN", per_quarter=19_500,
             growth=0.03, noise=0.06),
    CostLine("Website Sales", "Software", "E-commerce platform licence & payment plug-ins",
             per_quarter=8_400, growth=0.01),
    CostLine("Website Sales", "Outside Services", "Payment gateway & fraud screening",
             per_quarter=9_000, growth=0.025, noise=0.08),
    CostLine("Website Sales", "External Labor", "Design agency retainer", per_quarter=12_000,
             noise=0.1, business_unit="Marketing"),
    CostLine("Desktop & User Support", "Internal Labor", "Service desk analysts, 2.5 FTE",
             per_quarter=68_000, growth=0.008, noise=0.01),
    # Laptops are bought outright; a managed service desk's price excludes devices.
    CostLine("Desktop & User Support", "Hardware", "Laptop & monitor refresh (bought outright)",
             per_user_month=34.0, noise=0.15, comparable=False),
    CostLine("Desktop & User Support", "Software", "Endpoint management & remote support tools",
             per_user_month=6.0, noise=0.0),
    *block_cost_lines(),
    CostLine("Telecom & Networking", "Internal Labor", "Network engineer, 1 FTE",
             per_quarter=29_500, growth=0.008, noise=0.01),
    CostLine("Telecom & Networking", "Hardware", "Switches, Wi-Fi & firewalls amortisation",
             per_quarter=9_500, noise=0.0),
    CostLine("Telecom & Networking", "Software", "Firewall & Wi-Fi subscriptions",
             per_quarter=4_800, growth=0.01),
    # Links that only serve internal sites have no counterpart in a managed-network offer.
    CostLine("Telecom & Networking", "Telecom", "Internal-only warehouse & lab links",
             per_quarter=2_600, comparable=False),
    CostLine("Procurement & Billing", "Software", "Procurement & billing module licences",
             per_quarter=6_800, growth=0.01),
    CostLine("Procurement & Billing", "Internal Labor", "Business systems analyst, 25% FTE",
             per_quarter=7_300, growth=0.008, noise=0.01),
    CostLine("Procurement & Billing", "Outside Services", "E-invoicing network fees",
             per_quarter=2_100, growth=0.02, noise=0.08),
    CostLine("Program & Consulting", "Internal Labor", "Project manager & business analyst, 2 FTE",
             per_quarter=58_000, growth=0.008, noise=0.01),
    CostLine("Program & Consulting", "External Labor", "Specialist consultants",
             per_quarter=24_000, noise=0.3),
    CostLine("Program & Consulting", "Software", "Project portfolio tool", per_quarter=1_900),
    # Shared lines, one per allocation method.
    CostLine(SHARED, "Internal Labor", "IT leadership & administration", per_quarter=64_000,
             growth=0.008, noise=0.01, allocate_by="cost"),
    CostLine(SHARED, "Internal Labor", "Infrastructure & systems engineers, 2 FTE",
             per_quarter=56_000, growth=0.008, noise=0.01, allocate_by="cost"),
    CostLine(SHARED, "Outside Services", "Cloud infrastructure (IaaS) & backup",
             per_quarter=26_000, growth=0.02, noise=0.05, allocate_by="cost"),
    CostLine(SHARED_BLANK, "Outside Services", "Managed security monitoring (SOC)",
             per_quarter=14_500, growth=0.01, allocate_by="cost"),
    CostLine(SHARED, "Software", "Security suite: endpoint, identity, email filtering",
             per_quarter=10_000, growth=0.02, noise=0.02, allocate_by="users"),
    CostLine(SHARED_BLANK, "Facilities & Power", "Colocation rack space & power",
             per_quarter=9_500, growth=0.01, noise=0.02, allocate_by="even"),
    CostLine(SHARED, "Telecom", "Internet & WAN circuits", per_quarter=17_500, noise=0.02,
             allocate_by="Network split"),
    CostLine(SHARED, "Software", "Service desk (ITSM) platform", per_quarter=7_200, growth=0.01,
             noise=0.0, allocate_by="tickets"),
    CostLine(SHARED_BLANK, "Internal Labor", "After-hours on-call allowance",
             per_quarter=7_000, noise=0.1, allocate_by="hours"),
]


def make_costs(rng: np.random.Generator, usage: pd.DataFrame) -> pd.DataFrame:
    users = usage.groupby(["service", "quarter"])["users"].sum()
    quarter_index = np.arange(len(QUARTERS))
    rows = []
    for line in COST_LINES:
        wobble = 1 + line.noise * rng.standard_normal(len(QUARTERS))
        if line.per_user_month:
            base = line.per_user_month * 3 * users.loc[line.service].reindex(QUARTERS).to_numpy()
        else:
            base = np.full(len(QUARTERS), line.per_quarter)
        amounts = np.round(base * (1 + line.growth) ** quarter_index * wobble, 2)
        for quarter, amount in zip(QUARTERS, amounts, strict=True):
            if line.quarters is None or quarter in line.quarters:
                rows.append((quarter, line.service, line.cost_pool, amount,
                             "yes" if line.comparable else "no", line.allocate_by,
                             line.business_unit, line.note))
    costs = pd.DataFrame(rows, columns=["quarter", "service", "cost_pool", "amount",
                                        "comparable", "allocate_by", "business_unit", "note"])
    return costs.sort_values("quarter", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Value surveys
# --------------------------------------------------------------------------------------

# service: (business value, satisfaction at the start, satisfaction change per quarter,
#           share of users who answer). Chosen so services land in all four quadrants.
VALUE_PROFILE = {
    "Email & Productivity": (4.5, 4.1, 0.00, 0.30),
    "Telecommunications": (3.4, 3.6, 0.00, 0.25),
    "Payroll": (4.3, 4.0, 0.01, 0.20),
    "Accounting": (3.6, 3.4, 0.00, 0.60),
    "Benefits Management": (2.7, 3.2, 0.00, 0.50),
    "CRM": (4.4, 3.3, 0.02, 0.55),
    "Inventory Management": (2.9, 2.8, 0.02, 0.45),
    "Website Sales": (4.8, 3.9, 0.01, 0.60),
    "Desktop & User Support": (4.2, 3.2, 0.09, 0.30),
    "Telecom & Networking": (4.0, 3.9, 0.00, 0.20),
    "Procurement & Billing": (2.6, 3.0, 0.00, 0.50),
    "Program & Consulting": (2.5, 2.9, 0.01, 0.60),
}


def make_value(rng: np.random.Generator, usage: pd.DataFrame) -> pd.DataFrame:
    value = usage.groupby(["quarter", "service"], as_index=False)["users"].sum()
    profile = pd.DataFrame.from_dict(
        VALUE_PROFILE, orient="index",
        columns=["value_base", "satisfaction_base", "satisfaction_trend", "response_rate"])
    value = value.join(profile, on="service")
    quarter_index = value["quarter"].map({q: i for i, q in enumerate(QUARTERS)})
    n = len(value)
    value["business_value"] = np.clip(value["value_base"] + rng.normal(0, 0.12, n), 1, 5)
    value["satisfaction"] = np.clip(
        value["satisfaction_base"] + value["satisfaction_trend"] * quarter_index
        + rng.normal(0, 0.1, n), 1, 5)
    value["respondents"] = np.maximum(
        3, np.round(value["users"] * value["response_rate"] * rng.uniform(0.8, 1.2, n)))
    value[["business_value", "satisfaction"]] = value[["business_value", "satisfaction"]].round(1)
    value["service"] = pd.Categorical(value["service"], SERVICE_NAMES, ordered=True)
    value = value.sort_values(["quarter", "service"]).astype({"service": str})
    return value[["quarter", "service", "business_value", "satisfaction",
                  "respondents"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Support tickets
# --------------------------------------------------------------------------------------

CLASSES = ["reactive", "proactive", "routine"]

# work type: (class, weight within its class, median hours, log-normal spread)
WORK_TYPES = {
    "incident": ("reactive", 0.63, 0.9, 0.7),
    "break/fix": ("reactive", 0.25, 1.5, 0.6),
    "outage": ("reactive", 0.02, 3.5, 0.5),
    "Printer jam": ("reactive", 0.08, 0.5, 0.5),
    "problem": ("proactive", 0.12, 3.0, 0.6),
    "change": ("proactive", 0.25, 1.5, 0.6),
    "improvement": ("proactive", 0.12, 3.5, 0.6),
    "patching": ("proactive", 0.18, 1.5, 0.5),
    "upgrade": ("proactive", 0.10, 3.0, 0.6),
    "training": ("proactive", 0.06, 2.0, 0.5),
    "health check": ("proactive", 0.07, 1.5, 0.4),
    "project": ("proactive", 0.10, 5.0, 0.5),
    "Firmware refresh": ("proactive", 0.0, 1.0, 0.4),  # weight set per quarter below
    "service request": ("routine", 0.35, 0.5, 0.6),
    "password reset": ("routine", 0.30, 0.25, 0.3),
    "access request": ("routine", 0.20, 0.5, 0.5),
    "onboarding": ("routine", 0.15, 2.0, 0.4),
}
WORK_TYPE_TABLE = pd.DataFrame.from_dict(WORK_TYPES, orient="index",
                                         columns=["class", "weight", "median", "spread"])
# The firmware refresh rollout starts late in 2026-Q2 and is the partner's main job in 2026-Q3.
FIRMWARE_REFRESH_WEIGHT = {"2026-Q2": 0.08, "2026-Q3": 0.45}
# Work IT starts itself has no requesting business unit and no one to survey.
IT_INITIATED = {"patching", "health check", "upgrade", "problem", "Firmware refresh"}
MIN_HOURS, MAX_HOURS = 0.25, 8.0

TICKETS_PER_HEAD = 3.4  # per quarter
ROUTINE_SHARE = (0.17, 0.23)  # of tickets, drawn per quarter
PROACTIVE_HOURS_SHARE = (0.25, 0.55)  # first and last quarter, linear in between

# Which service the work is for, per class (columns in SERVICE_NAMES order).
SERVICE_WEIGHTS = {
    "reactive": [9, 6, 2, 3, 2, 6, 6, 6, 40, 10, 4, 3],
    "proactive": [5, 5, 3, 4, 2, 7, 7, 10, 22, 16, 4, 12],
    "routine": [12, 4, 4, 5, 3, 6, 4, 3, 50, 2, 4, 0],
}
# More tickets per head from executives and the phone-heavy units.
TICKETS_PER_HEAD_FACTOR = {"Operations": 0.9, "Customer Service": 1.1, "Sales": 1.2,
                           "Marketing": 1.0, "Finance": 0.9, "HR": 0.9, "Executive": 2.0}
CHANNELS = ["onsite", "phone", "remote", "email", "self-service"]
CHANNEL_WEIGHTS = {
    "reactive": [10, 35, 15, 25, 15],
    "proactive": [35, 0, 50, 15, 0],
    "routine": [5, 15, 5, 25, 50],
}
# Probability of impact / urgency 1 (high), 2, 3 (low), per class.
IMPACT_WEIGHTS = {"reactive": [12, 38, 50], "proactive": [3, 27, 70], "routine": [0, 10, 90]}
URGENCY_WEIGHTS = {"reactive": [15, 45, 40], "proactive": [2, 18, 80], "routine": [5, 45, 50]}
OUTAGE_IMPACT_WEIGHTS = [70, 30, 0]
# ServiceNow's default priority matrix: PRIORITY_MATRIX[impact - 1, urgency - 1].
PRIORITY_MATRIX = np.array([[1, 2, 3], [2, 3, 4], [3, 4, 5]])
EXECUTIVE_BUMP_RATE = 0.45  # executives' tickets recorded one priority level higher
DEFAULT_PRIORITY_RATE = 0.02  # tickets left at the form's default "3"
# Median hours from opened to resolved, per priority 1-5 (elapsed, not worked).
RESOLUTION_MEDIAN_HOURS = np.array([3.0, 8.0, 26.0, 60.0, 150.0])

INTERNAL_TECHNICIANS = ["Alex Kim", "Jordan Patel", "Sam Rivera", "Morgan Chen",
                        "Taylor Brooks", "Casey Nguyen"]
TECHNICIAN_WEIGHTS = {  # service desk analysts take the calls; engineers the planned work
    "reactive": [30, 30, 25, 5, 5, 5],
    "proactive": [5, 10, 5, 30, 30, 20],
    "routine": [35, 30, 30, 0, 0, 5],
}
# Relative chance the partner takes a ticket: planned work and site visits go to them.
PARTNER_AFFINITY = {"proactive": 1.0, "reactive": 0.25, "routine": 0.1}
PARTNER_ONSITE_AFFINITY = 0.8
PARTNER_FIRMWARE_AFFINITY = 3.0


def draw_rows(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One category index per row, each row with its own weights (shape rows × categories)."""
    cumulative = weights.cumsum(axis=1)
    u = rng.random(len(weights)) * cumulative[:, -1]
    return (u[:, None] >= cumulative).sum(axis=1)


def draw_by_class(rng, work_class: np.ndarray, weights: dict[str, list[float]]) -> np.ndarray:
    table = np.array([weights[c] for c in CLASSES], dtype=float)
    return draw_rows(rng, table[work_class])


def expected_hours(median: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """Mean of the clipped, log-normal hours per work type (Gauss-Hermite quadrature), so
    ticket counts can be set to hit the intended proactive share of hours."""
    z, w = np.polynomial.hermite_e.hermegauss(60)
    hours = np.clip(median[:, None] * np.exp(spread[:, None] * z[None, :]), MIN_HOURS, MAX_HOURS)
    return hours @ (w / w.sum())


def work_type_weights() -> np.ndarray:
    """Weights of each work type per (quarter, class): shape quarters × classes × types."""
    types = WORK_TYPE_TABLE
    weights = np.zeros((len(QUARTERS), len(CLASSES), len(types)))
    for c, name in enumerate(CLASSES):
        weights[:, c, :] = np.where(types["class"] == name, types["weight"], 0.0)
    firmware = types.index.get_loc("Firmware refresh")
    for q, quarter in enumerate(QUARTERS):
        weights[q, CLASSES.index("proactive"), firmware] = FIRMWARE_REFRESH_WEIGHT.get(quarter, 0)
    return weights


def tickets_per_class(rng, headcount: pd.DataFrame, type_weights: np.ndarray) -> np.ndarray:
    """Ticket counts per quarter and class (quarters × classes): routine is a share of all
    tickets; reactive and proactive split so proactive hours hit the target share."""
    mean_hours_by_type = expected_hours(WORK_TYPE_TABLE["median"].to_numpy(),
                                        WORK_TYPE_TABLE["spread"].to_numpy())
    mean_hours = (type_weights @ mean_hours_by_type) / type_weights.sum(axis=2)
    reactive_hours = mean_hours[:, CLASSES.index("reactive")]
    proactive_hours = mean_hours[:, CLASSES.index("proactive")]

    company = headcount.groupby("quarter")["headcount"].sum().reindex(QUARTERS).to_numpy()
    total = np.round(company * TICKETS_PER_HEAD * (1 + rng.normal(0, 0.03, len(QUARTERS))))
    routine = np.round(total * rng.uniform(*ROUTINE_SHARE, len(QUARTERS)))
    target = np.linspace(*PROACTIVE_HOURS_SHARE, len(QUARTERS)) + rng.normal(0, 0.012,
                                                                             len(QUARTERS))
    # share = p·hp / (p·hp + r·hr)  ⇒  p / r = share / (1 − share) · hr / hp
    ratio = target / (1 - target) * reactive_hours / proactive_hours
    reactive = np.round((total - routine) / (1 + ratio))
    proactive = total - routine - reactive
    return np.column_stack([reactive, proactive, routine]).astype(int)


def opened_times(rng, quarter_of_row: np.ndarray, work_type: np.ndarray) -> np.ndarray:
    """Opened datetimes: mostly weekdays between 7:00 and 19:00, busiest mid-morning;
    patching in evening windows."""
    days = pd.date_range(PERIODS[0].start_time, DATA_END.normalize(), freq="D")
    day_weight = np.where(days.day_of_week < 5, 1.0, 0.08)
    day_quarter = np.searchsorted([p.end_time for p in PERIODS], days)
    # Cumulative weight within each quarter, offset by the quarter number, so one uniform
    # draw of quarter + U(0, 1) lands on a day of that quarter.
    within = pd.Series(day_weight).groupby(day_quarter).transform(
        lambda w: w.cumsum() / w.sum()).to_numpy()
    day = np.searchsorted(day_quarter + within, quarter_of_row + rng.random(len(quarter_of_row)))
    hour = np.where(work_type == "patching", rng.uniform(18, 22, len(day)),
                    7 + 12 * rng.beta(2.0, 3.2, len(day)))
    minutes = np.round(hour * 60).astype("timedelta64[m]")
    return days.to_numpy()[day] + minutes


def make_support(rng: np.random.Generator, headcount: pd.DataFrame) -> pd.DataFrame:
    type_names = WORK_TYPE_TABLE.index.to_numpy()
    type_median = WORK_TYPE_TABLE["median"].to_numpy()
    type_spread = WORK_TYPE_TABLE["spread"].to_numpy()
    type_weights = work_type_weights()

    counts = tickets_per_class(rng, headcount, type_weights)
    quarter = np.repeat(np.repeat(np.arange(len(QUARTERS)), len(CLASSES)), counts.ravel())
    work_class = np.repeat(np.tile(np.arange(len(CLASSES)), len(QUARTERS)), counts.ravel())
    n = len(quarter)

    type_index = draw_rows(rng, type_weights[quarter, work_class])
    work_type = type_names[type_index]
    raw_hours = type_median[type_index] * np.exp(type_spread[type_index] * rng.standard_normal(n))
    hours = np.clip(np.round(raw_hours * 4) / 4, MIN_HOURS, MAX_HOURS)

    service = np.array(SERVICE_NAMES)[draw_by_class(rng, work_class, SERVICE_WEIGHTS)]
    unit_weights = np.array([BUSINESS_UNIT_SHARES[u] * TICKETS_PER_HEAD_FACTOR[u]
                             for u in BUSINESS_UNITS])
    business_unit = np.array(BUSINESS_UNITS, dtype=object)[
        draw_rows(rng, np.broadcast_to(unit_weights, (n, len(BUSINESS_UNITS))))]
    it_initiated = np.isin(work_type, list(IT_INITIATED))
    business_unit[it_initiated] = None
    channel = np.array(CHANNELS)[draw_by_class(rng, work_class, CHANNEL_WEIGHTS)]

    impact = draw_by_class(rng, work_class, IMPACT_WEIGHTS) + 1
    outage = work_type == "outage"
    impact[outage] = draw_rows(
        rng, np.broadcast_to(np.array(OUTAGE_IMPACT_WEIGHTS, float), (outage.sum(), 3))) + 1
    urgency = draw_by_class(rng, work_class, URGENCY_WEIGHTS) + 1
    matrix_priority = PRIORITY_MATRIX[impact - 1, urgency - 1]
    # Recorded priority keeps two habits the matrix check should surface.
    bumped = (business_unit == "Executive") & (rng.random(n) < EXECUTIVE_BUMP_RATE)
    priority = np.where(bumped, np.maximum(1, matrix_priority - 1), matrix_priority)
    priority = np.where(rng.random(n) < DEFAULT_PRIORITY_RATE, 3, priority)

    opened = opened_times(rng, quarter, work_type)
    # Resolution speeds up a little as the work turns proactive.
    speed_up = 1 - 0.03 * quarter
    elapsed = (RESOLUTION_MEDIAN_HOURS[priority - 1] * speed_up
               * np.exp(0.8 * rng.standard_normal(n))
               * np.where(work_type == "project", 2.0, 1.0))
    elapsed = np.maximum(elapsed, hours * 1.1 + 0.1)
    resolved = opened + np.round(elapsed * 60).astype("timedelta64[m]")
    resolved = np.where(resolved > DATA_END.to_datetime64(), np.datetime64("NaT"), resolved)

    # The partner's technicians work only inside a block, and log against it.
    quarter_label = np.array(QUARTERS)[quarter]
    affinity = np.array([PARTNER_AFFINITY[c] for c in CLASSES])[work_class]
    affinity = np.where((channel == "onsite") & (work_class == 0), PARTNER_ONSITE_AFFINITY,
                        affinity)
    affinity = np.where(work_type == "Firmware refresh", PARTNER_FIRMWARE_AFFINITY, affinity)
    target = pd.Series(quarter_label).map(PARTNER_HOURS_TARGET).fillna(0).to_numpy()
    weighted_hours = pd.Series(affinity * hours).groupby(quarter).transform("sum").to_numpy()
    by_partner = rng.random(n) < np.clip(target * affinity / weighted_hours, 0, 1)

    block = np.where(by_partner, pd.Series(quarter_label).map(BLOCK_OF_QUARTER), None)
    internal = np.array(INTERNAL_TECHNICIANS)[draw_by_class(rng, work_class,
                                                            TECHNICIAN_WEIGHTS)]
    partner = np.array(PARTNER_TECHNICIANS)[rng.integers(0, len(PARTNER_TECHNICIANS), n)]
    technician = np.where(by_partner, partner, internal)

    # About a third of requesters answer the survey; slow tickets score lower.
    answered = (~it_initiated) & ~np.isnat(resolved) & (rng.random(n) < 0.33)
    mood = (4.0 + 0.05 * quarter - 0.4 * (elapsed > 72) + 0.2 * (work_class == 2)
            + 0.8 * rng.standard_normal(n))
    satisfaction = np.where(answered, np.clip(np.round(mood), 1, 5), np.nan)

    support = pd.DataFrame({
        "opened": opened, "resolved": resolved, "hours": hours, "work_type": work_type,
        "service": service, "business_unit": business_unit, "channel": channel,
        "impact": impact, "urgency": urgency, "priority": priority, "block": block,
        "satisfaction": satisfaction, "technician": technician,
    }).sort_values("opened", kind="stable").reset_index(drop=True)
    support.insert(0, "ticket", [f"NW-{i:06d}" for i in range(1, n + 1)])
    return support


# --------------------------------------------------------------------------------------
# Writing the workbooks
# --------------------------------------------------------------------------------------

MAX_COLUMN_WIDTH = 60


# Excel number formats per schema kind: (whole-number columns, columns with fractions).
NUMBER_FORMATS = {
    "money": ("#,##0.00;[Red]-#,##0.00",) * 2,  # credits in red
    "price": ("#,##0.00",) * 2,
    "count": ("#,##0", "#,##0.00"),
    "score": ("0", "0.0"),
    "rating": ("0", "0.0"),
    "percent": ("0.0#",) * 2,
    "level": ("0",) * 2,
    "priority": ("0",) * 2,
}
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"


def number_format(kind: str, values: pd.Series) -> str | None:
    """Excel number format for a column of a schema kind: no decimals for whole numbers, and
    a time of day only for dates that have one."""
    if kind == "date":
        times = pd.to_datetime(values).dropna()
        return DATE_FORMAT if (times == times.dt.normalize()).all() else DATETIME_FORMAT
    if kind not in NUMBER_FORMATS:
        return None
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    whole_format, fraction_format = NUMBER_FORMATS[kind]
    return whole_format if (numbers == numbers.round()).all() else fraction_format


def write_sheet(wb: Workbook, sheet_key: str, frame: pd.DataFrame) -> None:
    """Write a frame as the schema's sheet: its title, canonical headers in schema order."""
    sheet = SHEETS_BY_KEY[sheet_key]
    unknown = set(frame.columns) - set(sheet.column_names)
    assert not unknown, f"{sheet.title}: not in the schema: {unknown}"
    columns = [c for c in sheet.columns if c.name in frame.columns]
    frame = frame[[c.name for c in columns]]

    ws = wb.create_sheet(sheet.title)
    ws.append([c.name for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    cells = frame.astype(object).where(frame.notna(), None)
    for row in cells.itertuples(index=False, name=None):
        ws.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row])

    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        fmt = number_format(column.kind, frame[column.name])
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
        if column.kind == "date":
            width = max(len(column.name), len(fmt))  # a date is as wide as its format
        else:
            width = max(len(column.name), int(frame[column.name].astype(str).str.len().max()))
        ws.column_dimensions[letter].width = min(width + 2, MAX_COLUMN_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry FIXED_TIMESTAMP, so the file's bytes do not depend on
    when it was written. openpyxl adds parts both as strings and from temporary files."""

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            name.compress_type = zipfile.ZIP_DEFLATED
            name.external_attr = 0o600 << 16  # what ZipFile gives a part written by name
        super().writestr(name, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        self.writestr(arcname or Path(filename).name, Path(filename).read_bytes(),
                      compress_type, compresslevel)


def save(wb: Workbook, path: Path) -> None:
    wb.properties.creator = f"{ORGANIZATION} IT"
    wb.properties.created = wb.properties.modified = FIXED_TIMESTAMP
    # openpyxl's save stamps "modified" with the current time; its writer does not.
    with _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def settings_frame() -> pd.DataFrame:
    return pd.DataFrame([("organization", ORGANIZATION), ("currency", "USD"),
                         ("fiscal year start", "January"), ("date order", "MDY")],
                        columns=["setting", "value"])


def services_frame() -> pd.DataFrame:
    return pd.DataFrame([(s.name, s.category, s.value_proposition, s.owner,
                          "yes" if s.external_facing else "no", s.availability_target, s.unit)
                         for s in SERVICES],
                        columns=["service", "category", "value_proposition", "owner",
                                 "external_facing", "availability_target", "unit"])


# ---- budget (issue 17) ---------------------------------------------------------------------
# Northwind's 2026 budget, set in December 2025 as round yearly figures per service (spread
# evenly over the quarters on upload) and one for the whole of IT, which keeps an allowance
# for shared costs no service carries. Most services track their budget within ± 2 %. CRM
# was budgeted on the seat count before the vendor's licence true-up and runs about 19 %
# over; Website Sales was budgeted for a replatforming that slipped to 2027 and runs about
# 6 % under. The mid-year reforecast (after Q2) restates Q3 and Q4 for IT, CRM and Website
# Sales; Q3 is now actual, so the year-end forecast takes Q4 from it.
BUDGET_YEAR = "FY2026"  # with a January fiscal year start, calendar 2026
BUDGET_BY_SERVICE = {
    "Accounting": 140_000, "Benefits Management": 47_000, "CRM": 88_000,
    "Desktop & User Support": 720_000, "Email & Productivity": 45_000,
    "Inventory Management": 290_000, "Payroll": 99_000, "Procurement & Billing": 97_000,
    "Program & Consulting": 440_000, "Telecom & Networking": 312_000,
    "Telecommunications": 112_000, "Website Sales": 800_000,
}
BUDGET_IT = 3_200_000
REFORECAST = "Reforecast Q2"
REFORECAST_BY_QUARTER = {None: 800_000, "CRM": 26_500, "Website Sales": 190_000}


def make_budget() -> pd.DataFrame:
    """The Budget sheet: the approved 2026 budget (yearly rows) and the mid-year reforecast
    (quarterly forecast rows for Q3 and Q4). Deterministic: no random draws."""
    rows = [(BUDGET_YEAR, BUDGET_IT, None, "budget", "Budget")]
    rows += [(BUDGET_YEAR, amount, service, "budget", "Budget")
             for service, amount in BUDGET_BY_SERVICE.items()]
    rows += [(quarter, amount, service, "forecast", REFORECAST)
             for quarter in ("2026-Q3", "2026-Q4")
             for service, amount in REFORECAST_BY_QUARTER.items()]
    return pd.DataFrame(rows, columns=["quarter", "amount", "service", "kind", "version"])


def main() -> None:
    rng = np.random.default_rng(SEED)
    headcount = headcount_by_unit(rng)
    usage = make_usage(rng, headcount)
    costs = make_costs(rng, usage)
    value = make_value(rng, usage)
    support = make_support(rng, headcount)

    it = new_workbook()
    for key, frame in [
        ("settings", settings_frame()), ("services", services_frame()), ("costs", costs),
        ("allocation_rules", ALLOCATION_RULES), ("usage", usage), ("blocks", BLOCKS),
        ("market", MARKET), ("value", value), ("work_types", LOCAL_WORK_TYPES),
    ]:
        write_sheet(it, key, frame)
    write_sheet(it, "budget", make_budget())
    save(it, OUT_DIR / IT_WORKBOOK)

    tickets = new_workbook()
    write_sheet(tickets, "support", support)
    save(tickets, OUT_DIR / SUPPORT_WORKBOOK)

    print(f"{IT_WORKBOOK}: {len(costs)} cost lines, {len(usage)} usage rows, "
          f"{len(value)} value rows")
    print(f"{SUPPORT_WORKBOOK}: {len(support)} tickets")


if __name__ == "__main__":
    main()
