"""The print toolkit: shipped fonts, glyph coverage, layout, page numbers, metadata, form pieces, no disk writes."""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.platypus import PageBreak, Paragraph

from core.pdf import (
    MONO,
    PaperSize,
    PdfMeta,
    UnprintableText,
    build_pdf,
    checkbox,
    checkbox_line,
    ensure_printable,
    form_line,
    markup,
    missing_glyphs,
    paragraph_styles,
    printable_text,
    signature_line,
)
from core.pdf.fonts import FONT_DIR

ROOT = Path(__file__).resolve().parents[2]

NAMES = ["Łukasz Wójcik", "Nguyễn Thị Minh Khai", "Αλέξανδρος", "Светлана", "Zażółć gęślą jaźń"]
VIETNAMESE = "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđĐƠơƯư"


def _meta(**overrides: str) -> PdfMeta:
    values = {"title": "Toolkit test", "author": "Ana's Corner Shop", "footer": "Ana's Corner Shop · test"}
    values.update(overrides)
    return PdfMeta(**values)


def _story(*texts: str) -> list[Paragraph]:
    body = paragraph_styles().body
    return [Paragraph(markup(text), body) for text in texts]


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _fonts(pdf: bytes) -> dict[str, Any]:
    """Every font used on any page, by base name, resolved to its dictionary."""
    found: dict[str, Any] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
    return found


# --- fonts -------------------------------------------------------------------------------------------------


def test_shipped_fonts_are_small_and_come_with_their_licence() -> None:
    fonts = sorted(p.name for p in FONT_DIR.glob("*.ttf"))
    assert fonts == ["NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-Regular.ttf", "NotoSansMono-Regular.ttf"]
    for name in fonts:
        assert (FONT_DIR / name).stat().st_size < 1_000_000, name
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Google LLC" in licence


@pytest.mark.parametrize("name", [*NAMES, VIETNAMESE, "O'Brien-Smith, Zoë & Søren Ærø Ğ İ ş"])
def test_names_in_latin_greek_and_cyrillic_are_drawable(name: str) -> None:
    assert missing_glyphs(name) == set()


def test_decomposed_input_is_judged_after_normalisation() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị")
    assert decomposed != "Nguyễn Thị"
    assert missing_glyphs(decomposed) == set()
    assert printable_text(decomposed) == "Nguyễn Thị"


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Anna 😀", {"😀"}),
        ("Kavitha (கவிதா)", {"க", "வ", "ி", "த", "ா"}),
        ("王 Wei", {"王"}),
        ("☑ yes", {"☑"}),
    ],
)
def test_characters_the_font_lacks_are_reported(text: str, missing: set[str]) -> None:
    assert missing_glyphs(text) == missing


def test_whitespace_control_and_variation_selectors_are_not_reported() -> None:
    assert missing_glyphs("a\tb\nc\u200b\u200dd\u202fe\u3000f\x07g\ufe0f") == set()


def test_mono_font_has_the_key_alphabets() -> None:
    assert missing_glyphs("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", font=MONO) == set()
    with pytest.raises(ValueError, match="unknown print font"):
        missing_glyphs("x", font="Comic")


def test_ensure_printable_names_what_and_which_characters() -> None:
    assert ensure_printable("Светлана", "This name") == "Светлана"
    with pytest.raises(UnprintableText) as caught:
        ensure_printable("Anna 😀 த", "This name")
    message = str(caught.value)
    assert message.startswith("This name uses characters the print font cannot draw:")
    assert "U+1F600" in message
    assert "U+0BA4" in message
    assert caught.value.missing == {"😀", "த"}


def test_printable_text_drops_invisible_characters_and_can_replace_missing_ones() -> None:
    assert printable_text("Ana\u200b Shop\x07\r\n2") == "Ana Shop\n2"
    assert printable_text("Caf\u00e9\u3000Bar") == "Café Bar"  # the ideographic space has no glyph
    assert printable_text("Dr.\u00a0Ana") == "Dr.\u00a0Ana"  # a no-break space the font has is kept
    assert printable_text("Tea ☕ House", replace_missing="?") == "Tea ? House"
    assert printable_text("Tea ☕ House") == "Tea ☕ House"


