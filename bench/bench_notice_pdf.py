"""Personalised notice PDF against a bare reportlab one-page PDF.

Uses core.notice.pdf.render_personal_notice when that module exists; until then the recovery sheet (same PDF
toolkit: embedded Noto fonts, flowing layout) stands in, and the figure says so."""

from __future__ import annotations

import datetime
import io
import itertools
from collections.abc import Callable
from dataclasses import replace

from bench.context import Context
from bench.measure import Figure, Stats, time_ms
from bench.shop_generator import SHOP
from core.pdf.layout import PaperSize

NAME = "notice_pdf"
TARGET_MS = 100.0


def bare_reportlab_page() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("Helvetica-Bold", 16)
    page.drawString(72, 770, "How Bench Corner Shop uses your details")
    page.setFont("Helvetica", 10)
    for line in range(40):
        page.drawString(72, 740 - line * 15, f"Line {line + 1}: what we keep, why we keep it, and for how long.")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _stand_in() -> tuple[Callable[[], bytes], str]:
    from core.keys.recovery_sheet import render_recovery_sheet

    key = "-".join(["ABCD"] * 8)

    def render() -> bytes:
        return render_recovery_sheet(
            "Bench Corner Shop", datetime.date(2026, 1, 5), key, "AGE-SECRET-KEY-1" + "Q" * 58, PaperSize.A4
        )

    return render, "stand-in: core.keys.recovery_sheet.render_recovery_sheet (core/notice not available yet)"


def _printable(name: str) -> bool:
    from core.pdf import UnprintableText, ensure_printable

    try:
        ensure_printable(name, "name")
    except UnprintableText:
        return False
    return True


def _personal_notice() -> tuple[Callable[[], bytes], str] | None:
    """The real personalised notice (text built from the shipped catalogue, then the PDF), for customers
    of the synthetic shop in turn; None while core/notice is not there yet."""
    try:
        from core.notice.pdf import PersonalDetails, render_personal_notice
        from core.notice.text import build_notice
        from core.notice.versions import NoticeVersion
        from core.shop.profile import ShopProfile
    except ImportError:
        return None
    from core.catalogue import load_default_catalogue
    from core.customers.sample_shop import generate_customers

    profile = replace(
        ShopProfile.defaults_for(SHOP),
        address="1 High Street, Exampleton EX1 2MP",
        phone="+44 20 7946 0000",
        email="hello@example.org",
        privacy_contact="Sam Owner",
    )
    catalogue = load_default_catalogue()
    version = NoticeVersion(1, "2026-01-05T09:00:00+00:00", "sha256:" + "0" * 64)
    names = [draft.name for draft in generate_customers(40, seed=5)]
    printable = [name for name in names if _printable(name)]
    people = itertools.cycle(
        [PersonalDetails(name, ("name", "phone", "e-mail"), frozenset({"marketing_email"})) for name in printable]
    )

    def render() -> bytes:
        text = build_notice(catalogue, profile)
        return render_personal_notice(
            text, version, profile.trading_name, catalogue.enabled_purposes(), next(people),
            blank_choices=False, today=datetime.date(2026, 1, 5), paper=PaperSize.A4,
        )  # fmt: skip

    refused = len(names) - len(printable)
    note = f"core.notice: build_notice + render_personal_notice, {len(printable)} customers in turn"
    if refused:
        note += f"; {refused} of {len(names)} generated names (Arabic script) are refused by the print font"
    return render, note


def run(ctx: Context) -> list[Figure]:
    render, note = _personal_notice() or _stand_in()
    repeat = ctx.repeats(40, 2)
    document = render()
    if not document.startswith(b"%PDF"):
        raise RuntimeError("the notice renderer did not return a PDF")
    mine = time_ms(render, repeat=repeat, warmup=2)
    theirs = time_ms(bare_reportlab_page, repeat=repeat, warmup=2)
    stats, base = Stats.of(mine), Stats.of(theirs)
    return [
        Figure(
            name=NAME,
            label="personalised notice PDF",
            size=None,
            unit="ms",
            median=stats.median,
            p95=stats.p95,
            baseline_label="bare reportlab one-page PDF",
            baseline_median=base.median,
            baseline_p95=base.p95,
            target="≤ 100 ms",
            passed=stats.median <= TARGET_MS,
            samples=stats.count,
            note=note,
            extra={"pdf_bytes": len(document)},
        )
    ]
