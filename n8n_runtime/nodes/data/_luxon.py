"""The slice of Luxon's ``DateTime`` that the Date & Time node uses, over Python's zoneinfo.

An instant is integer epoch milliseconds plus a zone; strings come out exactly as Luxon writes them
(``toISO``/``toString``: ``2023-04-13T13:51:59.965+00:00``, ``Z`` only for Luxon's fixed UTC zone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from n8n_runtime.jsvalues import number_to_string

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InvalidZone(ValueError):
    """Luxon's "unsupported zone"."""


@dataclass(frozen=True)
class Zone:
    """A Luxon zone: a fixed offset (``UTC``, ``UTC+3``) or an IANA zone."""

    name: str
    fixed_minutes: int | None = None

    @property
    def is_fixed(self) -> bool:
        return self.fixed_minutes is not None

    def tzinfo(self) -> Any:
        if self.fixed_minutes is not None:
            return timezone(timedelta(minutes=self.fixed_minutes))
        return ZoneInfo(self.name)

    def offset(self, ts: int) -> int:
        """Offset in minutes at epoch milliseconds ``ts``."""
        if self.fixed_minutes is not None:
            return self.fixed_minutes
        local = (_EPOCH + timedelta(milliseconds=ts)).astimezone(self.tzinfo())
        delta = local.utcoffset() or timedelta(0)
        return int(delta.total_seconds() // 60)

    def abbreviation(self, ts: int) -> str:
        if self.fixed_minutes is not None:
            return "UTC" if self.fixed_minutes == 0 else format_offset(self.fixed_minutes, "short")
        return (_EPOCH + timedelta(milliseconds=ts)).astimezone(self.tzinfo()).tzname() or self.name


UTC_ZONE = Zone("UTC", 0)


def zone(name: str | Zone) -> Zone:
    """Luxon's ``normalizeZone`` for a string; raises InvalidZone for unknown names."""
    if isinstance(name, Zone):
        return name
    lowered = name.lower()
    if lowered in ("utc", "gmt"):
        return UTC_ZONE
    match = re.fullmatch(r"utc([+-]\d{1,2})(?::(\d{2}))?", lowered)
    if match:
        hours = int(match.group(1))
        minutes = int(match.group(2) or 0)
        total = hours * 60 + (minutes if hours >= 0 and not match.group(1).startswith("-") else -minutes)
        return Zone("UTC" if total == 0 else f"UTC{format_offset(total, 'narrow')}", total)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidZone(name) from error
    return Zone(name)


def format_offset(minutes: int, style: str) -> str:
    """Offset text: ``narrow`` +5, ``short`` +05:00, ``techie`` +0500."""
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    if style == "narrow":
        return f"{sign}{hours}" + (f":{mins:02d}" if mins else "")
    if style == "techie":
        return f"{sign}{hours:02d}{mins:02d}"
    return f"{sign}{hours:02d}:{mins:02d}"


@dataclass(frozen=True)
class DateTime:
    """An instant (epoch ms) seen in a zone."""

    ts: int
    zone: Zone

    @property
    def offset(self) -> int:
        return self.zone.offset(self.ts)

    @property
    def local(self) -> datetime:
        """Wall-clock fields as a naive datetime."""
        return (_EPOCH + timedelta(milliseconds=self.ts + self.offset * 60000)).replace(tzinfo=None)

    def set_zone(self, name: str | Zone) -> DateTime:
        return DateTime(self.ts, zone(name))

    # -- construction -------------------------------------------------------------------------
    @staticmethod
    def from_millis(ms: float, zone_: str | Zone = UTC_ZONE) -> DateTime:
        return DateTime(int(ms), zone(zone_))

    @staticmethod
    def from_local(local: datetime, zone_: Zone, guess_offset: int | None = None) -> DateTime:
        """The instant whose wall time in ``zone_`` is ``local`` (Luxon's ``fixOffset`` for DST)."""
        local_ts = int((local.replace(tzinfo=UTC) - _EPOCH) // timedelta(milliseconds=1))
        offset = zone_.offset(local_ts) if guess_offset is None else guess_offset
        guess = local_ts - offset * 60000
        offset2 = zone_.offset(guess)
        if offset == offset2:
            return DateTime(guess, zone_)
        guess -= (offset2 - offset) * 60000
        offset3 = zone_.offset(guess)
        if offset2 == offset3:
            return DateTime(guess, zone_)
        return DateTime(local_ts - min(offset2, offset3) * 60000, zone_)

    # -- arithmetic -----------------------------------------------------------------------------
    def plus(self, unit: str, amount: float) -> DateTime:
        """``dt.plus({[unit]: amount})``: calendar units keep wall time, time units add milliseconds."""
        unit = normalize_unit(unit)
        if unit in ("hours", "minutes", "seconds", "milliseconds"):
            factor = {"hours": 3600000, "minutes": 60000, "seconds": 1000, "milliseconds": 1}[unit]
            return DateTime(self.ts + round(amount * factor), self.zone)
        local = self.local
        if unit in ("years", "quarters", "months"):
            months = int(amount) * {"years": 12, "quarters": 3, "months": 1}[unit]
            month_index = local.month - 1 + months
            year, month = local.year + month_index // 12, month_index % 12 + 1
            day = min(local.day, _days_in_month(year, month))
            local = local.replace(year=year, month=month, day=day)
        elif unit in ("weeks", "days"):
            local = local + timedelta(days=int(amount) * (7 if unit == "weeks" else 1))
        return DateTime.from_local(local, self.zone, self.offset)

    def start_of(self, unit: str) -> DateTime:
        """``dt.startOf(unit)`` (weeks start on Monday)."""
        unit = normalize_unit(unit)
        local = self.local
        if unit == "years":
            local = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        elif unit == "quarters":
            month = (local.month - 1) // 3 * 3 + 1
            local = local.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
        elif unit == "months":
            local = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        elif unit == "weeks":
            local = (local - timedelta(days=local.weekday())).replace(
                hour=0, minute=0, second=0, microsecond=0
            )
        elif unit == "days":
            local = local.replace(hour=0, minute=0, second=0, microsecond=0)
        elif unit == "hours":
            local = local.replace(minute=0, second=0, microsecond=0)
        elif unit == "minutes":
            local = local.replace(second=0, microsecond=0)
        elif unit == "seconds":
            local = local.replace(microsecond=0)
        return DateTime.from_local(local, self.zone, self.offset)

    def get(self, part: str) -> Any:
        """``dt.get(part)`` for the parts the node offers."""
        local = self.local
        values: dict[str, Any] = {
            "year": local.year,
            "month": local.month,
            "day": local.day,
            "hour": local.hour,
            "minute": local.minute,
            "second": local.second,
            "millisecond": local.microsecond // 1000,
            "weekNumber": local.isocalendar()[1],
            "weekday": local.isoweekday(),
            "quarter": (local.month - 1) // 3 + 1,
            "ordinal": local.timetuple().tm_yday,
        }
        return values.get(part)

    # -- output -----------------------------------------------------------------------------------
    def to_iso(self) -> str:
        """``toISO()`` / ``toString()``."""
        local = self.local
        text = f"{_year(local.year)}-{local.month:02d}-{local.day:02d}T" + local.strftime("%H:%M:%S")
        text += f".{local.microsecond // 1000:03d}"
        if self.zone.is_fixed and self.offset == 0:
            return text + "Z"
        return text + format_offset(self.offset, "short")

    def to_format(self, fmt: str) -> str:
        """``toFormat(fmt)`` with Luxon's tokens (en-US)."""
        from n8n_runtime.nodes.data._luxon_format import format_tokens

        return format_tokens(self, fmt)


def _year(year: int) -> str:
    if 0 <= year <= 9999:
        return f"{year:04d}"
    return f"{'+' if year > 0 else '-'}{abs(year):06d}"


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (datetime(year, month + 1, 1) - datetime(year, month, 1)).days


_UNITS = {
    "year": "years", "quarter": "quarters", "month": "months", "week": "weeks", "day": "days",
    "hour": "hours", "minute": "minutes", "second": "seconds", "millisecond": "milliseconds",
}  # fmt: skip
_ORDER = ["years", "quarters", "months", "weeks", "days", "hours", "minutes", "seconds", "milliseconds"]
_TIME_MS = {"hours": 3600000, "minutes": 60000, "seconds": 1000, "milliseconds": 1}


def normalize_unit(unit: str) -> str:
    """``day`` / ``days`` / ``Days`` → ``days``."""
    lowered = unit.lower()
    return _UNITS.get(lowered, lowered)


def diff(later: DateTime, earlier: DateTime, units: list[str]) -> dict[str, float]:
    """``later.diff(earlier, units).toObject()`` following Luxon's algorithm."""
    wanted = [u for u in _ORDER if u in {normalize_unit(x) for x in units}] or ["milliseconds"]
    if later.ts < earlier.ts:
        return {k: -v if v else 0 for k, v in diff(earlier, later, units).items()}
    results: dict[str, float] = {}
    cursor = earlier.set_zone(later.zone)
    calendar = [u for u in wanted if u in ("years", "quarters", "months", "weeks", "days")]
    lowest: str | None = None
    high_water = cursor
    for unit in calendar:
        lowest = unit
        count = 0
        while cursor.plus(unit, count + 1).ts <= later.ts:
            count += 1
        results[unit] = count
        high_water = cursor.plus(unit, count)
        cursor = high_water
    remaining = later.ts - cursor.ts
    lower = [u for u in wanted if u in _TIME_MS]
    if not lower:
        if lowest is not None and remaining:
            next_step = cursor.plus(lowest, 1)
            results[lowest] = results.get(lowest, 0) + remaining / (next_step.ts - cursor.ts)
        return results
    for index, unit in enumerate(lower):
        if index == len(lower) - 1:
            results[unit] = remaining / _TIME_MS[unit]
        else:
            whole = remaining // _TIME_MS[unit]
            results[unit] = whole
            remaining -= whole * _TIME_MS[unit]
    return results


def duration_to_iso(values: dict[str, float]) -> str:
    """Luxon ``Duration.toISO()``."""
    text = "P"
    for unit, suffix in (("years", "Y"), ("quarters", "Q"), ("months", "M"), ("weeks", "W"), ("days", "D")):
        if values.get(unit):
            amount = values[unit] * (3 if unit == "quarters" else 1)
            text += number_to_string(amount) + ("M" if unit == "quarters" else suffix)
    time = ""
    for unit, suffix in (("hours", "H"), ("minutes", "M")):
        if values.get(unit):
            time += number_to_string(values[unit]) + suffix
    seconds = values.get("seconds", 0) + values.get("milliseconds", 0) / 1000
    if seconds:
        time += number_to_string(round(seconds, 3)) + "S"
    if time:
        text += "T" + time
    return "PT0S" if text == "P" else text
