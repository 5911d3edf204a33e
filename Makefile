# Two commands do all the set-up:
#   make demo   installs everything into .venv and starts the platform with demo data
#   make test   installs everything and runs the whole test suite (SQLite, then PostgreSQL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/facturier

.PHONY: demo test install install-test browser test-sqlite test-postgres bench messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

# Debian's Chromium drives the end-to-end tests; Playwright never downloads a browser.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || echo "chromium missing: end-to-end tests will be skipped"

demo: install
	$(BIN)/facturier serve --demo --port $(PORT)

test: install-test browser test-sqlite test-postgres

test-sqlite:
	$(BIN)/python -m pytest -n 2 -q

# The platform's tests again on PostgreSQL (the engine has no database: it runs once).
test-postgres:
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -n 2 -q facturier; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL run skipped"; \
	    [ -z "$$CI" ] || exit 1; fi

bench: install-test
	for script in bench/*.py; do $(BIN)/python $$script; done

# The English catalogue: collect the French msgids of every platform app into
# facturier/locale/en/LC_MESSAGES/django.po, then compile it. Needs GNU gettext;
# the compiled .mo is committed, so installing the platform never does.
messages: install
	cd facturier && PYTHONPATH=$(CURDIR) $(abspath $(BIN))/python -m facturier makemessages -l en --ignore=tests --add-location=file --no-obsolete
	cd facturier && PYTHONPATH=$(CURDIR) $(abspath $(BIN))/python -m facturier compilemessages -l en
