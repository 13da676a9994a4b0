"""Dates as customers say them: the shop's local order (14/05/1980, or 05/14/1980 in the US), ISO, "14 May 1980",
and a birthday without a year, stored as ISO 8601's "--05-14" so no age is ever guessed from it."""

from __future__ import annotations

import re
from datetime import date

from core.errors import ValidationError

# ISO 8601's form for a date without a year ("--05-14"): a birthday the customer gave without the year. It is
# never turned into an age; the age check falls back to the age range (see profiling.is_child).
NO_YEAR = "--"
# Countries that write the month first (05/14/1980). Everyone else here reads 14/05/1980 as 14 May.
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "VI", "UM"})
_MONTH_WORDS = (
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december"),
)  # fmt: skip
_MONTHS = {name: number for number, names in enumerate(_MONTH_WORDS, start=1) for name in names}
_MONTH_NAMES = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?(?:,?\s+(\d{2,4}))?")
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{2,4}))?")


def month_first(country: str) -> bool:
    return country.upper() in MONTH_FIRST_COUNTRIES


def date_example(country: str) -> str:
    """The example the input and its error message show, in the shop's own order."""
    return "05/14/1980" if month_first(country) else "14/05/1980"


def _format_message(country: str) -> str:
    order = "month/day/year" if month_first(country) else "day/month/year"
    short = "05/14" if month_first(country) else "14/05"
    return (
        f"Write the date as {order}, e.g. {date_example(country)}, or as 14 May 1980 or 1980-05-14. "
        f"Without the year is fine too: {short} or 14 May."
    )


def parse_date_answer(key: str, raw: str, country: str, today: date) -> str:
    """A typed date as stored: "1980-05-14", or "--05-14" when no year was given. Raises ValidationError saying
    which forms are accepted (the shop's local order first)."""
    text = raw.strip().lower()
    day = month = year = None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif numeric := _NUMERIC.fullmatch(text):
        first, second = int(numeric[1]), int(numeric[2])
        month, day = (first, second) if month_first(country) else (second, first)
        year = int(numeric[3]) if numeric[3] else None
        if numeric[3] and len(numeric[3]) != 4:
            raise ValidationError(key, f"Write the year in full (1980, not 80). {_format_message(country)}")
    elif (named := _DAY_MONTH.fullmatch(text)) and named[2] in _MONTHS:
        day, month, year = int(named[1]), _MONTHS[named[2]], int(named[3]) if named[3] else None
    elif (named := _MONTH_DAY.fullmatch(text)) and named[1] in _MONTHS:
        month, day, year = _MONTHS[named[1]], int(named[2]), int(named[3]) if named[3] else None
    else:
        raise ValidationError(key, _format_message(country))
    if year is not None and year < 1000:
        raise ValidationError(key, f"Write the year in full (1980, not 80). {_format_message(country)}")
    try:
        # 2000 is a leap year, so 29 February without a year is accepted as a birthday.
        chosen = date(year if year is not None else 2000, month, day)
    except ValueError as exc:
        raise ValidationError(key, f"There is no such day. {_format_message(country)}") from exc
    if year is None:
        return f"{NO_YEAR}{chosen.month:02d}-{chosen.day:02d}"
    if chosen > today or chosen.year < 1900:
        raise ValidationError(key, "That date is not a possible birthday.")
    return chosen.isoformat()


def full_date(value: str) -> date | None:
    """The stored date when it has a year; None for a birthday given without one (no age can be worked out)."""
    if value.startswith(NO_YEAR):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def show_date(value: str) -> str:
    """A stored date in words ("14 May 1980", "14 May"), the same in every country, so nobody misreads it."""
    if value.startswith(NO_YEAR):
        month, day = value[len(NO_YEAR) :].split("-")
        return f"{int(day)} {_MONTH_NAMES[int(month)]}"
    known = full_date(value)
    return f"{known.day} {_MONTH_NAMES[known.month]} {known.year}" if known else value
