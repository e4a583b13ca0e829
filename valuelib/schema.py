"""The workbook contract as data.

One definition of every sheet and column an IT director may upload. Validation, the template,
the docs page and the tests all read it; nothing else spells a column name.

Column kinds (what a cell is parsed as, and the typed column it becomes):

- ``text``      -> ``str``; formulas and HTML are kept as text.
- ``money``     -> ``float`` in the reporting currency; negative is a credit.
- ``count``     -> ``float``; users, hours, purchased hours: never negative.
- ``price``     -> ``float``; a price per user: never negative.
- ``percent``   -> ``float`` 0-100; a fraction <= 1 is scaled up.
- ``yesno``     -> nullable ``boolean``.
- ``date``      -> ``datetime64``; day/month order inferred per column.
- ``quarter``   -> ``str`` in canonical calendar form ``2026-Q3``.
- ``period``    -> ``str``: a quarter as ``quarter`` reads it, or a fiscal year (``FY2026``,
  ``FY26``, a bare ``2026``) kept as ``FY2026`` for ingest to spread over its quarters.
- ``score``     -> ``float`` 1-5.
- ``rating``    -> ``float``: a 1-5 score or a percent (satisfaction).
- ``level``     -> nullable ``Int64`` 1-3 (impact, urgency: ``2 - Medium``, ``High``).
- ``priority``  -> nullable ``Int64`` 1-5 (``1``, ``P1``, ``1 - Critical``, ``Critical``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

DATETIME = "datetime64[us]"
# Column kind -> the dtype of the typed column (see the module docstring).
KIND_DTYPES = {
    "text": "str", "money": "float64", "count": "float64", "price": "float64",
    "percent": "float64", "yesno": "boolean", "date": DATETIME, "quarter": "str", "period": "str",
    "score": "float64", "rating": "float64", "level": "Int64", "priority": "Int64",
}
KINDS = tuple(KIND_DTYPES)

MISSING_MARKERS = frozenset({"", "?", "-", "n/a", "na", "null", "none", "#n/a"})

TOTAL_LABELS = frozenset({"total", "grandtotal", "subtotal", "total:", "grand total"})


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its canonical name, the names people give it, and its type."""

    name: str
    kind: str = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    help: str = ""
    example: object = None
    default: object = None
    note: str = ""  # what the typed column holds beyond its type (docs/tables.md)

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted header, canonical name first: the order is the preference order."""
        return (self.name, *self.synonyms)

    @property
    def dtype(self) -> str:
        return KIND_DTYPES[self.kind]


@dataclass(frozen=True)
class Derived:
    """A column ingest adds to a table (never uploaded): its name, dtype and meaning."""

    name: str
    dtype: str
    note: str = ""


@dataclass(frozen=True)
class Sheet:
    """One kind of table: the sheet names it goes by, its columns and what it is for."""

    key: str
    title: str
    synonyms: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    optional: bool = False
    help: str = ""
    # Groups of columns of which at least one must be present (e.g. quarter or date).
    one_of: tuple[tuple[str, ...], ...] = ()
    key_value: bool = False  # Settings: two columns, setting and value
    derived: tuple[Derived, ...] = ()  # columns ingest adds, after the uploaded ones
    note: str = ""  # what a reader of the typed table should know (docs/tables.md)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.synonyms)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.key} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(col.name for col in self.columns)

    @property
    def dtypes(self) -> dict[str, str]:
        """The typed table's columns and dtypes: the uploaded columns, then the derived."""
        return {**{c.name: c.dtype for c in self.columns},
                **{d.name: d.dtype for d in self.derived}}


# A trailing unit: ``Amount (USD)``, ``Cost in millions``, ``Spend in $K``. An "in …" phrase
# counts as a unit only when it names a scale or a currency (``Logged in`` stays a name).
_PAREN_UNIT = re.compile(r"\(([^)]*)\)\s*$")
_IN_UNIT = re.compile(
    r"\s+in\s+((?:us\$|[$€£¥₹]|usd|eur|gbp|jpy|chf|cad|aud|sek|nok|dkk|inr|nzd)?\s*"
    r"(?:'?000s?|k|m|mm|mn|bn|thousands?|millions?|billions?)?)\s*$", re.IGNORECASE)


