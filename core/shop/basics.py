"""The shop's basic identity chosen at setup: name and country (phone region, paper size)."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import ValidationError
from core.text.card_details import refuse_card_numbers

# Countries that print on US Letter; everyone else uses A4.
LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "PR", "DO", "CR", "PA", "SV", "NI", "BO"})


@dataclass(frozen=True)
class ShopBasics:
    name: str
    country: str  # ISO 3166-1 alpha-2, also the default phone region

    @property
    def phone_region(self) -> str:
        return self.country

    @property
    def paper_size(self) -> str:
        return "letter" if self.country in LETTER_COUNTRIES else "a4"

    def validated(self) -> ShopBasics:
        import phonenumbers

        name = self.name.strip()
        if not name:
            raise ValidationError("shop_name", "Type the shop's name as customers know it.")
        if len(name) > 120:
            raise ValidationError("shop_name", "Keep the shop's name under 120 characters.")
        refuse_card_numbers("shop_name", name)
        country = self.country.strip().upper()
        if country not in phonenumbers.SUPPORTED_REGIONS:
            raise ValidationError("country", "Choose the country the shop is in.")
        return ShopBasics(name, country)

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "country": self.country}

    @classmethod
    def from_json(cls, raw: dict[str, str]) -> ShopBasics:
        return cls(name=str(raw.get("name", "")), country=str(raw.get("country", "GB")))
