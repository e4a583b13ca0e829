"""A link's parameters are checked against the data: unknown values are dropped with a plain
note that quotes them as text."""

import pytest

from valuelib.links import MAX_QUESTION_CHARS, check_link, quote

DATA = {"quarters": ["2026-Q3", "2026-Q2"], "units": ["Sales", "Finance"],
        "services": ["CRM", "Email & Productivity"], "shown_quarter": "2026-Q3"}
EVIL = "[Session expired - sign in](https://evil.example)"


@pytest.mark.parametrize("params, values, drop", [
    ({}, {}, ()),
    ({"quarter": "2026-Q2"}, {"quarter": "2026-Q2"}, ()),
    ({"quarter": "abc"}, {}, ("quarter",)),
    ({"quarter": "2026-q2"}, {}, ("quarter",)),  # only the data's own spelling
    ({"bu": "Sales"}, {"bu": "Sales"}, ()),
    ({"bu": "All business units"}, {"bu": "All business units"}, ()),
    ({"bu": EVIL}, {}, ("bu",)),
    ({"unit": "Sales"}, {"unit": "Sales"}, ()),
    ({"unit": "All business units"}, {}, ("unit",)),  # a statement is one unit's
    ({"unit": EVIL}, {}, ("unit",)),
    ({"service": "Email & Productivity"}, {"service": "Email & Productivity"}, ()),
    ({"service": EVIL}, {}, ("service",)),
    ({"step": "3"}, {"step": 3}, ()),
    ({"step": "0"}, {}, ("step",)),
    ({"step": "-1"}, {}, ("step",)),
    ({"step": "100"}, {}, ("step",)),
    ({"step": "²"}, {}, ("step",)),  # str.isdigit() says yes; int() says no
    ({"step": EVIL}, {}, ("step",)),
    ({"present": "1"}, {"present": True}, ()),
    ({"present": "TRUE"}, {"present": True}, ()),
    ({"present": "0"}, {"present": False}, ()),
    ({"present": EVIL}, {}, ("present",)),
    ({"q": "what does CRM cost?"}, {"q": "what does CRM cost?"}, ()),
    ({"q": f"{EVIL}\n# heading\u202e"}, {"q": f"{EVIL} # heading"}, ()),
    ({"q": "x" * 5000}, {"q": "x" * MAX_QUESTION_CHARS}, ()),
    ({"embed": "true"}, {}, ()),  # not ours: left alone
    ({"quarter": "abc", "bu": "Sales", "step": "x"}, {"bu": "Sales"}, ("quarter", "step")),
])
def test_check_link(params, values, drop):
    checked = check_link(params, **DATA)
    assert checked.values == values
    assert checked.drop == drop


def test_a_dropped_quarter_says_what_is_shown_instead():
    checked = check_link({"quarter": "abc"}, **DATA,
                         quarter_names={"2026-Q3": "FY2027 Q1 (2026-Q3)"})
    assert checked.notes == ("The link asked for quarter 'abc', which is not in this data; "
                             "showing FY2027 Q1 (2026-Q3).",)


def test_notes_quote_the_link_shortened_and_plain():
    checked = check_link({"bu": EVIL + "\u202e" + "x" * 500}, **DATA)
    (note,) = checked.notes
    assert "\u202e" not in note and len(note) < 200
    assert note.startswith("The link asked for business unit '[Session expired - sign in](")
    assert note.endswith("…', which is not in this data; showing all business units.")


@pytest.mark.parametrize("raw, expected", [
    ("abc", "abc"),
    ("a\n\tb\u202ec", "a bc"),
    ("x" * 41, "x" * 39 + "…"),
])
def test_quote(raw, expected):
    assert quote(raw) == expected


def test_a_statement_link_for_a_unit_the_data_lacks_says_so():
    checked = check_link({"unit": "Legal"}, **DATA)
    assert checked.notes == ("The link asked for a statement for business unit 'Legal', which "
                             "is not in this data; showing another unit's: pick yours in the "
                             "list.",)
