"""Logging set-up for Hive's processes (one line per record, to stderr)."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    # The SDK's poller chatter is noise at INFO.
    quiet = max(logging.WARNING, logging.getLogger().level)
    for noisy in ("temporalio", "alembic", "httpx"):
        logging.getLogger(noisy).setLevel(quiet)
