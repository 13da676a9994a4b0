"""The restore warning: real figures from the open book and the backup, local time, the shop's date format."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from core.backup import open_backup
from core.backup.restore_warning import BookFigures, current_book_figures, restore_warning
from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.text.moments import local_moment, shop_date

ZONE = timezone(timedelta(hours=1))  # British Summer Time, say: 12:49 UTC is 13:49 on the wall


def test_figures_of_the_open_book_count_customers_and_find_the_last_change(book: CustomerBook) -> None:
    before = datetime.now(UTC)
    for name in ("Ada One", "Bea Two", "Cy Three"):
        book.save_customer(CustomerDraft(name=name))
    figures = current_book_figures(book.folder.database)
    assert figures is not None
    assert figures.customers == 3
    assert figures.last_change is not None
    assert before <= figures.last_change <= datetime.now(UTC)
    book.lock()  # locked: read from the file, nothing decrypted
    assert current_book_figures(book.folder.database) == figures


def test_no_book_yet_means_no_figures_and_no_file_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "counterpart.db"
    assert current_book_figures(missing) is None
    assert not missing.exists()


def test_warning_with_real_numbers_from_a_backup_and_the_book_since(book: CustomerBook, tmp_path: Path) -> None:
    for number in range(5):
        book.save_customer(CustomerDraft(name=f"Customer {number}"))
    backup = book.back_up(tmp_path)
    book.save_customer(CustomerDraft(name="Came After The Backup"))
    manifest = open_backup(backup.path, book.keys.backup_identity).manifest
    current = current_book_figures(book.folder.database)
    assert current is not None
    made = datetime.fromisoformat(manifest.created_at)
    text = restore_warning(current, manifest, "GB", now=current.last_change, zone=ZONE)
    backup_time = made.astimezone(ZONE).strftime("%H:%M")
    changed = current.last_change.astimezone(ZONE).strftime("%H:%M")  # type: ignore[union-attr]
    assert text.startswith(
        f"Your current book has 6 customers and changes up to today {changed}; the backup is from today "
        f"{backup_time} with 5 customers. Restoring replaces the current book. "
    )
    later = BookFigures(6, made + timedelta(minutes=13))
    text = restore_warning(later, manifest, "GB", now=later.last_change, zone=ZONE)
    assert text.endswith(f"Whatever changed after today {backup_time} is not in the backup.")


def test_changes_in_the_same_minute_as_the_backup_are_not_called_after_it(book: CustomerBook, tmp_path: Path) -> None:
    manifest = book.back_up(tmp_path).manifest
    made = datetime.fromisoformat(manifest.created_at).replace(second=1)
    same_minute = BookFigures(1, made.replace(second=59))
    text = restore_warning(same_minute, replace(manifest, created_at=made.isoformat()), "GB", now=made, zone=ZONE)
    assert "after today" not in text  # "changed after 18:08" next to "up to 18:08" said nothing
    assert text.endswith("The last changes were made in the same minute as the backup: they may not be in it.")


def test_a_backup_newer_than_the_book_says_so(book: CustomerBook, tmp_path: Path) -> None:
    book.save_customer(CustomerDraft(name="Only One"))
    manifest = book.back_up(tmp_path).manifest
    made = datetime.fromisoformat(manifest.created_at)
    older_book = BookFigures(1, made - timedelta(days=3))
    text = restore_warning(older_book, manifest, "US", now=made, zone=UTC)
    assert text.startswith("Your current book has 1 customer and changes up to ")
    assert shop_date((made - timedelta(days=3)).date(), "US") in text  # 05/11/2026: the US order
    assert "with 1 customer." in text
    assert text.endswith("The backup is newer than the current book.")


def test_no_book_on_this_computer(book: CustomerBook, tmp_path: Path) -> None:
    manifest = book.back_up(tmp_path).manifest
    made = datetime.fromisoformat(manifest.created_at)
    text = restore_warning(None, manifest, None, now=made + timedelta(days=1), zone=UTC)
    assert text.startswith("There is no customer book on this computer yet; the backup is from yesterday ")
    assert "with 0 customers. Restoring puts it in place." in text


def test_moments_follow_the_shop_and_the_wall_clock() -> None:
    now = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)
    assert local_moment(datetime(2026, 5, 20, 12, 49, tzinfo=UTC), "GB", now, ZONE) == "today 13:49"
    assert local_moment(datetime(2026, 5, 19, 8, 10, tzinfo=UTC), "GB", now, ZONE) == "yesterday 09:10"
    assert local_moment(datetime(2026, 5, 14, 8, 10, tzinfo=UTC), "GB", now, ZONE) == "14/05/2026 09:10"
    assert local_moment(datetime(2026, 5, 14, 13, 2, tzinfo=UTC), "US", now, UTC) == "05/14/2026 1:02 PM"
    assert local_moment(datetime(2026, 5, 14, 8, 10, tzinfo=UTC), "DE", now, UTC) == "14.05.2026 08:10"
    assert local_moment(datetime(2026, 5, 14, 8, 10, tzinfo=UTC), "SE", now, UTC) == "2026-05-14 08:10"
    assert local_moment(datetime(2026, 5, 14, 8, 10, tzinfo=UTC), None, now, UTC) == "14 May 2026 08:10"
    # Just after local midnight is "today" on the wall even though UTC still says yesterday.
    assert local_moment(datetime(2026, 5, 19, 23, 30, tzinfo=UTC), "GB", now, ZONE) == "today 00:30"
