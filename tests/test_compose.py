"""Static checks of the container stack: docker-compose.yml, docker/Dockerfile, the Prometheus and
Grafana provisioning, the Postgres init script and the systemd unit for GPU hosts.

There is no Docker engine where these run, so the stack has to be right by construction: every
check reads the files the way Compose / Prometheus / Grafana / systemd would and asserts on what
they would do with them (wiring between services, health-gated startup, paths that exist, ...).
"""

from __future__ import annotations

import configparser
import functools
import json
import re
import shlex
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
PROMETHEUS_CONFIG = ROOT / "docker" / "prometheus" / "prometheus.yml"
GRAFANA_PROVISIONING = ROOT / "docker" / "grafana" / "provisioning"
GRAFANA_DATASOURCE = GRAFANA_PROVISIONING / "datasources" / "prometheus.yml"
GRAFANA_DASHBOARD_PROVIDER = GRAFANA_PROVISIONING / "dashboards" / "dashboards.yml"
GRAFANA_DASHBOARD = ROOT / "docker" / "grafana" / "dashboards" / "hive-overview.json"
POSTGRES_INIT = ROOT / "docker" / "postgres" / "init.sql"
SYSTEMD_UNIT = ROOT / "docker" / "systemd" / "hive-worker@.service"

EXPECTED_SERVICES = {
    "postgres",
    "temporal",
    "temporal-ui",
    "hive-migrate",
    "hive-api",
    "hive-worker",
    "prometheus",
    "grafana",
}
HIVE_SERVICES = ("hive-migrate", "hive-api", "hive-worker")
ONE_SHOT_SERVICES = {"hive-migrate"}
LONG_RUNNING_SERVICES = sorted(EXPECTED_SERVICES - ONE_SHOT_SERVICES)
# service -> (published host port, container port)
EXPECTED_PORTS = {
    "hive-api": ("8000", "8000"),
    "temporal": ("7233", "7233"),
    "temporal-ui": ("8233", "8080"),
    "prometheus": ("9090", "9090"),
    "grafana": ("3000", "3000"),
}
EXPECTED_SCRAPE_TARGETS = {"hive-api:8000", "hive-worker:9464", "temporal:8000"}
EXPECTED_HIVE_COMMANDS = {"hive-migrate": ["db", "upgrade"], "hive-api": ["api"], "hive-worker": ["worker"]}


# --------------------------------------------------------------------------- loading helpers


@functools.cache
def compose() -> dict[str, Any]:
    assert COMPOSE_FILE.is_file(), f"{COMPOSE_FILE} is missing"
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict), "docker-compose.yml must be a mapping"
    return data


def services() -> dict[str, dict[str, Any]]:
    svcs = compose().get("services")
    assert isinstance(svcs, dict) and svcs, "docker-compose.yml has no services"
    return svcs


def service(name: str) -> dict[str, Any]:
    assert name in services(), f"service {name!r} missing from docker-compose.yml"
    return services()[name]


def load_yaml(path: Path) -> Any:
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    return yaml.safe_load(path.read_text())


# ------------------------------------------------------------------ compose interpolation helpers

# Compose's variable syntax: $$ (literal $), ${...}, $NAME; any other "$" is an error for Compose.
_INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*)|(?P<invalid>))"
)
_BRACED = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>.*))?$", re.S)


def interpolate(value: str) -> str:
    """The value Compose would use with none of the variables set in the environment."""

    def replace(match: re.Match[str]) -> str:
        if match.group("escaped"):
            return "$"
        if match.group("named") is not None:
            return ""
        braced = match.group("braced")
        if braced is None:
            raise AssertionError(f"invalid '$' in {value!r}: use '$$' for a literal dollar")
        parsed = _BRACED.match(braced)
        if parsed is None:
            raise AssertionError(f"invalid interpolation ${{{braced}}} in {value!r}")
        op, arg = parsed.group("op"), parsed.group("arg")
        if op in (":-", "-"):
            return arg
        if op in (":?", "?"):
            raise AssertionError(f"${{{braced}}} is required but has no default")
        return ""

    return _INTERPOLATION.sub(replace, value)


def iter_strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from iter_strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from iter_strings(value, f"{path}[{i}]")


