"""CSV exports open as text in a spreadsheet: a cell that would run as a formula gets the OWASP quote."""

from __future__ import annotations

import csv
import io

import pytest

from core.book import CustomerBook
from core.consent.ledger import ConsentMethod
from core.consent.marketing_export import export_marketing_list
from core.customers.store import CustomerDraft
from core.text.csv_safe import SafeCsvWriter, safe_cell

DANGEROUS = ['=HYPERLINK("http://x")', "+1 free gift", "-2+3", "@SUM(1)", "\tfoo", "\rfoo", "  =1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote_in_front(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Ana Souza", "ana@example.com", "2026-05-01", "", "O'Brien", "a=b", "Zoë - 2", 42])
def test_ordinary_cells_are_left_alone(value: object) -> None:
    assert safe_cell(value) == str(value)


def test_an_empty_value_is_an_empty_cell() -> None:
    assert safe_cell(None) == ""


def test_the_writer_quotes_every_cell_and_neutralises_each() -> None:
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerows([["name", "note"], *([text, 'say "hi", =1'] for text in DANGEROUS)])
    lines = buffer.getvalue().splitlines()
    assert lines[0] == '"name","note"'
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[1:] == [["'" + text, 'say "hi", =1'] for text in DANGEROUS]


def _export(book: CustomerBook, purpose: str) -> list[list[str]]:
    desk = book.desk
    result = export_marketing_list(
        purpose_key=purpose, customers=list(book.customers.iter_all()), granted_by_customer=desk.granted_by_customer,
        ledger=book.consent, profile=book.profile, catalogue=desk.catalogue(), settings=desk.settings(),
        audit=book.audit, staff=book.staff_member(),
    )  # fmt: skip
    assert all(line.startswith('"') for line in result.csv_text.splitlines())  # every cell quoted
    return list(csv.reader(io.StringIO(result.csv_text)))


def test_the_marketing_export_neutralises_names_and_phone_numbers(book: CustomerBook) -> None:
    names = ['=HYPERLINK("http://x")', "+1 free gift", "-2+3", "@SUM(1)"]
    for number, name in enumerate(names):
        customer = book.save_customer(CustomerDraft(name=name, phones=[f"+1 202 555 01{number:02d}"]))
        book.desk.set_consent(customer.id, "marketing_sms", True, ConsentMethod.VERBAL)
    rows = _export(book, "marketing_sms")
    assert rows[0] == ["name", "contact", "consent_since"]
    assert sorted(row[0] for row in rows[1:]) == sorted("'" + name for name in names)
    # E.164 numbers start with "+": OWASP's rule quotes them too (a spreadsheet would read +1202… as a sum).
    assert sorted(row[1] for row in rows[1:]) == [f"'+120255501{n:02d}" for n in range(len(names))]
    assert all(row[2][0].isdigit() for row in rows[1:])
