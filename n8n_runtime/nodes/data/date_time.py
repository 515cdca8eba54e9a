"""Date & Time node (``n8n-nodes-base.dateTime``): v1 (moment.js semantics) and v2 (Luxon).

Zones: the workflow timezone is ``run.extras["timezone"]`` (n8n's default America/New_York); the
n8n process zone, which moment/``Date`` use for "local" time, is ``run.extras["system_timezone"]``
(UTC, as in n8n's own tests). ``getCurrentDate`` reads the workflow clock from
``run.extras["now_ms"]`` (epoch milliseconds) so the node stays deterministic.
"""

from __future__ import annotations

from typing import Any

from n8n_runtime.jsvalues import (
    UNDEFINED,
    is_integer,
    is_nan_number,
    is_number,
    number_to_string,
    to_number,
    to_string,
)
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import deep_copy, item_json, options, param
from n8n_runtime.nodes.data._luxon import DateTime, InvalidZone, Zone, diff, duration_to_iso, zone
from n8n_runtime.nodes.data._luxon_format import from_format, from_iso
from n8n_runtime.nodes.data._moment import (
    js_date_parse,
    moment_format,
    moment_from_string,
    moment_parse_format,
    parse_iso_like,
)

DEFAULT_TIMEZONE = "America/New_York"


def run_date_time(run: NodeRun) -> NodeOutput:
    """Dispatch on typeVersion."""
    if float(run.node.type_version) < 2:
        return [_run_v1(run)]
    return [_run_v2(run)]


def _zones(run: NodeRun) -> tuple[str, Zone]:
    workflow = str(run.extras.get("timezone") or DEFAULT_TIMEZONE)
    system = zone(str(run.extras.get("system_timezone") or "UTC"))
    return workflow, system


def _safe_zone(name: str) -> Zone:
    try:
        return zone(name)
    except InvalidZone as error:
        raise NodeError(f"The timezone {name} is not valid. Please check the timezone.") from error


# ---------------------------------------------------------------------------------------- v1 --


def _run_v1(run: NodeRun) -> list[Item]:
    workflow_tz, local = _zones(run)
    output: list[Item] = []
    action = param(run, "action", 0, "format")
    for i, item in enumerate(run.items):
        name = str(param(run, "dataPropertyName", i, "data"))
        if action == "format":
            value = _v1_format(run, i, workflow_tz, local)
            if value is None:
                continue
        elif action == "calculate":
            value = _v1_calculate(run, i, local)
        else:
            continue
        data = deep_copy(item_json(item)) if "." in name else dict(item_json(item))
        data[name] = value  # n8n sets ['json', name]: the name is one literal key
        new: Item = {"json": data, "pairedItem": {"item": i}}
        if item.get("binary") is not None:
            new["binary"] = item["binary"]
        output.append(new)
    return output


def _v1_format(run: NodeRun, i: int, workflow_tz: str, local: Zone) -> str | None:
    value: Any = param(run, "value", i, "")
    to_format = str(param(run, "toFormat", i, "MM/DD/YYYY"))
    opts = options(run, i)
    if value is UNDEFINED:
        return None
    if not is_nan_number(value):
        value = to_number(value)
        if not is_integer(value):
            value = value * 1000
    from_format_ = opts.get("fromFormat")
    if is_integer(value):
        ms = int(value) * 1000 if len(number_to_string(value)) < 12 else int(value)
        moment: DateTime | None = DateTime(ms, local)
    else:
        text = to_string(value)
        if from_format_ is None and moment_from_string(text, local) is None:
            raise NodeError(
                'The date input format could not be recognized. Please set the "From Format" field',
                item_index=i,
            )
        if opts.get("fromTimezone") or opts.get("toTimezone"):
            source = _safe_zone(str(opts.get("fromTimezone") or workflow_tz))
            moment = _moment_tz(text, str(from_format_ or ""), source, local)
        elif from_format_:
            moment = _from_moment_format(text, str(from_format_), local, strict=False)
        else:
            moment = moment_from_string(text, local)
    if moment is None:
        return "Invalid date"
    if opts.get("toTimezone") or opts.get("fromTimezone"):
        moment = moment.set_zone(_safe_zone(str(opts.get("toTimezone") or workflow_tz)))
    return moment_format(moment, to_format)


def _from_moment_format(text: str, fmt: str, zone_: Zone, strict: bool) -> DateTime | None:
    parsed = moment_parse_format(text, fmt, strict)
    if parsed is None:
        return None
    if isinstance(parsed, int):
        return DateTime(parsed, zone_)
    local, offset = parsed
    if offset is not None:
        return DateTime.from_local(local, Zone("fixed", offset), offset).set_zone(zone_)
    return DateTime.from_local(local, zone_)


def _moment_tz(text: str, fmt: str, source: Zone, local: Zone) -> DateTime | None:
    """``moment.tz(text[, fmt], zone)``: wall times are read in ``zone``, except ``Date``-fallback
    strings, which moment reads as UTC."""
    if fmt:
        return _from_moment_format(text, fmt, source, strict=False)
    iso = parse_iso_like(text, source, date_only_utc=False)
    if iso is not None:
        return iso.set_zone(source)
    fallback = js_date_parse(text, zone("UTC"))
    return fallback.set_zone(source) if fallback is not None else None


