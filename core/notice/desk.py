"""Everything the window needs for notices: the profile, the current version, the PDFs, 'notice given'."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from core.catalogue.store import CatalogueStore
from core.customers.store import Customer
from core.notice.pdf import PersonalDetails, render_counter_sign, render_full_policy, render_personal_notice
from core.notice.text import NoticeText, build_notice, contradictions
from core.notice.versions import NoticeVersion, NoticeVersionStore
from core.pdf import PaperSize
from core.shop.basics import ShopBasics
from core.shop.profile import SETTINGS_KEY, Missing, ShopProfile
from core.storage.settings_store import SettingsStore


class NoticeNotReady(Exception):
    """Something the notice must say is missing from the shop profile."""

    def __init__(self, missing: list[Missing]) -> None:
        super().__init__("The privacy notice cannot be printed yet: " + " ".join(m.message for m in missing))
        self.missing = missing


class NoticeDesk:
    def __init__(
        self,
        settings: SettingsStore,
        catalogue: CatalogueStore,
        versions: NoticeVersionStore,
        shop: Callable[[], ShopBasics],
    ) -> None:
        self._settings = settings
        self._catalogue = catalogue
        self.versions = versions
        self._shop = shop

    def profile(self) -> ShopProfile:
        return ShopProfile.from_json(self._settings.get(SETTINGS_KEY, {}), self._shop())

    def save_profile(self, profile: ShopProfile) -> None:
        self._settings.set(SETTINGS_KEY, profile.validated().to_json())

    def current(self) -> tuple[NoticeText, NoticeVersion]:
        """The notice as the catalogue and profile say today, versioned (a change makes a new version)."""
        text = build_notice(self._catalogue.current(), self.profile(), self._shop().country)
        return text, self.versions.ensure_current(text)

    def missing(self) -> list[Missing]:
        """What stops the notice printing: items the profile lacks, and settings that contradict each other."""
        profile = self.profile()
        return profile.missing_for_notice() + contradictions(self._catalogue.current(), profile)

    def _ready(self) -> ShopProfile:
        profile = self.profile()
        missing = self.missing()
        if missing:
            raise NoticeNotReady(missing)
        return profile

    def _paper(self, profile: ShopProfile) -> PaperSize:
        return PaperSize(profile.paper_size or self._shop().paper_size)

    def personal_pdf(
        self, customer: Customer | None, granted: frozenset[str], child: bool, blank_choices: bool,
        categories_held: tuple[str, ...] = (), today: datetime.date | None = None,
    ) -> tuple[bytes, NoticeVersion]:  # fmt: skip
        profile = self._ready()
        text, version = self.current()
        person = PersonalDetails(customer.name, categories_held, granted, child) if customer else None
        pdf = render_personal_notice(
            text, version, profile.display_name, self._catalogue.current().enabled_purposes(), person,
            blank_choices=blank_choices, today=today or datetime.date.today(), paper=self._paper(profile),
        )  # fmt: skip
        return pdf, version

    def counter_sign_pdf(self) -> tuple[bytes, NoticeVersion]:
        profile = self._ready()
        text, version = self.current()
        return render_counter_sign(text, version, profile.display_name, paper=self._paper(profile)), version

    def policy_pdf(self) -> tuple[bytes, NoticeVersion]:
        profile = self._ready()
        text, version = self.current()
        return render_full_policy(text, version, profile.display_name, paper=self._paper(profile)), version
