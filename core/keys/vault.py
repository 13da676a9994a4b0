"""The key hierarchy: one random data key, wrapped by the passphrase, the recovery key and remembered devices.

vault.json holds only wrapped keys and public parameters. Each wrap is AES-256-GCM whose associated data
binds the format version, the slot kind and the KDF parameters and salt, so nobody can quietly lower the
cost. A SHA-256 checksum over the file tells a damaged file from a wrong passphrase; since format 2 an HMAC
keyed from the data key (checked right after unwrapping) tells an edited file — a removed recovery slot, a
swapped backup recipient, a flipped flag — from an intact one (VaultTampered).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from core.errors import DamagedFile, UnsupportedVersion, VaultTampered, WrongPassphrase
from core.keys import crypto
from core.keys.recovery_key import new_recovery_key as new_recovery_key
from core.keys.recovery_key import parse_recovery_key as parse_recovery_key
from core.keys.seals import CURRENT_FORMAT, LEGACY_FORMAT, SealSpec, open_ring

FORMAT_NAME = "counterpart-vault"
FORMAT_VERSION = 2  # 2: keyed seal ("mac"); 1 is read, and sealed at the next unlock
SLOT_AD_VERSION = 1  # what each wrap's associated data says: unchanged by format 2, so old slots still open
KIND_PASSPHRASE = "passphrase"  # noqa: S105 - a slot kind, not a password
KIND_RECOVERY = "recovery"
KIND_DEVICE = "device"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class KeySlot:
    """One way to unwrap the data key."""

    kind: str
    salt: bytes
    wrapped: bytes
    kdf: crypto.KdfParams | None = None  # Argon2id for passphrases; None means HKDF (full-entropy secrets)
    slot_id: str = ""  # names a remembered device

    def associated_data(self, key_version: int) -> bytes:
        bound = {
            "format": FORMAT_NAME,
            "version": SLOT_AD_VERSION,
            "key_version": key_version,
            "kind": self.kind,
            "slot_id": self.slot_id,
            "kdf": self.kdf.as_dict() if self.kdf else "hkdf-sha256",
            "salt": _b64(self.salt),
        }
        return json.dumps(bound, sort_keys=True, separators=(",", ":")).encode("ascii")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "salt": _b64(self.salt), "wrapped": _b64(self.wrapped)}
        if self.kdf is not None:
            out["kdf"] = {"name": "argon2id", **self.kdf.as_dict()}
        if self.slot_id:
            out["slot_id"] = self.slot_id
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> KeySlot:
        kdf = None
        if "kdf" in raw:
            spec = raw["kdf"]
            if spec.get("name") != "argon2id":
                raise ValueError("unknown key derivation")
            kdf = crypto.KdfParams(
                memory_kib=int(spec["memory_kib"]), iterations=int(spec["iterations"]), lanes=int(spec["lanes"])
            )
        return cls(
            kind=str(raw["kind"]),
            salt=_unb64(raw["salt"]),
            wrapped=_unb64(raw["wrapped"]),
            kdf=kdf,
            slot_id=str(raw.get("slot_id", "")),
        )


@dataclass(frozen=True)
class VaultHeader:
    """The parsed contents of vault.json (no secrets in the clear)."""

    key_version: int
    created: str
    slots: tuple[KeySlot, ...]
    backup_recipient: str
    sealed_backup_identity: bytes
    must_change_passphrase: bool = False
    seals: tuple[SealSpec, ...] = ()  # () in a format-1 file: its rows are sealed version = key_version, format 1
    retired_keys: bytes = b""  # older data keys still used by some rows, sealed under the current one
    epoch: int = 0  # the database's unlock epoch when this file was last written (core/storage/book_state.py)
    mac: str = ""  # HMAC-SHA256 over `_body()`, keyed from the data key; "" in a format-1 file

    def signed(self, data_key: bytes) -> VaultHeader:
        """This header sealed with the data key: any later edit of the file is found at unlock."""
        return replace(self, mac=_mac(self._body(), data_key))

    def check_mac(self, data_key: bytes) -> bool:
        """True when sealed and intact, False when never sealed (format 1); VaultTampered when edited."""
        if not self.mac:
            return False
        if not hmac.compare_digest(self.mac, _mac(self._body(), data_key)):
            raise VaultTampered()
        return True

    def slot(self, kind: str, slot_id: str = "") -> KeySlot | None:
        return next((s for s in self.slots if s.kind == kind and s.slot_id == slot_id), None)

    def without_slot(self, kind: str, slot_id: str = "") -> VaultHeader:
        return replace(self, slots=tuple(s for s in self.slots if not (s.kind == kind and s.slot_id == slot_id)))

    def with_slot(self, new_slot: KeySlot) -> VaultHeader:
        return replace(
            self.without_slot(new_slot.kind, new_slot.slot_id),
            slots=(*self.without_slot(new_slot.kind, new_slot.slot_id).slots, new_slot),
        )

    def seal_specs(self) -> tuple[SealSpec, ...]:
        return self.seals or (SealSpec(self.key_version, self.key_version, LEGACY_FORMAT),)

    def current_seal(self) -> SealSpec:
        """What new values are sealed with: the newest seal version."""
        return max(self.seal_specs(), key=lambda spec: spec.version)

    def _body(self) -> dict[str, Any]:
        return {
            "seals": [spec.to_json() for spec in self.seal_specs()],
            "retired_keys": _b64(self.retired_keys),
            "epoch": self.epoch,
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "key_version": self.key_version,
            "created": self.created,
            "slots": [s.to_json() for s in self.slots],
            "backup_recipient": self.backup_recipient,
            "backup_identity": _b64(self.sealed_backup_identity),
            "must_change_passphrase": self.must_change_passphrase,
        }

    def to_bytes(self) -> bytes:
        body = self._body()
        if self.mac:
            body["mac"] = self.mac
        body["checksum"] = _checksum(body)
        return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("ascii")

    @classmethod
    def from_bytes(cls, data: bytes) -> VaultHeader:
        try:
            body = json.loads(data.decode("utf-8"))
            if not isinstance(body, dict) or body.get("format") != FORMAT_NAME:
                raise ValueError("not a Counterpart vault")
            version = int(body["version"])
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise DamagedFile(
                "The key file (vault.json) is damaged or is not a Counterpart key file, so the book cannot be "
                "opened. Restore it from a backup."
            ) from exc
        if version > FORMAT_VERSION:
            raise UnsupportedVersion("This customer book was written by a newer Counterpart. Update the app.")
        stored_checksum = body.pop("checksum", None)
        if stored_checksum != _checksum(body):
            raise DamagedFile(
                "The key file (vault.json) is damaged: its checksum does not match. This is not a wrong "
                "passphrase. Restore the book from a backup."
            )
        try:
            header = cls(
                key_version=int(body["key_version"]),
                created=str(body["created"]),
                slots=tuple(KeySlot.from_json(s) for s in body["slots"]),
                backup_recipient=str(body["backup_recipient"]),
                sealed_backup_identity=_unb64(body["backup_identity"]),
                must_change_passphrase=bool(body.get("must_change_passphrase", False)),
                mac=str(body.get("mac", "")),
                seals=tuple(SealSpec.from_json(s) for s in body.get("seals", [])),
                retired_keys=_unb64(body.get("retired_keys", "")),
                epoch=int(body.get("epoch", 0)),
            )
            for slot in header.slots:
                if slot.kdf is not None:
                    slot.kdf.check_readable()
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise DamagedFile(f"The key file (vault.json) is damaged: {exc}.") from exc
        return header


def _mac(body: dict[str, Any], data_key: bytes) -> str:
    # The body as written minus checksum and mac; "version" stays in it, so a sealed file cannot pose as format 1
    # without losing its seal (and the book remembers it was sealed: see CustomerBook).
    key = crypto.hkdf_key(bytes(data_key), b"counterpart vault", b"vault-mac-v1")
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def _checksum(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")).hexdigest()


@dataclass
class UnlockedKeys:
    """The secrets held while the book is unlocked. `clear()` drops them (Python cannot promise zeroing)."""

    data_key: bytearray
    key_version: int
    backup_identity: str
    opened_with: str = KIND_PASSPHRASE
    vault_sealed: bool = True  # False: vault.json was a format-1 file without a keyed seal
    retired: dict[int, bytearray] = field(default_factory=dict, repr=False)  # older data keys by key version
    _aead: crypto.Aead | None = field(default=None, repr=False)

    def aead(self) -> crypto.Aead:
        if self._aead is None:
            self._aead = crypto.Aead(self.data_key)  # no bytes copy: see Aead
        return self._aead

    def key(self, key_version: int) -> bytes:
        """The data key numbered `key_version`: the current one or a retired one still in use."""
        if key_version == self.key_version:
            return bytes(self.data_key)
        if key_version in self.retired:
            return bytes(self.retired[key_version])
        raise DamagedFile(f"The key file (vault.json) lacks data key {key_version}, which some records need.")

    def clear(self) -> None:
        for key in (self.data_key, *self.retired.values()):
            for i in range(len(key)):
                key[i] = 0
        self.data_key = bytearray()
        self.retired = {}
        self.backup_identity = ""
        self._aead = None


def _normalise_passphrase(passphrase: str) -> bytes:
    # NFC so the same passphrase typed on another keyboard or OS derives the same key.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _wrap(
    slot_kind: str,
    wrapping_key: bytes,
    salt: bytes,
    kdf: crypto.KdfParams | None,
    data_key: bytes,
    key_version: int,
    slot_id: str = "",
) -> KeySlot:
    draft = KeySlot(kind=slot_kind, salt=salt, wrapped=b"", kdf=kdf, slot_id=slot_id)
    sealed = crypto.Aead(wrapping_key).seal(data_key, draft.associated_data(key_version))
    return replace(draft, wrapped=sealed)


def passphrase_slot(passphrase: str, data_key: bytes, kdf: crypto.KdfParams, key_version: int) -> KeySlot:
    salt = crypto.random_bytes(crypto.SALT_BYTES)
    wrapping_key = crypto.derive_key(_normalise_passphrase(passphrase), salt, kdf)
    return _wrap(KIND_PASSPHRASE, wrapping_key, salt, kdf, data_key, key_version)


def secret_slot(kind: str, secret: bytes, data_key: bytes, key_version: int, slot_id: str = "") -> KeySlot:
    salt = crypto.random_bytes(crypto.SALT_BYTES)
    wrapping_key = crypto.hkdf_key(secret, salt, f"counterpart {kind} slot".encode("ascii"))
    return _wrap(kind, wrapping_key, salt, None, data_key, key_version, slot_id)


def seal_backup_identity(data_key: bytes, identity: str, key_version: int) -> bytes:
    return crypto.Aead(data_key).seal(identity.encode("ascii"), f"vault|backup_identity|{key_version}".encode())


@dataclass(frozen=True)
class NewVault:
    header: VaultHeader
    keys: UnlockedKeys
    recovery_key: str


def create_vault(passphrase: str, kdf: crypto.KdfParams) -> NewVault:
    """Make a fresh data key, its passphrase and recovery slots, and the age identity for backups. Slow (KDF)."""
    import pyrage

    data_key = crypto.new_key()
    key_version = 1
    recovery_text, recovery_secret = new_recovery_key()
    identity = pyrage.x25519.Identity.generate()
    identity_text = str(identity)
    header = VaultHeader(
        key_version=key_version,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        slots=(
            passphrase_slot(passphrase, data_key, kdf, key_version),
            secret_slot(KIND_RECOVERY, recovery_secret, data_key, key_version),
        ),
        backup_recipient=str(identity.to_public()),
        sealed_backup_identity=seal_backup_identity(data_key, identity_text, key_version),
        seals=(SealSpec(1, key_version, CURRENT_FORMAT),),
    )
    keys = UnlockedKeys(bytearray(data_key), key_version, identity_text)
    return NewVault(header=header.signed(data_key), keys=keys, recovery_key=recovery_text)


def _unwrap(header: VaultHeader, slot: KeySlot, wrapping_key: bytes, opened_with: str) -> UnlockedKeys:
    try:
        data_key = crypto.Aead(wrapping_key).open(slot.wrapped, slot.associated_data(header.key_version))
    except crypto.DecryptionFailed as exc:
        if slot.kind == KIND_RECOVERY:
            raise WrongPassphrase("That recovery key does not belong to this customer book.") from exc
        if slot.kind == KIND_DEVICE:
            raise WrongPassphrase("The key remembered on this computer no longer opens the book.") from exc
        raise WrongPassphrase() from exc
    try:
        identity = (
            crypto.Aead(data_key)
            .open(header.sealed_backup_identity, f"vault|backup_identity|{header.key_version}".encode())
            .decode("ascii")
        )
    except crypto.DecryptionFailed as exc:
        raise DamagedFile("The key file (vault.json) is damaged: the backup key inside it is unreadable.") from exc
    sealed = header.check_mac(data_key)  # VaultTampered before anything is read or written with this key
    try:
        retired = open_ring(data_key, header.key_version, header.retired_keys)
    except (crypto.DecryptionFailed, ValueError) as exc:
        raise DamagedFile("The key file (vault.json) is damaged: the older keys inside it are unreadable.") from exc
    return UnlockedKeys(bytearray(data_key), header.key_version, identity, opened_with, sealed, retired)


def open_with_passphrase(header: VaultHeader, passphrase: str) -> UnlockedKeys:
    """Derive the passphrase key (slow, by design) and unwrap the data key."""
    slot = header.slot(KIND_PASSPHRASE)
    if slot is None or slot.kdf is None:
        raise DamagedFile("The key file (vault.json) has no passphrase slot. Use the recovery key.")
    wrapping_key = crypto.derive_key(_normalise_passphrase(passphrase), slot.salt, slot.kdf)
    return _unwrap(header, slot, wrapping_key, KIND_PASSPHRASE)


def open_with_recovery_key(header: VaultHeader, recovery_key: str) -> UnlockedKeys:
    secret = parse_recovery_key(recovery_key)
    slot = header.slot(KIND_RECOVERY)
    if slot is None:
        raise DamagedFile("The key file (vault.json) has no recovery slot.")
    wrapping_key = crypto.hkdf_key(secret, slot.salt, b"counterpart recovery slot")
    return _unwrap(header, slot, wrapping_key, KIND_RECOVERY)


def open_with_device_secret(header: VaultHeader, device_id: str, secret: bytes) -> UnlockedKeys:
    slot = header.slot(KIND_DEVICE, device_id)
    if slot is None:
        raise WrongPassphrase("This computer is no longer remembered. Type the passphrase.")
    wrapping_key = crypto.hkdf_key(secret, slot.salt, b"counterpart device slot")
    return _unwrap(header, slot, wrapping_key, KIND_DEVICE)


def with_new_passphrase(header: VaultHeader, keys: UnlockedKeys, passphrase: str, kdf: crypto.KdfParams) -> VaultHeader:
    """Re-wrap the same data key under a new passphrase; no record is re-encrypted. Slow (KDF)."""
    slot = passphrase_slot(passphrase, bytes(keys.data_key), kdf, header.key_version)
    return replace(header.with_slot(slot), must_change_passphrase=False)


def with_device_slot(header: VaultHeader, keys: UnlockedKeys, device_id: str, secret: bytes) -> VaultHeader:
    return header.with_slot(secret_slot(KIND_DEVICE, secret, bytes(keys.data_key), header.key_version, device_id))
