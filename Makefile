# Chinese legal intake assistant (Rasa Open Source 3.6).
# `make help` lists the targets. The README quickstart is exactly these commands.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
MODEL  := models/intake.tar.gz
# The domain is a directory: domain.yml by hand, the questionnaires generated.
DOMAIN := domain
STAMP  := $(VENV)/.installed
# The chat widget's browser library (socket.io-client), installed from web/package-lock.json.
WEB_STAMP := web/node_modules/.installed
# Rasa telemetry (Segment) and its Sentry crash reports send data abroad: off for every
# rasa command here unless set (issue 16, M10).
RASA_TELEMETRY_ENABLED ?= false
export RASA_TELEMETRY_ENABLED

# What the model is trained from: retrain when (and only when) one of these changed.
# The practice-area registry gives the case-type model its labels (intent -> case type);
# the core's text normalisation shapes every feature the NLU learns.
TRAINING_INPUTS := config.yml $(wildcard $(DOMAIN)/*.yml) content/practice_areas.yml \
	$(addprefix intake_core/,practice_areas.py case_types.py text.py) \
	$(shell find data intake_nlu intake_dialogue -type f \( -name '*.yml' -o -name '*.txt' -o -name '*.py' \) 2>/dev/null)

export PYTHONPATH := $(CURDIR)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help run shell test lint eval simulate bench profile install db generate model browser constraints clean fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: install db model ## set up, train if needed, start actions (5055), Rasa + chat page (5005), console (5006)
	scripts/run.sh

shell: install db model ## talk to the assistant in the Rasa shell
	scripts/shell.sh

test: install browser ## set up, lint and validate data, pytest, train, rasa test stories
	$(PY) -m actions.questionnaires.generate --check
	$(MAKE) lint
	@# The model trains in the background while the tests that need none run (the two
	@# together take about as long as the slower one); its log goes to var/results/train.log.
	@mkdir -p var/results
	@echo "training the model in the background: var/results/train.log"
	@$(MAKE) model > var/results/train.log 2>&1 & training=$$!; \
	$(PY) -m pytest -m "not model"; tests=$$?; \
	wait $$training; trained=$$?; \
	if [ $$trained -ne 0 ]; then tail -n 40 var/results/train.log; echo "training failed"; \
	else tail -n 1 var/results/train.log; fi; \
	[ $$tests -eq 0 ] && [ $$trained -eq 0 ]
	$(PY) -m pytest -m model
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml \
		--fail-on-prediction-errors --out var/results

# The quality gates (issue 17): lint over the tree, the core formatted and strictly typed, and
# `rasa data validate` failing on any warning the code does not explain (scripts/validate_data.py).
lint: install ## ruff, ruff format --check intake_core, mypy intake_core, rasa data validate without excused warnings
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check intake_core
	$(VENV)/bin/mypy intake_core
	$(PY) scripts/validate_data.py --domain $(DOMAIN) --data data --config config.yml

eval: install model ## NLU figures: held-out set, real questions, safety recall
	$(PY) scripts/evaluate_nlu.py --model $(MODEL)

# Simulated callers: the shared simulator beside the repository (CI has it) by default;
# PERSONAS=tests/callers/personas.yml runs ours, SIMULATOR=tests/callers/simulate.py without ../shared.
SIMULATOR ?= ../shared/callers/simulate.py
simulate: install model ## simulated callers against a fresh assistant (PERSONAS=file, SIMULATOR=file)
	$(PY) scripts/simulate.py --simulator $(SIMULATOR) $(if $(PERSONAS),--personas $(PERSONAS))

# The benchmark of issue 18: a tool, not a timed test. Starts a fresh assistant as `simulate`
# does, drives simulated callers through whole intakes over REST and socket.io at each number of
# callers, measures the parse-only floor in the same run and writes its block of docs/benchmark.md.
# BENCH_CALLERS="1 20 50", BENCH_SECONDS=60 per row (or BENCH_INTAKES=<intakes per caller>),
# BENCH_CHANNELS="rest socketio", BENCH_LABEL=<a line above the table>, BENCH_REPLICAS=2 (two Rasa
# replicas on PostgreSQL and Redis behind a round-robin proxy, with BENCH_CHANNELS=rest); scripts/bench.py --help.
bench: install model ## simulated callers at 1, 20, 50 over REST and socket.io; table in docs/benchmark.md
	$(PY) scripts/bench.py

# Where one caller's turn spends its time (issue 18): py-spy samples both servers during a few
# intakes; prints CPU ms per turn by part for docs/performance.md. PROFILE_INTAKES=8.
PROFILE_INTAKES ?= 8
profile: install model ## CPU time of a turn by part (NLU, policies, tracker store, action calls), py-spy
	$(PY) scripts/profile_turns.py --intakes $(PROFILE_INTAKES)

# Bad input, measured (issue 15): the property-based tests of every public entry point with
# 10,000 generated inputs each (`make test` runs the same file with a few dozen). FUZZ_K=rest
# (socketio, wechat, record, console) runs one entry point; the counts land in var/results/.
FUZZ_EXAMPLES ?= 10000
fuzz: install model ## bad-input property tests, 10,000 inputs per entry point (FUZZ_K=rest|socketio|wechat|record|console)
	@mkdir -p var/results
	BAD_INPUT_EXAMPLES=$(FUZZ_EXAMPLES) BAD_INPUT_COUNTS=var/results/bad_input$(if $(FUZZ_K),_$(FUZZ_K)).json \
		$(PY) -m pytest tests/test_bad_input.py -m model -q -p no:cacheprovider $(if $(FUZZ_K),-k $(FUZZ_K)) \
		--durations=0

install: $(STAMP) $(WEB_STAMP) ## create the virtual environment and install pinned dependencies

db: install ## apply database migrations (DATABASE_URL, default SQLite in var/)
	@mkdir -p var
	@# 0007 encrypts case contents: the local key (var/encryption-keys) when none is set.
	PYTHON=$(VENV)/bin/python . scripts/local-keys.sh && $(VENV)/bin/alembic upgrade head

generate: install ## write the questionnaires' slots, forms, questions and rules from content/questionnaires.yml
	$(PY) -m actions.questionnaires.generate

# generate first: a questionnaire edit changes the generated files, hence the model.
model: generate $(MODEL) ## train the model if its inputs changed

browser: ## install Debian's chromium and a CJK font for the browser tests
	scripts/install-browser.sh

constraints: install ## re-pin constraints.txt from the current environment
	{ sed -n '1,2p' constraints.txt; $(VENV)/bin/pip freeze --exclude-editable \
		| grep -v -E '^(pip|setuptools|wheel)=='; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean: ## remove trained models and test results (keeps var/ data)
	rm -rf models var/results

$(STAMP): requirements.txt constraints.txt
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet "pip==24.0"
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(WEB_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "The chat widget needs Node.js and npm (npm ci in web/)." >&2; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	@started=$$(date +%s); \
	$(RASA) train --domain $(DOMAIN) --data data --config config.yml \
		--out models --fixed-model-name intake && \
	echo $$(( $$(date +%s) - started )) > models/training-seconds.txt && \
	touch -d "@$$started" $@  # an input edited during training makes the model stale
