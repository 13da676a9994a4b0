"""The README's pictures of printed documents: real PDFs from the demo book, rasterised with poppler's pdftoppm.

Used by scripts/take_screenshots.py; no Qt here. The recovery sheet shows sample keys made from a fixed seed
(valid in form, opening nothing), so the published picture never shows a key that opens a book and stays the
same from run to run.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from core.book import CustomerBook
from core.customers.profiling import is_child
from core.customers.store import Customer
from core.keys.recovery_sheet import render_recovery_sheet
from core.keys.vault import parse_recovery_key
from core.notice.held import categories_held
from core.pdf import PaperSize

DPI = 80  # A4 at 80 dpi is 662×936: readable in the README, 100–200 KB per page
RECOVERY_DPI = 90  # the keys are the point of that picture: a little sharper
MAX_BYTES = 300_000
_SEED = b"counterpart README screenshots"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def sample_recovery_key() -> str:
    """A well-formed recovery key (23 bytes + a 2-byte checksum, 8 groups of 5 base32) from a fixed seed."""
    secret = hashlib.sha256(_SEED + b" recovery").digest()[:23]
    text = base64.b32encode(secret + hashlib.sha256(secret).digest()[:2]).decode("ascii")
    key = "-".join(text[i : i + 5] for i in range(0, len(text), 5))
    parse_recovery_key(key)  # the app would accept it as typed from the sheet
    return key


def _bech32_polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate(generators):
            check ^= generator if (top >> i) & 1 else 0
    return check


def sample_backup_identity() -> str:
    """A well-formed age X25519 identity (bech32, upper case) from a fixed seed; checked by pyrage."""
    import pyrage

    hrp = "age-secret-key-"
    raw = hashlib.sha256(_SEED + b" backup").digest()
    bits = "".join(f"{byte:08b}" for byte in raw)
    bits += "0" * (-len(bits) % 5)
    data = [int(bits[i : i + 5], 2) for i in range(0, len(bits), 5)]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = _bech32_polymod(expanded + data + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    identity = (hrp + "1" + "".join(_BECH32[d] for d in data + checksum)).upper()
    pyrage.x25519.Identity.from_str(identity)
    return identity


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise RuntimeError(f"{tool} is missing: install poppler-utils (make system-deps)")
    return found


def pdf_page_to_png(pdf: bytes, page: int, target: Path, dpi: int = DPI) -> Path:
    """Rasterise one page of `pdf` to `target` (a .png path) with pdftoppm; fails loudly if poppler is missing."""
    with tempfile.TemporaryDirectory(prefix="counterpart-pdf-") as work:
        source = Path(work) / "document.pdf"
        source.write_bytes(pdf)
        stem = target.with_suffix("")
        command = [_poppler("pdftoppm"), "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run([*command, str(source), str(stem)], check=True, timeout=60)  # noqa: S603
    if target.stat().st_size > MAX_BYTES:
        raise RuntimeError(f"{target.name} is {target.stat().st_size:,} bytes; lower its resolution")
    return target


def page_count(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        info = subprocess.run(  # noqa: S603
            [_poppler("pdfinfo"), source.name], check=True, capture_output=True, text=True, timeout=60
        ).stdout  # fmt: skip
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def render_documents(book: CustomerBook, customer: Customer, out: Path) -> list[Path]:
    """The personalised notice (pages 1 and 2, the customer's consent as on file), the counter sign, the full
    policy's first page and the recovery sheet, each as the app renders it."""
    notices, desk = book.notices, book.desk
    answers = desk.answers(customer.id)
    child = is_child(answers, desk.settings().child_age_threshold)
    granted = book.consent.granted_purposes(customer.id)
    held = categories_held(desk.catalogue(), customer, answers, desk.visits.count(customer.id))
    personal, _version = notices.personal_pdf(customer, granted, child, False, held)
    if page_count(personal) < 2:
        raise RuntimeError("the personalised notice has one page: there is no page 2 to show")
    written = [
        pdf_page_to_png(personal, 1, out / "notice-personal.png"),
        pdf_page_to_png(personal, 2, out / "notice-personal-page2.png"),
        pdf_page_to_png(notices.counter_sign_pdf()[0], 1, out / "notice-counter-sign.png"),
        pdf_page_to_png(notices.policy_pdf()[0], 1, out / "notice-policy-page1.png"),
    ]
    shop = book.shop
    sheet = render_recovery_sheet(
        shop.name, datetime.date.today(), sample_recovery_key(), sample_backup_identity(), PaperSize(shop.paper_size)
    )
    written.append(pdf_page_to_png(sheet, 1, out / "recovery-sheet.png", dpi=RECOVERY_DPI))
    return written
