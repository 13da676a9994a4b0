"""The recovery key: 184 random bits + a 16-bit checksum, printed as 8 groups of 5 base32 characters."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets

from core.errors import WrongPassphrase

_RECOVERY_SECRET_BYTES = 23  # + 2 checksum bytes = 25 bytes = 40 base32 characters, 8 groups of 5
_RECOVERY_CHECK_BYTES = 2


def new_recovery_key() -> tuple[str, bytes]:
    secret = secrets.token_bytes(_RECOVERY_SECRET_BYTES)
    check = hashlib.sha256(secret).digest()[:_RECOVERY_CHECK_BYTES]
    text = base64.b32encode(secret + check).decode("ascii")
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5)), secret


def parse_recovery_key(text: str) -> bytes:
    """Accept the key as typed from paper: any case, spaces or dashes, 0/1/8 read as O/I/B."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(str.maketrans("018", "OIB"))
    try:
        raw = base64.b32decode(cleaned)
    except (binascii.Error, ValueError) as exc:
        raise WrongPassphrase("That is not a recovery key: it should be 8 groups of 5 letters and digits.") from exc
    if len(raw) != _RECOVERY_SECRET_BYTES + _RECOVERY_CHECK_BYTES:
        raise WrongPassphrase("That recovery key is too short or too long: it should be 8 groups of 5 characters.")
    secret, check = raw[:_RECOVERY_SECRET_BYTES], raw[_RECOVERY_SECRET_BYTES:]
    if hashlib.sha256(secret).digest()[:_RECOVERY_CHECK_BYTES] != check:
        raise WrongPassphrase("That recovery key has a typo: check each group against the recovery sheet.")
    return secret
