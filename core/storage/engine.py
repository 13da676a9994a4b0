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
from sqlalchemy.exc import DatabaseError, OperationalError

from core.errors import DamagedFile, StorageError
from core.storage.atomic import PRIVATE_FILE_MODE
from core.storage.data_folder import DataFolder
from core.storage.transactions import DAMAGED_DATABASE, EMPTY_DATABASE, is_damaged

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 2000  # saves run on the GUI thread: wait briefly for a lock, then say so
SAFETY_COPIES_KEPT = 5


def _apply_pragmas(dbapi_connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def create_sqlite_engine(path: Path, busy_timeout_ms: int | None = None) -> Engine:
    """An engine on `path`; the file is created private (0600) before SQLite touches it. `busy_timeout_ms`
    defaults to BUSY_TIMEOUT_MS as it is when each connection opens."""

    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        _apply_pragmas(dbapi_connection, BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms)

    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", on_connect)
    return engine


SQLITE_MAGIC = b"SQLite format 3\x00"


def check_database_file(path: Path) -> None:
    """Refuse, before SQLite opens it, a database file that is missing, empty, not SQLite or not whole pages.

    SQLite would treat a missing or empty file as a new database and write to it, and reads a file cut inside
    its last page as if the cut-off bytes were zeros; it always writes whole pages, even in WAL mode."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        raise DamagedFile(EMPTY_DATABASE) from None
    except OSError as exc:
        raise StorageError(f"The customer book could not be read ({exc.strerror}).") from exc
    if size == 0:
        raise DamagedFile(EMPTY_DATABASE)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise DamagedFile(DAMAGED_DATABASE)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1) or size % page_size:
        raise DamagedFile(DAMAGED_DATABASE)


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


def migrate(engine: Engine, folder: DataFolder, *, existing: bool = False) -> None:
    """Bring the schema to the newest version, after a safety copy of a database that already has data.

    `existing` says the book was set up before (its key file is there), so a database without tables is a
    lost one, not a new one: DamagedFile, and nothing is created in its place. An unreadable file is
    DamagedFile too, raised before anything is written."""
    from alembic import command

    try:
        current = current_revision(engine)
        head = head_revision()
        if current == head:
            return
        if current is None and not inspect(engine).get_table_names():
            if existing:
                raise DamagedFile(EMPTY_DATABASE)
            log.info("creating a new database schema")
        else:
            _require_intact(engine)
            copy = safety_copy(engine, folder, reason=f"before-migration-{current or 'none'}")
            log.info("safety copy before migration written to %s", copy.name)
        command.upgrade(_alembic_config(engine), "head")
    except OperationalError as exc:
        raise StorageError(f"The customer book could not be prepared: {exc.orig}") from exc
    except DatabaseError as exc:
        if is_damaged(exc):
            raise DamagedFile(DAMAGED_DATABASE) from exc
        raise


def _require_intact(engine: Engine) -> None:
    """A full check before a migration, the one time every page is read anyway: a damaged file must not be
    migrated, nor copied over the good safety copies (only the last few are kept)."""
    with engine.connect() as connection:
        verdict = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check").fetchall()]
    if verdict != ["ok"]:
        log.error("database failed its integrity check before migration (%d problems)", len(verdict))
        raise DamagedFile(DAMAGED_DATABASE)


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
    try:
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
    except BaseException:
        # A half-written copy would count as one of the safety copies kept and push a good one out.
        target.unlink(missing_ok=True)
        raise


def copy_file_private(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    os.chmod(target, PRIVATE_FILE_MODE)
