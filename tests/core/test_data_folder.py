"""One running instance per data folder; private files; migrations with a safety copy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.errors import AlreadyRunning
from core.storage.data_folder import DataFolder, InstanceLock
from core.storage.engine import current_revision, head_revision


def test_second_instance_on_the_same_folder_is_refused(data_folder: DataFolder) -> None:
    first = InstanceLock(data_folder)
    first.acquire()
    try:
        code = (
            "from pathlib import Path; from core.storage.data_folder import DataFolder, InstanceLock\n"
            f"InstanceLock(DataFolder(Path({str(data_folder.root)!r}))).acquire()"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        assert out.returncode != 0
        assert "AlreadyRunning" in out.stderr
        assert "already open" in out.stderr
    finally:
        first.release()
    second = InstanceLock(data_folder)
    second.acquire()  # free again once the first let go
    second.release()


def test_same_process_second_lock_also_refused(data_folder: DataFolder) -> None:
    first = InstanceLock(data_folder)
    first.acquire()
    try:
        with pytest.raises(AlreadyRunning):
            InstanceLock(data_folder).acquire()
    finally:
        first.release()


def test_files_and_folders_are_private(book: CustomerBook) -> None:
    book.save_customer(CustomerDraft(name="Ana"))
    root = book.folder.root
    assert root.stat().st_mode & 0o777 == 0o700
    for name in ("counterpart.db", "vault.json"):
        assert (root / name).stat().st_mode & 0o777 == 0o600, name


def test_schema_is_at_head_after_setup_and_old_books_are_migrated_with_a_safety_copy(book: CustomerBook) -> None:
    assert current_revision(book.engine) == head_revision()
    book.save_customer(CustomerDraft(name="Ana"))
    from alembic import command

    from core.storage.engine import _alembic_config

    command.downgrade(_alembic_config(book.engine), "0001")  # a book made by the first release
    assert current_revision(book.engine) == "0001"
    book.lock()
    from tests.conftest import PASSPHRASE

    book.unlock(PASSPHRASE)
    assert current_revision(book.engine) == head_revision()
    assert list(book.folder.safety_copies.glob("*before-migration-0001*.db"))