def env_of(name: str) -> dict[str, str | None]:
    """A service's environment, interpolated; None marks a pass-through (host value, if set)."""
    raw = service(name).get("environment") or {}
    if isinstance(raw, list):
        pairs = [item.split("=", 1) if "=" in item else [item, None] for item in raw]
        raw = dict(pairs)
    return {str(k): (None if v is None else interpolate(str(v))) for k, v in raw.items()}


def split_image(image: str) -> tuple[str, str | None]:
    """("repo/name", "tag") with registry ports left alone; digests count as pinned tags."""
    if "@" in image:
        return image.split("@", 1)[0], image.split("@", 1)[1]
    last = image.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = image.rsplit(":", 1)
        return name, tag
    return image, None


def depends_on(name: str) -> dict[str, Any]:
    deps = service(name).get("depends_on") or {}
    assert isinstance(deps, dict), (
        f"{name}: depends_on must use the long form (service: {{condition: ...}}), not a list"
    )
    return deps


def healthcheck(name: str) -> dict[str, Any] | None:
    check = service(name).get("healthcheck")
    if not check or check.get("disable"):
        return None
    return check


def healthcheck_command(name: str) -> str:
    check = healthcheck(name)
    assert check is not None, f"{name} has no healthcheck"
    test = check["test"]
    if isinstance(test, str):
        return interpolate(test)
    assert test[0] in ("CMD", "CMD-SHELL"), f"{name}: healthcheck test must start with CMD or CMD-SHELL"
    return interpolate(" ".join(test[1:]))


def published_ports(name: str) -> list[tuple[str, str]]:
    result = []
    for port in service(name).get("ports") or []:
        if isinstance(port, dict):
            result.append((str(port.get("published")), str(port["target"])))
            continue
        parts = str(port).split("/", 1)[0].split(":")
        assert len(parts) >= 2, f"{name}: port {port!r} is not published on a fixed host port"
        result.append((parts[-2], parts[-1]))
    return result


def mounts(name: str) -> list[tuple[str, str, str]]:
    """(kind, source, container path) for each volume entry; kind is "bind" or "volume"."""
    result = []
    for entry in service(name).get("volumes") or []:
        if isinstance(entry, dict):
            result.append((entry["type"], interpolate(str(entry["source"])), entry["target"]))
            continue
        source, target = interpolate(entry).split(":")[:2]
        kind = "bind" if source.startswith((".", "/", "~")) else "volume"
        result.append((kind, source, target))
    return result


def host_path_for(name: str, container_path: str) -> Path | None:
    """The repo path bind-mounted at container_path (or at one of its parents) in a service."""
    wanted = PurePosixPath(container_path)
    for kind, source, target in mounts(name):
        target_path = PurePosixPath(target)
        if kind == "bind" and (wanted == target_path or target_path in wanted.parents):
            return (ROOT / source / wanted.relative_to(target_path)).resolve()
    return None


# ----------------------------------------------------------------------------- file helpers


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    assert DOCKERFILE.is_file(), "docker/Dockerfile is missing"
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = pending + stripped
        pending = ""
        keyword, _, args = full.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
    return instructions


def resolve_build_args(value: str, instructions: list[tuple[str, str]]) -> str:
    """Substitute ${NAME} with the default of a global ARG NAME=default."""
    defaults = dict(args.split("=", 1) for keyword, args in instructions if keyword == "ARG" and "=" in args)
    return re.sub(r"\$\{(\w+)\}", lambda m: defaults.get(m.group(1), m.group(0)), value)


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert starts, "Dockerfile has no FROM"
    return instructions[starts[-1] :]


def dockerignored(path: str, patterns: list[str]) -> bool:
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        parts = PurePosixPath(path).parts
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch(prefix, pattern) for prefix in prefixes):
            ignored = not negate
    return ignored


def scrape_targets() -> dict[str, list[str]]:
    config = load_yaml(PROMETHEUS_CONFIG)
    jobs: dict[str, list[str]] = {}
    for job in config["scrape_configs"]:
        targets = [t for static in job.get("static_configs", []) for t in static["targets"]]
        jobs[job["job_name"]] = targets
    return jobs


def grafana_datasource() -> dict[str, Any]:
    data = load_yaml(GRAFANA_DATASOURCE)
    sources = [ds for ds in data["datasources"] if ds["type"] == "prometheus"]
    assert len(sources) == 1, "expected exactly one provisioned Prometheus datasource"
    return sources[0]


