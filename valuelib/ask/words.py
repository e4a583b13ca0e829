"""Words: normalising, stemming and spelling correction, and the vocabulary of questions.

Everything here is plain data and small pure functions: no dataset, no pandas.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

# ---- normalising and stemming ------------------------------------------------------------------

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "twelve": 12}

_CONTRACTIONS = {
    "whats": "what is", "hows": "how is", "wheres": "where is", "whos": "who is",
    "whens": "when is", "whys": "why is", "thats": "that is", "theres": "there is",
    "isnt": "is not", "arent": "are not", "doesnt": "does not", "dont": "do not",
    "didnt": "did not", "wont": "will not", "cant": "can not", "cannot": "can not",
    "were": "were", "weve": "we have", "im": "i am", "ive": "i have", "lets": "let us",
}


def clean(text: str) -> str:
    """Unicode-normalised, lower case, with typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFKC", str(text))
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"),
                         ("—", "-"), ("\u00a0", " ")):
        text = text.replace(fancy, plain)
    return text.casefold()


def tokens(text: str) -> list[str]:
    """Words of an already cleaned text: ``&`` is ``and``, ``/`` is ``per``, apostrophes go
    (``what's`` -> ``what is``), hyphens split (``per-user`` -> ``per user``), and ``$`` stays a
    word of its own (it marks a money question)."""
    text = text.replace("&", " and ").replace("/", " per ").replace("'", "")
    text = re.sub(r"\$", " $ ", text)
    words = re.findall(r"\$|[a-z0-9]+", text)
    out: list[str] = []
    for word in words:
        out.extend(_CONTRACTIONS.get(word, word).split())
    return out


def stem(word: str) -> str:
    """A light plural stemmer: ``phones`` -> ``phone``, ``priorities`` -> ``priority``; words of
    up to three letters and ``-ss``/``-us``/``-is`` endings are kept."""
    if len(word) >= 3 and word.endswith("s") and word[-2].isdigit():
        return word[:-1]  # "p1s" -> "p1"
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def phrase(text: str) -> tuple[str, ...]:
    """A phrase as the stems the matcher compares: ``"runs out"`` -> ``("run", "out")``."""
    return tuple(stem(w) for w in tokens(clean(text)))


def number_word(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


# ---- spelling ----------------------------------------------------------------------------------

def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap two neighbours);
    stops early and returns ``limit + 1`` once it cannot be ``limit`` or less."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _dropped_one(word: str, candidate: str) -> bool:
    """Whether ``word`` is ``candidate`` with one letter left out."""
    return any(candidate[:i] + candidate[i + 1:] == word for i in range(len(candidate)))


def correct(word: str, vocabulary: frozenset[str] | set[str]) -> str | None:
    """The vocabulary word ``word`` is a typo of, or None when there is no single close one.

    Words of five to eight letters may differ by one edit and must keep their first letter
    (``emial`` -> ``email``, ``helpdsk`` -> ``helpdesk``), words of four only by two letters
    swapped (``cots`` -> ``cost``, but ``sale`` is not ``save``); longer words
    may differ by two edits (``satisfation`` -> ``satisfaction``). Two equally close
    candidates: no correction. (Two edits on short words turn "coffee" into "offer".)"""
    if len(word) < 4 or not word.isalpha():
        return None
    limit = 1 if len(word) <= 8 else 2
    best: list[tuple[int, float, str]] = []
    for candidate in vocabulary:
        if len(word) <= 8 and candidate[:1] != word[:1]:
            continue
        if abs(len(candidate) - len(word)) > limit or len(candidate) < 4:
            continue
        if len(word) == 4 and sorted(word) != sorted(candidate) and not (
                len(candidate) == 5 and _dropped_one(word, candidate)):
            continue  # four letters: two swapped ("cots") or one dropped ("emal"), no more
        d = edit_distance(word, candidate, limit)
        if d <= limit:
            ratio = difflib.SequenceMatcher(None, word, candidate).ratio()
            best.append((d, -ratio, candidate))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[0][:2] == best[1][:2]:
        return None  # two equally good readings: don't guess
    return best[0][2]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---- the vocabulary of questions -------------------------------------------------------------
