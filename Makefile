# Two commands for a new user; each makes its own virtual environment in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install schema build-model train evaluate lint clean

$(BIN)/ncpi-extract: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/python -m compileall -q src  # an editable install compiles nothing; some machines never write .pyc files
	touch $@

install: $(BIN)/ncpi-extract

## demo: install, then extract the bundled example release and print its JSON
demo: install
	$(BIN)/ncpi-extract parse fixtures/cleveland_2017_seed.txt --pretty

## test: install, then run the linter and the whole test suite
test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -q

schema: install
	$(BIN)/ncpi-extract schema > schemas/release.schema.json

build-model: install
	$(BIN)/ncpi-extract build

train: install
	$(BIN)/ncpi-extract train

evaluate: install
	$(BIN)/ncpi-extract evaluate fixtures

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
