"""n8n forms: field definitions and what a submission becomes (Form Trigger and Form nodes).

A field is n8n's `formFields.values[i]` (`fieldLabel`, `fieldType`, `requiredField`,
`fieldOptions.values[].option`, `multiselect`, `formatDate`, `placeholder`, `fieldName`,
`fieldValue`, `html`, ...). The page posts field *i* as `field-<i>`, as n8n's page does; the
item has one key per field label plus `submittedAt` and `formMode`, like n8n's
`prepareFormReturnItem`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from n8n_import.plan import Plan
from n8n_runtime.expressions.context import DEFAULT_TIMEZONE

FORM_TRIGGER = "n8n-nodes-base.formTrigger"
FORM_NODE = "n8n-nodes-base.form"
FIELD_TYPES = frozenset(
    {"text", "number", "email", "password", "textarea", "dropdown", "date", "checkbox", "radio",
     "html", "hiddenField", "file"}
)  # fmt: skip
# Fields that carry no answer of their own.
_NO_ANSWER = frozenset({"html"})
# luxon's `toFormat` tokens n8n's formatDate uses, as strftime.
_LUXON = (("yyyy", "%Y"), ("yy", "%y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"))


class FormInputError(ValueError):
    """A submission that does not fit the form (a required field left empty, a bad number)."""


def field_type(field: Mapping[str, Any]) -> str:
    return str(field.get("fieldType") or "text")


def field_name(field: Mapping[str, Any]) -> str:
    """The item key of a field: its label (a hidden field's name)."""
    if field_type(field) == "hiddenField":
        return str(field.get("fieldName") or field.get("fieldLabel") or "")
    return str(field.get("fieldLabel") or field.get("fieldName") or "")


def options_of(field: Mapping[str, Any]) -> list[str]:
    values = (field.get("fieldOptions") or {}).get("values") or []
    return [str(v.get("option", "")) for v in values if isinstance(v, Mapping)]


def is_multi(field: Mapping[str, Any]) -> bool:
    return bool(field.get("multiselect")) or field_type(field) == "checkbox"


def parse_fields(value: Any) -> list[dict[str, Any]]:
    """`formFields.values`, or the Form node's "Using JSON" definition (a JSON array)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise FormInputError(f"The form fields are not valid JSON: {exc.msg}") from None
    if not isinstance(value, list) or not all(isinstance(f, dict) for f in value):
        raise FormInputError("The form fields must be a list of objects")
    return [dict(f) for f in value]


def _format_date(value: str, fmt: str) -> str:
    # n8n: DateTime.fromFormat(value, 'yyyy-mm-dd').toFormat(formatDate) (luxon tokens).
    try:
        parsed = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return value
    for token, directive in _LUXON:
        fmt = fmt.replace(token, directive)
    return parsed.strftime(fmt)


def _answer(field: Mapping[str, Any], values: list[str]) -> Any:
    kind = field_type(field)
    if is_multi(field) or kind == "radio":
        chosen: list[Any] = []
        for value in values:
            # n8n's page posts a multi-select as one JSON array; a plain HTML form posts each.
            parsed = _json_list(value)
            chosen.extend(parsed if parsed is not None else [value])
        return (chosen[0] if chosen else None) if kind == "radio" else chosen
    value = values[-1]
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            raise FormInputError(f"'{field_name(field)}' must be a number") from None
        return int(number) if number.is_integer() else number
    if kind == "text":
        return value.strip()
    if kind == "date" and value and field.get("formatDate"):
        return _format_date(value, str(field["formatDate"]))
    return value


def _json_list(value: str) -> list[Any] | None:
    if not value.startswith("["):
        return None
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, list) else None


def form_timezone(plan: Plan) -> str:
    """The zone of `submittedAt`: the workflow's when the trigger's `useWorkflowTimezone` is on
    (n8n's default after v2), else UTC."""
    trigger = next((n for n in plan.nodes.values() if n.type == FORM_TRIGGER and not n.disabled), None)
    if trigger is None:
        return "UTC"
    options = trigger.parameters.get("options") or {}
    use = options.get("useWorkflowTimezone") if isinstance(options, dict) else None
    if use is None:
        use = trigger.type_version > 2
    return (plan.settings.timezone or DEFAULT_TIMEZONE) if use else "UTC"


def upload_property(fields: list[dict[str, Any]], key: str, index: int, count: int) -> str:
    """n8n's binary property of an uploaded file: the field's label with non-word characters as
    `_` (the posted key when it names no field), `_<n>` added when the field sent several files."""
    number = key.removeprefix("field-")
    label = field_name(fields[int(number)]) if number.isdigit() and int(number) < len(fields) else key
    name = re.sub(r"\W", "_", label, flags=re.ASCII)
    return f"{name}_{index}" if count > 1 else name


def submission_item(
    fields: list[dict[str, Any]],
    posted: Mapping[str, list[str]],
    *,
    mode: str,
    timezone: str | None,
    query: Mapping[str, str] | None = None,
    now: datetime | None = None,
    uploads: Mapping[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """The item json of one submitted page (field labels, `submittedAt`, `formMode`).

    `uploads` are the files posted per `field-<i>` as `{filename, mimetype, size}` (the files
    themselves become the item's binary, see `upload_property`).
    """
    item: dict[str, Any] = {}
    for index, field in enumerate(fields):
        kind = field_type(field)
        if kind in _NO_ANSWER:
            continue
        if kind == "file":
            files = (uploads or {}).get(f"field-{index}") or []
            if not files and field.get("requiredField"):
                raise FormInputError(f"'{field_name(field)}' is required")
            # n8n: one file is an object, several a list (its form parser unwraps one-element lists).
            item[field_name(field)] = (files[0] if len(files) == 1 else files) if files else None
            continue
        raw = posted.get(f"field-{index}")
        if raw is None and kind == "hiddenField" and field.get("fieldValue") is not None:
            raw = [str(field["fieldValue"])]
        values = [v for v in raw or [] if v != ""]
        if not values and field.get("requiredField"):
            raise FormInputError(f"'{field_name(field)}' is required")
        if raw is None or (not values and kind != "text" and not is_multi(field)):
            # n8n: a field the page did not send is null (an unchosen multi-select: []).
            item[field_name(field)] = [] if is_multi(field) and raw is not None else None
            continue
        item[field_name(field)] = _answer(field, values) if values else ("" if kind == "text" else [])
    zone = ZoneInfo(timezone) if timezone else ZoneInfo("UTC")
    moment = (now or datetime.now(zone)).astimezone(zone)
    stamp = moment.isoformat(timespec="milliseconds")
    item["submittedAt"] = stamp.replace("+00:00", "Z") if zone.key == "UTC" else stamp
    item["formMode"] = mode
    if query:
        item["formQueryParameters"] = dict(query)
    return item


__all__ = [
    "FIELD_TYPES",
    "FORM_NODE",
    "FORM_TRIGGER",
    "FormInputError",
    "field_name",
    "form_timezone",
    "field_type",
    "is_multi",
    "options_of",
    "parse_fields",
    "submission_item",
    "upload_property",
]