def split_unit(text: object) -> tuple[str, str]:
    """A header split into its name and its trailing unit: ``Amount ($M)`` -> (``Amount``,
    ``$M``); ``Cost in millions`` -> (``Cost``, ``millions``); no unit -> (header, "")."""
    text = str(text).strip()
    match = _PAREN_UNIT.search(text)
    if match is None:
        match = _IN_UNIT.search(text)
        if match is None or not match[1].strip():
            return text, ""
    return text[:match.start()].strip(), match[1].strip()


def normalize_name(text: object) -> str:
    """Match key for sheet and column names: lower case, no trailing unit (see
    :func:`split_unit`), no spaces, punctuation, ``_`` or ``-`` (``Amount (USD)`` ->
    ``amount``)."""
    return re.sub(r"[\W_]+", "", split_unit(text)[0].casefold())


TBM_COST_POOLS = (
    "Internal Labor", "External Labor", "Outside Services", "Hardware", "Software",
    "Facilities & Power", "Telecom", "Other", "Internal Services",
)

# Common ledger words -> TBM v4 cost pool. Keys are normalised with normalize_name.
_POOL_SYNONYMS = {
    "Internal Labor": "staff salaries salary payroll wages internallabour labor labour employees "
                      "personnel benefits",
    "External Labor": "contractors contractor consultants consulting externallabour temps",
    "Outside Services": "outsourcing managedservices services cloudservices hosting iaas",
    "Hardware": "servers laptops devices equipment desktops",
    "Software": "saas licences licenses licence license subscriptions maintenance",
    "Telecom": "network networking phones telephony mobile circuits internet telecommunications",
    "Facilities & Power": "datacentre datacenter power facilities rent colocation",
    "Internal Services": "chargeback internalservice sharedservices",
}
COST_POOL_WORDS: dict[str, str] = {
    **{normalize_name(p): p for p in TBM_COST_POOLS},
    **{word: pool for pool, words in _POOL_SYNONYMS.items() for word in words.split()},
}


def word_keys(text: pd.Series) -> pd.Series:
    """Match key for words people type into cells (allocation methods, rule names, cost
    pools): lower case without spaces, punctuation, ``_`` or ``-`` (``Network-split`` and
    ``network split`` -> ``networksplit``). Unlike :func:`normalize_name` no unit is cut off."""
    return text.str.casefold().str.replace(r"[\W_]+", "", regex=True)


class AllocationMethod(StrEnum):
    """How a shared cost line is spread over the services (``allocate_by``)."""

    USERS = "users"      # each service's users in the line's quarter
    COST = "cost"        # each service's positive direct cost in the quarter
    EVEN = "even"        # equally over the services with cost or users that quarter
    TICKETS = "tickets"  # support rows per service opened in the quarter
    HOURS = "hours"      # support hours per service in the quarter


# The words that name each method, as word_keys sees them. A name in Allocation rules wins
# over these words: the user defined it on purpose.
_METHOD_SYNONYMS = {
    AllocationMethod.USERS: "user peruser byusers headcount usercount seats seat perseat usage",
    AllocationMethod.COST: "costs directcost bycost spend",
    AllocationMethod.EVEN: "evenly equal equally equalsplit evensplit",
    AllocationMethod.TICKETS: "ticket perticket ticketcount",
    AllocationMethod.HOURS: "hour supporthours time",
}
ALLOCATION_WORDS: dict[str, AllocationMethod] = {
    **{m.value: m for m in AllocationMethod},
    **{word: m for m, words in _METHOD_SYNONYMS.items() for word in words.split()},
}
RULE_METHOD = "rule"  # the method of a line spread by an allocation rule
METHODS_IN_WORDS = ", ".join(AllocationMethod)  # "users, cost, even, tickets, hours"

RULE_TOLERANCE = 0.5  # an allocation rule's percents must total 100 ± this
RULE_TOTAL_TEXT = f"100% (± {RULE_TOLERANCE:g})"


def rule_total_ok(total):
    """Whether an allocation rule's percents (summed) total 100 within RULE_TOLERANCE."""
    return abs(total - 100) <= RULE_TOLERANCE


def allocation_of(allocate_by: pd.Series, rule_names: pd.Series) -> tuple[pd.Series, pd.Series]:
    """What each ``allocate_by`` means: (method, rule key). The method is an
    :class:`AllocationMethod` value, ``rule`` when the text names a rule of ``rule_names``
    (matched by :func:`word_keys`; a rule wins over a method word), or NA (blank or unknown);
    the rule key is the text's word key where the method is ``rule``, else NA. Ingest and
    costing both read allocate_by through this one function."""
    key = word_keys(allocate_by.astype("str"))
    is_rule = key.isin(set(word_keys(rule_names.dropna().astype("str"))))
    method = key.map(ALLOCATION_WORDS).astype("str").where(~is_rule, RULE_METHOD)
    return method, key.where(is_rule)


