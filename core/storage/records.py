"""Field-level encryption of stored values, bound to where they belong.

Format 1 (books from before seal versions): associated data `table|row|field|version`, the value as is.
Format 2: associated data `2|table|row|field|version|owner|revision` — the customer a child row (visit, answer,
consent event, evidence, audit entry) belongs to and the row's revision are bound, so moving an answer to
another customer, or putting an older revision's value back, fails to open — and the value is padded to a size
bucket (16, 32, 64… bytes; 64 KiB steps above 64 KiB) so its length no longer says which field or answer it is.
`version` is the seal version (the row's `key_version` column); core/keys/seals.py maps it to a key and format.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import TamperedRecord
from core.keys.crypto import NONCE_BYTES, Aead, DecryptionFailed, InvalidTag
from core.keys.seals import LEGACY_FORMAT, SealSpec
from core.keys.vault import UnlockedKeys, VaultHeader

_PAD_MARK = b"\x80"
_PAD_STEP = 64 * 1024


def associated_data(table: str, row_id: str, field: str, key_version: int) -> bytes:
    """Format 1. Binding the location means a ciphertext copied to another row or column fails to decrypt."""
    return f"{table}|{row_id}|{field}|{key_version}".encode("ascii")


def associated_data_v2(table: str, row_id: str, field: str, version: int, owner: str, revision: int) -> bytes:
    return f"2|{table}|{row_id}|{field}|{version}|{owner}|{revision}".encode("ascii")


def padded(plain: bytes) -> bytes:
    """`plain` + 0x80 + zeros up to the bucket (ISO/IEC 7816-4 padding): 16, 32, 64… then 64 KiB steps."""
    size = len(plain) + 1
    bucket = 16
    while bucket < size and bucket < _PAD_STEP:
        bucket *= 2
    if bucket < size:
        bucket = -(-size // _PAD_STEP) * _PAD_STEP
    return plain + _PAD_MARK + bytes(bucket - size)


def unpadded(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end.endswith(_PAD_MARK):
        raise ValueError("bad padding")
    return end[:-1]


@dataclass(frozen=True)
class _Seal:
    aead: Aead
    format: int


class RecordCipher:
    """Seals personal values with the current seal version and opens any version the vault still maps."""

    __slots__ = ("_seals", "key_version")

    def __init__(self, aead: Aead | Mapping[int, tuple[Aead, int]], key_version: int) -> None:
        """`aead` alone: one format-1 seal numbered `key_version` (tests, tools); else version → (aead, format)."""
        seals = {key_version: (aead, LEGACY_FORMAT)} if isinstance(aead, Aead) else dict(aead)
        self._seals = {version: _Seal(a, fmt) for version, (a, fmt) in seals.items()}
        self.key_version = key_version  # the seal version new values get (the rows' key_version column)

    @classmethod
    def for_book(cls, keys: UnlockedKeys, header: VaultHeader) -> RecordCipher:
        aeads: dict[int, Aead] = {}

        def aead(key_version: int) -> Aead:
            if key_version not in aeads:
                aeads[key_version] = keys.aead() if key_version == keys.key_version else Aead(keys.key(key_version))
            return aeads[key_version]

        specs: list[SealSpec] = list(header.seal_specs())
        return cls({s.version: (aead(s.key), s.format) for s in specs}, header.current_seal().version)

    def versions(self) -> frozenset[int]:
        return frozenset(self._seals)

    def _seal(self, version: int, table: str, row_id: str, field: str) -> _Seal:
        seal = self._seals.get(version)
        if seal is None:  # a version the vault does not map: written by someone else, or rolled back
            raise TamperedRecord(table, row_id, field)
        return seal

    def seal_bytes(
        self, table: str, row_id: str, field: str, value: bytes, *, owner: str = "", revision: int = 0
    ) -> bytes:
        return self.seal_bytes_as(self.key_version, table, row_id, field, value, owner=owner, revision=revision)

    def seal_bytes_as(
        self, version: int, table: str, row_id: str, field: str, value: bytes, *, owner: str = "", revision: int = 0
    ) -> bytes:
        seal = self._seal(version, table, row_id, field)
        if seal.format == LEGACY_FORMAT:
            return seal.aead.seal(value, associated_data(table, row_id, field, version))
        return seal.aead.seal(padded(value), associated_data_v2(table, row_id, field, version, owner, revision))

    def open_bytes(
        self,
        table: str,
        row_id: str,
        field: str,
        sealed: bytes,
        version: int,
        *,
        owner: str = "",
        revision: int = 0,
    ) -> bytes:
        seal = self._seal(version, table, row_id, field)
        try:
            if seal.format == LEGACY_FORMAT:
                return seal.aead.open(sealed, associated_data(table, row_id, field, version))
            ad = associated_data_v2(table, row_id, field, version, owner, revision)
            return unpadded(seal.aead.open(sealed, ad))
        except (DecryptionFailed, ValueError) as exc:
            raise TamperedRecord(table, row_id, field) from exc

    def seal_text(
        self, table: str, row_id: str, field: str, value: str, *, owner: str = "", revision: int = 0
    ) -> bytes:
        return self.seal_bytes(table, row_id, field, value.encode("utf-8"), owner=owner, revision=revision)

    def open_text(
        self,
        table: str,
        row_id: str,
        field: str,
        sealed: bytes,
        version: int,
        *,
        owner: str = "",
        revision: int = 0,
    ) -> str:
        plain = self.open_bytes(table, row_id, field, sealed, version, owner=owner, revision=revision)
        try:
            return plain.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TamperedRecord(table, row_id, field) from exc

    def seal_json(
        self, table: str, row_id: str, field: str, value: Any, *, owner: str = "", revision: int = 0
    ) -> bytes:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return self.seal_text(table, row_id, field, text, owner=owner, revision=revision)

    def open_json(
        self,
        table: str,
        row_id: str,
        field: str,
        sealed: bytes,
        version: int,
        *,
        owner: str = "",
        revision: int = 0,
    ) -> Any:
        text = self.open_text(table, row_id, field, sealed, version, owner=owner, revision=revision)
        try:
            return json.loads(text)
        except ValueError as exc:  # it opened, so we sealed it: not JSON means it is not what we wrote
            raise TamperedRecord(table, row_id, field) from exc

    def text_opener(self, table: str, field: str) -> Callable[[str, bytes, int, str, int], str]:
        """`open_text` for one table and field as a plain function `(row_id, sealed, version, owner, revision)`,
        for reading every row at unlock: each extra Python frame around a decrypt costs about as much as the
        decrypt. Same associated data, same TamperedRecord on failure."""
        decrypts = {v: (s.aead.raw_decrypt(), s.format) for v, s in self._seals.items()}

        def open_text(row_id: str, sealed: bytes, version: int, owner: str, revision: int) -> str:
            try:
                decrypt, fmt = decrypts[version]
                if fmt == LEGACY_FORMAT:
                    ad = f"{table}|{row_id}|{field}|{version}".encode("ascii")
                    return decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], ad).decode("utf-8")
                ad = f"2|{table}|{row_id}|{field}|{version}|{owner}|{revision}".encode("ascii")
                plain = decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], ad).rstrip(b"\x00")
                if plain[-1:] != _PAD_MARK:
                    raise ValueError("bad padding")
                return plain[:-1].decode("utf-8")
            # KeyError: a version the vault does not map; ValueError: too short, bad padding or not UTF-8;
            # TypeError: not bytes at all (TEXT, a number, NULL); InvalidTag: does not open.
            except (InvalidTag, KeyError, ValueError, TypeError) as exc:
                raise TamperedRecord(table, row_id, field) from exc

        return open_text
