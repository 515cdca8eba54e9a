"""The item n8n's Schedule Trigger emits when it fires, for a given fire time and time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from n8n_runtime.expressions import DEFAULT_TIMEZONE

# The Schedule Trigger first: only it emits the date fields; Cron and Interval emit `{json: {}}`.
SCHEDULE_TYPES = ("n8n-nodes-base.scheduleTrigger", "n8n-nodes-base.cron", "n8n-nodes-base.interval")
INTERVAL_TYPE = SCHEDULE_TYPES[2]


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def schedule_item(node_type: str, fired_at: datetime, timezone: str | None) -> dict[str, Any]:
    """`{json: {timestamp, "Readable date", ...}}` as the Schedule Trigger; `{json: {}}` for Cron
    and Interval."""
    if node_type != SCHEDULE_TYPES[0]:
        return {"json": {}}
    zone = timezone or DEFAULT_TIMEZONE
    local = fired_at.astimezone(ZoneInfo(zone))
    offset = local.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    clock = local.strftime("%I:%M:%S %p").lstrip("0").lower()
    return {
        "json": {
            "timestamp": local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}{offset}",
            "Readable date": f"{local.strftime('%B')} {_ordinal(local.day)} {local.year}, {clock}",
            "Readable time": clock,
            "Day of week": local.strftime("%A"),
            "Year": str(local.year),
            "Month": local.strftime("%B"),
            "Day of month": f"{local.day:02d}",
            "Hour": f"{local.hour:02d}",
            "Minute": f"{local.minute:02d}",
            "Second": f"{local.second:02d}",
            "Timezone": f"{zone} (UTC{offset})",
        }
    }
