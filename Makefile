# jamsos: thin aliases over the `jamsos` command. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
KERNEL := jamsos

.DEFAULT_GOAL := help
.PHONY: help report test clean-data monthly bench lint

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (jamsos)" >/dev/null
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

report: $(VENV)/.installed ## clean the shipped data and render this month's reports into reports/
	$(BIN)/jamsos clean
	$(BIN)/jamsos monthly

test: $(VENV)/.installed-test ## run the test suite (pytest)
	$(BIN)/python -m pytest

clean-data: $(VENV)/.installed ## raw -> processed only (jamsos clean)
	$(BIN)/jamsos clean

bench: $(VENV)/.installed-test ## run the benchmarks in bench/ (slow; see bench/README.md)
	$(BIN)/python bench/run_all.py
