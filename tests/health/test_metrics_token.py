"""`/metrics` behind an optional bearer token (`api.metrics_token`), as Prometheus scrapers send it."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.app import create_app
from hive_core.config import ClusterConfig
from hive_core.db import upgrade_database_async
from hive_core.settings import ApiSettings, DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.ports import free_port
from tests.test_api import api_client


async def _settings(tmp_path: Path, **api: object) -> HiveSettings:
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(address=f"127.0.0.1:{free_port()}", connect_timeout_s=1),
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"),
        api=ApiSettings.model_validate(api),
    )
    await upgrade_database_async(settings.database_url)
    return settings


async def test_with_a_token_metrics_need_it(tmp_path: Path) -> None:
    settings = await _settings(tmp_path, metrics_token="s3cret-scrape")
    async with api_client(create_app(settings, ClusterConfig())) as http:
        for headers in (
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": "Basic czNjcmV0LXNjcmFwZQ=="},
        ):
            refused = await http.get("/metrics", headers=headers)
            assert refused.status_code == 401, headers
            assert refused.json()["error"]["type"] == "AuthenticationError"
            assert "Bearer" in refused.headers["WWW-Authenticate"]
        scraped = await http.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"})
        assert scraped.status_code == 200
        assert "hive_http_requests_total" in scraped.text
        # An API key is no substitute for the scrape token, and the other open routes stay open.
        assert (await http.get("/metrics", headers={"X-API-Key": "s3cret-scrape"})).status_code == 401
        assert (await http.get("/health")).status_code == 200


async def test_without_a_token_metrics_are_open(tmp_path: Path) -> None:
    settings = await _settings(tmp_path)
    async with api_client(create_app(settings, ClusterConfig())) as http:
        assert (await http.get("/metrics")).status_code == 200
        assert (await http.get("/metrics", headers={"Authorization": "Bearer anything"})).status_code == 200


def test_the_token_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIVE_API__METRICS_TOKEN", "from-env")
    token = HiveSettings().api.metrics_token
    assert token is not None and token.get_secret_value() == "from-env"
    assert "from-env" not in repr(HiveSettings().api)  # a secret: never printed
    # docker-compose passes `${HIVE_METRICS_TOKEN:-}`: empty means no token.
    monkeypatch.setenv("HIVE_API__METRICS_TOKEN", "")
    assert HiveSettings().api.metrics_token is None
