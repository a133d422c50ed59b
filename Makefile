# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: install run test lint format clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Create the venv, migrate the SQLite default, seed the demo, print a curl, and serve.
run: install
	$(BIN)/ils-intake migrate
	$(BIN)/ils-intake demo --base-url http://$(HOST):$(PORT)
	$(BIN)/ils-intake serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

## The whole suite, on SQLite and (when reachable) PostgreSQL.
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

## Load benchmark on 127.0.0.1 against the raw baseline (PostgreSQL at 127.0.0.1:5432 and wrk
## needed); e.g. make bench BENCH_ARGS='--with-growth'. Not part of `make test`.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	command -v wrk >/dev/null || apt-get install -y wrk
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache ils-intake.db ils-intake.db-*