class WorkClass(StrEnum):
    """What kind of support work a ticket or time entry is."""

    REACTIVE = "reactive"  # something broke: incidents, faults
    PROACTIVE = "proactive"  # work that prevents breakage: problems, changes, patching
    ROUTINE = "routine"  # requests: access, onboarding, password resets
    UNCLASSIFIED = "unclassified"  # a work type no mapping names: never guessed


WORK_CLASSES = tuple(WorkClass)  # in this order wherever classes are listed or stacked
# The classes a "Work types" sheet may give (unclassified is what no class means).
ASSIGNABLE_CLASSES = (WorkClass.REACTIVE, WorkClass.PROACTIVE, WorkClass.ROUTINE)
ASSIGNABLE_IN_WORDS = f"{', '.join(ASSIGNABLE_CLASSES[:-1])} or {ASSIGNABLE_CLASSES[-1]}"

# Default work type -> class mapping; extended by a "Work types" sheet. Keys normalised.
WORK_TYPE_CLASSES: dict[str, str] = {
    **{normalize_name(w): WorkClass.REACTIVE for w in (
        "incident", "break/fix", "breakfix", "outage", "fault", "issue", "help", "bug",
        "error", "failure", "help, I'm stuck", "support")},
    **{normalize_name(w): WorkClass.PROACTIVE for w in (
        "problem", "change", "improvement", "CSI", "continual service improvement", "project",
        "maintenance", "preventive maintenance", "patching", "patch", "upgrade", "training",
        "review", "health check", "planning", "optimisation", "optimization")},
    **{normalize_name(w): WorkClass.ROUTINE for w in (
        "service request", "request", "access request", "password reset", "onboarding",
        "offboarding", "new user", "move/add/change", "how-to")},
}

# ServiceNow-style ticket number prefixes name the record type when no work type is given.
TICKET_PREFIX_TYPES = {
    "INC": "incident", "PRB": "problem", "CHG": "change",
    "RITM": "service request", "REQ": "service request", "SCTASK": "service request",
}

PRIORITY_LABELS = {1: "1 - Critical", 2: "2 - High", 3: "3 - Moderate", 4: "4 - Low",
                   5: "5 - Planning"}
PRIORITY_WORDS = {"critical": 1, "high": 2, "moderate": 3, "medium": 3, "low": 4,
                  "planning": 5}
LEVEL_WORDS = {"high": 1, "medium": 2, "moderate": 2, "low": 3}

BLOCK_WARN_PERCENT = (80.0, 95.0)


def _c(name, kind="text", required=False, synonyms=(), help="", example=None, default=None,
       note=""):
    return Column(name, kind, required, tuple(synonyms), help, example, default, note)


