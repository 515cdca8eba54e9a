"""Unique, CHECK and foreign key constraints hold on both engines."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hive_core.db import Base
from hive_core.db.models import (
    Agent,
    AgentCapability,
    AgentMetric,
    ApiKey,
    Execution,
    ExecutionStep,
    Project,
    Task,
    User,
    task_dependencies,
)

from .factories import Sessions, make_execution, make_workflow

# Each case: rows whose last one repeats a unique value of an earlier one.
UNIQUE_VIOLATIONS: dict[str, Callable[[], list[Base]]] = {
    "users.email": lambda: [User(email="x@example.org"), User(email="X@example.org")],
    "projects.name": lambda: [Project(name="p"), Project(name="p")],
    "api_keys.prefix": lambda: [
        ApiKey(name="a", prefix="hive_same", key_hash="h1"),
        ApiKey(name="b", prefix="hive_same", key_hash="h2"),
    ],
    "agent_capabilities": lambda: [
        Agent(id="oak", name="Oak", endpoint="http://oak:11434"),
        AgentCapability(agent_id="oak", capability="code"),
        AgentCapability(agent_id="oak", capability="code"),
    ],
}


@pytest.mark.parametrize("case", sorted(UNIQUE_VIOLATIONS))
async def test_unique_constraints(sessionmaker: Sessions, case: str) -> None:
    async with sessionmaker() as session:
        rows = UNIQUE_VIOLATIONS[case]()
        # Flush one at a time so the ORM cannot reorder the inserts.
        for row in rows[:-1]:
            session.add(row)
            await session.flush()
        session.add(rows[-1])
        with pytest.raises(IntegrityError):
            await session.flush()


async def test_execution_unique_keys(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        workflow = make_workflow()
        # Two executions without an idempotency key are fine: NULLs are distinct.
        session.add_all([make_execution(workflow, "a"), make_execution(workflow, "b")])
        await session.commit()
        workflow_id = workflow.id

    duplicates = {
        "temporal_workflow_id": {"temporal_workflow_id": "hive-a"},
        "idempotency_key": {"temporal_workflow_id": "hive-c", "idempotency_key": "k"},
    }
    async with sessionmaker() as session:
        session.add(
            Execution(
                workflow_id=workflow_id,
                workflow_version=1,
                temporal_workflow_id="hive-k",
                idempotency_key="k",
            )
        )
        await session.commit()
    for column, fields in duplicates.items():
        async with sessionmaker() as session:
            session.add(Execution(workflow_id=workflow_id, workflow_version=1, **fields))
            with pytest.raises(IntegrityError, match=column):
                await session.commit()


async def test_step_unique_per_node_and_run(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        execution = make_execution(make_workflow())
        execution.steps = [ExecutionStep(step_index=0, node_name="Loop", run_index=0)]
        session.add(execution)
        await session.commit()
        session.add(ExecutionStep(execution_id=execution.id, step_index=1, node_name="Loop", run_index=1))
        await session.commit()  # a re-run of the node is a new row
        session.add(ExecutionStep(execution_id=execution.id, step_index=2, node_name="Loop", run_index=1))
        with pytest.raises(IntegrityError):
            await session.commit()


async def test_task_dependency_is_unique_and_not_self(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        first, second = Task(title="first"), Task(title="second")
        session.add_all([first, second])
        await session.commit()
        first_id, second_id = first.id, second.id
        edge = {"task_id": second_id, "depends_on_task_id": first_id}
        await session.execute(task_dependencies.insert().values(**edge))
        await session.commit()
        with pytest.raises(IntegrityError):
            await session.execute(task_dependencies.insert().values(**edge))
        await session.rollback()
        with pytest.raises(IntegrityError):
            await session.execute(
                task_dependencies.insert().values(task_id=first_id, depends_on_task_id=first_id)
            )


@pytest.mark.parametrize(
    ("column", "value"), [("status", "sleeping"), ("max_concurrent", 0), ("source", "yaml")]
)
async def test_check_constraints_reject_bad_values(
    sessionmaker: Sessions, column: str, value: object
) -> None:
    row: dict[str, object] = {"id": "elm", "name": "Elm", "endpoint": "http://elm:11434"}
    row |= {"capabilities": "[]", "hardware_config": "{}", "models": "[]"}
    row |= {"max_concurrent": 1, "status": "online", "source": "api"}
    row[column] = value
    columns = ", ".join(row)
    params = ", ".join(f":{name}" for name in row)
    async with sessionmaker() as session:
        # Raw SQL: the ORM's enum validation would refuse the value before the database sees it.
        with pytest.raises(IntegrityError):
            await session.execute(text(f"INSERT INTO agents ({columns}) VALUES ({params})"), row)


async def test_foreign_keys_are_enforced(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        session.add(AgentMetric(agent_id="no-such-agent"))
        with pytest.raises(IntegrityError):
            await session.commit()