# Words every question may contain and that carry no meaning of their own here. They are
# "known" (never corrected, never reported as unknown), nothing more.
STOPWORDS = _wordset(
    "a an the is are was were be been being am do does did doing done have has had having i me "
    "my mine we our ours us you your yours it its they them their theirs this that these those "
    "there here what which who whom whose when where why how of in on at to for from by with "
    "about as into onto under between through during before after until than then and or but "
    "nor not no yes so if can could would should will shall may might must please tell show "
    "give let know see get got getting want need like just also still even only all any some "
    "such same own very really quite too much many more less few lot lots bit something "
    "anything everything nothing one ones thing things way ok okay hi hello hey thanks thank "
    "currently now today right moment present latest recent recently current again ever far "
    "look looking find tell me say said think go goes going gone come take make makes made keep "
    "put doing done number numbers figure figures amount amounts value values level levels "
    "overall whole good bad well better best worse worst big small high low new old other else "
    "both either neither each every per versus vs via around approximately roughly about "
    "exactly actually basically average mean typical usually organisation organization company "
    "business firm group northwind corporate enterprise spend spending currently quarter "
    "quarters year years month months week weeks day days service services system systems "
    "platform application applications app apps tool tools solution solutions team teams "
    "department departments people person staff employee employees user users technology tech "
    "information data dashboard report work works working happen happening status situation "
    "tell give whole "
)

# Words (stems) that mean something to the question reader; with the service, business unit
# and alias words of a dataset they form the vocabulary that typos are corrected towards.
SIGNALS: dict[str, frozenset[str]] = {
    "cost": frozenset(phrase(
        "cost costs costing spend spending spent pay paying paid price pricing priced expense "
        "expenses expensive cheap cheaper cheapest dear dearer money budget charge charged "
        "bill billed outlay tco fee fees afford $ dollars usd pricey priciest costly costliest "
        "invoice")),
    "total": frozenset(phrase(
        "total totals overall altogether sum entire whole combined aggregate grand")),
    "per_noun": frozenset(phrase(
        "user users head heads seat seats person people employee employees mailbox mailboxes "
        "capita licence license licences licenses staff member members worker workers "
        "account accounts")),
    "month": frozenset(phrase("month monthly months mo mth pupm")),
    "year": frozenset(phrase("year yearly annual annually annum yr years")),
    "most": frozenset(phrase(
        "most highest top biggest largest priciest costliest dearest maximum max greatest")),
    "least": frozenset(phrase("least lowest cheapest smallest bottom minimum min fewest")),
    "rank": frozenset(phrase("rank ranking ranked order ordered sort sorted list league")),
    "market": frozenset(phrase(
        "market offer offers buy buying bought outsource outsourcing outsourced provider "
        "providers supplier suppliers benchmark benchmarks benchmarking cloud "
        "alternative alternatives external competitive competitor competitors overpriced "
        "overpay overpaying switch switching migrate migrating save saving savings deal "
        "deals quote quotes commercial purchase vendor vendors inhouse plan plans")),
    "compare": frozenset(phrase(
        "compare compared comparing comparison versus vs against stack")),
    "quadrant": frozenset(phrase(
        "worth retire retiring retired retirement replace replacing replaced optimise "
        "optimize optimising optimizing optimisation optimization invest investing investment "
        "tolerate tolerated quadrant quadrants justify justified justifies earn earning "
        "decommission sunset kill cut cutting")),
    "value": frozenset(phrase(
        "value valuable valued satisfaction satisfied satisfy dissatisfied happy unhappy "
        "happiness csat rating ratings rate rated score scores scored importance important "
        "survey surveys perception perceived feedback useful usefulness appreciated "
        "opinion")),
    "satisfaction": frozenset(phrase(
        "satisfaction satisfied satisfy dissatisfied happy unhappy happiness csat feedback "
        "opinion appreciated")),
    "proactive": frozenset(phrase(
        "proactive reactive proactively reactively firefighting firefight preventive "
        "preventative unplanned planned")),
    "block": frozenset(phrase(
        "block blocks retainer retainers prepaid overrun overrunning burn burning")),
    "hours": frozenset(phrase("hour hours")),
    "left": frozenset(phrase("left remaining remain remains bought purchased available")),
    "priority": frozenset(phrase(
        "p1 p2 priority priorities prioritised prioritized prioritisation prioritization "
        "critical sev1 severity urgent urgency")),
    "mismatch": frozenset(phrase(
        "mismatch mismatches mismatched wrong incorrect incorrectly correct correctly "
        "differ differs different inconsistent consistent matrix misprioritised "
        "misprioritized mislabelled mislabeled override overridden bumped accurate "
        "accurately")),
    "ticket": frozenset(phrase(
        "ticket tickets incident incidents backlog resolve resolved resolution resolving "
        "call calls request requests reopen reopened reopens reopening")),
    "showback": frozenset(phrase(
        "showback chargeback department departments division divisions bu bus unit units "
        "consume consumes consuming consumption")),
    "change": frozenset(phrase(
        "changed changes change new different moved movers move news update updates "
        "happened")),
    "trend": frozenset(phrase(
        "trend trends trending time history historical historic changed change changing "
        "evolve evolved evolving evolution grow grown growing growth rise rising risen rose "
        "increase increased increasing decrease decreased decreasing fall falling fell drop "
        "dropped dropping trajectory development developed moved moving chart timeline "
        "yoy qoq")),
    "explain": frozenset(phrase(
        "why breakdown explain explained explanation driver drivers drive drives composed "
        "composition consist consists component components made pool pools")),
    "users": frozenset(phrase("headcount users user seats mailboxes licences licenses")),
    # ---- chargeback (issue 16)
    "chargeback": frozenset(phrase(
        "tier tiers recovery recover recovers recovered recovering underrecovered "
        "overrecovered overhead themselves itself line driven subsidised subsidized subsidy "
        "charges charging chargeback statement invoiced")),
}