_SATISFACTION_PCT = ("0–100: a column whose values are all within 1–5 is a 1–5 score, scaled "
                     "(v − 1) ÷ 4 × 100; a column with a `%` or any value above 5 is a percent")

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "services", "Services", ("Catalog", "Service catalog"),
        (
            _c("service", required=True, synonyms=("Service name", "Name"),
               help="The service's name as everyone knows it.", example="Email & Productivity"),
            _c("category", synonyms=("Service type",),
               help="Business, Industry, Professional, or free text.", example="Business"),
            _c("value_proposition", synonyms=("Description", "Value"),
               help="What the service gives its users, in one sentence.",
               example="Email, calendar and documents for every employee"),
            _c("owner", help="Who answers for the service.", example="Dana Reyes"),
            _c("external_facing", "yesno", synonyms=("External", "Customer facing"),
               help="Do customers use it directly? yes/no.", example="no"),
            _c("availability_target", "percent", synonyms=("Availability", "SLA availability"),
               help="Availability promised, in percent.", example=99.5, note="0–100"),
            _c("unit", synonyms=("Consumer unit",), default="user",
               help="What one user is: user, mailbox, seat (default user).", example="mailbox",
               note='default "user"'),
        ),
        help="The catalogue of IT services. A service named elsewhere but not here is added "
             "with a warning.",
        derived=(Derived("in_catalog", "bool"),),
        note="one row per service; services named in other sheets but missing here are "
             "appended with `in_catalog=False` (and a warning)",
    ),
    Sheet(
        "costs", "Costs", ("Cost", "Spend", "GL", "Ledger"),
        (
            _c("quarter", "quarter", synonyms=("Period", "Fiscal quarter"),
               help="Quarter the cost belongs to (2026-Q3, Q3 2026, FY26 Q3 …).",
               example="2026-Q3"),
            _c("date", "date", synonyms=("Posting date",),
               help="Posting date; used when there is no quarter column.", example=None),
            _c("service", help="Service the cost is for; blank or Shared = a shared cost.",
               example="Email & Productivity", note="NA = shared"),
            _c("cost_pool", synonyms=("Cost type", "Pool", "Cost category"),
               help=f"TBM cost pool: {', '.join(TBM_COST_POOLS)}.",
               example="Software", note="a TBM pool"),
            _c("amount", "money", required=True, synonyms=("Cost", "Spend", "Value"),
               help="Amount in the reporting currency; negative for a credit.", example=13500,
               note="negative = credit"),
            _c("comparable", "yesno", synonyms=("In comparison", "Apples to apples"),
               default=True,
               help="no = counts in total cost but not in the market comparison (default yes).",
               example="yes", note="default True"),
            _c("allocate_by", synonyms=("Allocation",),
               help=f"For shared lines: {METHODS_IN_WORDS}, or a rule name.",
               example=None,
               note=f"a method ({' / '.join(f'`{m}`' for m in AllocationMethod)}; other words "
                    "for them are read as them), or a rule name as Allocation rules spells it; "
                    "a blank on a shared line becomes `users`; NA on a direct line"),
            _c("business_unit", help="Business unit that incurred the cost.", example=None),
            _c("note", help="Anything worth knowing about the line.",
               example="Microsoft 365 E3 licences"),
        ),
        one_of=(("quarter", "date"),),
        help="The ledger: one row per cost line.",
        derived=(Derived("shared", "bool", "a blank service or `Shared`"),
                 Derived("cost_pool_label", "str", "the cost pool as written")),
        note="`quarter` is derived from `date` when only a date is given",
    ),
    Sheet(
        "allocation_rules", "Allocation rules", ("Allocations",),
        (
            _c("rule", required=True, help="Rule name, used in Costs allocate_by.",
               example="Network split"),
            _c("service", required=True, help="Service receiving a share.",
               example="Email & Productivity"),
            _c("percent", "percent", required=True,
               help="Share of the line in percent; a rule's shares total 100.", example=100),
        ),
        optional=True,
        help="Fixed-percent splits of shared costs.",
    ),
    Sheet(
        "usage", "Usage", ("Users", "Consumption", "Headcount"),
        (
            _c("quarter", "quarter", required=True, help="Quarter of the count.",
               example="2026-Q3"),
            _c("service", required=True, help="Service used.", example="Email & Productivity"),
            _c("users", "count", required=True,
               synonyms=("Active users", "Seats", "Mailboxes", "Headcount"),
               help="Users of the service in the quarter (rows add up).", example=120),
            _c("business_unit", synonyms=("Department", "BU"),
               help="Business unit of those users.", example="Sales"),
        ),
        help="Who uses each service: users per service, quarter and business unit.",
        note="users of a service in a quarter = sum of its rows",
    ),
    Sheet(
        "support", "Support", ("Tickets", "Incidents", "Time entries", "Timesheet"),
        (
            _c("ticket", synonyms=("Number", "ID", "Incident", "Case"),
               help="Ticket id; repeated ids (an event log) collapse to the latest row.",
               example="INC0012345"),
            _c("opened", "date", required=True,
               synonyms=("Opened at", "Created", "Date", "Start"),
               help="When the ticket was opened or the work done.", example="2026-08-14 09:30"),
            _c("resolved", "date", synonyms=("Resolved at",),
               help="When it was resolved.", example="2026-08-14 11:00",
               note="a blank one takes `closed`, or the last update of a ticket in an ended "
                    "`state`"),
            _c("closed", "date", synonyms=("Closed at", "Closed"),
               help="When it was closed; stands in for a blank resolved.", example=None),
            _c("state", synonyms=("Incident state", "Status"),
               help="Ticket state (New, Active, Resolved, Closed, Cancelled …); an ended "
               "state without a resolved date takes the last update as resolved.",
               example="Closed", note="as written"),
            _c("reopen_count", "count", synonyms=("Reopen count", "Reopens", "Times reopened"),
               help="How often the ticket was reopened (0 = never).", example=0,
               note="≥ 0; missing when not recorded"),
            _c("updated", "date", synonyms=("Updated at", "sys_updated_at", "Last updated"),
               help="When the row was last updated (orders an event log).", example=None),
            _c("hours", "count", synonyms=("Time spent", "Effort", "Duration"),
               help="Hours worked.", example=1.5),
            _c("work_type", synonyms=("Type", "Ticket type", "Work category"),
               help="incident, problem, change, service request, patching, training …",
               example="incident"),
            _c("service", help="Service the work was for.", example="Email & Productivity"),
            _c("business_unit", help="Business unit of the requester.", example="Sales"),
            _c("channel", synonyms=("Contact type",),
               help="onsite, phone, remote, email, self-service.", example="phone"),
            _c("impact", "level", help="1 High, 2 Medium, 3 Low.", example="2 - Medium",
               note="1–3"),
            _c("urgency", "level", help="1 High, 2 Medium, 3 Low.", example="2 - Medium",
               note="1–3"),
            _c("priority", "priority", help="1 Critical … 5 Planning (1, P1, 1 - Critical).",
               example="3 - Moderate", note="1–5"),
            _c("block", synonyms=("Contract", "Agreement"),
               help="Block of hours the work draws from.", example="2026 support block"),
            _c("satisfaction", "rating", synonyms=("CSAT",),
               help="Requester satisfaction, 1-5 or a percent.", example=5, note="as written"),
            _c("technician", synonyms=("Assigned to",), help="Who did the work.",
               example="Alex Kim"),
        ),
        help="One row per ticket or time entry; an ITSM event log is collapsed per ticket.",
        derived=(Derived("work_class", "str", " / ".join(WORK_CLASSES)),
                 Derived("satisfaction_pct", "float64", _SATISFACTION_PCT),
                 Derived("quarter", "str", "of `opened`"),
                 Derived("month", "str", '`"2026-08"`, of `opened`')),
        note="an event log (ticket ids repeated) is already collapsed to the latest row per "
             "ticket",
    ),
    Sheet(
        "blocks", "Blocks", ("Support blocks", "Block of hours", "Contracts", "Retainers"),
        (
            _c("block", required=True, synonyms=("Contract", "Agreement"),
               help="Name of the block of hours.", example="2026 support block"),
            _c("purchased_hours", "count", required=True,
               synonyms=("Hours purchased", "Hours"),
               help="Hours bought.", example=500),
            _c("start", "date", help="First day of the block.", example="2026-01-01"),
            _c("end", "date", help="Last day of the block.", example="2026-12-31"),
            _c("price", "price", help="What the block cost.", example=62500),
            _c("vendor", help="Who sold it.", example="Northwind IT Partners"),
        ),
        optional=True,
        help="Purchased blocks of support hours.",
    ),
    Sheet(
        "market", "Market", ("Benchmarks", "Market prices", "Offers"),
        (
            _c("service", required=True, help="The internal service compared.",
               example="Email & Productivity"),
            _c("offer", required=True, synonyms=("Provider", "Product"),
               help="The provider's offer.", example="Cloud email & productivity suite"),
            _c("price_per_user_month", "price",
               synonyms=("Price per user per month", "Monthly price per user"),
               help="Price per user per month.", example=15,
               note="from price_per_user_year ÷ 12 when only that is given"),
            _c("price_per_user_year", "price",
               help="Price per user per year (used ÷ 12 when no monthly price).", example=None),
            _c("min_users", "count", help="Smallest number of users the offer takes.",
               example=1),
            _c("max_users", "count", help="Largest number of users the offer takes.",
               example=300),
            _c("availability", "percent", help="Availability the provider promises.",
               example=99, note="0–100"),
            _c("storage_gb", "count", synonyms=("Storage", "Mailbox size"),
               help="Storage per user in GB.", example=25),
            _c("support", synonyms=("Support response",), help="Support and response time.",
               example="Phone, 1-hour response"),
            _c("includes", help="What the price includes.", example="Email, calendar, office apps"),
            _c("source", synonyms=("URL",), help="Where the price comes from.", example=None),
            _c("as_of", "date", synonyms=("Date checked",), help="When the price was checked.",
               example="2026-09-30"),
        ),
        one_of=(("price_per_user_month", "price_per_user_year"),),
        help="What a provider would charge for the same service.",
        derived=(Derived("price_on_request", "bool"),),
        note="`price_on_request`: the offer's price cell said *Call us*, *Contact sales*, "
             "*POA*, *On request*, *Quote* …; its price is empty and `market.compare_offers` "
             "gives it the verdict `price on request` (never compared)",
    ),
    Sheet(
        "value", "Value", ("Survey", "Satisfaction", "Value scores"),
        (
            _c("quarter", "quarter", required=True, help="Quarter of the survey.",
               example="2026-Q3"),
            _c("service", required=True, help="Service rated.", example="Email & Productivity"),
            _c("business_value", "score", synonyms=("Value score", "Importance"),
               help="Business value, 1-5.", example=4.5, note="1–5"),
            _c("satisfaction", "rating", synonyms=("CSAT",),
               help="Satisfaction, 1-5 or a percent.", example=4.1, note="as written"),
            _c("respondents", "count", help="How many answered.", example=85),
        ),
        one_of=(("business_value", "satisfaction"),),
        help="How much each service is worth to the business, and how satisfied users are.",
        derived=(Derived("satisfaction_pct", "float64", _SATISFACTION_PCT),),
    ),
    Sheet(
        "offerings", "Offerings", ("Tiers", "Service levels", "Service offerings", "Rate card"),
        (
            _c("service", required=True, help="The service the tier belongs to.",
               example="Email & Productivity"),
            _c("tier", required=True, synonyms=("Offering", "Level", "Service level"),
               help="Name of the level of service.", example="Standard"),
            _c("price_per_user_month", "price", synonyms=("Price", "Rate", "Charge per user"),
               help="What IT charges a unit per user per month for this tier.", example=11,
               note="from price_per_user_year ÷ 12 when only that is given"),
            _c("price_per_user_year", "price",
               help="Price per user per year (used ÷ 12 when no monthly price).", example=None),
            _c("availability_target", "percent", synonyms=("Availability",),
               help="Availability the tier commits to, in percent.", example=99.5,
               note="0–100"),
            _c("support_hours", synonyms=("Support window", "Coverage"),
               help="When support answers: 8x5, 24x7 …", example="8x5"),
            _c("response_time", synonyms=("Response target",),
               help="How fast support responds: 4h, 1 business day …", example="4h"),
            _c("storage_gb", "count", synonyms=("Storage", "Mailbox size"),
               help="Storage per user in GB.", example=25),
            _c("includes", help="What the tier includes.", example="Email, calendar, documents"),
            _c("from_quarter", "quarter", help="First quarter the price applies (blank = always).",
               example=None),
            _c("to_quarter", "quarter", help="Last quarter the price applies (blank = always).",
               example=None),
        ),
        optional=True,
        one_of=(("price_per_user_month", "price_per_user_year"),),
        help="IT's own price list: the levels of service each service offers and their price.",
        note="`price_per_user_month` is filled from `price_per_user_year` ÷ 12 where only that "
             "is given",
    ),
    Sheet(
        "subscriptions", "Subscriptions", ("Chargeback", "Consumption by unit", "Orders"),
        (
            _c("quarter", "quarter", help="Quarter of the subscription.", example="2026-Q3"),
            _c("date", "date", help="A date in the quarter; used when there is no quarter "
                                    "column.", example=None),
            _c("business_unit", required=True, synonyms=("Department", "BU"),
               help="The business unit that takes the tier.", example="Sales"),
            _c("service", required=True, help="The service subscribed to.",
               example="Email & Productivity"),
            _c("tier", required=True, synonyms=("Offering", "Level", "Service level"),
               help="The tier taken, as Offerings names it.", example="Premium"),
            _c("users", "count", required=True, synonyms=("Seats", "Quantity"),
               help="Users of the unit on that tier in the quarter.", example=60),
        ),
        optional=True,
        one_of=(("quarter", "date"),),
        help="Which business unit takes which tier, and for how many users.",
        note="`quarter` is derived from `date` when only a date is given",
    ),
    Sheet(
        "needs", "Needs", ("Requests", "Needs survey", "Feedback"),
        (
            _c("quarter", "quarter", help="Quarter the need was raised.", example="2026-Q3"),
            _c("date", "date", help="When the need was raised; used when there is no quarter "
                                    "column.", example=None),
            _c("need", required=True, synonyms=("Request", "Comment", "Idea"),
               help="What users ask IT for, in their words.",
               example="Larger mailboxes for the sales team"),
            _c("service", help="The service it concerns (blank = none yet).",
               example="Email & Productivity"),
            _c("business_unit", synonyms=("Department", "BU"), help="Who asked.",
               example="Sales"),
            _c("votes", "count", synonyms=("Count", "Respondents"), default=1,
               help="How many asked for it (default 1).", example=12, note="default 1"),
            _c("importance", "score", help="How much it matters to them, 1-5.", example=4,
               note="1–5"),
        ),
        optional=True,
        one_of=(("quarter", "date"),),
        help="What users ask IT for: needs surveys, requests and feedback.",
        note="`quarter` is derived from `date` when only a date is given",
    ),
    Sheet(
        "budget", "Budget", ("Plan", "Forecast"),
        (
            _c("quarter", "period", required=True, synonyms=("Period", "Fiscal year", "Year"),
               help="Quarter the amount is for (2026-Q3, FY26 Q3 …), or a fiscal year (FY2026, "
                    "2026) spread evenly over its four quarters.", example="2026-Q3",
               note="a fiscal-year row becomes four quarter rows of a quarter of its amount"),
            _c("amount", "money", required=True, synonyms=("Budget", "Plan"),
               help="Budgeted (or forecast) amount in the reporting currency.", example=120000),
            _c("service", help="The service budgeted; blank = the whole of IT.",
               example="Email & Productivity", note="NA = the whole of IT"),
            _c("cost_pool", synonyms=("Cost type", "Pool", "Cost category"),
               help=f"TBM cost pool, when the budget is by pool: {', '.join(TBM_COST_POOLS)}.",
               example=None, note="a TBM pool, or NA"),
            _c("business_unit", synonyms=("Department", "BU"),
               help="The business unit, when the budget is by unit.", example=None),
            _c("kind", synonyms=("Type",), default="budget",
               help="budget (what was approved) or forecast (what is now expected); default "
                    "budget.", example="budget",
               note='`budget` or `forecast` (default `budget`); NA where the cell said neither'),
            _c("version", synonyms=("Scenario",), default="Budget",
               help='Which budget: free text such as "Budget" or "Reforecast Q2" (default '
                    '"Budget").', example="Budget", note='default "Budget"'),
        ),
        optional=True,
        help="What IT planned to spend, and what it now forecasts: by quarter or fiscal year, "
             "for IT, a service, a cost pool or a business unit.",
        derived=(Derived("spread_from", "str", "the fiscal year (`FY2026`) a row was written "
                                                "for, where ingest spread it over its quarters; "
                                                "NA for a quarter row"),),
        note="several versions may sit side by side; `valuelib.budget` compares the version "
             'named "Budget" by default (see docs/decisions.md)',
    ),
    Sheet(
        "work_types", "Work types", ("Work type classes",),
        (
            _c("work_type", required=True, help="A work type as written in Support.",
               example="Firmware refresh"),
            _c("class", required=True, help=f"{ASSIGNABLE_IN_WORDS}.",
               example="proactive"),
        ),
        optional=True,
        help=f"Extends the built-in mapping of work types to {' / '.join(ASSIGNABLE_CLASSES)}.",
        note="the user's extension of the built-in mapping; already applied to "
             "`support.work_class`",
    ),
    Sheet(
        "settings", "Settings", (),
        (
            _c("setting", required=True, help="organization, currency, fiscal year start, "
                                              "date order, number format.",
               example="organization"),
            _c("value", required=True, help="The setting's value.", example="Contoso Ltd"),
        ),
        optional=True, key_value=True,
        help="Organisation name, reporting currency, fiscal year start month, date order, "
             "number format (1,234.56 or 1.234,56: how numbers that read both ways are read).",
    ),
)

