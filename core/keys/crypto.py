"""The one module that touches cryptographic primitives: AES-256-GCM, Argon2id, HKDF, randomness."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from cryptography.exceptions import InvalidTag as InvalidTag  # re-exported for bulk readers
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
TAG_BYTES = 16

# Floors from the design: never weaker than this, whatever the machine.
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3
LANES = 4
# Caps applied when *reading* a vault, so a doctored file cannot make unlock hang or exhaust memory.
MAX_MEMORY_KIB = 1024 * 1024
MAX_ITERATIONS = 20
MAX_LANES = 16


class DecryptionFailed(Exception):
    """AES-GCM authentication failed; callers translate this into a typed, user-facing error."""


def random_bytes(n: int) -> bytes:
    return os.urandom(n)


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters; stored beside the salt and authenticated as associated data."""

    memory_kib: int
    iterations: int
    lanes: int = LANES

    def check_readable(self) -> None:
        """Refuse parameters outside what we would ever write (a doctored file, not a real vault)."""
        if not (8 * 1024 <= self.memory_kib <= MAX_MEMORY_KIB):
            raise ValueError(f"memory cost {self.memory_kib} KiB is out of range")
        if not (1 <= self.iterations <= MAX_ITERATIONS):
            raise ValueError(f"iteration count {self.iterations} is out of range")
        if not (1 <= self.lanes <= MAX_LANES):
            raise ValueError(f"lane count {self.lanes} is out of range")

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# Explicit profiles. Tests pass FAST_TEST_KDF in; production code calibrates. There is no hidden switch.
FAST_TEST_KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)


def derive_key(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    """Argon2id(secret, salt) → 256-bit key. Deliberately slow: call it off the GUI thread."""
    kdf = Argon2id(
        salt=salt, length=KEY_BYTES, iterations=params.iterations, lanes=params.lanes, memory_cost=params.memory_kib
    )
    return kdf.derive(secret)


def hkdf_key(secret: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA256 for secrets that already carry full entropy (the recovery key)."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(secret)


def hkdf_key_buffer(secret: bytes | bytearray, salt: bytes, info: bytes) -> bytearray:
    """`hkdf_key` written straight into a bytearray the holder zeroes when done: no immutable copy of the
    secret or of the derived key is made (the data key's sub-keys, e.g. the consent ledger's MAC key)."""
    derived = bytearray(KEY_BYTES)
    HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive_into(secret, derived)
    return derived


def available_memory_kib() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def calibrate_kdf(target_seconds: float = 0.8, preferred_memory_kib: int = 256 * 1024) -> KdfParams:
    """Pick Argon2id parameters that take about `target_seconds` on this machine.

    Memory starts at 256 MiB (a quarter of free memory at most on a small machine, never under 64 MiB);
    iterations then rise from the floor until the target time is reached.
    """
    memory = preferred_memory_kib
    free = available_memory_kib()
    if free is not None:
        memory = min(memory, free // 4)
    memory = max(MIN_MEMORY_KIB, memory)
    salt = random_bytes(SALT_BYTES)
    probe = KdfParams(memory_kib=memory, iterations=MIN_ITERATIONS)
    started = time.perf_counter()
    derive_key(b"calibration", salt, probe)
    per_iteration = max((time.perf_counter() - started) / MIN_ITERATIONS, 1e-6)
    iterations = max(MIN_ITERATIONS, min(MAX_ITERATIONS, round(target_seconds / per_iteration)))
    return KdfParams(memory_kib=memory, iterations=iterations)


class Aead:
    """AES-256-GCM with a fresh random 96-bit nonce per message. Output: nonce ‖ ciphertext ‖ tag."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes | bytearray) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("AES-256-GCM needs a 32-byte key")
        # AESGCM copies the key into OpenSSL and keeps a reference to the object given: pass the bytearray that
        # is zeroed at lock, not a bytes copy that would live (unzeroed) as long as this object.
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, associated_data: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, associated_data)

    def open(self, sealed: bytes, associated_data: bytes) -> bytes:
        # A database edited outside Counterpart can hold anything where ciphertext belongs: TEXT, a number, NULL.
        if not isinstance(sealed, bytes | bytearray | memoryview):
            raise DecryptionFailed(f"not ciphertext but {type(sealed).__name__}")
        if len(sealed) < NONCE_BYTES + TAG_BYTES:
            raise DecryptionFailed("ciphertext too short")
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated_data)
        except InvalidTag as exc:
            raise DecryptionFailed("authentication failed") from exc

    def raw_decrypt(self) -> Callable[[bytes, bytes, bytes], bytes]:
        """The bare `decrypt(nonce, ciphertext_and_tag, associated_data)` for bulk reads at unlock, where each
        extra Python frame costs about as much as the decrypt. It raises InvalidTag when a value does not open."""
        return self._aead.decrypt
