"""The story the deck and the PDF tell, as data: slides, then pages laid out in points.

``slides()`` turns the views (:func:`valuelib.views.overview`, :func:`~valuelib.views.story`,
:func:`~valuelib.views.service_detail`) into :class:`Slide` objects: one message as the title,
then the headline cards or the chart (across the page, with its subtitle as a caption), and
for the speaker notes the plain-English reading and the step's supporting facts.
``layout()`` places every slide on a 13.333 × 7.5 in (960 × 540 pt) page with text measured
in the font it is drawn in, so the deck and the PDF draw the same boxes and nothing
overflows. Charts are drawn to PNG by ``render_charts()`` with one kaleido server per export.
"""

from __future__ import annotations

import asyncio
import html
import queue
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from .. import charts, views, whatif
from ..frames import shift_quarter
from ..model import Dataset
from ..parse import quarter_label
from ..present.formatting import MINUS, fmt_date
from .typeset import DEJAVU, Face, Fitted, clean, fit, line_height, text_width

Progress = Callable[[float, str], None] | None

# ---- geometry (points; the page is 16:9) ------------------------------------------------------

PAGE_W, PAGE_H = 960.0, 540.0  # 13.333 × 7.5 in
MARGIN = 36.0  # 0.5 in
TITLE_TOP = 26.0
BODY_BOTTOM = PAGE_H - 30.0
CONTENT_W = PAGE_W - 2 * MARGIN
TITLE_SIZES = (32.0, 30.0, 28.0)
CAPTION_SIZE = 18.0
CARD_GAP = 18.0
CARD_PAD = 14.0

INK = "222222"
MUTED = "555555"
ACCENT = "0072B2"  # the charts' in-house blue
CARD_FILL = "F2F4F7"
GOOD, BAD, NEUTRAL = "007A5A", "C04A00", "555555"  # darker Okabe-Ito green / vermillion

# A chart is drawn at the pixel width that makes its body text (layout.font.size px) appear
# at CHART_TEXT_PT on the slide: a presentation-sized chart across the page is drawn at
# 1280 px, its design size; a screen-sized one (smaller type) narrower, to show it as large.
CHART_TEXT_PT = charts.PRESENTATION.font * (PAGE_W - 2 * MARGIN) / 1280
IMAGE_PX = 1920  # pixels across every PNG: a projector's full width


# ---- the story as data -----------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    """A headline figure: label, value and its change (``tone`` good / bad / neutral)."""

    label: str
    value: str
    delta: str = ""
    tone: str = "neutral"


@dataclass(frozen=True, eq=False)
class Slide:
    """One slide / page. ``kind``: ``title``, ``cards`` or ``chart``."""

    key: str
    kind: str
    title: str
    notes: str
    subtitle: tuple[str, ...] = ()
    cards: tuple[Card, ...] = ()
    figure: go.Figure | None = None
    caption: str = ""
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    """What an export shows: its slides and the facts for the file's properties."""

    organization: str
    quarter: str | None
    quarter_label: str
    business_unit: str | None
    slides: tuple[Slide, ...]


def _check(dataset: Dataset, quarter: str | None, services: Sequence[str]) -> None:
    if quarter and quarter not in dataset.quarters:
        have = ", ".join(dataset.quarters) or "none"
        raise ValueError(f"No data for quarter {quarter!r}. Quarters with data: {have}.")
    known = set(views.service_options(dataset))
    unknown = [s for s in services if s not in known]
    if unknown:
        raise ValueError(f"No service named {', '.join(map(repr, unknown))} in this data. "
                         f"Services: {', '.join(sorted(known, key=str.casefold))}.")


def _delta_text(h: views.Headline, since: str) -> str:
    delta = h.delta_text
    return delta if not delta or h.delta_arrow == "off" else f"{delta} on {since}"


def _tone(h: views.Headline) -> str:
    if not h.delta or h.delta_arrow == "off" or h.delta_color == "off":
        return "neutral"
    rising = not h.delta.startswith(("-", MINUS))
    if h.delta.lstrip("+-" + MINUS).startswith(("0.0", "0 ")):
        return "neutral"
    good = rising if h.delta_color == "normal" else not rising
    return "good" if good else "bad"


def _plain(text: str | None) -> str:
    """A plotly title as plain text: line breaks and tags removed, then the data's escaped
    ``&lt;`` ``&gt;`` ``&amp;`` shown as the characters they stand for."""
    text = re.sub(r"<br\s*/?>", " ", text or "")
    return clean(html.unescape(re.sub(r"<[^>]+>", "", text)))


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().casefold()

    return norm(a) == norm(b)


