"""The in-memory search index built after unlock: decrypt once, search many times, forget on lock.

Each customer becomes one line of a single folded "haystack" string (name without accents or case, phone
digits, e-mails), sorted by name. Per phone the line holds the E.164 digits (`447911123456`, which contain the
national significant number) and the national form with trunk prefix (`07911123456`) where that differs; for
a number kept as typed, its digits (core/customers/phones.py). A keystroke runs `str.find` over it, which
scans in C; only hits are touched in Python. Changes after the build go to a small overlay so a save never
rebuilds the index.
"""

from __future__ import annotations

import bisect
import gc
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from core.customers.phones import index_digits, phone_key, strip_dialling_prefix
from core.customers.store import ContactEntry, Customer

DEFAULT_LIMIT = 500
_SEPARATOR = "\n"
# Letters NFKD does not split into base + accent, folded by hand so "Lodz" finds "Łódź".
_EXTRA_FOLDS = {
    ord(k): v for k, v in {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}.items()
}
_DIGITS_ONLY = re.compile(r"^[\d\s+\-().]+$")
_NON_DIGITS = re.compile(r"\D")


def fold(text: str) -> str:
    """Case- and accent-insensitive form used on both sides of a search."""
    if text.isascii():  # most names: nothing to decompose, and 5× faster at 100,000 customers
        return text.lower()
    return unicodedata.normalize("NFKD", text).casefold().translate(_FOLD_TABLE)


class _FoldTable(dict[int, str | None]):
    """A `str.translate` table filled on demand: drops combining marks (what NFKD split off) and applies the
    hand-made folds. Each code point is worked out once per process, then it is one C call per name instead
    of a Python test per character (that was half of the index build at 100,000 customers)."""

    def __missing__(self, code_point: int) -> str | None:
        char = chr(code_point)
        value = None if unicodedata.combining(char) else _EXTRA_FOLDS.get(code_point, char)
        self[code_point] = value
        return value


_FOLD_TABLE = _FoldTable()


def query_tokens(query: str, region: str | Callable[[], str] = "") -> list[str]:
    """Split a query; a query made only of digits and phone punctuation is one digit string, without the
    international dialling prefix of the shop's `region` (`0044 7911` → `447911` in the UK). `region` may be a
    function, asked only for a digit query."""
    text = query.strip()
    if not text:
        return []
    if _DIGITS_ONLY.match(text) and any(ch.isdigit() for ch in text):
        return [strip_dialling_prefix(_NON_DIGITS.sub("", text), region if isinstance(region, str) else region())]
    return [token for token in fold(text).split() if token]


class IndexRow(NamedTuple):  # one per customer: a tuple is 10× quicker to make than a frozen dataclass
    """What the customer list shows for one customer (no notes, no profile: those load on open), and the
    contacts `remove` needs to find their duplicate-check entries."""

    id: str
    name: str
    phones: tuple[str, ...]  # E.164, or kept as typed (core/customers/phones.py)
    emails: tuple[str, ...]  # as typed

    @property
    def phone(self) -> str:
        """First phone, "" if none."""
        return self.phones[0] if self.phones else ""

    @property
    def email(self) -> str:
        """First e-mail, "" if none."""
        return self.emails[0] if self.emails else ""


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
    contact: str  # the phone (as stored) or e-mail that matched
    kind: str  # "phone" or "email"


def _raw_line(name: str, phones: tuple[str, ...], emails: tuple[str, ...]) -> str:
    """One customer's line before folding: name, a unit separator, phone digits and national forms, e-mails."""
    digits = " ".join(map(index_digits, phones)) if phones else ""
    return f"{name} \x1f{digits} {' '.join(emails)}"


def _entry_text(name: str, phones: tuple[str, ...], emails: tuple[str, ...]) -> str:
    return fold(_raw_line(name, phones, emails))


def _folded_email(email: str) -> str:
    folded = email.casefold()
    return email if folded == email else folded  # keep the one string object when nothing changed (most do)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building allocates a few hundred thousand tracked objects that all stay alive; the cyclic garbage
    collector would rescan them again and again for nothing (about a third of the build at 100,000)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Frozen: the index lives until lock, and the first full collection after the build would otherwise
        # walk all of it once more (0.1 s at 100,000, and again at every later full collection, a hitch in
        # the window). clear() unfreezes, so anything cyclic frozen with it is collected after lock.
        gc.freeze()
        if was_enabled:
            gc.enable()


