"""Canary: known strings saved through the core never appear on disk, in any encoding, in any file."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from core.book import CustomerBook
from core.customers.store import CustomerDraft
from core.errors import ValidationError
from core.storage.app_logging import configure_logging
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE

CANARIES = [
    "Zebulon Quaxworthy",
    "Ørjan Kvækstad",
    "quaxworthy.canary@example.org",
    "2025550199",
    "allergic to canary-seed",
]


def encodings_of(text: str) -> list[bytes]:
    forms = {text, text.lower(), text.upper()}
    out: list[bytes] = []
    for form in forms:
        out += [form.encode("utf-8"), form.encode("utf-16-le"), form.encode("utf-16-be")]
    return out


def scan_folder(root: Path, canaries: list[str]) -> list[str]:
    """Every (file, canary) pair where the canary shows up in the file's bytes."""
    found = []
    needles = {c: encodings_of(c) for c in canaries}
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for canary, forms in needles.items():
                if any(form in data for form in forms):
                    found.append(f"{path.relative_to(root)}: {canary}")
    return found


def test_no_personal_value_reaches_disk_unencrypted(data_folder: DataFolder, book: CustomerBook) -> None:
    handler = configure_logging(data_folder, level=logging.DEBUG)
    try:
        customer = book.save_customer(
            CustomerDraft(
                name="Zebulon Quaxworthy",
                phones=["(202) 555-0199"],
                emails=["quaxworthy.canary@example.org"],
                notes="allergic to canary-seed",
            )
        )
        book.save_customer(CustomerDraft(name="Ørjan Kvækstad"))
        book.save_customer(CustomerDraft(name="Zebulon Quaxworthy II"), existing=customer)
        with contextlib.suppress(ValidationError):  # a refused save must not leak the refused text into logs either
            book.save_customer(CustomerDraft(name="Zebulon Quaxworthy", emails=["quaxworthy.canary@"]))
        book.lock()
        book.unlock(PASSPHRASE)
        assert book.index.search("quaxworthy").rows
        # While unlocked, with the WAL still holding recent pages: scan now, then again after closing.
        wal = data_folder.database.with_name("counterpart.db-wal")
        assert wal.exists(), "the scan must cover a live WAL"
        assert scan_folder(data_folder.root, CANARIES) == []
        book.close()
        handler.flush()
        assert (data_folder.logs / "counterpart.log").stat().st_size > 0
        assert scan_folder(data_folder.root, CANARIES) == []
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_the_scanner_itself_finds_plaintext(tmp_path: Path) -> None:
    (tmp_path / "leak.txt").write_bytes("x Zebulon Quaxworthy y".encode("utf-16-le"))
    assert scan_folder(tmp_path, CANARIES) == ["leak.txt: Zebulon Quaxworthy"]


PROFILE_CANARIES = ["Xanthippe Guardianova", "Quillfeather sourdough lover", "visit canary kettle", "EvidenceCanary"]


def test_profile_answers_visits_guardians_and_evidence_stay_encrypted(
    data_folder: DataFolder, book: CustomerBook, tmp_path: Path
) -> None:
    from core.consent.ledger import ConsentMethod
    from core.customers.visits import VisitKind

    handler = configure_logging(data_folder, level=logging.DEBUG)
    try:
        customer_id = book.save_customer(CustomerDraft(name="Profile Canary")).id
        desk = book.desk
        desk.record_visit(customer_id, VisitKind.PURCHASE, note="visit canary kettle")
        desk.answer(customer_id, "age_range", "13–15")
        evidence = book.consent.attach_evidence(customer_id, "scan.pdf", b"%PDF EvidenceCanary", "application/pdf")
        desk.set_consent(
            customer_id, "profiling_offers", True, ConsentMethod.SIGNED_PAPER,
            guardian_name="Xanthippe Guardianova", guardian_relationship="aunt", evidence_id=evidence,
        )  # fmt: skip
        desk.answer(customer_id, "interests", "Quillfeather sourdough lover")
        destination = tmp_path / "backups"
        destination.mkdir()
        book.back_up(destination)
        book.lock()
        assert scan_folder(data_folder.root, PROFILE_CANARIES) == []
        assert scan_folder(destination, PROFILE_CANARIES) == []
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
