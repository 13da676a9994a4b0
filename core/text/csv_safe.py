"""CSV that a spreadsheet opens as text, never as formulas (OWASP "CSV injection"): every export writes through here."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (=, +, -, @) or as the start of one
# after they drop a tab or carriage return (OWASP CSV Injection cheat sheet).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """`value` as cell text, with a single quote in front when a spreadsheet would run it as a formula.

    Typed text is never trusted: a customer called `=HYPERLINK("http://…")` is a link the shop clicks. The
    quote is the OWASP fix and costs a visible character, so an E.164 phone number (+44…) is written '+44…;
    that is expected, and it keeps the number from being read as a sum. Leading spaces are looked past:
    some spreadsheets trim them before deciding."""
    text = "" if value is None else str(value)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeCsvWriter:
    """`csv.writer` with every cell made safe and quoted, so a comma or quote inside a name cannot start a new
    cell that begins with a formula (the other half of the OWASP advice)."""

    def __init__(self, stream: SupportsWrite[str]) -> None:
        self._writer = csv.writer(stream, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