def dashboard() -> dict[str, Any]:
    assert GRAFANA_DASHBOARD.is_file(), "docker/grafana/dashboards/hive-overview.json is missing"
    data = json.loads(GRAFANA_DASHBOARD.read_text())
    assert isinstance(data, dict)
    return data


def systemd_unit() -> configparser.ConfigParser:
    assert SYSTEMD_UNIT.is_file(), "docker/systemd/hive-worker@.service is missing"
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep systemd's key case
    parser.read_string(SYSTEMD_UNIT.read_text())
    return parser


def init_sql() -> str:
    assert POSTGRES_INIT.is_file(), "docker/postgres/init.sql is missing"
    return POSTGRES_INIT.read_text()


# ================================================================================ compose tests


def test_expected_services_present() -> None:
    missing = EXPECTED_SERVICES - set(services())
    assert not missing, f"services missing from docker-compose.yml: {sorted(missing)}"


def test_no_obsolete_version_key() -> None:
    assert "version" not in compose(), "the top-level 'version:' key is obsolete in Compose v2"


def test_interpolations_are_valid_and_have_defaults() -> None:
    for where, value in iter_strings(compose()):
        for match in _INTERPOLATION.finditer(value):
            assert match.group("invalid") is None, (
                f"{where}: bare '$' in {value!r}; Compose needs '$$' for a literal dollar"
            )
            assert match.group("named") is None, (
                f"{where}: use ${{VAR:-default}}, not ${match.group('named')}"
            )
            braced = match.group("braced")
            if braced is not None:
                assert ":-" in braced, f"{where}: ${{{braced}}} needs a default (${{VAR:-default}})"
        interpolate(value)  # raises on anything Compose would reject


@pytest.mark.parametrize("name", sorted(EXPECTED_SERVICES))
def test_images_are_pinned(name: str) -> None:
    svc = service(name)
    if "build" in svc:
        return
    image = svc.get("image")
    assert image, f"{name} has neither build nor image"
    repo, tag = split_image(interpolate(image))
    assert tag, f"{name}: image {image!r} has no tag; pin a version"
    assert tag != "latest", f"{name}: image {image!r} uses 'latest'; pin a version"


def test_temporal_images_are_1_2x_or_1_3x() -> None:
    repo, tag = split_image(service("temporal")["image"])
    assert repo == "temporalio/auto-setup", f"temporal must run temporalio/auto-setup, got {repo}"
    assert tag and re.match(r"^1\.(2|3)\d\.\d+", tag), f"temporal tag {tag!r} is not a pinned 1.2x/1.3x"
    ui_repo, ui_tag = split_image(service("temporal-ui")["image"])
    assert ui_repo == "temporalio/ui" and ui_tag and re.match(r"^\d+\.\d+\.\d+$", ui_tag)


@pytest.mark.parametrize("name", sorted(EXPECTED_SERVICES))
def test_depends_on_long_form_and_health_gated(name: str) -> None:
    for dep, spec in depends_on(name).items():
        assert dep in services(), f"{name} depends on unknown service {dep!r}"
        assert isinstance(spec, dict) and "condition" in spec, f"{name} -> {dep}: give a condition"
        condition = spec["condition"]
        if dep in ONE_SHOT_SERVICES:
            assert condition == "service_completed_successfully", (
                f"{name} -> {dep}: a one-shot must be awaited with service_completed_successfully"
            )
        else:
            assert condition == "service_healthy", (
                f"{name} -> {dep}: expected service_healthy, got {condition}"
            )
            assert healthcheck(dep) is not None, (
                f"{name} waits for {dep} to be healthy, but {dep} has no healthcheck"
            )


def test_startup_order() -> None:
    assert set(depends_on("temporal")) >= {"postgres"}, "temporal must wait for postgres"
    assert set(depends_on("temporal-ui")) >= {"temporal"}, "temporal-ui must wait for temporal"
    assert set(depends_on("hive-migrate")) >= {"postgres"}, "hive-migrate must wait for postgres"
    for name in ("hive-api", "hive-worker"):
        assert set(depends_on(name)) >= {"temporal", "hive-migrate"}, (
            f"{name} must wait for temporal (healthy) and hive-migrate (completed)"
        )
    assert set(depends_on("hive-api")) >= {"postgres"}, "hive-api must wait for postgres"


