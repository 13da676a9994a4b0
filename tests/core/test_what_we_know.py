"""What we know: corrections keep the history, removal forgets and keeps the book whole, the per-visit limit,
and birthdays typed the way the shop's country writes dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from core.book import CustomerBook
from core.consent.ledger import ConsentMethod
from core.customers.dates import parse_date_answer, show_date
from core.customers.profiling import Answer, AnswerStatus, is_child
from core.customers.store import CustomerDraft
from core.customers.visits import VisitKind
from core.errors import ValidationError
from tests.conftest import PASSPHRASE, ask_everything

TODAY = date(2026, 12, 2)


@pytest.fixture
def book(book: CustomerBook) -> CustomerBook:
    """The questions these tests ask (age range, birthday…) are switched off in the shipped catalogue."""
    ask_everything(book)
    return book


@pytest.fixture
def returning_id(book: CustomerBook) -> str:
    customer = book.save_customer(CustomerDraft(name="Known Person"))
    book.desk.record_visit(customer.id, VisitKind.PURCHASE)
    return customer.id


def test_a_correction_keeps_the_earlier_value_and_when_it_was_replaced(book: CustomerBook, returning_id: str) -> None:
    desk = book.desk
    first = desk.answer(returning_id, "age_range", "25–39")
    corrected = desk.correct_answer(returning_id, "age_range", "40–64")
    assert corrected.corrects == first.id
    [known] = desk.known(returning_id)
    assert (known.field_key, known.value, known.visit_number) == ("age_range", "40–64", 1)
    assert [(e.value, e.given_at, e.replaced_at) for e in known.earlier] == [("25–39", first.at, corrected.at)]
    assert desk.answers(returning_id)["age_range"].value == "40–64"
    actions = [entry["action"] for entry in book.audit.entries("answer_corrected")]
    assert actions == ["answer_corrected"]


def test_a_correction_is_checked_like_an_answer(book: CustomerBook, returning_id: str) -> None:
    book.desk.answer(returning_id, "age_range", "25–39")
    with pytest.raises(ValidationError, match="Choose one of"):
        book.desk.correct_answer(returning_id, "age_range", "ancient")
    assert book.desk.answers(returning_id)["age_range"].value == "25–39"
    with pytest.raises(ValidationError, match="no answer to correct"):
        book.desk.correct_answer(returning_id, "birthday", "14 May 1980")


def test_a_correction_is_not_a_question_asked_today(book: CustomerBook, returning_id: str) -> None:
    desk = book.desk
    desk.save_settings(replace(desk.settings(), questions_per_visit=2))
    desk.answer(returning_id, "age_range", "25–39")
    desk.correct_answer(returning_id, "age_range", "40–64")
    view = desk.view(returning_id)
    assert (view.asked_today, view.per_visit) == (1, 2)
    assert len(view.questions) == 1


def test_removal_forgets_the_answer_and_its_history_and_the_book_stays_whole(
    book: CustomerBook, returning_id: str
) -> None:
    desk = book.desk
    desk.answer(returning_id, "age_range", "25–39")
    desk.correct_answer(returning_id, "age_range", "40–64")
    desk.ask_later(returning_id, "preferred_contact_times")
    assert desk.remove_answer(returning_id, "age_range") == 2
    assert "age_range" not in desk.answers(returning_id)
    assert [k.field_key for k in desk.known(returning_id)] == ["preferred_contact_times"]
    assert [e["action"] for e in book.audit.entries("answer_removed")] == ["answer_removed"]
    assert desk.remove_answer(returning_id, "age_range") == 0  # nothing left: nothing audited twice
    assert len(book.audit.entries("answer_removed")) == 1
    assert book.state_check()() == []
    folder = book.folder
    book.close()
    again = CustomerBook(folder)
    again.unlock(PASSPHRASE)
    try:
        assert again.state_check()() == []  # the fingerprint moved with the deleted rows
    finally:
        again.close()


def test_only_one_question_per_visit_by_default(book: CustomerBook, returning_id: str) -> None:
    desk = book.desk
    view = desk.view(returning_id)
    assert ([s.key for s in view.questions], view.asked_today, view.per_visit) == (["age_range"], 0, 1)
    desk.answer(returning_id, "age_range", "25–39")
    view = desk.view(returning_id)
    assert (view.questions, view.asked_today) == ([], 1)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert desk.view(returning_id, tomorrow).questions  # the next visit asks the next one


def test_a_customer_entered_on_an_earlier_day_is_asked_without_a_visit(book: CustomerBook) -> None:
    customer = book.save_customer(CustomerDraft(name="Last Week"))
    assert book.desk.view(customer.id, created_at=customer.created_at).questions == []  # entered today
    last_week = (datetime.now(UTC) - timedelta(days=7)).isoformat()
    view = book.desk.view(customer.id, created_at=last_week)
    assert view.returning
    assert [s.key for s in view.questions] == ["age_range"]


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("14/05/1980", "GB", "1980-05-14"),
        ("05/14/1980", "US", "1980-05-14"),
        ("14.05.1980", "DE", "1980-05-14"),
        ("1980-05-14", "US", "1980-05-14"),
        ("14 May 1980", "US", "1980-05-14"),
        ("May 14, 1980", "GB", "1980-05-14"),
        ("14th of may", "GB", "--05-14"),
        ("14/05", "GB", "--05-14"),
        ("05/14", "US", "--05-14"),
        ("29 Feb", "GB", "--02-29"),
    ],
)
def test_birthdays_in_the_shops_local_format(typed: str, country: str, stored: str) -> None:
    assert parse_date_answer("birthday", typed, country, TODAY) == stored


@pytest.mark.parametrize(
    ("typed", "country", "message"),
    [
        ("05/14/1980", "GB", "day/month/year, e.g. 14/05/1980"),
        ("14/05/1980", "US", "month/day/year, e.g. 05/14/1980"),
        ("14/05/80", "GB", "year in full"),
        ("31 June 1980", "GB", "no such day"),
        ("next tuesday", "GB", "14 May 1980 or 1980-05-14"),
        ("14/05/2027", "GB", "not a possible birthday"),
    ],
)
def test_a_date_in_another_form_says_which_form_is_expected(typed: str, country: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_date_answer("birthday", typed, country, TODAY)


def test_the_shops_country_decides_the_order(book: CustomerBook, returning_id: str) -> None:
    book.desk.answer(returning_id, "birthday", "05/14/1980")  # the test shop is in the US
    assert book.desk.answers(returning_id)["birthday"].value == "1980-05-14"
    assert show_date("1980-05-14") == "14 May 1980"
    assert show_date("--05-14") == "14 May"


def _answer(key: str, value: str) -> Answer:
    return Answer("x", key, AnswerStatus.ANSWERED, value, "2026-01-01T00:00:00+00:00")


def test_a_birthday_without_a_year_never_guesses_an_age() -> None:
    no_year = {"birthday": _answer("birthday", "--05-14")}
    assert not is_child(no_year, 16, TODAY)
    with_range = {**no_year, "age_range": _answer("age_range", "Under 13")}
    assert is_child(with_range, 16, TODAY)  # the age range decides
    adult = {**with_range, "birthday": _answer("birthday", "1980-05-14")}
    assert not is_child(adult, 16, TODAY)  # a full birthday wins over the range
    child = {"birthday": _answer("birthday", "2015-05-14")}
    assert is_child(child, 16, TODAY)


def test_consent_withdrawn_flags_the_answer_for_review(book: CustomerBook, returning_id: str) -> None:
    desk = book.desk
    desk.set_consent(returning_id, "profiling_offers", True, ConsentMethod.VERBAL)
    gated = next(f for f in book.catalogue.current().profile_queue_fields() if f.depends_on == "profiling_offers")
    book.profile.record(returning_id, gated.key, AnswerStatus.ANSWERED, "Yes" if gated.choices else "x")
    assert not desk.known(returning_id)[0].to_review
    desk.set_consent(returning_id, "profiling_offers", False, ConsentMethod.VERBAL)
    assert desk.known(returning_id)[0].to_review
