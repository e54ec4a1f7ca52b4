# Two commands do all the set-up: `make build` and `make test`.
# Each creates the virtual environment when it is missing (or when pyproject.toml changed).
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed

.PHONY: build test venv clean

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

build: $(STAMP)
	$(VENV)/bin/gcm-graph build

test: $(STAMP)
	$(VENV)/bin/python -m pytest

clean:
	rm -rf dist
