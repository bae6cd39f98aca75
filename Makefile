# Two commands set everything up on a fresh machine with nothing but Python 3.11+:
#   make demo   - make a virtualenv, install kb-lint, check the bundled example deployment
#   make test   - the same virtualenv, then the whole test suite
#   make lint   - ruff, and the import contracts of the README's layers (import-linter)
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# Real Markdown by others, read in place (never copied): the benchmarks that need it skip
# with a message when it is absent.
CORPUS ?= ../shared/corpus/exchange

.PHONY: demo test lint bench docs clean chromium

demo: $(VENV)/.installed
	@echo '$$ kb-lint check examples/deployment.yaml'
	@$(BIN)/kb-lint check examples/deployment.yaml; status=$$?; [ $$status -le 1 ]

# The suite on every core, one test file per worker (a file's fixtures, such as a built site, are
# made once).
test: $(VENV)/.installed chromium
	$(BIN)/python -m pytest -n auto --dist loadfile

# The browser tests drive Debian's Chromium (Playwright never downloads one): installed here when
# it is missing and this runs as root; otherwise those tests fail saying how to get it.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "make: no chromium: the browser tests will fail (sudo apt-get install -y chromium)" >&2; \
	  fi; }

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

bench: $(VENV)/.installed
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_simulate.py
	$(BIN)/python bench/bench_sweep.py
	$(BIN)/python bench/bench_timeline.py
	$(BIN)/python bench/bench_earlier.py
	$(BIN)/python bench/bench_docs.py
	$(BIN)/python bench/bench_articles.py
	$(BIN)/python bench/bench_articles.py --corpus $(CORPUS) --half held-out --repeat 3
	$(BIN)/python bench/bench_precision.py --corpus $(CORPUS)
	$(BIN)/python bench/bench_server.py
	$(BIN)/python bench/bench_hostile.py

docs: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis .ruff_cache
