# Counterpart: two commands set everything up on a fresh Debian/Ubuntu machine.
#   make run   — create the virtual environment, install, start the app (ARGS=--demo for a demo shop)
#   make test  — install what the tests need (Debian packages too when root) and run the whole suite headless
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: run test lint bench bench-smoke screenshots system-deps clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Counterpart needs Python 3.11 or newer")'
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV) || (echo "Install python3-venv first: sudo apt-get install python3-venv" && exit 1)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

system-deps:
	@bash scripts/install-system-deps.sh

run: system-deps $(STAMP)
	$(PY) main.py $(ARGS)

test: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench $(BENCH_ARGS)

bench-smoke: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench --smoke

screenshots: system-deps $(STAMP)
	xvfb-run -a -s "-screen 0 1366x768x24" $(PY) scripts/take_screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
