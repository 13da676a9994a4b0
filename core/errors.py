"""Typed errors: each one a person can act on says what happened in plain words."""

from __future__ import annotations


class CounterpartError(Exception):
    """Base of every error Counterpart raises on purpose; `str(err)` is a message fit for a person."""


class WrongPassphrase(CounterpartError):
    """The passphrase or recovery key does not open the vault (the vault file itself is intact)."""

    def __init__(self, message: str = "That passphrase is not right. Check Caps Lock and try again.") -> None:
        super().__init__(message)


class DamagedFile(CounterpartError):
    """A file Counterpart wrote is unreadable: truncated, corrupted or not the kind of file expected."""


class TamperedRecord(CounterpartError):
    """A stored record failed its integrity check under the right key: it was altered or moved."""

    def __init__(self, table: str, row_id: str, field: str) -> None:
        super().__init__(
            f"A stored record did not pass its integrity check ({table} {row_id[:8]}…, {field}). "
            "It was changed outside Counterpart or the disk is failing. Restore from a backup."
        )
        self.table = table
        self.row_id = row_id
        self.field = field


class VaultTampered(TamperedRecord):
    """vault.json opened with the right secret, but its keyed seal does not match: a slot, the backup recipient or
    a flag was changed outside Counterpart (a damaged file fails the plain checksum first: DamagedFile)."""

    def __init__(self) -> None:
        CounterpartError.__init__(
            self,
            "The key file (vault.json) was changed outside Counterpart: its seal does not match what this book "
            "wrote. It is not safe to use. Restore vault.json (or the whole book) from a backup.",
        )
        self.table = "vault.json"
        self.row_id = ""
        self.field = "mac"


class VaultLocked(CounterpartError):
    """An operation needed the data key but the book is locked."""

    def __init__(self) -> None:
        super().__init__("The customer book is locked. Unlock it first.")


class UnsupportedVersion(CounterpartError):
    """A file comes from a newer Counterpart than this one."""


class AlreadyRunning(CounterpartError):
    """Another Counterpart already has this data folder open."""


class ValidationError(CounterpartError):
    """Input a person typed cannot be accepted; `field` says where, so the UI can show it beside it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class StorageError(CounterpartError):
    """The database could not be written or read (disk full, locked by another program, read-only)."""
