# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
SANDBOX_PORT ?= 12111
# Return addresses in emails and from Stripe's checkout follow the port actually served.
SITE_URL ?= http://127.0.0.1:$(PORT)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: run test install install-dev browser-deps lint format fuzz bench bench-ledger bench-webhooks clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP)-run: $(VENV)/bin/python pyproject.toml
	$(PIP) install --quiet -e .
	touch $@

$(STAMP)-dev: $(VENV)/bin/python pyproject.toml
	$(PIP) install --quiet -e '.[dev]'
	touch $@ $(STAMP)-run

install: $(STAMP)-run
install-dev: $(STAMP)-dev

# Debian's Chromium drives the browser tests; Playwright never downloads a browser here.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "WARNING: could not install chromium; browser tests will be skipped"; \
	fi

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver_demo --port $(PORT) --sandbox-port $(SANDBOX_PORT)

test: install-dev browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) .ci/file_sizes.py

# Schemathesis against the OpenAPI schema, as each role, on a production-like local site
# (gunicorn, fundraising.settings.local_production, a fresh SQLite database with the demo
# data): fails on any 5xx or any answer the schema does not describe. Reports in var/fuzz/.
FUZZ_EXAMPLES ?= 25
fuzz: install-dev
	$(PY) -m tests.fuzz.run --examples $(FUZZ_EXAMPLES) $(FUZZ_ARGS)

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var/gotong.sqlite3* var/media var/static

# --- Benchmarks (not tests): `make bench` runs every bench-* target --------------------
# Other benchmarks join with their own `bench: bench-<name>` line. Each names its settings,
# built on the production-like fundraising.settings.local_production (DEBUG off, production's
# headers and checks, the sandbox): left unnamed, a server or worker would load production.
bench: bench-ledger

# Ours against django-hordak on PostgreSQL (and ours on SQLite); writes bench/results/ledger.json.
bench-ledger: install-dev
	@$(PY) -c "import hordak" 2>/dev/null || $(PIP) install --quiet -e '.[dev,bench]'
	DJANGO_SETTINGS_MODULE=bench.settings $(PY) -m bench.ledger $(BENCH_ARGS)

# Webhooks: 10,000 signed Stripe events acknowledged by gunicorn (2 workers) beside a one-INSERT
# view, then drained by a Celery worker into settled donations, totals and ledger entries.
# Needs PostgreSQL and Redis on 127.0.0.1; writes bench/results/webhooks.json (~20 minutes).
bench: bench-webhooks

bench-webhooks: install-dev
	@$(PY) -c "import aiohttp" 2>/dev/null || $(PIP) install --quiet -e '.[dev,bench]'
	DJANGO_SETTINGS_MODULE=bench.webhooks.settings $(PY) -m bench.webhooks $(BENCH_WEBHOOKS_ARGS)
