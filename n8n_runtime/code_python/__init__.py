"""n8n's Code node in Python (``language: python`` and ``pythonNative``), run natively.

The code never runs in the worker: each node run goes to a fresh ``python -I`` process from a
small warm pool (``pool``), limited by ``policy.PythonCodePolicy`` (hive.yaml ``code_python:``).
``runner`` builds the task from the node's context and applies n8n's output rules.
"""

from hive_core.config.code_python import BUILTINS_DENY_DEFAULT, PythonCodePolicy
from n8n_runtime.code_python.pool import PythonPool, PythonTaskFailed
from n8n_runtime.code_python.runner import PYTHON_LANGUAGES, run_python_code

__all__ = [
    "BUILTINS_DENY_DEFAULT",
    "PYTHON_LANGUAGES",
    "PythonCodePolicy",
    "PythonPool",
    "PythonTaskFailed",
    "run_python_code",
]
