"""Data-key rotation: the part the owner waits for (new key; consent ledger and audit log re-sealed in one
transaction each) and the background move of every other record, against raw AES-GCM opening and sealing the
same number of values."""

from __future__ import annotations

import os
import sqlite3
import time

from bench.context import Context
from bench.measure import Figure, Stats
from bench.shop_generator import PASSPHRASE, PREP_KDF, working_copy
from core.book import CustomerBook
from core.keys.crypto import Aead

NAME = "rotation"
TARGET_MS = 60_000.0  # no figure in the design yet: a minute at 100,000 keeps "replace the key" an ordinary task
_SEALED = {
    "customers": ("name", "contacts", "notes"),
    "visits": ("note",),
    "profile_answers": ("body",),
    "consent_events": ("body",),
    "consent_evidence": ("meta", "data"),
    "audit_events": ("details",),
    "settings": ("value",),
}


def _values(database: object) -> list[bytes]:
    """Every sealed value in the book (what a rotation must open and seal again)."""
    found: list[bytes] = []
    with sqlite3.connect(str(database)) as connection:
        for table, columns in _SEALED.items():
            for column in columns:
                found += [bytes(v) for (v,) in connection.execute(f'SELECT "{column}" FROM {table}') if v]
    return found


def _raw(values: list[bytes]) -> float:
    """Open and seal every value with bare AES-GCM (no framing, no SQL): the floor for any re-seal."""
    old, new = Aead(os.urandom(32)), Aead(os.urandom(32))
    sealed = [old.seal(v[12:-16] or b"x", b"ad") for v in values]
    started = time.perf_counter()
    for value in sealed:
        new.seal(old.open(value, b"ad"), b"ad")
    return (time.perf_counter() - started) * 1000.0


def run(ctx: Context) -> list[Figure]:
    figures: list[Figure] = []
    for size in ctx.sizes:
        mine, waits, theirs = [], [], []
        for _attempt in range(ctx.repeats(2, 1)):
            folder = working_copy(ctx.shop(size), ctx.work / "rotation")
            book = CustomerBook(folder)
            book.unlock(PASSPHRASE)
            try:
                values = _values(folder.database)
                started = time.perf_counter()
                book.rotate_key(PASSPHRASE, PREP_KDF)
                waited = time.perf_counter()
                report = book.reseal(lambda _f: None, lambda: False)
                ended = time.perf_counter()
                assert report.finished
                assert not book.reseal_pending()
            finally:
                book.close()
            mine.append((ended - started) * 1000.0)
            waits.append((waited - started) * 1000.0)
            theirs.append(_raw(values))
        stats, base, wait = Stats.of(mine), Stats.of(theirs), Stats.of(waits)
        figures.append(
            Figure(
                name=NAME,
                label="rotate the data key: every value re-sealed",
                size=size,
                unit="ms",
                median=stats.median,
                p95=stats.p95,
                baseline_label=f"raw AES-GCM open + seal of the same {len(values):,} values",
                baseline_median=base.median,
                baseline_p95=base.p95,
                target="≤ 60 s (no design figure yet)",
                passed=stats.median <= TARGET_MS,
                samples=stats.count,
                note=f"the owner waits {wait.median:.0f} ms (new key, ledger and audit log); the rest moves in "
                "the background",
                extra={"waited (ms)": round(wait.median, 1), "values": len(values)},
            )
        )
    return figures
