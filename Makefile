# Two commands do all the set-up:
#   make demo   installs the platform into .venv and starts the platform with demo data
#   make test   installs everything and runs the whole test suite (SQLite, then PostgreSQL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/facturier

.PHONY: demo test install install-test browser ocr lint test-sqlite test-postgres bench bench-smoke bench-smoke-postgres lock messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs take their versions from requirements/constraints.txt, the set the tests
# passed with; `make lock` refreshes it (see the README).
CONSTRAINTS := requirements/constraints.txt
# Every benchmark script but the helpers they share; those that also run on PostgreSQL.
BENCHES := $(filter-out bench/support.py,$(wildcard bench/*.py))
PG_BENCHES := $(addprefix bench/,archive_verify.py client_list.py client_list_counters.py dashboard.py delivery_sweep.py \
	ereporting_build.py fec_export.py invoice_list.py issuing.py)

install: $(BIN)/python
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e .

# The tests cover every optional part: PostgreSQL, Redis tasks, S3 archive.
install-test: $(BIN)/python
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[test,postgres,rq,s3]'

# Debian's Chromium drives the end-to-end tests; Playwright never downloads a browser.
# axe-core (the accessibility check the browser tests inject) comes from the npm registry, as package-lock.json pins it.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || echo "chromium missing: end-to-end tests will be skipped"
	@{ command -v npm >/dev/null && npm ci --no-audit --no-fund --silent; } || echo "npm missing: the accessibility checks will be skipped"

# Tesseract with its French and English data reads scanned and photographed invoices (recognition);
# without it, only PDFs with a text layer are recognised and the OCR tests are skipped.
ocr:
	@command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -q fra || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng >/dev/null; } || echo "tesseract missing: scans and photos will not be recognised"

demo: install ocr
	$(BIN)/facturier serve --demo --port $(PORT)

test: install-test browser ocr lint test-sqlite bench-smoke test-postgres

# Ruff with the rules of pyproject.toml: new findings fail the build.
lint: install-test
	$(BIN)/ruff check .

test-sqlite:
	$(BIN)/python -m pytest -n 2 -q

# The platform's tests again on PostgreSQL (the engine has no database: it runs once).
test-postgres:
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -n 2 -q facturier && \
		$(MAKE) --no-print-directory bench-smoke-postgres; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL run skipped"; \
	    [ -z "$$CI" ] || exit 1; fi

bench: install-test
	for script in $(BENCHES); do $(BIN)/python $$script; done

# Every benchmark at a small size (BENCH_QUICK=1), two at a time: proves the scripts still
# run against today's code, measures nothing. Each makes its own throwaway SQLite database.
bench-smoke: install-test
	@printf '%s\n' $(BENCHES) | xargs -P 2 -I {} sh -c 'echo "quick run: {}"; \
		env -u DATABASE_URL BENCH_QUICK=1 $(BIN)/python {} >/dev/null'

# The same on the PostgreSQL server of PG_TEST_URL, for the scripts that take DATABASE_URL:
# each names its own database there, so that two can run at a time.
bench-smoke-postgres: install-test
	@printf '%s\n' $(PG_BENCHES) | xargs -P 2 -I {} sh -c 'echo "quick run on PostgreSQL: {}"; \
		DATABASE_URL=$(dir $(PG_TEST_URL))bench_$$(basename {} .py) BENCH_QUICK=1 $(BIN)/python {} >/dev/null'

# Pin the versions of every dependency, extras included, for any platform. Keeps the
# current pins and adds what pyproject.toml now asks; LOCK_OPTIONS=--upgrade moves all
# to their newest releases.
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --quiet --all-extras --universal --python-version 3.11 $(LOCK_OPTIONS) \
		--custom-compile-command "make lock" -o $(CONSTRAINTS) pyproject.toml

# The English catalogue: collect the French msgids of every platform app into
# facturier/locale/en/LC_MESSAGES/django.po, then compile it. Needs GNU gettext;
# the compiled .mo is committed, so installing the platform never does.
messages: install
	cd facturier && PYTHONPATH=$(CURDIR) $(abspath $(BIN))/python -m facturier makemessages -l en --ignore=tests --add-location=file --no-obsolete
	cd facturier && PYTHONPATH=$(CURDIR) $(abspath $(BIN))/python -m facturier compilemessages -l en