PHRASES: dict[str, tuple[tuple[str, ...], ...]] = {
    "how_much": (phrase("how much"),),
    "per_user": tuple(phrase(p) for p in (
        "unit cost", "unit price", "per head", "per user",
        "each user", "per seat", "per person", "per employee", "per mailbox", "per capita")),
    "total": tuple(phrase(p) for p in ("in total", "all in", "all services", "all of it",
                                       "grand total", "it spend", "it budget")),
    "value_for_money": (phrase("value for money"), phrase("bang for"), phrase("pay off"),
                        phrase("pays off"), phrase("pull their weight"),
                        phrase("cost more than")),
    "market": tuple(phrase(p) for p in (
        "in house", "off the shelf", "from a provider", "from the market",
        "cheaper to buy", "cheaper elsewhere", "go to the cloud", "move to the cloud",
        "cheapest way", "cheaper way", "save money on", "cheaper option", "cheaper options",
        "the market", "market price", "going rate")),
    "block": tuple(phrase(p) for p in (
        "run out", "runs out", "running out", "ran out", "bank of hours", "hour bank",
        "hours bank", "support contract", "contract hours", "support hours", "hours left",
        "hours remaining", "remaining hours", "burn rate", "used up", "block of hours")),
    "proactive": tuple(phrase(p) for p in (
        "break fix", "work mix", "kind of work", "type of work", "types of work",
        "fighting fires", "putting out fires", "firefighting")),
    "p1": tuple(phrase(p) for p in ("priority 1", "priority one", "sev 1", "severity 1",
                                    "p 1", "top priority")),
    "mismatch": tuple(phrase(p) for p in ("impact and urgency", "impact urgency",
                                          "impact x urgency")),
    "showback": tuple(phrase(p) for p in ("business unit", "business units", "by department",
                                          "per department", "each department", "show back",
                                          "charge back", "by team", "per team")),
    "changes": tuple(phrase(p) for p in (
        "what changed", "what has changed", "what have changed", "what is changed",
        "what is new", "what is different", "what moved", "biggest change",
        "biggest changes", "main changes", "key changes", "what happened",
        "anything new", "what are the changes", "changes since", "quarter over quarter",
        "compared to last quarter", "compared with last quarter", "since last quarter",
        "since the last quarter", "since previous quarter", "since the previous quarter",
        "vs last quarter", "versus last quarter")),
    "trend": tuple(phrase(p) for p in (
        "over time", "by quarter", "each quarter", "every quarter", "quarter by quarter",
        "per quarter", "year over year", "going up", "going down", "getting more",
        "getting less", "over the quarters", "over the years", "in recent quarters",
        "more expensive", "less expensive", "gone up", "gone down", "went up", "went down",
        "got cheaper", "get cheaper", "getting cheaper", "became cheaper", "become cheaper",
        "got dearer", "got pricier", "gotten cheaper", "gotten more",
        "cost history")),
    "spend_most": tuple(phrase(p) for p in (
        "where does the money go", "where does our money go", "money go", "biggest expense",
        "biggest expenses", "biggest cost", "biggest costs", "biggest spend", "largest expense",
        "spend the most", "spend most", "most money")),
    "all_services": tuple(phrase(p) for p in ("all services", "all our services",
                                              "all of our services", "every service",
                                              "each service", "all the services")),
    "ticket": tuple(phrase(p) for p in ("how long", "time to resolve", "time to fix",
                                        "service desk performance", "open tickets")),
    "users": tuple(phrase(p) for p in ("how many users", "how many people",
                                       "how many employees", "how many seats",
                                       "how many mailboxes", "how many licences",
                                       "how many licenses", "number of users",
                                       "number of people", "user count", "who uses",
                                       "how many staff")),
    "explain": tuple(phrase(p) for p in ("break down", "made up", "make up", "what drives",
                                         "cost pool", "cost pools", "what is in",
                                         "so expensive", "so much", "cost so")),
    "reactive_words": tuple(phrase(p) for p in ("reactive", "break fix", "firefighting")),
}

