"""File-like adapters for pyrage's streaming calls: they hash what passes, report progress, honour Cancel
between reads, and remember the exception they raised.

pyrage turns an exception raised inside a Python reader into an EncryptError that carries only its text,
so each adapter keeps the original and the caller re-raises that one: a full disk must stay a full disk,
and Cancel must stay Cancel, not become "damaged".
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import BinaryIO

from core.backup.errors import BackupCancelled

Progress = Callable[[str, float], None]


class Meter:
    """Maps bytes done out of `total` onto the span [start, end] of the whole backup's progress bar."""

    def __init__(
        self, progress: Progress, cancelled: Callable[[], bool], message: str, start: float, end: float, total: int
    ) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self._message = message
        self._start = start
        self._span = end - start
        self._total = max(1, total)
        self._done = 0
        self._shown = -1
        self.begin()

    def begin(self) -> None:
        self._emit()

    def check(self) -> None:
        if self._cancelled():
            raise BackupCancelled()

    def advance(self, count: int) -> None:
        self._done += count
        self._emit()

    def _emit(self) -> None:
        fraction = self._start + self._span * min(1.0, self._done / self._total)
        # Reads are 8 KiB: one signal per read would flood the GUI thread's queue for a 150 MB book.
        percent = int(fraction * 100)
        if percent != self._shown:
            self._shown = percent
            self._progress(self._message, fraction)


class _Remembers:
    error: BaseException | None = None

    def _remember(self, exc: BaseException) -> None:
        if self.error is None:
            self.error = exc


class MeteredReader(_Remembers):
    """Reads from `handle`, hashing every byte handed on and checking for Cancel before each read."""

    def __init__(self, handle: BinaryIO, meter: Meter | None = None) -> None:
        self._handle = handle
        self._meter = meter
        self._digest = hashlib.sha256()
        self.length = 0

    def read(self, size: int = -1) -> bytes:
        try:
            if self._meter is not None:
                self._meter.check()
            data = self._handle.read(size)
        except BaseException as exc:
            self._remember(exc)
            raise
        self._digest.update(data)
        self.length += len(data)
        if self._meter is not None:
            self._meter.advance(len(data))
        return data

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


class HashSink:
    """Keeps nothing but a hash and a length: decrypted bytes pass through memory one chunk at a time."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self.length = 0

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        self.length += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


class FdSink(_Remembers):
    """Writes through os.write on a raw descriptor (so a full disk raises ENOSPC here), hashing what it wrote."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._hash = HashSink()

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view[: 1 << 20])
                view = view[written:]
        except BaseException as exc:
            self._remember(exc)
            raise
        return self._hash.write(data)

    def flush(self) -> None:
        pass

    @property
    def length(self) -> int:
        return self._hash.length

    @property
    def sha256(self) -> str:
        return self._hash.sha256


def remembered(*adapters: _Remembers) -> BaseException | None:
    """The first exception an adapter raised inside pyrage, which pyrage itself reports only as text."""
    return next((adapter.error for adapter in adapters if adapter.error is not None), None)
