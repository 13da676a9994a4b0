"""The customer book: one data folder's vault, database, keys and search index, from set-up to lock."""

from __future__ import annotations

import base64
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine

from core.backup import BackupResult, OpenedBackup, create_backup, restore_backup
from core.catalogue.store import CatalogueStore
from core.consent.desk import ConsentDesk
from core.consent.ledger import ConsentLedger
from core.customers import validation
from core.customers.profiling import ProfileStore
from core.customers.search import SearchIndex
from core.customers.store import Customer, CustomerDraft, CustomerStore, SealedContacts, fetch_sealed_contacts
from core.customers.visits import VisitStore
from core.errors import VaultLocked
from core.keys import crypto, vault
from core.keys.keyring_cache import DeviceKeyring, KeyringUnavailable
from core.keys.rotation import Rotated
from core.notice.desk import NoticeDesk
from core.shop.basics import ShopBasics
from core.storage.audit import AuditLog
from core.storage.data_folder import DataFolder, refuse_existing_book
from core.storage.engine import check_database_file, create_sqlite_engine, migrate
from core.storage.key_file import forget_device
from core.storage.new_book import create_book_files
from core.storage.preferences import Preferences
from core.storage.reseal import ChainedTable, ResealReport, reseal_book
from core.storage.settings_store import SettingsStore
from core.storage.transactions import storage_errors, writing
from core.storage.unlock_prefetch import CiphertextPrefetch
from core.storage.vault_file import read_vault, write_vault
from core.wiring import OpenBook, Wiring, open_book

log = logging.getLogger(__name__)
Progress = Callable[[str, float], None]


def _no_progress(_message: str, _fraction: float) -> None: ...


@dataclass(frozen=True)
class SetupResult:
    recovery_key: str
    backup_identity: str
    backup_recipient: str


