"""What a restore would replace, said before anything is replaced: the current book's figures beside the backup's.

Both sides are counted the same way, from rows on disk (ids and timestamps are the readable columns, so
this works while the book is locked and never decrypts a customer): the backup's figures come from its
checked manifest, the current book's from its database file."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from core.backup.archive import Manifest
from core.text.moments import local_moment
from core.text.plural import count_of

# Where a change to the customer book leaves a time stamp. Settings and the audit log are left out: they are
# written by unlocking and locking too, and "changes up to" would then just mean "last opened".
_CHANGE_STAMPS = {
    "customers": ("created_at", "updated_at"),
    "visits": ("at",),
    "profile_answers": ("at",),
    "consent_events": ("at",),
    "consent_evidence": ("at",),
}


@dataclass(frozen=True)
class BookFigures:
    customers: int
    last_change: datetime | None  # UTC; None for a book nobody has written to yet


def _parse(stamp: object) -> datetime | None:
    if not isinstance(stamp, str) or not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def current_book_figures(database: Path) -> BookFigures | None:
    """Customers and the latest change in the book at `database`; None when there is no book there.

    Read-only, in its own connection: safe beside the open book (SQLite readers do not block its writer) and
    it never creates a file. Slow on a large book (a scan of every time stamp): call it off the GUI thread."""
    if not database.is_file():
        return None
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        customers = 0
        if "customers" in tables:
            customers = int(connection.execute("SELECT COUNT(*) FROM customers").fetchone()[0])
        latest: datetime | None = None
        for table, columns in _CHANGE_STAMPS.items():
            if table not in tables:
                continue  # a book from before that feature
            for column in columns:
                query = f'SELECT MAX("{column}") FROM "{table}"'  # noqa: S608 - names from the constant above
                found = _parse(connection.execute(query).fetchone()[0])
                if found is not None and (latest is None or found > latest):
                    latest = found
        return BookFigures(customers, latest)
    finally:
        connection.close()


def backup_made_at(manifest: Manifest) -> datetime | None:
    return _parse(manifest.created_at)


def restore_warning(
    current: BookFigures | None,
    manifest: Manifest,
    country: str | None,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> str:
    """The sentence shown before Restore is pressed, in local time and the shop's date format, e.g.
    "Your current book has 6 customers and changes up to today 14:02; the backup is from today 13:49 with
    5 customers. Restoring replaces the current book." """
    made = backup_made_at(manifest)
    backup_when = local_moment(made, country, now, zone) if made is not None else manifest.created_at
    backup_side = f"the backup is from {backup_when} with {count_of(manifest.customers, 'customer')}"
    if current is None:
        return f"There is no customer book on this computer yet; {backup_side}. Restoring puts it in place."
    changed = local_moment(current.last_change, country, now, zone) if current.last_change is not None else ""
    if not changed:
        book_side = f"Your current book has {count_of(current.customers, 'customer')} and no changes yet"
    else:
        book_side = f"Your current book has {count_of(current.customers, 'customer')} and changes up to {changed}"
    sentence = f"{book_side}; {backup_side}. Restoring replaces the current book."
    if made is not None and current.last_change is not None:
        if made > current.last_change:
            sentence += " The backup is newer than the current book."
        elif changed == backup_when:  # the same minute: "changed after 18:08" beside "up to 18:08" says nothing
            sentence += " The last changes were made in the same minute as the backup: they may not be in it."
        else:
            sentence += f" Whatever changed after {backup_when} is not in the backup."
    return sentence
