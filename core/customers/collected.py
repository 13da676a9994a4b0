"""Which ways to reach a customer the shop collects, and the save rule that follows: the app promises only what
it keeps. The printed notice lists the fields switched on in the catalogue, so a phone or e-mail typed into a
field the owner switched off would be data the notice never mentions. Values a customer already has (from
before the owner switched the field off) may still be corrected or removed, never added to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.catalogue.model import Catalogue
from core.errors import ValidationError

PHONE, EMAIL = "phone", "email"
CONTACT_KEYS = (PHONE, EMAIL)
# How each is named in a sentence; the catalogue's label ("Mobile phone") is what Settings shows.
_PLURAL = {PHONE: "phone numbers", EMAIL: "e-mail addresses"}
_ONE = {PHONE: "a phone number", EMAIL: "an e-mail address"}
_SEARCHED = {PHONE: "phone", EMAIL: "e-mail"}


@dataclass(frozen=True)
class CollectedContacts:
    """The contact fields switched on, and each one's label as Settings → Fields we collect shows it."""

    keys: frozenset[str]
    labels: tuple[tuple[str, str], ...] = ((PHONE, "Mobile phone"), (EMAIL, "E-mail"))

    def __contains__(self, key: object) -> bool:
        return key in self.keys

    def label(self, key: str) -> str:
        return dict(self.labels).get(key, key)

    def start_line(self) -> str:
        """The new customer's opening line, naming only what is asked."""
        asked = [_ONE[key] for key in CONTACT_KEYS if key in self.keys]
        if len(asked) == len(CONTACT_KEYS):
            return "Start with a name and one way to reach them. Ask more at later visits."
        if asked:
            return f"Start with a name and {asked[0]}. Ask more at later visits."
        return "Start with a name. Ask more at later visits."

    def search_words(self) -> str:
        """What the search box promises to find: the name, and each contact the shop collects."""
        words = ["name", *(_SEARCHED[key] for key in CONTACT_KEYS if key in self.keys)]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


ALL_CONTACTS = CollectedContacts(frozenset(CONTACT_KEYS))


def collected_contacts(catalogue: Catalogue) -> CollectedContacts:
    """The contact fields `catalogue` switches on. A catalogue without such a field does not collect it."""
    present = {spec.key: spec for spec in catalogue.fields if spec.key in CONTACT_KEYS}
    return CollectedContacts(
        frozenset(key for key, spec in present.items() if spec.enabled),
        tuple((key, spec.label) for key, spec in present.items()),
    )


def refuse_uncollected(
    collected: CollectedContacts,
    phones: Sequence[str],
    emails: Sequence[str],
    had_phones: Sequence[str] = (),
    had_emails: Sequence[str] = (),
) -> None:
    """Raise ValidationError beside the field when a save would add a phone or e-mail the shop does not collect.

    All values are the stored forms (E.164, `typed:`…, normalised e-mails), so an unchanged value matches itself.
    A value that is not one the customer had counts as new unless it takes the place of one that went: a
    correction replaces, a removal drops, and neither adds anything the notice does not cover."""
    for key, now, before in ((PHONE, phones, had_phones), (EMAIL, emails, had_emails)):
        if key in collected:
            continue
        added = [value for value in now if value not in before]
        removed = [value for value in before if value not in now]
        if len(added) > len(removed):
            raise ValidationError(key, _refusal(collected, key, bool(before)))


def _refusal(collected: CollectedContacts, key: str, had_some: bool) -> str:
    switch_on = f"switch “{collected.label(key)}” on in Settings → Fields we collect (the notice will then say so)."
    if had_some:
        return (
            f"This shop does not collect {_PLURAL[key]} any more: the one on file can be corrected or removed, "
            f"but not added to. To collect them again, {switch_on}"
        )
    return f"This shop does not collect {_PLURAL[key]}. To start, {switch_on}"
