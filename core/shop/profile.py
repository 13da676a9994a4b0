"""The shop profile the privacy notice is generated from: who the shop is and what it promises."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from core.errors import ValidationError
from core.shop.authorities import default_authority
from core.shop.basics import ShopBasics
from core.text.card_details import refuse_card_numbers

SETTINGS_KEY = "shop_profile"
PROFILE_PAGE = "shop_profile"
PURPOSES_PAGE = "catalogue_purposes"  # Settings → Consent purposes (ui/consent_purposes_page.py)


@dataclass(frozen=True)
class Partner:
    name: str
    receives: str  # what they get, in plain words ("name and e-mail")
    why: str  # what for ("to send our newsletter")


@dataclass(frozen=True)
class Missing:
    field: str
    page: str  # the Settings page that fixes it
    message: str


@dataclass(frozen=True)
class ShopProfile:
    legal_name: str = ""
    trading_name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    privacy_contact: str = ""  # a named person: customers should know who answers
    complaint_days: int = 14
    authority_name: str = ""
    authority_contact: str = ""
    partners: tuple[Partner, ...] = field(default_factory=tuple)
    sells_data: bool = False
    shares_for_advertising: bool = False
    policy_location: str = ""  # where the full policy can be read: a web address or "ask at the counter"
    # GDPR Art. 13(1)(f). Empty means nothing leaves the country (the EU/EEA for a shop there): the default, and
    # what a shop keeping its book on its own computer can truthfully say.
    transfers_abroad: str = ""  # who receives it and where, e.g. "our e-mail service Mailwave, in the USA"
    transfer_safeguard: str = ""  # e.g. "standard contractual clauses approved by the European Commission"
    paper_size: str = ""  # "a4" / "letter"; empty: from the country
    checkboxes_blank: bool = False  # print the consent boxes blank (to tick by hand) instead of current choices
    print_directly: bool = False

    @classmethod
    def defaults_for(cls, shop: ShopBasics) -> ShopProfile:
        authority = default_authority(shop.country)
        return cls(
            legal_name=shop.name,
            trading_name=shop.name,
            authority_name=authority.name if authority else "",
            authority_contact=authority.contact if authority else "",
            paper_size=shop.paper_size,
            policy_location="Ask at the counter for the full privacy policy.",
        )

    @classmethod
    def from_json(cls, raw: Any, shop: ShopBasics) -> ShopProfile:
        if not isinstance(raw, dict) or not raw:
            return cls.defaults_for(shop)
        partners = tuple(Partner(**p) for p in raw.get("partners", []) if isinstance(p, dict))
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__ and k != "partners"}
        return replace(cls(**known), partners=partners)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["partners"] = [asdict(p) for p in self.partners]
        return data

    @property
    def display_name(self) -> str:
        return self.trading_name or self.legal_name

    def validated(self) -> ShopProfile:
        # Printed on every notice and kept sealed in the book: no card details in any of it, like customer text.
        for name, value in self.to_json().items():
            if isinstance(value, str):
                refuse_card_numbers(name, value)
        for partner in self.partners:
            for text in (partner.name, partner.receives, partner.why):
                refuse_card_numbers("partners", text)
        if not 1 <= self.complaint_days <= 90:
            raise ValidationError("complaint_days", "Promise an answer to complaints within 1 to 90 days.")
        if self.email and "@" not in self.email:
            raise ValidationError("email", "That e-mail address is missing its @.")
        for partner in self.partners:
            if not (partner.name.strip() and partner.receives.strip() and partner.why.strip()):
                raise ValidationError("partners", "For each partner, say who they are, what they get and why.")
        if self.transfers_abroad.strip() and not self.transfer_safeguard.strip():
            raise ValidationError(
                "transfer_safeguard", "Say how the information sent abroad is protected (the safeguard)."
            )
        return self

    def missing_for_notice(self) -> list[Missing]:
        """What the notice cannot be printed without, each naming the Settings page that fixes it."""
        checks = [
            ("legal_name", self.legal_name, "the shop's legal name"),
            ("address", self.address, "the shop's address"),
            ("contact", self.phone or self.email, "a phone number or e-mail for the shop"),
            ("privacy_contact", self.privacy_contact, "the person who answers privacy questions and complaints"),
            ("authority_name", self.authority_name, "the data-protection authority customers can complain to"),
            ("policy_location", self.policy_location, "where customers can read the full privacy policy"),
        ]
        if self.transfers_abroad.strip():
            checks.append(
                ("transfer_safeguard", self.transfer_safeguard, "how the information sent abroad is protected")
            )
        return [
            Missing(name, PROFILE_PAGE, f"Add {what} in Settings → Shop profile.")
            for name, value, what in checks
            if not str(value).strip()
        ]
