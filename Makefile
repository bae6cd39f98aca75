# Two commands set everything up on a fresh machine with nothing but Python 3.11+:
#   make demo   - make a virtualenv, install kb-lint, check the bundled example deployment
#   make test   - the same virtualenv, then the whole test suite
#   make lint   - ruff, and the import contracts of the README's layers (import-linter)
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test lint bench docs clean

demo: $(VENV)/.installed
	@echo '$$ kb-lint check examples/deployment.yaml'
	@$(BIN)/kb-lint check examples/deployment.yaml; status=$$?; [ $$status -le 1 ]

test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

bench: $(VENV)/.installed
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_simulate.py
	$(BIN)/python bench/bench_sweep.py
	$(BIN)/python bench/bench_docs.py
	$(BIN)/python bench/bench_articles.py
	$(BIN)/python bench/bench_server.py

docs: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis .ruff_cache
