"""Binary data of executions: download one file an item refers to (``binary[prop].id``).

Run data (``GET /api/executions/{id}``) already carries n8n's binary metadata per item
(mimeType, fileName, fileSize, id, ...); this route streams the bytes from the binary store.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse

from api.auth import AUTH_RESPONSES, require
from api.deps import SettingsDep
from hive_core.auth import Permission, Principal
from hive_core.binary_data import BinaryStore
from hive_core.errors import NotFoundError

router = APIRouter(prefix="/api", tags=["executions"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.EXECUTIONS_READ))]

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such file in this execution"}}


@router.get(
    "/executions/{execution_id}/binary/{binary_id:path}",
    response_class=FileResponse,
    responses={**_NOT_FOUND, 200: {"content": {"application/octet-stream": {}}}},
)
async def download(execution_id: str, binary_id: str, _: Reader, settings: SettingsDep) -> FileResponse:
    """The bytes of ``binary_id`` (``filesystem-v2:workflows/...``), stored by ``execution_id``."""
    binary = settings.binary_data
    store = BinaryStore(binary.storage_path(settings.data_dir), max_file_bytes=binary.max_file_bytes)
    try:
        owned = store.belongs_to(binary_id, execution_id)
    except Exception as error:  # a malformed id is simply not one of this execution's files
        raise NotFoundError(f"binary data {binary_id!r} not found", execution_id=execution_id) from error
    if not owned:
        raise NotFoundError(f"binary data {binary_id!r} not found", execution_id=execution_id)
    path = store.path(binary_id)
    meta = store.metadata(binary_id)
    return FileResponse(
        path,
        media_type=str(meta.get("mimeType") or "application/octet-stream"),
        filename=meta.get("fileName"),
    )
