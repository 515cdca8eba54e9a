"""Type validation and JSON parsing of the Edit Fields (Set) node, worded as n8n words it.

Mirrors n8n-workflow's ``validateFieldType``/``jsonParse`` and the Set node's ``validateEntry`` and
``parseJsonParameter``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from n8n_runtime.jsvalues import (
    UNDEFINED,
    is_nan_number,
    is_nullish,
    json_stringify,
    to_number,
    to_string,
)
from n8n_runtime.nodes.base import NodeError


class _Invalid(Exception):
    pass


def value_description(value: Any) -> str:
    """n8n's ``getValueDescription``: ``'x'``, ``'null'``, ``array`` or ``object``."""
    if value is None:
        return "'null'"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return f"'{to_string(value)}'"


def js_json_parse(text: str) -> Any:
    """``JSON.parse`` (rejects NaN/Infinity, which Python would accept)."""

    def reject(token: str) -> Any:
        raise ValueError(f"Unexpected token {token}")

    return json.loads(text, parse_constant=reject)


def parse_js_object(text: str) -> Any:
    """n8n's ``parseJSObject``: a JS object literal (unquoted keys, single quotes, trailing commas)."""
    parser = _JsLiteralParser(text)
    value = parser.value()
    parser.skip()
    if parser.pos != len(text):
        raise ValueError("Unexpected trailing input")
    return value


def json_parse(text: str, accept_js_object: bool = False) -> Any:
    """n8n's ``jsonParse``."""
    try:
        return js_json_parse(text)
    except ValueError:
        if accept_js_object:
            try:
                return parse_js_object(text)
            except ValueError:
                pass
        raise


def _parse_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if not (isinstance(value, str) and value.strip() == ""):
        number = to_number(value)
        if number == 0 and not isinstance(number, bool):
            return False
        if number == 1:
            return True
    raise _Invalid


