"""Checks on what staff type at the counter; each failure names the field and says what to do."""

from __future__ import annotations

import unicodedata

from core.customers import phones
from core.errors import ValidationError
from core.text.card_details import find_card_number as find_card_number  # re-exported for callers of validation
from core.text.card_details import luhn_valid as luhn_valid
from core.text.card_details import refuse_card_numbers as refuse_card_numbers

MAX_NAME_LENGTH = 200
MAX_NOTES_LENGTH = 20_000
MAX_CONTACTS = 5
_ALLOWED_CONTROLS = {"\n", "\t"}


def _check_storable(field: str, text: str, allow_newlines: bool) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(field, "This text contains broken characters that cannot be stored. Retype it.") from exc
    for char in text:
        if unicodedata.category(char) == "Cc" and not (allow_newlines and char in _ALLOWED_CONTROLS):
            raise ValidationError(field, "This text contains invisible control characters. Retype it.")


def clean_name(raw: str) -> str:
    """The display name as typed (any script), trimmed; refuses empty, over-long or unstorable text."""
    name = raw.strip()
    if not name:
        raise ValidationError("name", "A name is needed: even a first name is enough.")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            "name", f"That name is {len(name):,} characters long; the most a name can have is {MAX_NAME_LENGTH}."
        )
    _check_storable("name", name, allow_newlines=False)
    refuse_card_numbers("name", name)
    return name


def clean_notes(raw: str) -> str:
    notes = raw.strip()
    if len(notes) > MAX_NOTES_LENGTH:
        raise ValidationError(
            "notes", f"Notes are {len(notes):,} characters long; keep them under {MAX_NOTES_LENGTH:,}."
        )
    _check_storable("notes", notes, allow_newlines=True)
    refuse_card_numbers("notes", notes)
    return notes


class InvalidPhone(ValidationError):
    """A phone phonenumbers does not accept. `keepable` when it is still plainly a phone number (digits and phone
    punctuation only): staff may then keep it as typed, after checking it with the customer."""

    def __init__(self, typed: str, message: str, keepable: bool) -> None:
        super().__init__("phone", message)
        self.typed = typed
        self.keepable = keepable


_PHONE_PUNCTUATION = frozenset(" +-().\u00a0/")
MIN_KEPT_DIGITS, MAX_KEPT_DIGITS = 3, 20
_REGION_NAMES = {"GB": "UK", "US": "US"}  # the rest by their ISO code: the shop's own country is the usual case


def looks_like_phone(text: str) -> bool:
    """Digits and phone punctuation only, with a phone's worth of digits: what may be kept as typed."""
    digits = sum(ch.isdigit() for ch in text)
    return MIN_KEPT_DIGITS <= digits <= MAX_KEPT_DIGITS and all(ch.isdigit() or ch in _PHONE_PUNCTUATION for ch in text)


def normalise_phone(raw: str, default_region: str) -> str:
    """Parse a phone number as typed and return it in E.164 (+15550134…), or raise InvalidPhone saying what is
    wrong (and whether it may be kept as typed)."""
    import phonenumbers

    text = raw.strip()
    _check_storable("phone", text, allow_newlines=False)
    refuse_card_numbers("phone", text)  # before parsing: the messages below repeat what was typed
    quoted, keepable = text[:40], looks_like_phone(text)
    keep = " Check it with the customer — or keep it as typed." if keepable else " Check it with the customer."
    try:
        number = phonenumbers.parse(text, default_region.upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(
            text,
            f"“{quoted}” is not a phone number. Type it with digits, e.g. +44 20 7946 0958."
            + (keep if keepable else ""),
            keepable,
        ) from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhone(text, f"“{quoted}” has the wrong number of digits for a phone number.{keep}", keepable)
    if not phonenumbers.is_valid_number(number):
        region = phonenumbers.region_code_for_number(number) or default_region.upper()
        where = _REGION_NAMES.get(region, region)
        foreign = " If it is a foreign number, add the country code (+…)." if not text.startswith("+") else ""
        raise InvalidPhone(text, f"“{quoted}” is not a valid {where} number.{foreign}{keep}", keepable)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def keep_phone_as_typed(raw: str, default_region: str) -> str:
    """The stored form of a phone staff chose to keep as typed: E.164 after all when it is valid, else the text
    behind `phones.TYPED_PREFIX`. Refuses card numbers and anything that is not plainly a phone number."""
    try:
        return normalise_phone(raw, default_region)
    except InvalidPhone as error:
        if not error.keepable:
            raise
    return phones.kept_as_typed(raw)


def normalise_email(raw: str) -> str:
    """Validate an e-mail address offline (syntax only: no network at the counter)."""
    from email_validator import EmailNotValidError, validate_email

    text = raw.strip()
    _check_storable("email", text, allow_newlines=False)
    refuse_card_numbers("email", text)  # before parsing: the messages below repeat what was typed
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError("email", f"“{text[:60]}” is not an e-mail address: {exc}") from exc
    return str(result.normalized)
