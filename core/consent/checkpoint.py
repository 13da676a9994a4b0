"""A sealed checkpoint of everyone's granted purposes, so unlock reads only the ledger's tail, not all of it.

The ledger stays the only authority: the checkpoint is a cache of what `ConsentLedger.apply_since` derived,
sealed in the settings store like every personal value, and it names the last event it covers by sequence
number and MAC. At unlock the checkpoint is used only when that event still exists with that MAC (events are
append-only, so an older checkpoint replayed by someone is merely older: the tail is applied on top of it);
otherwise, or when it cannot be read, the whole ledger is read again. The events read must link to the
checkpoint and to each other and end at the ledger's sealed anchor (see core/consent/ledger.py), or unlock stops
with LedgerTampered; so the check costs the tail only, and a checkpoint is only ever written over a tail that
passed it. A customer's own page always derives their consent from their events, each MAC checked.

Stored compactly — the purpose keys once, then one bit mask per customer — because at 100,000 customers a
map of lists took longer to parse than the events it saved reading.
"""

from __future__ import annotations

import logging
from typing import Any

from core.consent.ledger import GENESIS, ConsentLedger
from core.errors import CounterpartError
from core.storage.settings_store import SettingsStore

log = logging.getLogger(__name__)

CHECKPOINT_KEY = "consent/checkpoint"
FORMAT = 1
# Rewriting the checkpoint costs about as much as reading a few thousand events; a day at the counter adds
# tens. So it is rewritten only once the tail has grown past this.
REWRITE_AFTER = 500


def load_granted(
    ledger: ConsentLedger, settings: SettingsStore, rewrite_after: int = REWRITE_AFTER
) -> dict[str, frozenset[str]]:
    """Every customer's granted purposes: the checkpoint plus the events after it (rewritten when that tail
    held `rewrite_after` events or more). Raises LedgerTampered when events are missing or out of order."""
    granted: dict[str, frozenset[str]] = {}
    start, start_mac = 0, GENESIS
    saved = _read(settings)
    if saved is not None:
        seq, mac, stored = saved
        if ledger.mac_at(seq) == mac:
            start, start_mac, granted = seq, mac, stored
        else:
            log.warning("consent checkpoint does not match the ledger; reading every event")
    read = ledger.apply_since(start, granted, after_mac=start_mac)
    ledger.check_head(read)
    granted = {customer: purposes for customer, purposes in granted.items() if purposes}
    if read.applied >= rewrite_after:
        settings.set(CHECKPOINT_KEY, _encode(read.last_seq, read.last_mac, granted))
    return granted


def _encode(seq: int, mac: str, granted: dict[str, frozenset[str]]) -> dict[str, Any]:
    purposes = sorted({purpose for chosen in granted.values() for purpose in chosen})
    bit = {purpose: 1 << i for i, purpose in enumerate(purposes)}
    masks = {customer: sum(bit[p] for p in chosen) for customer, chosen in granted.items()}
    return {"format": FORMAT, "seq": seq, "mac": mac, "purposes": purposes, "granted": masks}


def _read(settings: SettingsStore) -> tuple[int, str, dict[str, frozenset[str]]] | None:
    try:
        value: Any = settings.get(CHECKPOINT_KEY)
    except CounterpartError:  # a damaged checkpoint is only a lost cache
        log.warning("consent checkpoint unreadable; reading every event")
        return None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return None
    seq, mac, purposes, masks = (value.get(k) for k in ("seq", "mac", "purposes", "granted"))
    if not (isinstance(seq, int) and isinstance(mac, str) and isinstance(purposes, list) and isinstance(masks, dict)):
        return None
    sets: dict[int, frozenset[str]] = {}  # customers share a handful of combinations: one frozenset for each

    def chosen(mask: int) -> frozenset[str]:
        if mask not in sets:
            sets[mask] = frozenset(p for i, p in enumerate(purposes) if mask >> i & 1)
        return sets[mask]

    try:
        return seq, mac, {str(customer): chosen(int(mask)) for customer, mask in masks.items()}
    except (TypeError, ValueError):
        return None
