"""A kill (SIGKILL) at every file-system step of restore, set-up and passphrase change loses no book.

For each operation, a forked child counts the file-system calls it makes (rename, unlink, mkdir, fsync, open
for writing…) and kills itself at step N, for every N. After each kill the folder is opened the way the app
opens it at start (finish or undo the interrupted change, then unlock): it holds the old book or the new one,
never neither, and never a folder where the set-up wizard would be offered over data.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from core.backup import open_backup
from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.errors import WrongPassphrase
from core.keys.crypto import FAST_TEST_KDF
from core.storage.data_folder import DataFolder
from core.storage.switch import complete_pending_switch
from tests.conftest import PASSPHRASE, SHOP

NEW_PASSPHRASE = "a completely different passphrase"
COUNTED = ("replace", "rename", "unlink", "remove", "rmdir", "mkdir", "fsync", "open")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC


def _run_killed_at(step: int, action: Callable[[], object]) -> int:
    """Run `action` in a forked child that SIGKILLs itself at file-system call number `step` (0: never).
    Returns the number of calls the child made (when it finished) or -1 when it was killed."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: count, kill at `step`, report the count, never return into pytest
        os.close(read_end)
        count = 0
        originals = {name: getattr(os, name) for name in COUNTED}

        def counting(name: str) -> Callable[..., object]:
            def call(*args: object, **kwargs: object) -> object:
                nonlocal count
                if name == "open" and not (int(args[1]) & WRITE_FLAGS if len(args) > 1 else 0):  # type: ignore[call-overload]
                    return originals[name](*args, **kwargs)
                count += 1
                if count == step:
                    os.kill(os.getpid(), signal.SIGKILL)
                return originals[name](*args, **kwargs)

            return call

        for name in COUNTED:
            setattr(os, name, counting(name))
        code = 0
        try:
            action()
        except BaseException:
            code = 1
        for name, original in originals.items():
            setattr(os, name, original)
        os.write(write_end, str(count).encode())
        os._exit(code)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    report = os.read(read_end, 64)
    os.close(read_end)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return -1
    assert os.WEXITSTATUS(status) == 0, "the operation failed without being killed"
    return int(report)


def _open_as_the_app_does(root: Path) -> DataFolder:
    folder = DataFolder(root)
    complete_pending_switch(folder)
    assert not folder.orphaned(), "data without its key file: the app would have no book to open"
    return folder


def _names_after_unlock(folder: DataFolder, passphrase: str) -> set[str] | None:
    book = CustomerBook(folder)
    try:
        book.unlock(passphrase)
    except WrongPassphrase:
        return None
    try:
        return {row.name for row in book.index.search("").rows}
    finally:
        book.close()


def _every_step(template: Path, work: Path, action: Callable[[Path], object], check: Callable[[Path], str]) -> None:
    """Count the steps once, then kill at each; `check(folder)` says which book survived ('old'/'new')."""

    def fresh() -> Path:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(template, work)
        return work

    fresh()
    steps = _run_killed_at(0, lambda: action(work))
    assert steps >= 5, f"only {steps} file-system steps were seen: the counting does not work"
    assert check(work) == "new"
    survivors = []
    for step in range(1, steps + 1):
        fresh()
        assert _run_killed_at(step, lambda: action(work)) == -1
        survivors.append(check(work))
    assert set(survivors) <= {"old", "new"}
    assert survivors[0] == "old", "the first step changed nothing yet"


def _stocked_book(root: Path, name: str, passphrase: str) -> CustomerBook:
    book = CustomerBook(DataFolder(root))
    book.set_up(SHOP, passphrase, FAST_TEST_KDF)
    book.save_customer(CustomerDraft(name=name))
    return book


def test_restore_killed_at_every_step_keeps_the_old_book_or_the_new(tmp_path: Path) -> None:
    backed_up = _stocked_book(tmp_path / "other", "New Bob", NEW_PASSPHRASE)
    (tmp_path / "stick").mkdir()
    backup = backed_up.back_up(tmp_path / "stick")
    identity = backed_up.keys.backup_identity
    backed_up.close()
    _stocked_book(tmp_path / "template", "Old Alice", PASSPHRASE).close()
    opened = open_backup(backup.path, identity)

    def restore(root: Path) -> object:
        return CustomerBook(DataFolder(root)).restore(opened)

    def check(root: Path) -> str:
        folder = _open_as_the_app_does(root)
        old = _names_after_unlock(folder, PASSPHRASE)
        new = _names_after_unlock(folder, NEW_PASSPHRASE)
        assert (old is None) != (new is None), "exactly one book must open"
        assert old in (None, {"Old Alice"})
        assert new in (None, {"New Bob"})
        return "old" if old else "new"

    _every_step(tmp_path / "template", tmp_path / "work", restore, check)


def test_set_up_killed_at_every_step_leaves_no_book_or_a_whole_one(tmp_path: Path) -> None:
    (tmp_path / "template").mkdir()

    def set_up(root: Path) -> object:
        return CustomerBook(DataFolder(root)).set_up(SHOP, PASSPHRASE, FAST_TEST_KDF)

    def check(root: Path) -> str:
        folder = _open_as_the_app_does(root)
        if not folder.is_set_up():
            assert not folder.holds_book_data()
            assert CustomerBook(folder).set_up(SHOP, PASSPHRASE, FAST_TEST_KDF).recovery_key  # the wizard works again
            shutil.rmtree(root)
            return "old"
        book = CustomerBook(folder)
        book.unlock(PASSPHRASE)
        assert book.shop.name == SHOP.name
        book.close()
        return "new"

    _every_step(tmp_path / "template", tmp_path / "work", set_up, check)


def test_passphrase_change_killed_at_every_step_opens_with_one_of_them(tmp_path: Path) -> None:
    _stocked_book(tmp_path / "template", "Old Alice", PASSPHRASE).close()

    def change(root: Path) -> None:
        book = CustomerBook(DataFolder(root))
        book.unlock(PASSPHRASE)
        book.change_passphrase(NEW_PASSPHRASE, FAST_TEST_KDF)

    def check(root: Path) -> str:
        folder = _open_as_the_app_does(root)
        old = _names_after_unlock(folder, PASSPHRASE)
        new = _names_after_unlock(folder, NEW_PASSPHRASE)
        assert (old is None) != (new is None)
        assert (old or new) == {"Old Alice"}
        return "old" if old else "new"

    _every_step(tmp_path / "template", tmp_path / "work", change, check)


@pytest.mark.parametrize("leftover", ["wal", "safety-copy", "database"])
def test_set_up_refuses_a_folder_with_book_data(tmp_path: Path, leftover: str) -> None:
    from core.storage.data_folder import BookAlreadyHere

    source = _stocked_book(tmp_path / "old", "Old Alice", PASSPHRASE)
    source.close()
    folder = DataFolder(tmp_path / "copy")
    folder.ensure()
    if leftover == "database":  # someone copied only counterpart.db somewhere
        shutil.copy(source.folder.database, folder.database)
    elif leftover == "wal":
        folder.database.with_name("counterpart.db-wal").write_bytes(b"\x01" * 100)
    else:
        (folder.safety_copies / "before-restore-x").mkdir()
    assert folder.orphaned() or leftover == "safety-copy"
    with pytest.raises(BookAlreadyHere, match="Restore from backup"):
        CustomerBook(folder).set_up(SHOP, PASSPHRASE, FAST_TEST_KDF)
    assert not folder.vault.exists()
