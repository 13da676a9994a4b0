"""The one background helper: run slow work on a thread pool, deliver results on the GUI thread.

Workers never touch widgets. They get a `TaskContext` to report progress and to see a cancel request;
results, errors and progress come back through Qt signals, which queue them onto the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class TaskCancelled(Exception):
    """Raised inside a worker when the person pressed Cancel."""


class TaskContext:
    """Handed to the worker function: progress reports and cancellation."""

    def __init__(self, signals: _TaskSignals) -> None:
        self._signals = signals
        self._cancelled = threading.Event()

    def progress(self, message: str, fraction: float) -> None:
        self._signals.progressed.emit(message, float(fraction))

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise TaskCancelled()


class _TaskSignals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(str, float)
    ended = Signal()


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[TaskContext], Any], signals: _TaskSignals, context: TaskContext) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._signals = signals
        self._context = context

    def run(self) -> None:
        try:
            result = self._work(self._context)
        except BaseException as exc:
            if not isinstance(exc, TaskCancelled):
                log.info("background task failed: %s", type(exc).__name__)
            self._signals.failed.emit(exc)
        else:
            self._signals.succeeded.emit(result)
        finally:
            self._signals.ended.emit()


class TaskHandle:
    """A running task; `cancel()` asks the worker to stop at its next check."""

    def __init__(self, context: TaskContext, signals: _TaskSignals) -> None:
        self.context = context
        self.signals = signals

    def cancel(self) -> None:
        self.context.cancel()


class BackgroundTasks(QObject):
    """Runs work off the GUI thread. `busy_changed(bool)` lets windows show a busy state."""

    busy_changed = Signal(bool)
    task_finished = Signal()

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._running: set[_TaskSignals] = set()  # the tasks that count as busy
        self._alive: set[_TaskSignals] = set()

    def run(
        self,
        work: Callable[[TaskContext], Any],
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[str, float], None] | None = None,
        *,
        counts_as_busy: bool = True,
    ) -> TaskHandle:
        """Run `work(context)` on the pool; callbacks arrive on the GUI thread. A task with
        `counts_as_busy=False` (a check that can simply be abandoned) does not make the app 'still working'."""
        signals = _TaskSignals(self)
        context = TaskContext(signals)
        if on_success is not None:
            signals.succeeded.connect(on_success)
        if on_error is not None:
            signals.failed.connect(on_error)
        if on_progress is not None:
            signals.progressed.connect(on_progress)
        signals.ended.connect(lambda: self._ended(signals))
        self._alive.add(signals)  # keeps the signals object alive until the task ends
        if counts_as_busy:
            self._running.add(signals)
            if len(self._running) == 1:
                self.busy_changed.emit(True)
        self._pool.start(_Runnable(work, signals, context))
        return TaskHandle(context, signals)

    def _ended(self, signals: _TaskSignals) -> None:
        self._alive.discard(signals)
        signals.deleteLater()
        if signals in self._running:
            self._running.discard(signals)
            if not self._running:
                self.busy_changed.emit(False)
        self.task_finished.emit()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait_for_all(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
