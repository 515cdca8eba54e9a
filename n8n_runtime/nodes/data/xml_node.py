"""XML node (``n8n-nodes-base.xml`` v1): XML text ↔ JSON with xml2js' options and shapes."""

from __future__ import annotations

from typing import Any

from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import item_json, options, param
from n8n_runtime.nodes.data._xml2js import BuilderOptions, ParserOptions, XmlSyntaxError, build, parse


def run_xml(run: NodeRun) -> NodeOutput:
    """``xmlToJson`` (default): parse `dataPropertyName`; ``jsonToxml``: build from the whole json."""
    mode = param(run, "mode", 0, "xmlToJson")
    if mode not in ("xmlToJson", "jsonToxml"):
        raise NodeError(f"The operation '{mode}' is not known!")
    output: list[Item] = []
    for index, item in enumerate(run.items):
        property_name = str(param(run, "dataPropertyName", index, "data"))
        opts = options(run, index)
        data = item_json(item)
        if mode == "xmlToJson":
            if property_name not in data:
                raise NodeError(f'Item has no JSON property called "{property_name}"', item_index=index)
            try:
                parsed = parse(str(data[property_name]), _parser_options(opts))
            except XmlSyntaxError as error:
                raise NodeError(str(error), item_index=index) from None
            output.append({"json": parsed if isinstance(parsed, dict) else {}, "pairedItem": {"item": index}})
        else:
            text = build(data, _builder_options(opts))
            output.append({"json": {property_name: text}, "pairedItem": {"item": index}})
    return [output]


def _parser_options(opts: dict[str, Any]) -> ParserOptions:
    return ParserOptions(
        attrkey=str(opts.get("attrkey", "$")),
        charkey=str(opts.get("charkey", "_")),
        explicit_array=bool(opts.get("explicitArray", False)),
        explicit_root=bool(opts.get("explicitRoot", True)),
        ignore_attrs=bool(opts.get("ignoreAttrs", False)),
        merge_attrs=bool(opts.get("mergeAttrs", True)),
        normalize=bool(opts.get("normalize", False)),
        normalize_tags=bool(opts.get("normalizeTags", False)),
        trim=bool(opts.get("trim", False)),
    )


def _builder_options(opts: dict[str, Any]) -> BuilderOptions:
    return BuilderOptions(
        attrkey=str(opts.get("attrkey", "$")),
        charkey=str(opts.get("charkey", "_")),
        root_name=str(opts.get("rootName", "root")),
        headless=bool(opts.get("headless", False)),
        cdata=bool(opts.get("cdata", False)),
    )


__all__ = ["run_xml"]
