"""Customers: what staff type (a draft), what is stored (encrypted rows), and how to read it back."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, insert, select, update

from core.customers import validation
from core.errors import StorageError, TamperedRecord, ValidationError
from core.storage.book_state import BookState
from core.storage.ids import new_id, utc_now
from core.storage.profile_tables import profile_answers
from core.storage.profile_tables import visits as visits_table
from core.storage.records import RecordCipher
from core.storage.schema import customers as customers_table
from core.storage.transactions import writing

TABLE = "customers"


@dataclass(frozen=True)
class CustomerDraft:
    """What was typed into the customer form, before validation."""

    name: str
    phones: Sequence[str] = ()
    emails: Sequence[str] = ()
    notes: str = ""
    # Phones (as typed in `phones`) staff chose to keep although phonenumbers calls them invalid, after the
    # warning beside the field. Stored as `phones.TYPED_PREFIX` + the text, so never mistaken for E.164.
    typed_phones: Sequence[str] = ()


# (id, name, phones in E.164 or kept as typed, e-mails): what the search index needs of a customer.
ContactEntry = tuple[str, str, tuple[str, ...], tuple[str, ...]]
# (id, key version, sealed name, sealed contacts): the same, still encrypted.
SealedContacts = tuple[str, int, int, bytes, bytes]

DAMAGED_NAME = "Damaged record"
DAMAGED_MESSAGE = "This customer's record is damaged and cannot be read. Restore from a backup to get it back."


def damaged_name(customer_id: str) -> str:
    """What the list shows for a customer whose record does not open: nothing personal, only the short id."""
    return f"{DAMAGED_NAME} {customer_id[:8]}"


class DamagedCustomer(TamperedRecord):
    """A customer whose sealed record does not open under the right key. The rest of the book opens; this one
    is listed as damaged, the window shows `DAMAGED_MESSAGE`, and it is never saved over (a backup has it)."""

    def __init__(self, customer_id: str, field: str = "name") -> None:
        super().__init__(TABLE, customer_id, field)


@dataclass(frozen=True)
class Customer:
    """A decrypted customer as the app shows it. Phones are E.164, or `typed:` + the text for a number kept as
    typed (core/customers/phones.py; books from before have E.164 only); e-mails normalised."""

    id: str
    name: str
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    notes: str = ""
    created_at: str = ""
    updated_at: str = ""
    revision: int = 1
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def validate_draft(draft: CustomerDraft, default_region: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
    """Normalise a draft or raise ValidationError naming the first field at fault."""
    name = validation.clean_name(draft.name)
    keep = {typed.strip() for typed in draft.typed_phones}
    phones = tuple(
        dict.fromkeys(
            validation.keep_phone_as_typed(p, default_region)
            if p.strip() in keep
            else validation.normalise_phone(p, default_region)
            for p in draft.phones
            if p.strip()
        )
    )
    emails = tuple(dict.fromkeys(validation.normalise_email(e) for e in draft.emails if e.strip()))
    if len(phones) > validation.MAX_CONTACTS or len(emails) > validation.MAX_CONTACTS:
        raise ValidationError("phone", f"Keep at most {validation.MAX_CONTACTS} phones and e-mails per customer.")
    notes = validation.clean_notes(draft.notes)
    return name, phones, emails, notes


def draft_from_search_text(text: str) -> CustomerDraft:
    """Prefill a new customer from what was typed in the search box: digits → phone, @ → e-mail, else name."""
    typed = text.strip()
    if not typed:
        return CustomerDraft(name="")
    if "@" in typed and " " not in typed:
        return CustomerDraft(name="", emails=[typed])
    if sum(ch.isdigit() for ch in typed) >= 3 and all(ch.isdigit() or ch in " +-(). " for ch in typed):
        return CustomerDraft(name="", phones=[typed])
    return CustomerDraft(name=typed)


def split_contacts(text: str) -> list[str]:
    """Several phones or e-mails typed in one box, separated by commas or semicolons."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class CustomerStore:
    """Reads and writes encrypted customer rows. Every method opens its own short transaction."""

    def __init__(self, engine: Engine, cipher: RecordCipher, state: BookState | None = None) -> None:
        self._engine = engine
        self._cipher = cipher
        self._state = state  # every write moves the book's fingerprint in the same transaction

    def _sealed_row(self, customer: Customer) -> dict[str, object]:
        seal, rev = self._cipher.seal_text, customer.revision  # the revision is bound: an old value cannot come back
        contacts = {"phones": list(customer.phones), "emails": list(customer.emails)}
        return {
            "key_version": self._cipher.key_version,
            "name": seal(TABLE, customer.id, "name", customer.name, revision=rev),
            "contacts": self._cipher.seal_json(TABLE, customer.id, "contacts", contacts, revision=rev),
            "notes": seal(TABLE, customer.id, "notes", customer.notes, revision=rev) if customer.notes else None,
        }

    def add(self, name: str, phones: tuple[str, ...], emails: tuple[str, ...], notes: str) -> Customer:
        now = utc_now()
        customer = Customer(new_id(), name, phones, emails, notes, now, now, 1)
        row = {"id": customer.id, "created_at": now, "updated_at": now, "revision": 1, **self._sealed_row(customer)}
        with writing(self._engine) as connection:
            connection.execute(insert(customers_table).values(**row))
            self._note(connection, added=[(customer.id, row["key_version"], 1)])
        return customer

    def add_many(self, validated: Sequence[tuple[str, tuple[str, ...], tuple[str, ...], str]]) -> list[Customer]:
        """Insert many already-validated customers in one transaction (imports, demo data)."""
        now = utc_now()
        added = [Customer(new_id(), n, p, e, notes, now, now, 1) for n, p, e, notes in validated]
        rows = [{"id": c.id, "created_at": now, "updated_at": now, "revision": 1, **self._sealed_row(c)} for c in added]
        if rows:
            with writing(self._engine) as connection:
                connection.execute(insert(customers_table), rows)
                self._note(connection, added=[(r["id"], r["key_version"], 1) for r in rows])
        return added

    def update(
        self, existing: Customer, name: str, phones: tuple[str, ...], emails: tuple[str, ...], notes: str
    ) -> Customer:
        now = utc_now()
        changed = Customer(existing.id, name, phones, emails, notes, existing.created_at, now, existing.revision + 1)
        sealed = self._sealed_row(changed)
        table = customers_table
        with writing(self._engine, immediate=True) as connection:  # read, then write: no writer in between
            before = connection.execute(
                select(table.c.key_version).where(table.c.id == existing.id, table.c.revision == existing.revision)
            ).scalar_one_or_none()
            statement = (
                update(table)
                .where(table.c.id == existing.id, table.c.revision == existing.revision)
                .values(updated_at=now, revision=changed.revision, **sealed)
            )
            if before is None or connection.execute(statement).rowcount != 1:
                raise StorageError("Someone else changed this customer meanwhile. Reopen them and try again.")
            self._note(
                connection,
                added=[(existing.id, sealed["key_version"], changed.revision)],
                removed=[(existing.id, before, existing.revision)],
            )
        return changed

    def delete(self, customer_id: str) -> None:
        table = customers_table
        with writing(self._engine, immediate=True) as connection:
            row = connection.execute(
                select(table.c.key_version, table.c.revision).where(table.c.id == customer_id)
            ).first()
            if row is not None:
                if self._state is not None:  # the database deletes their visits and answers with them (CASCADE)
                    for child in (visits_table, profile_answers):
                        query = select(child.c.id, child.c.key_version).where(child.c.customer_id == customer_id)
                        gone = [(i, v, customer_id) for i, v in connection.execute(query)]
                        self._state.note(connection, child.name, removed=gone)
                connection.execute(delete(table).where(table.c.id == customer_id))
                self._note(connection, removed=[(customer_id, row.key_version, row.revision)])

    def _note(
        self,
        connection: Connection,
        added: list[tuple[object, object, object]] | None = None,
        removed: list[tuple[object, object, object]] | None = None,
    ) -> None:
        if self._state is not None:
            self._state.note(connection, TABLE, added or [], removed or [])

    def get(self, customer_id: str) -> Customer | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(customers_table).where(customers_table.c.id == customer_id)).first()
        return None if row is None else self._open_row(row, with_notes=True)

    def iter_all(self, with_notes: bool = False, skip: Collection[str] = ()) -> Iterator[Customer]:
        """Every customer, decrypted (notes only when asked: the search index does not need them), except the
        ids in `skip` (the damaged ones, which would raise TamperedRecord)."""
        table = customers_table
        columns = [table.c.id, table.c.created_at, table.c.updated_at, table.c.revision, table.c.key_version]
        columns += [table.c.name, table.c.contacts]
        if with_notes:
            columns.append(table.c.notes)
        with self._engine.connect() as connection:
            for row in connection.execution_options(yield_per=5000).execute(select(*columns)):
                if row.id not in skip:
                    yield self._open_row(row, with_notes=with_notes)

    def iter_contacts(
        self, sealed: deque[list[SealedContacts]] | None = None, damaged: list[str] | None = None
    ) -> Iterator[ContactEntry]:
        """`(id, name, phones, emails)` of every customer (from `sealed` when already fetched): what the search
        index is built from at unlock.

        A row whose name or contacts do not open raises TamperedRecord, unless `damaged` is given: then its id
        is appended there and it comes out as `(id, damaged_name(id), (), ())`, so one damaged row does not keep
        the whole book locked. Only ids are collected, never what did open of the row.

        The bulk path: one plain decrypt function per field, the JSON decoder called directly, bare tuples and
        no Customer objects, since this runs 100,000 times while the counter waits (bench/README.md). The
        try block costs nothing while no row fails (Python 3.11's exceptions are zero-cost until raised)."""
        open_name = self._cipher.text_opener(TABLE, "name")
        open_contacts = self._cipher.text_opener(TABLE, "contacts")
        scan = json.JSONDecoder().raw_decode  # json.loads() wraps this in two more Python frames
        batches = fetch_sealed_contacts(self._engine) if sealed is None else sealed
        while batches:
            for cid, version, revision, sealed_name, sealed_contacts in batches.popleft():
                try:
                    text = open_contacts(cid, sealed_contacts, version, "", revision)
                    contacts, end = scan(text)
                    if end != len(text) or not isinstance(contacts, dict):
                        raise TamperedRecord(TABLE, cid, "contacts")  # sealed by us, so this is not our format
                    name = open_name(cid, sealed_name, version, "", revision)
                    phones, emails = tuple(contacts.get("phones", ())), tuple(contacts.get("emails", ()))
                except (TamperedRecord, ValueError, TypeError) as error:  # ValueError: JSON that is not JSON
                    if damaged is None:
                        if isinstance(error, TamperedRecord):
                            raise
                        raise TamperedRecord(TABLE, cid, "contacts") from error
                    damaged.append(cid)
                    name, phones, emails = damaged_name(cid), (), ()  # what did open of the row is dropped
                yield cid, name, phones, emails

    def count(self) -> int:
        from sqlalchemy import func

        with self._engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(customers_table)).scalar_one())

    def _open_row(self, row: object, with_notes: bool) -> Customer:
        cid: str = row.id  # type: ignore[attr-defined]
        version: int = row.key_version  # type: ignore[attr-defined]
        rev: int = row.revision  # type: ignore[attr-defined]
        name = self._cipher.open_text(TABLE, cid, "name", row.name, version, revision=rev)  # type: ignore[attr-defined]
        contacts = self._cipher.open_json(TABLE, cid, "contacts", row.contacts, version, revision=rev)  # type: ignore[attr-defined]
        notes = ""
        sealed_notes = getattr(row, "notes", None) if with_notes else None
        if sealed_notes is not None:
            notes = self._cipher.open_text(TABLE, cid, "notes", sealed_notes, version, revision=rev)
        return Customer(
            id=cid,
            name=name,
            phones=tuple(contacts.get("phones", ())),
            emails=tuple(contacts.get("emails", ())),
            notes=notes,
            created_at=row.created_at,  # type: ignore[attr-defined]
            updated_at=row.updated_at,  # type: ignore[attr-defined]
            revision=row.revision,  # type: ignore[attr-defined]
        )


def fetch_sealed_contacts(engine: Engine, batch: int = 5000) -> deque[list[SealedContacts]]:
    """`(id, seal version, revision, sealed name, sealed contacts)` of every customer, in batches: ciphertext
    only, so it can be read before the key exists (core/storage/unlock_prefetch.py). `iter_contacts` takes the
    batches off the front as it goes, so each is freed while the index grows into the memory it leaves."""
    table = customers_table
    statement = select(table.c.id, table.c.key_version, table.c.revision, table.c.name, table.c.contacts)
    batches: deque[list[SealedContacts]] = deque()
    with engine.connect() as connection:
        # The driver's own cursor: plain tuples, a tenth of the unlock loop saved over result rows.
        cursor = connection.connection.cursor()
        try:
            cursor.execute(str(statement.compile(connection)))
            while rows := cursor.fetchmany(batch):
                batches.append(list(rows))
        finally:
            cursor.close()
    return batches
