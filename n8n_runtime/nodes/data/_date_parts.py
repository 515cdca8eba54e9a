"""Pieces of parsed date text shared by the Luxon and moment.js parsers."""

from __future__ import annotations

from datetime import datetime

from n8n_runtime.nodes.data._luxon import MONTHS


def wall_time(
    year: str, month: str | None, day: str | None, hour: str | None, minute: str | None,
    second: str | None, fraction: str | None,
) -> datetime | None:  # fmt: skip
    """The wall-clock time of matched ISO 8601 fields (missing ones default); None when invalid.

    Only milliseconds of `fraction` count, as in JavaScript.
    """
    try:
        return datetime(
            int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0),
            int((fraction or "0")[:3].ljust(3, "0")) * 1000,
        )  # fmt: skip
    except ValueError:
        return None


def offset_minutes(text: str | None) -> int | None:
    """Minutes east of UTC of `Z`, `+05`, `+0530` or `+05:30`; None without an offset."""
    if text is None:
        return None
    if text.upper() == "Z":
        return 0
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return -minutes if text[0] == "-" else minutes


def month_from_name(name: str) -> int | None:
    """1-12 for an English month name or its three-letter abbreviation (any case)."""
    name = name.lower()
    hits = [i for i, m in enumerate(MONTHS) if m.lower() == name or m[:3].lower() == name]
    return hits[0] + 1 if hits else None


def month_field(values: dict[str, str]) -> int | None:
    """The month of a format match: a `monthname` by name, else `month` (default 1); None if unknown."""
    if "monthname" in values:
        return month_from_name(values["monthname"])
    return int(values.get("month", 1))


def hour_field(values: dict[str, str]) -> int:
    """The hour of a format match: `hour12` with its `ampm`, else `hour` (default 0)."""
    if "hour12" in values:
        return int(values["hour12"]) % 12 + (12 if values.get("ampm", "").lower() == "pm" else 0)
    return int(values.get("hour", 0))


__all__ = ["hour_field", "month_field", "month_from_name", "offset_minutes", "wall_time"]
