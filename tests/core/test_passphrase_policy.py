"""The passphrase rules: length floor, common-password refusal, shop-name check, generated suggestions."""

from __future__ import annotations

import pytest

from core.keys.passphrase_policy import MIN_LENGTH, check_passphrase, generate_passphrase, passphrase_words


@pytest.mark.parametrize("short", ["", "a", "correct horse", "x" * (MIN_LENGTH - 1)])
def test_too_short_is_refused_with_how_many_more(short: str) -> None:
    verdict = check_passphrase(short)
    assert not verdict.ok
    assert f"{MIN_LENGTH - len(short)} more" in verdict.message


@pytest.mark.parametrize(
    "common", ["123456789987654321", "1qaz2wsx3edc4rfv", "qazwsxedcrfvtgb", "QAZWSX EDCRFV TGB", "password1234567890"]
)
def test_common_passwords_are_refused_even_with_spaces_case_or_digits(common: str) -> None:
    verdict = check_passphrase(common)
    assert not verdict.ok
    assert "commonly used" in verdict.message


@pytest.mark.parametrize("pattern", ["aaaaaaaaaaaaaaaa", "abcabcabcabcabcabc", "123456789012345", "abcdefghijklmnop"])
def test_repetitions_and_sequences_are_refused(pattern: str) -> None:
    assert not check_passphrase(pattern).ok


def test_the_shop_name_alone_is_not_a_passphrase() -> None:
    verdict = check_passphrase("Corner Bakery Corner Bakery!", ["Corner Bakery", "Leeds"])
    assert not verdict.ok
    assert "shop" in verdict.message
    assert check_passphrase("Corner Bakery loves purple giraffes", ["Corner Bakery"]).ok


def test_no_composition_rules_any_script_counts() -> None:
    assert check_passphrase("tram leaves at nine sharp").ok
    assert check_passphrase("żółć gęślą jaźń tram").ok
    assert check_passphrase("Γιώργος πίνει καφέ").ok


def test_generated_passphrases_pass_and_differ() -> None:
    first, second = generate_passphrase(), generate_passphrase()
    assert first != second
    assert len(first.split("-")) == 6
    assert all(word in passphrase_words() for word in first.split("-"))
    assert check_passphrase(first).ok
    assert check_passphrase(generate_passphrase(words=4, separator=" ")).ok
    with pytest.raises(ValueError):
        generate_passphrase(words=3)


def test_wordlist_is_the_full_eff_list() -> None:
    words = passphrase_words()
    assert len(words) == 7776
    assert len(set(words)) == 7776
