"""Notice versions: each distinct text gets a number, an effective date and a hash, kept forever."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from difflib import unified_diff

from core.notice.text import NoticeText
from core.storage.audit import AuditLog
from core.storage.settings_store import SettingsStore

INDEX_KEY = "notice/versions"


@dataclass(frozen=True)
class NoticeVersion:
    number: int
    effective: str  # UTC ISO date-time
    content_hash: str

    @property
    def ref(self) -> str:
        """What consent events cite: 'v3 sha256:…'."""
        return f"v{self.number} {self.content_hash}"

    @property
    def short(self) -> str:
        return f"Version {self.number} · {self.content_hash[:19]}"


class NoticeVersionStore:
    """Versions live in the encrypted settings store; texts are written once and never changed."""

    def __init__(self, settings: SettingsStore, audit: AuditLog) -> None:
        self._settings = settings
        self._audit = audit

    def versions(self) -> list[NoticeVersion]:
        return [
            NoticeVersion(int(v["number"]), str(v["effective"]), str(v["hash"]))
            for v in self._settings.get(INDEX_KEY, [])
        ]

    def ensure_current(self, text: NoticeText) -> NoticeVersion:
        """The version for this text: the latest one if the text is unchanged, else a new one."""
        versions = self.versions()
        digest = text.content_hash()
        if versions and versions[-1].content_hash == digest:
            return versions[-1]
        new = NoticeVersion(len(versions) + 1, datetime.now(UTC).isoformat(timespec="seconds"), digest)
        self._settings.set(f"notice/v{new.number}", text.canonical())
        index = [
            *(self._settings.get(INDEX_KEY, [])),
            {"number": new.number, "effective": new.effective, "hash": digest},
        ]
        self._settings.set(INDEX_KEY, index)
        return new

    def text_of(self, number: int) -> NoticeText:
        return NoticeText.from_canonical(str(self._settings.get(f"notice/v{number}")))

    def changes(self, number: int) -> list[str]:
        """What changed from the previous version, as diff lines ('+ added', '- removed')."""
        if number <= 1:
            return ["First version."]
        before = self.text_of(number - 1).plain().splitlines()
        after = self.text_of(number).plain().splitlines()
        return [
            f"{line[0]} {line[1:]}"
            for line in unified_diff(before, after, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]

    def record_given(self, customer_id: str | None, version: NoticeVersion, staff: str, kind: str) -> None:
        """'Notice given': which version a customer (or the counter) was handed, when, by whom."""
        self._audit.record("notice_given", customer_id, {"version": version.ref, "staff": staff, "document": kind})
