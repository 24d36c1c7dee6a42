# Lintel — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit screenshots bench clean os-deps

$(STAMP): requirements.lock pyproject.toml scripts/os-deps
	@scripts/os-deps runtime
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

os-deps:
	@scripts/os-deps runtime

run: $(STAMP)
	$(BIN)/lintel gui

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

test: lint typecheck unit

screenshots: $(STAMP)
	@scripts/os-deps screenshots
	$(BIN)/python scripts/screenshots.py docs/screenshots

bench: $(STAMP)
	$(BIN)/python benchmarks/decisions.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
