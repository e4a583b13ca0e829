"""The deck: laid-out pages drawn as a 16:9 PowerPoint file with python-pptx.

The slide size is set to 13.333 × 7.5 in and every shape is placed by hand on the blank
layout: placeholders would keep the default template's 4:3 geometry and clip.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from .slides import BULLET_INDENT, Page, Picture, Rect, Rendered, TextBox
from .typeset import LINE_SPACING, clean

FONT = "Arial"  # everywhere; LibreOffice draws it with the metric-compatible Liberation Sans
EMU_PER_PT = 12700
BLANK_LAYOUT = 6  # "Blank" in python-pptx's default template


def _emu(points: float) -> Emu:
    return Emu(int(round(points * EMU_PER_PT)))


def _text_box(slide, box: TextBox) -> None:
    shape = slide.shapes.add_textbox(_emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))
    shape.name = f"{box.name or 'text'} box"
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for i, para in enumerate(box.paras):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = PP_ALIGN.LEFT
        # exact line pitch (a multiple would scale the font's own line height, which differs
        # between PowerPoint and LibreOffice), so the measured box height holds
        p.line_spacing = Pt(para.size * LINE_SPACING)
        if para.space_before:
            p.space_before = Pt(para.space_before)
        # the measured lines, with line breaks: the same lines as the PDF, never re-wrapped
        # at a hyphen ("2026-" / "Q2")
        for n, line in enumerate(para.lines):
            if n:
                p.add_line_break()
            run = p.add_run()
            run.text = line
            font = run.font
            font.name = FONT
            font.size = Pt(para.size)
            font.bold = para.bold
            font.color.rgb = RGBColor.from_string(para.color)
        if para.bullet:
            indent = int(round(para.size * BULLET_INDENT * EMU_PER_PT))
            ppr = p._p.get_or_add_pPr()
            ppr.set("marL", str(indent))
            ppr.set("indent", str(-indent))
            bullet_font = ppr.makeelement(qn("a:buFont"), {"typeface": FONT})
            bullet = ppr.makeelement(qn("a:buChar"), {"char": "•"})
            ppr.append(bullet_font)
            ppr.append(bullet)


def _rect(slide, rect: Rect) -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _emu(rect.x), _emu(rect.y),
                                   _emu(rect.w), _emu(rect.h))
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(rect.fill)
    shape.line.fill.background()
    style = shape._element.find(qn("p:style"))  # the theme's shadow and outline: none
    if style is not None:
        shape._element.remove(style)
    shape.name = "panel" if rect.h > 10 else "accent"


def _picture(slide, pic: Picture, png: bytes, alt: str) -> None:
    shape = slide.shapes.add_picture(io.BytesIO(png), _emu(pic.x), _emu(pic.y),
                                     _emu(pic.w), _emu(pic.h))
    shape.name = "chart"
    # alternative text for screen readers: the slide's message
    shape._element.nvPicPr.cNvPr.set("descr", alt)


def write_deck(rendered: Rendered) -> bytes:
    prs = Presentation()
    prs.slide_width = _emu(960)  # 13.333 in: 12,192,000 EMU
    prs.slide_height = _emu(540)  # 7.5 in: 6,858,000 EMU
    story = rendered.story
    props = prs.core_properties
    props.title = f"IT service value: {story.organization}, {story.quarter_label}"
    props.author = story.organization
    props.subject = "Cost per user, market comparison, value and support"
    props.keywords = story.quarter or ""
    for page, images in zip(rendered.pages, rendered.images, strict=True):
        _slide(prs, page, images)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _slide(prs, page: Page, images: tuple[bytes, ...]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    for shape in page.shapes:
        if isinstance(shape, Rect):
            _rect(slide, shape)
        elif isinstance(shape, Picture):
            _picture(slide, shape, images[shape.chart], page.slide.title)
        else:
            _text_box(slide, shape)
    slide.notes_slide.notes_text_frame.text = clean(page.notes)
