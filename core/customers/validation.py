"""Checks on what staff type at the counter; each failure names the field and says what to do."""

from __future__ import annotations

import unicodedata

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


def normalise_phone(raw: str, default_region: str) -> str:
    """Parse a phone number as typed and return it in E.164 (+15550134…), or explain what is wrong."""
    import phonenumbers

    text = raw.strip()
    _check_storable("phone", text, allow_newlines=False)
    refuse_card_numbers("phone", text)  # before parsing: the messages below repeat what was typed
    try:
        number = phonenumbers.parse(text, default_region.upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "phone", f"“{text[:40]}” is not a phone number. Type it with digits, e.g. +44 20 7946 0958."
        ) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(
            "phone", f"“{text[:40]}” has the wrong number of digits for a phone number. Check it with the customer."
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "phone",
            f"“{text[:40]}” is not a valid number in {phonenumbers.region_code_for_number(number) or default_region}. "
            "Add the country code (+…) if it is a foreign number.",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """A stored E.164 number in the friendly international format for display."""
    import phonenumbers

    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


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
