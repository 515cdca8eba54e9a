"""Date & Time node v1 (moment semantics) and v2 (Luxon semantics)."""

from __future__ import annotations

from typing import Any

import pytest

from n8n_runtime.nodes.base import NodeError
from n8n_runtime.nodes.data._luxon import DateTime, zone
from tests.n8n_runtime.nodes_data.helpers import execute, jsons

NY = {"timezone": "America/New_York"}


def v2(params: dict[str, Any], extras: dict[str, Any] | None = None) -> dict[str, Any]:
    return jsons(execute("dateTime", 2, params, [{"in": 1}], extras=extras or NY))[0]


def v1(params: dict[str, Any]) -> dict[str, Any]:
    return jsons(execute("dateTime", 1, params, [{"in": 1}], extras=NY))[0]


def test_v2_add_subtract_keep_wall_time_and_zone() -> None:
    out = v2(
        {"operation": "addToDate", "magnitude": "2024-01-31T10:00:00", "duration": 1, "timeUnit": "months"}
    )
    assert out == {"newDate": "2024-02-29T05:00:00.000-05:00"}
    out = v2(
        {
            "operation": "subtractFromDate",
            "magnitude": "2024-03-10T12:00:00Z",
            "duration": 3,
            "timeUnit": "hours",
        }
    )
    assert out == {"newDate": "2024-03-10T05:00:00.000-04:00"}


def test_v2_format_timestamps_and_offsets() -> None:
    for value in (1700000000, 1700000000000, "1700000000.5", 1700000000.5):
        assert v2({"operation": "formatDate", "date": value, "format": "yyyy-MM-dd HH:mm"}) == {
            "formattedDate": "2023-11-14 22:13"
        }
    out = v2(
        {
            "operation": "formatDate",
            "date": "2024-05-01T10:00:00+02:00",
            "format": "custom",
            "customFormat": "HH 'h' ZZ",
        }
    )
    assert out == {"formattedDate": "10 h +02:00"}
    assert v2({"operation": "formatDate", "date": None}) == {"formattedDate": None}


def test_v2_round_between_extract_and_now() -> None:
    assert v2({"operation": "roundDate", "date": "2024-05-17T10:00:00Z", "toNearest": "week"}) == {
        "roundedDate": "2024-05-13T00:00:00.000-04:00"
    }
    out = v2(
        {
            "operation": "getTimeBetweenDates",
            "startDate": "2024-01-01",
            "endDate": "2024-03-01T12:00:00Z",
            "units": ["month", "day"],
        }
    )
    assert out == {"timeDifference": {"months": 2, "days": 0.5}}
    assert v2({"operation": "extractDate", "date": "2024-05-17T10:00:00Z", "part": "week"}) == {
        "datePart": 20
    }
    out = v2({"operation": "getCurrentDate"}, {"now_ms": 0, "timezone": "UTC"})
    assert out == {"currentDate": "1970-01-01T00:00:00.000Z"}


def test_v2_include_input_fields_and_errors() -> None:
    params = {"operation": "formatDate", "date": "2024-01-01", "options": {"includeInputFields": True}}
    assert v2(params) == {"in": 1, "formattedDate": "01/01/2024"}
    with pytest.raises(NodeError, match="Invalid date format"):
        v2({"operation": "formatDate", "date": "not a date"})
    with pytest.raises(NodeError, match="workflow clock"):
        v2({"operation": "getCurrentDate"})


def test_v1_format_and_calculate() -> None:
    assert v1({"value": "2024-02-03T04:05:06Z", "custom": True, "toFormat": "dddd Do MMM YYYY HH:mm"}) == {
        "in": 1,
        "data": "Saturday 3rd Feb 2024 04:05",
    }
    assert (
        v1({"value": "2024-02-03", "toFormat": "X", "options": {"fromTimezone": "Europe/Paris"}})["data"]
        == "1706914800"
    )
    assert v1({"action": "calculate", "value": "2024-01-31", "duration": 1, "timeUnit": "months"})[
        "data"
    ] == ("2024-02-29T00:00:00.000Z")
    with pytest.raises(NodeError, match="From Format"):
        v1({"action": "calculate", "value": "31/01/2024", "options": {"fromFormat": "YYYY-MM-DD"}})


def test_luxon_iso_output_zone_rules() -> None:
    assert DateTime(0, zone("UTC")).to_iso() == "1970-01-01T00:00:00.000Z"
    assert DateTime(0, zone("Etc/UTC")).to_iso() == "1970-01-01T00:00:00.000+00:00"
    assert DateTime(0, zone("UTC+5:30")).to_iso() == "1970-01-01T05:30:00.000+05:30"
