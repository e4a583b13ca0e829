"""The PDF: the deck's pages drawn with fpdf2, one 16:9 landscape page per slide.

Text is real text (selectable and searchable) in DejaVu Sans, embedded, so €, – and ≥ print;
without that font the PDF falls back to the built-in Helvetica and writes those characters
in plain ASCII instead.
"""

from __future__ import annotations

import io

from fpdf import FPDF

from .slides import BULLET_INDENT, PAGE_H, PAGE_W, Picture, Rect, Rendered, TextBox
from .typeset import LINE_SPACING, font_file

FAMILY = "DejaVu"
ASCENT = 0.9  # the baseline sits this many ems below the top of a line's glyphs

# Helvetica (the fallback) is Latin-1: what to write instead of the rest
_ASCII = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2265": ">=",
                        "\u2264": "<=", "\u2026": "...", "\u2022": "-", "\u00f7": "/",
                        "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u20ac": "EUR ", "\u00b7": "-"})


class Document:
    """An fpdf2 document in points with DejaVu Sans embedded (else Helvetica, in ASCII): the
    deck's 16:9 landscape pages by default; the Bill of IT passes A4 portrait."""

    def __init__(self, title: str, author: str, *, size: tuple[float, float] = (PAGE_H, PAGE_W),
                 orientation: str = "L",
                 subject: str = "Cost per user, market comparison, value and support"):
        pdf = FPDF(orientation=orientation, unit="pt", format=size)
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_subject(subject)
        pdf.set_creator("valuelib")
        pdf.set_lang("en")
        regular, bold = font_file(False), font_file(True)
        self.unicode = regular is not None and bold is not None
        if self.unicode:
            pdf.add_font(FAMILY, "", str(regular))
            pdf.add_font(FAMILY, "B", str(bold))
        self.pdf = pdf

    def text(self, value: str) -> str:
        return value if self.unicode else value.translate(_ASCII).encode(
            "latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool) -> None:
        self.pdf.set_font(FAMILY if self.unicode else "helvetica", "B" if bold else "", size)

    def color(self, hex_rgb: str, fill: bool = False) -> None:
        rgb = tuple(int(hex_rgb[i: i + 2], 16) for i in (0, 2, 4))
        (self.pdf.set_fill_color if fill else self.pdf.set_text_color)(*rgb)

    def box(self, box: TextBox) -> None:
        y = box.y
        for para in box.paras:
            y += para.space_before
            self.font(para.size, para.bold)
            self.color(para.color)
            line_h = para.size * LINE_SPACING
            indent = para.size * BULLET_INDENT if para.bullet else 0.0
            for n, line in enumerate(para.lines):
                baseline = y + para.size * (LINE_SPACING - 1) / 2 + para.size * ASCENT
                if para.bullet and n == 0:
                    self.pdf.text(box.x, baseline, self.text("•"))
                self.pdf.text(box.x + indent, baseline, self.text(line))
                y += line_h

    def rect(self, rect: Rect) -> None:
        self.color(rect.fill, fill=True)
        self.pdf.rect(rect.x, rect.y, rect.w, rect.h, style="F")


def write_pdf(rendered: Rendered) -> bytes:
    story = rendered.story
    out = Document(f"IT service value: {story.organization}, {story.quarter_label}",
               story.organization)
    pdf = out.pdf
    for page, images in zip(rendered.pages, rendered.images, strict=True):
        pdf.add_page()
        out.font(12, False)
        pdf.start_section(out.text(page.slide.title))  # the outline (bookmarks) of the PDF
        for shape in page.shapes:
            if isinstance(shape, Rect):
                out.rect(shape)
            elif isinstance(shape, Picture):
                pdf.image(io.BytesIO(images[shape.chart]), x=shape.x, y=shape.y, w=shape.w,
                          h=shape.h, alt_text=out.text(page.slide.title))
            else:
                out.box(shape)
    return bytes(pdf.output())
