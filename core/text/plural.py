"""Counts said in words: "1 old backup", "2 old backups". One place, so no message says "1 old backups"."""

from __future__ import annotations


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """`count` with the noun agreeing, thousands separated: count_of(1, "customer") == "1 customer".

    `plural` is for nouns that do not just take an "s" (count_of(2, "safety copy", "safety copies"))."""
    noun = singular if count == 1 else (plural if plural is not None else singular + "s")
    return f"{count:,} {noun}"
