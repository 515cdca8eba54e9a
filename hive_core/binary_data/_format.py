"""n8n's binary metadata conventions: pretty-bytes sizes, MIME lookups, file types."""

from __future__ import annotations

import mimetypes
import posixpath

_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")

# mime-types (the npm package n8n uses) differs from Python's table on a few common types.
_MIME_OVERRIDES = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".md": "text/markdown",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".rtf": "application/rtf",
    ".ics": "text/calendar",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".js": "application/javascript",
    ".txt": "text/plain",
    ".html": "text/html",
    ".xml": "application/xml",
    ".yaml": "text/yaml",
    ".yml": "text/yaml",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".wav": "audio/wav",
}
_EXTENSION_OVERRIDES = {
    "text/plain": "txt",
    "text/csv": "csv",
    "application/json": "json",
    "text/html": "html",
    "image/jpeg": "jpeg",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/octet-stream": "bin",
    "text/calendar": "ics",
    "application/gzip": "gz",
    "application/zip": "zip",
    "application/javascript": "js",
    "text/markdown": "md",
    "audio/mpeg": "mpga",
}


def _js_number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def pretty_bytes(size: int) -> str:
    """The npm ``pretty-bytes`` string n8n stores as ``fileSize`` (``12 kB``, ``52.4 MB``)."""
    if size < 1:
        return f"{size} B"
    exponent = 0
    number = float(size)
    while number >= 1000 and exponent < len(_UNITS) - 1:
        number /= 1000
        exponent += 1
    # pretty-bytes: Number(x.toPrecision(3)); integers are printed without decimals
    return f"{_js_number(float(f'{number:.3g}'))} {_UNITS[exponent]}"


def mime_from_path(path: str) -> str | None:
    """mime-types' ``lookup(path)``: by extension, None when unknown."""
    ext = posixpath.splitext(path.lower())[1]
    if not ext and "." not in path and path:
        # lookup("csv") works in mime-types too; a bare name only matches well-known extensions
        return _MIME_OVERRIDES.get("." + path.lower())
    if ext in _MIME_OVERRIDES:
        return _MIME_OVERRIDES[ext]
    return mimetypes.types_map.get(ext)


def extension_for(mime_type: str) -> str | None:
    """mime-types' ``extension(type)``."""
    base = mime_type.split(";")[0].strip().lower()
    if base in _EXTENSION_OVERRIDES:
        return _EXTENSION_OVERRIDES[base]
    guessed = mimetypes.guess_extension(base)
    return guessed[1:] if guessed else None


def file_type_for(mime_type: str) -> str | None:
    """n8n-workflow's ``fileTypeFromMimeType``."""
    if mime_type.startswith("application/json"):
        return "json"
    if mime_type.startswith("text/html"):
        return "html"
    for prefix in ("image", "audio", "video"):
        if mime_type.startswith(prefix + "/"):
            return prefix
    if mime_type.startswith("text/") or mime_type.startswith("application/javascript"):
        return "text"
    if mime_type.startswith("application/pdf"):
        return "pdf"
    return None


def sniff_mime(data: bytes) -> tuple[str, str] | None:
    """A small part of the ``file-type`` package: magic numbers of common formats."""
    signatures: tuple[tuple[bytes, str, str], ...] = (
        (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
        (b"\xff\xd8\xff", "image/jpeg", "jpg"),
        (b"GIF8", "image/gif", "gif"),
        (b"%PDF", "application/pdf", "pdf"),
        (b"\x1f\x8b", "application/gzip", "gz"),
        (b"PK\x03\x04", "application/zip", "zip"),
        (b"\xd0\xcf\x11\xe0", "application/x-cfb", "cfb"),
        (b"RIFF", "audio/wav", "wav"),
    )
    for magic, mime, ext in signatures:
        if data.startswith(magic):
            return mime, ext
    return None


__all__ = ["extension_for", "file_type_for", "mime_from_path", "pretty_bytes", "sniff_mime"]
