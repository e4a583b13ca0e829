"""Text from data or links is text: escaping for the places that would otherwise read it as
markup.

Three outputs interpret text, each in its own way:

- **Streamlit's Markdown** (``st.markdown``, captions, titles, metric labels and values,
  alerts, button / pills / expander labels): CommonMark + GFM (links, images, autolinks,
  ``www.`` links, headings, lists, emphasis, tables), LaTeX between ``$`` / ``$$``, directives
  (``:red[...]``, ``:blue-background[...]``, ``:small[...]``), emoji shortcodes (``:smile:``)
  and Material icons (``:material/home:``). Raw HTML is not rendered (it vanishes). :func:`md`
  makes a value show literally.
- **Plotly's chart text** (titles, tick labels, annotations, hover text, legend names, bubble
  labels): a subset of HTML (``<a href>``, ``<b>``, ``<br>``, ``<span style>``) and entities.
  :func:`html` makes a value show literally; the chart code adds its own ``<br>``/``<b>``
  around escaped data, never inside it.
- **Every output, handouts included**: Unicode bidi controls (a right-to-left override turns
  "$1,652" into "256,1$") and other invisible format characters. :func:`plain` removes them.

Each function takes plain text (anything; ``None`` is ""), and is applied once, where the text
meets its output: view models and answers carry plain text, and the shell (``ui/render.py``)
or the chart escapes it. Escaping twice shows the escapes, so nothing upstream pre-escapes.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["html", "md", "md_inline", "plain"]

# Kept although they are format characters: they shape scripts (ZWNJ in Persian, ZWJ in
# Indic scripts and emoji sequences) and cannot reorder text.
_KEEP_FORMAT = {"\u200c", "\u200d"}


def _is_invisible(char: str) -> bool:
    """Bidi embeddings, overrides and isolates (U+202A-E, U+2066-9), the marks (U+200E/F,
    U+061C), zero-width space, word joiner, BOM, soft hyphen…: Unicode category Cf."""
    return unicodedata.category(char) == "Cf" and char not in _KEEP_FORMAT


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(value) -> str:
    """``value`` as text with bidi controls and other invisible format characters removed
    (and C0 control characters other than tab and newlines), so what is shown is what is
    there. Applied by :func:`md` and :func:`html`; handouts use it directly."""
    if value is None:
        return ""
    text = _CONTROL.sub("", str(value))
    if text.isascii():
        return text
    return "".join(c for c in text if not _is_invisible(c))


# Escaped wherever they stand: links and images ([ ]), autolinks and HTML (< >), emphasis
# and strikethrough (* _ ~), code (`), LaTeX ($), tables (|) and the backslash itself.
# CommonMark shows any backslash-escaped ASCII punctuation literally.
_MD_ALWAYS = str.maketrans({c: "\\" + c for c in "\\`*_~[]<>$|"})
# At the start of a line only: headings, lists, quotes, setext underlines, thematic breaks.
_MD_LINE_START = re.compile(r"^([#+=>-])|^(\d+)([.)])")
# An entity (&lt; &#60;) would be decoded; a lone "&" (Email & Office) is text already.
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# These are matched by Streamlit's plugins in the parsed text, after backslash escapes are
# gone: emoji shortcodes (:smile:), Material icons (:material/home:), directives (:red[x]),
# and GFM's literal autolinks (https://…, www.…, name@host.org). A word joiner (U+2060,
# invisible) after the colon, before "www"'s dot or after the "@" breaks each match.
_MD_JOINER_AFTER = re.compile(r"(:(?=[\w+/-])|@(?=\w)|(?<![\w.])www(?=\.))", re.IGNORECASE)
_WORD_JOINER = "\u2060"
_SPACES = re.compile(r"\s+")


def md_inline(value) -> str:
    """``value`` for Streamlit Markdown, shown literally on one line: whitespace runs
    (newlines, tabs, indentation that would make a code block) collapsed to one space, the
    characters above escaped, shortcodes and autolinks broken, bidi controls removed."""
    return _escaped(_md_inline, value)


def _escaped(escape, value) -> str:
    text = "" if value is None else str(value)
    # Pages escape the same labels and sentences on every run: a short text once (a long
    # one, which an upload may hold, is not kept).
    return escape(text) if len(text) <= _KEPT_LENGTH else escape.__wrapped__(text)


_KEPT_LENGTH = 2000


@functools.lru_cache(maxsize=8192)
def _md_inline(value: str) -> str:
    text = _SPACES.sub(" ", plain(value)).strip()
    text = _MD_JOINER_AFTER.sub(lambda m: m.group(0) + _WORD_JOINER, text)
    text = text.translate(_MD_ALWAYS).replace(":" + _WORD_JOINER, "\\:" + _WORD_JOINER)
    text = _MD_ENTITY.sub(r"\\&", text)
    return _MD_LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1)
                              else m.group(2) + "\\" + m.group(3), text)


def md(value) -> str:
    """``value`` for Streamlit Markdown, shown literally; line breaks are kept as Markdown
    hard breaks (two spaces before the newline) and every line is escaped as by
    :func:`md_inline`. Use this for sentences and notes; :func:`md_inline` for names."""
    return _escaped(_md, value)


@functools.lru_cache(maxsize=8192)
def _md(value: str) -> str:
    lines = [md_inline(line) for line in plain(value).splitlines()]
    return "  \n".join(line for line in lines if line)


# Plotly turns &lt; &gt; &amp; &quot; &#60; &#x3c; and a few named entities into characters,
# so a literal "&" needs escaping only where it starts one; a lone "&" (Email & Office) is
# left as it is, which keeps the figure's JSON readable.
_ENTITY_START = re.compile(r"&(?=#?\w+;)")


def html(value) -> str:
    """``value`` for plotly chart text (titles, ticks, hover, legend, annotations), shown
    literally: ``<`` and ``>`` (tags such as ``<a href>``, ``<br>``, ``<span style>``) and an
    ``&`` that would start an entity are escaped; bidi controls are removed."""
    text = _ENTITY_START.sub("&amp;", plain(value))
    return text.replace("<", "&lt;").replace(">", "&gt;")
