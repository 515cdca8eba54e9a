"""Hive's HTTP API: a thin FastAPI layer over Temporal and Hive's database."""
