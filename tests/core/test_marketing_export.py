"""Marketing export: only current consent counts; children only with a guardian; every export audited."""

from __future__ import annotations

import csv
import io

from core.book import CustomerBook
from core.consent.ledger import ConsentMethod
from core.consent.marketing_export import export_marketing_list
from core.customers.store import CustomerDraft

VERBAL = ConsentMethod.VERBAL


def _export(book: CustomerBook, purpose: str):
    desk = book.desk
    return export_marketing_list(
        purpose_key=purpose,
        customers=list(book.customers.iter_all()),
        granted_by_customer=desk.granted_by_customer,
        ledger=book.consent,
        profile=book.profile,
        catalogue=desk.catalogue(),
        settings=desk.settings(),
        audit=book.audit,
        staff=book.staff_member(),
    )


def test_export_contains_only_customers_whose_current_consent_allows_it(book: CustomerBook) -> None:
    desk = book.desk

    def person(name: str, email: str) -> str:
        return book.save_customer(CustomerDraft(name=name, emails=[email])).id

    yes = person("Yes Person", "yes@example.com")
    withdrawn = person("Withdrawn Person", "withdrawn@example.com")
    never = person("Never Asked", "never@example.com")
    other_channel = person("Texts Only", "texts@example.com")
    child = person("Child Person", "child@example.com")
    guarded = person("Guarded Child", "guarded@example.com")
    desk.set_consent(yes, "marketing_email", True, VERBAL)
    desk.set_consent(withdrawn, "marketing_email", True, VERBAL)
    desk.set_consent(withdrawn, "marketing_email", False, VERBAL)
    desk.set_consent(other_channel, "marketing_sms", True, VERBAL)
    desk.set_consent(child, "marketing_email", True, VERBAL)  # recorded before the age was known
    desk.answer(child, "age_range", "Under 13")
    desk.answer(guarded, "age_range", "13–15")
    desk.set_consent(guarded, "marketing_email", True, VERBAL, guardian_name="Pat", guardian_relationship="father")
    assert never

    result = _export(book, "marketing_email")
    rows = list(csv.reader(io.StringIO(result.csv_text)))
    assert rows[0] == ["name", "contact", "consent_since"]
    assert {(r[0], r[1]) for r in rows[1:]} == {
        ("Yes Person", "yes@example.com"),
        ("Guarded Child", "guarded@example.com"),
    }
    assert result.rows == 2
    with book.engine.connect() as connection:
        actions = [r[0] for r in connection.exec_driver_sql("SELECT action FROM audit_events")]
    assert actions.count("marketing_export") == 1  # who/when/how many/which purpose are sealed in its details


def test_only_marketing_survey_and_profiling_purposes_can_be_exported() -> None:
    from core.catalogue import load_default_catalogue
    from core.consent.marketing_export import EXPORTABLE_KINDS, exportable_purposes

    catalogue = load_default_catalogue()
    offered = exportable_purposes(catalogue)
    assert offered
    assert {purpose.kind for purpose in offered} <= EXPORTABLE_KINDS
    enabled = [p.key for p in catalogue.enabled_purposes() if p.kind in EXPORTABLE_KINDS]
    assert [p.key for p in offered] == enabled
    every_kind = {p.kind for p in catalogue.purposes}
    assert every_kind - EXPORTABLE_KINDS  # there are purposes (partners, sale…) that must never be offered
    assert not {p.key for p in offered} & {p.key for p in catalogue.purposes if p.kind not in EXPORTABLE_KINDS}
