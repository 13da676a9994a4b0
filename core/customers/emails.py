"""E-mail addresses as typed at the counter: several in one box, a comma typed for a dot, common domain typos."""

from __future__ import annotations

import re

# Domains most customers' addresses are at. A typed domain one or two slips away from one of these (and not
# itself one of them) is offered the correction; nothing is changed without staff choosing it.
KNOWN_DOMAINS = (
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "live.com",
    "live.co.uk",
    "msn.com",
    "yahoo.com",
    "yahoo.co.uk",
    "ymail.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "btinternet.com",
    "sky.com",
    "virginmedia.com",
    "protonmail.com",
    "proton.me",
    "gmx.com",
    "gmx.de",
    "web.de",
    "mail.com",
    "orange.fr",
    "free.fr",
    "libero.it",
    "comcast.net",
)
_KNOWN = frozenset(KNOWN_DOMAINS)
_SHORT_DOMAIN = 8  # below this, one slip only: "me.co" is near too many real domains to guess further


def split_emails(text: str) -> list[str]:
    """Several addresses typed in one box, separated by commas or semicolons. A part after a comma that has no
    "@" (`tom.baker@gmial,com`) is a dot typed as a comma: it stays with its address, so the message quotes
    exactly what was typed."""
    parts: list[str] = []
    pieces = re.split(r"([,;])", text)
    for index in range(0, len(pieces), 2):
        part = pieces[index]
        separator = pieces[index - 1] if index else ""
        if separator == "," and "@" not in part and part.strip() and parts and "@" in parts[-1]:
            parts[-1] = f"{parts[-1]},{part}"
        else:
            parts.append(part)
    return [part.strip() for part in parts if part.strip()]


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with swapped neighbours counting as one slip ("gmial" → "gmail"); stops early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


def suggest_domain(domain: str) -> str | None:
    """The known domain `domain` is most likely a slip for, or None."""
    typed = domain.strip().lower().replace(",", ".")
    if not typed or typed in _KNOWN:
        return None
    limit = 1 if len(typed) < _SHORT_DOMAIN else 2
    best: tuple[int, str] | None = None
    for known in KNOWN_DOMAINS:
        distance = _distance(typed, known, limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, known)
    return best[1] if best else None


def suggest_email(typed: str) -> str | None:
    """A corrected address for what was typed (comma for dot, known domain typo), or None when there is nothing
    to suggest. `tom.baker@gmial,com` → `tom.baker@gmail.com`."""
    text = typed.strip()
    if text.count("@") != 1:
        return None
    local, domain = text.split("@")
    fixed_domain = domain.replace(",", ".").strip(".").lower()
    fixed_domain = suggest_domain(fixed_domain) or fixed_domain
    fixed = f"{local.replace(',', '.').strip()}@{fixed_domain}"
    if not local.strip() or "." not in fixed_domain or fixed.casefold() == text.casefold():
        return None
    return fixed
