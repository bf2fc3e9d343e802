# `make run` and `make test` are all a fresh clone needs (plus Python 3.11 and, for PDFs, Pango).
.DEFAULT_GOAL := help
.PHONY: help install run test lint format bench clean vendor vendor-check

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
	@echo "make bench  the production setup over HTTP against a bare Django view, the plan PDFs, and the knee-angle model (bench/)"
	@echo "make vendor fetch the pose model (npm) into static/vendor/, record versions and checksums"

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py retention --schedule
	@# The job worker (the Procfile's `worker`, reloading on code changes) runs beside the
	@# development server and stops with it.
	$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP) vendor-check
	node --test tests/js/
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

# The knee-angle tool's pose model, committed under static/vendor/ with its licence. `make vendor`
# fetches the pinned npm package into a temporary folder, copies only what the browser loads
# (the lite model, the SIMD WebAssembly build), and writes VERSIONS and SHA256SUMS beside them;
# `make vendor-check` (part of `make test`) verifies the committed files against SHA256SUMS.
POSE_PACKAGE := @mediapipe/pose
POSE_VERSION := 0.5.1675469404
POSE_DIR := static/vendor/mediapipe-pose
POSE_FILES := pose.js pose_solution_packed_assets_loader.js pose_solution_packed_assets.data \
	pose_solution_simd_wasm_bin.js pose_solution_simd_wasm_bin.wasm pose_web.binarypb \
	pose_landmark_lite.tflite

vendor:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	(cd "$$tmp" && npm pack --silent "$(POSE_PACKAGE)@$(POSE_VERSION)" >/dev/null && tar xzf *.tgz) && \
	test "$$(node -p "require('$$tmp/package/package.json').license")" = Apache-2.0 && \
	rm -rf $(POSE_DIR) && mkdir -p $(POSE_DIR) && \
	for f in $(POSE_FILES) package.json; do install -m 0644 "$$tmp/package/$$f" $(POSE_DIR)/; done && \
	install -m 0644 /usr/share/common-licenses/Apache-2.0 $(POSE_DIR)/LICENSE && \
	{ echo "$(POSE_PACKAGE) $(POSE_VERSION) Apache-2.0"; \
	  echo "npm tarball sha256 $$(sha256sum "$$tmp"/*.tgz | cut -d' ' -f1)"; \
	  echo "The package ships no licence file: LICENSE is the Apache-2.0 text its package.json names."; \
	} > $(POSE_DIR)/VERSIONS && \
	(cd $(POSE_DIR) && sha256sum $(POSE_FILES) package.json LICENSE VERSIONS > SHA256SUMS)
	@$(MAKE) --no-print-directory vendor-check

vendor-check:
	@cd $(POSE_DIR) && sha256sum --quiet --check SHA256SUMS && echo "$(POSE_DIR): checksums match"

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
	$(PY) bench/pdf.py
	$(PY) bench/knee_angle.py
