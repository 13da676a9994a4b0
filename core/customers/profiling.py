"""Progressive profiling: which question to ask today, validated answers, and the children rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, delete, insert, select

from core.catalogue import Catalogue, FieldSpec, FieldType, Sensitivity, age_range_bounds
from core.customers import validation
from core.customers.dates import full_date, parse_date_answer
from core.errors import ValidationError
from core.storage.book_state import BookState
from core.storage.ids import new_id, utc_now
from core.storage.profile_tables import profile_answers
from core.storage.records import RecordCipher
from core.storage.transactions import writing

TABLE = "profile_answers"
MIN_CHILD_AGE_THRESHOLD, MAX_CHILD_AGE_THRESHOLD = 13, 16


class AnswerStatus(StrEnum):
    ANSWERED = "answered"
    DECLINED = "declined"
    ASK_LATER = "ask_later"


@dataclass(frozen=True)
class ProfileSettings:
    questions_per_visit: int = 1
    declined_snooze_months: int = 12
    child_age_threshold: int = 16  # GDPR Art. 8 lets member states choose 13–16

    @classmethod
    def from_json(cls, raw: Any) -> ProfileSettings:
        raw = raw if isinstance(raw, dict) else {}
        settings = cls(
            int(raw.get("questions_per_visit", 1)),
            int(raw.get("declined_snooze_months", 12)),
            int(raw.get("child_age_threshold", 16)),
        )
        return settings.validated()

    def validated(self) -> ProfileSettings:
        if not MIN_CHILD_AGE_THRESHOLD <= self.child_age_threshold <= MAX_CHILD_AGE_THRESHOLD:
            raise ValidationError("child_age_threshold", "The age threshold must be between 13 and 16.")
        if not 1 <= self.questions_per_visit <= 5:
            raise ValidationError("questions_per_visit", "Ask between 1 and 5 questions per visit.")
        if not 1 <= self.declined_snooze_months <= 60:
            raise ValidationError("declined_snooze_months", "Wait between 1 and 60 months after a 'no'.")
        return self

    def to_json(self) -> dict[str, int]:
        return {
            "questions_per_visit": self.questions_per_visit,
            "declined_snooze_months": self.declined_snooze_months,
            "child_age_threshold": self.child_age_threshold,
        }


@dataclass(frozen=True)
class Answer:
    id: str
    field_key: str
    status: AnswerStatus
    value: str
    at: str
    visit_id: str | None = None
    snooze_until: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)
    corrects: str | None = None  # the id of the answer this one corrects (from the customer page, not asked)


def clean_answer(spec: FieldSpec, raw: str, country: str = "", today: date | None = None) -> str:
    """Validate a typed answer by the field's type; raises ValidationError with a plain message. Dates are read
    in the order of the shop's `country` (core/customers/dates.py)."""
    text = raw.strip()
    if not text:
        raise ValidationError(spec.key, f"Type the answer for {spec.label.lower()}, or choose 'Declined'.")
    validation.refuse_card_numbers(spec.key, text)
    if spec.type is FieldType.DATE:
        return parse_date_answer(spec.key, text, country, today or date.today())
    if spec.type is FieldType.NUMBER:
        if not re.fullmatch(r"\d{1,4}", text):
            raise ValidationError(spec.key, "Type a whole number, e.g. 2.")
        return str(int(text))
    if spec.type is FieldType.YES_NO:
        lowered = text.lower()
        if lowered not in {"yes", "no"}:
            raise ValidationError(spec.key, "Answer yes or no.")
        return lowered
    if spec.type is FieldType.CHOICE:
        if text not in spec.choices:
            raise ValidationError(spec.key, f"Choose one of: {', '.join(spec.choices)}.")
        return text
    return validation.clean_notes(text)


def age_on(birthday: date, today: date) -> int:
    return today.year - birthday.year - ((today.month, today.day) < (birthday.month, birthday.day))


def is_child(answers: dict[str, Answer], threshold: int, today: date | None = None) -> bool:
    """Under the threshold by birthday, else by age range (a range that straddles the threshold counts). A
    birthday given without its year says nothing about age: the age range decides."""
    today = today or datetime.now(UTC).date()
    birthday = answers.get("birthday")
    born = full_date(birthday.value) if birthday and birthday.status is AnswerStatus.ANSWERED else None
    if born is not None:
        return age_on(born, today) < threshold
    age_range = answers.get("age_range")
    if age_range and age_range.status is AnswerStatus.ANSWERED:
        bounds = age_range_bounds(age_range.value)
        return bounds is not None and bounds[0] < threshold
    return False


