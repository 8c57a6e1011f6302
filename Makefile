# eventhub — `make run` sets up and starts the demo; `make test` sets up and runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/eventhub_test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
CHROMIUM ?= /usr/bin/chromium
export FLASK_APP := eventhub
export TEST_REDIS_URL

.PHONY: run test test-sqlite test-postgres install install-test chromium nginx lint bench mutate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
	$(BIN)/flask compile-translations

install-test: $(VENV)/.installed-test
	$(BIN)/flask compile-translations

# Debian's Chromium for the browser tests (Playwright cannot download its own here);
# it brings libcairo2, which cairosvg needs to rasterise the SVG tickets in the tests.
chromium:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
	  echo "Installing Chromium from Debian's packages…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || echo "Could not install Chromium: the browser tests will be skipped."; }

# Debian's nginx and Redis server for the deployment test (tests/deploy), which runs
# deploy/'s configuration; it is skipped, saying why, when they cannot be installed.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "Installing nginx from Debian's packages…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx) \
	  || echo "Could not install nginx: the deployment test will be skipped."; }
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "Installing redis-server from Debian's packages…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) \
	  || echo "Could not install redis-server: the deployment test will be skipped."; }

# Links in the demo's console output and e-mails point at the address being served.
run: export PUBLIC_URL ?= http://$(HOST):$(PORT)
run: install
	$(BIN)/flask init-db
	$(BIN)/flask seed-demo
	SOCKETIO_ASYNC_MODE=gevent $(BIN)/python -m gevent.monkey --module eventhub.serve \
	  --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check .

test: install-test chromium nginx lint test-sqlite test-postgres

test-sqlite: install-test
	$(BIN)/pytest

test-postgres: install-test
	@if $(BIN)/python -m tests.servers postgres "$(TEST_DATABASE_URL)"; then \
	  echo "== Running the suite again on PostgreSQL ($(TEST_DATABASE_URL))"; \
	  TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -m "not browser"; \
	else echo "== PostgreSQL run skipped: the server does not answer."; fi

bench: install-test
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Mutation testing, slow and outside `make test`: every rule-holding module (listed in
# pyproject.toml), or one with MODULE=eventhub.registration.tickets. mutmut works in
# mutants/ and keeps its verdicts there between runs.
MODULE ?=
JOBS ?= 2
mutate: install-test
	$(BIN)/mutmut run --max-children $(JOBS) $(if $(MODULE),"$(MODULE).*")
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache mutants
