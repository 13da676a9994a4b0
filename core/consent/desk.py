"""The counter's rules for consent, questions and visits, over the ledger, answers and catalogue.

Everything the customer pane does goes through here, so the rules (children need a guardian, health
notes need explicit consent, withdrawn purposes flag their data) live in one place without Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.catalogue import Catalogue, FieldSpec, Sensitivity
from core.catalogue.store import CatalogueStore
from core.consent.checkpoint import load_granted
from core.consent.ledger import MAX_EVIDENCE_BYTES, ConsentEvent, ConsentLedger, ConsentMethod
from core.customers.answers import KnownAnswer, known_answers
from core.customers.profiling import (
    Answer,
    AnswerStatus,
    ProfileSettings,
    ProfileStore,
    asked_on,
    clean_answer,
    fields_to_review,
    is_child,
    local_date,
    next_questions,
    snooze_until,
)
from core.customers.validation import MAX_NAME_LENGTH, MAX_NOTES_LENGTH, clean_name, clean_notes
from core.customers.visits import Visit, VisitKind, VisitStore
from core.errors import ValidationError
from core.storage.audit import AuditLog
from core.storage.settings_store import SettingsStore

# How special-category (health) consent may be recorded: written, so it is explicit and can be shown later.
EXPLICIT_METHODS = frozenset({ConsentMethod.SIGNED_PAPER, ConsentMethod.WRITTEN})

SETTINGS_KEY = "profiling"
# The channels the customer list answers "may we e-mail / text / call?" for, in the order shown.
CONTACT_CHANNELS = ("email", "sms", "phone")
_EVIDENCE_MEDIA = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
_UNKNOWN_MEDIA = "application/octet-stream"


def _checked(field: str, raw: str, what: str, *, multiline: bool = False) -> str:
    """`raw` cleaned by the customer name/notes rules, the error re-addressed to `field` so the UI shows it
    beside the right box. The ledger is append-only: whatever passes here stays forever."""
    clean, limit = (clean_notes, MAX_NOTES_LENGTH) if multiline else (clean_name, MAX_NAME_LENGTH)
    try:
        return clean(raw)
    except ValidationError as error:
        length = len(raw.strip())
        if length > limit:
            message = f"{what} is {length:,} characters long; the most it can have is {limit:,}."
        else:
            message = f"{what}: {error.message[0].lower()}{error.message[1:]}"
        raise ValidationError(field, message) from error


def marketing_channels(catalogue: Catalogue) -> dict[str, str]:
    """Purpose key → contact channel, for the marketing purposes the customer list shows (enabled or not:
    consent given before the owner switched a purpose off still stands until withdrawn)."""
    return {p.key: p.channel for p in catalogue.purposes if p.kind == "marketing" and p.channel in CONTACT_CHANNELS}


@dataclass(frozen=True)
class CustomerConsentView:
    """What the pane shows about one customer's consent and questions."""

    granted: frozenset[str]
    child: bool
    questions: list[FieldSpec]  # empty for a first-time customer: see ConsentDesk.view
    to_review: list[FieldSpec]
    returning: bool
    asked_today: int = 0  # questions already put to them today ("Asked today: 1 of 1")
    per_visit: int = 1  # the owner's setting: questions per visit


