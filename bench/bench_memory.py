"""Resident memory with the book unlocked in the window, read from outside with psutil, against a bare
PySide6 window. The child opens the real main window, unlocks through the session (as the lock screen
does), waits until the customer list is filled, then says "ready" and waits to be measured.

Run as `python -m bench.bench_memory app <folder>` or `python -m bench.bench_memory bare` by the parent."""

from __future__ import annotations

import subprocess
import sys

from bench.bench_startup import child_env
from bench.context import Context
from bench.measure import Figure, Stats
from bench.shop_generator import PASSPHRASE, REPO, working_copy

NAME = "memory"
LIMIT_MB = 250.0
READY = "ready"


def _measure_child(arguments: list[str]) -> float:
    import psutil

    command = [sys.executable, "-m", "bench.bench_memory", *arguments]
    child = subprocess.Popen(
        command,
        cwd=REPO,
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdin is not None
        line = child.stdout.readline().strip()
        if line != READY:
            child.kill()
            _out, err = child.communicate()
            raise RuntimeError(f"memory child did not get ready ({line!r}): {err[-2000:]}")
        rss = psutil.Process(child.pid).memory_info().rss / 1e6
        child.stdin.write("quit\n")
        child.stdin.flush()
        child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return rss


def run(ctx: Context) -> list[Figure]:
    repeat = ctx.repeats(3, 1)
    bare = [_measure_child(["bare"]) for _ in range(repeat)]
    base = Stats.of(bare)
    figures: list[Figure] = []
    for size in ctx.sizes:
        folder = working_copy(ctx.shop(size), ctx.work / "memory")
        stats = Stats.of([_measure_child(["app", str(folder.root)]) for _ in range(repeat)])
        figures.append(
            Figure(
                name=NAME,
                label="resident memory, unlocked in the window",
                size=size,
                unit="MB",
                median=stats.median,
                p95=stats.p95,
                baseline_label="bare PySide6 window",
                baseline_median=base.median,
                baseline_p95=base.p95,
                target="≤ 250 MB",
                passed=stats.median <= LIMIT_MB,
                samples=stats.count,
                note="psutil RSS of a child process: main window, unlocked, search index built, list filled",
            )
        )
    return figures


def _wait_for_quit() -> None:
    print(READY, flush=True)
    sys.stdin.readline()


def _bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1100, 720)
    window.show()
    app.processEvents()
    _wait_for_quit()
    window.close()
    return 0


def _app(root: str) -> int:
    from pathlib import Path

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from core.storage.data_folder import DataFolder
    from ui.app import build_window

    app = QApplication(sys.argv[:1])
    window = build_window(DataFolder(Path(root)))
    window.show()
    app.processEvents()
    loop = QEventLoop()
    outcome: list[str] = []
    window.session.unlocked.connect(lambda: (outcome.append("unlocked"), loop.quit()))
    window.session.unlock_failed.connect(lambda message: (outcome.append(message), loop.quit()))
    QTimer.singleShot(120_000, loop.quit)
    window.session.unlock(PASSPHRASE, "passphrase", False)
    loop.exec()
    if outcome != ["unlocked"]:
        print(f"unlock failed: {outcome}", file=sys.stderr)
        return 1
    for _ in range(20):  # let the list fill and paint
        app.processEvents()
    if window.list_view.model.rowCount() == 0:
        print("the customer list stayed empty", file=sys.stderr)
        return 1
    _wait_for_quit()
    window.session.book.close()
    return 0


if __name__ == "__main__":
    mode = sys.argv[1]
    sys.exit(_bare() if mode == "bare" else _app(sys.argv[2]))
