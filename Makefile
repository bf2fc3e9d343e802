# `make run` and `make test` are all a fresh clone needs (plus Python 3.11 and, for PDFs, Pango).
.DEFAULT_GOAL := help
.PHONY: help install run test lint format bench clean

PYTHON ?= $(shell command -v python3.11 || command -v python3)
# `make run PORT=8001` serves on another port when 8000 is taken.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

help:
	@echo "make run    set up .venv, migrate, serve http://127.0.0.1:8000 (SQLite; PORT=8001 for another) and run the job worker"
	@echo "make test   set up .venv and run the whole test suite"
	@echo "make lint   ruff, ruff format --check, mypy, import-linter"
	@echo "make bench  the production setup over HTTP against a bare Django view (bench/http_load.py)"

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	@# The job worker (the Procfile's `worker`, reloading on code changes) runs beside the
	@# development server and stops with it.
	$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# CPU per request of the product (production settings, gunicorn, concurrent clients) against a
# bare Django view, the step page beside PDF renders by the job worker, and that worker's memory.
# BENCH_PARTS=cpu,pdf,memory picks parts; BENCH_PDFS sets the memory run's length.
bench: $(STAMP)
	$(PY) bench/http_load.py
