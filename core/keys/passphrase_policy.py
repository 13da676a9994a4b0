"""What makes a passphrase acceptable, and a generator of random-word passphrases.

The rules follow NIST SP 800-63B: a length floor, no composition rules, and a refusal of passwords known
to be common. Composition rules make people write passwords down badly; length and a blocklist do not.
"""

from __future__ import annotations

import itertools
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MIN_LENGTH = 15
# Below this many characters left after removing the shop's own name, the passphrase is mostly guessable.
MIN_LENGTH_BEYOND_CONTEXT = 8
WORDLISTS = Path(__file__).resolve().parents[2] / "resources" / "wordlists"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str


def _fold(text: str) -> str:
    """Lower-case, accent-free, without spaces or punctuation: how guessers normalise candidates too."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


@cache
def common_passwords() -> frozenset[str]:
    lines = (WORDLISTS / "common-passwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(_fold(line) for line in lines if line and not line.startswith("#"))


@cache
def passphrase_words() -> tuple[str, ...]:
    """The EFF large wordlist: 7,776 short, distinct, easy-to-type English words (CC BY 3.0 US)."""
    lines = (WORDLISTS / "eff-large-wordlist.txt").read_text(encoding="utf-8").splitlines()
    words = tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    if len(words) < 7000:  # a damaged install must not quietly generate weak passphrases
        raise RuntimeError("The passphrase word list is damaged; reinstall Counterpart.")
    return words


def _is_repetition(folded: str) -> bool:
    """True for 'aaaa…', 'abcabc…', 'passwordpassword' — a short unit repeated."""
    return re.fullmatch(r"(.{1,8})\1+", folded) is not None


def _is_sequence(folded: str) -> bool:
    """True for runs such as '123456789012345' or 'abcdefghijklmno'."""
    steps = {
        (ord(b) - ord(a)) % 10 if a.isdigit() and b.isdigit() else ord(b) - ord(a)
        for a, b in itertools.pairwise(folded)
    }
    return len(steps) == 1 and steps <= {1, -1, 9}


def _is_common(folded: str) -> bool:
    common = common_passwords()
    if folded in common:
        return True
    # A common password with digits tacked on ("password12345678") is still a common password.
    stripped = folded.rstrip("0123456789")
    if stripped != folded and stripped in common and len(stripped) >= 4:
        return True
    # Two common passwords glued together ("qwertyuiop" + "dragon") are guessed early too.
    return any(folded[:cut] in common and folded[cut:] in common for cut in range(3, len(folded) - 2))


def check_passphrase(passphrase: str, context_words: list[str] | tuple[str, ...] = ()) -> Verdict:
    """Judge a candidate passphrase. context_words are things an attacker knows (shop name, town)."""
    length = len(unicodedata.normalize("NFC", passphrase))
    if length < MIN_LENGTH:
        missing = MIN_LENGTH - length
        return Verdict(False, f"Use at least {MIN_LENGTH} characters — {missing} more to go. Several words work well.")
    folded = _fold(passphrase)
    if not folded:
        return Verdict(False, "Use some letters or digits, not only spaces and punctuation.")
    if _is_repetition(folded) or _is_sequence(folded):
        return Verdict(False, "A repeated or sequential pattern is easy to guess. Try a few unrelated words.")
    if _is_common(folded):
        return Verdict(False, "This is on the list of commonly used passwords that attackers try first.")
    remainder = folded
    for word in context_words:
        folded_word = _fold(word)
        if len(folded_word) >= 3:
            remainder = remainder.replace(folded_word, "")
    if len(remainder) < MIN_LENGTH_BEYOND_CONTEXT:
        return Verdict(False, "This is mostly the shop's own name, which anyone can read on the door.")
    return Verdict(True, "")


def generate_passphrase(words: int = 6, separator: str = "-") -> str:
    """Random words from the EFF list: 6 words give about 77 bits, far beyond any online or offline attack."""
    if words < 4:
        raise ValueError("A generated passphrase needs at least four words.")
    vocabulary = passphrase_words()
    return separator.join(secrets.choice(vocabulary) for _ in range(words))
