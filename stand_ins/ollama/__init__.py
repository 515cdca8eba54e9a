"""A fake Ollama host speaking the real wire protocol (../shared/reference/ollama-api.md)."""

from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig, FakeStats, Faults

__all__ = ["FakeOllama", "FakeOllamaConfig", "FakeStats", "Faults"]
