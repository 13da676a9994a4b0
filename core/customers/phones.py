"""Phone numbers as people say them: the forms the search index holds, queries in dialling form, and display.

A stored phone is either E.164 (`+447911123456`) or, when staff chose to keep a number phonenumbers calls
invalid, the text as typed behind `TYPED_PREFIX` (`typed:0791 12345`). Nothing here calls `phonenumbers.parse`
on the index's path: at 100,000 customers that alone would add seconds to unlock. The national forms are cut
from the E.164 digits with string work and a small cache of each country calling code's trunk prefix.
"""

from __future__ import annotations

import re
from functools import cache

# Marks a number kept as typed. E.164 always starts with "+", so the two can never be confused, and a value
# that leaks into a file still says what it is.
TYPED_PREFIX = "typed:"
_NON_DIGITS = re.compile(r"\D")
_MAX_COUNTRY_CODE_LENGTH = 3
# Country calling code (digits) → the trunk prefix dialled before a national number in its main region ("0" for
# the UK, "8" for Russia, "" where there is none, as in Italy). Filled on first use: ~250 entries at most.
_TRUNK: dict[str, str] = {}
_NOT_A_CODE: set[str] = set()


def is_typed(stored: str) -> bool:
    """True for a number kept as typed, False for E.164."""
    return stored.startswith(TYPED_PREFIX)


def as_typed(stored: str) -> str:
    """What staff typed for a kept number; an E.164 number unchanged."""
    return stored[len(TYPED_PREFIX) :] if stored.startswith(TYPED_PREFIX) else stored


def kept_as_typed(typed: str) -> str:
    """The stored form of a number kept as typed."""
    return TYPED_PREFIX + typed.strip()


def phone_key(stored: str) -> str:
    """The duplicate-check key: E.164 itself, or a kept number's digits (so `0791 12345` and `079112345` meet)."""
    if stored.startswith(TYPED_PREFIX):
        return TYPED_PREFIX + _NON_DIGITS.sub("", stored[len(TYPED_PREFIX) :])
    return stored


def _trunk_of(code: str) -> str:
    """The trunk prefix of calling code `code` ("44" → "0"), looked up in phonenumbers' metadata once."""
    import phonenumbers
    from phonenumbers import PhoneMetadata

    region = phonenumbers.region_code_for_country_code(int(code))
    if region == phonenumbers.UNKNOWN_REGION:
        return ""
    if region == "001":  # non-geographic (+800, +882…): no national form
        return ""
    metadata = PhoneMetadata.metadata_for_region(region)
    prefix = (metadata.national_prefix or "") if metadata is not None else ""
    return prefix if prefix.isdigit() else ""


def _split(digits: str) -> tuple[str, str] | None:
    """(country calling code, national significant number) of E.164 digits, or None when no code fits.
    Calling codes are prefix-free, so the first length that is a code is the code."""
    for length in range(1, _MAX_COUNTRY_CODE_LENGTH + 1):
        code = digits[:length]
        if code in _TRUNK:
            return code, digits[length:]
        if code in _NOT_A_CODE:
            continue
        import phonenumbers

        if int(code) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            _TRUNK[code] = _trunk_of(code)
            return code, digits[length:]
        _NOT_A_CODE.add(code)
    return None


def national_form(digits: str) -> str:
    """The national number with its trunk prefix ("447911123456" → "07911123456"), or "" when that adds nothing
    to the E.164 digits (no trunk prefix, as in Italy, whose leading 0 is already in the number; or a trunk
    prefix equal to the calling code, as "1" in the US)."""
    split = _split(digits)
    if split is None:
        return ""
    code, national = split
    trunk = _TRUNK[code]
    return "" if not trunk or trunk == code else trunk + national


# "+447" (a plus and the first three digits, which always hold the whole calling code) → (trunk prefix or "",
# where the national number starts). The index's hot path: one slice and one look-up per phone.
_BY_START: dict[str, tuple[str, int]] = {}


def index_digits(stored: str) -> str:
    """What the search index holds for one phone: the E.164 digits (which contain the national significant
    number) and, space-separated, the national form with trunk prefix; a kept number's typed digits."""
    found = _BY_START.get(stored[:4])
    if found is None:
        if not (stored[:1] == "+" and stored[1:].isdigit() and len(stored) > 4):
            return _NON_DIGITS.sub("", as_typed(stored))
        split = _split(stored[1:])
        trunk = "" if split is None or not national_form(stored[1:]) else _TRUNK[split[0]]
        found = _BY_START[stored[:4]] = (trunk, 1 + len(split[0]) if split else 1)
    trunk, cut = found
    return f"{stored[1:]} {trunk}{stored[cut:]}" if trunk else stored[1:]


@cache
def _international_prefix(region: str) -> re.Pattern[str] | None:
    """The shop's region's international dialling prefix ("00" in the UK, "011" in the US) as a pattern."""
    from phonenumbers import PhoneMetadata

    metadata = PhoneMetadata.metadata_for_region(region.upper()) if region else None
    pattern = metadata.international_prefix if metadata is not None else None
    return re.compile(f"(?:{pattern})") if pattern else None


def strip_dialling_prefix(digits: str, region: str) -> str:
    """A digit query typed the way it is dialled abroad from the shop (`0044 7911…` in the UK, `011 44…` in the
    US) without that prefix, so it meets the E.164 digits; other queries unchanged."""
    pattern = _international_prefix(region)
    match = pattern.match(digits) if pattern is not None else None
    if match is None or match.end() >= len(digits):  # "00" alone may still be the start of a national number
        return digits
    return digits[match.end() :]


def _country_code(region: str) -> int:
    import phonenumbers

    return int(phonenumbers.country_code_for_region(region.upper())) if region else 0


def display_phone(stored: str, shop_region: str) -> str:
    """A stored phone as staff read it: national format for numbers of the shop's own country (`07911 123456`),
    international for others (`+33 6 12 34 56 78`), a kept number exactly as typed."""
    if stored.startswith(TYPED_PREFIX):
        return as_typed(stored)
    import phonenumbers

    try:
        number = phonenumbers.parse(stored)
    except phonenumbers.NumberParseException:
        return stored
    own = shop_region and number.country_code == _country_code(shop_region)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if own else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def display_free_text(text: str, shop_region: str) -> str:
    """A phone typed as free text (the shop's own, on the notice) in the same style, or as typed when it does not
    parse as a valid number."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, shop_region.upper() or None)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    return display_phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), shop_region)
