# Local single-node Kafka 4.x (KRaft) for development and integration tests.
# Included from the main Makefile:  include mk/kafka.mk
# Env knobs (see scripts/kafka/kafka.sh): KAFKA_STATE_DIR, KAFKA_PORT,
# KAFKA_CONTROLLER_PORT, PYTHON, KAFKA_UP_TIMEOUT.

KAFKA_SH ?= bash $(dir $(lastword $(MAKEFILE_LIST)))../scripts/kafka/kafka.sh

.PHONY: kafka-fetch kafka-up kafka-down kafka-restart kafka-status

kafka-fetch: ## Download the Kafka broker jars (Maven Central) into .kafka/lib
	$(KAFKA_SH) fetch

kafka-up: ## Start the local Kafka broker and wait until it answers
	$(KAFKA_SH) up

kafka-down: ## Stop the local Kafka broker
	$(KAFKA_SH) down

kafka-restart: ## Restart the local Kafka broker, keeping its data
	$(KAFKA_SH) restart

kafka-status: ## Show whether the local Kafka broker runs and answers
	$(KAFKA_SH) status
