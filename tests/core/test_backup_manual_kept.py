"""Manual backups are never rotated away; automatic ones still are; counts in messages agree with their noun."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.backup import BackupResult, RotationPolicy, backups_to_remove, list_backups
from core.backup.export import backup_name
from core.backup.schedule import remember_backup
from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.storage.preferences import Preferences
from core.text.plural import count_of

SLUG = "ana-s-corner-shop"
NOW = datetime(2026, 5, 14, 13, 2, tzinfo=UTC)


def _prefs(folder: Path, daily: int = 1) -> Preferences:
    return Preferences(backup_folder=str(folder), keep_daily=daily, keep_weekly=0, keep_monthly=0)


def test_two_manual_backups_the_same_day_are_both_kept(book: CustomerBook, tmp_path: Path) -> None:
    preferences = _prefs(tmp_path)  # keep one a day: the policy that used to delete the first backup
    book.save_customer(CustomerDraft(name="First Customer"))
    first = book.back_up(tmp_path)
    assert remember_backup(preferences, first, when=NOW) == []
    book.save_customer(CustomerDraft(name="Second Customer"))
    second = book.back_up(tmp_path)
    assert remember_backup(preferences, second, when=NOW + timedelta(minutes=13)) == []
    assert first.path.exists()
    assert second.path.exists()
    assert not first.automatic
    assert not first.path.name.endswith("-auto.age")
    assert list_backups(tmp_path, SLUG) == []  # rotation does not even see them


def test_automatic_backups_are_still_rotated_and_manual_ones_beside_them_are_not(
    book: CustomerBook, tmp_path: Path
) -> None:
    preferences = _prefs(tmp_path)
    manual = book.back_up(tmp_path)
    remember_backup(preferences, manual, when=NOW)
    yesterday = tmp_path / f"{SLUG}-2026-05-13-090000-auto.age"
    yesterday.write_bytes(b"x")  # an automatic backup from an earlier day: beyond "keep 1 daily"
    automatic = book.back_up(tmp_path, automatic=True)
    assert automatic.automatic
    assert automatic.path.name.endswith("-auto.age")
    removed = remember_backup(preferences, automatic, when=NOW)
    assert removed == [yesterday]
    assert not yesterday.exists()
    assert manual.path.exists()
    assert automatic.path.exists()


def test_backups_from_before_the_naming_are_never_pruned(tmp_path: Path) -> None:
    """Old names ("<shop>-<time>.age", with or without seconds) cannot be shown to be automatic: kept."""
    old = [tmp_path / f"{SLUG}-2026-01-0{day}-0900.age" for day in range(1, 8)] + [
        tmp_path / f"{SLUG}-2026-02-0{day}-090000.age" for day in range(1, 8)
    ]
    for path in old:
        path.write_bytes(b"x")
    newest = tmp_path / f"{SLUG}-2026-05-14-090000-auto.age"
    newest.write_bytes(b"x")
    found = list_backups(tmp_path, SLUG)
    assert [backup.path for backup in found] == [newest]
    assert backups_to_remove(found, RotationPolicy(daily=1, weekly=0, monthly=0), keep=newest) == []


def test_second_automatic_backup_in_the_same_second_is_still_automatic(book: CustomerBook, tmp_path: Path) -> None:
    first = book.back_up(tmp_path, automatic=True)
    stamp = first.path.name.removeprefix(f"{SLUG}-").removesuffix("-auto.age")
    when = datetime.strptime(stamp, "%Y-%m-%d-%H%M%S").replace(tzinfo=UTC)
    assert first.path.name == backup_name(book.shop.name, when, automatic=True)
    taken = tmp_path / f"{SLUG}-{stamp}-2-auto.age"
    taken.write_bytes(b"x")  # pretend a second one landed in that second
    assert {b.path for b in list_backups(tmp_path, SLUG)} == {first.path, taken}
    manual_twin = tmp_path / f"{SLUG}-{stamp}-2.age"
    manual_twin.write_bytes(b"x")  # a second manual backup in the same second: never automatic
    assert manual_twin not in {b.path for b in list_backups(tmp_path, SLUG)}


def test_another_shop_whose_name_ends_like_ours_is_left_alone(tmp_path: Path) -> None:
    theirs = tmp_path / f"{SLUG}-2-2026-05-13-090000-auto.age"  # shop "Ana's Corner Shop 2"
    theirs.write_bytes(b"x")
    assert list_backups(tmp_path, SLUG) == []


def test_a_one_off_result_from_before_this_change_counts_as_manual(book: CustomerBook, tmp_path: Path) -> None:
    made = book.back_up(tmp_path)
    legacy = BackupResult(made.path, made.manifest, None)  # built without saying automatic: manual
    assert remember_backup(_prefs(tmp_path), legacy, when=NOW) == []


def test_counts_agree_with_their_noun() -> None:
    assert count_of(1, "old backup") == "1 old backup"
    assert count_of(2, "old backup") == "2 old backups"
    assert count_of(0, "customer") == "0 customers"
    assert count_of(1234, "customer") == "1,234 customers"
    assert count_of(1, "safety copy", "safety copies") == "1 safety copy"
    assert count_of(3, "safety copy", "safety copies") == "3 safety copies"


def test_the_reminder_counts_days_in_the_singular_too() -> None:
    from core.backup.schedule import backup_status

    preferences = Preferences(remind_after_days=1, last_backup_at=(NOW - timedelta(hours=30)).isoformat())
    assert backup_status(preferences, NOW).text == "Last backup 1 day ago — press Ctrl+B"
    preferences.last_backup_at = (NOW - timedelta(days=3)).isoformat()
    assert backup_status(preferences, NOW).text == "Last backup 3 days ago — press Ctrl+B"
