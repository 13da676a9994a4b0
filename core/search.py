"""The in-memory search index built after unlock: decrypt once, search many times, forget on lock.

Each customer becomes one line of a single folded "haystack" string (name without accents or case, phone
digits, e-mails), sorted by name. A keystroke runs `str.find` over it, which scans in C; only hits are
touched in Python. Changes after the build go to a small overlay so a save never rebuilds the index.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from core.customers import Customer

DEFAULT_LIMIT = 500
_SEPARATOR = "\n"
# Letters NFKD does not split into base + accent, folded by hand so "Lodz" finds "Łódź".
_EXTRA_FOLDS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})
_DIGITS_ONLY = re.compile(r"^[\d\s+\-().]+$")
_NON_DIGITS = re.compile(r"\D")


def fold(text: str) -> str:
    """Case- and accent-insensitive form used on both sides of a search."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_EXTRA_FOLDS)


def query_tokens(query: str) -> list[str]:
    """Split a query; a query made only of digits and phone punctuation is one digit string."""
    text = query.strip()
    if not text:
        return []
    if _DIGITS_ONLY.match(text) and any(ch.isdigit() for ch in text):
        return [_NON_DIGITS.sub("", text)]
    return [token for token in fold(text).split() if token]


@dataclass(frozen=True)
class IndexRow:
    """What the customer list shows for one customer (no notes, no profile: those load on open)."""

    id: str
    name: str
    phone: str  # first phone, E.164, "" if none
    email: str  # first e-mail, "" if none


@dataclass(frozen=True)
class SearchResult:
    rows: list[IndexRow]
    more: bool  # True when more customers match than were returned

    @property
    def ids(self) -> list[str]:
        return [row.id for row in self.rows]


@dataclass(frozen=True)
class DuplicateMatch:
    customer_id: str
    name: str
    contact: str  # the phone (E.164) or e-mail that matched
    kind: str  # "phone" or "email"


def _entry_text(customer: Customer) -> str:
    digits = " ".join(_NON_DIGITS.sub("", phone) for phone in customer.phones)
    emails = " ".join(email.casefold() for email in customer.emails)
    return f"{fold(customer.name)} \x1f{digits} {emails}"


class SearchIndex:
    """Substring search over name parts, phone digits and e-mails, plus duplicate look-up by contact."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget every decrypted value (called on lock)."""
        self._rows: list[IndexRow] = []
        self._texts: list[str] = []
        self._haystack = ""
        self._starts: list[int] = []
        self._dead: set[int] = set()
        self._position: dict[str, int] = {}
        self._overlay: dict[str, tuple[IndexRow, str, str]] = {}  # id → (row, text, sort key)
        self._by_phone: dict[str, set[str]] = {}
        self._by_email: dict[str, set[str]] = {}
        self._names: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._rows) - len(self._dead) + len(self._overlay)

    def build(self, customers: Iterable[Customer]) -> None:
        self.clear()
        entries: list[tuple[str, str, IndexRow]] = []
        for customer in customers:
            text = _entry_text(customer)
            entries.append((text, customer.id, _row(customer)))
            self._remember_contacts(customer)
        entries.sort(key=lambda entry: entry[0])  # the folded name leads the text, so this sorts by name
        self._rows = [entry[2] for entry in entries]
        self._texts = [entry[0] for entry in entries]
        self._position = {row.id: i for i, row in enumerate(self._rows)}
        starts, offset = [], 0
        for text in self._texts:
            starts.append(offset)
            offset += len(text) + 1
        self._starts = starts
        self._haystack = _SEPARATOR.join(self._texts)

    def upsert(self, customer: Customer) -> None:
        self.remove(customer.id)
        text = _entry_text(customer)
        self._overlay[customer.id] = (_row(customer), text, text)
        self._remember_contacts(customer)

    def remove(self, customer_id: str) -> None:
        position = self._position.get(customer_id)
        if position is not None:
            self._dead.add(position)
        self._overlay.pop(customer_id, None)
        for index in (self._by_phone, self._by_email):
            for ids in index.values():
                ids.discard(customer_id)
        self._names.pop(customer_id, None)

    def _remember_contacts(self, customer: Customer) -> None:
        self._names[customer.id] = customer.name
        for phone in customer.phones:
            self._by_phone.setdefault(phone, set()).add(customer.id)
        for email in customer.emails:
            self._by_email.setdefault(email.casefold(), set()).add(customer.id)

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> SearchResult:
        tokens = query_tokens(query)
        overlay = sorted(
            (entry for entry in self._overlay.values() if all(t in entry[1] for t in tokens)), key=lambda e: e[2]
        )
        main = self._scan_all(limit + 1) if not tokens else self._scan(tokens, limit + 1)
        merged = _merge(main, [(entry[2], entry[0]) for entry in overlay])
        return SearchResult(rows=merged[:limit], more=len(merged) > limit)

    def _scan_all(self, wanted: int) -> list[tuple[str, IndexRow]]:
        found: list[tuple[str, IndexRow]] = []
        for position, row in enumerate(self._rows):
            if position not in self._dead:
                found.append((self._texts[position], row))
                if len(found) >= wanted:
                    break
        return found

    def _scan(self, tokens: list[str], wanted: int) -> list[tuple[str, IndexRow]]:
        # Look for the longest token (fewest false starts); check the others only on the lines it hits.
        anchor = max(tokens, key=len)
        others = [t for t in tokens if t is not anchor]
        haystack, starts, texts = self._haystack, self._starts, self._texts
        found: list[tuple[str, IndexRow]] = []
        position = haystack.find(anchor)
        while position != -1:
            line = bisect.bisect_right(starts, position) - 1
            text = texts[line]
            if line not in self._dead and all(t in text for t in others):
                found.append((text, self._rows[line]))
                if len(found) >= wanted:
                    break
            position = haystack.find(anchor, starts[line] + len(text) + 1)
        return found

    def duplicates(self, phones: Iterable[str], emails: Iterable[str], exclude_id: str = "") -> list[DuplicateMatch]:
        """Customers other than `exclude_id` who already have one of these phones (E.164) or e-mails."""
        matches: list[DuplicateMatch] = []
        for kind, index, values in (("phone", self._by_phone, phones), ("email", self._by_email, emails)):
            for value in values:
                key = value.casefold() if kind == "email" else value
                for cid in sorted(index.get(key, ())):
                    if cid != exclude_id:
                        matches.append(DuplicateMatch(cid, self._names.get(cid, ""), value, kind))
        return matches


def _row(customer: Customer) -> IndexRow:
    return IndexRow(
        customer.id,
        customer.name,
        customer.phones[0] if customer.phones else "",
        customer.emails[0] if customer.emails else "",
    )


def _merge(main: list[tuple[str, IndexRow]], overlay: list[tuple[str, IndexRow]]) -> list[IndexRow]:
    if not overlay:
        return [row for _, row in main]
    import heapq

    return [row for _, row in heapq.merge(main, overlay, key=lambda entry: entry[0])]
