"""The print toolkit: Unicode fonts, page layout and form pieces every Counterpart PDF is built from (no Qt).

Imports only core.errors: every package may print."""

from core.pdf.flowables import boxed, checkbox, checkbox_line, form_line, signature_line
from core.pdf.fonts import (
    MONO,
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    UnprintableText,
    describe_characters,
    ensure_printable,
    missing_glyphs,
    printable_text,
    register_fonts,
)
from core.pdf.layout import PaperSize, PdfMeta, Styles, build_pdf, markup, paragraph_styles

__all__ = [
    "MONO",
    "SANS",
    "SANS_BOLD",
    "SANS_ITALIC",
    "PaperSize",
    "PdfMeta",
    "Styles",
    "UnprintableText",
    "boxed",
    "build_pdf",
    "checkbox",
    "checkbox_line",
    "describe_characters",
    "ensure_printable",
    "form_line",
    "markup",
    "missing_glyphs",
    "paragraph_styles",
    "printable_text",
    "register_fonts",
    "signature_line",
]
