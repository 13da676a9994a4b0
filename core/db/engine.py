"""Open the SQLite database with the pragmas the design requires, and migrate it to the current schema."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError

from core.atomic import PRIVATE_FILE_MODE
from core.data_folder import DataFolder
from core.errors import StorageError

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 2000  # saves run on the GUI thread: wait briefly for a lock, then say so
SAFETY_COPIES_KEPT = 5


def _apply_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def create_sqlite_engine(path: Path) -> Engine:
    """An engine on `path`; the file is created private (0600) before SQLite touches it."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _apply_pragmas)
    return engine


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config  # alembic is imported only when the book is opened, not at start-up

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, folder: DataFolder) -> None:
    """Bring the schema to the newest version, after a safety copy of a database that already has data."""
    from alembic import command

    try:
        current = current_revision(engine)
        head = head_revision()
        if current == head:
            return
        if current is None and not inspect(engine).get_table_names():
            log.info("creating a new database schema")
        else:
            copy = safety_copy(engine, folder, reason=f"before-migration-{current or 'none'}")
            log.info("safety copy before migration written to %s", copy.name)
        command.upgrade(_alembic_config(engine), "head")
    except OperationalError as exc:
        raise StorageError(f"The customer book could not be prepared: {exc.orig}") from exc


def safety_copy(engine: Engine, folder: DataFolder, reason: str) -> Path:
    """A consistent copy of the database (ciphertext only) in the safety-copies folder; keeps the last few."""
    folder.ensure()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder.safety_copies / f"counterpart-{stamp}-{reason}.db"
    snapshot_to(engine, target)
    copies = sorted(folder.safety_copies.glob("counterpart-*.db"))
    for old in copies[:-SAFETY_COPIES_KEPT]:
        old.unlink(missing_ok=True)
    return target


def snapshot_to(engine: Engine, target: Path) -> None:
    """Copy the live database into `target` with SQLite's online backup API (consistent while in use)."""
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE))
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        finally:
            destination.close()
    finally:
        raw.close()


def copy_file_private(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    os.chmod(target, PRIVATE_FILE_MODE)