SHEETS_BY_KEY: dict[str, Sheet] = {s.key: s for s in SHEETS}

# The typed tables' keys, generated from SHEETS (``Table.COSTS == "costs"``). Settings is no
# table: it becomes Dataset.settings.
Table = StrEnum("Table", [(s.key.upper(), s.key) for s in SHEETS if not s.key_value],
                module=__name__)
Table.__doc__ = "The key of each typed table of a Dataset, in the contract's order."

# The typed tables ingest hands to the analytics (docs/tables.md): table -> column -> dtype.
# Keyed by plain text, as Dataset.tables is: a widget given a mix of enum members and text
# (Streamlit coerces enum options) would fail.
TABLE_DTYPES: dict[str, dict[str, str]] = {t.value: SHEETS_BY_KEY[t].dtypes for t in Table}
# Columns every typed table carries so any number can be traced to its rows.
SOURCE_DTYPES = {"source_file": "str", "source_sheet": "str", "source_row": "int64"}

SETTINGS_DEFAULTS = {
    "organization": "Your organisation",
    "currency": "USD",
    "fiscal_year_start": 1,
    "date_order": "MDY",
    "number_format": "1,234.56",
}
SETTING_NAMES = {
    "organization": "organization", "organisation": "organization", "company": "organization",
    "currency": "currency", "reportingcurrency": "currency",
    "fiscalyearstart": "fiscal_year_start", "fiscalyearstartmonth": "fiscal_year_start",
    "dateorder": "date_order",
    "numberformat": "number_format", "numbers": "number_format", "decimalmark": "number_format",
    "decimalseparator": "number_format",
}


