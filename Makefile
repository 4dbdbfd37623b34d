# Safe-migration SMS and chat service. `make help` lists the targets.
VENV := .venv
PY := $(VENV)/bin/python
RASA := RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 $(VENV)/bin/rasa
SOURCES := bot actions webhook rasa_addons tests scripts
POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help setup run test test-postgres lint format validate train nlu-report triage-report bench lock clean docker-build chromium

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock scripts/setup.sh
	scripts/setup.sh

setup: $(VENV)/.installed ## create .venv from the lock file (seconds when nothing changed)

run: setup ## set up, migrate, train if stale, start action server + Rasa + webhook (Ctrl-C stops all)
	$(PY) -m bot run

train: setup ## train the Rasa model if config, domain or data changed
	$(PY) -m bot train

lint: setup ## ruff lint and format check
	$(VENV)/bin/ruff check $(SOURCES)
	$(VENV)/bin/ruff format --check $(SOURCES)

format: setup ## apply ruff's fixes and formatter
	$(VENV)/bin/ruff check --fix $(SOURCES)
	$(VENV)/bin/ruff format $(SOURCES)

chromium: ## install Debian's Chromium for the console's browser test, if missing (apt-get; sudo unless root)
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

validate: setup ## rasa data validate (domain, data, stories)
	$(RASA) data validate --domain domain.yml --data data/nlu data/stories data/rules --config config.yml

test: lint validate train chromium ## every check: lint, validate, train, pytest (unit + end-to-end), conversation tests
	$(PY) -m pytest
	$(RASA) test core --model "$$($(PY) -m bot train | tail -n 1)" --stories tests/test_stories.yml \
		--fail-on-prediction-errors --out reports/rasa-test

test-postgres: setup chromium ## pytest again on a fresh PostgreSQL database (created and dropped)
	scripts/with-postgres-db.sh "$(POSTGRES_URL)" $(PY) -m pytest

nlu-report: setup ## 5-fold cross-validation + held-out test, per language form, into reports/nlu/ (~20 min)
	$(PY) scripts/nlu_report.py

triage-report: setup ## triage on tests/eval/triage/ beside a TF-IDF baseline, per form, into reports/triage/ (~10 s)
	$(PY) scripts/triage_report.py

bench: setup ## print performance figures: registry, turn cost, gateway vs. Rasa alone, one vs. two Rasa servers (~30 min)
	$(PY) scripts/bench_registry.py
	$(PY) scripts/bench_tracker_store.py
	scripts/with-postgres-db.sh "$(POSTGRES_URL)" $(PY) scripts/bench_turn.py
	$(PY) scripts/bench_gateway.py
	scripts/with-postgres-db.sh "$(POSTGRES_URL)" $(PY) scripts/bench_scale.py
	scripts/with-postgres-db.sh "$(POSTGRES_URL)" $(PY) scripts/bench_queue.py

lock: ## recompile requirements.lock from requirements.in (pip-tools lives in .tools, never in .venv)
	test -x .tools/bin/pip-compile || (python3.10 -m venv .tools && .tools/bin/pip install -q pip-tools)
	.tools/bin/pip-compile --quiet --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock requirements.in

docker-build: ## build the container images of docker-compose.yml (needs a Docker engine)
	docker compose build

clean: ## remove generated files (venv, models, reports, caches); keeps instance/ (database and secrets)
	rm -rf $(VENV) models reports results .pytest_cache .ruff_cache
