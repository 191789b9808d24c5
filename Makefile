# shiftpractice: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run dev worker test install lint lock ci clean

run: install  ## Set up, load the demo and serve it as production does (gunicorn, DEBUG off) on 127.0.0.1:$(PORT) with a task worker.
	@PORT=$(PORT) scripts/run.sh

dev: install  ## For contributors: the demo on Django's autoreloading development server (DEBUG on) with a task worker.
	@PORT=$(PORT) scripts/dev.sh

worker: install  ## One more task worker (emails, PDFs, notifications), for a server started some other way.
	$(BIN)/python manage.py db_worker --interval 1

test: install  ## Run the whole test suite (SQLite, or the database DATABASE_URL names).
	@scripts/test.sh

install: $(VENV)/.installed node_modules/.installed
	@scripts/system-packages.sh

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else 1)' || \
	  { echo "shiftpractice needs Python 3.11 or newer: set PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: on Debian or Ubuntu install python3-venv"; exit 1; }

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: install  ## The static checks CI runs besides the tests.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

lock: $(BIN)/python  ## Re-resolve requirements.lock from pyproject.toml.
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv && .lockenv/bin/pip install --quiet -e '.[dev]'
	(echo '# Every Python package, pinned: runtime and development. Regenerate with `make lock` after changing pyproject.toml.'; \
	 .lockenv/bin/pip freeze --exclude-editable) > requirements.lock
	rm -rf .lockenv

ci:  ## What CI runs.
	bash .ci/run

clean:
	rm -rf $(VENV) node_modules staticfiles var db.sqlite3*
