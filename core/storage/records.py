"""Field-level encryption of stored values, bound to table | row id | field | key version."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from core.errors import TamperedRecord
from core.keys.crypto import Aead, DecryptionFailed


def associated_data(table: str, row_id: str, field: str, key_version: int) -> bytes:
    # Binding the location means a ciphertext copied to another row or column fails to decrypt.
    return f"{table}|{row_id}|{field}|{key_version}".encode("ascii")


class RecordCipher:
    """Seals and opens personal values for one data key version."""

    __slots__ = ("_aead", "key_version")

    def __init__(self, aead: Aead, key_version: int) -> None:
        self._aead = aead
        self.key_version = key_version

    def seal_text(self, table: str, row_id: str, field: str, value: str) -> bytes:
        return self._aead.seal(value.encode("utf-8"), associated_data(table, row_id, field, self.key_version))

    def open_text(self, table: str, row_id: str, field: str, sealed: bytes, key_version: int) -> str:
        try:
            return self._aead.open(sealed, associated_data(table, row_id, field, key_version)).decode("utf-8")
        except (DecryptionFailed, UnicodeDecodeError) as exc:
            raise TamperedRecord(table, row_id, field) from exc

    def seal_json(self, table: str, row_id: str, field: str, value: Any) -> bytes:
        return self.seal_text(table, row_id, field, json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def open_json(self, table: str, row_id: str, field: str, sealed: bytes, key_version: int) -> Any:
        text = self.open_text(table, row_id, field, sealed, key_version)
        try:
            return json.loads(text)
        except ValueError as exc:  # it opened, so we sealed it: not JSON means it is not what we wrote
            raise TamperedRecord(table, row_id, field) from exc

    def seal_bytes(self, table: str, row_id: str, field: str, value: bytes) -> bytes:
        return self._aead.seal(value, associated_data(table, row_id, field, self.key_version))

    def open_bytes(self, table: str, row_id: str, field: str, sealed: bytes, key_version: int) -> bytes:
        try:
            return self._aead.open(sealed, associated_data(table, row_id, field, key_version))
        except DecryptionFailed as exc:
            raise TamperedRecord(table, row_id, field) from exc

    def text_opener(self, table: str, field: str) -> Callable[[str, bytes, int], str]:
        """`open_text` for one table and field as a plain function `(row_id, sealed, key_version) -> str`, for
        reading every row at unlock. Same associated data, same TamperedRecord on failure."""
        return self._aead.text_opener(f"{table}|", f"|{field}|", lambda row_id: TamperedRecord(table, row_id, field))
