"""Which alerts a health sample raises: pure evaluation against ``monitoring.alert_thresholds``.

Severity rules:

- ``agent_down`` (no worker answered, or its Ollama did not): always **critical**.
- ``cpu_usage``, ``memory_usage``, ``gpu_usage`` (percent): **warning** at the threshold,
  **critical** at threshold + 10 points (capped at 100 %, so a 95 % threshold is critical at 100 %).
- ``response_time`` (seconds, the probe's round trip to Ollama): **warning** at the threshold,
  **critical** at twice the threshold.

A figure that was not measured (no GPU, telemetry from a remote worker, agent down) raises nothing
and clears nothing: `Evaluation.evaluated` lists only the alert types the sample could decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel

from hive_core.config.models import AlertThresholds
from hive_core.db.models.enums import AlertSeverity
from hive_core.host_telemetry.models import GpuReading

CRITICAL_EXTRA_POINTS = 10.0
CRITICAL_RESPONSE_TIME_FACTOR = 2.0


class AlertType(StrEnum):
    AGENT_DOWN = "agent_down"
    CPU_USAGE = "cpu_usage"
    MEMORY_USAGE = "memory_usage"
    GPU_USAGE = "gpu_usage"
    RESPONSE_TIME = "response_time"


class HealthSample(BaseModel):
    """What one health check learned about one agent."""

    agent_id: str
    up: bool
    # Why the agent counts as down (no worker, Ollama unreachable ...).
    down_reason: str | None = None
    cpu_percent: float | None = None
    memory_percent: float | None = None
    gpus: list[GpuReading] = []
    response_time_s: float | None = None


@dataclass(frozen=True)
class AlertCondition:
    """A condition that holds now and deserves an open alert."""

    type: AlertType
    severity: AlertSeverity
    message: str


@dataclass
class Evaluation:
    conditions: list[AlertCondition] = field(default_factory=list)
    # Types the sample had the data to decide: an open alert of such a type whose condition
    # no longer holds is resolved; any other open alert is left as it is.
    evaluated: set[AlertType] = field(default_factory=set)


def _percent_severity(value: float, threshold: float) -> AlertSeverity | None:
    if value >= min(threshold + CRITICAL_EXTRA_POINTS, 100.0):
        return AlertSeverity.CRITICAL
    if value >= threshold:
        return AlertSeverity.WARNING
    return None


def _percent(
    evaluation: Evaluation, kind: AlertType, what: str, value: float | None, threshold: float
) -> None:
    if value is None:
        return
    evaluation.evaluated.add(kind)
    severity = _percent_severity(value, threshold)
    if severity is not None:
        evaluation.conditions.append(
            AlertCondition(kind, severity, f"{what} at {value:.0f}% (threshold {threshold:g}%)")
        )


def evaluate(sample: HealthSample, thresholds: AlertThresholds) -> Evaluation:
    """The alert conditions ``sample`` shows under ``thresholds``."""
    evaluation = Evaluation(evaluated={AlertType.AGENT_DOWN})
    if not sample.up:
        reason = sample.down_reason or "no answer"
        evaluation.conditions.append(
            AlertCondition(
                AlertType.AGENT_DOWN, AlertSeverity.CRITICAL, f"agent {sample.agent_id} is down: {reason}"
            )
        )
        return evaluation
    _percent(evaluation, AlertType.CPU_USAGE, "CPU", sample.cpu_percent, thresholds.cpu_usage)
    _percent(evaluation, AlertType.MEMORY_USAGE, "memory", sample.memory_percent, thresholds.memory_usage)
    busiest = max(
        (g for g in sample.gpus if g.utilization_percent is not None),
        key=lambda g: g.utilization_percent or 0.0,
        default=None,
    )
    if busiest is not None:
        _percent(
            evaluation,
            AlertType.GPU_USAGE,
            f"GPU {busiest.index} ({busiest.name})",
            busiest.utilization_percent,
            thresholds.gpu_usage,
        )
    if sample.response_time_s is not None:
        evaluation.evaluated.add(AlertType.RESPONSE_TIME)
        limit = thresholds.response_time
        seconds = sample.response_time_s
        severity = (
            AlertSeverity.CRITICAL
            if seconds >= limit * CRITICAL_RESPONSE_TIME_FACTOR
            else AlertSeverity.WARNING
            if seconds >= limit
            else None
        )
        if severity is not None:
            evaluation.conditions.append(
                AlertCondition(
                    AlertType.RESPONSE_TIME,
                    severity,
                    f"Ollama answered in {seconds:.2f} s (threshold {limit:g} s)",
                )
            )
    return evaluation


__all__ = [
    "CRITICAL_EXTRA_POINTS",
    "CRITICAL_RESPONSE_TIME_FACTOR",
    "AlertCondition",
    "AlertType",
    "Evaluation",
    "HealthSample",
    "evaluate",
]
