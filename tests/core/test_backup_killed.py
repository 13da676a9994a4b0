"""A backup killed mid-write (SIGKILL) leaves the previous backup and the customer book intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from core.backup import open_backup
from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE

CHILD = """
import os, sys, time
from pathlib import Path
from core.book import CustomerBook
from core.storage.data_folder import DataFolder
import core.backup.export as export

real_write = os.write
def slow_write(fd, data):
    written = real_write(fd, data[:4096])
    sys.stdout.write("writing\\n"); sys.stdout.flush()
    time.sleep(60)  # the parent kills us here, mid-file
    return written
export.os.write = slow_write
book = CustomerBook(DataFolder(Path(sys.argv[1])))
book.unlock(sys.argv[3])
book.back_up(Path(sys.argv[2]))
"""


def test_sigkill_mid_write_keeps_the_previous_backup_and_the_book(book: CustomerBook, tmp_path: Path) -> None:
    book.save_customer(CustomerDraft(name="Before The Crash"))
    destination = tmp_path / "stick"
    destination.mkdir()
    previous = book.back_up(destination)
    previous_bytes = previous.path.read_bytes()
    identity = book.keys.backup_identity
    folder_root = book.folder.root
    book.close()

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder_root), str(destination), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    partials = list(destination.glob(".*.partial"))
    assert len(partials) == 1  # the half-written file never took a backup's name
    assert previous.path.read_bytes() == previous_bytes
    assert open_backup(previous.path, identity).manifest == previous.manifest

    reopened = CustomerBook(DataFolder(folder_root))
    reopened.unlock(PASSPHRASE)
    assert reopened.index.search("Before The Crash").rows
    reopened.back_up(destination)
    assert list(destination.glob(".*.partial")) == []
    assert list(reopened.folder.temp.iterdir()) == []  # the killed run's snapshot folder is gone too
    reopened.close()
