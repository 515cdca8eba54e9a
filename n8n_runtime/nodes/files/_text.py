"""iconv-lite's encode/decode for the encodings n8n's file nodes offer."""

from __future__ import annotations

import base64
import codecs
import re

__all__ = ["decode_text", "encode_text"]

_ALIASES = {
    "utf8": "utf-8", "utf-8": "utf-8", "cesu8": "utf-8", "ucs2": "utf-16-le", "utf16le": "utf-16-le",
    "utf-16le": "utf-16-le", "latin1": "latin-1", "binary": "latin-1", "ascii": "ascii",
    "base64": "base64", "hex": "hex",
}  # fmt: skip


_SPELLINGS = (
    (r"^(?:windows|win)(\d+)$", r"cp\1"),
    (r"^iso8859(\d+)$", r"iso8859-\1"),
    (r"^koi8([a-z])$", r"koi8-\1"),
    (r"^utf(16|32)(le|be)$", r"utf-\1-\2"),
)


def _codec(name: str) -> str:
    key = name.strip().lower()
    name = _ALIASES.get(key, key)
    # iconv-lite spells code pages without separators: windows1256, iso88592, koi8r, utf16be, win1251
    for pattern, repl in _SPELLINGS:
        name = re.sub(pattern, repl, name)
    try:
        codecs.lookup(name)
    except LookupError as error:
        raise ValueError(f"Encoding not recognized: '{key}'") from error
    return name


def decode_text(data: bytes, encoding: str = "utf8", *, strip_bom: bool = True) -> str:
    codec = _codec(encoding)
    if codec in ("base64", "hex"):  # iconv-lite's binary-to-text encodings
        return base64.b64encode(data).decode("ascii") if codec == "base64" else data.hex()
    text = data.decode(codec, errors="replace")
    return text[1:] if strip_bom and text.startswith("\ufeff") else text


def encode_text(text: str, encoding: str = "utf8", *, add_bom: bool = False) -> bytes:
    codec = _codec(encoding)
    if codec in ("base64", "hex"):
        return base64.b64decode(text + "=" * (-len(text) % 4)) if codec == "base64" else bytes.fromhex(text)
    if add_bom:
        text = "\ufeff" + text
    return text.encode(codec, errors="replace")
