"""A moment said the way the shop reads dates: local time, the shop's country's date order, "today"/"yesterday".

Times are stored in UTC; people read them on the wall clock. The date order follows the shop's country
(14/05/2026 in the UK, 05/14/2026 in the US, 2026-05-14 in Sweden). With no country known (the book is
locked, so the shop's basics are still encrypted) the month is spelled out, which no reader can misread."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

# Month first: the US and places that follow its usage.
_MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "VI", "UM", "BZ"})
# Year first (ISO-like): East Asia, Hungary, Lithuania, Sweden, Canada's official form, South Africa, Iran…
_YEAR_FIRST = frozenset({"CN", "JP", "KR", "KP", "TW", "MN", "HU", "LT", "SE", "CA", "ZA", "IR", "BT", "NP"})
# Day first with dots rather than slashes: much of central, northern and eastern Europe.
_DOTS = frozenset(
    {"DE", "AT", "CH", "LI", "RU", "BY", "UA", "PL", "CZ", "SK", "SI", "HR", "RS", "BA", "ME", "MK", "BG", "RO",
     "NO", "FI", "DK", "IS", "EE", "LV", "TR", "AZ", "KZ", "GE", "AM"}
)  # fmt: skip
# Twelve-hour clocks with AM/PM.
_TWELVE_HOUR = frozenset({"US", "PH", "AU", "NZ", "IN", "PK", "EG", "SA", "MY", "BD", "CA"})
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shop_date(day: date, country: str | None) -> str:
    """`day` in the shop's country's usual numeric form; spelled out ("2 Dec 2026") when the country is unknown."""
    code = (country or "").upper()
    if not code:
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    if code in _YEAR_FIRST:
        separator = "." if code == "HU" else "/" if code in {"CN", "JP", "TW", "ZA", "IR"} else "-"
        return f"{day.year:04d}{separator}{day.month:02d}{separator}{day.day:02d}"
    if code in _MONTH_FIRST:
        return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"
    separator = "." if code in _DOTS else "-" if code == "NL" else "/"
    return f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year:04d}"


def shop_time(moment: datetime, country: str | None) -> str:
    """The wall-clock time of an already local `moment`: 14:02, or 2:02 PM where twelve-hour clocks are usual."""
    if (country or "").upper() in _TWELVE_HOUR:
        hour = moment.hour % 12 or 12
        return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


def local_moment(moment: datetime, country: str | None, now: datetime | None = None, zone: tzinfo | None = None) -> str:
    """`moment` (naive means UTC) in local time: "today 14:02", "yesterday 09:10", else "14/05/2026 09:10".

    `zone` and `now` exist for tests and for callers that already know them; by default the computer's zone."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone(zone)
    today = (now or datetime.now(UTC)).astimezone(zone).date()
    if local.date() == today:
        day = "today"
    elif (today - local.date()).days == 1:
        day = "yesterday"
    else:
        day = shop_date(local.date(), country)
    return f"{day} {shop_time(local, country)}"
