"""iCalendar: the event file ICalendar's createEvent writes, and ts-ics's object shape on reading."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

__all__ = ["create_event", "parse_ics"]

_CAMEL = {
    "DTSTART": "start", "DTEND": "end", "DTSTAMP": "stamp", "UID": "uid", "SUMMARY": "summary",
    "DESCRIPTION": "description", "LOCATION": "location", "URL": "url", "STATUS": "status",
    "CREATED": "created", "LAST-MODIFIED": "lastModified", "SEQUENCE": "sequence",
    "ORGANIZER": "organizer", "CATEGORIES": "categories", "RRULE": "recurrenceRule",
    "TRANSP": "timeTransparent", "CLASS": "class", "PRIORITY": "priority", "DURATION": "duration",
}  # fmt: skip


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _date(value: str, params: dict[str, str]) -> dict[str, Any]:
    if params.get("VALUE") == "DATE" or re.fullmatch(r"\d{8}", value):
        day = dt.datetime.strptime(value[:8], "%Y%m%d").replace(tzinfo=dt.UTC)
        return {"date": day.isoformat().replace("+00:00", ".000Z"), "type": "DATE"}
    parsed = dt.datetime.strptime(value.rstrip("Z")[:15], "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
    result: dict[str, Any] = {"date": parsed.isoformat().replace("+00:00", ".000Z")}
    if "TZID" in params:
        result["local"] = {"timezone": params["TZID"], "tzoffset": "+0000", "date": result["date"]}
    return result


def parse_ics(text: str) -> dict[str, Any]:
    """An ICS calendar as ts-ics's ``icsCalendarToObject`` shapes it (version, prodId, events)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    calendar: dict[str, Any] = {}
    stack: list[dict[str, Any]] = []
    for line in unfolded.splitlines():
        if ":" not in line:
            continue
        head, value = line.split(":", 1)
        name, *raw_params = head.split(";")
        params = dict(p.split("=", 1) for p in raw_params if "=" in p)
        name = name.upper()
        if name == "BEGIN":
            stack.append({"_kind": value.upper()})
            continue
        if name == "END":
            component = stack.pop() if stack else {}
            kind = component.pop("_kind", "")
            if kind == "VEVENT":
                calendar.setdefault("events", []).append(component)
            elif kind == "VTODO":
                calendar.setdefault("todos", []).append(component)
            elif kind == "VCALENDAR":
                calendar = {**component, **calendar}
            continue
        target = stack[-1] if stack else calendar
        if name in ("DTSTART", "DTEND", "DTSTAMP", "CREATED", "LAST-MODIFIED"):
            target[_CAMEL[name]] = _date(value, params)
        elif name == "VERSION":
            target["version"] = value
        elif name == "PRODID":
            target["prodId"] = value
        elif name == "METHOD":
            target["method"] = value
        elif name == "SEQUENCE":
            target["sequence"] = int(value)
        else:
            key = _CAMEL.get(name) or name.lower()
            target[key] = _unescape(value)
    return calendar


def _ics_time(value: Any, all_day: bool) -> str:
    text = str(value)
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if all_day:
        return f";VALUE=DATE:{parsed:%Y%m%d}"
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC)
    return f":{parsed:%Y%m%dT%H%M%S}Z"


def create_event(
    start: Any, end: Any, *, title: str, all_day: bool, fields: dict[str, Any], now: dt.datetime
) -> str:
    """The ICS text of one event (the ``ics`` package's layout)."""
    if all_day:  # n8n: an all-day event ends the day after `end`
        end_day = dt.datetime.fromisoformat(str(end).replace("Z", "+00:00")) + dt.timedelta(days=1)
        end = end_day.isoformat()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "PRODID:adamgibbons/ics",
        "METHOD:PUBLISH",
        "X-PUBLISHED-TTL:PT1H",
        "BEGIN:VEVENT",
        f"UID:{fields.get('uid') or uuid.uuid4()}",
        f"SUMMARY:{_escape(title)}",
        f"DTSTAMP:{now.astimezone(dt.UTC):%Y%m%dT%H%M%S}Z",
        f"DTSTART{_ics_time(start, all_day)}",
        f"DTEND{_ics_time(end, all_day)}",
    ]
    for key, prop in (
        ("description", "DESCRIPTION"),
        ("location", "LOCATION"),
        ("url", "URL"),
        ("status", "STATUS"),
    ):
        if fields.get(key):
            lines.append(f"{prop}:{_escape(str(fields[key]))}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _fold(line: str) -> str:
    """RFC 5545 folding at 75 octets (the ics package folds its lines)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)
