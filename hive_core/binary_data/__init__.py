"""Binary data outside Temporal history (n8n filesystem-v2 layout) and n8n's binary helpers."""

from hive_core.binary_data._format import (
    extension_for,
    file_type_for,
    mime_from_path,
    pretty_bytes,
)
from hive_core.binary_data.helpers import BinaryData, ExecutionBinary
from hive_core.binary_data.settings import BinaryDataSettings
from hive_core.binary_data.store import MODE, BinaryStore, StoredFile

__all__ = [
    "MODE",
    "BinaryData",
    "BinaryDataSettings",
    "BinaryStore",
    "ExecutionBinary",
    "StoredFile",
    "extension_for",
    "file_type_for",
    "mime_from_path",
    "pretty_bytes",
]
