"""Country choices for the shop, named in the person's language by Qt, keyed by ISO code."""

from __future__ import annotations

import phonenumbers
from PySide6.QtCore import QLocale


def country_name(code: str) -> str:
    territory = QLocale.codeToTerritory(code)
    name = QLocale.territoryToString(territory) if territory != QLocale.Country.AnyTerritory else ""
    return name or code


def country_choices() -> list[tuple[str, str]]:
    """(display name, ISO code) for every region phone numbers know, sorted by name."""
    choices = [(country_name(code), code) for code in phonenumbers.SUPPORTED_REGIONS if code != "001"]
    return sorted(choices, key=lambda item: item[0].casefold())


def default_country() -> str:
    code = QLocale.territoryToCode(QLocale.system().territory())
    return code if code in phonenumbers.SUPPORTED_REGIONS else "GB"
