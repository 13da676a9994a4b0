"""Changes that touch several files of the data folder at once, made crash-safe with a journal.

Restore and set-up replace `counterpart.db` and `vault.json` together. Written one after the other, a crash in
between leaves a database without its key file (or the other way round), and the book is lost. So:

1. every new file is written completely into `switch-staging/` (fsynced) — a crash here changes nothing: the
   next start throws the staging folder away;
2. a journal, `switch.json`, is written atomically: from this moment the change *will* happen;
3. each step is done in an order that can be repeated: old files (and the old database's `-wal`/`-shm`, which
   must never meet the new database) move into the safety-copy folder, then each staged file is renamed into
   place;
4. the journal is removed last.

`complete_pending_switch()` runs at every start, under the single-instance lock and before anything opens the
book: it finishes a journalled change (roll forward) or discards an unjournalled staging folder (roll back). A
kill at any moment therefore leaves the old book or the new one, never a mix and never neither.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import DamagedFile
from core.storage.atomic import ensure_private_dir, fsync_dir, write_private_atomic
from core.storage.data_folder import DataFolder

log = logging.getLogger(__name__)
JOURNAL = "switch.json"
STAGING = "switch-staging"
FORMAT = 1


@dataclass(frozen=True)
class SwitchPlan:
    """What one journalled change does: put `files` (staged under these names) in place; move `aside` (and the
    files being replaced) into `safety` (a folder relative to the data folder), or delete them when None."""

    kind: str
    files: tuple[str, ...]
    aside: tuple[str, ...] = ()
    safety: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "kind": self.kind, "files": list(self.files), "aside": list(self.aside),
                "safety": self.safety}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SwitchPlan:
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown switch journal format {data.get('format')!r}")
        names = [*data["files"], *data["aside"]]
        if any(not isinstance(n, str) or "/" in n or "\\" in n or n in ("", ".", "..") for n in names):
            raise ValueError("a switch journal names a file outside the data folder")
        safety = data.get("safety")
        if safety is not None and (not isinstance(safety, str) or ".." in Path(safety).parts):
            raise ValueError("a switch journal names a safety folder outside the data folder")
        return cls(str(data["kind"]), tuple(data["files"]), tuple(data["aside"]), safety)


def staging_dir(folder: DataFolder) -> Path:
    return folder.root / STAGING


def journal_path(folder: DataFolder) -> Path:
    return folder.root / JOURNAL


def begin(folder: DataFolder) -> Path:
    """A fresh, empty, private staging folder. Leftovers of an unjournalled earlier attempt are discarded."""
    folder.ensure()
    if journal_path(folder).exists():
        complete_pending_switch(folder)
    staging = staging_dir(folder)
    shutil.rmtree(staging, ignore_errors=True)
    ensure_private_dir(staging)
    return staging


def commit(folder: DataFolder, plan: SwitchPlan) -> None:
    """Journal `plan` (every file in it must be staged and fsynced), then carry it out."""
    staging = staging_dir(folder)
    missing = [name for name in plan.files if not (staging / name).is_file()]
    if missing:
        raise FileNotFoundError(f"not staged: {', '.join(missing)}")
    fsync_dir(staging)
    write_private_atomic(journal_path(folder), json.dumps(plan.to_json()).encode("utf-8"))
    _carry_out(folder, plan)


def complete_pending_switch(folder: DataFolder) -> str | None:
    """Finish or undo a change a crash interrupted. Returns what was done (for the log), or None."""
    journal = journal_path(folder)
    staging = staging_dir(folder)
    if journal.exists():
        try:
            plan = SwitchPlan.from_json(json.loads(journal.read_bytes()))
        except (ValueError, KeyError, TypeError) as exc:
            # Written atomically, so a damaged journal was damaged on purpose or by the disk: touch nothing.
            raise DamagedFile(
                f"An interrupted change to the customer book could not be finished: {JOURNAL} in {folder.root} "
                "is damaged. Nothing was changed. Restore from a backup, or ask for help before deleting anything."
            ) from exc
        _carry_out(folder, plan)
        log.warning("finished an interrupted %s after a crash", plan.kind)
        return f"finished an interrupted {plan.kind}"
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
        fsync_dir(folder.root)
        log.warning("discarded an unfinished change (it had not started to replace any file)")
        return "discarded an unfinished change"
    return None


def _carry_out(folder: DataFolder, plan: SwitchPlan) -> None:
    """Idempotent: every step checks whether it was already done, so it can be repeated after a crash."""
    root, staging = folder.root, staging_dir(folder)
    safety = folder.root / plan.safety if plan.safety else None
    if safety is not None:
        ensure_private_dir(safety)
    # A file is replaced only while its staged copy exists; once renamed, the staged copy is gone, so a repeat
    # never moves the *new* file aside.
    replaced = [name for name in plan.files if (staging / name).exists()]
    if replaced:  # once every file is in place, the new database may have its own -wal: leave it alone
        for name in (*plan.aside, *replaced):
            _move_aside(root / name, safety)
    for name in replaced:
        os.replace(staging / name, root / name)
    fsync_dir(root)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal_path(folder))
    fsync_dir(root)
    shutil.rmtree(staging, ignore_errors=True)


def _move_aside(path: Path, safety: Path | None) -> None:
    if not path.exists():
        return
    if safety is None:
        os.unlink(path)
    else:
        os.replace(path, safety / path.name)
        fsync_dir(safety)
