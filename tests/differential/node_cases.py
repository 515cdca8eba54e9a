"""Parameter variants per native node type: the "parameters" half of the differential cases.

Each entry is ``(type, typeVersion, parameters, dataset names)``; the generator crosses every
variant with its datasets. Parameters follow n8n's node descriptions (n8n-nodes-base 1.121.53).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Variant = tuple[str, float, dict[str, Any], tuple[str, ...]]

ALL = ("empty", "blank", "one", "people3", "people5", "dups", "odd")
PEOPLE = ("one", "people3", "people5", "people8")
SOME = ("blank", "people5", "dups", "odd")


def cond(left: str, kind: str, op: str, right: Any = None, **extra: Any) -> dict[str, Any]:
    """One filter-parameter (If v2 / Filter v2 / Switch v3) condition."""
    operator: dict[str, Any] = {"type": kind, "operation": op}
    if right is None:
        operator["singleValue"] = True
    return {
        "id": f"c-{left}-{op}",
        "leftValue": left,
        "rightValue": "" if right is None else right,
        "operator": operator,
        **extra,
    }


def conditions(
    *items: dict[str, Any], combinator: str = "and", case: bool = True, strict: bool = True, version: int = 2
) -> dict[str, Any]:
    """A filter parameter value."""
    return {
        "options": {
            "caseSensitive": case,
            "leftValue": "",
            "typeValidation": "strict" if strict else "loose",
            "version": version,
        },
        "conditions": list(items),
        "combinator": combinator,
    }


_CONDITION_SETS: list[dict[str, Any]] = [
    conditions(cond("={{ $json.name }}", "string", "equals", "Ada")),
    conditions(cond("={{ $json.name }}", "string", "equals", "ada"), case=False),
    conditions(cond("={{ $json.name }}", "string", "contains", "a")),
    conditions(cond("={{ $json.name }}", "string", "startsWith", "A")),
    conditions(cond("={{ $json.name }}", "string", "regex", "^[A-Z]")),
    conditions(cond("={{ $json.city }}", "string", "exists")),
    conditions(cond("={{ $json.city }}", "string", "empty")),
    conditions(cond("={{ $json.age }}", "number", "gt", 30)),
    conditions(cond("={{ $json.age }}", "number", "lte", 30), strict=False),
    conditions(
        cond("={{ $json.age }}", "number", "gt", 30),
        cond("={{ $json.active }}", "boolean", "true"),
        combinator="or",
        strict=False,
    ),
    conditions(cond("={{ $json.tags }}", "array", "contains", "red")),
    conditions(cond("={{ $json.tags }}", "array", "lengthGt", 1)),
    conditions(cond("={{ $json.tags }}", "array", "notEmpty")),
    conditions(cond("={{ $json.created }}", "dateTime", "after", "2023-06-01"), strict=False),
    conditions(cond("={{ $json.address }}", "object", "notEmpty")),
    conditions(cond("={{ $json.active }}", "boolean", "false"), strict=False),
    conditions(cond("={{ $json.score }}", "number", "equals", 3), cond("={{ $json.id }}", "number", "lt", 3)),
    conditions(cond("={{ $json.name }}", "string", "notEquals", "Ada"), strict=False),
]

_LEGACY_CONDITIONS: list[dict[str, Any]] = [
    {"conditions": {"string": [{"value1": "={{ $json.name }}", "value2": "Ada"}]}},
    {"conditions": {"string": [{"value1": "={{ $json.name }}", "operation": "contains", "value2": "o"}]}},
    {"conditions": {"string": [{"value1": "={{ $json.city }}", "operation": "isEmpty"}]}},
    {"conditions": {"string": [{"value1": "={{ $json.name }}", "operation": "regex", "value2": "/^a/i"}]}},
    {"conditions": {"number": [{"value1": "={{ $json.age }}", "operation": "larger", "value2": 30}]}},
    {"conditions": {"number": [{"value1": "={{ $json.age }}", "operation": "isEmpty"}]}},
    {"conditions": {"boolean": [{"value1": "={{ $json.active }}", "value2": True}]}},
    {
        "conditions": {
            "number": [{"value1": "={{ $json.id }}", "operation": "smallerEqual", "value2": 2}],
            "string": [{"value1": "={{ $json.name }}", "operation": "notEqual", "value2": "Ada"}],
        },
        "combineOperation": "any",
    },
    {
        "conditions": {
            "dateTime": [
                {"value1": "={{ $json.created }}", "operation": "after", "value2": "2023-06-01T00:00:00"}
            ]
        }
    },
]


def _set_variants() -> Iterator[Variant]:
    def assign(name: str, value: Any, kind: str) -> dict[str, Any]:
        return {"id": f"a-{name}", "name": name, "value": value, "type": kind}

    assignment_sets = [
        [assign("greeting", "=Hi {{ $json.name }}", "string")],
        [assign("age2", "={{ $json.age }}", "number")],
        [assign("n", "={{ $json.age }}", "string"), assign("flag", "={{ $json.active }}", "boolean")],
        [assign("address.city", "={{ $json.city }}", "string"), assign("list", "={{ $json.tags }}", "array")],
        [assign("obj", '={{ {"a": $json.id, "b": [1, null]} }}', "object")],
        [
            assign("num", "12.50", "number"),
            assign("bool", "true", "boolean"),
            assign("arr", "[1,2]", "array"),
        ],
        [assign("bad", "abc", "number")],
        [assign("o", '{"x": 1}', "object"), assign("b", "no", "boolean")],
        [assign("copy", "={{ $json.address }}", "object"), assign("id", "={{ $json.id * 10 }}", "number")],
    ]
    includes: list[dict[str, Any]] = [
        {},
        {"includeOtherFields": True},
        {"includeOtherFields": True, "include": "selected", "includeFields": "name, city"},
        {"includeOtherFields": True, "include": "except", "excludeFields": "tags,address"},
    ]
    for version in (3.3, 3.4):
        for index, assignments in enumerate(assignment_sets):
            for include in includes if index < 4 else includes[:2]:
                options: dict[str, Any] = {"dotNotation": False} if index == 3 and include else {}
                if index == 6 and include:
                    options = {"ignoreConversionErrors": True}
                params = {
                    "mode": "manual",
                    "assignments": {"assignments": assignments},
                    **include,
                    "options": options,
                }
                yield "set", version, params, ("people3", "odd", "blank")
    for raw in ('={{ { "a": $json.id, "n": $json.name } }}', '{"fixed": [1, 2, {"x": "ü"}]}', "{bad json"):
        yield "set", 3.4, {"mode": "raw", "jsonOutput": raw, "options": {}}, ("people3", "blank")
        yield (
            "set",
            3.4,
            {"mode": "raw", "jsonOutput": raw, "includeOtherFields": True, "options": {}},
            ("one",),
        )
    legacy: list[dict[str, Any]] = [
        {"values": {"string": [{"name": "s", "value": "={{ $json.name }}"}]}},
        {
            "values": {
                "number": [{"name": "n", "value": "={{ $json.age }}"}],
                "boolean": [{"name": "b", "value": True}],
            }
        },
        {"values": {"string": [{"name": "a.b", "value": "x"}]}, "keepOnlySet": True},
        {"values": {"string": [{"name": "a.b", "value": "x"}]}, "options": {"dotNotation": False}},
    ]
    for version in (1, 2):
        for params in legacy:
            yield "set", version, params, ("people3", "blank", "odd")


def _filter_variants() -> Iterator[Variant]:
    for version in (2, 2.2):
        for params in _CONDITION_SETS:
            yield "if", version, {"conditions": params, "options": {}}, ("people5", "people8")
            yield "filter", version, {"conditions": params, "options": {}}, ("people5",)
    for params in _CONDITION_SETS[:8]:
        yield "if", 2.2, {"conditions": params, "looseTypeValidation": True, "options": {}}, ("odd", "blank")
    for params in _LEGACY_CONDITIONS:
        yield "if", 1, params, ("people5", "people8")
        yield "filter", 1, params, ("people5",)


def _switch_variants() -> Iterator[Variant]:
    rules = [
        {
            "conditions": conditions(cond("={{ $json.city }}", "string", "equals", "Berlin")),
            "renameOutput": False,
        },
        {"conditions": conditions(cond("={{ $json.age }}", "number", "gt", 20), strict=False)},
        {"conditions": conditions(cond("={{ $json.tags }}", "array", "notEmpty"))},
    ]
    for version in (3, 3.2):
        for options in ({}, {"fallbackOutput": "extra"}, {"allMatchingOutputs": True}, {"fallbackOutput": 0}):
            params = {"mode": "rules", "rules": {"values": rules}, "options": options}
            yield "switch", version, params, ("people5", "people8", "empty")
        expression = {"mode": "expression", "numberOutputs": 3, "output": "={{ $json.id % 3 }}"}
        yield "switch", version, expression, ("people5",)
        out_of_range = {"mode": "expression", "numberOutputs": 2, "output": "={{ $json.id }}"}
        yield "switch", version, out_of_range, ("people3",)
    legacy_rules = {
        "rules": [
            {"operation": "equal", "value2": 1, "output": 0},
            {"operation": "larger", "value2": 2, "output": 1},
        ]
    }
    yield (
        "switch",
        1,
        {"dataType": "number", "value1": "={{ $json.id }}", "rules": legacy_rules},
        ("people5",),
    )
    yield (
        "switch",
        2,
        {"dataType": "number", "value1": "={{ $json.id }}", "rules": legacy_rules, "fallbackOutput": 3},
        ("people5",),
    )
    string_rules = {
        "rules": [
            {"operation": "contains", "value2": "a", "output": 0},
            {"operation": "regex", "value2": "^[A-Z]", "output": 2},
        ]
    }
    yield (
        "switch",
        2,
        {"dataType": "string", "value1": "={{ $json.name }}", "rules": string_rules},
        ("people8",),
    )


def _merge_variants() -> Iterator[Variant]:
    pairs = ("people3+people5", "dups+people3", "people5+empty", "empty+dups", "one+blank")
    for version in (3, 3.2):
        yield "merge", version, {}, pairs
        for join in ("keepMatches", "keepNonMatches", "keepEverything", "enrichInput1", "enrichInput2"):
            params: dict[str, Any] = {
                "mode": "combine",
                "fieldsToMatchString": "id",
                "joinMode": join,
                "options": {},
            }
            yield "merge", version, params, pairs
        for output in ("input1", "input2"):
            params = {"mode": "combine", "fieldsToMatchString": "id", "outputDataFrom": output, "options": {}}
            yield "merge", version, params, pairs[:3]
        clash = {
            "mode": "combine",
            "fieldsToMatchString": "id",
            "joinMode": "keepEverything",
            "options": {"clashHandling": {"values": {"resolveClash": "preferInput1"}}},
        }
        yield "merge", version, clash, pairs[:3]
        yield "merge", version, {"mode": "combine", "combineBy": "combineByPosition", "options": {}}, pairs
        yield (
            "merge",
            version,
            {"mode": "combine", "combineBy": "combineByPosition", "options": {"includeUnpaired": True}},
            pairs,
        )
        yield "merge", version, {"mode": "combine", "combineBy": "combineAll", "options": {}}, pairs[:3]
        yield "merge", version, {"mode": "chooseBranch", "useDataOfInput": 2}, pairs[:3]
    for mode in ("append", "mergeByIndex", "multiplex", "passThrough"):
        yield "merge", 1, {"mode": mode}, pairs[:3]
        yield "merge", 2, {"mode": mode}, pairs[:2]
    for mode in ("mergeByKey", "keepKeyMatches", "removeKeyMatches"):
        yield "merge", 1, {"mode": mode, "propertyName1": "id", "propertyName2": "id"}, pairs[:3]
    for join in ("inner", "left", "outer"):
        yield "merge", 2.1, {"mode": "mergeByIndex", "join": join}, pairs[:3]
        yield (
            "merge",
            2.1,
            {
                "mode": "combine",
                "combinationMode": "mergeByFields",
                "mergeByFields": {"values": [{"field1": "id", "field2": "id"}]},
                "joinMode": "keepMatches",
                "options": {},
            },
            pairs[:3],
        )


def _list_variants() -> Iterator[Variant]:
    yield from _split_aggregate()
    yield from _sort_limit_dedupe()
    yield from _summaries()


def _split_aggregate() -> Iterator[Variant]:
    data = ("people5", "odd", "blank", "one")
    for field in ("tags", "address", "name", "deep.a", "missing"):
        for include in (
            {},
            {"include": "allOtherFields"},
            {"include": "selectedOtherFields", "fieldsToInclude": "id"},
        ):
            yield "splitOut", 1, {"fieldToSplitOut": field, **include, "options": {}}, data
    yield "splitOut", 1, {"fieldToSplitOut": "tags", "options": {"destinationFieldName": "tag"}}, data
    yield "splitOut", 1, {"fieldToSplitOut": "tags, address", "options": {}}, data
    yield "splitOut", 1, {"fieldToSplitOut": "deep.a", "options": {"disableDotNotation": True}}, data
    for v in (1, 2, 3, 3.1):
        yield "itemLists", v, {"fieldToSplitOut": "tags", "options": {}}, data
        yield "itemLists", v, {"fieldToSplitOut": "tags", "include": "allOtherFields", "options": {}}, data
    fields = {"fieldToAggregate": [{"fieldToAggregate": "name"}, {"fieldToAggregate": "tags"}]}
    renamed = {
        "fieldToAggregate": [
            {"fieldToAggregate": "address.zip", "renameField": True, "outputFieldName": "zips"}
        ]
    }
    for options in ({}, {"mergeLists": True}, {"keepMissing": True}, {"disableDotNotation": True}):
        yield "aggregate", 1, {"fieldsToAggregate": fields, "options": options}, ALL
        yield "aggregate", 1, {"fieldsToAggregate": renamed, "options": options}, ("people5", "odd")
    yield "aggregate", 1, {"aggregate": "aggregateAllItemData", "options": {}}, ALL
    yield (
        "aggregate",
        1,
        {
            "aggregate": "aggregateAllItemData",
            "destinationFieldName": "rows",
            "include": "specifiedFields",
            "fieldsToInclude": "id,name",
            "options": {},
        },
        ALL,
    )
    yield (
        "aggregate",
        1,
        {
            "aggregate": "aggregateAllItemData",
            "include": "allFieldsExcept",
            "fieldsToExclude": "tags",
            "options": {},
        },
        ("people5",),
    )
    for v in (1, 2, 3, 3.1):
        # v3 renamed the operation (Aggregate is `concatenateItems` there)
        operation = "concatenateItems" if v >= 3 else "aggregateItems"
        yield "itemLists", v, {"operation": operation, "fieldsToAggregate": fields, "options": {}}, SOME
        yield (
            "itemLists",
            v,
            {"operation": operation, "aggregate": "aggregateAllItemData", "options": {}},
            SOME,
        )


def _sort_limit_dedupe() -> Iterator[Variant]:
    for field, order in (
        ("name", "ascending"),
        ("age", "descending"),
        ("id", "descending"),
        ("created", "ascending"),
        ("address.zip", "ascending"),
        ("missing", "ascending"),
    ):
        ui = {"sortField": [{"fieldName": field, "order": order}]}
        yield "sort", 1, {"sortFieldsUi": ui, "options": {}}, ("people5", "people8", "dups")
    two = {"sortField": [{"fieldName": "k"}, {"fieldName": "id", "order": "descending"}]}
    yield "sort", 1, {"sortFieldsUi": two, "options": {}}, ("dups",)
    yield "sort", 1, {"type": "code", "code": "return a.json.id - b.json.id"}, ("people5", "dups")
    for v in (1, 2, 3, 3.1):
        yield (
            "itemLists",
            v,
            {"operation": "sort", "sortFieldsUi": {"sortField": [{"fieldName": "name"}]}, "options": {}},
            ("people8", "dups"),
        )
    for keep in ("firstItems", "lastItems"):
        for n in (1, 2, 10):
            yield "limit", 1, {"maxItems": n, "keep": keep}, ("people5", "empty")
        yield "itemLists", 3.1, {"operation": "limit", "maxItems": 2, "keep": keep}, ("people5",)
    compares: list[dict[str, Any]] = [
        {},
        {"compare": "selectedFields", "fieldsToCompare": "k"},
        {"compare": "selectedFields", "fieldsToCompare": "k, v"},
        {"compare": "selectedFields", "fieldsToCompare": "n.x"},
        {"compare": "allFieldsExcept", "fieldsToExclude": "id"},
        {"compare": "selectedFields", "fieldsToCompare": "missing"},
        {"compare": "selectedFields", "fieldsToCompare": "k", "options": {"removeOtherFields": True}},
    ]
    for v in (1, 1.1, 2):
        for params in compares:
            yield "removeDuplicates", v, {"options": {}, **params}, ("dups", "people5", "empty")
    yield (
        "itemLists",
        3.1,
        {"operation": "removeDuplicates", "compare": "selectedFields", "fieldsToCompare": "k", "options": {}},
        ("dups",),
    )
    yield (
        "itemLists",
        1,
        {
            "operation": "removeDuplicates",
            "compare": "selectedFields",
            "fieldsToCompare": {"fields": [{"fieldName": "k"}]},
        },
        ("dups",),
    )


def _summaries() -> Iterator[Variant]:
    aggregations = [
        [{"aggregation": "count", "field": "id"}],
        [{"aggregation": "sum", "field": "age"}, {"aggregation": "max", "field": "score"}],
        [{"aggregation": "average", "field": "score"}, {"aggregation": "min", "field": "age"}],
        [{"aggregation": "append", "field": "name"}, {"aggregation": "countUnique", "field": "city"}],
        [{"aggregation": "concatenate", "field": "name", "separateBy": ","}],
        [{"aggregation": "append", "field": "city", "includeEmpty": True}],
        [{"aggregation": "concatenate", "field": "tags", "separateBy": "other", "customSeparator": " | "}],
        [{"aggregation": "sum", "field": "missing"}],
    ]
    for version in (1, 1.1):
        for values in aggregations:
            for split in ("", "city", "active,city"):
                params: dict[str, Any] = {"fieldsToSummarize": {"values": values}, "options": {}}
                if split:
                    params["fieldsToSplitBy"] = split
                yield "summarize", version, params, ("people5", "people8")
        yield (
            "summarize",
            version,
            {
                "fieldsToSummarize": {"values": aggregations[0]},
                "fieldsToSplitBy": "city",
                "options": {"outputFormat": "singleItem"},
            },
            ("people8",),
        )
        yield (
            "summarize",
            version,
            {"fieldsToSummarize": {"values": aggregations[7]}, "options": {"continueIfFieldNotFound": True}},
            ("people5",),
        )
    for v in (3, 3.1):
        yield (
            "itemLists",
            v,
            {
                "operation": "summarize",
                "fieldsToSummarize": {"values": aggregations[1]},
                "fieldsToSplitBy": "city",
                "options": {},
            },
            ("people8",),
        )
    yield "itemLists", 2.2, {"operation": "concatenateItems", "options": {}}, ("one",)


def _misc_data_variants() -> Iterator[Variant]:
    keys: list[dict[str, Any]] = [
        {"keys": {"key": [{"currentKey": "name", "newKey": "fullName"}]}},
        {
            "keys": {
                "key": [{"currentKey": "address.zip", "newKey": "zip"}, {"currentKey": "id", "newKey": "a.b"}]
            }
        },
        {"keys": {"key": [{"currentKey": "missing", "newKey": "x"}]}},
        {
            "additionalOptions": {
                "regexReplacement": {
                    "replacements": [{"searchRegex": "^(a)", "replaceRegex": "A_$1", "options": {}}]
                }
            }
        },
        {
            "additionalOptions": {
                "regexReplacement": {
                    "replacements": [
                        {
                            "searchRegex": "e",
                            "replaceRegex": "E",
                            "options": {"caseInsensitive": True, "depth": 1},
                        }
                    ]
                }
            }
        },
    ]
    for params in keys:
        yield "renameKeys", 1, params, ("people3", "odd", "blank")
    yield "noOp", 1, {}, ("people3", "empty")
    yield (
        "executionData",
        1,
        {"dataToSave": {"values": [{"key": "k", "value": "={{ $json.name }}"}]}},
        ("people3",),
    )
    for message in ("Stopped: {{ $json.name }}", "plain"):
        yield "stopAndError", 1, {"errorMessage": "=" + message}, ("one",)
    yield (
        "stopAndError",
        1,
        {"errorType": "errorObject", "errorObject": '{"message": "custom", "code": 7}'},
        ("one",),
    )
    yield "debugHelper", 1, {"category": "doNothing"}, ("people3",)
    yield (
        "debugHelper",
        1,
        {"category": "throwError", "throwErrorType": "NodeOperationError", "throwErrorMessage": "boom"},
        ("one",),
    )


def _code_variants() -> Iterator[Variant]:
    all_items = [
        (
            "return $input.all().map(i => ({ json: { id: i.json.id, up:"
            " String(i.json.name ?? '').toUpperCase() } }));"
        ),
        "return items.length ? [{ json: { count: items.length, ids: items.map(i => i.json.id) } }] : [];",
        "return [{ json: { a: 1 } }, { b: 2 }];",
        "return { json: { single: true } };",
        (
            "const $json = 1; let item = 2; const items2 = $input.all();"
            " return [{ json: { n: items2.length, item } }];"
        ),
        "return $input.first() ? [$input.first()] : [];",
        "return $input.all().filter(i => i.json.age > 20);",
        "throw new Error('bad ' + $input.all().length);",
        "return 5;",
        (
            "return [{ json: { d: new Date(0).toISOString(), s:"
            " JSON.stringify({ x: [1, null] }), m: Math.max(1, 3) } }];"
        ),
        "return $input.all().map(i => ({ json: { ...i.json, sum: (i.json.tags ?? []).join('+') } }));",
        "return [{ json: { nested: { deep: [1, { x: undefined, y: null }] }, uni: 'ü🐝' } }];",
    ]
    each_item = [
        "return { json: { id: $json.id, name: $json.name ?? null, idx: $itemIndex } };",
        "$input.item.json.extra = 'x'; return $input.item;",
        "return { json: { keys: Object.keys($json).sort() } };",
        "if ($json.id === 2) throw new Error('item two'); return $input.item;",
        "return [{ json: { a: 1 } }];",
        (
            "return { json: { luxon:"
            " DateTime.fromISO('2024-01-01T00:00:00Z').plus({ days: $itemIndex }).toISODate() } };"
        ),
    ]
    for code in all_items:
        yield "code", 2, {"jsCode": code}, ("people3", "empty", "blank")
    for code in each_item:
        yield "code", 2, {"mode": "runOnceForEachItem", "jsCode": code}, ("people3", "odd")
    yield "code", 1, {"jsCode": all_items[0]}, ("people3",)


def _date_time_variants() -> Iterator[Variant]:
    date = "={{ $json.created }}"
    v2: list[dict[str, Any]] = [
        {"operation": "addToDate", "magnitude": date, "timeUnit": "days", "duration": 3},
        {
            "operation": "addToDate",
            "magnitude": date,
            "timeUnit": "months",
            "duration": 1,
            "outputFieldName": "next",
        },
        {"operation": "subtractFromDate", "magnitude": date, "timeUnit": "hours", "duration": 30},
        {"operation": "formatDate", "date": date, "format": "yyyy-MM-dd", "options": {}},
        {
            "operation": "formatDate",
            "date": date,
            "format": "custom",
            "customFormat": "dd LLL yyyy HH:mm ZZ",
            "options": {"timezone": "Asia/Kolkata"},
        },
        {
            "operation": "formatDate",
            "date": date,
            "format": "MM/dd/yyyy",
            "options": {"fromFormat": "yyyy-MM-dd"},
        },
        {"operation": "formatDate", "date": date, "format": "X", "options": {}},
        {"operation": "roundDate", "date": date, "mode": "roundDown", "toNearest": "month"},
        {"operation": "roundDate", "date": date, "mode": "roundUp", "to": "day"},
        {
            "operation": "getTimeBetweenDates",
            "startDate": date,
            "endDate": "2024-06-01T00:00:00Z",
            "units": ["day", "hour"],
            "options": {},
        },
        {
            "operation": "getTimeBetweenDates",
            "startDate": date,
            "endDate": "2024-06-01T00:00:00Z",
            "units": ["month"],
            "options": {"isoString": True},
        },
        {"operation": "extractDate", "date": date, "part": "week"},
        {"operation": "extractDate", "date": date, "part": "day"},
        {"operation": "getCurrentDate", "includeTime": True, "outputFieldName": "now", "options": {}},
        {"operation": "getCurrentDate", "includeTime": False, "options": {"timezone": "Europe/Berlin"}},
    ]
    for params in v2:
        yield "dateTime", 2, params, ("people5", "people8")
    v1: list[dict[str, Any]] = [
        {"value": date, "dataPropertyName": "out", "toFormat": "YYYY-MM-DD", "options": {}},
        {"value": date, "dataPropertyName": "out", "toFormat": "MMMM Do YYYY, h:mm a", "options": {}},
        {"value": date, "dataPropertyName": "out", "custom": True, "toFormat": "X", "options": {}},
        {
            "value": date,
            "dataPropertyName": "out",
            "toFormat": "LLL",
            "options": {"toTimezone": "Europe/Berlin", "fromTimezone": "UTC"},
        },
        {
            "action": "calculate",
            "value": date,
            "operation": "add",
            "duration": 2,
            "timeUnit": "weeks",
            "dataPropertyName": "out",
            "options": {},
        },
        {
            "action": "calculate",
            "value": date,
            "operation": "subtract",
            "duration": 90,
            "timeUnit": "minutes",
            "dataPropertyName": "out",
            "options": {"outputFormat": "YYYY-MM-DD HH:mm"},
        },
    ]
    for params in v1:
        yield "dateTime", 1, params, ("people5", "people8")


def _secret_variants() -> Iterator[Variant]:
    for kind in ("MD5", "SHA1", "SHA256", "SHA384", "SHA512", "SHA3-256"):
        for encoding in ("hex", "base64"):
            yield (
                "crypto",
                1,
                {"type": kind, "value": "={{ $json.name }}", "dataPropertyName": "h", "encoding": encoding},
                ("people3", "odd"),
            )
        yield (
            "crypto",
            1,
            {
                "action": "hmac",
                "type": kind,
                "value": "={{ String($json.id) }}",
                "secret": "s3cr3t",
                "dataPropertyName": "mac",
                "encoding": "hex",
            },
            ("people3", "people5"),
        )
    yield (
        "crypto",
        1,
        {"type": "SHA256", "value": "={{ $json.address }}", "dataPropertyName": "address.hash"},
        ("people3",),
    )
    yield (
        "crypto",
        1,
        {"type": "SHA256", "binaryData": True, "binaryPropertyName": "data", "dataPropertyName": "h"},
        ("file_text",),
    )
    jwt_sign: list[dict[str, Any]] = [
        {"claims": {"subject": "={{ $json.name }}", "issuer": "hive"}},
        {"claims": {"audience": "a", "expiresIn": 3600, "jwtid": "j1"}, "options": {"kid": "k1"}},
        {"useJson": True, "claimsJson": "={{ JSON.stringify({ id: $json.id, tags: $json.tags }) }}"},
        {"useJson": True, "claimsJson": "{not json"},
    ]
    for params in jwt_sign:
        yield "jwt", 1, {"operation": "sign", **params}, ("people3", "blank")
    token = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJBZGEiLCJpYXQiOjE3MTU3NjkwMDB9."
        "rDkDSn9Ce3tWpQiVrgDgwYz1Jhrw_VQtoNIlL4H86j8"
    )
    for operation in ("decode", "verify"):
        for options in ({}, {"complete": True}, {"ignoreExpiration": True}):
            yield "jwt", 1, {"operation": operation, "token": token, "options": options}, ("one",)
        yield "jwt", 1, {"operation": operation, "token": "garbage.token.here", "options": {}}, ("one",)
    totp_options: list[dict[str, Any]] = [{}, {"algorithm": "SHA256"}, {"digits": 8, "period": 60}]
    for options in totp_options:
        yield "totp", 1, {"operation": "generateSecret", "options": options}, ("one", "people3")


def _markup_variants() -> Iterator[Variant]:
    xml_in = [
        {"data": "<r a='1'><x>1</x><x>ü</x><y/></r>"},
        {"data": "<?xml version='1.0'?><root><item id='7'>  text  </item><![CDATA[c]]></root>"},
        {"data": "<bad"},
        {"data": "<a><B>t</B><b>u</b></a>"},
    ]
    xml_options: list[dict[str, Any]] = [
        {},
        {"explicitArray": True},
        {"mergeAttrs": True},
        {"ignoreAttrs": True, "trim": True},
        {"normalizeTags": True, "normalize": True},
        {"explicitRoot": False, "attrkey": "@", "charkey": "#"},
    ]
    for options in xml_options:
        yield "xml", 1, {"mode": "xmlToJson", "dataPropertyName": "data", "options": options}, ("xml_docs",)
    for options in (
        {},
        {"headless": True},
        {"rootName": "doc"},
        {"cdata": True},
        {"allowSurrogateChars": True},
    ):
        yield "xml", 1, {"mode": "jsonToxml", "options": options}, ("people3", "odd")
    html_page = (
        "<html><body><h1 class='t'> Title ü </h1><ul><li>a</li><li data-x='2'>b</li></ul>"
        "<a href='/x'>link</a><input value='v'/><p>one <b>two</b></p></body></html>"
    )
    extraction = [
        [{"key": "title", "cssSelector": "h1"}],
        [{"key": "items", "cssSelector": "li", "returnArray": True}],
        [{"key": "href", "cssSelector": "a", "returnValue": "attribute", "attribute": "href"}],
        [
            {"key": "p", "cssSelector": "p", "returnValue": "html"},
            {"key": "v", "cssSelector": "input", "returnValue": "value"},
        ],
        [{"key": "none", "cssSelector": ".missing"}],
        [{"key": "p", "cssSelector": "p", "skipSelectors": "b"}],
    ]
    for values in extraction:
        for options in ({}, {"trimValues": False}, {"cleanUpText": False}):
            yield (
                "html",
                1.2,
                {
                    "operation": "extractHtmlContent",
                    "dataPropertyName": "page",
                    "extractionValues": {"values": values},
                    "options": options,
                },
                ("html_pages",),
            )
        yield (
            "htmlExtract",
            1,
            {"dataPropertyName": "page", "extractionValues": {"values": values}, "options": {}},
            ("html_pages",),
        )
    for options in ({}, {"capitalize": True}, {"caption": "T", "tableAttributes": "class='t'"}):
        for version in (1, 1.2):
            yield "html", version, {"operation": "convertToHtmlTable", "options": options}, ("people3", "odd")
    yield "html", 1.2, {"operation": "generateHtmlTemplate", "html": "=<p>{{ $json.name }}</p>"}, ("people3",)
    del html_page
    markdown = [
        "# Title ü\n\n* a\n* b\n\n| h | i |\n|---|---|\n| 1 | 2 |\n",
        "Some **bold** _em_ `code` [l](http://x)\n",
    ]
    for text in markdown:
        for options in ({}, {"tables": False}, {"simpleLineBreaks": True}, {"openLinksInNewWindow": True}):
            yield (
                "markdown",
                1,
                {"mode": "markdownToHtml", "markdown": text, "destinationKey": "html", "options": options},
                ("one",),
            )
    htmls = [
        "<h1>T</h1><p>x <b>y</b> <a href='u'>l</a></p><ul><li>1</li></ul>",
        "<table><tr><td>1</td></tr></table>",
    ]
    for text in htmls:
        for options in ({}, {"bulletMarker": "-"}, {"headingStyle": "setext"}, {"codeBlockStyle": "fenced"}):
            yield (
                "markdown",
                1,
                {"mode": "htmlToMarkdown", "html": text, "destinationKey": "md", "options": options},
                ("one",),
            )
    del xml_in


def _file_variants() -> Iterator[Variant]:
    for fmt in ("csv", "html", "toJson", "rtf"):
        yield "convertToFile", 1.1, {"operation": fmt, "options": {}}, ("people3", "odd", "empty")
    yield (
        "convertToFile",
        1.1,
        {"operation": "csv", "options": {"delimiter": ";", "headerRow": False, "fileName": "out.csv"}},
        ("people3",),
    )
    yield (
        "convertToFile",
        1.1,
        {"operation": "toJson", "mode": "each", "options": {"format": True}},
        ("people3",),
    )
    yield "convertToFile", 1.1, {"operation": "toText", "sourceProperty": "name", "options": {}}, ("people3",)
    yield "convertToFile", 1.1, {"operation": "toBinary", "sourceProperty": "b64", "options": {}}, ("b64",)
    for fmt in ("csv", "html"):
        yield "convertToFile", 1, {"operation": fmt, "options": {}}, ("people3",)
    extract: list[dict[str, Any]] = [
        {"operation": "csv", "options": {}},
        {"operation": "csv", "options": {"headerRow": False}},
        {"operation": "csv", "options": {"delimiter": ";"}},
        {"operation": "text", "options": {}},
        {"operation": "text", "destinationKey": "t", "options": {"keepSource": "both"}},
        {"operation": "fromJson", "options": {}},
        {"operation": "binaryToPropery", "options": {}},
        {"operation": "html", "options": {}},
        {"operation": "xml", "options": {}},
    ]
    for params in extract:
        # n8n's CSV parser throws outside the node on a JSON file (it would crash n8n): not a case
        files = (
            ("file_csv", "file_text")
            if params["operation"] == "csv"
            else ("file_csv", "file_json", "file_text")
        )
        yield "extractFromFile", 1, params, files
    for mode, params in (
        ("binaryToJson", {}),
        ("binaryToJson", {"setAllData": False, "destinationKey": "d"}),
        ("jsonToBinary", {}),
        ("jsonToBinary", {"convertAllData": False, "sourceKey": "name"}),
    ):
        yield "moveBinaryData", 1.1, {"mode": mode, **params, "options": {}}, ("file_json", "people3")
    yield "compression", 1.1, {"operation": "decompress", "binaryPropertyName": "data"}, ("file_gzip",)
    yield "spreadsheetFile", 2, {"operation": "toFile", "fileFormat": "csv", "options": {}}, ("people3",)
    yield "spreadsheetFile", 2, {"options": {}}, ("file_csv",)


def _compare_variants() -> Iterator[Variant]:
    pairs = ("people5+people3", "dups+people5", "people3+empty", "one+one")
    for version in (2.2, 2.3):
        for resolve in ("preferInput1", "preferInput2", "includeBoth", "mix"):
            params: dict[str, Any] = {
                "mergeByFields": {"values": [{"field1": "id", "field2": "id"}]},
                "resolve": resolve,
                "options": {},
            }
            if resolve == "mix":
                params["preferWhenMix"] = "input1"
                params["exceptWhenMix"] = "name"
            yield "compareDatasets", version, params, pairs
        yield (
            "compareDatasets",
            version,
            {
                "mergeByFields": {"values": [{"field1": "id", "field2": "id"}]},
                "options": {"skipFields": "tags,address"},
            },
            pairs,
        )
        yield (
            "compareDatasets",
            version,
            {
                "mergeByFields": {"values": [{"field1": "id", "field2": "id"}]},
                "options": {"fuzzyCompare": True},
            },
            pairs,
        )
    yield "compareDatasets", 1, {"mergeByFields": {"values": [{"field1": "k", "field2": "k"}]}}, pairs


def variants() -> Iterator[Variant]:
    """Every variant of every node, in a stable order."""
    for family in (
        _set_variants,
        _filter_variants,
        _switch_variants,
        _merge_variants,
        _list_variants,
        _misc_data_variants,
        _code_variants,
        _date_time_variants,
        _secret_variants,
        _markup_variants,
        _file_variants,
        _compare_variants,
    ):
        yield from family()


__all__ = ["Variant", "cond", "conditions", "variants"]
