# The task file: every target here is what a developer and CI run.
# `make demo` and `make test` are the two set-up commands of the README.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install demo test test-postgres lint typecheck check lock clean bench-risk messages

$(STAMP): requirements/dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/alianza demo

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -n auto --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

# The pages' message catalogue: template from the code, merged into the Spanish (docs/development.md).
messages: $(STAMP)
	$(BIN)/python scripts/messages.py update
	$(BIN)/python scripts/messages.py check

# Re-resolve the locked dependencies after editing pyproject.toml.
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --extra risk --python-version 3.11 --generate-hashes -o requirements/dev.lock
	$(PYTHON) -m uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/main.lock
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --extra risk --extra risk-bench --python-version 3.11 --generate-hashes -o requirements/bench.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# The risk-targeting benchmark (issue 8): installs the anchors (XGBoost, CatBoost) into the venv.
bench-risk: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/bench.lock
	$(BIN)/python benchmarks/risk/run.py