@pytest.mark.parametrize("name", LONG_RUNNING_SERVICES)
def test_long_running_services_have_healthchecks(name: str) -> None:
    check = healthcheck(name)
    assert check is not None, f"{name} is long-running and needs a healthcheck"
    for key in ("test", "interval", "retries"):
        assert key in check, f"{name}: healthcheck lacks {key!r}"
    assert healthcheck_command(name).strip(), f"{name}: empty healthcheck command"
    assert service(name).get("restart") in ("unless-stopped", "always", "on-failure"), (
        f"{name}: a long-running service should restart on its own"
    )


def test_one_shot_migration() -> None:
    migrate = service("hive-migrate")
    assert migrate.get("restart") == "no", 'hive-migrate is a one-shot: restart must be "no"'
    assert migrate.get("command") == ["db", "upgrade"], "hive-migrate must run `hive db upgrade`"


def test_service_healthcheck_probes() -> None:
    assert "pg_isready" in healthcheck_command("postgres")
    temporal = healthcheck_command("temporal")
    assert "temporal operator cluster health" in temporal and "$(hostname -i):7233" in temporal, (
        "temporal binds to the container IP: probe it with the temporal CLI at $(hostname -i):7233"
    )
    api = healthcheck_command("hive-api")
    assert re.search(r"127\.0\.0\.1:8000/(ready|health)\b", api), f"hive-api probe hits {api!r}"
    assert "127.0.0.1:9464/metrics" in healthcheck_command("hive-worker")


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED_PORTS.items()))
def test_published_ports(name: str, expected: tuple[str, str]) -> None:
    ports = published_ports(name)
    assert expected in ports, f"{name}: expected {expected[0]}:{expected[1]} in ports, got {ports}"


def test_no_host_port_published_twice() -> None:
    seen: dict[str, str] = {}
    for name in services():
        for host, _ in published_ports(name):
            assert host not in seen, f"host port {host} published by both {seen[host]} and {name}"
            seen[host] = name


