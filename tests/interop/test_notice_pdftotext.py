"""Poppler's `pdftotext` (not only our own pypdf) reads customers' names off the personalised notice exactly:
the embedded font's text mapping is right for Polish, Vietnamese, Greek and Cyrillic, not just drawn right."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.notice.held import categories_held
from tests.core.test_notice import _ready

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext is not installed (Debian: apt-get install poppler-utils)"
)


@pytest.mark.parametrize(
    "name",
    ["Małgorzata Wójcik-Żółć", "Nguyễn Thị Hương", "Γιώργος Παπαδόπουλος", "Ольга Шевченко"],
    ids=["polish", "vietnamese", "greek", "cyrillic"],
)
def test_pdftotext_reads_the_customers_name_exactly(book: CustomerBook, tmp_path: Path, name: str) -> None:
    _ready(book)
    customer = book.save_customer(CustomerDraft(name=name))
    held = categories_held(book.catalogue.current(), customer, {})
    pdf, _version = book.notices.personal_pdf(customer, frozenset(), child=False, blank_choices=False,
                                              categories_held=held)  # fmt: skip
    source = tmp_path / "notice.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-f", "1", "-l", "1", str(source), "-"],  # type: ignore[list-item]
        capture_output=True,
        check=True,
    )
    text = result.stdout.decode("utf-8")
    # The name is stored as typed (NFC for these); a decomposed or look-alike extraction would not match.
    assert f"For {unicodedata.normalize('NFC', name)} ·" in text
    assert "\ufffd" not in text  # no character poppler could not map back to Unicode
