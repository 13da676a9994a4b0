"""The recovery sheet: one printed page with the recovery key and the backup key, and when to use each."""

from __future__ import annotations

import datetime
import math

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from core.pdf import (
    MONO,
    PaperSize,
    PdfMeta,
    boxed,
    build_pdf,
    ensure_printable,
    form_line,
    markup,
    paragraph_styles,
    printable_text,
)
from core.pdf.layout import CAUTION_EDGE, CAUTION_FILL, INK

AGE_PREFIX = "AGE-SECRET-KEY-1"
# The characters Counterpart's recovery keys (base32) and age identities (bech32, upper case) are made of.
_BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
_BECH32 = frozenset("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def render_recovery_sheet(
    shop_name: str,
    created: datetime.date,
    recovery_key: str,
    backup_identity: str,
    paper: PaperSize,
) -> bytes:
    """The recovery sheet as PDF bytes (never written to disk here: it holds both keys to the book)."""
    paper = PaperSize(paper)  # also accepts the stored setting, "a4" or "letter"
    recovery_key = _checked_key(recovery_key, "The recovery key")
    backup_identity = _checked_key(backup_identity, "The backup key")
    # The sheet must print even if the shop's name has a character the font lacks (an emoji): drop it, keep going.
    shop = " ".join(printable_text(shop_name, replace_missing="").split())
    title = f"Recovery sheet — {shop}" if shop else "Recovery sheet"
    story = _story(title, _long_date(created), recovery_key, backup_identity, paper.frame_width)
    meta = PdfMeta(
        title=title,
        author=shop,
        subject="Recovery key and backup key of the Counterpart customer book",
        footer="Counterpart recovery sheet · keep it private, keep it safe",
    )
    return build_pdf(story, meta=meta, paper=paper)


def _checked_key(key: str, what: str) -> str:
    key = key.strip()
    if not key:
        raise ValueError(f"{what} is empty")
    # A key printed with a box instead of a character could never be typed back: refuse rather than print it.
    return ensure_printable(key, what, font=MONO)


def _long_date(day: datetime.date) -> str:
    # Month names spelled here, not by strftime, so the sheet does not depend on the process locale.
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _rows(groups: list[str], per_row: int, separator: str) -> list[str]:
    return [separator.join(groups[i : i + per_row]) for i in range(0, len(groups), per_row)]


def _recovery_key_lines(key: str) -> list[str]:
    groups = key.split("-")
    # Two rows of four groups read and type far better than one long line.
    per_row = math.ceil(len(groups) / 2) if len(groups) > 4 else len(groups)
    return _rows(groups, per_row, "-")


def _backup_key_lines(identity: str) -> list[str]:
    prefix, body = (AGE_PREFIX, identity[len(AGE_PREFIX) :]) if identity.startswith(AGE_PREFIX) else ("", identity)
    lines = _rows([body[i : i + 5] for i in range(0, len(body), 5)], 6, " ")
    return [prefix, *lines] if prefix else lines


def _key_box(lines: list[str], style: ParagraphStyle, width: float) -> Flowable:
    """The key in a tinted box, its lines left-aligned (groups stay in columns) and the block centred."""
    padding = 10.0
    inner = width - 2 * (padding + 2)
    longest = max(stringWidth(line, style.fontName, style.fontSize) for line in lines)
    # A key in an unexpected shape (one long run of characters) is set smaller rather than run out of its box.
    scale = min(1.0, inner / longest) if longest else 1.0
    block = ParagraphStyle(
        f"{style.name}Block",
        parent=style,
        fontSize=style.fontSize * scale,
        leading=style.leading * scale,
        leftIndent=max(0.0, (inner - longest * scale) / 2),
    )
    return boxed([Paragraph("<br/>".join(markup(line) for line in lines), block)], padding=padding)


# The reading hints state facts about the characters only when the key really has that form.
def _recovery_key_hint(key: str) -> str:
    hint = "Dashes are optional when you type it."
    if set(key.replace("-", "")) <= _BASE32:
        hint = "Capital letters and the digits 2 to 7 only: a round character is always the letter O. " + hint
    return hint


def _backup_key_hint(identity: str) -> str:
    hint = "Type it as one line, without the spaces."
    body = identity[len(AGE_PREFIX) :] if identity.startswith(AGE_PREFIX) else ""
    if body and set(body) <= _BECH32:
        hint += f" After {AGE_PREFIX} there is no letter O, I or B and no digit 1: a round character is always zero."
    return hint


def _story(title: str, date_text: str, recovery_key: str, backup_identity: str, width: float) -> list[Flowable]:
    s = paragraph_styles()
    key_large = ParagraphStyle("RecoveryKey", parent=s.mono, fontSize=20, leading=28, textColor=INK, spaceAfter=0)
    key_medium = ParagraphStyle("BackupKey", parent=s.mono, fontSize=13.5, leading=19.5, textColor=INK, spaceAfter=0)
    command = ParagraphStyle("Command", parent=s.mono, fontSize=10, leftIndent=12, spaceBefore=1, spaceAfter=4)
    caution_text = ParagraphStyle("Caution", parent=s.body, spaceAfter=0)
    # The page has room to spare: a little more air between the sections keeps it calm.
    heading = ParagraphStyle("SheetHeading", parent=s.heading, spaceBefore=16)
    return [
        Paragraph(markup(title), s.title),
        Paragraph(f"For your Counterpart customer book · made on {markup(date_text)}", s.subtitle),
        boxed(
            [
                Paragraph(
                    "<b>Keep this sheet private.</b> Anyone who has it can open and read your customer book. "
                    "Keep it somewhere safe, such as a locked drawer, "
                    "and never photograph, scan, e-mail or message it.",
                    caution_text,
                )
            ],
            fill=CAUTION_FILL,
            edge=CAUTION_EDGE,
        ),
        Paragraph("Recovery key", heading),
        Paragraph(
            "Opens the customer book if the passphrase is forgotten. On the locked screen, choose "
            "“Use the recovery key” and type the key below; Counterpart then asks you to choose a new passphrase.",
            s.body,
        ),
        KeepTogether(
            [
                _key_box(_recovery_key_lines(recovery_key), key_large, width),
                Spacer(1, 3),
                Paragraph(markup(_recovery_key_hint(recovery_key)), s.small),
            ]
        ),
        Paragraph("Backup key", heading),
        Paragraph(
            "Opens Counterpart's backup files. You need it to restore a backup on a new or repaired computer; "
            "after the restore, the book opens with your passphrase or with the recovery key above.",
            s.body,
        ),
        KeepTogether(
            [
                _key_box(_backup_key_lines(backup_identity), key_medium, width),
                Spacer(1, 3),
                Paragraph(markup(_backup_key_hint(backup_identity)), s.small),
            ]
        ),
        Spacer(1, 4),
        Paragraph(
            "The backups also open without Counterpart, with the free <b>age</b> tool: type the backup key into a "
            "file named key.txt, then run",
            s.body,
        ),
        Paragraph(markup("age -d -i key.txt -o backup.tar backup.age"), command),
        Paragraph("Delete key.txt when you are done: anyone who finds it can open your backups.", s.small),
        Paragraph("Good to know", heading),
        Paragraph(
            "A new passphrase keeps both keys and this sheet; replacing the book's key gives a new sheet (keep "
            "this one for older backups). "
            "Store the sheet apart from the computer and the backups: whoever holds both the sheet and a backup "
            "can read every customer's details.",
            s.body,
        ),
        Spacer(1, 14),
        form_line([("Written down on", 45 * mm), ("by", None)]),
    ]
