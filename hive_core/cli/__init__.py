"""The `hive` command line (entry point: hive_core.cli.app:main)."""
