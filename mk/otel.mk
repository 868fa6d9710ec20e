# The OpenTelemetry Collector for the end-to-end test, built with the OpenTelemetry
# Collector Builder (ocb). Included from the main Makefile:  include mk/otel.mk
#
# ocb is `go install`ed, pinned, into TOOLS_DIR (outside the repository, as mk/helm.mk does),
# and builds otelcol-logscrub from otel/builder-config.yaml. The collector's directory is
# named for the core release and a hash of the manifest, so a changed manifest builds anew
# and an unchanged one is skipped. The build is long (many Go modules): it runs under nice.

OTELCOL_VERSION ?= v0.165.0
TOOLS_DIR ?= $(HOME)/.cache/logscrub-tools
OTEL_MANIFEST := otel/builder-config.yaml
OTEL_MANIFEST_HASH := $(shell sha256sum $(OTEL_MANIFEST) | cut -c1-12)
OCB := $(TOOLS_DIR)/ocb-$(OTELCOL_VERSION)/builder
OTELCOL_DIR := $(TOOLS_DIR)/otelcol-$(OTELCOL_VERSION)-$(OTEL_MANIFEST_HASH)
OTELCOL := $(OTELCOL_DIR)/otelcol-logscrub

.PHONY: otel-tools otelcol-path

$(OCB):
	GOBIN=$(dir $@) nice go install go.opentelemetry.io/collector/cmd/builder@$(OTELCOL_VERSION)

# Build in a scratch directory beside the result, then move the binary into place, so an
# interrupted build never leaves a binary that looks finished.
$(OTELCOL): $(OCB)
	rm -rf $(OTELCOL_DIR)/build && mkdir -p $(OTELCOL_DIR)
	cp $(OTEL_MANIFEST) $(OTELCOL_DIR)/builder-config.yaml
	cd $(OTELCOL_DIR) && nice $(OCB) --config builder-config.yaml
	mv $(OTELCOL_DIR)/build/otelcol-logscrub $@
	rm -rf $(OTELCOL_DIR)/build

otel-tools: $(OTELCOL)

# The tests read the binary's path from here (LOGSCRUB_OTELCOL), so they never guess it.
otelcol-path:
	@echo $(OTELCOL)
