"""Alert rules (pure) and the open → update → resolve → acknowledge cycle on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.config.models import AlertThresholds, ClusterConfig
from hive_core.db.models import Alert, AlertSeverity
from hive_core.errors import NotFoundError
from hive_core.host_telemetry.models import GpuReading
from hive_core.monitoring.alert_store import acknowledge_alert, alert_counts, list_alerts, reconcile_alerts
from hive_core.monitoring.alerts import AlertType, HealthSample, evaluate
from hive_core.monitoring.recorder import record_health

THRESHOLDS = AlertThresholds(cpu_usage=80, memory_usage=90, gpu_usage=95, response_time=2)


def _types(sample: HealthSample) -> dict[AlertType, AlertSeverity]:
    return {c.type: c.severity for c in evaluate(sample, THRESHOLDS).conditions}


def _gpu(index: int, utilization: float | None) -> GpuReading:
    return GpuReading(index=index, name=f"RTX {index}", utilization_percent=utilization)


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (HealthSample(agent_id="a", up=True, cpu_percent=79.9, memory_percent=10), {}),
        (HealthSample(agent_id="a", up=True, cpu_percent=80), {AlertType.CPU_USAGE: AlertSeverity.WARNING}),
        (HealthSample(agent_id="a", up=True, cpu_percent=90), {AlertType.CPU_USAGE: AlertSeverity.CRITICAL}),
        # Threshold + 10 is capped at 100 %.
        (
            HealthSample(agent_id="a", up=True, memory_percent=99),
            {AlertType.MEMORY_USAGE: AlertSeverity.WARNING},
        ),
        (
            HealthSample(agent_id="a", up=True, memory_percent=100),
            {AlertType.MEMORY_USAGE: AlertSeverity.CRITICAL},
        ),
        # The busiest GPU decides; a GPU without a utilisation figure is ignored.
        (
            HealthSample(agent_id="a", up=True, gpus=[_gpu(0, 20), _gpu(1, 96), _gpu(2, None)]),
            {AlertType.GPU_USAGE: AlertSeverity.WARNING},
        ),
        (
            HealthSample(agent_id="a", up=True, response_time_s=2.5),
            {AlertType.RESPONSE_TIME: AlertSeverity.WARNING},
        ),
        (
            HealthSample(agent_id="a", up=True, response_time_s=4),
            {AlertType.RESPONSE_TIME: AlertSeverity.CRITICAL},
        ),
        # Down: only agent_down, whatever the stale figures say.
        (
            HealthSample(agent_id="a", up=False, down_reason="no worker", cpu_percent=99),
            {AlertType.AGENT_DOWN: AlertSeverity.CRITICAL},
        ),
    ],
)
def test_rules(sample: HealthSample, expected: dict[AlertType, AlertSeverity]) -> None:
    assert _types(sample) == expected


def test_unmeasured_figures_neither_raise_nor_clear() -> None:
    remote = evaluate(HealthSample(agent_id="a", up=True, response_time_s=0.01), THRESHOLDS)
    assert remote.conditions == []
    assert remote.evaluated == {AlertType.AGENT_DOWN, AlertType.RESPONSE_TIME}
    down = evaluate(HealthSample(agent_id="a", up=False), THRESHOLDS)
    assert down.evaluated == {AlertType.AGENT_DOWN}
    assert "agent a is down: no answer" in down.conditions[0].message


def test_message_names_the_busiest_gpu() -> None:
    [condition] = evaluate(HealthSample(agent_id="a", up=True, gpus=[_gpu(3, 100)]), THRESHOLDS).conditions
    assert condition.message == "GPU 3 (RTX 3) at 100% (threshold 95%)"


async def test_open_update_resolve_acknowledge_cycle(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)

    async def check(sample: HealthSample, at: datetime) -> tuple[int, int]:
        async with sessionmaker() as session, session.begin():
            changes = await reconcile_alerts(session, "walnut", evaluate(sample, THRESHOLDS), at)
            return len(changes.opened), len(changes.resolved)

    hot = HealthSample(agent_id="walnut", up=True, cpu_percent=85, memory_percent=50)
    assert await check(hot, t0) == (1, 0)
    # Still hot: the same alert stays open, no duplicate.
    assert await check(hot, t0 + timedelta(seconds=30)) == (0, 0)
    # Hotter: the open alert escalates to critical.
    assert await check(hot.model_copy(update={"cpu_percent": 95}), t0 + timedelta(seconds=60)) == (0, 0)
    # Down: CPU is unknown, so its alert stays open; agent_down opens.
    assert await check(HealthSample(agent_id="walnut", up=False), t0 + timedelta(seconds=90)) == (1, 0)
    async with sessionmaker() as session:
        open_alerts = await list_alerts(session, state="open", agent_id="walnut")
        assert {(a.type, a.severity) for a in open_alerts} == {
            ("cpu_usage", AlertSeverity.CRITICAL),
            ("agent_down", AlertSeverity.CRITICAL),
        }
        assert (await alert_counts(session)) == ({AlertSeverity.WARNING: 0, AlertSeverity.CRITICAL: 2}, 2)
        cpu_alert_id = next(a.id for a in open_alerts if a.type == "cpu_usage")
    # Back and cool: both resolve.
    back = t0 + timedelta(seconds=120)
    assert await check(HealthSample(agent_id="walnut", up=True, cpu_percent=10, memory_percent=10), back) == (
        0,
        2,
    )
    async with sessionmaker() as session, session.begin():
        acked = await acknowledge_alert(session, cpu_alert_id, "ops@example.com", back)
        again = await acknowledge_alert(session, cpu_alert_id, "someone-else", back + timedelta(minutes=1))
        assert again.acknowledged_by == "ops@example.com" == acked.acknowledged_by
        with pytest.raises(NotFoundError):
            await acknowledge_alert(session, "no-such-alert", "x", back)
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(Alert).order_by(Alert.opened_at)))
        assert [(r.type, r.resolved, r.resolved_at) for r in rows] == [
            ("cpu_usage", True, back),
            ("agent_down", True, back),
        ]
        assert rows[0].acknowledged_at == back
        assert await list_alerts(session, state="open") == []
        assert len(await list_alerts(session, state="resolved", severity=AlertSeverity.CRITICAL)) == 2
        assert await list_alerts(session, agent_id="other") == []


async def test_recording_a_check_of_no_agents(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """A cluster with no agents yet: the check stores nothing and fails nothing (empty IN lists)."""
    async with sessionmaker() as session, session.begin():
        report = await record_health(session, ClusterConfig(), [], datetime.now(UTC))
    assert report.model_dump() == {
        "up": [],
        "down": [],
        "alerts_opened": 0,
        "alerts_resolved": 0,
        "metrics_purged": 0,
    }