@pytest.mark.parametrize("name", HIVE_SERVICES)
def test_hive_services_share_the_built_image(name: str) -> None:
    svc = service(name)
    build = svc.get("build")
    assert isinstance(build, dict), f"{name}: build the hive image (build: {{context, dockerfile}})"
    assert (ROOT / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE
    images = {interpolate(service(other).get("image", "")) for other in HIVE_SERVICES}
    assert len(images) == 1 and "" not in images, f"hive services must share one image name: {images}"
    assert svc.get("command") == EXPECTED_HIVE_COMMANDS[name], f"{name}: wrong hive command"


@pytest.mark.parametrize("name", HIVE_SERVICES)
def test_hive_service_environment(name: str) -> None:
    env = env_of(name)
    for key in ("HIVE_TEMPORAL__ADDRESS", "HIVE_DATABASE__URL", "HIVE_CONFIG"):
        assert env.get(key), f"{name}: {key} must be set"
    temporal_host, _, temporal_port = str(env["HIVE_TEMPORAL__ADDRESS"]).partition(":")
    assert (temporal_host, temporal_port) == ("temporal", "7233"), "Hive must reach Temporal at temporal:7233"

    url = urlsplit(str(env["HIVE_DATABASE__URL"]))
    assert url.scheme == "postgresql+asyncpg", f"{name}: the database URL must use the asyncpg driver"
    assert url.hostname == "postgres", f"{name}: the database host must be the postgres service"
    assert (url.port or 5432) == 5432 and url.path == "/hive", f"{name}: expected postgres:5432/hive"
    assert url.username == "hive", f"{name}: Hive connects as role hive"
    assert url.password == env_of("postgres")["HIVE_DB_PASSWORD"], (
        f"{name}: the password in HIVE_DATABASE__URL differs from the one init.sql gives role hive"
    )
    config_host_path = host_path_for(name, str(env["HIVE_CONFIG"]))
    assert config_host_path is not None and config_host_path.is_file(), (
        f"{name}: HIVE_CONFIG={env['HIVE_CONFIG']} is not bind-mounted from a file in the repo"
    )
    assert env.get("HIVE_API__HOST") == "0.0.0.0", f"{name}: the API must listen on all interfaces"


@pytest.mark.parametrize("name", sorted(EXPECTED_SERVICES))
def test_bind_mounts_exist_and_volumes_declared(name: str) -> None:
    declared = compose().get("volumes") or {}
    for kind, source, _ in mounts(name):
        if kind == "bind":
            assert (ROOT / source).exists(), f"{name}: bind-mounted {source} does not exist in the repo"
        else:
            assert source in declared, f"{name}: named volume {source!r} not declared under volumes:"


def test_named_volumes_declared_and_used() -> None:
    declared = set(compose().get("volumes") or {})
    assert {"postgres-data", "grafana-data", "prometheus-data"} <= declared
    used = {source for name in services() for kind, source, _ in mounts(name) if kind == "volume"}
    assert declared == used, f"declared but unused: {declared - used}; used but undeclared: {used - declared}"
    assert ("volume", "postgres-data", "/var/lib/postgresql/data") in mounts("postgres")


def test_postgres_roles_and_databases() -> None:
    sql = init_sql()
    pg = env_of("postgres")
    for key in ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"):
        assert pg.get(key), f"postgres: {key} must be set"
    assert host_path_for("postgres", "/docker-entrypoint-initdb.d/10-hive-init.sql") == POSTGRES_INIT, (
        "docker/postgres/init.sql must be mounted into /docker-entrypoint-initdb.d"
    )
    assert re.search(r"CREATE DATABASE hive\b", sql), "init.sql must create the hive database"
    assert re.search(r"CREATE ROLE hive\b", sql), "init.sql must create the hive role"

    temporal = env_of("temporal")
    temporal_user = str(temporal["POSTGRES_USER"])
    assert re.search(rf"CREATE ROLE {re.escape(temporal_user)}\b[^;]*\bCREATEDB\b", sql), (
        f"init.sql must create role {temporal_user} with CREATEDB so auto-setup can create its databases"
    )
    # auto-setup skips CREATE DATABASE when DBNAME equals POSTGRES_USER (assumes initdb made it).
    assert temporal_user != temporal.get("DBNAME", "temporal"), (
        "temporal's POSTGRES_USER equals DBNAME: auto-setup would skip creating the temporal database"
    )
    assert not re.search(r"CREATE DATABASE temporal", sql), "temporal creates its own databases"
    for var in re.findall(r"\\getenv\s+\w+\s+(\w+)", sql):
        assert pg.get(var), f"init.sql reads ${var}, which the postgres service does not set"
    assert temporal["POSTGRES_PWD"] == pg["TEMPORAL_DB_PASSWORD"], (
        "temporal's DB password differs from init.sql's"
    )


def test_temporal_settings() -> None:
    env = env_of("temporal")
    assert env.get("DB") == "postgres12"
    assert env.get("POSTGRES_SEEDS") == "postgres", "POSTGRES_SEEDS must be the postgres service"
    assert env.get("DB_PORT") == "5432"
    assert env.get("PROMETHEUS_ENDPOINT") == "0.0.0.0:8000", "temporal must expose metrics on :8000"
    dynamic = str(env.get("DYNAMIC_CONFIG_FILE_PATH"))
    host_file = host_path_for("temporal", str(PurePosixPath("/etc/temporal") / dynamic))
    assert host_file is not None and host_file.is_file(), (
        f"DYNAMIC_CONFIG_FILE_PATH={dynamic} is not mounted from a file in the repo"
    )
    assert isinstance(load_yaml(host_file), dict), "temporal dynamic config must be a YAML mapping"
    assert env_of("temporal-ui").get("TEMPORAL_ADDRESS") == "temporal:7233"


def test_grafana_admin_credentials_from_env() -> None:
    raw = service("grafana")["environment"]
    assert "${GRAFANA_ADMIN_PASSWORD:-" in str(raw["GF_SECURITY_ADMIN_PASSWORD"])
    assert env_of("grafana")["GF_SECURITY_ADMIN_PASSWORD"], "grafana admin password default is empty"


def test_grafana_provisioning_mounted() -> None:
    assert host_path_for("grafana", "/etc/grafana/provisioning") == GRAFANA_PROVISIONING
    provider = load_yaml(GRAFANA_DASHBOARD_PROVIDER)["providers"][0]
    dashboards_dir = provider["options"]["path"]
    assert dashboards_dir == "/var/lib/grafana/dashboards"
    host_dir = host_path_for("grafana", dashboards_dir)
    assert host_dir is not None and (host_dir / GRAFANA_DASHBOARD.name).is_file(), (
        f"the dashboard provider reads {dashboards_dir}, which does not hold hive-overview.json"
    )
    assert host_path_for("prometheus", "/etc/prometheus/prometheus.yml") == PROMETHEUS_CONFIG


# ============================================================================= Dockerfile tests


def test_dockerfile_base_entrypoint_and_cmd() -> None:
    instructions = dockerfile_instructions()
    final = final_stage(instructions)
    base = resolve_build_args(final[0][1].split()[0], instructions)
    assert base == "python:3.11-slim", f"the runtime stage must be python:3.11-slim, got {base}"
    entrypoints = [json.loads(args) for keyword, args in final if keyword == "ENTRYPOINT"]
    assert entrypoints and entrypoints[-1] == ["hive"], 'ENTRYPOINT must be ["hive"] (exec form)'
    cmds = [json.loads(args) for keyword, args in final if keyword == "CMD"]
    assert cmds and cmds[-1] == ["api"], 'default CMD must be ["api"]'
    exposed = {port for keyword, args in final if keyword == "EXPOSE" for port in args.split()}
    assert {"8000", "9464"} <= exposed, f"EXPOSE 8000 9464 expected, got {exposed}"


def test_dockerfile_runs_as_non_root() -> None:
    users = [args for keyword, args in final_stage(dockerfile_instructions()) if keyword == "USER"]
    assert users, "the final stage must switch to a non-root USER"
    assert users[-1].split(":")[0] not in ("root", "0"), f"USER {users[-1]} is root"


def test_dockerfile_healthcheck_uses_python_on_health() -> None:
    checks = [args for keyword, args in final_stage(dockerfile_instructions()) if keyword == "HEALTHCHECK"]
    assert checks, "the image needs a HEALTHCHECK"
    text = DOCKERFILE.read_text()
    assert "python -c" in checks[-1], "slim has no curl: the HEALTHCHECK must use python"
    assert re.search(r"HIVE_HEALTHCHECK_URL=http://127\.0\.0\.1:8000/health\b", text), (
        "the HEALTHCHECK must default to the API's /health"
    )


def test_dockerfile_installs_the_project_and_libgomp() -> None:
    runs = " ".join(args for keyword, args in dockerfile_instructions() if keyword == "RUN")
    assert re.search(r"pip install [^&]*(?<![\w/])\.(\s|$)", runs), "the image must `pip install .`"
    assert "['project']['dependencies']" in runs, "the deps layer must read pyproject.toml's dependencies"
    assert "libgomp1" in " ".join(
        args for keyword, args in final_stage(dockerfile_instructions()) if keyword == "RUN"
    ), "libgomp1 must be installed in the runtime image"


def test_dependency_layer_reads_pyproject(tmp_path: Path) -> None:
    """The deps layer derives requirements from pyproject.toml: run that same extraction here."""
    runs = [args for keyword, args in dockerfile_instructions() if keyword == "RUN" and "tomllib" in args]
    assert runs, "no RUN reads pyproject.toml with tomllib"
    command = shlex.split(runs[0].split("&&")[0])
    assert command[:2] == ["python", "-c"], f"unexpected deps extraction command: {command}"
    out = tmp_path / "requirements.txt"
    code = command[2].replace("'/tmp/requirements.txt'", repr(str(out)))
    code = code.replace("'pyproject.toml'", repr(str(ROOT / "pyproject.toml")))
    exec(code, {})
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert out.read_text().splitlines() == expected, "the deps layer would install a different list"


def test_dockerignore_keeps_sources_and_drops_the_rest() -> None:
    assert DOCKERIGNORE.is_file(), ".dockerignore is missing at the repo root"
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in (".git", ".git/HEAD", ".venv", ".hive", "tests", "tests/test_compose.py", ".pytest_cache"):
        assert dockerignored(path, patterns), f".dockerignore must exclude {path}"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = [p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]]
    for path in ["pyproject.toml", *(f"{p}/__init__.py" for p in packages)]:
        assert not dockerignored(path, patterns), f".dockerignore excludes {path}, which the build needs"


