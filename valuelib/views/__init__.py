"""View models: everything a page or the deck shows, computed and worded, in one call each.

Pages hold no arithmetic. A page calls ONE function here and renders the frozen dataclass it
returns: headlines (a formatted value, its change, a sentence saying what it means), plain
sentences, plotly figures from :mod:`valuelib.charts`, and display tables (formatted text,
human column names). The deck reuses the same pieces through :func:`story`.

Every view takes ``(dataset, quarter=None, business_unit=None, ...)``:

- ``quarter`` None -> the latest quarter with cost data; a dataset without costs (a ServiceNow
  export on its own) -> the latest quarter with any data.
- ``business_unit`` set -> **cost** figures are the unit's showback: its share of each
  service's cost is proportional to its users of the service, so cost per user per month
  stays the service's own while total cost and users become the unit's; services it does not
  use drop out. Market verdicts and value scores belong to the service and do not change.
  **Support** figures count only the unit's tickets (and its people, for tickets per user).
  A **block of hours** is one contract shared by every unit: its hours left and run-out date
  stay whole, and the unit's own use is stated beside them.

Every figure here comes from the analytics modules (costing, market, portfolio, support,
summary). The few numbers they do not provide are derived from their outputs and say so:
organisation-wide cost per person (total ÷ headcount ÷ 3), changes of organisation or unit
totals between quarters, a price gap as a percent of the offer, and the share of tickets
whose priority disagrees with the matrix.
"""

from __future__ import annotations

from ..present.facts import (
    COST_VALUE_COLUMNS,
    NO_COST_DATA,
    NO_DATA,
    NO_SUPPORT_DATA,
    THIS_DATA,
    DeltaColor,
    Headline,
    business_unit_options,
    quarter_options,
    resolve_quarter,
    service_options,
)
from .catalogue_page import CatalogueView, ServiceCard, catalogue
from .chargeback_page import ChargebackView, chargeback_view
from .cost_value_page import VALUE_COLUMNS, CostValueView, cost_value
from .overview_page import (
    LIKE_FOR_LIKE,
    PER_USER_LABEL,
    SERVICES_COLUMNS,
    OverviewView,
    overview,
)
from .plan_page import (
    CHANGE_COLUMNS,
    COMPARE_COLUMNS,
    PlanChoices,
    PlanView,
    compare_view,
    plan_choices,
    plan_view,
    saved_table,
)
from .service_page import (
    ALLOCATION_COLUMNS,
    MARKET_COLUMNS,
    METHOD_WORDS,
    SHOWBACK_COLUMNS,
    ServiceView,
    service_detail,
)
from .story_page import StoryStep, overview_and_story, story
from .support_page import (
    BLOCK_COLUMNS,
    DESK_COLUMNS,
    LEVEL_WORDS,
    MISMATCH_COLUMNS,
    NEEDS_COLUMNS,
    PRIORITY_MEDIAN_COLUMNS,
    VOICE_COLUMNS,
    SupportView,
    VoiceOfUsers,
    support_view,
)

__all__ = [
    # the view models
    "CatalogueView", "ChargebackView", "CostValueView", "DeltaColor", "Headline",
    "OverviewView", "PlanChoices", "PlanView", "ServiceCard", "ServiceView", "StoryStep",
    "SupportView", "VoiceOfUsers",
    # one call per page, and the story
    "catalogue", "chargeback_view", "compare_view", "cost_value", "overview",
    "overview_and_story", "plan_choices",
    "plan_view", "saved_table", "service_detail", "story", "support_view",
    # selectors
    "business_unit_options", "quarter_options", "resolve_quarter", "service_options",
    # words and table columns the pages and tests share
    "ALLOCATION_COLUMNS", "BLOCK_COLUMNS", "CHANGE_COLUMNS", "COMPARE_COLUMNS",
    "COST_VALUE_COLUMNS", "DESK_COLUMNS", "LEVEL_WORDS",
    "LIKE_FOR_LIKE", "MARKET_COLUMNS", "METHOD_WORDS", "MISMATCH_COLUMNS", "NO_COST_DATA",
    "NO_DATA", "NO_SUPPORT_DATA", "PER_USER_LABEL", "PRIORITY_MEDIAN_COLUMNS", "SERVICES_COLUMNS",
    "SHOWBACK_COLUMNS", "THIS_DATA", "VALUE_COLUMNS", "VOICE_COLUMNS", "NEEDS_COLUMNS",
]
