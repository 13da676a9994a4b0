"""The launcher as a person starts it: `main.py --data-dir` opens (and creates, privately) a book folder;
`--demo` makes a throwaway shop whose passphrase is shown, which unlocks to its generated customers, and whose
folder is gone when the app closes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from core.demo import DEMO_CUSTOMERS, new_demo_folder
from core.keys.crypto import FAST_TEST_KDF
from tests.ui.conftest import unlock

ROOT = Path(__file__).resolve().parents[2]


def _launch(*arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "main.py", *arguments, "--bench-exit-when-ready"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_data_dir_creates_a_private_folder_and_releases_its_lock(tmp_path: Path) -> None:
    folder = tmp_path / "my shop"
    first = _launch("--data-dir", str(folder))
    assert first.returncode == 0, first.stderr[-2000:]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    log = folder / "logs" / "counterpart.log"
    assert "starting" in log.read_text(encoding="utf-8")
    for path in folder.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is readable by others ({oct(mode)})"
    second = _launch("--data-dir", str(folder))  # the lock was released at exit, so this opens too
    assert second.returncode == 0, second.stderr[-2000:]


def test_demo_folder_is_removed_when_the_app_closes() -> None:
    before = set(Path(tempfile.gettempdir()).glob("counterpart-demo-*"))
    result = _launch("--demo")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(Path(tempfile.gettempdir()).glob("counterpart-demo-*")) == before


@pytest.mark.slow
def test_demo_shows_its_passphrase_and_opens_to_generated_customers(qtbot) -> None:
    from ui.app import _prepare_demo, build_window

    folder = new_demo_folder()
    window = build_window(folder, {"kdf_provider": lambda: FAST_TEST_KDF})
    qtbot.addWidget(window)
    window.show()
    try:
        _prepare_demo(window)
        qtbot.waitUntil(lambda: "passphrase is" in window.lock_view.prompt.text(), timeout=60_000)
        passphrase = window.lock_view.prompt.text().splitlines()[1]
        unlock(qtbot, window, passphrase)
        assert len(window.book.index) == DEMO_CUSTOMERS
        assert window.list_view.model.rowCount() == DEMO_CUSTOMERS
    finally:
        window.session.tasks.wait_for_all()
        window.book.close()
        import shutil

        shutil.rmtree(folder.root, ignore_errors=True)
