"""The services of an unlocked book, wired from its keys: stores, desks, the two chains and the book's state.

`CustomerBook` (core/book.py) owns set-up, unlock and lock; this module only builds what an open book holds, so
that every store writing rows gets the same cipher and the same book state (core/storage/book_state.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from core.catalogue.store import CatalogueStore
from core.consent.desk import ConsentDesk
from core.consent.ledger import ConsentLedger
from core.consent.rechain import LedgerReseal
from core.customers.collected import collected_contacts
from core.customers.desk import CustomerDesk
from core.customers.profiling import ProfileStore
from core.customers.search import SearchIndex
from core.customers.store import CustomerStore
from core.customers.visits import VisitStore
from core.keys import crypto, vault
from core.keys.derived import DerivedKeys
from core.notice.desk import NoticeDesk
from core.notice.versions import NoticeVersionStore
from core.shop.basics import ShopBasics
from core.storage.audit import AuditLog
from core.storage.book_state import BookState
from core.storage.data_folder import DataFolder
from core.storage.key_file import KeyFile
from core.storage.records import RecordCipher
from core.storage.settings_store import SettingsStore


@dataclass
class OpenBook:
    keys: vault.UnlockedKeys
    key_file: KeyFile
    customers: CustomerStore
    settings: SettingsStore
    audit: AuditLog
    shop: ShopBasics
    catalogue: CatalogueStore
    desk: ConsentDesk
    notices: NoticeDesk
    counter: CustomerDesk
    cipher: RecordCipher
    ledger_reseal: LedgerReseal
    state: BookState

    def forget(self) -> None:
        """Zero every key this open book holds and empty the desks' maps (at lock)."""
        self.keys.clear()
        self.desk.clear()
        self.audit.forget_key()
        self.state.forget_key()


@dataclass(frozen=True)
class Wiring:
    """What the services need from the book besides keys: where it lives and who is at the counter."""

    engine: Engine
    folder: DataFolder
    index: SearchIndex
    staff: Callable[[], str]
    notice_ref: Callable[[], str]
    shop: Callable[[], ShopBasics]


def open_book(wiring: Wiring, keys: vault.UnlockedKeys, header: vault.VaultHeader, shop: ShopBasics | None) -> OpenBook:
    engine = wiring.engine
    cipher = RecordCipher.for_book(keys, header)
    settings = SettingsStore(engine, cipher)
    if shop is None:
        shop = ShopBasics.from_json(settings.get("shop", {}))
    catalogue = CatalogueStore(settings)
    # Each chain's MAC (consent ledger, audit log) and the book's fingerprint get their own keys, derived from the
    # data key, so each proves nothing else.
    mac_keys = DerivedKeys(header, keys, b"counterpart consent ledger", b"ledger-mac-v1")
    audit_keys = DerivedKeys(header, keys, b"counterpart audit log", b"audit-mac-v1")
    state_key = crypto.hkdf_key_buffer(keys.data_key, b"counterpart book state", b"book-state-v1")
    state = BookState(cipher, state_key, keys.key_version)
    audit = AuditLog(engine, cipher, audit_keys, state)
    desk = ConsentDesk(
        ConsentLedger(engine, cipher, mac_keys, state),
        ProfileStore(engine, cipher, state),
        VisitStore(engine, cipher, state),
        catalogue,
        settings,
        staff=wiring.staff,
        notice_ref=wiring.notice_ref,
        country=lambda: wiring.shop().country,
        audit=audit,
    )
    notices = NoticeDesk(settings, catalogue, NoticeVersionStore(settings, audit), wiring.shop)
    customers = CustomerStore(engine, cipher, state)
    counter = CustomerDesk(
        customers,
        wiring.index,
        lambda: wiring.shop().phone_region,
        lambda: collected_contacts(catalogue.current()),  # at each save: Settings may have switched one off
    )
    key_file = KeyFile(wiring.folder, header, keys)
    ledger_reseal = LedgerReseal(engine, settings, mac_keys, state)
    return OpenBook(
        keys,
        key_file,
        customers,
        settings,
        audit,
        shop,
        catalogue,
        desk,
        notices,
        counter,
        cipher,
        ledger_reseal,
        state,
    )
