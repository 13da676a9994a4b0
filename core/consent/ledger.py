"""The consent ledger: append-only, hash-chained events; current consent is derived, never stored.

Each event's body (purpose, channel, granted, method, notice, staff, guardian) is sealed like every
personal value. The chain MAC is HMAC-SHA256, keyed from the data key, over the previous MAC and the
event row, so nobody without the key can forge, edit, drop or reorder events unnoticed. SQLite triggers
refuse UPDATE and DELETE; verify() finds what a determined person did with the triggers dropped, and
reading a customer's events checks each row's MAC, so an edited event is never silently used.

A chain alone cannot show that its newest events were cut off, so the head is anchored: the last event's
seq and MAC are sealed in the settings store, moved in the same transaction as each append. Unlock reads
the events after the consent checkpoint anyway; it checks they link to each other and end at the anchor,
so a deleted or reordered recent event stops the unlock (LedgerTampered) instead of reviving a consent.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, func, insert, select

from core.consent.events import ConsentEvent, ConsentMethod, ConsentState, derive_states, describe
from core.errors import CounterpartError, TamperedRecord, ValidationError
from core.storage.book_state import BookState
from core.storage.chain import GENESIS, chain_mac, read_anchor, write_anchor
from core.storage.ids import new_id, utc_now
from core.storage.profile_tables import consent_events, consent_evidence
from core.storage.records import RecordCipher
from core.storage.settings_store import SettingsStore
from core.storage.transactions import writing

log = logging.getLogger(__name__)

TABLE = "consent_events"
ANCHOR_KEY = "consent/anchor"
# Sealed into the body of every event appended since anchors exist: a book whose last event carries it must
# have an anchor, so deleting the anchor row does not pass the book off as one from before anchors.
_ANCHORED = "anchored"
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
_NONE: frozenset[str] = frozenset()
# The plain event types live in core/consent/events.py; re-exported so callers need one import.
__all__ = [
    "ANCHOR_KEY", "GENESIS", "MAX_EVIDENCE_BYTES", "TABLE", "ChainRead", "ConsentEvent", "ConsentLedger",
    "ConsentMethod", "ConsentState", "LedgerTampered", "derive_states", "describe",
]  # fmt: skip


class LedgerTampered(CounterpartError):
    """The consent ledger was changed outside Counterpart."""

    @classmethod
    def events_missing(cls, count: int) -> LedgerTampered:
        events = "1 event is" if count == 1 else f"{count} events are"
        return cls(
            f"The consent records were changed outside Counterpart: {events} missing or out of order, so the "
            "consent choices shown could be wrong. Restore the customer book from a backup."
        )

    @classmethod
    def anchor_changed(cls) -> LedgerTampered:
        return cls(
            "The consent records were changed outside Counterpart: the seal on the latest consent event is "
            "missing or altered, so events may be missing too. Restore the customer book from a backup."
        )


class ChainRead(NamedTuple):
    """What `apply_since` read: the last event (seq and MAC), how many events it applied, and how many of the
    events it covers are missing or out of order, judged by the links (each prev_mac is the MAC before it)."""

    last_seq: int
    last_mac: str
    applied: int
    unlinked: int


def _mac(
    key: bytes | bytearray, prev_mac: str, event_id: str, customer_id: str, at: str, key_version: int, body: bytes
) -> str:
    # prev | id | customer | at | key version | body ciphertext ("" for a body that is not bytes: tampered)
    return chain_mac(key, body, prev_mac, event_id, customer_id, at, key_version)


event_mac = _mac  # the chain's MAC, public for core/consent/rechain.py


class ConsentLedger:
    """Append and read consent events. There is deliberately no update or delete method."""

    def __init__(
        self,
        engine: Engine,
        cipher: RecordCipher,
        mac_keys: Callable[[int], bytes | bytearray],
        state: BookState | None = None,
    ) -> None:
        """`mac_keys(seal version)`: each event's MAC is keyed from the data key that sealed it, so the chain
        stays checkable while it holds events of two seal versions (core/consent/rechain.py)."""
        self._engine = engine
        self._cipher = cipher
        self._mac_keys = mac_keys
        self._settings = SettingsStore(engine, cipher)
        self._state = state

    def _mac_key(self, version: int) -> bytes | bytearray:
        return self._mac_keys(version)

    def forget_key(self) -> None:
        """Zero the MAC keys (at lock). A check still running elsewhere then finds every MAC wrong; whoever
        started it must discard its answer (the window compares ledgers)."""
        forget = getattr(self._mac_keys, "forget", None)
        if forget is not None:
            forget()

    # --- writing -----------------------------------------------------------------------------------------

    def record(
        self,
        customer_id: str,
        purpose: str,
        granted: bool,
        method: ConsentMethod,
        notice_ref: str,
        staff: str,
        *,
        channel: str | None = None,
        guardian_name: str = "",
        guardian_relationship: str = "",
        evidence_id: str | None = None,
    ) -> ConsentEvent:
        event = ConsentEvent(
            new_id(), customer_id, purpose, channel, granted, utc_now(), ConsentMethod(method), notice_ref,
            staff, guardian_name.strip(), guardian_relationship.strip(), evidence_id,
        )  # fmt: skip
        body = self._cipher.seal_json(TABLE, event.id, "body", {**_body(event), _ANCHORED: True}, owner=customer_id)
        # The write lock is taken before the head is read, so two counters appending at once cannot fork the
        # chain; the head must still be the anchored one, so an event deleted while the book is open is not
        # papered over by the next append; and the anchor moves with the new event or not at all.
        with writing(self._engine, immediate=True) as connection:
            prev_seq, prev = self._head(connection)
            self._check_head(connection, prev_seq, prev, unlinked=0)
            version = self._cipher.key_version
            mac = _mac(self._mac_key(version), prev, event.id, customer_id, event.at, version, body)
            inserted = connection.execute(
                insert(consent_events).values(
                    id=event.id, customer_id=customer_id, at=event.at, key_version=self._cipher.key_version,
                    body=body, prev_mac=prev, mac=mac,
                )
            )  # fmt: skip
            seq = int(inserted.lastrowid)  # seq is the INTEGER PRIMARY KEY, i.e. the rowid
            write_anchor(self._settings, ANCHOR_KEY, seq, mac, connection)
            if self._state is not None:
                self._state.note(connection, TABLE, added=[(event.id, version, mac)])
        return event

    def attach_evidence(self, customer_id: str, filename: str, data: bytes, media_type: str, note: str = "") -> str:
        """Store a scan of a signed sheet (encrypted); returns its id to cite in an event."""
        if len(data) > MAX_EVIDENCE_BYTES:
            raise ValidationError("evidence", "That file is larger than 20 MB; scan at a lower resolution.")
        evidence_id = new_id()
        meta = {"filename": filename, "media_type": media_type, "note": note}
        kv = self._cipher.key_version
        with writing(self._engine) as connection:
            connection.execute(
                insert(consent_evidence).values(
                    id=evidence_id, customer_id=customer_id, at=utc_now(), key_version=kv,
                    meta=self._cipher.seal_json("consent_evidence", evidence_id, "meta", meta, owner=customer_id),
                    data=self._cipher.seal_bytes("consent_evidence", evidence_id, "data", data, owner=customer_id),
                )
            )  # fmt: skip
            if self._state is not None:
                self._state.note(connection, "consent_evidence", added=[(evidence_id, kv, customer_id)])
        return evidence_id

    # --- reading -----------------------------------------------------------------------------------------

    def evidence(self, evidence_id: str) -> tuple[str, bytes, str]:
        with self._engine.connect() as connection:
            row = connection.execute(select(consent_evidence).where(consent_evidence.c.id == evidence_id)).first()
        if row is None:
            raise KeyError(evidence_id)
        owner = row.customer_id
        meta = self._cipher.open_json("consent_evidence", row.id, "meta", row.meta, row.key_version, owner=owner)
        data = self._cipher.open_bytes("consent_evidence", row.id, "data", row.data, row.key_version, owner=owner)
        return str(meta["filename"]), data, str(meta["media_type"])

    def events(self, customer_id: str) -> list[ConsentEvent]:
        """Oldest first. Each row's MAC is checked: an edited event raises instead of being used."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(consent_events).where(consent_events.c.customer_id == customer_id).order_by(consent_events.c.seq)
            ).all()
        return [self._open(row) for row in rows]

    def _open(self, row: Any) -> ConsentEvent:
        key = self._mac_key(row.key_version)
        expected = _mac(key, row.prev_mac, row.id, row.customer_id, row.at, row.key_version, row.body)
        if not hmac.compare_digest(expected, str(row.mac)):  # str(): a MAC edited into a number is no TypeError
            raise TamperedRecord(TABLE, row.id, "mac")
        body = self._cipher.open_json(TABLE, row.id, "body", row.body, row.key_version, owner=row.customer_id)
        return ConsentEvent(
            row.id, row.customer_id, body["purpose"], body.get("channel"), bool(body["granted"]), row.at,
            ConsentMethod(body["method"]), body["notice_ref"], body["staff"], body.get("guardian_name", ""),
            body.get("guardian_relationship", ""), body.get("evidence_id"),
        )  # fmt: skip

    def current(self, customer_id: str) -> dict[str, ConsentState]:
        """Purpose → its latest state (purposes never asked are absent, which means 'no')."""
        return derive_states(self.events(customer_id))

    def granted_purposes(self, customer_id: str) -> frozenset[str]:
        return frozenset(p for p, state in self.current(customer_id).items() if state.granted)

    def all_granted(self) -> dict[str, frozenset[str]]:
        """Every customer's granted purposes from the whole ledger (one pass; see also consent_checkpoint).
        Raises LedgerTampered when events are missing or out of order."""
        granted: dict[str, frozenset[str]] = {}
        self.check_head(self.apply_since(0, granted))
        return {customer: purposes for customer, purposes in granted.items() if purposes}

    def apply_since(
        self, after_seq: int, granted: dict[str, frozenset[str]], after_mac: str | None = None
    ) -> ChainRead:
        """Apply every event after `after_seq` (whose MAC is `after_mac`, looked up when not given), oldest
        first, to `granted` (customer → purposes granted), each row's MAC checked as in `events` and each
        link counted. Pass the result to `check_head` before trusting `granted`.

        The bulk path of unlock: bare columns, one-shot HMAC and one plain decrypt function rather than a
        ConsentEvent per row, because it can run over a hundred thousand events while the counter waits."""
        if after_seq == 0:
            after_mac = GENESIS
        elif after_mac is None:
            after_mac = self.mac_at(after_seq) or ""  # "" links to nothing: the first event shows as misplaced
        table = consent_events
        open_body = self._cipher.text_opener(TABLE, "body")
        keys: dict[
            int, bytes | bytearray
        ] = {}  # seal version → MAC key, looked up once per version, not once per event
        loads, mac_of, same = json.loads, _mac, hmac.compare_digest
        statement = (
            select(table.c.seq, table.c.id, table.c.customer_id, table.c.at, table.c.key_version, table.c.body)
            .add_columns(table.c.prev_mac, table.c.mac)
            .where(table.c.seq > after_seq)
            .order_by(table.c.seq)
        )
        last_seq, last_mac, applied, breaks = after_seq, after_mac, 0, 0
        with self._engine.connect() as connection:
            for seq, event_id, customer, at, version, body, prev_mac, mac in connection.execution_options(
                yield_per=5000
            ).execute(statement):
                key = keys.get(version) or keys.setdefault(version, self._mac_key(version))
                if not same(mac_of(key, prev_mac, event_id, customer, at, version, body), str(mac)):
                    raise TamperedRecord(TABLE, event_id, "mac")
                breaks += prev_mac != last_mac
                event = loads(open_body(event_id, body, version, customer, 0))
                purposes = granted.get(customer, _NONE)
                purpose = frozenset((event["purpose"],))
                granted[customer] = purposes | purpose if event["granted"] else purposes - purpose
                last_seq, last_mac, applied = seq, mac, applied + 1
        unlinked = self._count_misplaced(after_seq, after_mac) if breaks else 0
        return ChainRead(last_seq, last_mac, applied, unlinked)

    def _count_misplaced(self, after_seq: int, after_mac: str) -> int:
        """How many events after `after_seq` are missing or out of order. Only run once a link is broken, so
        it can afford a second read: one broken link says little (swapping two events breaks three)."""
        table = consent_events
        statement = select(table.c.seq, table.c.prev_mac, table.c.mac).where(table.c.seq > after_seq)
        with self._engine.connect() as connection:
            rows = [(int(seq), str(prev), str(mac)) for seq, prev, mac in connection.execute(statement)]
        if not rows:
            return 0
        following = {prev: (seq, mac) for seq, prev, mac in rows}
        macs = {mac for _, _, mac in rows}
        # Rebuild the order the links give: runs that start where a link points at nothing read (the first
        # one at `after_mac`), followed event by event, the runs in the order their first events stand.
        order: list[int] = []
        for seq, prev, mac in sorted(rows):
            if prev in macs:
                continue
            order.append(seq)
            while mac in following and len(order) <= len(rows):
                seq, mac = following[mac]
                order.append(seq)
        standing = sorted(seq for seq, _, _ in rows)
        displaced = sum(linked != stood for linked, stood in zip(order, standing, strict=False))
        deleted = standing[-1] - after_seq - len(rows)  # seq is a rowid: a deleted event leaves its gap
        return deleted + displaced + max(len(rows) - len(order), 0)

    def check_head(self, read: ChainRead) -> None:
        """Raise LedgerTampered unless the events `read` went through linked up and ended at the anchor.

        Books from before anchors have none: their head is accepted this once and anchored, so from then on
        it is held to it. What an anchor kept in the same file cannot see: every event since anchoring deleted
        together with the anchor (that looks like such an old book), or the last events deleted and an older,
        genuinely sealed anchor copied back in (that looks like a whole-file rollback to an older copy)."""
        with self._engine.connect() as connection:
            anchored = self._check_head(connection, read.last_seq, read.last_mac, read.unlinked)
        if not anchored:
            log.info("consent ledger from before anchors: anchoring its head at event %d", read.last_seq)
            with writing(self._engine) as connection:
                write_anchor(self._settings, ANCHOR_KEY, read.last_seq, read.last_mac, connection)

    def _head(self, connection: Connection) -> tuple[int, str]:
        table = consent_events
        last = connection.execute(select(table.c.seq, table.c.mac).order_by(table.c.seq.desc()).limit(1)).first()
        return (0, GENESIS) if last is None else (int(last.seq), str(last.mac))

    def _anchor(self, connection: Connection) -> tuple[int, str] | None:
        try:
            return read_anchor(self._settings, ANCHOR_KEY, connection)
        except TamperedRecord as exc:
            raise LedgerTampered.anchor_changed() from exc

    def _check_head(self, connection: Connection, seq: int, mac: str, unlinked: int) -> bool:
        """Raise LedgerTampered unless event `seq` with `mac` is the anchored head and nothing was unlinked;
        False when there is no anchor yet and the head is from before anchors (or there are no events)."""
        anchor = self._anchor(connection)
        if anchor is None:
            if seq and self._is_anchored_event(connection, seq):
                raise LedgerTampered.anchor_changed()
            if unlinked:
                raise LedgerTampered.events_missing(unlinked)
            return False
        anchor_seq, anchor_mac = anchor
        missing = unlinked
        if (seq, mac) != (anchor_seq, anchor_mac):
            # Behind the anchor: the newest events were cut off. Level or past it: the anchor is not ours.
            missing += max(anchor_seq - seq, 1)
        if missing:
            raise LedgerTampered.events_missing(missing)
        return True

    def _is_anchored_event(self, connection: Connection, seq: int) -> bool:
        table = consent_events
        row = connection.execute(
            select(table.c.id, table.c.customer_id, table.c.key_version, table.c.body).where(table.c.seq == seq)
        ).first()
        if row is None:
            return False
        body = self._cipher.open_json(TABLE, row.id, "body", row.body, row.key_version, owner=row.customer_id)
        return isinstance(body, dict) and body.get(_ANCHORED) is True

    def mac_at(self, seq: int) -> str | None:
        """The MAC of event `seq`, or None when there is no such event."""
        with self._engine.connect() as connection:
            found = connection.execute(select(consent_events.c.mac).where(consent_events.c.seq == seq)).scalar()
        return None if found is None else str(found)

    def count(self) -> int:
        with self._engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(consent_events)).scalar_one())

    def verify(self) -> list[str]:
        """Walk the whole chain and compare its end with the anchor. Returns plain descriptions of every
        problem; [] when intact."""
        problems: list[str] = []
        last_seq, prev = 0, GENESIS
        table = consent_events
        columns = (table.c.seq, table.c.id, table.c.customer_id, table.c.at, table.c.key_version, table.c.body)
        statement = select(*columns, table.c.prev_mac, table.c.mac).order_by(table.c.seq)
        keys: dict[int, bytes | bytearray] = {}
        same = hmac.compare_digest
        with self._engine.connect() as connection:
            # Bare columns and the one-shot HMAC, as in apply_since: this walks every event, in the background
            # after each unlock, and must not hold the interpreter long while the counter types.
            for seq, event_id, customer, at, version, body, prev_mac, mac in connection.execution_options(
                yield_per=5000
            ).execute(statement):
                if prev_mac != prev:
                    problems.append(f"Event {seq}: an event before it is missing or out of order.")
                key = keys.get(version) or keys.setdefault(version, self._mac_key(version))
                if not same(_mac(key, prev_mac, event_id, customer, at, version, body), str(mac)):
                    problems.append(f"Event {seq}: it was changed after it was recorded.")
                last_seq, prev = seq, mac
            try:
                self._check_head(connection, last_seq, prev, unlinked=0)
            except LedgerTampered as exc:
                problems.append(str(exc))
        return problems


def _body(event: ConsentEvent) -> dict[str, Any]:
    return {
        "purpose": event.purpose,
        "channel": event.channel,
        "granted": event.granted,
        "method": event.method.value,
        "notice_ref": event.notice_ref,
        "staff": event.staff,
        "guardian_name": event.guardian_name,
        "guardian_relationship": event.guardian_relationship,
        "evidence_id": event.evidence_id,
    }