# ===================================================================== Prometheus / Grafana tests


def test_prometheus_scrapes_hive_and_temporal() -> None:
    jobs = scrape_targets()
    targets = {target for ts in jobs.values() for target in ts}
    missing = EXPECTED_SCRAPE_TARGETS - targets
    assert not missing, f"prometheus.yml lacks scrape targets {sorted(missing)}"
    assert any(t.endswith(":9090") for t in jobs.get("prometheus", [])), "Prometheus should scrape itself"
    for job, ts in jobs.items():
        for target in ts:
            host = target.rsplit(":", 1)[0]
            assert host in services(), f"job {job}: target host {host!r} is not a compose service"
    assert len(jobs) == len(load_yaml(PROMETHEUS_CONFIG)["scrape_configs"]), "duplicate job_name"
    assert {"hive-api", "hive-worker"} <= set(jobs), 'dashboard queries up{job=~"hive.*"}'


def test_scrape_ports_are_served_inside_the_network() -> None:
    for target in EXPECTED_SCRAPE_TARGETS:
        host, port = target.rsplit(":", 1)
        svc = service(host)
        exposed = {str(p) for p in svc.get("expose") or []} | {c for _, c in published_ports(host)}
        assert port in exposed, f"{host} does not expose or publish port {port} scraped by Prometheus"