def _caption(fig: go.Figure | None, title: str) -> str:
    """What the chart said besides the slide's title: its subtitle, else its own title."""
    if fig is None:
        return ""
    subtitle = _plain(fig.layout.title.subtitle.text) if fig.layout.title.subtitle else ""
    if subtitle:
        return subtitle
    own = _plain(fig.layout.title.text)
    return "" if _same(own, title) else own


def _notes(reading: str, facts: Sequence[str]) -> str:
    """Speaker notes: the plain-English reading, then the key facts to say."""
    if not facts:
        return reading
    return reading + "\n\nKey facts:\n" + "\n".join(f"• {f}" for f in facts)


def _first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence (not one inside $1.50)."""
    match = re.search(r"\.(\s|$)", text)
    return text[: match.start() + 1] if match else text


def slides(dataset: Dataset, quarter: str | None = None, services: Sequence[str] = (),
           business_unit: str | None = None,
           scenarios: Sequence[whatif.Scenario] = ()) -> Story:
    """The deck's slides: a title, then the story the Presentation page shows, step for step
    (the headline as the Overview's headline cards), with one slide per chosen service
    before the scenarios."""
    services = tuple(dict.fromkeys(services))  # in order, once each
    _check(dataset, quarter, services)
    over, steps = views.overview_and_story(dataset, quarter, business_unit, scenarios)
    fiscal_start = dataset.settings.fiscal_year_start
    since = quarter_label(shift_quarter(over.quarter, -1), fiscal_start) if over.quarter else ""
    who = over.organization + (f": {business_unit}" if business_unit else "")
    out = [Slide(
        "title", "title", who,
        notes=(f"This deck shows the IT services of {who} in {over.quarter_label}: what each "
               "service costs per user per month, how that compares with buying it from a "
               "provider, which services earn their cost, and whether support work is getting "
               f"more proactive. Money is in {over.currency}; per-user figures are per user "
               "per month (a quarter's cost ÷ its users ÷ 3)."),
        subtitle=(f"IT service value · {over.quarter_label}",
                  f"Prepared {fmt_date(pd.Timestamp.now())}"))]
    service_slides = [_service_slide(dataset, quarter, name, business_unit, since)
                      for name in services]
    for step in steps:
        if step.key.startswith("scenario:") and service_slides:
            out += service_slides
            service_slides = []
        out.append(_headline_slide(step, over, since) if step.key == "headline"
                   else step_slide(step))
    out += service_slides
    return Story(over.organization, over.quarter, over.quarter_label, business_unit,
                 tuple(out))


def _headline_slide(step: views.StoryStep, over: views.OverviewView, since: str) -> Slide:
    """The headline step as the Overview's headline cards (each change against ``since``),
    its reading and the cards' sentences in the notes."""
    reading = step.notes
    extra = [h.sentence for h in over.headlines if h.sentence and h.sentence not in reading]
    return Slide("headlines", "cards", step.title, notes=" ".join([reading, *extra]).strip(),
                 cards=tuple(Card(h.label, h.value, _delta_text(h, since), _tone(h))
                             for h in over.headlines))


def step_slide(step: views.StoryStep) -> Slide:
    """A story step as a slide: its tiles as cards, else its chart (or, without one, its
    facts); the reading and the key facts as speaker notes."""
    notes = _notes(step.notes, step.speaker_facts)
    if step.headlines:
        return Slide(step.key, "cards", step.title, notes=notes,
                     cards=tuple(Card(h.label, h.value, h.delta_text, _tone(h))
                                 for h in step.headlines),
                     bullets=step.bullets)
    return Slide(step.key, "chart", step.title, notes=notes, figure=step.figure,
                 caption=_caption(step.figure, step.title), bullets=step.bullets)


def _service_slide(dataset: Dataset, quarter: str | None, name: str,
                   business_unit: str | None, since: str) -> Slide:
    view = views.service_detail(dataset, quarter, name, business_unit)
    facts = []
    for h in view.headlines:
        if h.label == "Users":
            continue
        delta = _delta_text(h, since)
        facts.append(f"{h.label}: {h.value}" + (f" ({delta})" if delta else ""))
    readings = [view.sentence, *(h.sentence for h in view.headlines if h.sentence),
                *view.notes]
    return Slide(
        f"service:{name}", "chart", _first_sentence(view.sentence),
        notes=_notes(" ".join(dict.fromkeys(r for r in readings if r)), facts[:3]),
        figure=view.trend_chart, caption=_caption(view.trend_chart, view.sentence),
        bullets=tuple(facts[:3]))


# ---- pages laid out ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Para:
    """A paragraph already wrapped into ``lines``, measured in the font it is drawn in; the
    deck and the PDF both break it at exactly these lines."""

    lines: tuple[str, ...]
    size: float
    bold: bool = False
    color: str = INK
    bullet: bool = False
    space_before: float = 0.0

    @property
    def height(self) -> float:
        return self.space_before + line_height(self.size) * len(self.lines)


@dataclass(frozen=True)
class TextBox:
    x: float
    y: float
    w: float
    h: float
    paras: tuple[Para, ...]
    name: str = ""


@dataclass(frozen=True)
class Picture:
    x: float
    y: float
    w: float
    h: float
    chart: int  # index into Page.figures / the rendered PNGs


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True, eq=False)
class Page:
    slide: Slide
    shapes: tuple[TextBox | Picture | Rect, ...]
    notes: str
    figures: tuple[tuple[go.Figure, int, int], ...] = field(default=())  # (figure, px w, px h)


