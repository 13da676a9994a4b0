"""The "without Counterpart" recipe in every backup's README.txt, run as written: it extracts a good backup and
leaves nothing extracted from a damaged one."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from core.backup.archive import README_TEXT
from core.book import CustomerBook
from core.customers.store import CustomerDraft

pytestmark = pytest.mark.skipif(shutil.which("age") is None, reason="the age CLI is not installed")


def _recipe() -> str:
    (line,) = [line.strip() for line in README_TEXT.splitlines() if line.strip().startswith("age -d")]
    assert "| tar" not in README_TEXT
    assert re.fullmatch(r"age -d -i key\.txt -o backup\.tar backup\.age && tar -xf backup\.tar", line)
    return line


def _run(book: CustomerBook, folder: Path, backup: bytes) -> subprocess.CompletedProcess[str]:
    folder.mkdir()
    (folder / "key.txt").write_text(book.keys.backup_identity + "\n")
    (folder / "backup.age").write_bytes(backup)
    return subprocess.run(["/bin/sh", "-c", _recipe()], cwd=folder, capture_output=True, text=True, check=False)


def test_the_readme_recipe_extracts_a_good_backup_and_nothing_from_a_damaged_one(
    book: CustomerBook, tmp_path: Path
) -> None:
    book.save_customer(CustomerDraft(name="Recipe Person"))
    (tmp_path / "backups").mkdir()
    good = book.back_up(tmp_path / "backups").path.read_bytes()
    assert _run(book, tmp_path / "good", good).returncode == 0
    assert {"counterpart.db", "vault.json", "README.txt", "manifest.json"} <= {
        p.name for p in (tmp_path / "good").iterdir()
    }
    damaged = _run(book, tmp_path / "damaged", good[: len(good) - 70_000])
    assert damaged.returncode != 0
    assert "error" in damaged.stderr
    assert {p.name for p in (tmp_path / "damaged").iterdir()} <= {"key.txt", "backup.age", "backup.tar"}
