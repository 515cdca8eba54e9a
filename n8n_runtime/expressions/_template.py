"""n8n parameter templates (`=text {{ js }} text`) split and compiled to JavaScript source.

The semantics follow n8n's tournament/tmpl compiler:

* a template that is exactly one `{{ }}` (nothing before, nothing after) returns the value with
  its type;
* otherwise every `{{ }}` part becomes ``v || v === 0 || v === false ? v : ''`` and the parts are
  joined with ``Array.prototype.join`` — so objects render as ``[object Object]`` exactly like
  n8n (not as JSON);
* a template without `{{` is a literal; ``\\{{`` is left as written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from n8n_runtime.expressions._async import AsyncTransformError, needs_async_transform, transform_async
from n8n_runtime.expressions._extcalls import rewrite_extension_calls
from n8n_runtime.expressions._jstokens import JSTokenizeError, tokenize

__all__ = [
    "ITEM_PARAMS",
    "Chunk",
    "CompiledTemplate",
    "TemplateCompileError",
    "compile_template",
    "split_template",
]

# Per-item names every compiled template (and Code node) receives as parameters; everything
# else ($input, $node, $now, …) is a global the prelude sets once per node.
ITEM_PARAMS = "$json, $binary, $itemIndex, $position, $thisItem, $thisItemIndex, $data"
# Bare helper names n8n offers only inside expressions (H.exprScope in js/extensions.js).
_EXPR_SCOPE = "min, max, average, not, numberList, zip"


class TemplateCompileError(ValueError):
    """The template cannot be compiled (for example unsupported async syntax)."""


@dataclass(frozen=True, slots=True)
class Chunk:
    kind: str  # "text" or "code"
    text: str


@dataclass(frozen=True, slots=True)
class CompiledTemplate:
    """A template ready for V8: ``source`` is a JS function expression, or None for a literal."""

    literal: str | None
    source: str | None


def _find_close(body: str, start: int) -> int:
    """Index of the `}}` closing the code that starts at ``start``, or -1."""
    try:
        toks = tokenize(body, start, stop_at_double_brace=True)
    except JSTokenizeError:
        # Broken JS (an unterminated string, say): fall back to tmpl's first `}}`.
        return body.find("}}", start)
    end = toks[-1].end if toks else start
    return end if body.startswith("}}", end) else -1


def split_template(body: str) -> list[Chunk]:
    """Split a template body (without the leading ``=``) into text and code chunks.

    Like tournament, the result always starts with a text chunk (possibly empty) and a code
    chunk's `}}` is found by brace counting outside strings, so ``{{ {a: {b: 1}} }}`` and
    ``{{ "}}" }}`` work.
    """
    chunks: list[Chunk] = []
    buffer = ""
    i = 0
    n = len(body)
    while i < n:
        j = body.find("{{", i)
        if j == -1:
            buffer += body[i:]
            break
        if j > 0 and body[j - 1] == "\\":
            buffer += body[i : j + 2]
            i = j + 2
            continue
        buffer += body[i:j]
        chunks.append(Chunk("text", buffer))
        buffer = ""
        close = _find_close(body, j + 2)
        if close == -1:
            chunks.append(Chunk("code", body[j + 2 :].replace("\\}}", "}}", 1)))
            return chunks
        chunks.append(Chunk("code", body[j + 2 : close].replace("\\}}", "}}", 1)))
        i = close + 2
    if buffer or not chunks:
        chunks.append(Chunk("text", buffer))
    return chunks


def _prepare_code(code: str) -> str:
    code = code.strip()
    # tmpl accepts a trailing `;` ({{ Math.min(1, 2); }}).
    while code.endswith(";"):
        code = code[:-1].rstrip()
    if not code:
        return "undefined"
    if needs_async_transform(code):
        try:
            code = transform_async(code, top_level_await=False)
        except AsyncTransformError as exc:
            raise TemplateCompileError(str(exc)) from exc
    return rewrite_extension_calls(code)


def _wrap(body: str) -> str:
    return (
        f"(function ({_EXPR_SCOPE}) {{ return function ({ITEM_PARAMS}) {{\n{body}\n}}; }})"
        ".apply(null, __hive.exprScope)"
    )


@lru_cache(maxsize=4096)
def compile_template(template: str) -> CompiledTemplate:
    """Compile a parameter value that starts with ``=``.

    Newlines around the code keep a trailing ``// comment`` from swallowing the closing paren.
    """
    chunks = split_template(template[1:])
    if len(chunks) < 2:
        return CompiledTemplate(literal=chunks[0].text if chunks else "", source=None)
    if len(chunks) == 2 and chunks[0].text == "":
        code = _prepare_code(chunks[1].text)
        return CompiledTemplate(None, _wrap(f"return (\n{code}\n);"))
    parts: list[str] = []
    for chunk in chunks:
        if chunk.kind == "text":
            if chunk.text:
                parts.append(json.dumps(chunk.text))
        else:
            code = _prepare_code(chunk.text)
            parts.append(f"__hive.part(() => (\n{code}\n))")
    body = ",\n".join(parts)
    return CompiledTemplate(None, _wrap(f"return [{body}].join('');"))
