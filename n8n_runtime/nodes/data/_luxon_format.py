"""Luxon ``toFormat`` tokens (en-US) and ``fromISO`` / ``fromFormat`` parsing."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from n8n_runtime.nodes.data._date_parts import hour_field, month_field, offset_minutes, wall_time
from n8n_runtime.nodes.data._luxon import MONTHS, WEEKDAYS, DateTime, Zone, format_offset

if TYPE_CHECKING:
    from collections.abc import Callable


def _split(fmt: str) -> list[tuple[bool, str]]:
    """Luxon's ``parseFormat``: runs of one letter are tokens, ``'...'`` is literal."""
    parts: list[tuple[bool, str]] = []
    current, literal_mode, i = "", False, 0
    while i < len(fmt):
        char = fmt[i]
        if char == "'":
            if current:
                parts.append((literal_mode, current))
            current = ""
            if i + 1 < len(fmt) and fmt[i + 1] == "'" and not literal_mode:
                parts.append((True, "'"))
                i += 2
                continue
            literal_mode = not literal_mode
        elif literal_mode or (current and char == current[0]):
            current += char
        else:
            if current:
                parts.append((False, current))
            current = char
        i += 1
    if current:
        parts.append((literal_mode, current))
    return parts


def _hour12(hour: int) -> int:
    return 12 if hour % 12 == 0 else hour % 12


def _macro(dt: DateTime, token: str) -> str | None:
    local = dt.local
    month, day, year = local.month, local.day, local.year
    weekday = WEEKDAYS[local.weekday()]
    ampm = "AM" if local.hour < 12 else "PM"
    t = f"{_hour12(local.hour)}:{local.minute:02d} {ampm}"
    tt = f"{_hour12(local.hour)}:{local.minute:02d}:{local.second:02d} {ampm}"
    macros = {
        "D": f"{month}/{day}/{year}",
        "DD": f"{MONTHS[month - 1][:3]} {day}, {year}",
        "DDD": f"{MONTHS[month - 1]} {day}, {year}",
        "DDDD": f"{weekday}, {MONTHS[month - 1]} {day}, {year}",
        "t": t,
        "tt": tt,
        "T": f"{local.hour:02d}:{local.minute:02d}",
        "TT": f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}",
        "f": f"{month}/{day}/{year}, {t}",
        "ff": f"{MONTHS[month - 1][:3]} {day}, {year}, {t}",
        "F": f"{month}/{day}/{year}, {tt}",
        "FF": f"{MONTHS[month - 1][:3]} {day}, {year}, {tt}",
        "fff": f"{MONTHS[month - 1]} {day}, {year} at {t} {dt.zone.abbreviation(dt.ts)}",
    }
    return macros.get(token)


