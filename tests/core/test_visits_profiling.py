"""Visits and the 'ask one thing today' queue: order, answered, declined (snoozed), ask later, consent gates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.book import CustomerBook
from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft
from core.customers.visits import VisitKind
from core.errors import ValidationError
from tests.conftest import ask_everything


@pytest.fixture(autouse=True)
def _asks_everything(book: CustomerBook) -> None:
    """These tests are about the question queue, so the shop asks every ordinary question (shipped: none)."""
    ask_everything(book)


@pytest.fixture
def customer_id(book: CustomerBook) -> str:
    return book.save_customer(CustomerDraft(name="Queue Person")).id


@pytest.fixture
def returning_id(book: CustomerBook, customer_id: str) -> str:
    book.desk.record_visit(customer_id, VisitKind.PURCHASE)
    return customer_id


def _keys(book: CustomerBook, customer_id: str, now: datetime | None = None) -> list[str]:
    return [spec.key for spec in book.desk.view(customer_id, now).questions]


def test_visits_are_recorded_with_kind_and_encrypted_note(book: CustomerBook, customer_id: str) -> None:
    desk = book.desk
    assert not desk.view(customer_id).returning
    desk.record_visit(customer_id, VisitKind.PURCHASE, note="Bought the blue kettle")
    desk.record_visit(customer_id, VisitKind.SERVICE)
    visits = book.visits.for_customer(customer_id)
    assert [v.kind for v in visits] == [VisitKind.PURCHASE, VisitKind.SERVICE]
    assert visits[0].note == "Bought the blue kettle"
    assert desk.view(customer_id).returning
    book.engine.dispose()
    assert b"blue kettle" not in book.folder.database.read_bytes()


def test_first_time_customer_is_asked_nothing_until_they_return(book: CustomerBook, customer_id: str) -> None:
    desk = book.desk
    assert next(iter(book.catalogue.current().profile_queue_fields()), None) is not None  # something to ask
    first = desk.view(customer_id)
    assert not first.returning
    assert first.questions == []  # the first visit is for name and one contact only
    desk.record_visit(customer_id, VisitKind.PURCHASE)
    again = desk.view(customer_id)
    assert again.returning
    assert [spec.key for spec in again.questions] == ["age_range"]


def test_queue_order_answered_declined_and_ask_later(book: CustomerBook, returning_id: str) -> None:
    customer_id = returning_id
    desk = book.desk
    queue = [f.key for f in book.catalogue.current().profile_queue_fields()]
    ungated = [k for k in queue if not book.catalogue.current().field(k).depends_on]
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert _keys(book, customer_id) == ungated[:1]  # one question per visit by default
    desk.answer(customer_id, ungated[0], "25–39" if ungated[0] == "age_range" else "x")
    assert _keys(book, customer_id) == []  # that was today's one question
    assert _keys(book, customer_id, tomorrow) == [ungated[1]]
    desk.decline(customer_id, ungated[1])
    assert _keys(book, customer_id, tomorrow) == [ungated[2]]
    desk.ask_later(customer_id, ungated[2])
    assert _keys(book, customer_id, tomorrow) == [ungated[2]]  # "ask later" means: at the next visit
    desk.save_settings(replace(desk.settings(), questions_per_visit=3))
    assert _keys(book, customer_id, tomorrow)[:2] == [ungated[2], ungated[3]]
    # After the snooze (12 months by default) a declined question comes back, in its place in the queue.
    later = datetime.now(UTC) + timedelta(days=370)
    assert _keys(book, customer_id, later)[0] == ungated[1]


def test_consent_gated_questions_wait_for_consent(book: CustomerBook, returning_id: str) -> None:
    customer_id = returning_id
    desk = book.desk
    desk.save_settings(replace(desk.settings(), questions_per_visit=5))
    gated = {f.key for f in book.catalogue.current().profile_queue_fields() if f.depends_on == "profiling_offers"}
    assert gated
    assert not gated & set(_keys(book, customer_id))
    desk.set_consent(customer_id, "profiling_offers", True, ConsentMethod.VERBAL)
    for key in [k for k in _keys(book, customer_id) if k not in gated]:
        desk.decline(customer_id, key)  # clear the ungated ones out of the way
    tomorrow = datetime.now(UTC) + timedelta(days=1)  # today's questions were used up by those declines
    assert set(_keys(book, customer_id, tomorrow)) <= gated
    assert _keys(book, customer_id, tomorrow)


def test_answers_keep_when_and_at_which_visit(book: CustomerBook, customer_id: str) -> None:
    visit = book.desk.record_visit(customer_id, VisitKind.ENQUIRY)
    answer = book.desk.answer(customer_id, "preferred_contact_times", "Evenings")
    assert answer.visit_id == visit.id
    assert answer.at
    stored = book.desk.answers(customer_id)["preferred_contact_times"]
    assert stored.value == "Evenings"
    assert stored.visit_id == visit.id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birthday", "21/03/1984", "month/day/year, e.g. 05/14/1980"),  # a US shop: month first
        ("birthday", "2999-01-01", "not a possible"),
        ("children", "two", "whole number"),
        ("preferred_contact_times", "Midnight", "Choose one of"),
        ("interests", "card 4111 1111 1111 1111", "card"),
        ("interests", "   ", "Type the answer"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(
    book: CustomerBook, customer_id: str, field: str, value: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        book.desk.answer(customer_id, field, value)
    assert field not in book.desk.answers(customer_id)
