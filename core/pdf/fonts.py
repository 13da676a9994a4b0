"""The print fonts (Noto Sans, Noto Sans Mono): registered once with reportlab, and which characters they can draw."""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from core.errors import CounterpartError

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"

SANS = "CounterpartSans"
SANS_BOLD = "CounterpartSans-Bold"
SANS_ITALIC = "CounterpartSans-Italic"
MONO = "CounterpartMono"

# Family name -> font name -> file. Bold italic and bold mono fall back to bold / regular (see _FAMILY_MAPPINGS):
# shipping two more ~0.5 MB files for faces a printed notice never uses is not worth it.
_FILES: dict[str, dict[str, str]] = {
    SANS: {
        SANS: "NotoSans-Regular.ttf",
        SANS_BOLD: "NotoSans-Bold.ttf",
        SANS_ITALIC: "NotoSans-Italic.ttf",
    },
    MONO: {MONO: "NotoSansMono-Regular.ttf"},
}

# (family, bold, italic) -> face, so <b> and <i> in Paragraph markup pick the right file.
_FAMILY_MAPPINGS: tuple[tuple[str, int, int, str], ...] = (
    (SANS, 0, 0, SANS),
    (SANS, 1, 0, SANS_BOLD),
    (SANS, 0, 1, SANS_ITALIC),
    (SANS, 1, 1, SANS_BOLD),
    (MONO, 0, 0, MONO),
    (MONO, 1, 0, MONO),
    (MONO, 0, 1, MONO),
    (MONO, 1, 1, MONO),
)

# Variation selectors pick an emoji or text presentation; they draw nothing, so they are neither missing nor kept.
_VARIATION_SELECTORS = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0100, 0xE01F0))

_lock = threading.Lock()
# Family -> code points every face of it can draw; None until registered. Set by one assignment, so another thread
# sees either nothing (and waits on the lock) or everything.
_coverage: dict[str, frozenset[int]] | None = None


class UnprintableText(CounterpartError):
    """A text uses characters the print font has no glyph for; printing it would show empty boxes."""

    def __init__(self, what: str, missing: Iterable[str]) -> None:
        self.what = what
        self.missing = frozenset(missing)
        super().__init__(
            f"{what} uses characters the print font cannot draw: {describe_characters(self.missing)}. "
            "Change or remove them, or they would print as empty boxes."
        )


def register_fonts() -> None:
    """Register the shipped fonts with reportlab: once per process, safe from any thread, any number of times."""
    global _coverage
    if _coverage is not None:
        return
    with _lock:
        if _coverage is not None:
            return
        coverage: dict[str, frozenset[int]] = {}
        for family, faces in _FILES.items():
            family_cover: frozenset[int] | None = None
            for font_name, file_name in faces.items():
                path = FONT_DIR / file_name
                if not path.is_file():
                    raise FileNotFoundError(f"The print font {path} is missing; reinstall Counterpart.")
                font = TTFont(font_name, str(path))
                pdfmetrics.registerFont(font)
                cmap = frozenset(font.face.charToGlyph)
                # A character counts as drawable only if every face of the family has it, so <b> never shows a box.
                family_cover = cmap if family_cover is None else family_cover & cmap
            coverage[family] = family_cover or frozenset()
        for family, bold, italic, face in _FAMILY_MAPPINGS:
            addMapping(family, bold, italic, face)
        _coverage = coverage


def _cover(font: str) -> frozenset[int]:
    register_fonts()
    assert _coverage is not None  # for the type checker: register_fonts() sets it or raises
    try:
        return _coverage[font]
    except KeyError:
        raise ValueError(f"unknown print font family {font!r}; use SANS or MONO") from None


def _is_invisible(ch: str) -> bool:
    """Whitespace, control and format characters are not glyphs a reader misses."""
    return ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zs", "Zl", "Zp"} or ord(ch) in _VARIATION_SELECTORS


def missing_glyphs(text: str, *, font: str = SANS) -> set[str]:
    """The characters of `text` (after NFC normalisation) that `font` (SANS or MONO) cannot draw."""
    cover = _cover(font)
    return {ch for ch in unicodedata.normalize("NFC", text) if ord(ch) not in cover and not _is_invisible(ch)}


def describe_characters(chars: Iterable[str]) -> str:
    """A stable, readable list such as `😀 (U+1F600), த (U+0BA4)` for messages about unprintable characters."""
    return ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(set(chars)))


def printable_text(text: str, *, font: str = SANS, replace_missing: str | None = None) -> str:
    """`text` ready to draw: NFC (precomposed letters the font has), no control characters, odd spaces as spaces.

    With `replace_missing`, characters the font cannot draw are replaced by it (for text that must print anyway,
    such as a shop name on the recovery sheet); without it they are left for the caller to have checked.
    """
    missing = missing_glyphs(text, font=font) if replace_missing is not None else set()
    cover = _cover(font)
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "\n\u2028\u2029":
            out.append("\n")
        elif ch == "\t" or (unicodedata.category(ch) == "Zs" and ord(ch) not in cover):
            # Some spaces (e.g. U+3000) have no glyph in the font; a plain space always has one.
            out.append(" ")
        elif unicodedata.category(ch) in {"Cc", "Cf"} or ord(ch) in _VARIATION_SELECTORS:
            continue
        elif ch in missing:
            out.append(replace_missing or "")
        else:
            out.append(ch)
    return "".join(out)


def ensure_printable(text: str, what: str, *, font: str = SANS) -> str:
    """Return `printable_text(text)`, or raise `UnprintableText` naming `what` ("This name") and the characters."""
    missing = missing_glyphs(text, font=font)
    if missing:
        raise UnprintableText(what, missing)
    return printable_text(text, font=font)
