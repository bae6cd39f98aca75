# Two commands set everything up on a fresh machine with nothing but Python 3.11+:
#   make demo   - make a virtualenv, install kb-lint, check the bundled example deployment
#   make test   - the same virtualenv, then the whole test suite
#   make lint   - ruff, and the import contracts of the README's layers (import-linter)
#   make bench  - every benchmark, then issue 23's targets as one table (CORPUS=PATH: the corpus)
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# Real Markdown by others, read in place (never copied): when it is absent, the benchmarks that
# need it say so, and the summary of make bench says their targets are not measured.
CORPUS ?= ../shared/corpus/exchange

.PHONY: demo test lint bench bench-peers docs clean chromium

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

# The benchmarks, then issue 23's targets as one table (bench/summary.py): each benchmark that
# measures a target appends its figures to BENCH_RESULTS, emptied first. A target not met is a
# figure in the table; a benchmark that crashes stops make. The peers of the article benchmark
# are installed for measuring only: pymarkdownlnt (the `bench` extra) into the virtualenv,
# markdownlint-cli2 (pinned: the last that runs on Node 20) with npm outside the repository.
BENCH_RESULTS ?= build/bench/results.jsonl
# Where bench_articles.py looks for markdownlint-cli2.
BENCH_PEERS = $(HOME)/.cache/kb-lint-bench
MARKDOWNLINT_CLI2 = markdownlint-cli2@0.22.1
BENCH_STARTED := $(shell date +%s)

bench: $(VENV)/.bench-installed bench-peers
	@rm -f $(BENCH_RESULTS) && mkdir -p $(dir $(BENCH_RESULTS))
	@[ -d $(CORPUS) ] || echo "make bench: no corpus at $(CORPUS): its benchmarks are not measured (make bench CORPUS=PATH)" >&2
	BENCH_RESULTS=$(BENCH_RESULTS) $(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_simulate.py
	$(BIN)/python bench/bench_sweep.py
	$(BIN)/python bench/bench_timeline.py
	$(BIN)/python bench/bench_earlier.py
	$(BIN)/python bench/bench_docs.py
	$(BIN)/python bench/bench_articles.py --repeat 3
	BENCH_RESULTS=$(BENCH_RESULTS) $(BIN)/python bench/bench_articles.py --corpus $(CORPUS) --half held-out --repeat 3
	BENCH_RESULTS=$(BENCH_RESULTS) $(BIN)/python bench/bench_precision.py --corpus $(CORPUS)
	$(BIN)/python bench/bench_server.py
	$(BIN)/python bench/bench_hostile.py
	@$(BIN)/python bench/summary.py $(BENCH_RESULTS) --started $(BENCH_STARTED)

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

bench-peers:
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "make bench: no npm (Node.js): $(MARKDOWNLINT_CLI2) not installed, its ratio is not measured" >&2; \
	elif ! npm ls --prefix $(BENCH_PEERS) $(MARKDOWNLINT_CLI2) >/dev/null 2>&1; then \
	  npm install --silent --prefix $(BENCH_PEERS) $(MARKDOWNLINT_CLI2) || \
	  echo "make bench: npm could not install $(MARKDOWNLINT_CLI2): its ratio is not measured" >&2; \
	fi

docs: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

clean:
	rm -rf $(VENV) site build/bench .pytest_cache .hypothesis .ruff_cache
