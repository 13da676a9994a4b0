"""The recovery sheet: one page, both keys readable back out of it, plain-language guidance, right paper size."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from pyrage import x25519

from core.keys.recovery_sheet import render_recovery_sheet
from core.keys.vault import new_recovery_key
from core.pdf import PaperSize, UnprintableText

# Fake keys made by the real generators, so the sheet is tested on exactly the shapes it will print.
RECOVERY_KEY = new_recovery_key()[0]
BACKUP_IDENTITY = str(x25519.Identity.generate())
CREATED = datetime.date(2025, 11, 22)
SHOP = "Łukasz & Zoë's Corner Shop"


def _render(paper: PaperSize = PaperSize.A4, **overrides: str) -> bytes:
    args = {"shop_name": SHOP, "recovery_key": RECOVERY_KEY, "backup_identity": BACKUP_IDENTITY}
    args.update(overrides)
    return render_recovery_sheet(created=CREATED, paper=paper, **args)


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(pdf).pages)


def test_fake_keys_have_the_real_shapes() -> None:
    assert re.fullmatch(r"([A-Z2-7]{5}-){7}[A-Z2-7]{5}", RECOVERY_KEY)
    assert re.fullmatch(r"AGE-SECRET-KEY-1[0-9A-Z]{58}", BACKUP_IDENTITY)


@pytest.mark.parametrize("paper", list(PaperSize))
def test_sheet_is_one_page_with_shop_date_and_both_keys(paper: PaperSize) -> None:
    pdf = _render(paper)
    reader = _reader(pdf)
    assert len(reader.pages) == 1
    text = _text(pdf)
    assert f"Recovery sheet — {SHOP}" in text
    assert "22 November 2025" in text
    for group in RECOVERY_KEY.split("-"):
        assert group in text
    # The recovery key is printed in its groups, in order, on two lines of four.
    assert "-".join(RECOVERY_KEY.split("-")[:4]) in text
    assert "-".join(RECOVERY_KEY.split("-")[4:]) in text
    # The backup key is grouped for reading; without the spaces it is exactly the identity.
    assert BACKUP_IDENTITY in re.sub(r"\s+", "", text)
    assert "AGE-SECRET-KEY-1" in text


@pytest.mark.parametrize(("paper", "size"), [(PaperSize.A4, (595.28, 841.89)), (PaperSize.LETTER, (612.0, 792.0))])
def test_page_size_follows_the_paper_setting(paper: PaperSize, size: tuple[float, float]) -> None:
    box = _reader(_render(paper)).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == size


def test_fonts_are_embedded_and_the_keys_are_in_the_monospace_font() -> None:
    page = _reader(_render()).pages[0]
    resources: Any = page["/Resources"]
    fonts = [ref.get_object() for ref in resources["/Font"].values()]
    names = {str(font["/BaseFont"]).split("+", 1)[1] for font in fonts}
    assert names == {"NotoSans-Regular", "NotoSans-Bold", "NotoSansMono-Regular"}
    for font in fonts:
        assert "/FontFile2" in font["/FontDescriptor"]


def test_sheet_explains_when_to_use_each_key_and_how_to_keep_it() -> None:
    text = " ".join(_text(_render()).split())
    for phrase in [
        "if the passphrase is forgotten",
        "asks you to choose a new passphrase",
        "restore a backup on a new or repaired computer",
        "age -d -i key.txt -o backup.tar backup.age",
        "keep this one for older backups",
        "locked drawer",
        "Anyone who has it can open and read your customer book",
        "never photograph, scan, e-mail or message it",
        "Written down on",
        "Page 1 of 1",
    ]:
        assert phrase in text, phrase


def test_reading_hints_are_given_only_when_true_of_the_key() -> None:
    text = " ".join(_text(_render()).split())
    assert "a round character is always the letter O" in text
    assert "a round character is always zero" in text
    # A key in some other alphabet (zero and one in it) must not be described with the base32 / bech32 promises.
    odd = " ".join(_text(_render(recovery_key="AB0DE-FG1IJ", backup_identity="AGE-SECRET-KEY-1OB1")).split())
    assert "a round character is always the letter O" not in odd
    assert "a round character is always zero" not in odd
    assert "AB0DE-FG1IJ" in odd


def test_metadata_names_the_shop_but_never_a_key() -> None:
    pdf = _render()
    info = _reader(pdf).metadata
    assert info is not None
    assert info.title == f"Recovery sheet — {SHOP}"
    assert info.author == SHOP
    assert info.creator == "Counterpart"
    assert RECOVERY_KEY not in str(dict(info))
    assert BACKUP_IDENTITY not in str(dict(info))


def test_same_keys_give_the_same_bytes_and_other_keys_do_not() -> None:
    assert _render() == _render()
    assert _render() != _render(recovery_key=new_recovery_key()[0])


def test_a_shop_name_with_an_emoji_still_prints_without_it() -> None:
    pdf = _render(shop_name="Tea 🍵 House Αθήνα")
    text = _text(pdf)
    assert "Recovery sheet — Tea House Αθήνα" in text
    assert len(_reader(pdf).pages) == 1


def test_the_longest_shop_name_still_fits_on_one_letter_page() -> None:
    long_name = "Wszystko dla domu i ogrodu — Przedsiębiorstwo Handlowo-Usługowe Łukasz Wójcik i Wspólnicy spółka"
    pdf = _render(PaperSize.LETTER, shop_name=long_name[:120])
    assert len(_reader(pdf).pages) == 1
    assert RECOVERY_KEY.split("-")[-1] in _text(pdf)


def test_empty_or_unprintable_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="recovery key is empty"):
        _render(recovery_key="  ")
    with pytest.raises(ValueError, match="backup key is empty"):
        _render(backup_identity="")
    with pytest.raises(UnprintableText, match="The backup key uses characters"):
        _render(backup_identity="AGE-SECRET-KEY-1😀")


def test_a_key_in_an_unexpected_shape_is_shrunk_to_fit_not_cut_off() -> None:
    one_run = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 3
    pdf = _render(recovery_key=one_run, paper="letter")  # type: ignore[arg-type]
    assert len(_reader(pdf).pages) == 1
    sizes: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if one_run in text:
            sizes.append(size * tm[0])

    _reader(pdf).pages[0].extract_text(visitor_text=visit)
    assert len(sizes) == 1
    # Noto Sans Mono advances 0.6 em per character; the text frame on Letter is 612 pt less two 20 mm margins.
    assert sizes[0] * 0.6 * len(one_run) <= 612 - 2 * 56.7
