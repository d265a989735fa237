# Everything bootstraps itself: a fresh machine needs only python3 and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint bench clean

# mypy --strict holds for the whole package (tests/typing/test_typing.py keeps it so).
MYPY_STRICT := src/palaver

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

# The demo installs only what it needs (the package and its plotting extra), runs
# and records a TripsWorld, and ends by writing the recording's HTML report.
DEMO_STAMP := $(VENV)/.demo-installed
DEMO := build/demo

$(DEMO_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[report]"
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	rm -rf $(DEMO)
	$(VENV)/bin/palaver run trips --agents 10 --steps 20 --seed 1 --record $(DEMO)/recording
	$(VENV)/bin/palaver report $(DEMO)/recording -o $(DEMO)/report.html
	@echo "demo report: $(CURDIR)/$(DEMO)/report.html"

test: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -m mypy --strict $(MYPY_STRICT)
	$(PY) -m pytest

# The fast lane: everything but the tests marked slow (see tests/conftest.py).
test-fast: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(PY) -m mypy --strict $(MYPY_STRICT)

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache build dist
