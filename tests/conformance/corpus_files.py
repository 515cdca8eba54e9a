"""Files n8n's node tests provide by mocking the file system, written for real here.

n8n's Crypto test mocks fast-glob and fs.createReadStream so `Read Binary Files` of
`/test/binary.data` yields the bytes `test`; Hive reads real files inside its file roots, so the
conformance run writes that file under the workers' test root and points the node at it.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

# The disk file nodes' root in test workers (tests/builders.worker_settings).
TEST_FILES_ROOT = Path(tempfile.gettempdir()) / "hive-test-files"

# corpus file → node name → (parameter, file name, bytes)
_MOCKED: dict[str, dict[str, tuple[str, str, bytes]]] = {
    "Crypto/test__CryptoTest.workflow.json": {"Read Binary Files": ("fileSelector", "binary.data", b"test")},
}


def provide_test_files(corpus_file: str, workflow: dict[str, Any]) -> None:
    """Write the files ``corpus_file``'s n8n test mocks and point its nodes at them."""
    wanted = _MOCKED.get(corpus_file)
    if not wanted:
        return
    directory = TEST_FILES_ROOT / uuid.uuid4().hex[:8]
    directory.mkdir(parents=True, exist_ok=True)
    for node in workflow["nodes"]:
        if node["name"] in wanted:
            param, name, content = wanted[node["name"]]
            (directory / name).write_bytes(content)
            node["parameters"][param] = str(directory / name)
