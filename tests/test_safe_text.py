"""The escaping layer: text from data or links shows literally in Markdown, plotly and
handouts."""

import re
import string

import pytest

from valuelib.safe_text import html, md, md_inline, plain

WJ = "\u2060"
RLO = "\u202e"


def _unescape_md(text: str) -> str:
    """What CommonMark shows for escaped text: a backslash before ASCII punctuation is
    dropped; the word joiner is invisible."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace(WJ, "")


def _markup_left(text: str) -> list[str]:
    """What Markdown (or Streamlit's plugins) could still read as markup in escaped text."""
    left, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            if next(chars, "") not in string.punctuation:
                left.append("lone backslash")
        elif char in "`*_~[]<>$|":
            left.append(char)
    shown = text.replace("\\:", ":").replace("\\&", "")
    left += re.findall(r":[\w+/-]|@\w|www\.|&#?\w+;", shown)
    left += re.findall(r"^(?:[#+=>-]|\d+[.)])", text)
    return left


ATTACKS = [
    "[Session expired - sign in](https://evil.example)",
    "![beacon](http://127.0.0.1:9/beacon.png)",
    "<https://evil.example>",
    "www.evil.example and https://evil.example/x",
    "mail me: someone@evil.example",
    "# Heading",
    "## Also a heading",
    "- a list item",
    "1. numbered",
    "> quote",
    "*emphasis* and **bold** and _under_ and ~~strike~~",
    "`code`",
    "<img src=http://127.0.0.1:9/beacon>",
    '<a href="https://evil.example">click</a>',
    "$x^2$ and $$\\int x$$",
    "costs $1,652 and $15",
    ":red[alarm] :blue-background[calm] :small[tiny] :rainbow[x]",
    ":green-badge[Approved]",
    ":smile: :+1: :-1: :material/home:",
    "back\\slash\\[not a link](x)",
    "| a | b |",
    "=HYPERLINK(\"http://evil\",\"x\")",
    "+1 -1 @sum",
    "heading\n===",
    "    indented code",
    "line one\n\n# line two",
]


@pytest.mark.parametrize("raw", ATTACKS)
def test_md_inline_shows_every_attack_literally(raw):
    escaped = md_inline(raw)
    assert _markup_left(escaped) == []  # nothing left for Markdown to read
    assert _unescape_md(escaped) == " ".join(raw.split())  # and it reads as typed
    assert "\n" not in escaped


@pytest.mark.parametrize("raw, expected", [
    ("Email & Productivity", "Email & Productivity"),  # a lone & is text
    ("&lt;b&gt;", "\\&lt;b\\&gt;"),  # an entity is shown as typed
    ("$12.58 and $15", "\\$12.58 and \\$15"),  # not LaTeX
    ("Usage, row 3, column users: 1.5", "Usage, row 3, column users: 1.5"),  # untouched
    (":smile:", f"\\:{WJ}smile:"),
    (":material/home:", f"\\:{WJ}material/home:"),
    (":red[x]", f"\\:{WJ}red\\[x\\]"),
    ("see https://evil.example", f"see https\\:{WJ}//evil.example"),
    ("WWW.evil.example", f"WWW{WJ}.evil.example"),
    ("a@evil.example", f"a@{WJ}evil.example"),
    ("# title", "\\# title"),
    ("- item", "\\- item"),
    ("12) item", "12\\) item"),
    ("2025-Q1 is fine", "2025-Q1 is fine"),
    ("cost_pool", "cost\\_pool"),
    ("  a \t b\n c ", "a b c"),
    (None, ""),
    (1652, "1652"),
    ("Zoë Ängström", "Zoë Ängström"),
])
def test_md_inline(raw, expected):
    assert md_inline(raw) == expected


def test_md_keeps_lines_as_hard_breaks_and_escapes_each():
    assert md("# one\n\n- two") == "\\# one  \n\\- two"


@pytest.mark.parametrize("raw, expected", [
    ("Email & Productivity", "Email & Productivity"),  # a lone & is not an entity
    ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
    ('<a href="https://evil">x</a>', '&lt;a href="https://evil"&gt;x&lt;/a&gt;'),
    ("a<br>b", "a&lt;br&gt;b"),
    ('<span style="font-size:90px">big</span>', '&lt;span style="font-size:90px"&gt;big'
                                                "&lt;/span&gt;"),
    ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),  # shown as typed, not decoded into a tag
    ("&#60;b&#62; &#x3c;", "&amp;#60;b&amp;#62; &amp;#x3c;"),
    ("R&D; & co", "R&amp;D; & co"),
    (f"Payroll{RLO} $1,652", "Payroll $1,652"),
    (None, ""),
])
def test_html(raw, expected):
    assert html(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    (f"Email{RLO} costs $1,652", "Email costs $1,652"),  # would show "256,1$ stsoc"
    ("a\u202ab\u202bc\u202cd\u202de", "abcde"),  # embeddings and pop
    ("a\u2066b\u2067c\u2068d\u2069e", "abcde"),  # isolates
    ("a\u200eb\u200fc\u061cd", "abcd"),  # marks
    ("zero\u200bwidth\u2060joiner\ufeffbom\u00adsoft", "zerowidthjoinerbomsoft"),
    ("bell\x07 null\x00", "bell null"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("می\u200cخواهم", "می\u200cخواهم"),  # ZWNJ shapes Persian: kept
    ("👩\u200d💻", "👩\u200d💻"),  # ZWJ joins an emoji sequence: kept
    ("שירות ענן", "שירות ענן"),  # right-to-left letters themselves are text
    (None, ""),
    (3.5, "3.5"),
])
def test_plain_removes_invisible_format_characters(raw, expected):
    assert plain(raw) == expected


@pytest.mark.parametrize("escape", [md, md_inline, html])
def test_every_escape_removes_bidi_controls(escape):
    assert RLO not in escape(f"x{RLO}y")


def test_all_ascii_punctuation_together_leaves_no_markup():
    assert _markup_left(md_inline(string.punctuation)) == []
