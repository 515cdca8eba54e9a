"""The one served model as Ollama describes models: ``/api/tags``, ``/api/ps``, ``/api/show``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hive_core.config.models import normalize_model_name
from hive_core.local_model.gguf import GgufInfo, read_gguf_info
from hive_core.ollama.wire import rfc3339

DEFAULT_MODEL_NAME = "smollm2:135m"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def canonical_name(name: str) -> str:
    """Ollama's name rules: case-insensitive, ``:latest`` when no tag is given."""
    return normalize_model_name(name.lower())


@dataclass(frozen=True)
class ModelCard:
    name: str
    path: Path
    size: int
    digest: str
    modified_at: str
    info: GgufInfo
    # The context the model is loaded with (not the trained maximum).
    context_length: int

    @classmethod
    def from_file(
        cls, path: Path, context_length: int, name: str = DEFAULT_MODEL_NAME, info: GgufInfo | None = None
    ) -> ModelCard:
        """Reads the GGUF header (unless given) and hashes the file (~0.3 s for 98 MB)."""
        stat = path.stat()
        return cls(
            name=canonical_name(name),
            path=path,
            size=stat.st_size,
            digest=_sha256(path),
            modified_at=rfc3339(stat.st_mtime_ns),
            info=info or read_gguf_info(path),
            context_length=context_length,
        )

    def serves(self, model: str) -> bool:
        return canonical_name(model) == self.name

    def details(self) -> dict[str, Any]:
        family = self.info.architecture
        return {
            "parent_model": "",
            "format": "gguf",
            "family": family,
            "families": [family],
            "parameter_size": self.info.parameter_size,
            "quantization_level": self.info.quantization,
        }

    def tag(self) -> dict[str, Any]:
        """One entry of ``/api/tags``."""
        return {
            "name": self.name,
            "model": self.name,
            "modified_at": self.modified_at,
            "size": self.size,
            "digest": self.digest,
            "details": self.details(),
        }

    def process(self) -> dict[str, Any]:
        """One entry of ``/api/ps``: loaded for as long as the server runs."""
        return {
            **{key: value for key, value in self.tag().items() if key != "modified_at"},
            # Never unloaded: report a far horizon, as Ollama does for keep_alive < 0.
            "expires_at": "2318-01-01T00:00:00Z",
            "size_vram": 0,
            "context_length": self.context_length,
        }

    def show(self) -> dict[str, Any]:
        """The body of ``/api/show``."""
        model_info: dict[str, Any] = {
            key: value for key, value in self.info.metadata.items() if not key.startswith("tokenizer.")
        }
        model_info["general.parameter_count"] = self.info.parameter_count
        template = str(self.info.metadata.get("tokenizer.chat_template", ""))
        return {
            "license": str(self.info.metadata.get("general.license", "")),
            "modelfile": f"# Served by hive local-model\nFROM {self.path}\n",
            "parameters": f"num_ctx {self.context_length}",
            "template": template,
            "details": self.details(),
            "model_info": model_info,
            "capabilities": ["completion"],
            "modified_at": self.modified_at,
        }


__all__ = ["DEFAULT_MODEL_NAME", "ModelCard", "canonical_name"]
