# 地域資源ポータル — `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps run test test-fast lint format bench collectstatic

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python python3.11
	@touch $@

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==0.13.9"

system-deps: node_modules/.installed
	@bash scripts/system-deps.sh

# axe-core for the accessibility checks of the browser tests.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install system-deps lint
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not e2e"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	@bash scripts/system-deps.sh bench
	$(PY) manage.py bench

collectstatic: install
	$(PY) manage.py collectstatic --noinput
