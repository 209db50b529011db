# The README's two commands: `make run` and `make test`. Both set up .venv first.
# Python 3.12+: pyenv's shim (.python-version), else an installed pyenv version, else python3.
PYTHON ?= $(shell for p in python3.12 python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3 python3; \
	do command -v $$p >/dev/null 2>&1 && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test lint format system-deps bench replay-demo clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
		{ echo "Python 3.12 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the project and its tools into $(VENV) (once; a minute or two) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@# PYTHONWARNINGS: setuptools' editable-install advice is for package authors, not users.
	@PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

# scripts/run.sh: migrate, seed, start web + worker + beat (honcho, which reads .env when
# there is one), then the banner. `make run VERBOSE=1` shows every log line. `exec`, so that
# on Ctrl-C no shell between make and the script dies of the interrupt and make reports no error.
run: $(STAMP)
	@VERBOSE=$(VERBOSE) exec scripts/run.sh

test: lint system-deps $(AXE)
	$(BIN)/python scripts/compile_messages.py
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Lint, the format check, type checks (mypy with django-stubs) and which of our packages may
# import which (import-linter); all configured in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache --no-logo

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

system-deps:
	@scripts/system-deps.sh

# axe-core (package.json) for the browser tests' accessibility checks; reinstalled when the
# lock file changes. Order-only on system-deps, which installs node and npm when missing.
$(AXE): package-lock.json | system-deps
	npm ci --no-audit --no-fund
	@touch $@

bench: $(STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# The release check of a new pre-screen ruleset on demo data: seed a throwaway SQLite database
# (screened with the current ruleset), then replay it against the previous one.
REPLAY_INTAKES ?= 200
replay-demo: $(STAMP)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	export DATABASE_URL="sqlite:///$$tmp/demo.sqlite3" VAR_DIR="$$tmp" && \
	$(BIN)/python manage.py migrate --noinput --verbosity 0 && \
	$(BIN)/python manage.py seed_demo --intakes $(REPLAY_INTAKES) --seed 1 >/dev/null 2>&1 && \
	$(BIN)/python manage.py prescreen_replay --ruleset knee-v2 --baseline knee-v1

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache node_modules test-artifacts
