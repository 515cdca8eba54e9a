"""Protocol-faithful stand-ins for services that cannot run on a test machine (not installed with Hive).

Tests and benchmarks import them from the repository; the product package never does.
"""
