"""Rename Keys node (``n8n-nodes-base.renameKeys`` v1): explicit renames, then regex renames."""

from __future__ import annotations

import re
from typing import Any

from n8n_runtime.jsvalues import UNDEFINED, is_number
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import deep_copy, get_path, item_json, param, set_path, unset_path


def run_rename_keys(run: NodeRun) -> NodeOutput:
    """Apply ``keys.key`` renames (dot paths) and ``additionalOptions.regexReplacement``."""
    output = []
    for index, item in enumerate(run.items):
        renames = param(run, "keys.key", index, []) or []
        replacements = param(run, "additionalOptions.regexReplacement.replacements", index, []) or []
        source = item_json(item)
        data = deep_copy(source)
        for entry in renames:
            # n8n's parameter defaults: both keys default to "" (entries missing one are ignored).
            current, new = str(entry.get("currentKey", "")), str(entry.get("newKey", ""))
            if current == "" or new == "" or current == new:
                continue
            value = get_path(source, current)
            if value is UNDEFINED:
                continue
            set_path(data, new, value)
            unset_path(data, current)
        for replacement in replacements:
            data = _regex_rename(data, replacement)
        new_item: dict[str, Any] = {"json": data, "pairedItem": {"item": index}}
        if item.get("binary") is not None:
            new_item["binary"] = item["binary"]
        output.append(new_item)
    return [output]


def _regex_rename(data: dict[str, Any], replacement: dict[str, Any]) -> dict[str, Any]:
    opts = replacement.get("options") or {}
    depth = opts.get("depth", -1)
    flags = re.IGNORECASE if opts.get("caseInsensitive") else 0
    try:
        pattern = re.compile(js_regex_source(str(replacement.get("searchRegex", ""))), flags)
    except re.error as error:
        raise NodeError(f"Invalid regular expression: {error}") from error
    template = str(replacement.get("replaceRegex", ""))

    def rename(obj: Any, level: Any) -> None:
        # An absent depth is `undefined` in n8n: `undefined !== 0` holds at every level.
        deeper = level - 1 if is_number(level) else level
        if isinstance(obj, list):
            if level != 0:
                for entry in obj:
                    rename(entry, deeper)
            return
        if not isinstance(obj, dict):
            return
        for key in list(obj):
            if key not in obj:
                continue
            if isinstance(obj[key], dict | list) and level != 0:
                rename(obj[key], deeper)
            match = pattern.search(key)
            if match:
                renamed = key[: match.start()] + js_replacement(template, match) + key[match.end() :]
                if renamed != key:
                    obj[renamed] = obj.pop(key)

    rename(data, depth)
    return data


def js_regex_source(source: str) -> str:
    """Translate the JS-only bits of a pattern (named groups ``(?<n>``) to Python syntax."""
    return re.sub(r"\(\?<(?![=!])", "(?P<", source)


def js_replacement(template: str, match: re.Match[str]) -> str:
    """Expand a JS ``String.replace`` template (``$&``, ``$1``, ``$<name>``, ``$$``)."""
    out: list[str] = []
    i = 0
    while i < len(template):
        char = template[i]
        if char != "$" or i + 1 >= len(template):
            out.append(char)
            i += 1
            continue
        nxt = template[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "&":
            out.append(match.group(0))
            i += 2
        elif nxt == "`":
            out.append(match.string[: match.start()])
            i += 2
        elif nxt == "'":
            out.append(match.string[match.end() :])
            i += 2
        elif nxt.isdigit():
            two = template[i + 1 : i + 3]
            if len(two) == 2 and two.isdigit() and 0 < int(two) <= (match.re.groups or 0):
                out.append(match.group(int(two)) or "")
                i += 3
            elif 0 < int(nxt) <= (match.re.groups or 0):
                out.append(match.group(int(nxt)) or "")
                i += 2
            else:
                out.append("$" + nxt)
                i += 2
        elif nxt == "<" and ">" in template[i:] and match.re.groupindex:
            end = template.index(">", i)
            out.append(match.groupdict().get(template[i + 2 : end]) or "")
            i = end + 1
        else:
            out.append("$")
            i += 1
    return "".join(out)
