"""The in-memory index: names without accents or case, phone digits in any format, e-mails, overlay updates."""

from __future__ import annotations

from core.customers.search import SearchIndex, fold, query_tokens
from core.customers.store import Customer


def _customer(cid: str, name: str, phones: tuple[str, ...] = (), emails: tuple[str, ...] = ()) -> Customer:
    return Customer(id=cid, name=name, phones=phones, emails=emails)


def _index() -> SearchIndex:
    index = SearchIndex()
    index.build(
        [
            _customer("1", "Ana Souza", ("+15550134",), ("ana@example.com",)),
            _customer("2", "Łukasz Wójcik", ("+48601234567",)),
            _customer("3", "José Álvarez", (), ("jose@correo.es",)),
            _customer("4", "Mariana Lima"),
            _customer("5", "Αλέξανδρος Παπαδόπουλος"),
        ]
    )
    return index


def test_fold_removes_case_and_accents() -> None:
    assert fold("Łódź ÉCOLE Straße") == "lodz ecole strasse"
    assert query_tokens(" 555 0134 ") == ["5550134"]
    assert query_tokens("+1 (555) 01-34") == ["15550134"]
    assert query_tokens("Ana  SOUZA") == ["ana", "souza"]


def test_name_parts_case_and_accent_insensitive() -> None:
    index = _index()
    assert index.search("lukasz").ids == ["2"]
    assert index.search("WOJ").ids == ["2"]
    assert index.search("jose alv").ids == ["3"]
    assert index.search("αλεξ").ids == ["5"]
    assert sorted(index.search("ana").ids) == ["1", "4"]  # Ana and Mariana (substring)
    assert index.search("souza ana").ids == ["1"]
    assert index.search("ana zzz").ids == []


def test_phone_digits_in_any_format() -> None:
    index = _index()
    assert index.search("555 0134").ids == ["1"]
    assert index.search("(555) 01-34").ids == ["1"]
    assert index.search("601 234 567").ids == ["2"]
    assert index.search("999").ids == []


def test_email_search() -> None:
    index = _index()
    assert index.search("ana@exa").ids == ["1"]
    assert index.search("correo").ids == ["3"]


def test_results_are_sorted_by_name_and_capped() -> None:
    index = _index()
    everyone = index.search("")
    assert [row.name for row in everyone.rows] == [
        "Ana Souza",
        "José Álvarez",
        "Łukasz Wójcik",
        "Mariana Lima",
        "Αλέξανδρος Παπαδόπουλος",
    ]
    capped = index.search("", limit=2)
    assert len(capped.rows) == 2
    assert capped.more
    assert not index.search("", limit=5).more


def test_upsert_and_remove_after_build() -> None:
    index = _index()
    index.upsert(_customer("6", "Anabel Ng", ("+15559999",)))
    index.upsert(_customer("1", "Ana Souza-Lima", ("+15550134",)))
    assert index.search("ana").ids == ["1", "6", "4"]
    assert index.search("souza-lima").ids == ["1"]
    index.remove("4")
    assert index.search("mariana").ids == []
    assert len(index) == 5
    assert index.duplicates(["+15559999"], [])[0].name == "Anabel Ng"
    index.remove("6")
    assert index.duplicates(["+15559999"], []) == []


def test_duplicates_by_phone_and_case_insensitive_email() -> None:
    index = _index()
    found = index.duplicates(["+15550134"], ["JOSE@correo.es"])
    assert [(m.customer_id, m.kind) for m in found] == [("1", "phone"), ("3", "email")]
    assert index.duplicates(["+15550134"], [], exclude_id="1") == []


def test_ascii_and_other_lines_are_kept_apart_and_found_in_name_order() -> None:
    """The index keeps all-ASCII lines in their own string (one byte a character); results still come in name
    order across both, with the limit and "more" counted over both."""

    def customer(number: int, name: str) -> Customer:
        return Customer(
            id=f"c{number}", name=name, phones=(), emails=(f"p{number}@example.com",), notes="",
            created_at="2026-01-01T00:00:00+00:00", updated_at="2026-01-01T00:00:00+00:00",
        )  # fmt: skip

    names = ["Zoë Adams", "Ana Lima", "Ólafur Arnalds", "Bob Stone", "Łucja Nowak", "Olga Petrova", "Ольга Петрова"]
    index = SearchIndex()
    index.build(customer(n, name) for n, name in enumerate(names))
    plain, others = index._shards
    assert plain.haystack.isascii()
    assert len(plain.rows) == 6  # accents fold away (Łucja → lucja): only the Cyrillic line is in the other
    assert [row.name for row in others.rows] == ["Ольга Петрова"]
    everyone = [row.name for row in index.search("").rows]
    assert everyone == ["Ana Lima", "Bob Stone", "Łucja Nowak", "Ólafur Arnalds", "Olga Petrova", "Zoë Adams",
                        "Ольга Петрова"]  # fmt: skip
    assert [row.name for row in index.search("example", limit=3).rows] == everyone[:3]
    assert index.search("example", limit=3).more
    assert [row.name for row in index.search("ol").rows] == ["Ólafur Arnalds", "Olga Petrova"]
