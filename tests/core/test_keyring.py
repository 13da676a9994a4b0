"""'Remember on this computer': every keyring failure becomes a clear message and the passphrase still works."""

from __future__ import annotations

import threading

import pytest

from core.book import CustomerBook
from core.keys.keyring_cache import DeviceKeyring, KeyringUnavailable
from tests.conftest import PASSPHRASE


class MemoryBackend:
    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class NullBackend(MemoryBackend):
    """Like keyring.backends.null: accepts every secret and keeps none."""

    def set_password(self, service: str, username: str, password: str) -> None:
        return None


def _raising(exc: Exception) -> MemoryBackend:
    class Failing(MemoryBackend):
        def get_password(self, service: str, username: str) -> str | None:
            raise exc

        def set_password(self, service: str, username: str, password: str) -> None:
            raise exc

    return Failing()


class HangingBackend(MemoryBackend):
    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(10)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(10)


def test_remember_then_unlock_without_passphrase(book: CustomerBook) -> None:
    backend = MemoryBackend()
    keyring = DeviceKeyring(backend)
    book.remember_on_this_computer(keyring)
    assert len(backend.store) == 1
    secret = next(iter(backend.store.values()))
    assert secret not in book.folder.vault.read_text()
    book.lock()
    book.unlock_with_keyring(keyring)
    assert book.is_unlocked
    book.forget_this_computer(keyring)
    assert backend.store == {}
    book.lock()
    with pytest.raises(KeyringUnavailable, match="does not remember"):
        book.unlock_with_keyring(keyring)
    book.unlock(PASSPHRASE)


def _keyring_errors() -> list[Exception]:
    from keyring.errors import InitError, KeyringLocked, NoKeyringError

    return [NoKeyringError("none"), KeyringLocked("locked"), InitError("boom"), RuntimeError("dbus went away")]


@pytest.mark.parametrize("error", _keyring_errors(), ids=lambda e: type(e).__name__)
def test_every_backend_failure_is_a_clear_message_and_changes_nothing(book: CustomerBook, error: Exception) -> None:
    vault_before = book.folder.vault.read_bytes()
    with pytest.raises(KeyringUnavailable) as caught:
        book.remember_on_this_computer(DeviceKeyring(_raising(error)))
    assert "keyring" in str(caught.value)
    assert "Traceback" not in str(caught.value)
    assert book.folder.vault.read_bytes() == vault_before
    assert book.preferences().remembered_device_id == ""


def test_null_backend_that_drops_secrets_is_detected(book: CustomerBook) -> None:
    with pytest.raises(KeyringUnavailable, match="did not keep"):
        book.remember_on_this_computer(DeviceKeyring(NullBackend()))
    assert book.preferences().remembered_device_id == ""


def test_hanging_backend_times_out(book: CustomerBook) -> None:
    backend = HangingBackend()
    try:
        with pytest.raises(KeyringUnavailable, match=r"did not answer within 0\.2 seconds"):
            book.remember_on_this_computer(DeviceKeyring(backend, timeout=0.2))
    finally:
        backend.release.set()


def test_keyring_failing_at_unlock_falls_back_to_passphrase(book: CustomerBook) -> None:
    backend = MemoryBackend()
    book.remember_on_this_computer(DeviceKeyring(backend))
    book.lock()
    from keyring.errors import KeyringLocked

    with pytest.raises(KeyringUnavailable, match="locked"):
        book.unlock_with_keyring(DeviceKeyring(_raising(KeyringLocked("x"))))
    assert not book.is_unlocked
    backend.store.clear()
    with pytest.raises(KeyringUnavailable, match="no longer has"):
        book.unlock_with_keyring(DeviceKeyring(backend))
    book.unlock(PASSPHRASE)
    assert book.is_unlocked


def test_plaintext_keyring_is_refused() -> None:
    class PlaintextKeyring(MemoryBackend):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    with pytest.raises(KeyringUnavailable, match="plaintext"):
        DeviceKeyring(PlaintextKeyring()).store("a", "b")
