"""The `dispatch:` option of an agent in hive.yaml: validated with errors naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.config import parse_cluster_config
from hive_core.errors import ConfigError


def _cluster(**agent: Any) -> dict[str, Any]:
    return {"agents": {"gpu1": {"endpoint": "http://127.0.0.1:11434", "model": "llama3.2", **agent}}}


def test_agents_go_through_their_queue_unless_told_otherwise() -> None:
    agent = parse_cluster_config(_cluster()).agents["gpu1"]
    assert agent.dispatch == "queue" and agent.local_call_limit_s == 60


def test_local_dispatch_with_its_time_limit() -> None:
    agent = parse_cluster_config(_cluster(dispatch="local", local_call_limit_s=20)).agents["gpu1"]
    assert agent.dispatch == "local" and agent.local_call_limit_s == 20


def test_an_unknown_dispatch_names_the_field_and_the_choices() -> None:
    with pytest.raises(ConfigError) as error:
        parse_cluster_config(_cluster(dispatch="direct"))
    message = str(error.value)
    assert "agents.gpu1.dispatch" in message and "'queue' or 'local'" in message, message


@pytest.mark.parametrize("limit", [0, -1, 601, "soon"])
def test_a_bad_local_call_limit_is_refused(limit: object) -> None:
    with pytest.raises(ConfigError, match=r"agents\.gpu1\.local_call_limit_s"):
        parse_cluster_config(_cluster(dispatch="local", local_call_limit_s=limit))


def test_local_dispatch_of_a_daemon_agent_is_refused() -> None:
    with pytest.raises(ConfigError) as error:
        parse_cluster_config(_cluster(dispatch="local", worker="daemon"))
    message = str(error.value)
    assert "gpu1" in message and "worker: daemon" in message and "dispatch: queue" in message, message
