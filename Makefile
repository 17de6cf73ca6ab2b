# Two commands matter (see README): `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m compileall -q netjournal >/dev/null  # as pip does for an installed package (bench/bytecode.py)
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/netjournal --demo

test: $(STAMP)
	$(PY) -m ruff check netjournal tests bench
	$(PY) -m mypy
	$(VENV)/bin/lint-imports  # the layers (pyproject.toml, [tool.importlinter])
	$(PY) -m pytest -n 2 -q

lint: $(STAMP)
	$(PY) -m ruff check netjournal tests bench
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) bench/run.py

screenshots: $(STAMP)
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .grimp_cache
