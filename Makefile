# Maillage — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := maillage.config.settings

.PHONY: run setup test bench lint format messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

maillage/static/vendor/htmx.min.js: node_modules/.installed scripts/build-assets.mjs
	npm run --silent build

setup: $(VENV)/.installed maillage/static/vendor/htmx.min.js
	$(BIN)/python manage.py maillage_setup

run: setup
	@echo "Maillage : http://127.0.0.1:$(PORT)/"
	$(BIN)/uvicorn maillage.config.asgi:application --host 127.0.0.1 --port $(PORT) --log-level warning

test: $(VENV)/.installed maillage/static/vendor/htmx.min.js
	bash scripts/test.sh

bench: $(VENV)/.installed maillage/static/vendor/htmx.min.js
	$(BIN)/python benchmarks/run.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages:
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules
	$(BIN)/python manage.py compile_translations

clean:
	rm -rf $(VENV) node_modules maillage/static/vendor staticfiles var
