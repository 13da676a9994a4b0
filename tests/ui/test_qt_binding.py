"""The Qt binding must not leak references to None/True/False (PySide6 6.12.0 did on Python 3.11 and aborted)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication([])
obj, edit = QObject(), QLineEdit()
none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(5000):
    obj.setObjectName("x")
    edit.setText("a")
    obj.objectNameChanged.emit("y")
print(sys.getrefcount(None) - none_before, sys.getrefcount(True) - true_before)
"""


def test_void_calls_and_signal_emits_keep_singleton_refcounts() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    none_delta, true_delta = (int(x) for x in done.stdout.split())
    # A few references may come and go with caches; a leak would show thousands.
    assert abs(none_delta) < 100
    assert abs(true_delta) < 100
