"""Temporal workflows. Deterministic code only: no I/O, clock or randomness outside `workflow.*`."""
