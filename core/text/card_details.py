"""Payment card details hidden in typed text: card numbers (issuer prefix + Luhn), security codes, expiry dates.

A shop never needs any of them, so every free-text field refuses them (core/customers/validation.py). The search is
forgiving about how a number is written (any Unicode digits, any kind of space, `-`, `.`, `/`, `_`, other
digit groups around it) and strict about what counts as a card, so ordinary numbers are not refused.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import cache
from itertools import accumulate

from core.errors import ValidationError

MIN_CARD_DIGITS, MAX_CARD_DIGITS = 13, 19
# Numbers in international format (+44 20 …) are phone numbers: E.164 caps them at 15 digits, and nobody
# writes a card number after a plus sign. Without this, one in ten 13–15 digit phone numbers that start like a card
# (+49 15…, +62 8…) would be refused.
_MAX_PHONE_DIGITS = 15
_ALL_LENGTHS = tuple(range(MIN_CARD_DIGITS, MAX_CARD_DIGITS + 1))

# (first, last) 4-digit issuer prefix and the card lengths the network issues. A Luhn check alone would refuse
# one random 13–19 digit number in ten; the prefix and length together make an ordinary number rarely a card.
_NETWORKS: tuple[tuple[int, int, tuple[int, ...]], ...] = (
    (4000, 4999, (13, 16, 19)),  # Visa (13 is legacy, still valid)
    (5100, 5599, (16,)),  # Mastercard
    (2221, 2720, (16,)),  # Mastercard 2-series
    (3400, 3499, (15,)),  # American Express
    (3700, 3799, (15,)),  # American Express
    (6011, 6011, _ALL_LENGTHS[3:]),  # Discover
    (6440, 6599, _ALL_LENGTHS[3:]),  # Discover 644–649, 65
    (3528, 3589, _ALL_LENGTHS[3:]),  # JCB
    (3000, 3059, _ALL_LENGTHS[1:]),  # Diners Club 300–305
    (3600, 3699, _ALL_LENGTHS[1:]),  # Diners Club International
    (3800, 3999, _ALL_LENGTHS[1:]),  # Diners Club 38, 39
    (6200, 6299, _ALL_LENGTHS[3:]),  # UnionPay
    (5000, 5099, _ALL_LENGTHS),  # Maestro 50
    (5600, 6999, _ALL_LENGTHS),  # Maestro 56–69 (the broad rule; real Maestro IINs sit inside it)
)

# A run of digits in groups separated by at most three separator characters ("4111  1111", "4111 - 1111").
_RUN = re.compile(r"[0-9](?:[\s\-./_]{0,3}[0-9]){12,}")
_GROUP = re.compile(r"[0-9]+")
_DOUBLED = str.maketrans("0123456789", "0246813579")  # Luhn: the digit sum of 2 × d

_SECURITY_WORD = (
    r"(?:cvv2?|cvc2?|cvn2?|csc|security\s+code|security\s+number|card\s+verification(?:\s+(?:code|value))?)"
)
_SECURITY_CODE = re.compile(
    rf"(?<![a-z]){_SECURITY_WORD}(?:\s*/\s*{_SECURITY_WORD})?(?![a-z])[\s:=#.\-]*(?:is\s+)?[0-9]{{3,4}}(?![0-9])"
)
# Both read lower-cased text (IGNORECASE makes them three times slower).
# "exp 04/27", "expiry: 04/2027", "valid thru 04 27"; not "expiry 12/05/2024" (a date, e.g. a warranty's).
_EXPIRY = re.compile(
    r"(?<![a-z])(?:expiry|expiration|exp|valid\s+thru|valid\s+through|good\s+thru)(?![a-z])\.?(?:\s*date(?![a-z]))?"
    r"[\s:=#\-]*(?:0?[1-9]|1[0-2])\s*[/.\-]?\s*(?:20[0-9]{2}|[0-9]{2})(?![0-9])(?!\s*[/.\-]\s*[0-9])"
)


class CardDetail(StrEnum):
    NUMBER = "card number"
    SECURITY_CODE = "security code"
    EXPIRY = "expiry date"


# The em dash and its longer kin separate clauses; nobody groups a card's digits with them.
_CLAUSE_DASHES = frozenset("\u2014\u2015\u2e3a\u2e3b")


class _Fold(dict[int, int | None]):
    """`str.translate` table, filled on first sight of each character: every decimal digit becomes ASCII
    (full-width, Arabic-Indic, Devanagari…), every space (no-break, narrow, figure…) a plain space, dashes a
    hyphen, full-width letters and signs their ASCII form (NFKC), invisible format characters (zero-width
    space, soft hyphen) nothing.
    Lazy, because scanning all of Unicode at import would cost a noticeable part of start-up."""

    def __missing__(self, code: int) -> int | None:
        char = chr(code)
        compatible = unicodedata.normalize("NFKC", char)
        category = unicodedata.category(char)
        folded: int | None = code
        if (value := unicodedata.decimal(char, None)) is not None:
            folded = 48 + value
        elif len(compatible) == 1 and compatible.isascii() and not char.isascii():
            folded = ord(compatible)  # full-width letters, digits and signs, superscript digits, most spaces
        elif char.isspace() or category == "Zs":
            folded = code if char.isascii() else 32
        elif char in _CLAUSE_DASHES:
            folded = code  # between clauses, not digit groups: "ISBN 2-300-00000-8 — 2000-01-01" is no card
        elif category == "Pd" or char == "\u2212":  # dashes; the minus sign is a maths symbol, typed alike
            folded = 45
        elif category == "Cf":
            folded = None
        self[code] = folded
        return folded


_FOLD = _Fold()


def fold(text: str) -> str:
    """`text` with its digits and separators in ASCII, as the checks below read it."""
    return text.translate(_FOLD)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@cache
def _card_lengths(prefix: str) -> tuple[int, ...]:
    """The card lengths a number starting with these 4 digits may have (none: no network issues it)."""
    number = int(prefix)
    return tuple(sorted({n for low, high, lengths in _NETWORKS if low <= number <= high for n in lengths}))


def _card_in_run(run: str, after_plus: bool) -> str | None:
    """A card number made of whole digit groups of one run: it starts where a group starts, ends where a group
    ends, and its groups are split the same way throughout (all spaces, all dashes…). So "ref 1234 4111 1111
    1111 1111 12/25" is found, while neither a long unbroken number that merely contains a Luhn-valid stretch
    (almost half of random 19-digit numbers would be refused) nor a string of unrelated numbers such as
    "12.50 2024-05-01 99812" is.

    Luhn sums come from two prefix-sum arrays (digits doubled at odd or at even positions), so each window
    costs a subtraction, and a run of thousands of digits checks in linear time."""
    groups = _GROUP.findall(run)
    gaps = ["".join(gap.split()) or " " for gap in _GROUP.split(run)[1:-1]]  # " - " and "-" split alike
    digits = "".join(groups)
    size = len(digits)
    ends = [0] * len(groups)  # where each group ends, in digits
    for index, group in enumerate(groups):
        ends[index] = (ends[index - 1] if index else 0) + len(group)
    # reach[i]: where the last group ends that group i joins to by the same separator (or by none, alone).
    reach = ends[:]
    for index in range(len(gaps) - 1, -1, -1):
        joined = index + 1 < len(gaps) and gaps[index + 1] == gaps[index]
        reach[index] = reach[index + 1] if joined else ends[index + 1]
    is_end = bytearray(size + 1)
    for end in ends:
        is_end[end] = 1
    plain, doubled = digits.encode("ascii"), digits.translate(_DOUBLED).encode("ascii")
    odd_doubled, even_doubled = bytearray(plain), bytearray(doubled)
    odd_doubled[1::2], even_doubled[1::2] = doubled[1::2], plain[1::2]
    sums_odd_doubled = list(accumulate(odd_doubled, initial=0))
    sums_even_doubled = list(accumulate(even_doubled, initial=0))
    for index, start in enumerate([0, *ends[:-1]]):
        if start + MIN_CARD_DIGITS > reach[index]:
            continue
        for length in _card_lengths(digits[start : start + 4]):
            end = start + length
            if end > reach[index]:
                break
            if not is_end[end] or (after_plus and start == 0 and length <= _MAX_PHONE_DIGITS):
                continue
            # The last digit is never doubled, so the doubled positions are those of the other parity.
            sums = sums_odd_doubled if (end - 1) % 2 == 0 else sums_even_doubled
            if (sums[end] - sums[start] - 48 * length) % 10 == 0:  # the sums are of ASCII codes: 48 each
                return digits[start:end]
    return None


def find_card_number(text: str) -> str | None:
    """The first payment card number in `text` (issuer prefix, network length, Luhn), as plain digits."""
    return _number_in(fold(text))


def _number_in(folded: str) -> str | None:
    for run in _RUN.finditer(folded):
        after_plus = run.start() > 0 and folded[run.start() - 1] == "+"
        card = _card_in_run(run.group(), after_plus)
        if card is not None:
            return card
    return None


def find_card_detail(text: str) -> CardDetail | None:
    """What card detail `text` holds, if any: a card number first, then a security code or an expiry date."""
    folded = fold(text)
    if _number_in(folded) is not None:
        return CardDetail.NUMBER
    lowered = folded.lower()
    if _SECURITY_CODE.search(lowered):
        return CardDetail.SECURITY_CODE
    if _EXPIRY.search(lowered):
        return CardDetail.EXPIRY
    return None


_CARD_DETAIL_MESSAGES = {
    CardDetail.NUMBER: "This looks like a payment card number. Counterpart never stores card numbers: keeping them "
    "puts customers at risk and breaks card-industry rules. Remove it (the last 4 digits are fine).",
    CardDetail.SECURITY_CODE: "This looks like a card security code (CVV/CVC). Counterpart never stores card details: "
    "card-industry rules forbid keeping the code at all, even on paper. Remove it.",
    CardDetail.EXPIRY: "This looks like a payment card's expiry date. Counterpart never stores card details: together "
    "with a card number it is what a thief needs. Remove it.",
}


def refuse_card_numbers(field: str, text: str) -> None:
    """Refuse a card number, security code or expiry date anywhere in `text` , saying
    which was found and never repeating its digits."""
    detail = find_card_detail(text)
    if detail is not None:
        raise ValidationError(field, _CARD_DETAIL_MESSAGES[detail])