class ConsentDesk:
    def __init__(
        self,
        ledger: ConsentLedger,
        profile: ProfileStore,
        visits: VisitStore,
        catalogue: CatalogueStore,
        settings: SettingsStore,
        staff: Callable[[], str],
        notice_ref: Callable[[], str],
        country: Callable[[], str] = lambda: "",
        audit: AuditLog | None = None,
    ) -> None:
        self.ledger = ledger
        self.profile = profile
        self.visits = visits
        self._catalogue = catalogue
        self._settings = settings
        self._staff = staff
        self._notice_ref = notice_ref
        self._country = country  # the shop's, for the order a typed date is read in
        self._audit = audit
        self.granted_by_customer: dict[str, frozenset[str]] = {}

    def load(self) -> None:
        """Build the in-memory consent map used by the list's indicators and exports (at unlock)."""
        self.granted_by_customer = load_granted(self.ledger, self._settings)

    def clear(self) -> None:
        """Forget the consent map and zero the ledger's MAC key (lock)."""
        self.granted_by_customer = {}
        self.ledger.forget_key()

    # --- settings ----------------------------------------------------------------------------------------

    def settings(self) -> ProfileSettings:
        return ProfileSettings.from_json(self._settings.get(SETTINGS_KEY, {}))

    def save_settings(self, settings: ProfileSettings) -> None:
        self._settings.set(SETTINGS_KEY, settings.validated().to_json())

    def catalogue(self) -> Catalogue:
        return self._catalogue.current()

    # --- reading -----------------------------------------------------------------------------------------

    def granted(self, customer_id: str) -> frozenset[str]:
        return self.granted_by_customer.get(customer_id, frozenset())

    def view(self, customer_id: str, now: datetime | None = None, created_at: str | None = None) -> CustomerConsentView:
        """What the pane shows. A customer is returning once a visit is recorded or when they were entered on an
        earlier day (`created_at`): a customer entered last week and opened today is asked at once, not only
        after F2."""
        catalogue = self.catalogue()
        settings = self.settings()
        history = self.profile.history(customer_id)
        answers = {answer.field_key: answer for answer in history}
        granted = self.ledger.granted_purposes(customer_id)
        self.granted_by_customer[customer_id] = granted
        now = now or datetime.now(UTC)
        today = now.astimezone().date()
        earlier_day = created_at is not None and local_date(created_at) < today
        returning = earlier_day or self.visits.count(customer_id) >= 1
        asked = asked_on(history, today)
        return CustomerConsentView(
            granted=granted,
            child=is_child(answers, settings.child_age_threshold),
            # Questions wait for a returning customer: the first visit is for name and one contact only.
            questions=next_questions(catalogue, answers, granted, settings, now, asked) if returning else [],
            to_review=fields_to_review(catalogue, answers, granted),
            returning=returning,
            asked_today=len(asked),
            per_visit=settings.questions_per_visit,
        )

    def known(self, customer_id: str) -> list[KnownAnswer]:
        """The customer page's "What we know": every recorded answer with its visit and what it replaced."""
        granted = self.ledger.granted_purposes(customer_id)
        return known_answers(
            self.catalogue(), self.profile.history(customer_id), self.visits.for_customer(customer_id), granted
        )

    def marketing_channels(self) -> dict[str, str]:
        return marketing_channels(self.catalogue())

    def answers(self, customer_id: str) -> dict[str, Answer]:
        return self.profile.answers(customer_id)

    # --- writing -----------------------------------------------------------------------------------------

    def record_visit(self, customer_id: str, kind: VisitKind, note: str = "", at: str | None = None) -> Visit:
        """`at` (UTC ISO time) only for history written after the fact (the demo shop); the counter uses now."""
        return self.visits.record(customer_id, kind, note, at)

    def _last_visit_id(self, customer_id: str) -> str | None:
        """Today's visit, if F2 was pressed already: an answer given before it is matched by its day when shown."""
        visits = self.visits.for_customer(customer_id)
        today = datetime.now(UTC).astimezone().date()
        return visits[-1].id if visits and local_date(visits[-1].at) == today else None

    def answer(self, customer_id: str, field_key: str, value: str, at: str | None = None) -> Answer:
        spec = self.catalogue().field(field_key)
        if spec.sensitivity is Sensitivity.SPECIAL_CATEGORY:
            needed = spec.depends_on or ""
            if needed not in self.ledger.granted_purposes(customer_id):
                raise ValidationError(
                    field_key,
                    f"{spec.label} is special-category data: record the customer's explicit consent first.",
                )
        cleaned = clean_answer(spec, value, self._country())
        visit = self._last_visit_id(customer_id) if at is None else None  # given then: matched by its day
        return self.profile.record(customer_id, field_key, AnswerStatus.ANSWERED, cleaned, visit, at=at)

    def correct_answer(self, customer_id: str, field_key: str, value: str) -> Answer:
        """A corrected value, from the customer page: appended after the one it replaces (which stays in the
        history), checked like an answer, and recorded in the audit log (the field name sealed)."""
        current = self.profile.answers(customer_id).get(field_key)
        if current is None:
            raise ValidationError(field_key, "There is no answer to correct any more; it may have been removed.")
        spec = self.catalogue().field(field_key)
        if spec.sensitivity is Sensitivity.SPECIAL_CATEGORY and (spec.depends_on or "") not in (
            self.ledger.granted_purposes(customer_id)
        ):
            raise ValidationError(field_key, f"{spec.label} needs the customer's explicit consent: remove it instead.")
        cleaned = clean_answer(spec, value, self._country())
        answer = self.profile.record(
            customer_id, field_key, AnswerStatus.ANSWERED, cleaned, current.visit_id, corrects=current.id
        )
        if self._audit is not None:
            self._audit.record("answer_corrected", customer_id, {"field": field_key, "by": self._staff()})
        return answer

    def remove_answer(self, customer_id: str, field_key: str) -> int:
        """Forget one field's answer and its history (e.g. kept for a purpose they withdrew); audited."""
        removed = self.profile.remove(customer_id, field_key)
        if removed and self._audit is not None:
            details = {"field": field_key, "rows": removed, "by": self._staff()}
            self._audit.record("answer_removed", customer_id, details)
        return removed

    def decline(self, customer_id: str, field_key: str, now: datetime | None = None) -> Answer:
        months = self.settings().declined_snooze_months
        until = snooze_until(now or datetime.now(UTC), months)
        return self.profile.record(
            customer_id, field_key, AnswerStatus.DECLINED, "", self._last_visit_id(customer_id), until
        )

    def ask_later(self, customer_id: str, field_key: str) -> Answer:
        return self.profile.record(customer_id, field_key, AnswerStatus.ASK_LATER, "", self._last_visit_id(customer_id))

    def set_consent(
        self,
        customer_id: str,
        purpose_key: str,
        granted: bool,
        method: ConsentMethod,
        *,
        guardian_name: str = "",
        guardian_relationship: str = "",
        evidence_id: str | None = None,
    ) -> ConsentEvent:
        purpose = self.catalogue().purpose(purpose_key)
        if granted and not purpose.enabled:
            raise ValidationError("consent", f"“{purpose.label}” is switched off in Settings.")
        if granted and purpose.kind == "special_category" and method not in EXPLICIT_METHODS:
            # GDPR Art. 9(2)(a) wants explicit consent, and the notice promises "explicit written consent":
            # a nod at the counter is neither provable nor what the customer was told.
            raise ValidationError(
                "consent",
                f"“{purpose.label}” needs the customer's explicit written consent: ask them to sign the sheet "
                "(or write and sign it), then choose “on a signed paper form” or “in writing”.",
            )
        if guardian_name.strip():
            guardian_name = _checked("guardian_name", guardian_name, "The guardian's name")
        if guardian_relationship.strip():
            guardian_relationship = _checked("guardian_relationship", guardian_relationship, "The relationship")
        needs_guardian = granted and is_child(self.profile.answers(customer_id), self.settings().child_age_threshold)
        if needs_guardian and not (guardian_name.strip() and guardian_relationship.strip()):
            raise ValidationError(
                "guardian",
                "This customer is a child: a parent or guardian must give this consent. "
                "Record their name and relationship.",
            )
        event = self.ledger.record(
            customer_id, purpose_key, granted, method, self._notice_ref(), self._staff(), channel=purpose.channel,
            guardian_name=guardian_name, guardian_relationship=guardian_relationship, evidence_id=evidence_id,
        )  # fmt: skip
        self.granted_by_customer[customer_id] = self.ledger.granted_purposes(customer_id)
        return event

    def attach_evidence(self, customer_id: str, filename: str, data: bytes, media_type: str, note: str = "") -> str:
        """Store a scan of a signed sheet (encrypted); returns its id for the next consent events to cite."""
        filename = _checked("evidence", filename, "The file name")
        note = _checked("evidence_note", note, "The note", multiline=True) if note.strip() else ""
        if media_type not in {*_EVIDENCE_MEDIA.values(), _UNKNOWN_MEDIA}:  # stored beside them: a fixed word, not text
            raise ValidationError("evidence", "Keep the signed sheet as a PDF, PNG or JPEG scan.")
        return self.ledger.attach_evidence(customer_id, filename, data, media_type, note)

    def attach_evidence_file(self, customer_id: str, path: Path, note: str = "") -> str:
        """Read a scan from disk and store it; slow for a large file, so the UI calls it off the GUI thread."""
        name = path.name
        try:
            # Checked before reading, so a mistaken pick of a huge file is refused without loading it.
            too_big = path.stat().st_size > MAX_EVIDENCE_BYTES
            data = b"" if too_big else path.read_bytes()
        except OSError as error:
            raise ValidationError("evidence", f"Cannot read {name[:80]}: {error.strerror or 'unreadable'}.") from error
        if too_big:
            raise ValidationError("evidence", "That file is larger than 20 MB; scan at a lower resolution.")
        media = _EVIDENCE_MEDIA.get(path.suffix.lower(), _UNKNOWN_MEDIA)
        return self.attach_evidence(customer_id, name, data, media, note)

    def review_list(self) -> list[tuple[str, list[FieldSpec]]]:
        """Customers holding answers kept only for a purpose they withdrew: (customer id, those fields)."""
        catalogue = self.catalogue()
        flagged = []
        for customer_id in self.profile.customers_with_answers():
            fields = fields_to_review(catalogue, self.profile.answers(customer_id), self.granted(customer_id))
            if fields:
                flagged.append((customer_id, fields))
        return flagged

    def withdraw_all_marketing(self, customer_id: str, method: ConsentMethod) -> list[ConsentEvent]:
        catalogue = self.catalogue()
        granted = self.ledger.granted_purposes(customer_id)
        events = [
            self.set_consent(customer_id, key, False, method)
            for key in sorted(granted)
            if catalogue.purpose(key).kind in {"marketing", "profiling", "sharing", "sale", "surveys"}
        ]
        return events