# Built-in synonyms for services, as an organisation's catalogue may name them. Each group:
# (phrases a person types, anchors looked for in the organisation's own service names). A
# phrase resolves to the services whose name has a word starting with one of the anchors.
SERVICE_ALIASES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("email", "e mail", "emails", "mail", "mailbox", "mailboxes", "office", "office 365",
      "o365", "m365", "microsoft 365", "outlook", "exchange", "gmail", "google workspace",
      "workspace", "productivity", "collaboration", "messaging", "teams"),
     ("email", "mail", "productivity", "office", "collaboration", "messaging")),
    (("phone", "phones", "telephone", "telephones", "telephony", "mobile", "mobiles",
      "mobile phones", "cell phones", "cellphones", "voip", "voice", "calls", "phone system",
      "landline", "landlines", "telecommunication", "telecommunications"),
     ("telecommunication", "telephon", "phone", "voice", "mobile")),
    (("network", "networks", "networking", "wifi", "wi fi", "lan", "wan", "internet",
      "connectivity", "firewall", "firewalls", "broadband", "sd wan"),
     ("network",)),
    (("helpdesk", "help desk", "service desk", "servicedesk", "it support", "desktop support",
      "user support", "end user support", "desktop", "desktops", "desk", "laptops", "laptop",
      "pcs", "computers", "end user computing", "euc", "workplace", "deskside",
      "it help", "support spend", "support spending", "support cost", "support costs",
      "spend on support", "cost of support"),
     ("desktop", "desk", "workplace", "end user", "enduser")),
    (("crm", "salesforce", "hubspot", "dynamics", "customer relationship",
      "customer relationship management", "customer database", "sales system"),
     ("crm", "customer relationship", "salesforce")),
    (("website", "web site", "websites", "web", "web shop", "webshop", "online shop",
      "online store", "web store", "webstore", "e commerce", "ecommerce", "shop", "store",
      "storefront", "shopify", "online sales", "web sales", "online"),
     ("website", "web", "commerce", "ecommerce", "online", "shop", "store")),
    (("payroll", "payslip", "payslips", "pay slips", "salary processing", "wages"),
     ("payroll",)),
    (("accounting", "accounts", "bookkeeping", "general ledger", "ledger", "financials",
      "finance system", "erp"),
     ("accounting", "financial", "ledger", "erp")),
    (("benefits", "benefit", "hr benefits", "employee benefits", "pensions"),
     ("benefit",)),
    (("inventory", "warehouse", "warehousing", "stock control", "stock system",
      "stock management", "wms"),
     ("inventory", "warehouse", "stock")),
    (("procurement", "purchasing", "billing", "invoicing", "invoices", "p2p",
      "purchase to pay", "procure to pay", "accounts payable", "buying system"),
     ("procurement", "purchas", "billing", "invoic")),
    (("consulting", "consultancy", "consultants", "program", "programs", "programme",
      "programmes", "pmo", "project management", "projects office"),
     ("consult", "program")),
)

# Words that name a whole service only together with others: never matched alone.
GENERIC_SERVICE_WORDS = frozenset(phrase(
    "and the of for it user users support service services system systems "
    "platform application app tool tools solution solutions general other misc "
    "miscellaneous shared internal external business cost costs value hours block "
    "priority market offer desk"))

BUSINESS_UNIT_ALIASES: dict[str, tuple[str, ...]] = {
    "operation": ("ops",),
    "customer service": ("customer support", "customer care", "customer success",
                         "contact centre", "contact center", "call centre", "call center"),
    "human resource": ("hr", "people team", "personnel"),
    "hr": ("human resources", "people team", "personnel"),
    "finance": ("accounts department", "finance team", "finance department"),
    "executive": ("execs", "exec", "leadership", "board", "c suite", "management team"),
    "marketing": ("marketing team", "comms", "communications"),
    "sale": ("sales team", "salespeople", "sales department", "sales reps"),
}

MONEY_PATTERN = re.compile(
    r"(?:(?:us)?\$|usd\s?|€|eur\s?|£|gbp\s?)\s?(?P<a>\d[\d,]*(?:\.\d+)?)"
    r"|(?P<b>\d[\d,]*(?:\.\d+)?)\s?(?:\$|dollars?|bucks|usd|eur|euros?|gbp|pounds?)\b")
