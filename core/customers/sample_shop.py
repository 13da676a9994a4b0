"""Deterministic, made-up customers for the demo shop, screenshots and benchmarks.

Names come from many countries and scripts so that search, sorting and PDFs meet real-world text.
Phones are valid for their country (built from phonenumbers' own example numbers) and e-mails use
reserved example domains, so generated data can never reach a real person.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import phonenumbers

from core.customers.store import CustomerDraft

# (region, given names, family names). Weighted towards the demo shop's own country.
_NAME_POOLS: tuple[tuple[str, int, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "GB",
        30,
        (
            "Oliver",
            "Amelia",
            "Harry",
            "Isla",
            "George",
            "Ava",
            "Noah",
            "Mia",
            "Jack",
            "Grace",
            "Leo",
            "Freya",
            "Arthur",
            "Evie",
            "Oscar",
            "Poppy",
        ),
        (
            "Smith",
            "Jones",
            "Taylor",
            "Brown",
            "Williams",
            "Wilson",
            "Evans",
            "Thomas",
            "Roberts",
            "Walker",
            "Wright",
            "Hughes",
            "Green",
            "Hall",
            "Clarke",
            "Patel",
        ),
    ),
    (
        "US",
        10,
        ("James", "Olivia", "Liam", "Emma", "Ethan", "Sophia", "Mason", "Harper", "Logan", "Ella"),
        ("Johnson", "Miller", "Davis", "Garcia", "Rodriguez", "Martinez", "Anderson", "Jackson", "White", "Harris"),
    ),
    (
        "PL",
        8,
        ("Zofia", "Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Michał", "Katarzyna", "Wojciech"),
        ("Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamiński", "Lewandowska", "Zieliński", "Szymańska"),
    ),
    (
        "VN",
        6,
        ("Nguyễn Thị", "Trần Văn", "Lê Thị", "Phạm Minh", "Hoàng Anh", "Vũ Đức"),
        ("Hương", "Dũng", "Lan", "Tuấn", "Thảo", "Quỳnh"),
    ),
    (
        "GR",
        5,
        ("Γιώργος", "Μαρία", "Νίκος", "Ελένη", "Κώστας", "Αικατερίνη"),
        ("Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Νικολάου", "Βασιλείου", "Δημητρίου"),
    ),
    (
        "UA",
        5,
        ("Олена", "Андрій", "Наталія", "Дмитро", "Ірина", "Сергій"),
        ("Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Мельник"),
    ),
    (
        "BR",
        8,
        ("Ana", "João", "Mariana", "Luís", "Beatriz", "Thiago", "Júlia", "Gonçalo"),
        ("Souza", "Silva", "Conceição", "Araújo", "Gonçalves", "Ribeiro", "Fernandes", "Lima"),
    ),
    (
        "DE",
        6,
        ("Jürgen", "Anneliese", "Björn", "Käthe", "Sören", "Jördis"),
        ("Müller", "Schröder", "Groß", "Köhler", "Weiß", "Bäcker"),
    ),
    (
        "FR",
        6,
        ("Élodie", "François", "Chloé", "Loïc", "Hélène", "Jérôme"),
        ("Lefèvre", "Dubois", "Moreau", "Girard", "Rousseau", "Bérénger"),
    ),
    ("TR", 4, ("Çağla", "Şükrü", "Gülşen", "İbrahim"), ("Yılmaz", "Öztürk", "Çelik", "Şahin")),
    (
        "IN",
        5,
        ("Priya", "Arjun", "Ananya", "Vikram", "Kavya", "Rohan"),
        ("Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Menon"),
    ),
    ("JP", 3, ("さくら", "健太", "陽菜", "翔"), ("佐藤", "鈴木", "高橋", "田中")),
    ("EG", 3, ("محمد", "فاطمة", "أحمد", "مريم"), ("حسن", "علي", "إبراهيم", "منصور")),
    ("NG", 3, ("Chiamaka", "Oluwaseun", "Ngozi", "Emeka"), ("Okafor", "Adeyemi", "Okonkwo", "Balogun")),
)

_NOTES = (
    "Prefers a call after 5 pm.",
    "Collects the order on Saturdays.",
    "Asked about the loyalty card.",
    "Allergic to lavender — check before recommending soaps.",
    "Regular for the Friday bread.",
    "Wants to hear when the winter coats arrive.",
)


@dataclass(frozen=True)
class _Pool:
    region: str
    given: tuple[str, ...]
    family: tuple[str, ...]


@cache
def _pools() -> tuple[tuple[_Pool, ...], tuple[int, ...]]:
    pools = tuple(_Pool(region, given, family) for region, _w, given, family in _NAME_POOLS)
    weights = tuple(weight for _r, weight, _g, _f in _NAME_POOLS)
    return pools, weights


@cache
def _mobile_template(region: str) -> tuple[int, str]:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None or example.country_code is None:
        raise ValueError(f"No example mobile number for {region}")
    return example.country_code, str(example.national_number)


def _phone(rng: random.Random, region: str) -> str:
    """A valid E.164 mobile number: the country's example number with its last digits varied."""
    country_code, national = _mobile_template(region)
    for _attempt in range(8):
        tail = "".join(rng.choice("0123456789") for _ in range(4))
        candidate = phonenumbers.PhoneNumber(country_code=country_code, national_number=int(national[:-4] + tail))
        if phonenumbers.is_valid_number(candidate):
            return phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
    return f"+{country_code}{national}"


def _ascii_handle(text: str) -> str:
    """E-mail local part from a name: Latin letters lose accents; other scripts fall back to 'customer'."""
    folded = unicodedata.normalize("NFKD", text).replace("ł", "l").replace("Ł", "L").replace("đ", "d").replace("Đ", "D")
    handle = "".join(ch for ch in folded.lower() if ch.isascii() and ch.isalnum())
    return handle or "customer"


def generate_customers(count: int, seed: int = 7) -> Iterator[CustomerDraft]:
    """Yield `count` customers; the same seed always gives the same customers."""
    rng = random.Random(seed)  # noqa: S311 - made-up data must be reproducible, not secret
    pools, weights = _pools()
    for number in range(count):
        pool = rng.choices(pools, weights)[0]
        given, family = rng.choice(pool.given), rng.choice(pool.family)
        name = f"{family} {given}" if pool.region in {"VN", "JP"} else f"{given} {family}"
        phones = (_phone(rng, pool.region),) if rng.random() < 0.85 else ()
        emails: tuple[str, ...] = ()
        if rng.random() < 0.6 or not phones:
            handle = f"{_ascii_handle(given)}.{_ascii_handle(family)}{number}"
            emails = (f"{handle}@{rng.choice(('example.com', 'example.org', 'example.net'))}",)
        notes = rng.choice(_NOTES) if rng.random() < 0.15 else ""
        yield CustomerDraft(name=name, phones=phones, emails=emails, notes=notes)


class _Importer(Protocol):
    """The slice of CustomerBook that seeding needs; keeps this module free of a book import cycle."""

    def import_customers(self, drafts: list[CustomerDraft]) -> object: ...


def seed_book(book: _Importer, count: int, seed: int = 7, batch: int = 2000) -> int:
    """Add generated customers to an unlocked book in batches; returns how many were added."""
    added = 0
    drafts = generate_customers(count, seed)
    while True:
        chunk = [draft for _, draft in zip(range(batch), drafts, strict=False)]
        if not chunk:
            return added
        book.import_customers(chunk)
        added += len(chunk)
