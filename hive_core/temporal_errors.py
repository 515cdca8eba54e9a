"""Map Hive errors onto Temporal's ApplicationError (user errors are non-retryable)."""

from __future__ import annotations

from temporalio.exceptions import ApplicationError

from hive_core.errors import HiveError


def to_application_error(error: HiveError) -> ApplicationError:
    """Wrap a HiveError so Temporal retries only operational failures."""
    return ApplicationError(
        error.message,
        error.details or None,
        type=error.type_name,
        non_retryable=not error.retryable,
    )
