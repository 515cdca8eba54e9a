"""Hive's shared core: settings, errors, cluster config, Temporal client, CLI."""
