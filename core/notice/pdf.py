"""The printed documents: the personalised notice to sign, the blank notice, the counter sign, the full policy."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from core.catalogue import ConsentPurpose
from core.notice.text import NoticeText, Section
from core.notice.versions import NoticeVersion
from core.pdf import (
    SANS_BOLD,
    PaperSize,
    PdfMeta,
    Styles,
    boxed,
    build_pdf,
    ensure_printable,
    form_line,
    markup,
    paragraph_styles,
)
from core.pdf.flowables import checkbox_row
from core.pdf.layout import INK, RULE

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def long_date(day: datetime.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class PersonalDetails:
    """What the personalised notice prints about one customer."""

    name: str
    categories_held: tuple[str, ...]
    granted: frozenset[str]
    child: bool = False


def _compact(styles: Styles) -> tuple[ParagraphStyle, ParagraphStyle]:
    body = ParagraphStyle("NoticeBody", parent=styles.body, fontSize=9.5, leading=12.2, spaceAfter=2.5)
    bullet = ParagraphStyle("NoticeBullet", parent=body, leftIndent=10, bulletIndent=0, spaceAfter=2)
    return body, bullet


def _rows_table(rows: Sequence[tuple[str, str, str, str]], styles: Styles, width: float) -> Table:
    cell = ParagraphStyle("NoticeCell", parent=styles.body, fontSize=8.2, leading=9.8, spaceAfter=0)
    head = ParagraphStyle("NoticeHead", parent=cell, fontName=SANS_BOLD)
    header = [Paragraph(text, head) for text in ("What we ask", "Why", "How long we keep it · if you say no")]
    data: list[list[Flowable]] = [header]
    for what, why, kept, declined in rows:
        data.append(
            [
                Paragraph(markup(what), cell),
                Paragraph(markup(why), cell),
                Paragraph(markup(f"{kept}. If you say no: {declined}"), cell),
            ]
        )
    table = Table(data, colWidths=[width * 0.24, width * 0.38, width * 0.38], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def _section(
    section: Section, styles: Styles, body: ParagraphStyle, bullet: ParagraphStyle, *, table_width: float = 0
) -> list[Flowable]:
    """A section as headings and text; with `table_width`, its rows print as a compact table instead of bullets."""
    heading = ParagraphStyle(
        "NoticeHeading", parent=styles.heading, fontSize=11, leading=14, spaceBefore=5, spaceAfter=2
    )
    flow: list[Flowable] = [Paragraph(markup(section.heading), heading)]
    flow += [Paragraph(markup(text), body) for text in section.paragraphs]
    if table_width and section.rows:
        flow.append(_rows_table(section.rows, styles, table_width))
    else:
        flow += [Paragraph(markup(text), bullet, bulletText="•") for text in section.bullets]
    return flow


def _choice_line(purpose: ConsentPurpose, *, ticked: bool, on_file: bool, style: ParagraphStyle) -> Table:
    """One consent box and its wording; a box ticked from the ledger also says "On file: yes" in words.

    The words carry the tick for anyone who cannot see it (a screen reader, a faint copy, a search of the saved
    PDF), and make the printed state checkable by text extraction. An empty box needs none: the intro says so.
    """
    text = f"<b>{markup(purpose.label)}</b> — {markup(purpose.description)}"
    if on_file and ticked:
        text += " <b>On&nbsp;file:&nbsp;yes.</b>"  # kept on one line: a lone "yes." reads as a stray word
    return checkbox_row(text, ticked=ticked, style=style)


def _signature_row(label: str, style: ParagraphStyle) -> Flowable:
    """The same line core.pdf's signature_line draws (label, long blank, date blank), without its own grouping."""
    return form_line([(label, None), ("Date", 38 * mm)], style=style, height=32)


def _footer(shop: str, version: NoticeVersion) -> str:
    # Version, effective date and hash on every page, first: a signed sheet must show exactly which text was handed
    # out, and a long shop name is what the footer's ellipsis should cut, not the hash.
    effective = version.effective[:10]
    return f"Privacy notice, version {version.number} · {version.content_hash[:19]} · effective {effective} · {shop}"


def _notice_sections(text: NoticeText, skip: Sequence[str] = ()) -> list[Section]:
    return [s for s in text.sections if s.heading not in skip]


