"""The local servers the parity workflows talk to, for the recorder and the tests alike.

- HTTP on a free port: an RSS 2.0 feed (`/feed.xml`) and GitHub's REST API for two calls
  (`GET /api/v3/repos/{owner}/{repo}`, `POST /api/v3/repos/{owner}/{repo}/issues`), with GitHub's
  `Authorization: token <pat>` check and its JSON shapes; the GitHub credential's `server` is this
  server's `/api/v3` (GitHub Enterprise's base URL form).
- SMTP on a free port: aiosmtpd, keeping every message it receives.

`values` maps each workflow placeholder to this run's value.
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.loopback import JsonHandler, serve

GITHUB_TOKEN = "ghp_parityToken123"
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Hive parity feed</title><link>__BASE_URL__/</link><description>Recorded feed</description>
<item><title>Second post</title><link>__BASE_URL__/posts/2</link><guid>post-2</guid>
<pubDate>Tue, 02 Dec 2025 10:00:00 GMT</pubDate><description>The &lt;b&gt;second&lt;/b&gt; one</description>
<category>news</category></item>
<item><title>First post</title><link>__BASE_URL__/posts/1</link><guid isPermaLink="false">post-1</guid>
<pubDate>Mon, 01 Dec 2025 09:30:00 GMT</pubDate><description>Hello feed</description>
<author>ada@example.com (Ada)</author></item>
</channel></rss>
"""
REPO = {
    "id": 4242,
    "name": "parity",
    "full_name": "hive-org/parity",
    "private": False,
    "owner": {"login": "hive-org", "id": 7, "type": "Organization"},
    "description": "A stand-in repository",
    "default_branch": "main",
    "stargazers_count": 17,
    "topics": ["n8n", "temporal"],
}


@dataclass
class Received:
    """What the stand-ins were sent."""

    mails: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    http: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)

    def clear(self) -> None:
        self.mails.clear()
        self.envelopes.clear()
        self.http.clear()


@dataclass
class ParityServers:
    values: dict[str, str]
    received: Received


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Mailbox:
    def __init__(self, received: Received) -> None:
        self.received = received

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        self.received.mails.append(message_from_bytes(content))
        self.received.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def _http_handler(received: Received, base: list[str]) -> type[JsonHandler]:
    class Handler(JsonHandler):
        def _authorised(self) -> bool:
            if self.headers.get("Authorization") == f"token {GITHUB_TOKEN}":
                return True
            self.reply_json(
                401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}
            )
            return False

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            received.http.append(("GET", self.path, None))
            if self.path == "/feed.xml":
                data = FEED.replace("__BASE_URL__", base[0]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif self.path == "/api/v3/repos/hive-org/parity":
                if self._authorised():
                    self.reply_json(200, REPO)
            else:
                self.reply_json(404, {"message": "Not Found"})

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.read_body() or b"{}")
            received.http.append(("POST", self.path, body))
            if self.path != "/api/v3/repos/hive-org/parity/issues":
                return self.reply_json(404, {"message": "Not Found"})
            if self._authorised():
                labels = [{"name": name} for name in body.get("labels", [])]
                self.reply_json(
                    201,
                    {
                        "number": 1,
                        "state": "open",
                        "title": body.get("title"),
                        "body": body.get("body"),
                        "labels": labels,
                        "assignees": body.get("assignees", []),
                        "user": {"login": "hive-bot"},
                    },
                )

    return Handler


@contextmanager
def parity_servers(files_dir: Path) -> Iterator[ParityServers]:
    """Start the stand-ins; `files_dir` is where the disk workflow reads and writes."""
    received = Received()
    base: list[str] = []
    smtp_port = free_port()
    controller = Controller(_Mailbox(received), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        with serve(_http_handler(received, base)) as url:
            base.append(url)
            files_dir.mkdir(parents=True, exist_ok=True)
            values = {
                "__BASE_URL__": url,
                "__SMTP_PORT__": str(smtp_port),
                "__FILES__": str(files_dir),
                "__SUFFIX__": uuid.uuid4().hex[:8],
            }
            yield ParityServers(values, received)
    finally:
        controller.stop()


__all__ = ["GITHUB_TOKEN", "ParityServers", "Received", "free_port", "parity_servers"]