def test_registration_is_safe_from_many_threads_at_once() -> None:
    # In a fresh interpreter, so the fonts really are registered for the first time by racing threads.
    code = (
        "import threading\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "from core.pdf import fonts\n"
        "results = []\n"
        "def work():\n"
        "    fonts.register_fonts()\n"
        "    results.append(fonts.missing_glyphs('Łukasz 😀'))\n"
        "threads = [threading.Thread(target=work) for _ in range(8)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "assert results == [{'😀'}] * 8, results\n"
        "fonts.register_fonts()\n"
        "names = pdfmetrics.getRegisteredFontNames()\n"
        "assert {'CounterpartSans', 'CounterpartSans-Bold', 'CounterpartMono'} <= set(names), names\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


# --- layout ------------------------------------------------------------------------------------------------


def test_international_names_come_back_out_of_the_pdf() -> None:
    pdf = build_pdf(_story(*NAMES, VIETNAMESE), meta=_meta())
    text = unicodedata.normalize("NFC", _text(pdf))
    for name in [*NAMES, VIETNAMESE]:
        assert name in text


def test_bold_and_italic_markup_use_the_embedded_family() -> None:
    body = paragraph_styles().body
    pdf = build_pdf([Paragraph("<b>Łódź</b> and <i>Ἀθῆναι</i>", body)], meta=_meta())
    assert {name.split("+", 1)[1] for name in _fonts(pdf)} == {"NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic"}
    assert "Łódź and Ἀθῆναι" in _text(pdf)


@pytest.mark.parametrize(("paper", "size"), [(PaperSize.A4, (595.28, 841.89)), (PaperSize.LETTER, (612.0, 792.0))])
def test_paper_sizes(paper: PaperSize, size: tuple[float, float]) -> None:
    pdf = build_pdf(_story("Hello"), meta=_meta(), paper=paper)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == size
    assert PaperSize("letter") is PaperSize.LETTER


def test_every_font_is_embedded_and_no_base14_font_is_referenced() -> None:
    story = [*_story("Łukasz"), checkbox_line("Marketing by e-mail"), signature_line(name_label="Name")]
    fonts = _fonts(build_pdf(story, meta=_meta()))
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        assert "/FontFile2" in font["/FontDescriptor"], name
    assert not any("Helvetica" in name or "Times" in name for name in fonts)


def test_footer_numbers_pages_n_of_m() -> None:
    story = [*_story("one"), PageBreak(), *_story("two"), PageBreak(), *_story("three")]
    pdf = build_pdf(story, meta=_meta(footer="Ana's Corner Shop · privacy notice"))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of 3" in text
        assert "Ana's Corner Shop · privacy notice" in text


def test_a_long_footer_is_shortened_instead_of_running_into_the_page_number() -> None:
    pdf = build_pdf(_story("x"), meta=_meta(footer="Very long shop name " * 20))
    text = _text(pdf)
    assert "Page 1 of 1" in text
    assert "…" in text
    assert "Very long shop name " * 20 not in text


def test_metadata_says_title_author_and_creator() -> None:
    pdf = build_pdf(_story("x"), meta=_meta(title="Privacy notice — Łukasz", subject="Notice v3"))
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert info.title == "Privacy notice — Łukasz"
    assert info.author == "Ana's Corner Shop"
    assert info.creator == "Counterpart"
    assert info.subject == "Notice v3"


def test_same_input_gives_the_same_bytes() -> None:
    first = build_pdf(_story(*NAMES), meta=_meta())
    second = build_pdf(_story(*NAMES), meta=_meta())
    other = build_pdf(_story(*NAMES[:-1]), meta=_meta())
    assert first.startswith(b"%PDF-")
    assert first == second
    assert first != other


def test_markup_escapes_text_that_looks_like_tags() -> None:
    pdf = build_pdf(_story("Smith & <b>Sons</b> <br/> Ltd"), meta=_meta())
    assert "Smith & <b>Sons</b> <br/> Ltd" in _text(pdf)


def test_building_writes_nothing_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The documents carry personal data: no temporary file, no stray output anywhere we can watch.
    work, temp = tmp_path / "cwd", tmp_path / "tmp"
    work.mkdir()
    temp.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    for var in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(var, str(temp))
    pdf = build_pdf([*_story("Светлана, +44 20 7946 0958"), checkbox_line("Post")], meta=_meta())
    assert pdf.startswith(b"%PDF-")
    assert list(work.iterdir()) == []
    assert list(temp.iterdir()) == []


# --- form pieces -------------------------------------------------------------------------------------------


def test_checkbox_is_a_drawn_square_and_only_the_ticked_one_has_a_tick() -> None:
    empty, ticked = checkbox(), checkbox(ticked=True)
    assert (empty.width, empty.height) == (10.0, 10.0)
    assert len(empty.contents) == 1
    assert len(ticked.contents) == 2
    assert checkbox(size=14).width == 14


def test_checkbox_lines_and_signature_lines_print_their_labels() -> None:
    story = [
        checkbox_line("Offers by e-mail — you can withdraw at any time"),
        checkbox_line("Offers by post", ticked=True),
        signature_line("Customer's signature", date_label="Date", name_label="Name in capitals"),
        form_line([("Written down on", 120.0), ("by", None)]),
    ]
    text = _text(build_pdf(story, meta=_meta()))
    for label in [
        "Offers by e-mail — you can withdraw at any time",
        "Offers by post",
        "Customer's signature",
        "Date",
        "Name in capitals",
        "Written down on",
        "by",
    ]:
        assert label in text


def test_a_long_checkbox_label_wraps_beside_the_box() -> None:
    label = "Personalised offers based on what you bought " * 6
    table = checkbox_line(label)
    width, height = table.wrap(300, 1000)
    assert width <= 300
    assert height > 3 * paragraph_styles().body.leading  # wrapped onto several lines, not clipped to one