class ProfileStore:
    """Answers are appended, never edited: the latest row per field is the current answer."""

    def __init__(self, engine: Engine, cipher: RecordCipher, state: BookState | None = None) -> None:
        self._engine = engine
        self._cipher = cipher
        self._state = state

    def record(
        self, customer_id: str, field_key: str, status: AnswerStatus, value: str = "", visit_id: str | None = None,
        snooze_until: str | None = None, corrects: str | None = None, at: str | None = None,
    ) -> Answer:  # fmt: skip
        """`at` (UTC ISO time) only for history written after the fact, such as the demo shop's."""
        answer = Answer(
            new_id(), field_key, AnswerStatus(status), value, at or utc_now(), visit_id, snooze_until, corrects=corrects
        )
        body = {"field": field_key, "status": answer.status.value, "value": value, "visit_id": visit_id,
                "snooze_until": snooze_until}  # fmt: skip
        if corrects is not None:
            body["corrects"] = corrects
        with writing(self._engine) as connection:
            connection.execute(
                insert(profile_answers).values(
                    id=answer.id, customer_id=customer_id, at=answer.at, key_version=self._cipher.key_version,
                    body=self._cipher.seal_json(TABLE, answer.id, "body", body, owner=customer_id),
                )
            )  # fmt: skip
            if self._state is not None:
                self._state.note(connection, TABLE, added=[(answer.id, self._cipher.key_version, customer_id)])
        return answer

    def customers_with_answers(self) -> list[str]:
        with self._engine.connect() as connection:
            return [row[0] for row in connection.execute(select(profile_answers.c.customer_id).distinct())]

    def history(self, customer_id: str) -> list[Answer]:
        """Every answer row of the customer, oldest first (corrections included)."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(profile_answers)
                .where(profile_answers.c.customer_id == customer_id)
                .order_by(profile_answers.c.at, profile_answers.c.id)
            ).all()
        answers = []
        for row in rows:
            body = self._cipher.open_json(TABLE, row.id, "body", row.body, row.key_version, owner=row.customer_id)
            answers.append(
                Answer(
                    row.id, body["field"], AnswerStatus(body["status"]), body.get("value", ""), row.at,
                    body.get("visit_id"), body.get("snooze_until"), corrects=body.get("corrects"),
                )
            )  # fmt: skip
        return answers

    def answers(self, customer_id: str) -> dict[str, Answer]:
        """The current answer per field: the latest row wins."""
        return {answer.field_key: answer for answer in self.history(customer_id)}

    def remove(self, customer_id: str, field_key: str) -> int:
        """Delete every row of one field (its history too): removing an answer forgets it. The book's
        fingerprint moves in the same transaction, so the check after unlock does not take this for tampering.
        Returns how many rows went."""
        ids = {answer.id for answer in self.history(customer_id) if answer.field_key == field_key}
        if not ids:
            return 0
        table = profile_answers
        with writing(self._engine, immediate=True) as connection:
            # Re-read under the write lock: only rows still there are deleted and counted out of the fingerprint.
            query = select(table.c.id, table.c.key_version).where(table.c.customer_id == customer_id)
            gone = [(row_id, version, customer_id) for row_id, version in connection.execute(query) if row_id in ids]
            connection.execute(delete(table).where(table.c.id.in_([row_id for row_id, _v, _c in gone])))
            if self._state is not None:
                self._state.note(connection, TABLE, removed=gone)
        return len(gone)


def snooze_until(now: datetime, months: int) -> str:
    return (now + timedelta(days=round(months * 30.44))).isoformat(timespec="seconds")


def next_questions(
    catalogue: Catalogue,
    answers: dict[str, Answer],
    granted: frozenset[str],
    settings: ProfileSettings,
    now: datetime | None = None,
    asked_today: frozenset[str] = frozenset(),
) -> list[FieldSpec]:
    """Today's questions: the queue in order, minus answered, snoozed 'no's and consent-gated fields, and only as
    many as the per-visit setting leaves after the questions already put to them today (`asked_today`)."""
    now = now or datetime.now(UTC)
    left = settings.questions_per_visit - len(asked_today)
    due: list[FieldSpec] = []
    if left <= 0:
        return due
    for spec in catalogue.profile_queue_fields():
        if spec.key in asked_today:  # "ask later" today means not again today
            continue
        answer = answers.get(spec.key)
        if answer is not None:
            if answer.status is AnswerStatus.ANSWERED:
                continue
            snoozed = answer.status is AnswerStatus.DECLINED and answer.snooze_until
            if snoozed and datetime.fromisoformat(str(answer.snooze_until)) > now:
                continue
        if spec.depends_on and spec.depends_on not in granted:
            continue
        if spec.sensitivity is Sensitivity.SPECIAL_CATEGORY:
            continue  # never asked from the queue: recorded deliberately, after explicit consent
        due.append(spec)
        if len(due) >= left:
            break
    return due


def local_date(at: str) -> date:
    """The shop's own calendar day of a stored UTC time (the computer's time zone)."""
    return datetime.fromisoformat(at).astimezone().date()


def asked_on(rows: list[Answer], day: date) -> frozenset[str]:
    """Fields put to the customer on `day` (answered, declined or "ask later"); corrections made on the customer
    page are not questions asked."""
    return frozenset(row.field_key for row in rows if row.corrects is None and local_date(row.at) == day)


def fields_to_review(catalogue: Catalogue, answers: dict[str, Answer], granted: frozenset[str]) -> list[FieldSpec]:
    """Answers kept only for a purpose the customer no longer agrees to: to be reviewed (and likely erased)."""
    flagged = []
    for key, answer in answers.items():
        if answer.status is not AnswerStatus.ANSWERED:
            continue
        try:
            spec = catalogue.field(key)
        except KeyError:
            continue
        if spec.depends_on and spec.depends_on not in granted:
            flagged.append(spec)
    return flagged
