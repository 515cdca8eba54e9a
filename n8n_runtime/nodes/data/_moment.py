"""moment.js and JavaScript ``Date`` parsing/formatting as Date & Time v1 (and v2's parser) use them.

"Local time" is the n8n process zone; n8n's own tests run with ``TZ=UTC``, so callers pass UTC
unless told otherwise.
"""

from __future__ import annotations

import re
from datetime import datetime

from n8n_runtime.nodes.data._date_parts import hour_field, month_field, offset_minutes, wall_time
from n8n_runtime.nodes.data._luxon import MONTHS, WEEKDAYS, DateTime, Zone, format_offset

_MOMENT_TOKEN_RE = re.compile(
    r"(\[[^\[]*\])|(\\)?([Hh]mm(ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?|Qo?|N{1,5}"
    r"|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|gg(ggg?)?|GG(GGG?)?|e|E|a|A|hh?|HH?|kk?|mm?|ss?|S{1,9}|x|X|zz?|ZZ?|.)"
)
_LONG_FORMATS = {
    "LTS": "h:mm:ss A",
    "LT": "h:mm A",
    "L": "MM/DD/YYYY",
    "LL": "MMMM D, YYYY",
    "LLL": "MMMM D, YYYY h:mm A",
    "LLLL": "dddd, MMMM D, YYYY h:mm A",
}


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def moment_format(dt: DateTime, fmt: str) -> str:
    """moment's ``format(fmt)`` (en locale)."""
    fmt = re.sub(r"(\[[^\]]*\])|(LTS|LT|LL?L?L?)", lambda m: m.group(1) or _LONG_FORMATS[m.group(2)], fmt)
    local = dt.local
    iso_year, iso_week, _ = local.isocalendar()
    weekday = (local.weekday() + 1) % 7  # moment: Sunday = 0
    hour12 = local.hour % 12 or 12
    ms = local.microsecond // 1000
    values = {
        "M": str(local.month), "MM": f"{local.month:02d}", "Mo": _ordinal(local.month),
        "MMM": MONTHS[local.month - 1][:3], "MMMM": MONTHS[local.month - 1],
        "D": str(local.day), "DD": f"{local.day:02d}", "Do": _ordinal(local.day),
        "DDD": str(local.timetuple().tm_yday), "DDDD": f"{local.timetuple().tm_yday:03d}",
        "d": str(weekday), "do": _ordinal(weekday), "dd": WEEKDAYS[local.weekday()][:2],
        "ddd": WEEKDAYS[local.weekday()][:3], "dddd": WEEKDAYS[local.weekday()],
        "e": str(weekday), "E": str(local.isoweekday()), "W": str(iso_week), "WW": f"{iso_week:02d}",
        "GGGG": f"{iso_year:04d}", "GG": f"{iso_year % 100:02d}",
        "YYYY": f"{local.year:04d}", "YY": f"{local.year % 100:02d}", "Y": str(local.year),
        "Q": str((local.month - 1) // 3 + 1), "A": "AM" if local.hour < 12 else "PM",
        "a": "am" if local.hour < 12 else "pm", "H": str(local.hour), "HH": f"{local.hour:02d}",
        "h": str(hour12), "hh": f"{hour12:02d}", "k": str(local.hour or 24), "kk": f"{local.hour or 24:02d}",
        "m": str(local.minute), "mm": f"{local.minute:02d}", "s": str(local.second),
        "ss": f"{local.second:02d}",
        "X": str(dt.ts // 1000), "x": str(dt.ts), "Z": format_offset(dt.offset, "short"),
        "ZZ": format_offset(dt.offset, "techie"), "z": dt.zone.abbreviation(dt.ts),
        "zz": dt.zone.abbreviation(dt.ts),
    }  # fmt: skip
    out = []
    for match in _MOMENT_TOKEN_RE.finditer(fmt):
        bracket, escaped, token = match.group(1), match.group(2), match.group(3)
        if bracket:
            out.append(bracket[1:-1])
        elif escaped:
            out.append(token)
        elif re.fullmatch(r"S{1,9}", token):
            out.append(f"{ms:03d}".ljust(len(token), "0")[: len(token)])
        else:
            out.append(values.get(token, token))
    return "".join(out)


_PARSE = {
    "YYYY": (r"([+-]?\d{1,4})", "year"), "YY": (r"(\d{2})", "year2"), "Y": (r"([+-]?\d+)", "year"),
    "M": (r"(\d{1,2})", "month"), "MM": (r"(\d{1,2})", "month"), "MMM": (r"([A-Za-z]+)", "monthname"),
    "MMMM": (r"([A-Za-z]+)", "monthname"), "D": (r"(\d{1,2})", "day"), "DD": (r"(\d{1,2})", "day"),
    "Do": (r"(\d{1,2})(?:st|nd|rd|th)", "day"), "H": (r"(\d{1,2})", "hour"), "HH": (r"(\d{1,2})", "hour"),
    "h": (r"(\d{1,2})", "hour12"), "hh": (r"(\d{1,2})", "hour12"), "m": (r"(\d{1,2})", "minute"),
    "mm": (r"(\d{1,2})", "minute"), "s": (r"(\d{1,2})", "second"), "ss": (r"(\d{1,2})", "second"),
    "A": (r"(am|pm|AM|PM)", "ampm"), "a": (r"(am|pm|AM|PM)", "ampm"), "X": (r"(-?\d+(?:\.\d{1,3})?)", "unix"),
    "x": (r"(-?\d+)", "unixms"), "Z": (r"(Z|[+-]\d\d:?\d\d)", "offset"),
    "ZZ": (r"(Z|[+-]\d\d:?\d\d)", "offset"),
    "ddd": (r"[A-Za-z]+", ""), "dddd": (r"[A-Za-z]+", ""),
}  # fmt: skip


def moment_parse_format(text: str, fmt: str, strict: bool) -> tuple[datetime, int | None] | int | None:
    """``moment(text, fmt[, strict])``: (wall time, offset minutes or None) or epoch ms; None if invalid."""
    pattern, fields = "", []
    for match in _MOMENT_TOKEN_RE.finditer(fmt):
        bracket, token = match.group(1), match.group(3)
        if bracket:
            pattern += re.escape(bracket[1:-1])
        elif re.fullmatch(r"S{1,9}", token or ""):
            pattern += r"(\d{1,9})"
            fields.append("fraction")
        elif token in _PARSE:
            regex, field = _PARSE[token]
            pattern += regex
            if field:
                fields.append(field)
        elif strict:
            pattern += re.escape(token)
        else:
            pattern += r"[^A-Za-z0-9]*?" if not token.isalnum() else re.escape(token)
    found = re.fullmatch(pattern, text) if strict else re.match(r"\s*" + pattern, text)
    if not found:
        return None
    values = dict(zip(fields, found.groups(), strict=False))
    if "unixms" in values:
        return int(values["unixms"])
    if "unix" in values:
        return round(float(values["unix"]) * 1000)
    month = month_field(values)
    if month is None:
        return None
    year = int(values["year"]) if "year" in values else None
    if year is None:
        year = 2000 + int(values["year2"]) if "year2" in values else datetime.now().year
        if "year2" in values and int(values["year2"]) > 68:
            year -= 100
    hour = hour_field(values)
    if "hour12" not in values and values.get("ampm", "").lower() == "pm" and hour < 12:
        hour += 12
    fraction = values.get("fraction", "0")
    try:
        local = datetime(
            year, month, int(values.get("day", 1)), hour, int(values.get("minute", 0)),
            int(values.get("second", 0)), int(fraction[:3].ljust(3, "0")) * 1000,
        )  # fmt: skip
    except ValueError:
        return None
    return local, offset_minutes(values.get("offset"))


_MOMENT_ISO_RE = re.compile(
    r"^\s*([+-]\d{6}|\d{4})-?(\d\d)(?:-?(\d\d))?"
    r"(?:(?:T| )(\d\d)(?::?(\d\d)(?::?(\d\d)(?:[.,](\d+))?)?)?(\s*Z|[+-]\d\d(?::?\d\d)?)?)?\s*$"
)


def parse_iso_like(text: str, local_zone: Zone, date_only_utc: bool) -> DateTime | None:
    """ISO 8601 as moment/``Date`` read it (moment: date-only is local; ``Date``: UTC)."""
    match = _MOMENT_ISO_RE.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    local = wall_time(year, month, day, hour, minute, second, fraction)
    if local is None:
        return None
    minutes = offset_minutes(offset.strip()) if offset else None
    if minutes is None and hour is None and date_only_utc:
        minutes = 0
    if minutes is None:
        return DateTime.from_local(local, local_zone)
    return DateTime.from_local(local, Zone("fixed", minutes), minutes)


_WORD_MONTHS = {m[:3].lower(): i + 1 for i, m in enumerate(MONTHS)}


def js_date_parse(text: str, local_zone: Zone) -> DateTime | None:
    """``new Date(text)`` (V8): ISO first, then the legacy ``Month D, YYYY`` / ``M/D/YYYY`` forms."""
    iso = parse_iso_like(text, local_zone, date_only_utc=True)
    if iso is not None and ("T" in text or len(text.strip()) <= 10):
        return iso
    numbers: list[int] = []
    month: int | None = None
    time: list[int] = []
    offset: int | None = None
    pm: bool | None = None
    for token in re.findall(r"\d+:\d+(?::\d+(?:\.\d+)?)?|[+-]\d{4}|[+-]\d\d:\d\d|\d+|[A-Za-z]+", text):
        if ":" in token and not token.startswith(("+", "-")):
            parts = re.split(r"[:.]", token)
            time = [int(p) for p in parts[:3]] + ([int(parts[3][:3].ljust(3, "0"))] if len(parts) > 3 else [])
        elif token[0] in "+-" and (len(token) == 5 or ":" in token):
            offset = offset_minutes(token)
        elif token.isdigit():
            numbers.append(int(token))
        else:
            word = token.lower()
            if word in ("utc", "gmt", "z"):
                offset = 0 if offset is None else offset
            elif word in ("am", "pm"):
                pm = word == "pm"
            elif word[:3] in _WORD_MONTHS and month is None:
                month = _WORD_MONTHS[word[:3]]
            elif word[:3] not in {d[:3].lower() for d in WEEKDAYS} and word != "t":
                return None
    try:
        if month is not None and len(numbers) >= 2:
            day, year = (numbers[0], numbers[1]) if numbers[0] <= 31 else (numbers[1], numbers[0])
            year_month_day = (year, month, day)
        elif len(numbers) >= 3 and numbers[0] > 31:
            year_month_day = (numbers[0], numbers[1], numbers[2])
        elif len(numbers) >= 3:
            year_month_day = (numbers[2], numbers[0], numbers[1])
        else:
            return None
        year = year_month_day[0]
        if year < 50:
            year += 2000
        elif year < 100:
            year += 1900
        hour = (time[0] if time else 0) % 12 + 12 if pm else (time[0] if time else 0)
        if pm is False and hour == 12:
            hour = 0
        local = datetime(
            year, year_month_day[1], year_month_day[2], hour, time[1] if len(time) > 1 else 0,
            time[2] if len(time) > 2 else 0, (time[3] if len(time) > 3 else 0) * 1000,
        )  # fmt: skip
    except ValueError:
        return None
    if offset is None:
        return DateTime.from_local(local, local_zone)
    return DateTime.from_local(local, Zone("fixed", offset), offset)


def moment_from_string(text: str, local_zone: Zone) -> DateTime | None:
    """``moment(text)``: ISO 8601 (date-only is local), else the ``Date`` fallback."""
    iso = parse_iso_like(text, local_zone, date_only_utc=False)
    return iso if iso is not None else js_date_parse(text, local_zone)
