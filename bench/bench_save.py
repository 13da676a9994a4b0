"""Save one customer (validate, duplicate check, encrypt, commit, index) against a plaintext SQLAlchemy
insert into an equivalent table on an engine with the same SQLite settings (WAL, synchronous=FULL)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Column, Engine, Integer, MetaData, Table, Text, insert

from bench.context import Context
from bench.measure import Figure, Stats, time_ms
from bench.shop_generator import PASSPHRASE, SEED, working_copy
from core.book import CustomerBook
from core.customers.sample_shop import generate_customers
from core.customers.store import CustomerDraft, validate_draft
from core.storage.engine import create_sqlite_engine
from core.storage.ids import new_id, utc_now

NAME = "save"
TARGET_MS = 15.0

_plain = MetaData()
PLAIN_CUSTOMERS = Table(
    "customers",
    _plain,
    Column("id", Text, primary_key=True),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("contacts", Text, nullable=False),
    Column("notes", Text),
)


def fresh_drafts(book: CustomerBook, count: int) -> list[CustomerDraft]:
    """New customers that collide with nobody in the book, so every save goes all the way to the disk."""
    region = book.shop.phone_region
    drafts: list[CustomerDraft] = []
    taken: set[str] = set()
    for number, draft in enumerate(generate_customers(count * 20, SEED + 99)):
        candidate = CustomerDraft(draft.name, draft.phones, [f"new{number}.{e}" for e in draft.emails], draft.notes)
        _name, phones, emails, _notes = validate_draft(candidate, region)
        if taken.intersection(phones) or book.index.duplicates(phones, emails):
            continue
        taken.update(phones)
        drafts.append(candidate)
        if len(drafts) == count:
            return drafts
    raise RuntimeError("could not find enough customers without a duplicate phone")


def _saver(book: CustomerBook, drafts: list[CustomerDraft]) -> Callable[[], object]:
    pending = iter(drafts)
    return lambda: book.save_customer(next(pending))


def _plain_saver(engine: Engine, drafts: list[CustomerDraft]) -> object:
    pending = iter(drafts)

    def save() -> None:
        draft = next(pending)
        now = utc_now()
        row = {
            "id": new_id(),
            "created_at": now,
            "updated_at": now,
            "revision": 1,
            "name": draft.name,
            "contacts": ",".join([*draft.phones, *draft.emails]),
            "notes": draft.notes or None,
        }
        with engine.begin() as connection:
            connection.execute(insert(PLAIN_CUSTOMERS).values(**row))

    return save


def run(ctx: Context) -> list[Figure]:
    repeat, warmup = ctx.repeats(50, 5), 3
    figures: list[Figure] = []
    for size in ctx.sizes:
        folder = working_copy(ctx.shop(size), ctx.work / "save")
        book = CustomerBook(folder)
        plain = create_sqlite_engine(ctx.work / f"plain-save-{size}.db")
        try:
            book.unlock(PASSPHRASE)
            drafts = fresh_drafts(book, repeat + warmup)
            mine = time_ms(_saver(book, drafts), repeat=repeat, warmup=warmup)
            _plain.create_all(plain)
            theirs = time_ms(_plain_saver(plain, drafts), repeat=repeat, warmup=warmup)  # type: ignore[arg-type]
        finally:
            book.close()
            plain.dispose()
        stats, base = Stats.of(mine), Stats.of(theirs)
        figures.append(
            Figure(
                name=NAME,
                label="save one customer (encrypt + commit)",
                size=size,
                unit="ms",
                median=stats.median,
                p95=stats.p95,
                baseline_label="plaintext SQLAlchemy insert, same SQLite settings",
                baseline_median=base.median,
                baseline_p95=base.p95,
                target="≤ 15 ms",
                passed=stats.median <= TARGET_MS,
                samples=stats.count,
                note="CustomerBook.save_customer: validation, duplicate check, AES-GCM, commit, index update",
            )
        )
    return figures