# Sheets of our own template that carry no data: skipped without a finding.
SILENT_SHEETS = frozenset({"instructions", "readme", "notes"})


def sheet_for_name(name: str) -> Sheet | None:
    """The sheet a workbook tab name stands for, or None."""
    key = normalize_name(name)
    for sheet in SHEETS:
        if key in {normalize_name(n) for n in sheet.names}:
            return sheet
    return None


def column_lookup(sheet: Sheet) -> dict[str, tuple[str, int]]:
    """Normalised header -> (column name, preference rank: 0 is the canonical name)."""
    lookup: dict[str, tuple[str, int]] = {}
    for col in sheet.columns:
        for rank, name in enumerate(col.names):
            lookup.setdefault(normalize_name(name), (col.name, rank))
    return lookup


# --- docs/tables.md, written from the contract (``valuelib tables-doc docs/tables.md``) -------

_DOC_TYPES = {"str": "str", "float64": "float", "Int64": "Int64", "boolean": "boolean",
              DATETIME: "datetime", "bool": "bool", "int64": "int"}

_TABLES_INTRO = """\
# Typed tables: what ingest hands to the analytics

<!-- Written by `valuelib tables-doc docs/tables.md` from valuelib/schema.py: edit the contract
there, not this file (tests/test_contract.py fails when they differ). -->

`valuelib.ingest.load(files) -> Dataset` (files: an iterable of `(name, bytes | file-like)`).
`Dataset.tables[key]` always holds **every** table below: an absent sheet is an empty frame
with these columns, so analytics never asks whether a sheet was uploaded. Column names are
the canonical names of `valuelib.schema`; several files' tables of one kind are concatenated.

Types: `str` = pandas string (missing = `NA`); `float` = float64 (missing = NaN);
`Int64` = nullable integer; `boolean` = nullable boolean; `datetime` = naive datetime64.
Quarters are always canonical calendar quarters, `"2026-Q3"` (sortable as text).
Every table also has {source}, so any figure can be traced back to its rows.
"""

