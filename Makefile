# The dystonia assistant. Quick start: `make run` (chat), `make test` (whole test suite).
# Every target installs what is missing first; `rasa train` retrains only when data changed.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Rasa 3.6 and its pinned dependencies print pages of deprecation warnings at start-up.
export PYTHONWARNINGS := ignore

# Rasa 3.6 needs Python 3.8-3.10: take python3.10 from PATH, else from pyenv.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /root/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo "$$p"; break; }; done)

RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055
WEB_PORT ?= 8080

.PHONY: install train run shell test validate bench audit clean

install: $(VENV)/.installed web/node_modules/.installed /usr/bin/chromium

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-browser.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is required (Rasa 3.6 supports 3.8-3.10)"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt -r requirements-browser.txt
	touch $@

web/node_modules/.installed: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --silent
	touch $@

# Debian's Chromium, for the browser tests (Playwright's own browser download needs a network).
/usr/bin/chromium:
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
		|| sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium' >/dev/null

train: $(VENV)/.installed
	$(RASA) train --quiet

run: install train
	$(PY) -m serving.run --rasa-port $(RASA_PORT) --actions-port $(ACTIONS_PORT) --web-port $(WEB_PORT)

# `rasa shell` needs the action server: start it for the length of the shell.
shell: $(VENV)/.installed train
	@mkdir -p run
	$(PY) -m rasa_sdk --actions actions --port 5055 > run/actions.log 2>&1 & \
	trap "kill $$! 2>/dev/null" EXIT; \
	$(RASA) shell --endpoints endpoints.yml --quiet

validate: $(VENV)/.installed
	$(RASA) data validate --fail-on-warnings

test: install train validate
	$(PY) -m pytest

bench: install train
	$(PY) -m benchmark

audit:
	scripts/audit.sh

clean:
	rm -rf run results .pytest_cache
