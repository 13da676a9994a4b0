"""Unlocking and locking the book off the GUI thread, with the keyring as an opt-in shortcut."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from core.book import CustomerBook
from core.errors import CounterpartError
from core.keys.crypto import KdfParams
from core.keys.keyring_cache import DeviceKeyring, KeyringUnavailable
from ui.lock_view import MODE_RECOVERY
from ui.tasks import BackgroundTasks, TaskContext

log = logging.getLogger(__name__)
KdfProvider = Callable[[], KdfParams]
KeyringFactory = Callable[[], DeviceKeyring]


class Session(QObject):
    """Owns the lock state. Signals: `unlocked`, `locked`, `unlock_failed(message)`, `progress(msg, fraction)`,
    `notice(message)` for non-blocking information such as a keyring problem."""

    unlocked = Signal()
    locked = Signal()
    unlock_failed = Signal(str)
    progress = Signal(str, float)
    notice = Signal(str)

    def __init__(
        self,
        book: CustomerBook,
        tasks: BackgroundTasks,
        kdf_provider: KdfProvider,
        keyring_factory: KeyringFactory,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.tasks = tasks
        self.kdf_provider = kdf_provider
        self.keyring_factory = keyring_factory
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy

    def unlock(self, secret: str, mode: str, remember: bool) -> None:
        if self._busy:
            return
        self._busy = True
        book = self.book
        keyring_factory = self.keyring_factory

        def work(context: TaskContext) -> str:
            if mode == MODE_RECOVERY:
                book.unlock_with_recovery_key(secret, progress=context.progress)
            else:
                book.unlock(secret, progress=context.progress)
            if remember:
                try:
                    book.remember_on_this_computer(keyring_factory())
                except KeyringUnavailable as exc:
                    return f"{exc} The book is open; it will ask for the passphrase next time."
                return "This computer will remember the book."
            return ""

        self.tasks.run(work, self._unlock_succeeded, self._unlock_failed, self.progress.emit)

    def try_keyring_unlock(self) -> bool:
        """At start, open with the keyring if this computer remembers the book. Returns whether it tried."""
        if self._busy or not self.book.preferences().remembered_device_id:
            return False
        self._busy = True
        # Busy at once, before the worker starts: the keyring may take seconds (or hang until its timeout),
        # and a passphrase typed meanwhile must not be taken and then dropped.
        self.progress.emit("Opening with this computer's keyring…", 0.05)
        book, keyring = self.book, self.keyring_factory()

        def work(context: TaskContext) -> str:
            book.unlock_with_keyring(keyring, progress=context.progress)
            return ""

        self.tasks.run(work, self._unlock_succeeded, self._keyring_failed, self.progress.emit)
        return True

    def _unlock_succeeded(self, message: object) -> None:
        self._busy = False
        self.unlocked.emit()
        if isinstance(message, str) and message:
            self.notice.emit(message)

    def _unlock_failed(self, error: BaseException) -> None:
        self._busy = False
        self.book.lock()
        self.unlock_failed.emit(_message_for(error))

    def _keyring_failed(self, error: BaseException) -> None:
        self._busy = False
        self.book.lock()
        self.unlock_failed.emit(f"{_message_for(error)}")

    def lock(self) -> None:
        if self.book.is_unlocked:
            self.book.lock()
            self.locked.emit()


def _message_for(error: BaseException) -> str:
    if isinstance(error, CounterpartError):
        return str(error)
    log.error("unexpected error while unlocking: %s", type(error).__name__)
    return f"The book could not be opened because of an unexpected problem ({type(error).__name__})."
