"""The agents and alerts pages render what the routers return: GPU telemetry, slots, alerts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api.console.templating import environment
from api.routers.alerts import AlertView
from hive_core.config.models import AgentConfig
from hive_core.db.models import AgentSource, AlertSeverity
from hive_core.host_telemetry.models import GpuReading
from hive_core.monitoring.live import AgentLiveState, AgentView

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _render(template: str, **context: Any) -> str:
    return (
        environment()
        .get_template(template)
        .render(principal=None, can=lambda _: False, path="/ui", **context)
    )


def test_agents_show_status_models_slots_speed_and_gpus() -> None:
    gpu = GpuReading(
        index=0,
        name="RTX <4090>",
        utilization_percent=87.4,
        memory_used_bytes=12 * 2**30,
        memory_total_bytes=24 * 2**30,
        temperature_celsius=71.2,
        power_watts=301,
    )
    view = AgentView(
        agent=AgentConfig(id="walnut", name="Walnut", endpoint="http://walnut:11434", models=["llama3.2"]),
        source=AgentSource.CONFIG,
        live=AgentLiveState(status="up", in_flight=1, tokens_per_second=41.26, gpus=[gpu], last_seen_at=NOW),
    )
    html = _render("agents.html", agents=[view])
    for text in (
        "Walnut",
        "llama3.2",
        "1 / 2",
        "41.3 tok/s",
        "87 %",
        "12.0/24.0 GiB",
        "71 °C",
        "301 W",
        "a-up",
    ):
        assert text in html, text
    assert "RTX &lt;4090&gt;" in html


def test_alerts_show_state_severity_and_acknowledgement() -> None:
    alert = AlertView(
        id="a1",
        type="agent_down",
        severity=AlertSeverity.CRITICAL,
        agent_id="walnut",
        message="no answer for <60 s>",
        resolved=False,
        opened_at=NOW,
        resolved_at=None,
        acknowledged_at=NOW,
        acknowledged_by="ops@example.com",
    )
    html = _render("alerts.html", alerts=[alert], state="open")
    assert "agent_down" in html and "no answer for &lt;60 s&gt;" in html and "ops@example.com" in html
    assert "sev-critical" in html