def _v1_calculate(run: NodeRun, i: int, local: Zone) -> str:
    value: Any = param(run, "value", i, "")
    operation = param(run, "operation", i, "add")
    duration = to_number(param(run, "duration", i, 0))
    unit = str(param(run, "timeUnit", i, "days"))
    from_format_ = options(run, i).get("fromFormat")
    if from_format_:
        date = _from_moment_format(to_string(value), str(from_format_), local, strict=True)
        if date is None:
            raise NodeError(
                'Date input cannot be parsed. Please recheck the value and the "From Format" field.'
            )
    else:
        date = DateTime(int(value), local) if is_number(value) else js_date_parse(to_string(value), local)
        if date is None:
            raise NodeError('Unrecognized date input. Please specify a format in the "From Format" field.')
    amount = duration if operation == "add" else -duration
    result = date.plus(unit, amount)
    return result.set_zone("UTC").to_iso()


# ---------------------------------------------------------------------------------------- v2 --


def _run_v2(run: NodeRun) -> list[Item]:
    workflow_tz, local = _zones(run)
    operation = param(run, "operation", 0, "getCurrentDate")
    include_input = bool(param(run, "options.includeInputFields", 0, False))
    output: list[Item] = []
    for i, source in enumerate(run.items):
        item: Item = {"json": dict(item_json(source))} if include_input else {"json": {}}
        if include_input and source.get("binary") is not None:
            item["binary"] = source["binary"]
        item["pairedItem"] = {"item": i}
        try:
            _v2_operation(run, i, str(operation), item["json"], workflow_tz, local)
        except NodeError as error:
            error.item_index = i
            raise
        output.append(item)
    return output


def _v2_operation(
    run: NodeRun, i: int, operation: str, json: dict[str, Any], wf_tz: str, local: Zone
) -> None:
    if operation == "getCurrentDate":
        field = str(param(run, "outputFieldName", i, "currentDate"))
        tz = _safe_zone(str(options(run, i).get("timezone") or wf_tz))
        now_ms = run.extras.get("now_ms")
        if now_ms is None:
            raise NodeError("The workflow clock is unavailable (run.extras['now_ms'] is not set)")
        now = DateTime(int(now_ms), tz)
        json[field] = (now if param(run, "includeTime", i, True) else now.start_of("day")).to_iso()
    elif operation in ("addToDate", "subtractFromDate"):
        date = parse_date(param(run, "magnitude", i, ""), local, timezone=wf_tz)
        amount = to_number(param(run, "duration", i, 0))
        amount = amount if operation == "addToDate" else -amount
        field = str(param(run, "outputFieldName", i, "newDate"))
        json[field] = date.plus(str(param(run, "timeUnit", i, "days")), amount).to_iso()
    elif operation == "formatDate":
        value = param(run, "date", i, "")
        field = str(param(run, "outputFieldName", i, "formattedDate"))
        opts = options(run, i)
        if value is None or value is UNDEFINED:
            json[field] = None
            return
        date = parse_date(
            value, local, timezone=wf_tz if opts.get("timezone") else None, from_fmt=opts.get("fromFormat")
        )
        fmt = str(param(run, "format", i, "MM/dd/yyyy"))
        if fmt == "custom":
            fmt = str(param(run, "customFormat", i, ""))
        json[field] = date.to_format(fmt)
    elif operation == "roundDate":
        date = parse_date(param(run, "date", i, ""), local, timezone=wf_tz)
        field = str(param(run, "outputFieldName", i, "roundedDate"))
        if param(run, "mode", i, "roundDown") == "roundDown":
            json[field] = date.start_of(str(param(run, "toNearest", i, "month"))).to_iso()
        else:
            to = str(param(run, "to", i, "month"))
            json[field] = date.plus(to, 1).start_of(to).to_iso()
    elif operation == "getTimeBetweenDates":
        start = parse_date(param(run, "startDate", i, ""), local, timezone=wf_tz)
        end = parse_date(param(run, "endDate", i, ""), local, timezone=wf_tz)
        units = param(run, "units", i, ["day"]) or []
        field = str(param(run, "outputFieldName", i, "timeDifference"))
        values = diff(end, start, list(units) if isinstance(units, list) else [str(units)])
        json[field] = duration_to_iso(values) if options(run, i).get("isoString") else values
    elif operation == "extractDate":
        date = parse_date(param(run, "date", i, ""), local, timezone=wf_tz)
        part = str(param(run, "part", i, "year"))
        field = str(param(run, "outputFieldName", i, "datePart"))
        json[field] = date.get("weekNumber" if part == "week" else part)
    else:
        raise NodeError(f"The operation '{operation}' is not supported")


def parse_date(value: Any, local: Zone, timezone: str | None = None, from_fmt: Any = None) -> DateTime:
    """v2's ``parseDate``: numbers are epoch seconds (< 12 digits) or ms; strings go through
    moment (or ``fromFormat``); the result is shown in ``timezone`` (default Etc/UTC)."""
    if isinstance(value, DateTime):
        return value
    if not is_nan_number(value) and not from_fmt and not isinstance(value, dict | list):
        value = to_number(value)
        if not is_integer(value):
            value = value * 1000
    tz = timezone
    if is_integer(value):
        ms = int(value) * 1000 if len(number_to_string(value)) < 12 else int(value)
        parsed: DateTime | None = DateTime(ms, local)
    else:
        text = to_string(value)
        if not tz and "+" in text:
            offset = to_number(text.split("+")[1][:2])
            tz = f"Etc/GMT-{number_to_string(offset)}"
        if from_fmt:
            parsed = from_format(text, str(from_fmt), local)
        else:
            moment = moment_from_string(text, local)
            parsed = from_iso(moment.set_zone("UTC").to_iso(), local) if moment is not None else None
    if parsed is None:
        raise NodeError("Invalid date format")
    return parsed.set_zone(_safe_zone(tz or "Etc/UTC"))
