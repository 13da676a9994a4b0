"""Opt-in "remember on this computer": a device secret in the OS keyring, never a plaintext fallback.

Every keyring call runs on a helper thread with a timeout, because some backends hang (a locked desktop
keyring waiting for a prompt nobody sees). Every failure becomes `KeyringUnavailable` with a plain message,
and the caller falls back to asking for the passphrase.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from core.errors import CounterpartError

SERVICE = "Counterpart"
DEFAULT_TIMEOUT_SECONDS = 5.0


class KeyringUnavailable(CounterpartError):
    """The OS keyring could not be used; the message says why in plain words."""


class KeyringBackend(Protocol):
    def get_password(self, service: str, username: str) -> str | None: ...
    def set_password(self, service: str, username: str, password: str) -> None: ...
    def delete_password(self, service: str, username: str) -> None: ...


def _default_backend() -> KeyringBackend:
    import keyring

    backend: KeyringBackend = keyring.get_keyring()
    return backend


def _describe(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "NoKeyringError":
        return "This computer has no system keyring (password store), so Counterpart cannot remember the book."
    if name == "KeyringLocked":
        return "The system keyring is locked. Unlock it (log in to the desktop again) or type the passphrase."
    if name == "InitError":
        return "The system keyring could not start. Type the passphrase instead."
    return f"The system keyring failed ({name}). Type the passphrase instead."


class DeviceKeyring:
    """Stores, reads and forgets one secret per remembered data folder, each call bounded in time."""

    def __init__(self, backend: KeyringBackend | None = None, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self._backend = backend
        self._timeout = timeout

    def _call(self, method: str, *args: str) -> Any:
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                backend = self._backend if self._backend is not None else _default_backend()
                _refuse_plaintext(backend)
                outcome["value"] = getattr(backend, method)(SERVICE, *args)
            except BaseException as exc:
                outcome["error"] = exc

        worker = threading.Thread(target=run, name=f"keyring-{method}", daemon=True)
        worker.start()
        worker.join(self._timeout)
        if worker.is_alive():
            raise KeyringUnavailable(
                f"The system keyring did not answer within {self._timeout:g} seconds. Type the passphrase instead."
            )
        if "error" in outcome:
            error = outcome["error"]
            if isinstance(error, KeyringUnavailable):
                raise error
            raise KeyringUnavailable(_describe(error)) from error
        return outcome.get("value")

    def store(self, account: str, secret: str) -> None:
        self._call("set_password", account, secret)
        # The null backend accepts the secret and silently drops it: read it back to be sure it was kept.
        if self._call("get_password", account) != secret:
            raise KeyringUnavailable(
                "The system keyring did not keep the secret, so this computer cannot remember the book."
            )

    def load(self, account: str) -> str | None:
        value = self._call("get_password", account)
        return value if isinstance(value, str) else None

    def forget(self, account: str) -> None:
        try:
            self._call("delete_password", account)
        except KeyringUnavailable as exc:
            if "PasswordDeleteError" not in repr(exc.__cause__):
                raise


def _refuse_plaintext(backend: object) -> None:
    module = type(backend).__module__
    name = type(backend).__name__
    if module.startswith("keyrings.alt") and ("Plaintext" in name or "file" in module):
        raise KeyringUnavailable("Only a plaintext keyring is available here; Counterpart will not use it.")
