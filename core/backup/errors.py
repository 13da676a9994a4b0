"""What can go wrong with a backup, each with its own plain message (never a traceback, never a guess)."""

from __future__ import annotations

from core.errors import CounterpartError


class BackupError(CounterpartError):
    """Base of every backup problem; str() is the message for the shop owner."""


class NotABackup(BackupError):
    def __init__(self) -> None:
        super().__init__("This file is not a Counterpart backup (it is not an age-encrypted file).")


class BackupWrongKey(BackupError):
    def __init__(self, what: str = "key") -> None:
        if what == "passphrase":
            message = "That passphrase does not open this backup. Check it and try again."
        else:
            message = (
                "That key does not open this backup. Use the backup key from the recovery sheet "
                "(it starts with AGE-SECRET-KEY-1), or the passphrase of a passphrase copy."
            )
        super().__init__(message)


class BackupTruncated(BackupError):
    def __init__(self) -> None:
        super().__init__(
            "This backup file is incomplete: it was cut short, perhaps while copying or when the drive was "
            "removed. Nothing was changed. Try another copy of the backup."
        )


class BackupTampered(BackupError):
    def __init__(self) -> None:
        super().__init__(
            "This backup file is damaged or has been changed since it was written, so it cannot be trusted. "
            "Nothing was changed. Try another copy of the backup."
        )


class BackupFromNewerVersion(BackupError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"This backup was made by a newer Counterpart ({detail}). Update Counterpart, then restore it. "
            "Nothing was changed."
        )


class BackupDiskFull(BackupError):
    def __init__(self, where: str, on_this_computer: bool = False) -> None:
        if on_this_computer:
            # The backup is prepared in the data folder first: pointing at the USB stick would send the
            # owner to free space in the wrong place.
            message = (
                f"There is not enough free space on this computer's own disk (Counterpart's data folder, {where}) "
                "to prepare the backup. The backup drive is not the problem. Free some space on this computer, "
                "then try again. Earlier backups were not touched."
            )
        else:
            message = (
                f"There is not enough free space in {where} for the backup. Free some space or choose another "
                "drive. Earlier backups were not touched."
            )
        super().__init__(message)


class BackupNotVerified(BackupError):
    def __init__(self) -> None:
        super().__init__(
            "The backup was written but did not read back correctly, so it was deleted. The drive may be "
            "faulty or was removed: try again, or choose another drive. Earlier backups were not touched."
        )


class BackupDestinationUnavailable(BackupError):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"The backup cannot be written to {where}: {reason}. Earlier backups were not touched.")


class BackupCancelled(BackupError):
    def __init__(self) -> None:
        super().__init__("The backup was cancelled. Nothing was written and earlier backups were not touched.")
