"""The consent ledger: append-only, hash-chained events; current consent is derived, never stored.

Each event's body (purpose, channel, granted, method, notice, staff, guardian) is sealed like every
personal value. The chain MAC is HMAC-SHA256, keyed from the data key, over the previous MAC and the
event row, so nobody without the key can forge, edit, drop or reorder events unnoticed. SQLite triggers
refuse UPDATE and DELETE; verify() finds what a determined person did with the triggers dropped, and
reading a customer's events checks each row's MAC, so an edited event is never silently used.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, func, insert, select

from core.customers import new_id, utc_now
from core.db.profile_tables import consent_events, consent_evidence
from core.errors import CounterpartError, TamperedRecord, ValidationError
from core.records import RecordCipher

TABLE = "consent_events"
GENESIS = "0" * 64
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
_NONE: frozenset[str] = frozenset()


class ConsentMethod(StrEnum):
    SIGNED_PAPER = "signed_paper"
    VERBAL = "verbal_at_counter"
    WRITTEN = "written"
    EMAIL = "email"

    @property
    def plain(self) -> str:
        return {
            "signed_paper": "on a signed paper form",
            "verbal_at_counter": "verbally at the counter",
            "written": "in writing",
            "email": "by e-mail",
        }[self.value]


@dataclass(frozen=True)
class ConsentEvent:
    id: str
    customer_id: str
    purpose: str
    channel: str | None
    granted: bool
    at: str
    method: ConsentMethod
    notice_ref: str
    staff: str
    guardian_name: str = ""
    guardian_relationship: str = ""
    evidence_id: str | None = None


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    granted: bool
    since: str | None
    method: ConsentMethod | None
    notice_ref: str | None
    guardian_name: str = ""


class LedgerTampered(CounterpartError):
    """The consent ledger was changed outside Counterpart."""


def _mac(key: bytes, prev_mac: str, event_id: str, customer_id: str, at: str, key_version: int, body: bytes) -> str:
    message = b"|".join(
        (prev_mac.encode(), event_id.encode(), customer_id.encode(), at.encode(), str(key_version).encode(), body)
    )
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class ConsentLedger:
    """Append and read consent events. There is deliberately no update or delete method."""

    def __init__(self, engine: Engine, cipher: RecordCipher, mac_key: bytes) -> None:
        self._engine = engine
        self._cipher = cipher
        self._mac_key = mac_key

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
        body = self._cipher.seal_json(TABLE, event.id, "body", _body(event))
        with self._engine.begin() as connection:
            # BEGIN … the last MAC is read and the new row written in one transaction, so two counters
            # appending at once cannot fork the chain (SQLite serialises writers).
            last = connection.execute(
                select(consent_events.c.mac).order_by(consent_events.c.seq.desc()).limit(1)
            ).scalar()
            prev = last or GENESIS
            mac = _mac(self._mac_key, prev, event.id, customer_id, event.at, self._cipher.key_version, body)
            connection.execute(
                insert(consent_events).values(
                    id=event.id, customer_id=customer_id, at=event.at, key_version=self._cipher.key_version,
                    body=body, prev_mac=prev, mac=mac,
                )
            )  # fmt: skip
        return event

    def attach_evidence(self, customer_id: str, filename: str, data: bytes, media_type: str, note: str = "") -> str:
        """Store a scan of a signed sheet (encrypted); returns its id to cite in an event."""
        if len(data) > MAX_EVIDENCE_BYTES:
            raise ValidationError("evidence", "That file is larger than 20 MB; scan at a lower resolution.")
        evidence_id = new_id()
        meta = {"filename": filename, "media_type": media_type, "note": note}
        kv = self._cipher.key_version
        with self._engine.begin() as connection:
            connection.execute(
                insert(consent_evidence).values(
                    id=evidence_id, customer_id=customer_id, at=utc_now(), key_version=kv,
                    meta=self._cipher.seal_json("consent_evidence", evidence_id, "meta", meta),
                    data=self._cipher.seal_bytes("consent_evidence", evidence_id, "data", data),
                )
            )  # fmt: skip
        return evidence_id

    # --- reading -----------------------------------------------------------------------------------------

    def evidence(self, evidence_id: str) -> tuple[str, bytes, str]:
        with self._engine.connect() as connection:
            row = connection.execute(select(consent_evidence).where(consent_evidence.c.id == evidence_id)).first()
        if row is None:
            raise KeyError(evidence_id)
        meta = self._cipher.open_json("consent_evidence", row.id, "meta", row.meta, row.key_version)
        data = self._cipher.open_bytes("consent_evidence", row.id, "data", row.data, row.key_version)
        return str(meta["filename"]), data, str(meta["media_type"])

    def events(self, customer_id: str) -> list[ConsentEvent]:
        """Oldest first. Each row's MAC is checked: an edited event raises instead of being used."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(consent_events).where(consent_events.c.customer_id == customer_id).order_by(consent_events.c.seq)
            ).all()
        return [self._open(row) for row in rows]

    def _open(self, row: Any) -> ConsentEvent:
        expected = _mac(self._mac_key, row.prev_mac, row.id, row.customer_id, row.at, row.key_version, row.body)
        if not hmac.compare_digest(expected, row.mac):
            raise TamperedRecord(TABLE, row.id, "mac")
        body = self._cipher.open_json(TABLE, row.id, "body", row.body, row.key_version)
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
        """Every customer's granted purposes from the whole ledger (one pass; see also consent_checkpoint)."""
        granted: dict[str, frozenset[str]] = {}
        self.apply_since(0, granted)
        return {customer: purposes for customer, purposes in granted.items() if purposes}

    def apply_since(self, after_seq: int, granted: dict[str, frozenset[str]]) -> tuple[int, str, int]:
        """Apply every event after `after_seq`, oldest first, to `granted` (customer → purposes granted), each
        row's MAC checked as in `events`. Returns (last seq, its MAC, events applied).

        The bulk path of unlock: bare columns, one-shot HMAC and one plain decrypt function rather than a
        ConsentEvent per row, because it can run over a hundred thousand events while the counter waits."""
        table = consent_events
        open_body = self._cipher.text_opener(TABLE, "body")
        key, loads, digest, same = self._mac_key, json.loads, hmac.digest, hmac.compare_digest
        statement = (
            select(table.c.seq, table.c.id, table.c.customer_id, table.c.at, table.c.key_version, table.c.body)
            .add_columns(table.c.prev_mac, table.c.mac)
            .where(table.c.seq > after_seq)
            .order_by(table.c.seq)
        )
        last_seq, last_mac, applied = after_seq, "", 0
        with self._engine.connect() as connection:
            for seq, event_id, customer, at, version, body, prev_mac, mac in connection.execution_options(
                yield_per=5000
            ).execute(statement):
                # The same bytes _mac() signs, built in one step.
                message = f"{prev_mac}|{event_id}|{customer}|{at}|{version}|".encode() + body
                if not same(digest(key, message, "sha256").hex(), mac):
                    raise TamperedRecord(TABLE, event_id, "mac")
                event = loads(open_body(event_id, body, version))
                purposes = granted.get(customer, _NONE)
                purpose = frozenset((event["purpose"],))
                granted[customer] = purposes | purpose if event["granted"] else purposes - purpose
                last_seq, last_mac, applied = seq, mac, applied + 1
        return last_seq, last_mac, applied

    def mac_at(self, seq: int) -> str | None:
        """The MAC of event `seq`, or None when there is no such event."""
        with self._engine.connect() as connection:
            found = connection.execute(select(consent_events.c.mac).where(consent_events.c.seq == seq)).scalar()
        return None if found is None else str(found)

    def count(self) -> int:
        with self._engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(consent_events)).scalar_one())

    def verify(self) -> list[str]:
        """Walk the whole chain. Returns plain descriptions of every problem; [] when intact."""
        problems: list[str] = []
        prev = GENESIS
        with self._engine.connect() as connection:
            for row in connection.execute(select(consent_events).order_by(consent_events.c.seq)):
                if row.prev_mac != prev:
                    problems.append(f"Event {row.seq}: an event before it is missing or out of order.")
                expected = _mac(self._mac_key, row.prev_mac, row.id, row.customer_id, row.at, row.key_version, row.body)
                if not hmac.compare_digest(expected, row.mac):
                    problems.append(f"Event {row.seq}: it was changed after it was recorded.")
                prev = row.mac
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


def derive_states(events: list[ConsentEvent]) -> dict[str, ConsentState]:
    """Latest event per purpose wins: grant → withdraw → grant is granted again."""
    states: dict[str, ConsentState] = {}
    for event in events:
        states[event.purpose] = ConsentState(
            event.purpose, event.granted, event.at, event.method, event.notice_ref, event.guardian_name
        )
    return states


def describe(event: ConsentEvent, purpose_label: str) -> str:
    """One line of the history, in plain words."""
    from datetime import datetime

    when = datetime.fromisoformat(event.at).strftime("%d %b %Y %H:%M UTC")
    verb = "agreed to" if event.granted else "withdrew consent to"
    guardian = f", given by {event.guardian_name} ({event.guardian_relationship})" if event.guardian_name else ""
    evidence = ", signed sheet attached" if event.evidence_id else ""
    notice = event.notice_ref if len(event.notice_ref) <= 24 else event.notice_ref[:23] + "…"
    return (
        f"{when} — {verb} {purpose_label.lower()}, {event.method.plain}{guardian}{evidence}; "
        f"notice {notice}; staff {event.staff}"
    )
