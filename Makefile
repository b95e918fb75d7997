# Tongban — `make help` lists the targets. `make run` and `make test` install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Debian packages WeasyPrint needs (Pango, HarfBuzz subsetting) and CJK fonts for PDFs.
SYSTEM_PACKAGES := python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext

.PHONY: help
help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

.PHONY: system-deps
system-deps: ## install the Debian libraries and fonts (when root and apt-get are available)
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Please install: $$missing (PDFs need them)"; \
	fi

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

.PHONY: install
install: system-deps $(STAMP) ## create the virtualenv and install the pinned Python packages
	@command -v msgfmt >/dev/null && $(BIN)/python manage.py compilemessages -v 0 --ignore=.venv || true
	@$(BIN)/python manage.py build_certificate_font --skip-checks >/dev/null

.PHONY: run
run: install ## run the whole portal with demo data on embedded defaults (SQLite, Celery eager)
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo
	@echo "Portal: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/   API: http://$(HOST):$(PORT)/api/docs/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

.PHONY: test
test: install ## run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	$(BIN)/pytest -q

.PHONY: chaos
chaos: install chaos-tools dast-venv ## Tier 1 + 2 fault injection, load, DAST and restore drills (needs DATABASE_URL, REDIS_URL; ~50 min); table into docs/reliability.md
	CHAOS_TIER2=1 CHAOS_WRITE_DOCS=1 timeout 4200 $(BIN)/python -m pytest -q -p no:randomly -p tests.chaos.report -m chaos tests/chaos

# locust runs in a venv of its own: gevent's monkey-patching must not reach the test process.
CHAOS_VENV := var/chaos-venv
.PHONY: chaos-tools
chaos-tools: $(CHAOS_VENV)/bin/locust

$(CHAOS_VENV)/bin/locust:
	test -x $(CHAOS_VENV)/bin/python || $(PYTHON) -m venv $(CHAOS_VENV)
	$(CHAOS_VENV)/bin/pip install -q locust==2.47.0

# wapiti and sqlmap (SEC-IN-03) in a venv of their own: they pin many packages, and wapiti 3.3 needs
# Python >= 3.12 (a pyenv build on the reference machine). Without it the DAST test skips and says so.
DAST_VENV := var/dast-venv
DAST_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) $(shell command -v python3.12))
.PHONY: dast-venv
dast-venv: ## wapiti and sqlmap for SEC-IN-03, in their own venv
	test -x $(DAST_VENV)/bin/wapiti -a -x $(DAST_VENV)/bin/sqlmap || { \
	  test -n "$(DAST_PYTHON)" || { echo "dast-venv needs Python >= 3.12" >&2; exit 1; }; \
	  $(DAST_PYTHON) -m venv $(DAST_VENV) && \
	  $(DAST_VENV)/bin/pip install -q wapiti3==3.3.2 sqlmap==1.10.10; }

.PHONY: chaos-load-calibrate
chaos-load-calibrate: install chaos-tools ## REL-LD-01/02 with CHAOS_LOAD_CALIBRATE=1: rewrites tests/chaos/load/baseline.json (commit it)
	CHAOS_TIER2=1 CHAOS_LOAD_CALIBRATE=1 timeout 1800 $(BIN)/python -m pytest -q -p no:randomly -m chaos tests/chaos/test_load.py

.PHONY: e2e
e2e: install ## the browser journeys in Debian's Chromium (needs DATABASE_URL, REDIS_URL, chromium)
	$(BIN)/pytest -q -p no:randomly tests/e2e

.PHONY: quality
quality: install ## Lighthouse scores of the journey's pages into docs/quality.md (needs DATABASE_URL, REDIS_URL, chromium, npm)
	npm ci --prefix tools/lighthouse --no-audit --no-fund --ignore-scripts
	$(BIN)/python benchmarks/lighthouse.py

# Security tools (semgrep, bandit, CycloneDX) in a venv of their own, pinned in tools/security-tools.txt:
# semgrep pins its own versions of common packages, which must not move the portal's.
TOOLS := var/tools-venv
TOOLS_STAMP := $(TOOLS)/.installed
# Our code: what bandit and semgrep scan (tests and migrations are left out: pyproject [tool.bandit]).
CODE := portal core accounts notifications matters certificates applications supervision audit tools
# Local rules only, and nothing phones home (metrics, version check): works offline.
SEMGREP := SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off $(TOOLS)/bin/semgrep scan --metrics=off --disable-version-check

$(TOOLS_STAMP): tools/security-tools.txt
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q --upgrade pip
	$(TOOLS)/bin/pip install -q -r tools/security-tools.txt
	touch $(TOOLS_STAMP)