class CustomerBook:
    """Everything the window can do, without Qt. Slow methods say so; call them off the GUI thread."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder
        self.index = SearchIndex()
        self._engine: Engine | None = None
        self._open: OpenBook | None = None

    @property
    def is_set_up(self) -> bool:
        return self.folder.is_set_up()

    @property
    def is_unlocked(self) -> bool:
        return self._open is not None

    def _require(self) -> OpenBook:
        if self._open is None:
            raise VaultLocked()
        return self._open

    @property
    def shop(self) -> ShopBasics:
        return self._require().shop

    @property
    def customers(self) -> CustomerStore:
        return self._require().customers

    @property
    def settings(self) -> SettingsStore:
        return self._require().settings

    @property
    def audit(self) -> AuditLog:
        return self._require().audit

    @property
    def catalogue(self) -> CatalogueStore:
        """The field and consent-purpose catalogue in force, and the owner's versioned edits."""
        return self._require().catalogue

    @property
    def keys(self) -> vault.UnlockedKeys:
        return self._require().keys

    @property
    def damaged_customers(self) -> tuple[str, ...]:
        """Ids of customers whose record does not open (found at unlock or on opening them); () while locked."""
        return tuple(sorted(self._open.counter.damaged)) if self._open is not None else ()

    @property
    def must_change_passphrase(self) -> bool:
        return self._require().key_file.header.must_change_passphrase

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self.folder.ensure()
            self._engine = create_sqlite_engine(self.folder.database)
        return self._engine

    def preferences(self) -> Preferences:
        return Preferences.load(self.folder.preferences)

    @property
    def desk(self) -> ConsentDesk:
        """Consent, questions and visits for the customer pane."""
        return self._require().desk

    @property
    def consent(self) -> ConsentLedger:
        return self._require().desk.ledger

    @property
    def visits(self) -> VisitStore:
        return self._require().desk.visits

    @property
    def profile(self) -> ProfileStore:
        return self._require().desk.profile

    @property
    def notices(self) -> NoticeDesk:
        """Shop profile, notice versions and the printed documents."""
        return self._require().notices

    def current_notice_ref(self) -> str:
        """What a consent event cites: the notice version in force ('v3 sha256:…'), made if the text changed."""
        return self._require().notices.current()[1].ref

    def staff_member(self) -> str:
        """The name recorded as 'staff member' on consent events and audit entries."""
        return self.preferences().staff_name.strip() or "Owner"

    def save_preferences(self, preferences: Preferences) -> None:
        validation.refuse_card_numbers("staff_name", preferences.staff_name)  # on consent events; kept in plain JSON
        self.folder.ensure()
        preferences.save(self.folder.preferences)

    # --- set-up, unlock, lock ---------------------------------------------------------------------------

    def set_up(
        self, shop: ShopBasics, passphrase: str, kdf: crypto.KdfParams, progress: Progress = _no_progress
    ) -> SetupResult:
        """Create the vault and an empty book, and leave it unlocked. Slow (KDF). Refuses (BookAlreadyHere) a folder
        holding a book or its traces; crash-safe (core/storage/new_book.py)."""
        shop = shop.validated()
        self.folder.ensure()
        refuse_existing_book(self.folder)
        progress("Protecting the key with your passphrase…", 0.1)
        created = vault.create_vault(passphrase, kdf)
        progress("Creating the customer book…", 0.7)
        self.close()
        create_book_files(self.folder, created, {"shop": shop.to_json()})
        self._activate(created.keys, created.header, shop=shop)
        self._open_session()
        self.index.build([])
        progress("Ready", 1.0)
        return SetupResult(created.recovery_key, created.keys.backup_identity, created.header.backup_recipient)

    def unlock(self, passphrase: str, progress: Progress = _no_progress) -> None:
        """Open with the passphrase (slow by design), migrate if needed, build the search index."""
        header = read_vault(self.folder.vault)
        progress("Checking the passphrase…", 0.05)
        with CiphertextPrefetch(self.folder.database, lambda: self.engine, fetch_sealed_contacts) as prefetch:
            keys = vault.open_with_passphrase(header, passphrase)
            self._finish_unlock(keys, header, progress, prefetch.result())

    def unlock_with_recovery_key(self, recovery_key: str, progress: Progress = _no_progress) -> None:
        """Open with the recovery sheet's key; the app must then ask for a new passphrase."""
        header = read_vault(self.folder.vault)
        keys = vault.open_with_recovery_key(header, recovery_key)
        header = write_vault(self.folder.vault, replace(header, must_change_passphrase=True), keys)
        self._finish_unlock(keys, header, progress)

    def unlock_with_keyring(self, keyring: DeviceKeyring, progress: Progress = _no_progress) -> None:
        """Open with the secret remembered in the OS keyring. Raises KeyringUnavailable or WrongPassphrase."""
        device_id = self.preferences().remembered_device_id
        if not device_id:
            raise KeyringUnavailable("This computer does not remember the book.")
        stored = keyring.load(device_id)
        if not stored:
            raise KeyringUnavailable("The system keyring no longer has the remembered key. Type the passphrase.")
        header = read_vault(self.folder.vault)
        keys = vault.open_with_device_secret(header, device_id, base64.b64decode(stored))
        self._finish_unlock(keys, header, progress)

    def _finish_unlock(
        self,
        keys: vault.UnlockedKeys,
        header: vault.VaultHeader,
        progress: Progress,
        sealed: deque[list[SealedContacts]] | None = None,
    ) -> None:
        """Raises DamagedFile (database unreadable or gone: nothing is written to it), StorageError (busy,
        full), TamperedRecord (settings), LedgerTampered or AuditTampered; on any of them the book stays locked. A
        customer whose own record does not open is no reason to stay locked: see `damaged_customers`."""
        progress("Opening the customer book…", 0.4)
        try:
            check_database_file(self.folder.database)
            with storage_errors():
                migrate(self.engine, self.folder, existing=True)
                self._activate(keys, header, shop=None)
                self.audit.check_tail()  # the anchor and the last rows only; chains a log from before the chain
                key_file = self._require().key_file
                key_file.seal_if_needed(self.settings)
                if key_file.upgrade_format():  # a book from before format 2: rows move in the background
                    self._activate(keys, key_file.header, shop=self.shop)
                self._reseal_chains(progress)
                self._open_session()
                progress("Building the search index…", 0.6)
                self._require().counter.build_index(sealed)
                progress("Reading consent records…", 0.9)
                self.desk.load()
        except BaseException:
            # Half-open is not open: the window must not show a partial index or consent map.
            keys.clear()
            self.lock()
            raise
        progress("Ready", 1.0)
        log.info("book unlocked (%d customers)", len(self.index))

    def _activate(self, keys: vault.UnlockedKeys, header: vault.VaultHeader, shop: ShopBasics | None) -> None:
        wiring = Wiring(
            self.engine, self.folder, self.index, self.staff_member, self.current_notice_ref, lambda: self.shop
        )
        self._open = open_book(wiring, keys, header, shop)

    def state_check(self) -> Callable[[], list[str]]:
        """The full check of the book's fingerprint (core/storage/book_state.py), bound to this unlock: run it
        off the GUI thread; it returns plain descriptions of rows deleted, brought back or rolled back."""
        state, engine = self._require().state, self.engine
        return lambda: state.verify(engine)

    def _open_session(self) -> None:
        """Refuse a database older than its key file, raise the unlock epoch and mirror it into vault.json."""
        state = self._require()
        with writing(self.engine, immediate=True) as connection:
            epoch = state.state.open_session(connection, state.key_file.header.epoch)
        state.key_file.mirror_epoch(epoch)

    def lock(self) -> None:
        """Zero the data key and the ledger's MAC key, drop the services holding ciphers, empty index and maps."""
        if self._open is not None:
            self._open.forget()
            self._open = None
        self.index.clear()
        log.info("book locked")

    def close(self) -> None:
        self.lock()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # --- keys -------------------------------------------------------------------------------------------

    def change_passphrase(self, new_passphrase: str, kdf: crypto.KdfParams) -> None:
        """Re-wrap the data key under a new passphrase; records are untouched. Slow (key derivation)."""
        self._require().key_file.change_passphrase(new_passphrase, kdf)
        self.audit.record("passphrase_changed")

    def remember_on_this_computer(self, keyring: DeviceKeyring) -> None:
        """Add a device slot and keep its secret in the OS keyring. Raises KeyringUnavailable, changes nothing."""
        self._require().key_file.remember(keyring)

    def forget_this_computer(self, keyring: DeviceKeyring) -> None:
        prefs = self.preferences()
        if prefs.remembered_device_id:
            forget_device(prefs.remembered_device_id, keyring, self._open.key_file if self._open else None)
            prefs.remembered_device_id = ""
            prefs.save(self.folder.preferences)

    def _reseal_chains(self, progress: Progress) -> None:
        """The chained tables move to a new seal each in one transaction, while nobody types (rechain.py)."""
        state = self._require()
        if not state.key_file.reseal_pending:  # one seal version: nothing can be under another (saves two scans)
            return
        for chain in (state.ledger_reseal, state.audit):
            if chain.pending_reseal(state.cipher):
                progress("Updating the consent records and the audit log (once)…", 0.5)
                chain.reseal_all(state.cipher)

    def reseal_pending(self) -> bool:
        """Whether some rows still wait to move to the current seal version (format upgrade or rotation)."""
        return self._require().key_file.reseal_pending

    def reseal(self, progress: Callable[[float], None], cancelled: Callable[[], bool]) -> ResealReport:
        """Move every row to the current seal version (core/storage/reseal.py). Slow: off the GUI thread. Stops,
        resumably, when cancelled or when the book is locked."""
        state = self._require()
        stop = lambda: cancelled() or self._open is not state  # noqa: E731
        chains: list[ChainedTable] = [state.ledger_reseal, state.audit]
        return reseal_book(self.engine, state.cipher, chains, state.key_file, progress, stop, state.state)

    def rotate_key(
        self, current: str, kdf: crypto.KdfParams, new_passphrase: str = "", keyring: DeviceKeyring | None = None
    ) -> Rotated:
        """A new data key, wrapped by `new_passphrase` (or the current one, checked first). Returns the new
        recovery and backup keys to print. Rows move to the new key with `reseal()` afterwards. Slow (KDF)."""
        state = self._require()
        if state.keys.opened_with != vault.KIND_RECOVERY:  # with the recovery key, the passphrase is forgotten
            vault.open_with_passphrase(state.key_file.header, current).clear()  # WrongPassphrase: nothing changed
        if keyring is not None:
            self.forget_this_computer(keyring)
        rotated = state.key_file.rotate(new_passphrase or current, kdf)
        state.keys.clear()
        self._activate(rotated.keys, state.key_file.header, shop=state.shop)
        self._reseal_chains(_no_progress)
        with writing(self.engine, immediate=True) as connection:  # the fingerprints again, under the new key
            self._require().state.rebuild(connection)
        self.audit.record("data_key_rotated")
        return rotated

    # --- customers --------------------------------------------------------------------------------------

    def save_customer(
        self, draft: CustomerDraft, existing: Customer | None = None, allow_duplicates: bool = False
    ) -> Customer:
        """See CustomerDesk.save: ValidationError, DuplicateContact or StorageError, and nothing written."""
        return self._require().counter.save(draft, existing, allow_duplicates)

    def import_customers(self, drafts: list[CustomerDraft]) -> list[Customer]:
        """Validate every draft first, then store all in one transaction: all or nothing."""
        return self._require().counter.add_many(drafts)

    # --- backups ------------------------------------------------------------------------------------------

    def back_up(
        self,
        destination: Path,
        passphrase: str | None = None,
        progress: Progress = _no_progress,
        cancelled: Callable[[], bool] = lambda: False,
        automatic: bool = False,
    ) -> BackupResult:
        """Write and verify one encrypted backup into `destination`. Slow-ish: call it off the GUI thread.
        `automatic` (daily, on close) names it so rotation may remove it later; manual backups are never rotated."""
        state = self._require()
        return create_backup(
            engine=self.engine,
            folder=self.folder,
            shop_name=state.shop.name,
            recipient=state.key_file.header.backup_recipient,
            identity=state.keys.backup_identity,
            destination=destination,
            passphrase=passphrase,
            progress=progress,
            cancelled=cancelled,
            automatic=automatic,
        )

    def restore(self, opened: OpenedBackup) -> Path | None:
        """Close this book and put the backup in its place (after a safety copy). Unlock it afterwards."""
        self.close()
        return restore_backup(opened, self.folder)

    def get_customer(self, customer_id: str) -> Customer | None:
        """None when gone; raises DamagedCustomer when their record does not open."""
        return self._require().counter.get(customer_id)