class _Shard(NamedTuple):
    """Lines of the index in one string, sorted by name: line i spans starts[i] to starts[i + 1] - 1 (one sentinel
    start past the end). Lines are sliced out when hit rather than kept as separate strings too (~10 MB at
    100,000 customers); the starts are an array of machine integers, not int objects (2.8 MB less)."""

    haystack: str
    starts: array[int]
    rows: list[IndexRow]

    @classmethod
    def of(cls, entries: list[tuple[str, IndexRow]]) -> _Shard:
        starts, offset = array("q"), 0
        for text, _ in entries:
            starts.append(offset)
            offset += len(text) + 1
        starts.append(offset)
        return cls(_SEPARATOR.join(entry[0] for entry in entries), starts, [entry[1] for entry in entries])

    def line(self, line: int) -> str:
        return self.haystack[self.starts[line] : self.starts[line + 1] - 1]

    def scan_all(self, wanted: int, dead: set[str]) -> list[tuple[str, IndexRow]]:
        found: list[tuple[str, IndexRow]] = []
        for position, row in enumerate(self.rows):
            if not dead or row.id not in dead:
                found.append((self.line(position), row))
                if len(found) >= wanted:
                    break
        return found

    def scan(self, tokens: list[str], wanted: int, dead: set[str]) -> list[tuple[str, IndexRow]]:
        # Look for the longest token (fewest false starts); check the others only on the lines it hits.
        anchor = max(tokens, key=len)
        others = [t for t in tokens if t is not anchor]
        haystack, starts, rows = self.haystack, self.starts, self.rows
        found: list[tuple[str, IndexRow]] = []
        position = haystack.find(anchor)
        while position != -1:
            line = bisect.bisect_right(starts, position) - 1
            text = haystack[starts[line] : starts[line + 1] - 1]
            if (not dead or rows[line].id not in dead) and all(t in text for t in others):
                found.append((text, rows[line]))
                if len(found) >= wanted:
                    break
            position = haystack.find(anchor, starts[line + 1])
        return found


_EMPTY = _Shard("", array("q"), [])


