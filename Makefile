# The dystonia assistant. Quick start: `make run` (chat), `make test` (whole test suite).
# Every target installs what is missing first; `rasa train` retrains only when data changed.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# `rasa` without the dependencies' deprecation warnings (see serving/quiet_rasa.py for why
# PYTHONWARNINGS cannot do it).
RASA := $(PY) -m serving.quiet_rasa
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
# SQLAlchemy's own switch for its 2.0 migration warning, which Rasa 3.6's tracker store raises.
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

# Rasa 3.6 needs Python 3.8-3.10: take python3.10 from PATH, else from pyenv.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /root/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo "$$p"; break; }; done)

RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055
WEB_PORT ?= 8080
RUN_DIR ?= run
# run-scaled: Rasa replicas behind HAProxy (on RASA_PORT), on ports from REPLICA_PORT up.
REPLICAS ?= 2
REPLICA_PORT ?= 5101
PG_PORT ?= 5433
REDIS_PORT ?= 6380

.PHONY: help install install-test train run run-scaled shell lint test validate bench audit insights forget clean

help:  ## this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

install: $(VENV)/.installed web/vendor/rasa-webchat.js  ## runtime only: virtualenv and widget, no root needed

# pytest, Playwright and Debian's Chromium: only the tests need them, and only Chromium needs root.
install-test: install $(VENV)/.installed-test /usr/bin/chromium  ## what the tests add (apt-get for Chromium)

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is required (Rasa 3.6 supports 3.8-3.10)"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-dev.txt requirements-browser.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt -r requirements-browser.txt
	touch $@

web/node_modules/.installed: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --silent
	touch $@

# The widget bundle the page loads, without its Google Fonts import (web/vendor_widget.py).
web/vendor/rasa-webchat.js: web/node_modules/.installed web/vendor_widget.py
	$(PY) web/vendor_widget.py

# Debian's Chromium, for the browser tests (Playwright's own browser download needs a network).
/usr/bin/chromium:
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
		|| sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium' >/dev/null

train: install  ## rasa train (Rasa skips it when nothing changed)
	$(RASA) train

run: install train  ## action server, Rasa and the chat page, until Ctrl-C
	$(PY) -m serving.run --rasa-port $(RASA_PORT) --actions-port $(ACTIONS_PORT) --web-port $(WEB_PORT) \
		--run-dir $(RUN_DIR)

# PostgreSQL 15, Redis and HAProxy from Debian (apt-get: needs root); the PostgreSQL cluster is
# the project's own, in $(RUN_DIR)/postgres. Passwords: DYSTONIA_DB_PASSWORD, DYSTONIA_REDIS_PASSWORD.
run-scaled: install train /usr/bin/redis-server /usr/sbin/haproxy /usr/lib/postgresql/15/bin/initdb  ## REPLICAS=2 Rasa servers behind HAProxy, PostgreSQL, Redis
	$(PY) -m serving.scaled --replicas $(REPLICAS) --rasa-port $(RASA_PORT) --replica-ports-from $(REPLICA_PORT) \
		--actions-port $(ACTIONS_PORT) --web-port $(WEB_PORT) --pg-port $(PG_PORT) --redis-port $(REDIS_PORT) \
		--run-dir $(RUN_DIR)

/usr/bin/redis-server /usr/sbin/haproxy /usr/lib/postgresql/15/bin/initdb:
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server haproxy postgresql-15) >/dev/null \
		|| sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server haproxy postgresql-15' >/dev/null

# `rasa shell` needs the action server: start it for the length of the shell, on the port
# endpoints.yml names.
shell: install train  ## rasa shell in this terminal, with the action server
	@mkdir -p $(RUN_DIR)
	$(PY) -m rasa_sdk --actions actions --port 5055 > $(RUN_DIR)/actions.log 2>&1 & \
	trap "kill $$! 2>/dev/null" EXIT; \
	$(RASA) shell --endpoints endpoints.yml --quiet

validate: install  ## rasa data validate --fail-on-warnings
	$(RASA) data validate --fail-on-warnings

lint: $(VENV)/.installed-test  ## ruff (lint and format check) and mypy, as set in pyproject.toml
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: install-test lint train validate  ## lint, then the whole test suite (what CI runs)
	$(PY) -m pytest

# About 25-30 minutes on 2 cores. `make bench ARGS=--quick` to try it out; `python -m benchmark --help`.
bench: install train  ## project vs the stock rasa init bot -> docs/benchmark.md, docs/benchmark.svg
	$(PY) -m benchmark $(ARGS)

audit:  ## dependency audit (pip-audit); reports, never fails
	scripts/audit.sh

# Reads the tracker store in endpoints.yml; `make insights ARGS="--since 2026-11-01"` passes options.
insights: $(VENV)/.installed  ## report on the conversations -> reports/insights.html
	$(PY) -m insights $(ARGS)

# `make forget OLDER_THAN=30d` (or 12h, 2w) or `make forget SENDER=<id>`; see README.
forget: $(VENV)/.installed  ## delete old conversations (OLDER_THAN=30d) or one person's (SENDER=id)
	$(PY) -m insights.forget $(if $(OLDER_THAN),--older-than='$(OLDER_THAN)') $(if $(SENDER),--sender='$(SENDER)')

clean:  ## remove conversations, logs and test results
	rm -rf run results .pytest_cache