def _token(dt: DateTime, token: str) -> str:
    local = dt.local
    ms = local.microsecond // 1000
    iso_year, iso_week, iso_day = local.isocalendar()
    simple: dict[str, Callable[[], str]] = {
        "S": lambda: str(ms),
        "SSS": lambda: f"{ms:03d}",
        "u": lambda: f"{ms:03d}",
        "uu": lambda: f"{ms // 10:02d}",
        "uuu": lambda: str(ms // 100),
        "s": lambda: str(local.second),
        "ss": lambda: f"{local.second:02d}",
        "m": lambda: str(local.minute),
        "mm": lambda: f"{local.minute:02d}",
        "h": lambda: str(_hour12(local.hour)),
        "hh": lambda: f"{_hour12(local.hour):02d}",
        "H": lambda: str(local.hour),
        "HH": lambda: f"{local.hour:02d}",
        "Z": lambda: format_offset(dt.offset, "narrow") if not _is_utc(dt) else "+0",
        "ZZ": lambda: format_offset(dt.offset, "short"),
        "ZZZ": lambda: format_offset(dt.offset, "techie"),
        "ZZZZ": lambda: dt.zone.abbreviation(dt.ts),
        "z": lambda: dt.zone.name,
        "a": lambda: "AM" if local.hour < 12 else "PM",
        "d": lambda: str(local.day),
        "dd": lambda: f"{local.day:02d}",
        "c": lambda: str(iso_day),
        "E": lambda: str(iso_day),
        "ccc": lambda: WEEKDAYS[iso_day - 1][:3],
        "EEE": lambda: WEEKDAYS[iso_day - 1][:3],
        "cccc": lambda: WEEKDAYS[iso_day - 1],
        "EEEE": lambda: WEEKDAYS[iso_day - 1],
        "ccccc": lambda: WEEKDAYS[iso_day - 1][0],
        "EEEEE": lambda: WEEKDAYS[iso_day - 1][0],
        "L": lambda: str(local.month),
        "M": lambda: str(local.month),
        "LL": lambda: f"{local.month:02d}",
        "MM": lambda: f"{local.month:02d}",
        "LLL": lambda: MONTHS[local.month - 1][:3],
        "MMM": lambda: MONTHS[local.month - 1][:3],
        "LLLL": lambda: MONTHS[local.month - 1],
        "MMMM": lambda: MONTHS[local.month - 1],
        "LLLLL": lambda: MONTHS[local.month - 1][0],
        "MMMMM": lambda: MONTHS[local.month - 1][0],
        "y": lambda: str(local.year),
        "yy": lambda: f"{local.year % 100:02d}",
        "yyyy": lambda: f"{local.year:04d}",
        "yyyyyy": lambda: f"{local.year:06d}",
        "G": lambda: "AD" if local.year > 0 else "BC",
        "GG": lambda: "Anno Domini" if local.year > 0 else "Before Christ",
        "GGGGG": lambda: "A" if local.year > 0 else "B",
        "kk": lambda: f"{iso_year % 100:02d}",
        "kkkk": lambda: f"{iso_year:04d}",
        "W": lambda: str(iso_week),
        "WW": lambda: f"{iso_week:02d}",
        "o": lambda: str(local.timetuple().tm_yday),
        "ooo": lambda: f"{local.timetuple().tm_yday:03d}",
        "q": lambda: str((local.month - 1) // 3 + 1),
        "qq": lambda: f"{(local.month - 1) // 3 + 1:02d}",
        "X": lambda: str(dt.ts // 1000),
        "x": lambda: str(dt.ts),
    }
    if token in simple:
        return simple[token]()
    return _macro(dt, token) or token


def _is_utc(dt: DateTime) -> bool:
    return dt.zone.is_fixed and dt.offset == 0


def format_tokens(dt: DateTime, fmt: str) -> str:
    """``dt.toFormat(fmt)``."""
    return "".join(text if literal else _token(dt, text) for literal, text in _split(fmt))


_ISO_RE = re.compile(
    r"^([+-]\d{6}|\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?"
    r"(?:T(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,30}))?)?)?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def from_iso(text: str, default_zone: Zone) -> DateTime | None:
    """``DateTime.fromISO(text, {setZone: true})`` for calendar dates; None when unparsable."""
    match = _ISO_RE.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    local = wall_time(year, month, day, hour, minute, second, fraction)
    if local is None:
        return None
    minutes = offset_minutes(offset)
    if minutes is None:
        return DateTime.from_local(local, default_zone)
    fixed = Zone("UTC" if minutes == 0 else f"UTC{format_offset(minutes, 'narrow')}", minutes)
    return DateTime.from_local(local, fixed, minutes)


_PARSE_TOKENS: dict[str, tuple[str, str]] = {
    "yyyy": (r"(\d{4})", "year"), "yy": (r"(\d{2})", "year2"), "y": (r"(\d{1,6})", "year"),
    "MM": (r"(\d{2})", "month"), "M": (r"(\d{1,2})", "month"), "LL": (r"(\d{2})", "month"),
    "L": (r"(\d{1,2})", "month"), "MMMM": (r"([A-Za-z]+)", "monthname"),
    "MMM": (r"([A-Za-z]{3})", "monthname"),
    "dd": (r"(\d{2})", "day"), "d": (r"(\d{1,2})", "day"), "HH": (r"(\d{2})", "hour"),
    "H": (r"(\d{1,2})", "hour"), "hh": (r"(\d{2})", "hour12"), "h": (r"(\d{1,2})", "hour12"),
    "mm": (r"(\d{2})", "minute"), "m": (r"(\d{1,2})", "minute"), "ss": (r"(\d{2})", "second"),
    "s": (r"(\d{1,2})", "second"), "SSS": (r"(\d{3})", "ms"), "S": (r"(\d{1,3})", "ms"),
    "a": (r"(AM|PM|am|pm)", "ampm"), "X": (r"(-?\d+)", "unix"), "x": (r"(-?\d+)", "unixms"),
    "EEE": (r"[A-Za-z]{3}", ""), "EEEE": (r"[A-Za-z]+", ""), "ccc": (r"[A-Za-z]{3}", ""),
    "cccc": (r"[A-Za-z]+", ""), "ZZ": (r"([+-]\d{2}:\d{2}|Z)", "offset"), "ZZZ": (r"([+-]\d{4})", "offset"),
}  # fmt: skip


def from_format(text: str, fmt: str, default_zone: Zone) -> DateTime | None:
    """``DateTime.fromFormat(text, fmt)`` for the common numeric tokens; None when unparsable."""
    pattern, fields = "", []
    for literal, token in _split(fmt):
        if literal or token not in _PARSE_TOKENS:
            pattern += re.escape(token)
            continue
        regex, field = _PARSE_TOKENS[token]
        pattern += regex
        if field:
            fields.append(field)
    match = re.fullmatch(pattern, text)
    if not match:
        return None
    values = dict(zip(fields, match.groups(), strict=False))
    if "unixms" in values:
        return DateTime(int(values["unixms"]), default_zone)
    if "unix" in values:
        return DateTime(int(values["unix"]) * 1000, default_zone)
    month = month_field(values)
    if month is None:
        return None
    year = int(values["year"]) if "year" in values else 2000 + int(values.get("year2", 0))
    hour = hour_field(values)
    try:
        local = datetime(
            year, month, int(values.get("day", 1)), hour, int(values.get("minute", 0)),
            int(values.get("second", 0)), int(values.get("ms", "0").ljust(3, "0")[:3]) * 1000,
        )  # fmt: skip
    except ValueError:
        return None
    return DateTime.from_local(local, default_zone)
