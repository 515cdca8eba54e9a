"""FastAPI app factory: the lifespan opens the Temporal client and the DB engine."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from api.auth import install_auth_error_handlers
from api.console import install_console
from api.errors import install_error_handlers
from api.mcp import install_mcp, mcp_lifespan
from api.metrics import HttpMetrics
from api.middleware import BodySizeLimitMiddleware
from api.routers import (
    agents,
    alerts,
    approvals,
    auth,
    binary_data,
    chat,
    credentials,
    events,
    executions,
    forms,
    health,
    keys,
    projects,
    reviews,
    tasks,
    users,
    webhooks,
    workflows,
)
from api.state import AppState
from hive_core.config import ClusterConfig, load_cluster_config
from hive_core.db import create_engine, create_sessionmaker
from hive_core.logs import configure_logging
from hive_core.settings import HiveSettings
from hive_core.telemetry import build_runtime, tracing_interceptors
from hive_core.temporal import connect_temporal

log = logging.getLogger(__name__)


def create_app(settings: HiveSettings, cluster: ClusterConfig) -> FastAPI:
    """Build the API for the given settings and cluster description."""
    metrics = HttpMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        embedded = settings.api.embedded_worker
        # Lazy: the API comes up even when Temporal is down and says so on /ready. Not with an
        # embedded worker: Temporal's workers refuse lazy clients (like `hive worker`, it needs
        # Temporal up at start), and its runtime exports the worker's SDK metrics.
        runtime = build_runtime(settings.worker.metrics_port) if embedded else None
        client = await connect_temporal(
            settings.temporal,
            interceptors=tracing_interceptors(settings.telemetry),
            runtime=runtime,
            lazy=not embedded,
        )
        engine = create_engine(settings.database_url, echo=settings.database.echo)
        app.state.hive = state = AppState(
            settings=settings,
            cluster=cluster,
            temporal=client,
            engine=engine,
            sessions=create_sessionmaker(engine),
            metrics=metrics,
        )
        try:
            async with AsyncExitStack() as stack:
                if embedded:
                    from workers.embedded import embedded_worker  # the worker stack, only when asked

                    await stack.enter_async_context(embedded_worker(settings, cluster, client, runtime))
                await stack.enter_async_context(mcp_lifespan(app, state))
                yield
        finally:
            await engine.dispose()

    app = FastAPI(
        title="Hive API",
        version="0.1.0",
        description="Durable n8n workflows and AI agents on a GPU cluster, run by Temporal.",
        lifespan=lifespan,
    )
    app.middleware("http")(metrics.middleware)
    install_error_handlers(app)
    install_auth_error_handlers(app)
    app.include_router(health.router)
    # Before the webhooks: `/webhook/<id>/chat` belongs to a Chat Trigger when one owns it.
    app.include_router(chat.router)
    app.include_router(webhooks.router)
    app.include_router(forms.router)
    app.include_router(auth.router)
    app.include_router(keys.router)
    app.include_router(users.router)
    app.include_router(workflows.router)
    app.include_router(agents.router)
    app.include_router(alerts.router)
    app.include_router(executions.router)
    app.include_router(binary_data.router)
    app.include_router(events.router)
    app.include_router(approvals.router)
    app.include_router(credentials.router)
    app.include_router(credentials.internal)
    app.include_router(tasks.router)
    app.include_router(projects.router)
    app.include_router(reviews.router)
    install_console(app)
    install_mcp(app)
    # Outermost: an oversized body is refused before any other middleware reads it.
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.api.max_body_bytes,
        upload_max_bytes=settings.api.max_upload_bytes,
    )
    return app


def create_app_from_env() -> FastAPI:
    """Entry point for uvicorn ``--factory``: settings from the environment."""
    settings = HiveSettings()
    configure_logging(settings.log_level)
    path = settings.config_path
    cluster = load_cluster_config(path) if path else ClusterConfig()
    return create_app(settings, cluster)
