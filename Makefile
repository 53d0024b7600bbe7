# 地域資源ポータル — `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps messages run test test-fast lint format bench collectstatic

# The compiled catalogues (locale/*/LC_MESSAGES/*.mo) are built, not committed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

install: $(VENV)/.installed .secret_key $(MO_FILES)

# The settings refuse to start without a SECRET_KEY unless DEBUG is on: this
# machine's own random key, used when the environment gives none (production
# sets SECRET_KEY, the same on every host: README "Security").
.secret_key:
	@umask 077 && python3 -c "import secrets; print(secrets.token_urlsafe(50))" > $@

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python python3.11
	@touch $@

# Without gettext the portal runs in Japanese only; say so rather than fail.
locale/%.mo: locale/%.po | $(VENV)/.installed .secret_key
	@bash scripts/system-deps.sh messages
	@if command -v msgfmt >/dev/null 2>&1; then \
	  $(PY) manage.py compilemessages --verbosity 0; \
	else \
	  echo "gettext (msgfmt) is missing: pages are shown in Japanese only" >&2; \
	fi

# After changing user-facing strings: extract them into locale/en/LC_MESSAGES/django.po,
# then translate every entry msgfmt counts as untranslated or fuzzy
# (msgattrib --untranslated / --only-fuzzy locale/en/LC_MESSAGES/django.po lists them).
messages: $(VENV)/.installed .secret_key
	@bash scripts/system-deps.sh messages
	$(PY) manage.py makemessages --locale en
	@msgfmt --statistics --check -o /dev/null locale/en/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --verbosity 0

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==0.13.9"

system-deps: node_modules/.installed
	@bash scripts/system-deps.sh

# axe-core for the accessibility checks of the browser tests.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The web server and the job worker (manage.py db_worker) side by side; Ctrl-C stops both.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	DEBUG=1 bash scripts/serve.sh $(HOST):$(PORT)

test: install system-deps lint
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not e2e and not slow"

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
