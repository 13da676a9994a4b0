"""The privacy notice's words, generated from the catalogue and the shop profile (so it cannot drift).

Covers the five promises (what, what for, to whom / sold, the choice per use, complaints with a named
contact and a deadline), every GDPR Art. 13 item and the California notice-at-collection items listed in
PRIVACY.md. Only switched-on fields and purposes appear; special-category and high-risk fields are
called out. The text is plain data (sections of paragraphs and bullets) so it can be hashed, versioned,
compared and typeset.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from core.catalogue import Catalogue, ConsentPurpose, FieldSpec, Sensitivity
from core.customers.phones import display_free_text
from core.shop.authorities import transfer_area
from core.shop.profile import PROFILE_PAGE, PURPOSES_PAGE, Missing, ShopProfile

RIGHTS = (
    "see the information we hold about you and get a copy (access);",
    "have it corrected (rectification);",
    "have it deleted (erasure);",
    "ask us to pause using it (restriction);",
    "object to how we use it, and to marketing at any time (objection);",
    "take it with you in a common format (portability).",
)


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    # A table (what / why / kept / if you say no) that the short notice prints compactly.
    rows: tuple[tuple[str, str, str, str], ...] = ()


@dataclass(frozen=True)
class NoticeText:
    title: str
    sections: tuple[Section, ...]

    def canonical(self) -> str:
        """The exact content as JSON: what the hash and the stored version are made of."""
        sections = [[s.heading, list(s.paragraphs), list(s.bullets), [list(r) for r in s.rows]] for s in self.sections]
        body = {"title": self.title, "sections": sections}
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    def content_hash(self) -> str:
        return "sha256:" + hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()

    def plain(self) -> str:
        lines = [self.title, ""]
        for section in self.sections:
            lines += [section.heading, *section.paragraphs, *(f"• {b}" for b in section.bullets), ""]
        return "\n".join(lines)

    @classmethod
    def from_canonical(cls, text: str) -> NoticeText:
        raw = json.loads(text)
        return cls(
            raw["title"],
            tuple(Section(h, tuple(p), tuple(b), tuple(tuple(r) for r in rows)) for h, p, b, rows in raw["sections"]),
        )


def _sensitive_note(spec: FieldSpec) -> str:
    if spec.sensitivity is Sensitivity.SPECIAL_CATEGORY:
        return " Sensitive (special category): only with your explicit written consent."
    if spec.sensitivity is Sensitivity.HIGH_RISK:
        return " Sensitive identifier: kept encrypted, shown on screen only when needed."
    return ""


def _field_line(spec: FieldSpec, sold_or_shared: bool) -> str:
    required = "Required." if spec.required else "Optional."
    sale = (
        " Sold or shared for advertising."
        if sold_or_shared and spec.sensitivity is not Sensitivity.SPECIAL_CATEGORY
        else ""
    )
    return (
        f"{spec.label} ({spec.category}): {spec.purpose} Legal basis: {spec.legal_basis_text} "
        f"Kept: {spec.retention}. {required} If you say no: {spec.if_declined}{sale}{_sensitive_note(spec)}"
    )


_BASIS = {
    "consent": "your consent",
    "contract": "to fulfil your order",
    "legitimate_interests": "our legitimate interest",
    "legal_obligation": "the law requires it",
}


def _field_row(spec: FieldSpec, sold_or_shared: bool) -> tuple[str, str, str, str]:
    basis = _BASIS.get(spec.legal_basis, spec.legal_basis)
    what = f"{spec.label} — {'required' if spec.required else 'optional'}; basis: {basis}"
    sold = sold_or_shared and spec.sensitivity is not Sensitivity.SPECIAL_CATEGORY
    why = spec.purpose + _sensitive_note(spec) + (" Sold or shared for advertising." if sold else "")
    return what, why, spec.retention, spec.if_declined


@dataclass(frozen=True)
class Disclosures:
    """Whether data is sold or shared, decided once from the profile *and* the switched-on purposes.

    Every sentence about selling or sharing is written from this, so the notice cannot say "we do not sell"
    above a "Sale of your details" box.
    """

    sale_purpose: ConsentPurpose | None  # switched on in Consent purposes
    sharing_purpose: ConsentPurpose | None
    sells: bool  # the profile's tick box or a switched-on sale purpose: either means the notice must say so
    shares_for_advertising: bool

    @classmethod
    def of(cls, catalogue: Catalogue, profile: ShopProfile) -> Disclosures:
        enabled = catalogue.enabled_purposes()
        sale = next((p for p in enabled if p.kind == "sale"), None)
        sharing = next((p for p in enabled if p.kind == "sharing"), None)
        return cls(sale, sharing, profile.sells_data or sale is not None, profile.shares_for_advertising)

    @property
    def sold_or_shared(self) -> bool:
        return self.sells or self.shares_for_advertising or self.sharing_purpose is not None


def _purpose_label(catalogue: Catalogue, kind: str, fallback: str) -> str:
    return next((p.label for p in catalogue.purposes if p.kind == kind), fallback)


def contradictions(catalogue: Catalogue, profile: ShopProfile) -> list[Missing]:
    """Where the shop profile and the consent purposes disagree, so the notice would say two opposite things.

    We cannot tell which of the two answers is the true one, so the owner decides: each message names both
    settings and opens the page where the quicker fix is.
    """
    facts = Disclosures.of(catalogue, profile)
    found = []
    sale_label = _purpose_label(catalogue, "sale", "Sale of your details")
    if facts.sale_purpose and not profile.sells_data:
        found.append(
            Missing(
                "sells_data",
                PROFILE_PAGE,
                f"The consent purpose “{sale_label}” is switched on, but the shop profile says you do not sell "
                "customer information. Tick “We sell customer information” in Settings → Shop profile, or switch "
                "the purpose off in Settings → Consent purposes.",
            )
        )
    if profile.sells_data and not facts.sale_purpose:
        found.append(
            Missing(
                "sale_of_data",
                PURPOSES_PAGE,
                "The shop profile says you sell customer information, but the consent purpose "
                f"“{sale_label}” is switched off, so customers could not refuse it on the notice. Switch it on "
                "in Settings → Consent purposes, or untick “We sell customer information” in Settings → Shop "
                "profile.",
            )
        )
    if facts.sharing_purpose and not profile.partners:
        found.append(
            Missing(
                "partners",
                PROFILE_PAGE,
                f"The consent purpose “{facts.sharing_purpose.label}” is switched on, but no partners are named. "
                "Name each partner (who, what they receive, why) in Settings → Shop profile, or switch the purpose "
                "off in Settings → Consent purposes.",
            )
        )
    return found


def _sale_sentence(facts: Disclosures, contact: str) -> str:
    refuse = (f"You can refuse at any time: say “Do Not Sell or Share My Personal Information” at the counter or "
              f"to {contact}, and we will stop.")  # fmt: skip
    said = []
    if facts.sale_purpose:
        said.append(f"We sell customer details to other businesses only if you say yes to "
                    f"“{facts.sale_purpose.label}”.")  # fmt: skip
    elif facts.sells:
        said.append("We sell some customer information.")
    if facts.sharing_purpose:
        said.append(f"We give your name and contact details to our partners for their own offers only if you say "
                    f"yes to “{facts.sharing_purpose.label}”.")  # fmt: skip
    if facts.shares_for_advertising:
        said.append("We share some customer information for advertising.")
    if not said:
        return "We do not sell your information, and we do not share it for advertising."
    if not facts.sells:
        said.insert(0, "We do not sell your information.")
    return " ".join([*said, refuse])


def _transfer_sentence(profile: ShopProfile, country: str) -> str:
    area = transfer_area(country)
    kept = "Your information is kept encrypted on the shop's own computer and encrypted backups. "
    if not profile.transfers_abroad.strip():
        return kept + f"It is not transferred outside {area}."
    safeguard = profile.transfer_safeguard.strip().rstrip(".")
    return kept + (f"Some of it is transferred outside {area}: {profile.transfers_abroad.strip().rstrip('.')}. "
                   f"How it is protected there: {safeguard}.")  # fmt: skip


def build_notice(catalogue: Catalogue, profile: ShopProfile, country: str = "") -> NoticeText:
    """The notice's words. `country` (ISO code) only decides whether "abroad" means outside the EU/EEA."""
    shop = profile.display_name
    fields = catalogue.enabled_fields()
    purposes = catalogue.enabled_purposes()
    facts = Disclosures.of(catalogue, profile)
    selling = facts.sold_or_shared
    contact = " · ".join(x for x in (display_free_text(profile.phone, country), profile.email) if x)
    who = Section(
        "Who we are",
        (
            f"{profile.legal_name}"
            + (
                f", trading as {profile.trading_name}"
                if profile.trading_name and profile.trading_name != profile.legal_name
                else ""
            )
            + (f", {profile.address}" if profile.address else "")
            + (f". Contact: {contact}." if contact else "."),
            f"Your contact for anything about your information: {profile.privacy_contact or '(not named yet)'}.",
        ),
    )
    categories = sorted({f.category for f in fields})
    sensitive = sorted({f.category for f in fields if f.sensitivity is not Sensitivity.ORDINARY})
    collect = Section(
        "What we collect, why, and for how long",
        (
            "Categories: "
            + ", ".join(categories)
            + "."
            + (
                f" Sensitive categories: {', '.join(sensitive)}."
                if sensitive
                else " We collect no sensitive categories."
            ),
        ),
        tuple(_field_line(f, selling) for f in fields),
        tuple(_field_row(f, selling) for f in fields),
    )
    recipients = sorted({r for f in fields for r in f.recipients if r})
    sharing_lines = [f"{p.name} receives {p.receives}, {p.why}." for p in profile.partners]
    sharing_lines += [f"{r}." for r in recipients]
    if sharing_lines:
        receivers = "Outside the shop, only the following receive your information. " + " ".join(sharing_lines)
    else:
        receivers = "Nobody outside the shop receives your information."
    share = Section(
        "Who receives it",
        (receivers, _sale_sentence(facts, profile.privacy_contact or "us"), _transfer_sentence(profile, country)),
    )
    choice_lines = tuple(f"{p.label}: {p.description}" for p in purposes)
    choices = Section(
        "Your choices",
        (
            "Each of these is a separate yes or no, unticked until you say yes. Saying no changes nothing "
            "else, and you can withdraw any of them at any time, as easily as you gave it: tell us at the "
            "counter, by phone or by e-mail.",
        ),
        choice_lines or ("We ask for no optional consents.",),
    )
    profiling = any(p.kind == "profiling" for p in purposes)
    automated = Section(
        "Automated decisions",
        (
            ("With your consent we suggest offers from what you buy (profiling). " if profiling else "")
            + "We never make decisions about you by automated means alone.",
        ),
    )
    rights = Section(
        "Your rights",
        (
            "You have the right to " + " ".join(RIGHTS).replace(";", ",").rstrip(".")
            + ", and to withdraw consent at any time without affecting what was done before.",
        ),
    )  # fmt: skip
    complaints = Section(
        "Questions and complaints",
        (
            # "at", not brackets: a US number in national format brings its own, "((202) 555-0143 · …)".
            f"Tell {profile.privacy_contact or 'us'}" + (f" at {contact.replace(' · ', ' or ')}" if contact else "")
            + f". We will answer within {profile.complaint_days} days.",
            f"You may also complain to {_the(profile.authority_name or 'data-protection authority')}"
            + (f" at {profile.authority_contact}" if profile.authority_contact else "") + ".",
        ),
    )  # fmt: skip
    more = Section("Full privacy policy", (profile.policy_location or "Ask at the counter.",))
    return NoticeText(
        f"How {shop} uses your information",
        (who, collect, share, choices, automated, rights, complaints, more),
    )


def _the(name: str) -> str:
    """'the Information Commissioner's Office': authorities are named with the article in running text."""
    return name if name.lower().startswith("the ") else f"the {name}"