def _parse_array(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    text = to_string(value)
    try:
        parsed = js_json_parse(text)
    except ValueError:
        try:
            parsed = js_json_parse(text.replace("'", '"'))
        except ValueError as error:
            raise _Invalid from error
    if not isinstance(parsed, list):
        raise _Invalid
    return parsed


def _parse_object(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        parsed = json_parse(to_string(value), accept_js_object=True)
    except ValueError as error:
        raise _Invalid from error
    if not isinstance(parsed, dict):
        raise _Invalid
    return parsed


def validate_field_type(name: str, value: Any, field_type: str) -> tuple[bool, Any, str]:
    """``validateFieldType`` for string/number/boolean/array/object: ``(valid, newValue, errorMessage)``."""
    if is_nullish(value):
        return True, UNDEFINED, ""
    message = f"'{name}' expects a {field_type} but we got {value_description(value)}"
    try:
        if field_type == "number":
            if is_nan_number(value):
                raise _Invalid
            return True, to_number(value), ""
        if field_type == "boolean":
            return True, _parse_boolean(value), ""
        if field_type == "array":
            return True, _parse_array(value), ""
        if field_type == "object":
            return True, _parse_object(value), ""
    except _Invalid:
        return False, None, message
    return True, value, ""


def validate_entry(
    name: str, field_type: str, value: Any, item_index: int, ignore_errors: bool, node_version: float
) -> Any:
    """The Set node's ``validateEntry``: the converted value, or a NodeError worded like n8n's."""
    if node_version >= 3.2 and is_nullish(value):
        return None
    description = (
        f'To fix the error try to change the type for the field "{name}" or activate the option '
        "“Ignore Type Conversion Errors” to apply a less strict type validation"
    )
    if field_type == "string":
        if node_version > 3 and is_nullish(value):
            if ignore_errors:
                return None
            shown = "'undefined'" if value is UNDEFINED else value_description(value)
            raise NodeError(
                f"'{name}' expects a {field_type} but we got {shown} [item {item_index}]",
                description=description,
                item_index=item_index,
            )
        value = json_stringify(value) if isinstance(value, dict | list) or value is None else to_string(value)
    valid, new_value, message = validate_field_type(name, value, field_type)
    if not valid:
        if ignore_errors:
            return None if value is UNDEFINED else value
        raise NodeError(f"{message} [item {item_index}]", description=description, item_index=item_index)
    return None if new_value is UNDEFINED else new_value


def parse_json_parameter(data: Any, item_index: int, entry_name: str | None = None) -> dict[str, Any]:
    """The Set node's ``parseJsonParameter`` (with its lenient recovery of almost-JSON)."""
    location = f"entry \"{entry_name}\" inside 'Fields to Set'" if entry_name else "'JSON Output'"
    result: Any = data
    if isinstance(data, str):
        try:
            result = js_json_parse(data)
        except ValueError:
            recovered = data.replace("'", '"')
            recovered = re.sub(r"""(['"])?([a-zA-Z0-9_]+)(['"])?:""", r'"\2":', recovered)
            recovered = re.sub(r",\s*([\]}])", r"\1", recovered)
            recovered = re.sub(r",+$", "", recovered)
            try:
                result = js_json_parse(recovered)
            except ValueError:
                description = data if recovered == data else f"{recovered};\n Original input: {data}"
                raise NodeError(
                    f"The {location} in item {item_index} contains invalid JSON",
                    description=description,
                    item_index=item_index,
                ) from None
    if not isinstance(result, dict):
        raise NodeError(
            f"The {location} in item {item_index} does not contain a valid JSON object", item_index=item_index
        )
    return result


class _JsLiteralParser:
    """A small parser for JavaScript object/array literals of JSON-like values."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip(self) -> None:
        while self.pos < len(self.text):
            if self.text[self.pos].isspace():
                self.pos += 1
            elif self.text.startswith("//", self.pos):
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            elif self.text.startswith("/*", self.pos):
                end = self.text.find("*/", self.pos)
                self.pos = len(self.text) if end < 0 else end + 2
            else:
                return

    def value(self) -> Any:
        self.skip()
        if self.pos >= len(self.text):
            raise ValueError("Unexpected end of input")
        char = self.text[self.pos]
        if char == "{":
            return self._object()
        if char == "[":
            return self._array()
        if char in "\"'":
            return self._string()
        match = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?").match(self.text, self.pos)
        if match:
            self.pos = match.end()
            return to_number(match.group(0))
        word = re.compile(r"[A-Za-z_$][\w$]*").match(self.text, self.pos)
        if word:
            self.pos = word.end()
            constants: dict[str, Any] = {"true": True, "false": False, "null": None, "undefined": UNDEFINED}
            if word.group(0) in constants:
                return constants[word.group(0)]
        raise ValueError(f"Unexpected token at {self.pos}")

    def _expect(self, char: str) -> None:
        self.skip()
        if not self.text.startswith(char, self.pos):
            raise ValueError(f"Expected {char!r} at {self.pos}")
        self.pos += 1

    def _object(self) -> dict[str, Any]:
        self._expect("{")
        result: dict[str, Any] = {}
        while True:
            self.skip()
            if self.text.startswith("}", self.pos):
                self.pos += 1
                return result
            if self.text[self.pos] in "\"'":
                key = self._string()
            else:
                match = re.compile(r"[\w$]+").match(self.text, self.pos)
                if not match:
                    raise ValueError(f"Unexpected token at {self.pos}")
                self.pos = match.end()
                key = match.group(0)
            self._expect(":")
            value = self.value()
            if value is not UNDEFINED:
                result[key] = value
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith("}", self.pos):
                raise ValueError(f"Expected ',' or '}}' at {self.pos}")

    def _array(self) -> list[Any]:
        self._expect("[")
        result: list[Any] = []
        while True:
            self.skip()
            if self.text.startswith("]", self.pos):
                self.pos += 1
                return result
            value = self.value()
            result.append(None if value is UNDEFINED else value)
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith("]", self.pos):
                raise ValueError(f"Expected ',' or ']' at {self.pos}")

    def _string(self) -> str:
        quote = self.text[self.pos]
        self.pos += 1
        out: list[str] = []
        escapes = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == quote:
                self.pos += 1
                return "".join(out)
            if char == "\\" and self.pos + 1 < len(self.text):
                nxt = self.text[self.pos + 1]
                if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", self.text[self.pos + 2 : self.pos + 6]):
                    out.append(chr(int(self.text[self.pos + 2 : self.pos + 6], 16)))
                    self.pos += 6
                    continue
                out.append(escapes.get(nxt, nxt))
                self.pos += 2
                continue
            out.append(char)
            self.pos += 1
        raise ValueError("Unterminated string")
