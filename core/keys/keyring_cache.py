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


_NO_KEYRING_MESSAGE = "This computer has no system keyring (password store), so Counterpart cannot remember the book."


def _describe(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "NoKeyringError":
        return _NO_KEYRING_MESSAGE
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


# Backends that would keep the device secret where anyone who copies the disk can read it:
# - any class named *Plaintext* (keyrings.alt.file.PlaintextKeyring, the old keyrings.alt.pyfs one, others alike);
# - all of keyrings.alt.file and keyrings.alt.pyfs: their EncryptedKeyring asks its own password with getpass on
#   a console, which a windowed app does not have, so it blocks until our timeout or fails; it protects nothing
#   our passphrase prompt does not, and leaves a file of secrets behind.
# keyrings.alt.Google is refused too: it would send the secret off this computer. Still allowed from keyrings.alt:
# Windows (DPAPI, the protection Credential Manager uses) and Gnome (the desktop keyring).
_REFUSED_MODULES = ("keyrings.alt.file", "keyrings.alt.pyfs", "keyrings.alt.Google")
_REFUSED_PACKAGES = tuple(f"{module}." for module in _REFUSED_MODULES)  # not keyrings.alt.file_base: a base class
# keyring's own stand-ins for "no keyring": `fail` raises on every call, `null` silently keeps nothing.
_NO_KEYRING = {("keyring.backends.fail", "Keyring"), ("keyring.backends.null", "Keyring")}
_CHAIN_DEPTH = 4


def _inner_backends(backend: object, depth: int = 0) -> list[object]:
    """`backend` and every backend it chains (keyring's ChainerBackend.backends, at every priority) or wraps
    (keyrings.alt's MultipartKeyringWrapper), since a secret may end up in any of them."""
    found = [backend]
    if depth >= _CHAIN_DEPTH:
        return found
    chained = getattr(backend, "backends", None)
    inner = list(chained) if isinstance(chained, list | tuple) else []
    wrapped = getattr(backend, "_keyring", None)
    if wrapped is not None:
        inner.append(wrapped)
    for each in inner:
        found += _inner_backends(each, depth + 1)
    return found


def _refuse_plaintext(backend: object) -> None:
    """Raise KeyringUnavailable when `backend`, or any backend inside it, keeps secrets in plain text, or when
    there is no real keyring at all (only keyring's fail/null stand-ins, or an empty chain)."""
    found = _inner_backends(backend)
    for each in found:
        module, name = type(each).__module__, type(each).__name__
        if "Plaintext" in name or module in _REFUSED_MODULES or module.startswith(_REFUSED_PACKAGES):
            raise KeyringUnavailable(
                "This computer's keyring includes a plaintext store (a file anyone who copies the disk can read), "
                "so Counterpart will not use it. Type the passphrase instead."
            )
    real = [each for each in found if (type(each).__module__, type(each).__name__) not in _NO_KEYRING]
    if all(isinstance(getattr(each, "backends", None), list | tuple) for each in real):  # chains of nothing real
        raise KeyringUnavailable(_NO_KEYRING_MESSAGE)
