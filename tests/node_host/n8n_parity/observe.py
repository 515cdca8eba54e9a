"""What a parity workflow sent out, read from the receiving side: the wire, not the node's word.

Recorded next to n8n's run data and compared the same way: the mails the SMTP server got, the
requests the GitHub stand-in got, the messages left in the RabbitMQ queue, the MQTT messages a
subscriber saw, the files written to the disk folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aio_pika
import aiomqtt
import redis.asyncio as redis

from tests.node_host.n8n_parity.stand_ins import ParityServers

MQTT_HOST, MQTT_PORT = "127.0.0.1", 1883
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


def _decoded(payload: bytes) -> Any:
    try:
        return json.loads(payload)
    except ValueError:
        return payload.decode(errors="replace")


async def declare_queue(name: str) -> None:
    """The queue the RabbitMQ node sends to: n8n's node only checks that it exists."""
    connection = await aio_pika.connect(AMQP_URL)
    try:
        channel = await connection.channel()
        await channel.declare_queue(name, durable=False, auto_delete=False)
    finally:
        await connection.close()


async def drain_queue(name: str) -> list[Any]:
    """Every message in queue `name` (then the queue is deleted); [] when there is no such queue."""
    connection = await aio_pika.connect(AMQP_URL)
    try:
        channel = await connection.channel()
        try:
            queue = await channel.get_queue(name, ensure=True)  # passive: n8n declared it
        except aio_pika.exceptions.ChannelClosed:
            return []
        bodies = []
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            bodies.append(_decoded(message.body))
        await queue.delete(if_unused=False, if_empty=False)
        return bodies
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def mqtt_messages(topic: str) -> AsyncIterator[list[Any]]:
    """Subscribe to `topic` (QoS 1) for the duration of the block; yields the list it fills."""
    seen: list[Any] = []
    subscribed = asyncio.Event()

    async def listen() -> None:
        async with aiomqtt.Client(MQTT_HOST, MQTT_PORT) as mqtt:
            await mqtt.subscribe(topic, qos=1)
            subscribed.set()
            async for message in mqtt.messages:
                payload = message.payload if isinstance(message.payload, bytes) else b""
                seen.append(_decoded(payload))

    task = asyncio.create_task(listen())
    await asyncio.wait_for(subscribed.wait(), 10)
    try:
        yield seen
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _settle(values: list[Any], expect: int | None, limit_s: float = 5.0) -> None:
    """Wait for late deliveries: `expect` of them, or (unknown) until none came for 0.5 s."""
    loop = asyncio.get_running_loop()
    deadline, last, quiet_since = loop.time() + limit_s, -1, loop.time()
    while loop.time() < deadline:
        if expect is not None and len(values) >= expect:
            return
        if len(values) != last:
            last, quiet_since = len(values), loop.time()
        elif expect is None and loop.time() - quiet_since > 0.5:
            return
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def observe(
    name: str, servers: ParityServers, expect: dict[str, Any] | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Run the block (the workflow run), then fill the yielded dict with what was sent.

    `expect` (a recorded `sent`) only says how many MQTT messages to wait for.
    """
    sent: dict[str, Any] = {}
    suffix = servers.values["__SUFFIX__"]
    if name == "rabbitmq":
        await declare_queue(f"hive-parity-{suffix}")
    async with contextlib.AsyncExitStack() as stack:
        mqtt = (
            await stack.enter_async_context(mqtt_messages(f"hive/parity/{suffix}"))
            if name == "mqtt"
            else None
        )
        yield sent
        if mqtt is not None:
            await _settle(mqtt, len((expect or {}).get("mqtt", [])) if expect else None)
            sent["mqtt"] = list(mqtt)
    if name == "rabbitmq":
        sent["rabbitmq"] = await drain_queue(f"hive-parity-{suffix}")
    if name == "redis":  # the workflow deletes one of its keys; the others go here
        async with redis.Redis(host="127.0.0.1", port=6379) as client:
            keys = await client.keys(f"hive:parity:{suffix}:*")
            if keys:
                await client.delete(*keys)
    received = servers.received
    if received.mails:
        sent["mails"] = [
            {
                "from": mail["From"],
                "to": mail["To"],
                "subject": mail["Subject"],
                "content_type": mail.get_content_type(),
                "body": str(mail.get_payload(decode=True).decode()).replace("\r\n", "\n"),  # type: ignore[union-attr]
            }
            for mail in received.mails
        ]
        sent["envelopes"] = [list(e) for e in received.envelopes]
    if received.http:
        sent["http"] = [list(r) for r in received.http]
    files = Path(servers.values["__FILES__"])
    if name == "read_write_files":
        sent["files"] = [[p.name, p.read_text()] for p in sorted(files.glob("*"))]


__all__ = ["declare_queue", "drain_queue", "mqtt_messages", "observe"]
