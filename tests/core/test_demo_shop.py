"""The demo (`main.py --demo`) is a complete shop (issue 13): Ctrl+P's readiness check passes, and the profile,
visits, answers, consents (some withdrawn) and the notice's version history are all there to look at."""

from __future__ import annotations

from core.book import CustomerBook
from core.demo import DEMO_OWNER, create_demo_shop
from core.storage.data_folder import DataFolder


def test_the_demo_is_a_complete_shop(data_folder: DataFolder) -> None:
    demo = create_demo_shop(data_folder, customers=40)
    book = CustomerBook(data_folder)
    book.unlock(demo.passphrase)
    try:
        assert book.notices.missing() == []  # what Ctrl+P checks before printing
        profile = book.notices.profile()
        assert profile.address
        assert profile.privacy_contact == DEMO_OWNER
        assert profile.partners == ()
        assert book.staff_member() == DEMO_OWNER
        assert len(book.notices.versions.versions()) >= 3
        assert book.notices.versions.changes(2) != ["First version."]
        assert len(book.catalogue.history()) >= 3

        customers = list(book.customers.iter_all())
        assert len(customers) == 40
        visits = answers = withdrawn = granted = 0
        for customer in customers:
            visits += len(book.visits.for_customer(customer.id))
            answers += len(book.desk.answers(customer.id))
            events = book.consent.events(customer.id)
            granted += sum(event.granted for event in events)
            withdrawn += sum(not event.granted for event in events)
            assert all(event.staff == DEMO_OWNER for event in events)
        assert visits
        assert answers
        assert granted
        assert withdrawn

        # Ctrl+P for one of the regulars: a real notice, with what is held about them.
        regular = next(c for c in customers if book.desk.answers(c.id))
        pdf, version = book.notices.personal_pdf(regular, book.consent.granted_purposes(regular.id), False, False)
        assert pdf.startswith(b"%PDF")
        assert version.number == len(book.notices.versions.versions())

        # Its history is in the past, so a regular opened today is asked today's question.
        assert all(visit.at < regular.created_at for visit in book.visits.for_customer(regular.id))
        asked = book.catalogue.current().profile_queue_fields()
        unfinished = next(c for c in customers if 0 < len(book.desk.answers(c.id)) < len(asked))
        view = book.desk.view(unfinished.id, created_at=unfinished.created_at)
        assert view.returning
        assert view.asked_today == 0
        assert view.questions
    finally:
        book.close()