def render_personal_notice(
    text: NoticeText,
    version: NoticeVersion,
    shop: str,
    purposes: Sequence[ConsentPurpose],
    person: PersonalDetails | None,
    *,
    blank_choices: bool,
    today: datetime.date,
    paper: PaperSize,
) -> bytes:
    """The notice with the customer's name, what we hold, consent boxes (current or blank) and signatures.

    With `person=None` it is the blank notice for any walk-in: name and date to fill in by hand.
    """
    styles = paragraph_styles()
    body, bullet = _compact(styles)
    name = ensure_printable(person.name, "The customer's name") if person else ""
    story: list[Flowable] = [Paragraph(markup(text.title), styles.title)]
    if person:
        story.append(Paragraph(markup(f"For {name} · {long_date(today)}"), styles.subtitle))
        held = ", ".join(person.categories_held) or "your name"
        story.append(boxed([Paragraph(markup(f"What we hold about you today: {held}."), body)]))
    else:
        story += [Spacer(1, 2 * mm), form_line([("Name", None), ("Date", 40 * mm)]), Spacer(1, 2 * mm)]
    for section in _notice_sections(text, skip=("Your choices",)):
        story += _section(section, styles, body, bullet, table_width=paper.frame_width)
    choices_heading = ParagraphStyle("ChoicesHeading", parent=styles.heading, fontSize=11, leading=14, spaceBefore=5)
    current = person is not None and not blank_choices
    # Shorter than the policy's "Your choices" paragraph, so the boxes fit beside the signatures; it keeps what
    # the law asks for: separate, optional, and as easy to withdraw as to give.
    how = ("Each is separate; saying no changes nothing else. Withdraw any yes at any time, as easily as you gave "
           "it: at the counter, by phone or by e-mail.")  # fmt: skip
    if current:
        heading = "Your choices — as we have them today"
        intro = "A ticked box is a yes we have on file. " + how
    else:
        heading = "Your choices — tick yes for each use you agree to"
        intro = "Leave a box empty to say no. " + how
    choices: list[Flowable] = [Paragraph(heading, choices_heading), Paragraph(markup(intro), body)]
    for purpose in purposes:
        ticked = current and person is not None and purpose.key in person.granted
        choices.append(_choice_line(purpose, ticked=ticked, on_file=current, style=body))
    if not purposes:
        choices.append(Paragraph("We ask for no optional consents.", body))
    story.append(KeepTogether(choices))
    # The signature rows as one flat group: a page holding nothing but the staff's line reads as a mistake.
    # (signature_line's own KeepTogether nested in another one measured too tall and pushed short forms over.)
    signatures: list[Flowable] = [Spacer(1, 3 * mm), _signature_row("Customer's signature", body)]
    if person is None or person.child:
        signatures += [
            form_line([("Parent or guardian's name and relationship", None)], style=body),
            _signature_row("Parent or guardian's signature (customers under the age threshold)", body),
        ]
    signatures.append(_signature_row("Staff name and signature", body))
    story.append(KeepTogether(signatures))
    meta = PdfMeta(title=text.title, author=shop, subject="Privacy notice", footer=_footer(shop, version))
    return build_pdf(story, meta=meta, paper=paper)


def render_counter_sign(text: NoticeText, version: NoticeVersion, shop: str, *, paper: PaperSize) -> bytes:
    """A one-page poster: the essentials at collection, and where to read more."""
    styles = paragraph_styles()
    # A poster is read from a step away: large type, generous spacing, the shop's name prominent.
    big = ParagraphStyle("SignBody", parent=styles.body, fontSize=15, leading=21.5, spaceAfter=14)
    title = ParagraphStyle("SignTitle", parent=styles.title, fontSize=34, leading=40, spaceAfter=6)
    shop_style = ParagraphStyle("SignShop", parent=styles.heading, fontSize=20, leading=26, spaceAfter=22)
    by_heading = {s.heading: s for s in text.sections}
    collect = by_heading["What we collect, why, and for how long"].paragraphs[0]
    share = " ".join(by_heading["Who receives it"].paragraphs[:2])
    complaints = " ".join(by_heading["Questions and complaints"].paragraphs)
    more = by_heading["Full privacy policy"].paragraphs[0]
    story: list[Flowable] = [
        Spacer(1, 10 * mm),
        Paragraph("How we use your information", title),
        Paragraph(markup(shop), shop_style),
        Paragraph("<b>What we collect.</b> " + markup(collect), big),
        Paragraph(
            "<b>Why.</b> "
            + markup(
                "To serve you and reach you about your orders, and — only if you say yes — to send you offers. "
                "Every optional use is a separate yes or no, and you can change your mind at any time."
            ),
            big,
        ),
        Paragraph("<b>Who receives it.</b> " + markup(share), big),
        Paragraph(
            "<b>Your rights.</b> " + markup("You can see, correct or delete what we hold about you. " + complaints), big
        ),
        Spacer(1, 8 * mm),
        boxed([Paragraph(markup(more), big)], padding=14),
    ]
    meta = PdfMeta(
        title="How we use your information", author=shop, subject="Counter sign", footer=_footer(shop, version)
    )
    return build_pdf(story, meta=meta, paper=paper)


def render_full_policy(text: NoticeText, version: NoticeVersion, shop: str, *, paper: PaperSize) -> bytes:
    """Every section of the notice in full, for the website or the folder at the counter."""
    styles = paragraph_styles()
    story: list[Flowable] = [
        Paragraph(markup(f"Privacy policy — {shop}"), styles.title),
        Paragraph(markup(f"{version.short} · effective {version.effective[:10]}"), styles.subtitle),
    ]
    for section in text.sections:
        story += _section(
            section, styles, styles.body, ParagraphStyle("PolicyBullet", parent=styles.body, leftIndent=10)
        )
    meta = PdfMeta(
        title=f"Privacy policy — {shop}", author=shop, subject="Privacy policy", footer=_footer(shop, version)
    )
    return build_pdf(story, meta=meta, paper=paper)
