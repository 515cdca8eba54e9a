"""Temporal activities: classes that take their dependencies in ``__init__``."""
