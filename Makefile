# jamsos: thin aliases over the `jamsos` command. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
KERNEL := jamsos

.DEFAULT_GOAL := help
.PHONY: help report test clean-data bench lab

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

bench: $(VENV)/.installed-test ## quick benchmark check (6 regions, the charts, 100k rows); full runs: bench/README.md
	$(BIN)/jamsos clean
	$(BIN)/python bench/bench_monthly.py --data data/processed --regions 6 --reps 1
	$(BIN)/python bench/bench_charts.py --data data/processed --reps 1
	$(BIN)/python bench/reconcile/bench_reconcile.py --sizes 100000

lab: $(VENV)/.installed ## JupyterLab on notebooks/ with the jamsos kernel (cleans the shipped data first if needed)
	@test -f data/processed/manifest.json || $(BIN)/jamsos clean
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)
