"""Page layout for every printout: paper sizes, margins, shared styles, a numbered footer, building to bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from core.pdf.fonts import MONO, SANS, SANS_BOLD, printable_text, register_fonts

# The app's calm palette (ui/theme.py), repeated here because core/ never imports ui/.
INK = colors.HexColor("#1f2a2c")
MUTED = colors.HexColor("#5f6b6d")
ACCENT = colors.HexColor("#2f6f62")
RULE = colors.HexColor("#c9d1cf")
TINT = colors.HexColor("#f2f5f4")
CAUTION_FILL = colors.HexColor("#fff4e5")
CAUTION_EDGE = colors.HexColor("#e0b25a")

MARGIN_X = 20 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 22 * mm  # room for the footer below the text frame
FOOTER_Y = 11 * mm


class PaperSize(StrEnum):
    """The two paper sizes a shop's printer has; the value is what settings store ("a4" / "letter")."""

    A4 = "a4"
    LETTER = "letter"

    @property
    def points(self) -> tuple[float, float]:
        """(width, height) in PDF points."""
        size: tuple[float, float] = A4 if self is PaperSize.A4 else LETTER
        return size

    @property
    def frame_width(self) -> float:
        """Width of the text frame inside the margins, for sizing tables."""
        return float(self.points[0] - 2 * MARGIN_X)


@dataclass(frozen=True)
class Styles:
    """The paragraph styles documents share, so every printout has one typographic voice."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    footer: ParagraphStyle
    mono: ParagraphStyle


def paragraph_styles() -> Styles:
    """Fresh style objects (callers may derive from them with `ParagraphStyle(name, parent=...)`)."""
    register_fonts()
    body = ParagraphStyle(
        "CounterpartBody",
        fontName=SANS,
        fontSize=10.5,
        leading=14.5,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=5,
    )
    return Styles(
        title=ParagraphStyle(
            "CounterpartTitle", parent=body, fontName=SANS_BOLD, fontSize=20, leading=25, spaceAfter=2
        ),
        subtitle=ParagraphStyle("CounterpartSubtitle", parent=body, textColor=MUTED, spaceAfter=10),
        heading=ParagraphStyle(
            "CounterpartHeading",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=10,
            spaceAfter=4,
            textColor=ACCENT,
            keepWithNext=1,
        ),
        body=body,
        small=ParagraphStyle(
            "CounterpartSmall", parent=body, fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=3
        ),
        footer=ParagraphStyle("CounterpartFooter", parent=body, fontSize=8, leading=10, textColor=MUTED, spaceAfter=0),
        mono=ParagraphStyle("CounterpartMono", parent=body, fontName=MONO, fontSize=10, leading=14),
    )


def markup(text: str) -> str:
    """Plain text made safe for Paragraph markup: normalised for the font, `<`, `>` and `&` escaped."""
    return escape(printable_text(text)).replace("\n", "<br/>")


@dataclass(frozen=True)
class PdfMeta:
    """What the PDF says about itself (document properties) and what each page's footer says."""

    title: str
    author: str  # the shop's name
    subject: str = ""
    footer: str = ""
    lang: str = "en"


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type information
    """Holds each page back until the end, so the footer can say "Page N of M" in one pass."""

    def __init__(self, *args: Any, footer: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, FOOTER_Y + 10, width - MARGIN_X, FOOTER_Y + 10)
        self.setFont(SANS, 8)
        self.setFillColor(MUTED)
        page_label = f"Page {number} of {total}"
        self.drawRightString(width - MARGIN_X, FOOTER_Y, page_label)
        room = width - 2 * MARGIN_X - stringWidth(page_label, SANS, 8) - 12
        self.drawString(MARGIN_X, FOOTER_Y, _fit(self._footer, room, SANS, 8))
        self.restoreState()


def _fit(text: str, width: float, font: str, size: float) -> str:
    """`text`, shortened with an ellipsis to fit `width`: a long shop name must not run into the page number."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def build_pdf(story: Sequence[Flowable], *, meta: PdfMeta, paper: PaperSize = PaperSize.A4) -> bytes:
    """Lay `story` out on `paper` and return the PDF bytes; nothing is written to disk.

    Output is deterministic (reportlab's invariant mode: fixed dates and ids), so equal input gives equal bytes.
    Flowables are consumed by the layout: build a fresh story for every document.
    """
    register_fonts()
    paper = PaperSize(paper)  # also accepts the stored setting, "a4" or "letter"
    buffer = io.BytesIO()
    width, height = paper.points
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=printable_text(meta.title),
        author=printable_text(meta.author),
        subject=printable_text(meta.subject),
        creator="Counterpart",
        lang=meta.lang,
        invariant=1,
        # Otherwise every page names unembedded Helvetica as its starting font.
        initialFontName=SANS,
        displayDocTitle=1,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        width - 2 * MARGIN_X,
        height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=(width, height))])
    footer = printable_text(meta.footer, replace_missing="?").replace("\n", " ")
    doc.build(list(story), canvasmaker=partial(_NumberedCanvas, footer=footer))
    return buffer.getvalue()