.PHONY: security-tools
security-tools: $(TOOLS_STAMP) ## install semgrep, bandit and CycloneDX into var/tools-venv

.PHONY: lint
lint: install security-tools ## ruff, mypy, import-linter, migrations (missing, unsafe), bandit, semgrep
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=tools.migration_lint_settings $(BIN)/python manage.py lintmigrations -q ok ignore
	$(TOOLS)/bin/bandit -c pyproject.toml -r $(CODE) -ll -ii -q
	$(SEMGREP) --test --config .semgrep/tongban.yml .semgrep/tongban.py
	$(SEMGREP) --config .semgrep/ --exclude migrations --error --quiet $(CODE)

.PHONY: supply-chain
supply-chain: install security-tools ## CFG-04: security packages at their latest patch release; SBOM into var/sbom.json
	$(BIN)/python tools/check_security_patches.py
	$(TOOLS)/bin/cyclonedx-py environment --pyproject pyproject.toml --mc-type application --of JSON \
		--output-reproducible --no-validate -o var/sbom.json $(BIN)/python
	@$(BIN)/python -c 'import json; c = json.load(open("var/sbom.json"))["components"]; \
		assert any(x["name"] == "Django" for x in c), "no Django in the SBOM"; print(f"var/sbom.json: {len(c)} components")'

# CFG-06: a unit tier with the broker on a closed port, in 3 random orders. Tests that mean to use
# a broker (tests/flows, chaos, e2e) are not in it. Other seeds: make unit-hygiene SEEDS="7 8 9".
UNIT_TIER := tests/core tests/notifications
CLOSED_BROKER := redis://127.0.0.1:1/0
SEEDS ?= 1 2 3

.PHONY: unit-hygiene
unit-hygiene: install ## CFG-06: the unit tier with no broker, under 3 random orders (needs DATABASE_URL)
	@CELERY_BROKER_URL=$(CLOSED_BROKER) DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python -c \
		'import django; django.setup(); from portal.celery import app; import sys; \
		url = app.connection_for_write().as_uri(); print("CFG-06 broker:", url); \
		sys.exit(0 if "127.0.0.1:1/" in url else "CFG-06: the tests would not use the closed broker")'
	@for seed in $(SEEDS); do \
		echo "CFG-06 random order: --randomly-seed=$$seed"; \
		CELERY_BROKER_URL=$(CLOSED_BROKER) $(BIN)/pytest -q -p randomly --randomly-seed=$$seed $(UNIT_TIER) || exit 1; \
	done

.PHONY: check
check: lint test ## lint and test, as CI does

.PHONY: fmt
fmt: install ## format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Tools the benchmarks drive the stack with (wrk for anonymous pages, pgbench for the ceiling).
BENCH_PACKAGES := wrk postgresql-client

.PHONY: bench-deps
bench-deps:
	@missing=$$(for p in $(BENCH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	elif [ -n "$$missing" ]; then echo "Please install: $$missing"; fi

.PHONY: bench
bench: install bench-deps ## the whole suite: seed, real stack, every journey against in-run ceilings (benchmarks/README.md)
	$(BIN)/python benchmarks/suite.py

.PHONY: bench-catalogue
bench-catalogue: install bench-deps ## the catalogue at 100,000 matters: guide pages and search with wrk
	$(BIN)/python benchmarks/catalogue.py

.PHONY: bench-applications
bench-applications: install ## submissions, uploads and a 1M-case clerk queue on PostgreSQL (benchmarks/README.md)
	$(BIN)/python benchmarks/applications.py

.PHONY: bench-certificates
bench-certificates: install ## 1,000 certificates issued by 2 Celery workers on PostgreSQL + Redis, with C_pdf
	$(BIN)/python benchmarks/certificate_render.py
	$(BIN)/python benchmarks/certificates.py
	$(BIN)/python benchmarks/queue_throughput.py

.PHONY: bench-supervision
bench-supervision: install ## the supervision dashboard over 1M cases and 200k ratings on PostgreSQL (benchmarks/README.md)
	$(BIN)/python benchmarks/supervision.py

.PHONY: bench-scaleout
bench-scaleout: install ## 1 vs 2 web replicas behind nginx and 1 vs 2 Celery workers on one machine (needs nginx)
	$(BIN)/python benchmarks/scaleout.py

.PHONY: up
up: ## the production-shaped stack in Docker (nginx, gunicorn replicas, Celery workers and beat, PostgreSQL, Redis)
	docker compose up --build -d

.PHONY: down
down: ## stop the Docker stack
	docker compose down
