"""Seal versions: which data key and which record format a stored value was sealed with.

Every sealed row carries a version number (its `key_version` column). The vault maps each version in use to a
data key and a record format, so a book can move its rows to a new format (the same key) or a new key (rotation)
a batch at a time: until every row has moved, both versions open, and the old data key rides along in the vault
sealed under the new one ("retired keys"). Format 1 binds table | row | field | version; format 2 also binds
the row's owner and revision and pads the value to a size bucket (core/storage/records.py).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.keys import crypto

LEGACY_FORMAT = 1
CURRENT_FORMAT = 2


@dataclass(frozen=True)
class SealSpec:
    version: int  # what rows store in their key_version column
    key: int  # which data key (the vault's key_version numbers them)
    format: int

    def to_json(self) -> dict[str, int]:
        return {"version": self.version, "key": self.key, "format": self.format}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> SealSpec:
        spec = cls(int(raw["version"]), int(raw["key"]), int(raw["format"]))
        if spec.format not in (LEGACY_FORMAT, CURRENT_FORMAT) or spec.version < 1 or spec.key < 1:
            raise ValueError(f"unknown seal {raw!r}")
        return spec


def _ring_ad(key_version: int) -> bytes:
    return f"vault|retired_keys|{key_version}".encode("ascii")


def seal_ring(data_key: bytes, key_version: int, retired: Mapping[int, bytes | bytearray]) -> bytes:
    """Older data keys still needed by rows not yet re-sealed, sealed under the current data key ("" when none)."""
    if not retired:
        return b""
    plain = json.dumps({str(k): base64.b64encode(bytes(v)).decode("ascii") for k, v in retired.items()})
    return crypto.Aead(data_key).seal(plain.encode("ascii"), _ring_ad(key_version))


def open_ring(data_key: bytes, key_version: int, sealed: bytes) -> dict[int, bytearray]:
    """Raises crypto.DecryptionFailed when the ring does not open under this data key."""
    if not sealed:
        return {}
    plain = json.loads(crypto.Aead(data_key).open(sealed, _ring_ad(key_version)))
    return {int(k): bytearray(base64.b64decode(v)) for k, v in plain.items()}
