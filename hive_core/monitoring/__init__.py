"""Agent monitoring: the registry, health checks' storage, alerts and live state.

Modules: `registry` (agents of hive.yaml + registered ones), `alerts` (pure rules),
`alert_store` (alerts in the DB), `recorder` (one health check → rows), `live` (latest state),
`schedule` (the Temporal Schedule), `payloads` (the workflow's typed payloads). The API's
gauges built on `live` are in ``api/agent_metrics.py``. Import the module you need; this package
imports nothing so that workflows can pass `payloads` through cheaply.
"""

__all__: list[str] = []
