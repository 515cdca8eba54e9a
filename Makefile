# The front door for everyday tasks. CI runs .ci/run (same commands, from a clean clone).
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install fmt lint test bench up

install:
	python3 -m venv $(VENV) && $(BIN)/pip install -e ".[dev]"

fmt:
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

test:
	$(BIN)/pytest

# Quick ones; the cluster-scale ones (routing_bench, api_bench, stack_bench) take a minute each.
bench:
	$(BIN)/python bench/compile_bench.py && $(BIN)/python bench/expression_bench.py \
		&& $(BIN)/python bench/llm_overhead_bench.py && $(BIN)/python bench/file_nodes_bench.py --runs 1

up:
	$(BIN)/hive up