def test_grafana_datasource_points_at_prometheus() -> None:
    ds = grafana_datasource()
    assert ds["url"] == "http://prometheus:9090"
    assert ds["uid"] == "prometheus"
    assert ds.get("isDefault") is True
    assert ds.get("access", "proxy") == "proxy", "server-side access: the browser cannot resolve 'prometheus'"


def test_dashboard_panels_use_the_provisioned_datasource() -> None:
    uid = grafana_datasource()["uid"]
    panels = dashboard()["panels"]
    assert panels, "the dashboard has no panels"
    for panel in panels:
        title = panel.get("title", panel.get("id"))
        assert panel["datasource"]["uid"] == uid, f"panel {title!r} uses another datasource"
        assert panel.get("targets"), f"panel {title!r} has no queries"
        for target in panel["targets"]:
            assert target.get("datasource", {"uid": uid})["uid"] == uid, f"panel {title!r}: target datasource"
            assert target.get("expr"), f"panel {title!r}: empty query"
    assert len({p["id"] for p in panels}) == len(panels), "panel ids must be unique"


def test_dashboard_covers_hive_and_temporal_metrics() -> None:
    exprs = " ".join(t["expr"] for p in dashboard()["panels"] for t in p["targets"])
    for needle in (
        'up{job=~"hive.*"}',
        "temporal_request",
        "temporal_worker_task_slots_available",
        "hive_http_requests_total",
    ):
        assert needle in exprs, f"no dashboard panel queries {needle}"
    assert dashboard().get("uid"), "give the dashboard a stable uid"


# ============================================================================== systemd unit


def test_systemd_unit_runs_the_agent_worker() -> None:
    unit = systemd_unit()
    for section in ("Unit", "Service", "Install"):
        assert unit.has_section(section), f"unit lacks [{section}]"
    svc = unit["Service"]
    exec_start = svc.get("ExecStart", "")
    assert "hive worker --agent %i" in exec_start, (
        f"ExecStart must run `hive worker --agent %i`: {exec_start}"
    )
    assert exec_start.startswith("/opt/hive/venv/bin/hive "), "ExecStart must use the venv's absolute path"
    assert "--config /etc/hive/hive.yaml" in exec_start
    assert svc.get("EnvironmentFile") == "-/etc/hive/hive.env", "optional EnvironmentFile=-/etc/hive/hive.env"
    assert svc.get("Restart") == "on-failure"
    assert svc.get("KillSignal") == "SIGTERM"
    assert svc.get("TimeoutStopSec") == "30"
    assert unit["Install"].get("WantedBy") == "multi-user.target"


def test_systemd_unit_is_hardened_and_unprivileged() -> None:
    svc = systemd_unit()["Service"]
    assert svc.get("User") not in (None, "", "root", "0"), "the worker must not run as root"
    assert svc.get("NoNewPrivileges") == "true"
    assert svc.get("ProtectSystem") == "strict"
    assert "/var/lib/hive" in svc.get("ReadWritePaths", "").split(), "state dir must stay writable"
    assert svc.get("PrivateDevices") in (None, "false"), "PrivateDevices would hide the GPU devices"


# ============================================================================ agents dashboard

AGENTS_DASHBOARD = ROOT / "docker" / "grafana" / "dashboards" / "hive-agents.json"
# Every gauge the API exports about agents and alerts (api/agent_metrics.py).
AGENT_METRICS = (
    "hive_agent_up",
    "hive_agent_tokens_per_second",
    "hive_agent_in_flight",
    "hive_agent_gpu_utilization_percent",
    "hive_agent_gpu_memory_used_bytes",
    "hive_agent_gpu_temperature_celsius",
    "hive_agent_cpu_percent",
    "hive_agent_memory_percent",
    "hive_alerts_open",
    "hive_alerts_opened_total",
)


