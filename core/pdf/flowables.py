"""Printed-form pieces: checkboxes, fill-in and signature lines, tinted boxes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.shapes import Drawing, PolyLine, Rect
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from core.pdf.fonts import SANS, printable_text
from core.pdf.layout import INK, RULE, TINT, markup, paragraph_styles

CHECKBOX_SIZE = 10.0
_LABEL_GAP = 10.0
# Every table names a font even when its cells hold only flowables; otherwise reportlab selects its default
# Helvetica, an unembedded font that the printed page does not need.
_TABLE_FONT = ("FONT", (0, 0), (-1, -1), SANS, 10.5)


def checkbox(ticked: bool = False, *, size: float = CHECKBOX_SIZE) -> Drawing:
    """A square box, empty or ticked, drawn as lines: the print font has no ☐/☑ glyphs."""
    box = Drawing(size, size)
    # The renderer otherwise starts each drawing in Helvetica, which would then be listed (unembedded) in the PDF.
    box.initialFontName = SANS
    box.add(Rect(0.5, 0.5, size - 1, size - 1, strokeColor=INK, strokeWidth=0.9, fillColor=None))
    if ticked:
        tick = [0.2 * size, 0.52 * size, 0.42 * size, 0.24 * size, 0.82 * size, 0.8 * size]
        box.add(PolyLine(tick, strokeColor=INK, strokeWidth=0.14 * size, strokeLineCap=1, strokeLineJoin=1))
    return box


def checkbox_line(label: str, *, ticked: bool = False, style: ParagraphStyle | None = None) -> Table:
    """A box followed by its label, the label wrapping beside (not under) the box, as on a paper form.

    Consent requests are printed unticked by default; `label` is plain text (escaped here).
    """
    return checkbox_row(markup(label), ticked=ticked, style=style or paragraph_styles().body)


def checkbox_row(rich_text: str, *, ticked: bool, style: ParagraphStyle) -> Table:
    """`checkbox_line` for text that is already paragraph markup (escaped by the caller, bold allowed)."""
    size = CHECKBOX_SIZE
    # Centres the box on the capitals of the label's first line (baseline one font size below the top of the cell,
    # Noto's capitals 0.714 em high) rather than on its line box.
    box_top = max(0.0, style.fontSize - size + (size - 0.714 * style.fontSize) / 2)
    table = Table(
        [[checkbox(ticked, size=size), Paragraph(rich_text, style)]],
        colWidths=[size + 7, "*"],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, 0), box_top),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def form_line(
    segments: Sequence[tuple[str, float | None]],
    *,
    style: ParagraphStyle | None = None,
    height: float = 24.0,
) -> Table:
    """A line of text with blanks to fill in by hand, e.g. `[("Written down on", 40 * mm), ("by", None)]`.

    Each segment is a label followed by a blank of the given width in points; `None` shares the rest of the line.
    `height` is the writing room above each blank.
    """
    style = style or paragraph_styles().body
    row: list[str] = []
    widths: list[float | str] = []
    blanks: list[int] = []
    indented: list[int] = []
    for label, blank in segments:
        text = printable_text(label).strip()
        if text:
            # A label after a blank gets air on its left: a line's rule spans its whole cell, padding or not.
            gap = _LABEL_GAP if blanks else 0.0
            if gap:
                indented.append(len(row))
            row.append(text)
            widths.append(gap + stringWidth(text, style.fontName, style.fontSize) + 6)
        row.append("")
        widths.append("*" if blank is None else blank)
        blanks.append(len(row) - 1)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), style.fontName, style.fontSize),
        ("TEXTCOLOR", (0, 0), (-1, -1), style.textColor),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    commands += [("LINEBELOW", (column, 0), (column, 0), 0.7, INK) for column in blanks]
    commands += [("LEFTPADDING", (column, 0), (column, 0), _LABEL_GAP) for column in indented]
    # spaceAfter keeps the next flowable's background from painting over the blanks, which sit on the bottom edge.
    table = Table([row], colWidths=widths, rowHeights=[height], hAlign="LEFT", spaceAfter=4)
    table.setStyle(TableStyle(commands))
    return table


def signature_line(
    label: str = "Signature",
    *,
    date_label: str | None = "Date",
    name_label: str | None = None,
    style: ParagraphStyle | None = None,
) -> Flowable:
    """Where a person signs: an optional "name in capitals" line, then the signature line with a date blank."""
    lines: list[Flowable] = []
    if name_label:
        lines.append(form_line([(name_label, None)], style=style))
    segments: list[tuple[str, float | None]] = [(label, None)]
    if date_label:
        segments.append((date_label, 38 * mm))
    lines.append(form_line(segments, style=style, height=32))
    return KeepTogether(lines)


def boxed(
    content: Sequence[Flowable],
    *,
    fill: Color = TINT,
    edge: Color = RULE,
    padding: float = 9.0,
    radius: float = 4.0,
) -> Table:
    """`content` in a softly rounded, tinted box (a caution, a key to copy) spanning the text width."""
    table = Table([[list(content)]], colWidths=["*"], cornerRadii=[radius] * 4, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("BOX", (0, 0), (-1, -1), 0.8, edge),
                ("LEFTPADDING", (0, 0), (-1, -1), padding + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding + 2),
                ("TOPPADDING", (0, 0), (-1, -1), padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding - 3),
            ]
        )
    )
    return table
