"""Executions of stored workflows: start them, read them from Temporal, keep the DB index in sync,
retry them from the failed node.

Temporal is the source of truth for a run; the `executions` / `execution_steps` tables are an
index kept current by read-through and a reconciler (see `reconcile`).
"""

from hive_core.executions.discover import DISCOVERY_WINDOW, discover_runs
from hive_core.executions.index import FINAL_STATUSES, write_view
from hive_core.executions.reconcile import reconcile_open, sync_execution
from hive_core.executions.record import record_started
from hive_core.executions.retry import retry_input
from hive_core.executions.start import (
    MAX_INPUT_BYTES,
    StartedExecution,
    check_payload_size,
    execution_id_for,
    start_execution,
    start_options,
    start_run,
    trigger_items,
)
from hive_core.executions.temporal import RunView, fetch_run, run_handle, temporal_errors

__all__ = [
    "DISCOVERY_WINDOW",
    "FINAL_STATUSES",
    "MAX_INPUT_BYTES",
    "RunView",
    "StartedExecution",
    "check_payload_size",
    "discover_runs",
    "execution_id_for",
    "fetch_run",
    "reconcile_open",
    "record_started",
    "retry_input",
    "run_handle",
    "start_execution",
    "start_options",
    "start_run",
    "sync_execution",
    "temporal_errors",
    "trigger_items",
    "write_view",
]