BULLET_INDENT = 0.9  # em


def _para(f: Fitted, color: str = INK, bullet: bool = False, space_before: float = 0.0) -> Para:
    return Para(f.lines, f.size, f.bold, color, bullet, space_before)


def _figure_px(fig: go.Figure, w: float, h: float) -> tuple[int, int]:
    """Pixel size to draw a chart shown ``w`` × ``h`` points."""
    font = fig.layout.font.size or 20
    px_w = int(round(font * w / CHART_TEXT_PT))
    return px_w, int(round(px_w * h / w))


def for_slide(fig: go.Figure) -> go.Figure:
    """A copy of a chart for a slide: the slide's title carries the message (and the caption
    the subtitle), so the chart's own title goes and the top margin keeps only the legend."""
    return charts.untitled(fig)


class _Layout:
    """Places slides on the page, measuring text in ``face`` (the font it is drawn in)."""

    def __init__(self, face: Face):
        self.face = face

    def fit(self, text: str, width: float, sizes: tuple[float, ...], max_lines: int,
            bold: bool = False) -> Fitted:
        return fit(text, width, sizes, max_lines, bold, self.face)

    def page(self, slide: Slide) -> Page:
        if slide.kind == "title":
            return self.title_page(slide)
        f = self.fit(slide.title, CONTENT_W, TITLE_SIZES, max_lines=2, bold=True)
        box = TextBox(MARGIN, TITLE_TOP, CONTENT_W, f.height + 4, (_para(f),), name="title")
        body_top = TITLE_TOP + box.h + 24
        shapes = [box, Rect(MARGIN, body_top - 14, 64, 3, ACCENT)]
        if slide.kind == "cards":
            return self.cards_page(slide, shapes, body_top)
        return self.chart_page(slide, shapes, body_top)

    def chart_page(self, slide: Slide, shapes: list, top: float) -> Page:
        """The chart across the page under the title, its caption below. The chart gets the
        whole width, so it is drawn at about 1280 px, the size the charts are designed for,
        and its type reads at about 14 pt; the supporting facts go in the speaker notes."""
        bottom = BODY_BOTTOM
        if slide.caption:
            cap = self.fit(slide.caption, CONTENT_W, (CAPTION_SIZE,), max_lines=2)
            shapes.append(TextBox(MARGIN, bottom - cap.height - 2, CONTENT_W, cap.height + 2,
                                  (_para(cap, MUTED),), name="caption"))
            bottom -= cap.height + 8
        figures = ()
        if slide.figure is not None:
            fig = for_slide(slide.figure)
            px_w, px_h = _figure_px(fig, CONTENT_W, bottom - top)
            figures = ((fig, px_w, px_h),)
            shapes.append(Picture(MARGIN, top, CONTENT_W, bottom - top, 0))
        elif slide.bullets:  # no chart: the facts take its place
            paras = [_para(self.fit(t, CONTENT_W - 20 * BULLET_INDENT, (20.0,), max_lines=3),
                           bullet=True, space_before=12 if i else 0)
                     for i, t in enumerate(slide.bullets)]
            shapes.append(TextBox(MARGIN, top, CONTENT_W, sum(p.height for p in paras) + 2,
                                  tuple(paras), name="facts"))
        return Page(slide, tuple(shapes), slide.notes, figures)

    def card(self, card: Card, x: float, y: float, w: float, h: float,
             label_lines: int) -> list:
        """A card; its value sits below ``label_lines`` lines of label, so the values of a
        row line up. In a short card the change goes first, then the label's second line."""
        inner, room = w - 2 * CARD_PAD, h - 2 * CARD_PAD
        value = self.fit(card.value, inner, (44.0, 40.0, 36.0, 32.0, 28.0), max_lines=1,
                         bold=True)
        color = {"good": GOOD, "bad": BAD}.get(card.tone, NEUTRAL)
        for lines, with_delta in ((2, True), (2, False), (1, False)):
            label = self.fit(card.label, inner, (18.0,), max_lines=lines)
            pad = (min(label_lines, lines) - len(label.lines)) * line_height(label.size)
            paras = [_para(label, MUTED), _para(value, INK, space_before=8 + pad)]
            if card.delta and with_delta:
                delta = self.fit(card.delta, inner, (18.0,), max_lines=2)
                paras.append(_para(delta, color, space_before=4))
            used = sum(p.height for p in paras)
            if used + 4 <= room:
                break
        return [Rect(x, y, w, h, CARD_FILL),
                TextBox(x + CARD_PAD, y + CARD_PAD, inner, min(used + 4, room), tuple(paras),
                        name="card")]

    def cards_page(self, slide: Slide, shapes: list, top: float) -> Page:
        n = len(slide.cards)
        cols = {0: 1, 1: 1, 2: 2, 4: 2}.get(n, 3)  # 3 a row; 4 as 2 × 2
        rows = max(1, -(-n // cols))
        w = (CONTENT_W - (cols - 1) * CARD_GAP) / cols
        h = min((BODY_BOTTOM - top - (rows - 1) * CARD_GAP) / rows, 190.0)
        inner = w - 2 * CARD_PAD
        label_lines = max((len(self.fit(c.label, inner, (18.0,), 2).lines)
                           for c in slide.cards), default=1)
        for i, card in enumerate(slide.cards):
            r, c = divmod(i, cols)
            shapes += self.card(card, MARGIN + c * (w + CARD_GAP), top + r * (h + CARD_GAP),
                                w, h, label_lines)
        below = top + rows * h + (rows - 1) * CARD_GAP + CARD_GAP
        paras: list[Para] = []
        for t in slide.bullets:  # the facts under the cards, as many as fit
            para = _para(self.fit(t, CONTENT_W - 18 * BULLET_INDENT, (18.0,), max_lines=2),
                         bullet=True, space_before=8 if paras else 0)
            if below + sum(p.height for p in paras) + para.height + 2 > BODY_BOTTOM:
                break
            paras.append(para)
        if paras:
            shapes.append(TextBox(MARGIN, below, CONTENT_W, sum(p.height for p in paras) + 2,
                                  tuple(paras), name="facts"))
        return Page(slide, tuple(shapes), slide.notes)

    def title_page(self, slide: Slide) -> Page:
        name = self.fit(slide.title, CONTENT_W, (44.0, 40.0, 36.0), max_lines=2, bold=True)
        top = 170.0
        shapes: list = [Rect(MARGIN, top - 24, 96, 5, ACCENT),
                        TextBox(MARGIN, top, CONTENT_W, name.height + 4, (_para(name),),
                                name="title")]
        y = top + name.height + 18
        for i, line in enumerate(slide.subtitle):
            f = self.fit(line, CONTENT_W, (28.0, 24.0) if i == 0 else (20.0,), max_lines=2)
            shapes.append(TextBox(MARGIN, y, CONTENT_W, f.height + 4,
                                  (_para(f, INK if i == 0 else MUTED),), name="subtitle"))
            y += f.height + 12
        return Page(slide, tuple(shapes), slide.notes)


def layout(slide: Slide, face: Face = DEJAVU) -> Page:
    """Place a slide's text, cards and chart on a 960 × 540 pt page, measuring its text in
    ``face``: DEJAVU for the PDF, ARIAL for the deck."""
    return _Layout(face).page(slide)


def overflows(page: Page, face: Face = DEJAVU) -> list[str]:
    """Shapes that leave the page or whose text needs more room than its box, measured in
    ``face`` (a check the tests use; empty when the page is sound)."""
    problems = []
    for s in page.shapes:
        if s.x < 0 or s.y < 0 or s.x + s.w > PAGE_W + 0.01 or s.y + s.h > PAGE_H + 0.01:
            problems.append(f"{type(s).__name__} {getattr(s, 'name', '')} leaves the page")
        if isinstance(s, TextBox):
            if sum(p.height for p in s.paras) > s.h + 0.01:
                problems.append(f"text box {s.name} is too short for its text")
            for p in s.paras:
                indent = p.size * BULLET_INDENT if p.bullet else 0.0
                for line in p.lines:
                    if text_width(line, p.size, p.bold, face) > s.w - indent + 0.01:
                        problems.append(f"text box {s.name}: {line!r} is too wide")
    return problems


# ---- charts to PNG ----------------------------------------------------------------------------

class ChartError(RuntimeError):
    """A chart could not be drawn (kaleido needs Chrome or Chromium)."""


def _chart_error(exc: BaseException) -> ChartError:
    return ChartError(f"Could not draw the charts ({type(exc).__name__}: {exc}). Kaleido needs "
                      "Chrome or Chromium: on Debian, apt-get install chromium.")


class ChartRenderer:
    """One headless browser (kaleido) for a whole export, in a thread of its own.

    It starts on creation, so the browser starts while the figures are still being worked
    out, and draws every chart of the export: once per export, not once per chart. It is
    the export's own rather than kaleido's process-wide sync server, so two exports (or the
    app's own ``fig.to_image``) never share or stop each other's browser, and a browser that
    fails to start raises :class:`ChartError` instead of leaving a caller waiting on it."""

    POLL_SECONDS = 0.5

    def __init__(self):
        self._jobs: queue.Queue = queue.Queue()
        self._results: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="report-charts", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # e.g. no browser: handed to whoever waits for a chart
            self._results.put(exc)

    async def _serve(self) -> None:
        import kaleido

        async with kaleido.Kaleido(n=1, mathjax=False) as k:
            while (job := await asyncio.to_thread(self._jobs.get)) is not None:
                fig, opts = job
                try:
                    self._results.put(await k.calc_fig(fig, opts=opts))
                except Exception as exc:
                    self._results.put(exc)

    def png(self, fig: go.Figure, width: int, height: int) -> bytes:
        """The figure as PNG bytes, ``IMAGE_PX`` pixels across, laid out at width × height."""
        opts = {"format": "png", "width": width, "height": height, "scale": IMAGE_PX / width}
        self._jobs.put((fig.to_dict(), opts))
        while True:
            try:
                result = self._results.get(timeout=self.POLL_SECONDS)
            except queue.Empty:
                if not self._thread.is_alive() and self._results.empty():
                    raise _chart_error(RuntimeError("the browser stopped")) from None
                continue
            if isinstance(result, BaseException):
                raise _chart_error(result) from result
            return result

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=60)

    def __enter__(self) -> ChartRenderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def render_charts(jobs: Sequence[tuple[go.Figure, int, int]], progress: Progress = None,
                  start: float = 0.0, end: float = 1.0,
                  renderer: ChartRenderer | None = None) -> list[bytes]:
    """Each (figure, width px, height px) as PNG bytes, with one browser for the batch
    (``renderer``, or one started here)."""
    if not jobs:
        return []
    if renderer is None:
        with ChartRenderer() as own:
            return render_charts(jobs, progress, start, end, own)
    out = []
    for i, (fig, w, h) in enumerate(jobs):
        if progress:
            progress(start + (end - start) * i / len(jobs), f"Drawing chart {i + 1} of "
                                                            f"{len(jobs)}")
        out.append(renderer.png(fig, w, h))
    return out


@dataclass(frozen=True, eq=False)
class Rendered:
    """A story laid out, with every chart drawn: ``images[p][i]`` is page p's chart i."""

    story: Story
    pages: tuple[Page, ...]
    images: tuple[tuple[bytes, ...], ...]


def prepare(dataset: Dataset, quarter: str | None, services: Sequence[str],
            business_unit: str | None, progress: Progress, face: Face = DEJAVU,
            scenarios: Sequence[whatif.Scenario] = ()) -> Rendered:
    """Views -> slides -> pages (text measured in ``face``) -> PNGs (progress 0-0.9). The
    browser starts first, so it is ready by the time the figures are worked out."""
    _check(dataset, quarter, services)
    if progress:
        progress(0.0, "Working out the figures")
    renderer = ChartRenderer() if dataset.quarters else None  # no data: no charts
    try:
        story = slides(dataset, quarter, services, business_unit, scenarios)
        pages = tuple(layout(s, face) for s in story.slides)
        jobs = [job for p in pages for job in p.figures]
        if progress:
            progress(0.15, "Drawing the charts")
        pngs = iter(render_charts(jobs, progress, 0.15, 0.9, renderer))
    finally:
        if renderer is not None:
            renderer.close()
    images = tuple(tuple(next(pngs) for _ in p.figures) for p in pages)
    return Rendered(story, pages, images)