def agents_dashboard() -> dict[str, Any]:
    assert AGENTS_DASHBOARD.is_file(), "docker/grafana/dashboards/hive-agents.json is missing"
    data = json.loads(AGENTS_DASHBOARD.read_text())
    assert isinstance(data, dict)
    return data


def test_agents_dashboard_is_provisioned_next_to_the_overview() -> None:
    # The provider loads every JSON of the mounted folder (checked for the overview above).
    assert AGENTS_DASHBOARD.parent == GRAFANA_DASHBOARD.parent
    uids = {agents_dashboard().get("uid"), dashboard().get("uid")}
    assert None not in uids and len(uids) == 2, "each dashboard needs its own stable uid"


def test_agents_dashboard_panels_use_the_provisioned_datasource() -> None:
    uid = grafana_datasource()["uid"]
    panels = agents_dashboard()["panels"]
    assert panels, "the agents dashboard has no panels"
    for panel in panels:
        title = panel.get("title", panel.get("id"))
        assert panel["datasource"]["uid"] == uid, f"panel {title!r} uses another datasource"
        assert panel.get("targets"), f"panel {title!r} has no queries"
        for target in panel["targets"]:
            assert target.get("datasource", {"uid": uid})["uid"] == uid, f"panel {title!r}: target datasource"
            assert target.get("expr"), f"panel {title!r}: empty query"
    assert len({p["id"] for p in panels}) == len(panels), "panel ids must be unique"
    for variable in agents_dashboard()["templating"]["list"]:
        assert variable["datasource"]["uid"] == uid, f"variable {variable['name']!r} uses another datasource"


def test_agents_dashboard_covers_agent_gauges_and_executions() -> None:
    data = agents_dashboard()
    exprs = " ".join(t["expr"] for p in data["panels"] for t in p["targets"])
    for needle in (
        *AGENT_METRICS,
        "temporal_workflow_completed",
        "temporal_workflow_endtoend_latency_bucket",
    ):
        assert needle in exprs, f"no agents dashboard panel queries {needle}"
    variables = {v["name"]: v for v in data["templating"]["list"]}
    assert "agent" in variables, "per-agent panels need an $agent variable"
    assert '{agent=~"$agent"}' in exprs, "per-agent panels must filter by $agent"


def test_agents_dashboard_panels_do_not_overlap() -> None:
    cells: set[tuple[int, int]] = set()
    for panel in agents_dashboard()["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, f"panel {panel['title']!r} is wider than the grid"
        mine = {
            (x, y)
            for x in range(grid["x"], grid["x"] + grid["w"])
            for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not cells & mine, f"panel {panel['title']!r} overlaps another"
        cells |= mine


def test_metrics_token_is_shared_by_the_api_and_prometheus() -> None:
    """One variable, HIVE_METRICS_TOKEN, closes the API's /metrics and is what Prometheus sends."""
    raw_api = service("hive-api")["environment"]["HIVE_API__METRICS_TOKEN"]
    raw_prometheus = service("prometheus")["environment"]["HIVE_METRICS_TOKEN"]
    assert raw_api == raw_prometheus == "${HIVE_METRICS_TOKEN:-}", "both must read HIVE_METRICS_TOKEN"
    assert env_of("hive-api")["HIVE_API__METRICS_TOKEN"] == "", "unset: empty, and /metrics stays open"

    [api_job] = [
        job for job in load_yaml(PROMETHEUS_CONFIG)["scrape_configs"] if job["job_name"] == "hive-api"
    ]
    authorization = api_job["authorization"]
    assert authorization.get("type", "Bearer") == "Bearer"
    token_file = authorization["credentials_file"]
    # The entrypoint writes the token to that file, then execs Prometheus with the compose command.
    entrypoint = service("prometheus")["entrypoint"]
    assert entrypoint[:2] == ["/bin/sh", "-c"]
    script = interpolate(entrypoint[2])
    assert f"printf '%s' \"$HIVE_METRICS_TOKEN\" > {token_file}" in script
    assert script.rstrip().endswith('exec /bin/prometheus "$@"'), "the compose command must reach Prometheus"
    assert any(target == "/prometheus" for _, _, target in mounts("prometheus"))
    assert PurePosixPath(token_file).parent == PurePosixPath("/prometheus"), "write where Prometheus may"
