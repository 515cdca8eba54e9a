"""Date parsing as n8n's comparisons do it, reduced to epoch milliseconds.

* `js_date_ms`: `new Date(value).getTime()` (If v1, Filter v1, Switch v1/v2). ISO date-only strings
  are UTC, ISO date-times without an offset and the legacy formats are local time (n8n's test
  process runs with TZ=UTC, so "local" is UTC here).
* `luxon_ms`: n8n-workflow's `tryToParseDateTime` (filter conditions): Luxon ISO, HTTP, RFC 2822 and
  SQL formats in the workflow's zone, then `Date.parse` as a last resort.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, tzinfo
from email.utils import parsedate_tz
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from n8n_runtime.jsvalues import is_number

_ISO = re.compile(
    r"(?P<y>[+-]\d{6}|\d{4})(?:-?(?P<mo>\d{2})(?:-?(?P<d>\d{2}))?)?"
    r"(?:[T ](?P<h>\d{2})(?::?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_SQL = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?: (?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?"
    r"(?: ?(?P<z>Z|[+-]\d{2}(?::?\d{2})?))?"
)
_LEGACY_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%b %d %Y %H:%M:%S",
    "%b %d, %Y %H:%M:%S",
    "%b %d %Y",
    "%b %d, %Y",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y",
    "%B %d, %Y",
    "%B %d %Y",
    "%a %b %d %Y %H:%M:%S",
    "%a %b %d %Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)


def zone(name: str | None) -> tzinfo:
    """The named IANA zone (UTC when unknown or unset)."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def object_ms(value: Any) -> float | None:
    """Epoch ms of a date object (Python datetime, or a Luxon/JS-like wrapper), else None."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.timestamp() * 1000
    for attr in ("to_millis", "toMillis", "getTime", "valueOf"):
        method = getattr(value, attr, None)
        if callable(method):
            result = method()
            if is_number(result):
                return float(result)
    return None


def _iso_ms(text: str, default_zone: tzinfo, *, date_only_utc: bool) -> float | None:
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    return _parts_ms(match, default_zone, date_only_utc=date_only_utc)


def _parts_ms(match: re.Match[str], default_zone: tzinfo, *, date_only_utc: bool) -> float | None:
    g = match.groupdict()
    try:
        year = int(g["y"])
        month = int(g.get("mo") or 1)
        day = int(g.get("d") or 1)
        hour = int(g.get("h") or 0)
        minute = int(g.get("mi") or 0)
        second = int(g.get("s") or 0)
        fraction = g.get("f") or ""
        micros = int((fraction + "000000")[:6]) if fraction else 0
        if hour == 24 and minute == 0 and second == 0 and micros == 0:
            base = datetime(year, month, day) + timedelta(days=1)
        else:
            base = datetime(year, month, day, hour, minute, second, micros)
    except (ValueError, OverflowError):
        return None
    offset = g.get("z")
    if offset:
        if offset.upper() == "Z":
            tz: tzinfo = UTC
        else:
            digits = offset[1:].replace(":", "")
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            from datetime import timezone

            tz = timezone(delta if offset[0] == "+" else -delta)
    elif date_only_utc and g.get("h") is None:
        tz = UTC
    else:
        tz = default_zone
    return base.replace(tzinfo=tz).timestamp() * 1000


def date_parse_ms(text: str, local: tzinfo = UTC) -> float:
    """`Date.parse(text)` (NaN when V8 would not parse it)."""
    text = text.strip()
    parsed = _iso_ms(text, local, date_only_utc=True)
    if parsed is not None:
        return parsed
    rfc = parsedate_tz(text)
    if rfc is not None:
        y, mo, d, h, mi, s = rfc[:6]
        offset = rfc[9] or 0
        try:
            return (datetime(y, mo, d, h, mi, s, tzinfo=UTC).timestamp() - offset) * 1000
        except ValueError:
            return math.nan
    for fmt in _LEGACY_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=local).timestamp() * 1000
        except ValueError:
            continue
    return math.nan


def js_date_ms(value: Any, local: tzinfo = UTC) -> float:
    """`new Date(value).getTime()` for strings, numbers and date objects (NaN when invalid)."""
    if isinstance(value, str):
        return date_parse_ms(value, local)
    if is_number(value):
        return float(value)
    ms = object_ms(value)
    return ms if ms is not None else math.nan


def luxon_ms(value: Any, default_zone: tzinfo) -> float | None:
    """n8n's tryToParseDateTime, as epoch ms; None when the value is not a date."""
    ms = object_ms(value)
    if ms is not None:
        return ms
    text = str(value).strip() if not isinstance(value, str) else value.strip()
    parsed = _iso_ms(text, default_zone, date_only_utc=False)
    if parsed is not None:
        return parsed
    rfc = parsedate_tz(text)
    if rfc is not None:
        try:
            y, mo, d, h, mi, s = rfc[:6]
            return (datetime(y, mo, d, h, mi, s, tzinfo=UTC).timestamp() - (rfc[9] or 0)) * 1000
        except ValueError:
            pass
    sql = _SQL.fullmatch(text)
    if sql is not None:
        ms_sql = _parts_ms(sql, default_zone, date_only_utc=False)
        if ms_sql is not None:
            return ms_sql
    fallback = date_parse_ms(text)
    return None if math.isnan(fallback) else fallback


__all__ = ["date_parse_ms", "js_date_ms", "luxon_ms", "object_ms", "zone"]
