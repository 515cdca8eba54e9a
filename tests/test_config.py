"""hive.yaml validation: the shipped files load; each kind of bad file names path and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from hive_core.config import load_cluster_config, parse_cluster_config
from hive_core.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]


def test_seed_config_loads_as_written() -> None:
    cluster = load_cluster_config(REPO / "config" / "hive.yaml")
    assert set(cluster.agents) == {"acacia", "walnut", "ironwood"}
    walnut = cluster.agents["walnut"]
    assert walnut.name == "WALNUT Full-Stack Developer"
    assert walnut.endpoint == "http://192.168.1.27:11434"
    assert walnut.models == ["starcoder2:15b"]
    assert walnut.hardware.vram_gb == 24
    assert walnut.performance_targets.min_tps == 20
    assert cluster.workflows.templates["web_development"].agents == ["walnut", "ironwood"]
    assert cluster.monitoring.alert_thresholds.gpu_usage == 95
    assert cluster.mcp_servers.registry["comfyui"].startswith("ws://")
    assert cluster.security.require_approval is True
    # "deepseek-coder-v2" has no tag: Ollama means ":latest".
    assert [a.id for a in cluster.agents_serving("deepseek-coder-v2:latest")] == ["ironwood"]


def test_local_config_points_at_local_ollama() -> None:
    cluster = load_cluster_config(REPO / "config" / "hive.local.yaml")
    (agent,) = cluster.agents.values()
    assert agent.endpoint == "http://127.0.0.1:11434"
    assert len(agent.models) >= 1


def test_config_without_hive_key_and_defaults() -> None:
    cluster = parse_cluster_config({"agents": {"a1": {"endpoint": "http://h:1", "models": ["m"]}}})
    assert cluster.agents["a1"].name == "a1"
    assert cluster.agents["a1"].models == ["m:latest"]
    assert cluster.monitoring.health_check_interval == 30
    assert parse_cluster_config(None).agents == {}


AGENT = {"endpoint": "http://10.0.0.1:11434", "model": "llama3.2"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"hive": {"agents": {"a": {**AGENT, "endpoint": "ftp://x"}}}}, "hive.agents.a.endpoint"),
        (
            {"hive": {"agents": {"a": {**AGENT, "hardware": {"vram_gb": "lots"}}}}},
            "hive.agents.a.hardware.vram_gb: Input should be a valid number",
        ),
        ({"hive": {"agents": {"a": {**AGENT, "colour": "red"}}}}, "hive.agents.a.colour: unknown key"),
        ({"hive": {"agents": {"a": {"endpoint": "http://h:1"}}}}, "hive.agents.a.models: Field required"),
        ({"hive": {"agents": {"a": {**AGENT, "models": ["x"]}}}}, "either 'model' or 'models'"),
        ({"hive": {"agents": {"Bad Name": AGENT}}}, "hive.agents.Bad Name.id"),
        ({"hive": {"agents": {"a": {**AGENT, "max_concurrent": 0}}}}, "hive.agents.a.max_concurrent"),
        (
            {"hive": {"monitoring": {"alert_thresholds": {"cpu_usage": 150}}}},
            "hive.monitoring.alert_thresholds.cpu_usage: Input should be less than or equal to 100",
        ),
        ({"hive": {"security": {"api_rate_limit": -1}}}, "hive.security.api_rate_limit"),
        (
            {"hive": {"agents": {"a": AGENT}, "workflows": {"templates": {"t": {"agents": ["zz"]}}}}},
            "workflows.templates.t.agents names unknown agent(s) ['zz']",
        ),
        ({"hive": {"clusterr": {}}}, "hive.clusterr: unknown key"),
        (["not", "a", "mapping"], "expected a mapping at the top level"),
    ],
)
def test_bad_config_names_path_and_value(raw: object, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_cluster_config(raw, source="bad.yaml")
    assert info.value.message.startswith("bad.yaml: ")
    assert expected in info.value.message


def test_bad_value_is_shown(tmp_path: Path) -> None:
    path = tmp_path / "hive.yaml"
    path.write_text(
        "hive:\n  agents:\n    a:\n      endpoint: http://h:1\n      model: m\n"  # fmt: skip
        "      hardware:\n        cpu_cores: many\n"
    )
    with pytest.raises(ConfigError, match=r"hive\.agents\.a\.hardware\.cpu_cores: .*\(got 'many'\)"):
        load_cluster_config(path)


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    path = tmp_path / "hive.yaml"
    path.write_text("hive:\n  agents: [\n    oops: {\n")
    with pytest.raises(ConfigError, match=rf"{path}: invalid YAML at line \d+, column \d+"):
        load_cluster_config(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_cluster_config(tmp_path / "nope.yaml")


def test_credentials_expand_environment_variables() -> None:
    raw = {
        "credentials": {
            "My API": {"type": "httpHeaderAuth", "data": {"name": "X-Key", "value": "${HIVE_T_KEY}"}}
        }
    }
    cluster = parse_cluster_config(raw, env={"HIVE_T_KEY": "s3cret"})
    assert cluster.credentials["My API"].data == {"name": "X-Key", "value": "s3cret"}
    with pytest.raises(
        ConfigError, match=r"credentials\.My API\.data\.value: environment variable HIVE_T_KEY"
    ):
        parse_cluster_config(raw, env={})


def test_code_python_policy_defaults_to_n8ns_and_rejects_typos() -> None:
    default = parse_cluster_config({}).code_python
    assert (default.stdlib_allow, default.external_allow, default.task_timeout_s) == ([], [], 60)
    assert {"eval", "exec", "open", "__build_class__"} <= set(default.builtins_deny)
    raw = {"hive": {"code_python": {"stdlib_allow": ["json", "re"], "memory_mb": 512}}}
    cluster = parse_cluster_config(raw)
    assert cluster.code_python.stdlib_allow == ["json", "re"] and cluster.code_python.memory_mb == 512
    with pytest.raises(ConfigError, match="code_python.stdlib_alow"):
        parse_cluster_config({"code_python": {"stdlib_alow": ["json"]}}, source="bad.yaml")