_SOURCE_NOTES = {"source_row": "the row number Excel shows"}
_SETTING_NOTES = {
    "currency": "an ISO code",
    "fiscal_year_start": "a month, 1–12",
    "date_order": '`"MDY"` or `"DMY"`',
    "number_format": '`"1,234.56"` or `"1.234,56"`: how a column whose numbers read both ways '
                     "is read",
}
_TABLES_OUTRO = """\
`Dataset.settings`, from the Settings sheet (defaults where absent; a setting named otherwise,
such as `organisation`, `reporting currency`, `fiscal year start month` or `decimal mark`, is
read as the one it means):

{settings}

`Dataset.quarters`: every quarter with data, oldest first.
"""


def _doc_column(name: str, dtype: str, note: str) -> str:
    return f"{name} ({_DOC_TYPES[dtype]}{', ' + note if note else ''})"


def tables_markdown() -> str:
    """docs/tables.md: every typed table's columns, types and meanings, from the contract."""
    rows = []
    for sheet in SHEETS:
        if sheet.key_value:
            continue
        columns = [_doc_column(c.name, c.dtype, c.note) for c in sheet.columns]
        columns += [_doc_column(d.name, d.dtype, d.note) for d in sheet.derived]
        rows.append(f"| `{sheet.key}` | {', '.join(columns)} | {sheet.note} |")
    source = ", ".join(_doc_column(f"`{n}`", t, _SOURCE_NOTES.get(n, ""))
                       for n, t in SOURCE_DTYPES.items())
    settings = "\n".join(f"- `{n}` (default `{v}`)" + (f": {_SETTING_NOTES[n]}" if n in
                                                          _SETTING_NOTES else "")
                         for n, v in SETTINGS_DEFAULTS.items())
    return "\n".join([
        _TABLES_INTRO.format(source=source),
        "| table | columns (type) | notes |", "|---|---|---|", *rows, "",
        _TABLES_OUTRO.format(settings=settings)])
