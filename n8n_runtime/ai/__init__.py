"""n8n's AI (LangChain) nodes, the pure parts: parameter evaluation into an "AI instruction",
prompts, schemas, output parsing and validation, memory windows.

The LLM and tool calls themselves run in workflow code (`workflows/ai_nodes.py`) through
`workflows/ai_dispatch.py` and activities, each a durable step.
"""

from n8n_runtime.ai.instruction import (
    AI_KEY,
    AiInstruction,
    ItemCall,
    MemorySpec,
    ModelSpec,
    ParserSpec,
    ToolSpec,
)
from n8n_runtime.ai.prepare import AI_NODES, run_ai_root

__all__ = [
    "AI_KEY",
    "AI_NODES",
    "AiInstruction",
    "ItemCall",
    "MemorySpec",
    "ModelSpec",
    "ParserSpec",
    "ToolSpec",
    "run_ai_root",
]