class SearchIndex:
    """Substring search over name parts, phone digits and e-mails, plus duplicate look-up by contact."""

    def __init__(self) -> None:
        self._region: Callable[[], str] = str  # the shop's phone region, read per digit query ("" until told)
        self.clear()

    def set_phone_region(self, region: Callable[[], str]) -> None:
        """Where the shop is, read at each digit query: decides which international dialling prefix a query may
        start with (`00` in the UK, `011` in the US). Not personal data, so it outlives `clear()`."""
        self._region = region

    def clear(self) -> None:
        """Forget every decrypted value (called on lock)."""
        gc.unfreeze()
        # Two shards: the lines that are all ASCII (most: one byte a character) and the rest. One string holding
        # both would take two or four bytes for every character once a single Ł or Ольга is in it: 4.6 MB more
        # at 100,000 customers.
        self._shards: tuple[_Shard, ...] = (_EMPTY, _EMPTY)
        self._size = 0
        self._dead: set[str] = set()  # ids of built rows removed or changed since (a change is in the overlay)
        # id → its built row. The row itself, not its line number: 100,000 int objects were 2.8 MB at 100,000
        # customers, which paid for the national phone forms (core/customers/phones.py).
        self._by_id: dict[str, IndexRow] = {}
        self._overlay: dict[str, tuple[IndexRow, str, str]] = {}  # id → (row, text, sort key)
        # contact → its owner's id, or a tuple of ids for a contact several customers share (rare): a 1-tuple per
        # contact would cost ~8 MB at 100,000 customers.
        self._by_phone: dict[str, Owners] = {}
        self._by_email: dict[str, Owners] = {}

    def __len__(self) -> int:
        return self._size - len(self._dead) + len(self._overlay)

    def build(self, customers: Iterable[Customer]) -> None:
        self.build_from_contacts((c.id, c.name, c.phones, c.emails) for c in customers)

    def build_from_contacts(self, contacts: Iterable[ContactEntry]) -> None:
        """Build from `(id, name, phones, emails)` tuples (`CustomerStore.iter_contacts`, the unlock path)."""
        self.clear()
        rows: list[IndexRow] = []
        lines: list[str] = []
        add_row, add_line, make_row, raw_line, fold_line = rows.append, lines.append, tuple.__new__, _raw_line, fold
        with _collector_paused():
            for entry in contacts:
                # tuple.__new__: IndexRow(...) would run a Python-level __new__ for each of 100,000 rows.
                add_row(make_row(IndexRow, entry))
                add_line(fold_line(raw_line(entry[1], entry[2], entry[3])))
            entries = list(zip(lines, rows, strict=True))
            del lines
            self._by_phone = _owners([(row.id, _phone_key(phone)) for row in rows for phone in row.phones])
            self._by_email = _owners([(row.id, _folded_email(email)) for row in rows for email in row.emails])
        entries.sort(key=itemgetter(0))  # the folded name leads the text, so this sorts by name
        self._by_id = {row.id: row for row in rows}
        self._size = len(rows)
        del rows
        plain = [entry for entry in entries if entry[0].isascii()]
        others = [entry for entry in entries if not entry[0].isascii()] if len(plain) < len(entries) else []
        del entries
        self._shards = (_Shard.of(plain), _Shard.of(others))

    def upsert(self, customer: Customer) -> None:
        self.remove(customer.id)
        text = _entry_text(customer.name, customer.phones, customer.emails)
        self._overlay[customer.id] = (_row(customer), text, text)
        self._remember_contacts(customer.id, customer.phones, customer.emails)

    def remove(self, customer_id: str) -> None:
        current = self._current_row(customer_id)
        if customer_id in self._by_id:
            self._dead.add(customer_id)
        self._overlay.pop(customer_id, None)
        if current is None:
            return
        phone_keys = map(phone_key, current.phones)
        for index, keys in ((self._by_phone, phone_keys), (self._by_email, map(str.casefold, current.emails))):
            for key in keys:
                others = tuple(cid for cid in _ids(index.get(key)) if cid != customer_id)
                if others:
                    index[key] = others[0] if len(others) == 1 else others
                else:
                    index.pop(key, None)

    def _current_row(self, customer_id: str) -> IndexRow | None:
        """The customer's row as the index has it now: a saved change (overlay) before the built base."""
        if customer_id in self._overlay:
            return self._overlay[customer_id][0]
        return None if customer_id in self._dead else self._by_id.get(customer_id)

    def _remember_contacts(self, cid: str, phones: tuple[str, ...], emails: tuple[str, ...]) -> None:
        for index, keys in ((self._by_phone, map(phone_key, phones)), (self._by_email, map(_folded_email, emails))):
            for key in keys:
                owners = _ids(index.get(key))
                if not owners:
                    index[key] = cid
                elif cid not in owners:
                    index[key] = (*owners, cid)

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> SearchResult:
        tokens = query_tokens(query, self._region if self._size or self._overlay else "")  # locked: no shop
        overlay = sorted(
            (entry for entry in self._overlay.values() if all(t in entry[1] for t in tokens)), key=lambda e: e[2]
        )
        wanted, dead = limit + 1, self._dead
        found = [shard.scan(tokens, wanted, dead) if tokens else shard.scan_all(wanted, dead) for shard in self._shards]
        merged = _merge([*found, [(entry[2], entry[0]) for entry in overlay]])
        return SearchResult(rows=merged[:limit], more=len(merged) > limit)

    def duplicates(self, phones: Iterable[str], emails: Iterable[str], exclude_id: str = "") -> list[DuplicateMatch]:
        """Customers other than `exclude_id` who already have one of these phones (as stored: E.164, or kept as
        typed, then compared by digits) or e-mails."""
        matches: list[DuplicateMatch] = []
        for kind, index, values in (("phone", self._by_phone, phones), ("email", self._by_email, emails)):
            for value in values:
                key = value.casefold() if kind == "email" else phone_key(value)
                for cid in sorted(_ids(index.get(key))):
                    if cid != exclude_id:
                        row = self._current_row(cid)
                        matches.append(DuplicateMatch(cid, row.name if row else "", value, kind))
        return matches


Owners = str | tuple[str, ...]  # one customer's id, or several customers' ids


def _ids(owners: Owners | None) -> tuple[str, ...]:
    if owners is None:
        return ()
    return (owners,) if isinstance(owners, str) else owners


def _owners(pairs: list[tuple[str, str]]) -> dict[str, Owners]:
    """contact → owner id(s) from (id, contact) pairs. One comprehension keeps the last owner of each contact;
    the pass after it adds the others. At 100,000 customers that is a tenth of inserting pair by pair."""
    owners: dict[str, Owners] = {contact: cid for cid, contact in pairs}
    for cid, contact in pairs:
        found = owners[contact]
        if found != cid and (isinstance(found, str) or cid not in found):
            owners[contact] = (*_ids(found), cid)
    return owners


def _phone_key(phone: str) -> str:
    return phone if phone[:1] == "+" else phone_key(phone)  # E.164 is its own key: no call for nearly all


def _row(customer: Customer) -> IndexRow:
    return IndexRow(customer.id, customer.name, customer.phones, customer.emails)


def _merge(runs: list[list[tuple[str, IndexRow]]]) -> list[IndexRow]:
    """Rows of several name-sorted runs (the shards, the overlay), in name order."""
    filled = [run for run in runs if run]
    if len(filled) <= 1:
        return [row for _, row in filled[0]] if filled else []
    import heapq

    return [row for _, row in heapq.merge(*filled, key=itemgetter(0))]
