"""Measuring and fitting text, so nothing on a slide or page is clipped or overflows.

Text is measured in the font it is drawn in: the PDF embeds DejaVu Sans (Debian's
fonts-dejavu-core); the deck's Arial is measured with Liberation Sans, which has Arial's
metrics (fonts-liberation), or else with DejaVu Sans, which is wider, so the text still fits.
Without either font file, widths are estimated generously per character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..safe_text import plain

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/share/fonts/truetype/liberation2"),
             Path("/usr/share/fonts/truetype/liberation"), Path("/usr/local/share/fonts"),
             Path.home() / ".fonts")
LINE_SPACING = 1.2  # line height ÷ font size, in PowerPoint and in our PDF
ELLIPSIS = "…"
_ESTIMATE_EM = {False: 0.62, True: 0.68}  # per character, without the font file (generous)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text) -> str:
    """Text safe for XML and PDF: control characters and bidi controls dropped (a name with
    a right-to-left override would turn "$1,652" into "256,1$"), runs of spaces collapsed."""
    text = plain(_CONTROL.sub("", "" if text is None else str(text)))
    return re.sub(r"[ \t]+", " ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


@dataclass(frozen=True)
class Face:
    """A typeface to measure text in: its regular and bold files, tried in order."""

    name: str
    regular: tuple[str, ...]
    bold: tuple[str, ...]


DEJAVU = Face("DejaVu Sans", ("DejaVuSans.ttf",), ("DejaVuSans-Bold.ttf",))
# Arial's metrics: Liberation Sans; DejaVu Sans (wider) when it is not installed
ARIAL = Face("Arial", ("LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
             ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"))


def font_file(bold: bool = False, face: Face = DEJAVU) -> Path | None:
    """The face's font file (regular or bold) where Debian puts it, or None."""
    for name in face.bold if bold else face.regular:
        for folder in FONT_DIRS:
            if (folder / name).is_file():
                return folder / name
    return None


@lru_cache(maxsize=8)
def _font(bold: bool, face: Face):
    path = font_file(bold, face)
    if path is None:
        return None
    from PIL import ImageFont

    return ImageFont.truetype(str(path), 100)


def text_width(text: str, size: float, bold: bool = False, face: Face = DEJAVU) -> float:
    """Width of one line of ``text`` in points at ``size`` pt."""
    font = _font(bold, face)
    if font is None:
        return len(text) * size * _ESTIMATE_EM[bold]
    return font.getlength(text) * size / 100


def wrap(text: str, width: float, size: float, bold: bool = False,
         face: Face = DEJAVU) -> list[str]:
    """Greedy word wrap to ``width`` points; a word longer than a line is broken."""
    lines: list[str] = []
    for para in clean(text).split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}" if line else word
            if text_width(trial, size, bold, face) <= width:
                line = trial
                continue
            if line:
                lines.append(line)
            line = word
            while text_width(line, size, bold, face) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and text_width(line[:cut], size, bold, face) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def shorten(line: str, width: float, size: float, bold: bool = False,
            face: Face = DEJAVU) -> str:
    """``line`` cut at a word with an ellipsis so that it fits ``width``."""
    if text_width(line, size, bold, face) <= width:
        return line
    words = line.split(" ")
    while len(words) > 1:
        words.pop()
        trial = " ".join(words).rstrip(",;:–-") + ELLIPSIS
        if text_width(trial, size, bold, face) <= width:
            return trial
    text = line
    while text and text_width(text + ELLIPSIS, size, bold, face) > width:
        text = text[:-1]
    return text + ELLIPSIS


@dataclass(frozen=True)
class Fitted:
    """Text fitted into a width: the size chosen, the lines and their height in points."""

    size: float
    lines: tuple[str, ...]
    bold: bool = False

    @property
    def height(self) -> float:
        return line_height(self.size) * len(self.lines)


def line_height(size: float) -> float:
    return size * LINE_SPACING


def fit(text: str, width: float, sizes: tuple[float, ...], max_lines: int,
        bold: bool = False, face: Face = DEJAVU) -> Fitted:
    """The largest of ``sizes`` at which ``text`` wraps into ``max_lines`` lines; at the
    smallest size, the lines past ``max_lines`` are dropped and the last one shortened."""
    for size in sizes:
        lines = wrap(text, width, size, bold, face)
        if len(lines) <= max_lines:
            return Fitted(size, tuple(lines), bold)
    size = sizes[-1]
    lines = wrap(text, width, size, bold, face)
    kept = lines[:max_lines]
    kept[-1] = shorten(kept[-1] + " " + lines[max_lines], width, size, bold, face)
    return Fitted(size, tuple(kept), bold)
