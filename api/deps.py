"""Annotated dependencies: routers ask for what they need, never for globals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.state import AppState
from hive_core.config import ClusterConfig
from hive_core.node_host.options import compile_options
from hive_core.settings import HiveSettings
from n8n_import import CompileOptions


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.hive
    return state


StateDep = Annotated[AppState, Depends(get_state)]


def get_client(state: StateDep) -> Client:
    return state.temporal


def get_settings(state: StateDep) -> HiveSettings:
    return state.settings


def get_cluster(state: StateDep) -> ClusterConfig:
    return state.cluster


def get_compile_options(cluster: Annotated[ClusterConfig, Depends(get_cluster)]) -> CompileOptions:
    # hive.yaml's node_host section and model aliases, as `hive compile` and the worker use them.
    return compile_options(cluster)


async def get_session(state: StateDep) -> AsyncIterator[AsyncSession]:
    async with state.sessions() as session:
        yield session


ClientDep = Annotated[Client, Depends(get_client)]
SettingsDep = Annotated[HiveSettings, Depends(get_settings)]
ClusterDep = Annotated[ClusterConfig, Depends(get_cluster)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
CompileOptionsDep = Annotated[CompileOptions, Depends(get_compile_options)]
