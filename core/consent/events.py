"""A consent event and what is derived from events, in plain data: the method, the current state of each
purpose (latest event wins), and one line of history in plain words. No storage, no keys: core/consent/ledger.py
keeps the ledger these come from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


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


def derive_states(events: list[ConsentEvent]) -> dict[str, ConsentState]:
    """Latest event per purpose wins: grant → withdraw → grant is granted again."""
    states: dict[str, ConsentState] = {}
    for event in events:
        states[event.purpose] = ConsentState(
            event.purpose, event.granted, event.at, event.method, event.notice_ref, event.guardian_name
        )
    return states


def describe(event: ConsentEvent, purpose_label: str) -> str:
    """One line of the history, in plain words, at the shop's local time (stored in UTC) and naming the staff
    member as recorded (Settings → your name; "Owner" when none was set)."""
    when = datetime.fromisoformat(event.at).astimezone().strftime("%d %b %Y %H:%M")
    verb = "agreed to" if event.granted else "withdrew consent to"
    guardian = f", given by {event.guardian_name} ({event.guardian_relationship})" if event.guardian_name else ""
    evidence = ", signed sheet attached" if event.evidence_id else ""
    notice = event.notice_ref if len(event.notice_ref) <= 24 else event.notice_ref[:23] + "…"
    return (
        f"{when} — {verb} {purpose_label.lower()}, {event.method.plain}{guardian}{evidence}; "
        f"notice {notice}; recorded by {event.staff}"
    )
