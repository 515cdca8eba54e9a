"""Round trips and ON DELETE behaviour of every table, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from hive_core.db.models import (
    Agent,
    AgentCapability,
    AgentMetric,
    AgentSource,
    AgentStatus,
    Alert,
    AlertSeverity,
    ApiKey,
    AuditLog,
    Execution,
    ExecutionStatus,
    ExecutionStep,
    Project,
    StepStatus,
    SystemConfig,
    Task,
    TaskStatus,
    User,
    UserRole,
    Workflow,
    task_dependencies,
)

from .factories import N8N_DATA, Sessions, count_rows, make_execution, make_workflow


async def test_agent_round_trip(sessionmaker: Sessions) -> None:
    seen = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    async with sessionmaker() as session:
        agent = Agent(
            id="walnut",
            name="Walnut",
            endpoint="http://192.168.1.27:11434",
            specialization="code",
            capabilities=["code", "review"],
            hardware_config={"gpu_type": "RTX 3090", "vram_gb": 24.0},
            models=["qwen2.5-coder:32b", "llama3.2:latest"],
            max_concurrent=4,
            source=AgentSource.CONFIG,
            last_seen_at=seen,
        )
        agent.metrics.append(
            AgentMetric(
                performance_data={"tokens_per_s": 41.5, "in_flight": 2, "response_times_ms": [120, 340]},
                gpu_metrics={"utilization": 87.0, "memory_used_gb": 19.2},
                cpu_percent=35.5,
                memory_percent=61.25,
            )
        )
        agent.capability_scores.append(AgentCapability(capability="code", proficiency_score=0.9))
        session.add(agent)
        await session.commit()

    async with sessionmaker() as session:
        loaded = await session.get_one(Agent, "walnut")
        assert loaded.models == ["qwen2.5-coder:32b", "llama3.2:latest"]
        assert loaded.hardware_config == {"gpu_type": "RTX 3090", "vram_gb": 24.0}
        assert loaded.status is AgentStatus.UNKNOWN
        assert loaded.source is AgentSource.CONFIG
        assert loaded.last_seen_at == seen
        metrics = await loaded.awaitable_attrs.metrics
        assert metrics[0].performance_data["response_times_ms"] == [120, 340]
        assert metrics[0].gpu_metrics == {"utilization": 87.0, "memory_used_gb": 19.2}
        assert metrics[0].timestamp.tzinfo is not None
        scores = await loaded.awaitable_attrs.capability_scores
        assert [(s.capability, s.proficiency_score) for s in scores] == [("code", 0.9)]

        loaded.status = AgentStatus.ONLINE
        await session.commit()

    async with sessionmaker() as session:
        assert (await session.get_one(Agent, "walnut")).status is AgentStatus.ONLINE


async def test_deleting_an_agent_cascades_and_unassigns(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        agent = Agent(id="acacia", name="Acacia", endpoint="http://10.0.0.2:11434")
        agent.metrics.append(AgentMetric())
        agent.capability_scores.append(AgentCapability(capability="chat"))
        task = Task(title="summarise logs", agent=agent)
        session.add_all([agent, task])
        await session.commit()
        task_id = task.id

    async with sessionmaker() as session:
        # A bulk delete bypasses the ORM: the database's ON DELETE rules must do the work.
        await session.execute(delete(Agent).where(Agent.id == "acacia"))
        await session.commit()

    async with sessionmaker() as session:
        assert await count_rows(session, AgentMetric) == 0
        assert await count_rows(session, AgentCapability) == 0
        task = await session.get_one(Task, task_id)
        assert task.assigned_agent is None


async def test_workflow_execution_and_steps_round_trip(sessionmaker: Sessions) -> None:
    started = datetime.now(UTC)
    async with sessionmaker() as session:
        user = User(email="Ada@Example.org", role=UserRole.OPERATOR)
        workflow = make_workflow(
            creator=user,
            plan={"version": 1, "steps": [{"node": "Ask Ollama", "kind": "llm"}]},
            mcp_tools=[{"name": "search", "server": "web"}],
            diagnostics=[{"node": "Ask Ollama", "message": "temperature is high"}],
            active=True,
        )
        execution = make_execution(
            workflow,
            temporal_run_id="0b7c-run",
            status=ExecutionStatus.RUNNING,
            mode="webhook",
            input_data=[{"json": {"question": "¿qué?"}}],
            logs=[{"level": "info", "msg": "started"}],
            started_at=started,
            idempotency_key="client-key-1",
        )
        execution.steps = [
            ExecutionStep(step_index=0, node_id="a1", node_name="Start ▶", status=StepStatus.SUCCESS),
            ExecutionStep(
                step_index=1,
                node_id="b2",
                node_name="Ask Ollama",
                status=StepStatus.ERROR,
                execution_time_ms=1234,
                output_summary={"items": 0},
                error={"type": "AgentUnavailableError", "message": "walnut is down"},
            ),
            ExecutionStep(step_index=2, node_id="b2", node_name="Ask Ollama", run_index=1),
        ]
        session.add(execution)
        await session.commit()
        execution_id, user_id = execution.id, user.id

    async with sessionmaker() as session:
        loaded = await session.get_one(Execution, execution_id)
        assert loaded.status is ExecutionStatus.RUNNING
        assert loaded.input_data == [{"json": {"question": "¿qué?"}}]
        assert loaded.output_data is None
        assert loaded.started_at == started
        assert loaded.finished_at is None
        steps = await loaded.awaitable_attrs.steps
        assert [(s.node_name, s.run_index, s.status) for s in steps] == [
            ("Start ▶", 0, StepStatus.SUCCESS),
            ("Ask Ollama", 0, StepStatus.ERROR),
            ("Ask Ollama", 1, StepStatus.PENDING),
        ]
        assert steps[1].error == {"type": "AgentUnavailableError", "message": "walnut is down"}

        workflow = await loaded.awaitable_attrs.workflow
        assert workflow.n8n_data == N8N_DATA
        assert workflow.plan == {"version": 1, "steps": [{"node": "Ask Ollama", "kind": "llm"}]}
        assert workflow.mcp_tools == [{"name": "search", "server": "web"}]
        assert workflow.version == 1
        assert workflow.active is True
        assert workflow.created_by == user_id

        loaded.status = ExecutionStatus.SUCCESS
        loaded.output_data = {"answer": 42}
        loaded.finished_at = datetime.now(UTC)
        await session.commit()

    async with sessionmaker() as session:
        done = await session.get_one(Execution, execution_id)
        assert done.status is ExecutionStatus.SUCCESS
        assert done.output_data == {"answer": 42}
        assert done.finished_at is not None and done.finished_at >= started


async def test_deleting_an_execution_deletes_its_steps(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        workflow = make_workflow()
        keep, drop = make_execution(workflow, "keep"), make_execution(workflow, "drop")
        keep.steps = [ExecutionStep(step_index=0, node_name="Start")]
        drop.steps = [ExecutionStep(step_index=i, node_name=f"Node {i}") for i in range(3)]
        session.add_all([keep, drop])
        await session.commit()
        drop_id, keep_id = drop.id, keep.id

    async with sessionmaker() as session:
        await session.execute(delete(Execution).where(Execution.id == drop_id))
        await session.commit()

    async with sessionmaker() as session:
        remaining = (await session.scalars(select(ExecutionStep))).all()
        assert [s.execution_id for s in remaining] == [keep_id]


async def test_deleting_a_workflow_deletes_its_executions(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        workflow = make_workflow()
        execution = make_execution(workflow)
        execution.steps = [ExecutionStep(step_index=0, node_name="Start")]
        session.add(execution)
        await session.commit()
        workflow_id = workflow.id

    async with sessionmaker() as session:
        await session.execute(delete(Workflow).where(Workflow.id == workflow_id))
        await session.commit()
        assert await count_rows(session, Execution) == 0
        assert await count_rows(session, ExecutionStep) == 0


async def test_users_and_api_keys(sessionmaker: Sessions) -> None:
    expires = datetime.now(UTC) + timedelta(days=30)
    async with sessionmaker() as session:
        user = User(
            email="  Grace@Example.org ", password_hash="$argon2id$...", preferences={"theme": "dark"}
        )
        user.api_keys.append(
            ApiKey(
                name="ci", prefix="hive_ab12", key_hash="sha256:...", role=UserRole.ADMIN, expires_at=expires
            )
        )
        service_key = ApiKey(name="worker", prefix="hive_cd34", key_hash="sha256:...")
        workflow = make_workflow(creator=user)
        session.add_all([user, service_key, workflow])
        await session.commit()
        user_id, workflow_id = user.id, workflow.id

    async with sessionmaker() as session:
        loaded = await session.scalar(select(User).where(User.email == "grace@example.org"))
        assert loaded is not None and loaded.id == user_id
        assert loaded.role is UserRole.VIEWER
        assert loaded.is_active is True
        assert loaded.preferences == {"theme": "dark"}
        key = await session.scalar(select(ApiKey).where(ApiKey.prefix == "hive_ab12"))
        assert key is not None and key.role is UserRole.ADMIN and key.expires_at == expires
        assert key.revoked_at is None and key.last_used_at is None

    async with sessionmaker() as session:
        await session.execute(delete(User).where(User.id == user_id))
        await session.commit()

    async with sessionmaker() as session:
        prefixes = (await session.scalars(select(ApiKey.prefix))).all()
        assert prefixes == ["hive_cd34"]  # the user's key went with the user; the service key stays
        workflow = await session.get_one(Workflow, workflow_id)
        assert workflow.created_by is None  # the workflow outlives its creator


async def test_projects_tasks_and_dependencies(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        project = Project(
            name="docs",
            description="Write the docs",
            task_template={"priority": 5, "stages": ["draft", "review"]},
            agent_assignments={"review": "walnut"},
        )
        draft = Task(title="draft", project=project, priority=5, input={"topic": "install"})
        review = Task(title="review", project=project, priority=3, depends_on=[draft])
        session.add_all([project, draft, review])
        await session.commit()
        ids = {"project": project.id, "draft": draft.id, "review": review.id}

    async with sessionmaker() as session:
        review = await session.get_one(Task, ids["review"])
        assert [t.title for t in await review.awaitable_attrs.depends_on] == ["draft"]
        assert review.status is TaskStatus.PENDING
        draft = await session.get_one(Task, ids["draft"])
        assert draft.input == {"topic": "install"}
        draft.status, draft.result = TaskStatus.COMPLETED, {"text": "Run `hive up`.", "tokens": 812}
        await session.commit()

        project = await session.get_one(Project, ids["project"])
        assert project.task_template == {"priority": 5, "stages": ["draft", "review"]}
        assert project.agent_assignments == {"review": "walnut"}

    async with sessionmaker() as session:
        await session.execute(delete(Task).where(Task.id == ids["draft"]))
        await session.execute(delete(Project).where(Project.id == ids["project"]))
        await session.commit()

    async with sessionmaker() as session:
        assert await count_rows(session, task_dependencies) == 0
        review = await session.get_one(Task, ids["review"])
        assert review.project_id is None


async def test_alerts_config_and_audit_log(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        alert = Alert(
            type="cpu_usage", severity=AlertSeverity.CRITICAL, agent_id="walnut", message="CPU at 97%"
        )
        session.add_all(
            [
                alert,
                SystemConfig(key="scheduler.max_queue", value=250, category="scheduler"),
                SystemConfig(key="ui.banner", value={"text": "maintenance at 18:00", "level": "info"}),
                SystemConfig(key="features", value=["streaming", "mcp"]),
                AuditLog(
                    actor="ada@example.org",
                    action="workflow.activate",
                    resource_type="workflow",
                    resource_id="wf-1",
                    details={"from": False, "to": True},
                ),
            ]
        )
        await session.commit()
        alert_id = alert.id

    async with sessionmaker() as session:
        alert = await session.get_one(Alert, alert_id)
        assert alert.severity is AlertSeverity.CRITICAL
        assert alert.resolved is False and alert.opened_at.tzinfo is not None
        alert.acknowledged_at, alert.acknowledged_by = datetime.now(UTC), "ada@example.org"
        alert.resolved, alert.resolved_at = True, datetime.now(UTC)
        await session.commit()

        values = {c.key: c.value for c in (await session.scalars(select(SystemConfig))).all()}
        assert values == {
            "scheduler.max_queue": 250,
            "ui.banner": {"text": "maintenance at 18:00", "level": "info"},
            "features": ["streaming", "mcp"],
        }
        banner = await session.get_one(SystemConfig, "ui.banner")
        assert banner.category == "general"
        entry = await session.scalar(select(AuditLog))
        assert entry is not None and entry.details == {"from": False, "to": True}

    async with sessionmaker() as session:
        open_alerts = await session.scalars(select(Alert).where(Alert.resolved.is_(False)))
        assert open_alerts.all() == []
