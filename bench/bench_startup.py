"""Start → main window shown (locked), measured from outside: `main.py --bench-exit-when-shown` in a child
process against a bare PySide6 script that shows one window and quits the same way."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.context import Context
from bench.measure import Figure, Stats
from bench.shop_generator import REPO, working_copy

NAME = "startup"
BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1100, 720)
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _time_process(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=child_env(), capture_output=True, text=True, check=False)
    elapsed = (time.perf_counter() - started) * 1000.0
    if result.returncode != 0:
        raise RuntimeError(f"{command[1]} exited with {result.returncode}: {result.stderr[-2000:]}")
    return elapsed


def run(ctx: Context) -> list[Figure]:
    shop = ctx.shop(ctx.largest)
    folder = working_copy(shop, ctx.work / "startup")
    app = [sys.executable, "main.py", "--data-dir", str(folder.root), "--bench-exit-when-shown"]
    bare = [sys.executable, "-c", BARE_WINDOW]
    warmup, repeat = 1, ctx.repeats(10, 2)
    mine: list[float] = []
    theirs: list[float] = []
    # Interleaved so that a noisy moment on the machine hits both sides alike.
    for attempt in range(warmup + repeat):
        app_ms, bare_ms = _time_process(app), _time_process(bare)
        if attempt >= warmup:
            mine.append(app_ms)
            theirs.append(bare_ms)
    stats, base = Stats.of(mine), Stats.of(theirs)
    figure = Figure(
        name=NAME,
        label="start → main window shown (locked)",
        size=shop.size,
        unit="ms",
        median=stats.median,
        p95=stats.p95,
        baseline_label="bare PySide6 window start",
        baseline_median=base.median,
        baseline_p95=base.p95,
        target="≤ 1.5×",
        passed=False,
        samples=stats.count,
        note="child process, wall clock from spawn to exit (interpreter start and imports included on both sides)",
    )
    figure.passed = figure.ratio <= 1.5
    return [figure]
