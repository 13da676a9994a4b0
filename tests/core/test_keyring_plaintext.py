"""No plaintext keyring, however it is reached: directly, inside keyring's ChainerBackend at any priority, or
wrapped; keyring's fail and null stand-ins mean "no keyring". Fakes carry the real module and class names, so
keyrings.alt need not be installed."""

from __future__ import annotations

import pytest
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend

from core.book import CustomerBook
from core.keys.keyring_cache import DeviceKeyring, KeyringUnavailable
from tests.core.test_keyring import MemoryBackend


def _fake(module: str, name: str) -> MemoryBackend:
    cls = type(name, (MemoryBackend,), {"__module__": module})
    return cls()


PLAINTEXT = [
    ("keyrings.alt.file", "PlaintextKeyring"),
    ("keyrings.alt.file", "EncryptedKeyring"),  # its password prompt is a console getpass: no window shows it
    ("keyrings.alt.pyfs", "PlaintextKeyring"),
    ("keyrings.alt.Google", "DocsKeyring"),  # the secret would leave the computer
    ("some_vendor.keyrings", "PlaintextKeyring"),
]
ALLOWED = [
    ("keyrings.alt.Windows", "RegistryKeyring"),  # DPAPI
    ("keyrings.alt.Windows", "EncryptedKeyring"),  # DPAPI
    ("keyrings.alt.Gnome", "Keyring"),
    ("keyrings.alt.file_base", "Keyring"),  # the abstract base, not a store of its own
    ("keyring.backends.SecretService", "Keyring"),
]


def _chain(monkeypatch: pytest.MonkeyPatch, *backends: object) -> ChainerBackend:
    monkeypatch.setattr(ChainerBackend, "backends", list(backends))
    return ChainerBackend()


@pytest.mark.parametrize(("module", "name"), PLAINTEXT)
def test_a_plaintext_backend_is_refused_on_its_own(module: str, name: str) -> None:
    with pytest.raises(KeyringUnavailable, match="plaintext"):
        DeviceKeyring(_fake(module, name)).store("a", "b")


@pytest.mark.parametrize(("module", "name"), PLAINTEXT)
@pytest.mark.parametrize("position", [0, 1, 2])
def test_a_plaintext_backend_inside_a_chain_is_refused_at_any_priority(
    monkeypatch: pytest.MonkeyPatch, module: str, name: str, position: int
) -> None:
    good = [_fake("keyring.backends.SecretService", "Keyring"), _fake("keyring.backends.kwallet", "DBusKeyring")]
    chained = [*good[:position], _fake(module, name), *good[position:]]
    keyring = DeviceKeyring(_chain(monkeypatch, *chained))
    with pytest.raises(KeyringUnavailable, match="plaintext"):
        keyring.store("a", "b")
    with pytest.raises(KeyringUnavailable, match="plaintext"):
        keyring.load("a")
    assert all(backend.store == {} for backend in chained)


def test_a_plaintext_backend_nested_or_wrapped_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    inner_chain = _fake("my.chains", "Chain")
    inner_chain.backends = [_fake("keyrings.alt.file", "PlaintextKeyring")]  # type: ignore[attr-defined]
    wrapper = _fake("keyrings.alt.multi", "MultipartKeyringWrapper")
    wrapper._keyring = _fake("keyrings.alt.file", "PlaintextKeyring")  # type: ignore[attr-defined]
    for outer in (inner_chain, wrapper):
        with pytest.raises(KeyringUnavailable, match="plaintext"):
            DeviceKeyring(_chain(monkeypatch, _fake("keyring.backends.SecretService", "Keyring"), outer)).store(
                "a", "b"
            )


@pytest.mark.parametrize(("module", "name"), ALLOWED)
def test_real_keyrings_are_used_alone_or_chained(monkeypatch: pytest.MonkeyPatch, module: str, name: str) -> None:
    DeviceKeyring(_fake(module, name)).store("a", "secret")
    keyring = DeviceKeyring(_chain(monkeypatch, _fake(module, name), null.Keyring()))
    keyring.store("a", "secret")
    assert keyring.load("a") == "secret"


@pytest.mark.parametrize(
    "backends", [[], [null.Keyring()], [fail.Keyring()], [null.Keyring(), fail.Keyring()]], ids=["empty", "null",
    "fail", "both"]
)  # fmt: skip
def test_fail_null_or_an_empty_chain_is_no_keyring(monkeypatch: pytest.MonkeyPatch, backends: list[object]) -> None:
    for backend in [*backends, _chain(monkeypatch, *backends)]:
        with pytest.raises(KeyringUnavailable, match="no system keyring"):
            DeviceKeyring(backend).store("a", "b")  # type: ignore[arg-type]
        with pytest.raises(KeyringUnavailable, match="no system keyring"):
            DeviceKeyring(backend).load("a")  # type: ignore[arg-type]


def test_remembering_with_a_chained_plaintext_store_changes_nothing(
    book: CustomerBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault_before = book.folder.vault.read_bytes()
    plaintext = _fake("keyrings.alt.file", "PlaintextKeyring")
    chain = _chain(monkeypatch, _fake("keyring.backends.SecretService", "Keyring"), plaintext)
    with pytest.raises(KeyringUnavailable, match="plaintext"):
        book.remember_on_this_computer(DeviceKeyring(chain))
    assert plaintext.store == {}
    assert book.folder.vault.read_bytes() == vault_before
    assert book.preferences().remembered_device_id == ""
