# The Helm chart's tools and tests, all offline once installed.
# Included from the main Makefile:  include mk/helm.mk
#
# Tools are built from the Go module proxy with `go install`, pinned, into TOOLS_DIR (outside
# the repository, so that a fresh clone on the same machine reuses them). The CRD schemas of
# ServiceMonitor, PrometheusRule and ScaledObject come from the Go modules of their own
# projects at the pinned versions and are converted for kubeconform; the Kubernetes schemas
# come from the kubernetes-validate package in .venv.

HELM_VERSION ?= v3.19.0
KUBECONFORM_VERSION ?= v0.7.0
HELM_UNITTEST_VERSION ?= v1.0.1
PROMETHEUS_OPERATOR_VERSION ?= v0.85.0
KEDA_VERSION ?= v2.18.0
K8S_SCHEMA_VERSION ?= v1.33.0
TOOLS_DIR ?= $(HOME)/.cache/logscrub-tools

HELM := $(TOOLS_DIR)/helm-$(HELM_VERSION)/helm
KUBECONFORM := $(TOOLS_DIR)/kubeconform-$(KUBECONFORM_VERSION)/kubeconform
HELM_UNITTEST := $(TOOLS_DIR)/helm-unittest-$(HELM_UNITTEST_VERSION)/helm-unittest
CRD_SCHEMAS := $(TOOLS_DIR)/crd-schemas-$(PROMETHEUS_OPERATOR_VERSION)-$(KEDA_VERSION)
K8S_SCHEMAS := $(TOOLS_DIR)/k8s-schemas-$(K8S_SCHEMA_VERSION)
SCHEMAS_PY := helm/scripts/kubeconform_schemas.py
CHART := helm/logscrub
# Render as a cluster that has the Prometheus Operator and KEDA would.
CHART_API_VERSIONS := --api-versions monitoring.coreos.com/v1/ServiceMonitor \
  --api-versions monitoring.coreos.com/v1/PrometheusRule --api-versions keda.sh/v1alpha1/ScaledObject

.PHONY: helm-tools chart-lint chart-test

$(HELM):
	GOBIN=$(dir $@) go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

$(KUBECONFORM):
	GOBIN=$(dir $@) go install github.com/yannh/kubeconform/cmd/kubeconform@$(KUBECONFORM_VERSION)

# The checksum database has no entry for helm-unittest here.
$(HELM_UNITTEST):
	GONOSUMDB=github.com/helm-unittest GOBIN=$(dir $@) \
	  go install github.com/helm-unittest/helm-unittest/cmd/helm-unittest@$(HELM_UNITTEST_VERSION)

$(K8S_SCHEMAS)/.done: $(SCHEMAS_PY) $(STAMP)
	tmp=$(K8S_SCHEMAS).tmp.$$$$ && rm -rf $$tmp && \
	$(PY) $(SCHEMAS_PY) k8s $$tmp \
	  "$$($(PY) -c 'import kubernetes_validate, pathlib; print(pathlib.Path(kubernetes_validate.__file__).parent)')/kubernetes-json-schema/$(K8S_SCHEMA_VERSION)-local-strict" && \
	touch $$tmp/.done && rm -rf $(K8S_SCHEMAS) && mv $$tmp $(K8S_SCHEMAS)

$(CRD_SCHEMAS)/.done: $(SCHEMAS_PY) $(STAMP)
	tmp=$(CRD_SCHEMAS).tmp.$$$$ && rm -rf $$tmp && mkdir -p $$tmp && \
	po=$$(go mod download -json github.com/prometheus-operator/prometheus-operator@$(PROMETHEUS_OPERATOR_VERSION) \
	      | $(PY) -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') && \
	keda=$$(go mod download -json github.com/kedacore/keda/v2@$(KEDA_VERSION) \
	      | $(PY) -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') && \
	$(PY) $(SCHEMAS_PY) crd $$tmp \
	  $$po/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml \
	  $$po/example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml \
	  $$keda/config/crd/bases/keda.sh_scaledobjects.yaml && \
	touch $$tmp/.done && rm -rf $(CRD_SCHEMAS) && mv $$tmp $(CRD_SCHEMAS)

helm-tools: $(HELM) $(KUBECONFORM) $(HELM_UNITTEST) $(CRD_SCHEMAS)/.done $(K8S_SCHEMAS)/.done

# Lint with the default values and every ci/NN-*-values.yaml scenario; validate each
# rendering against the Kubernetes and CRD schemas; then the helm-unittest suites.
chart-test: install helm-tools
	$(PY) helm/scripts/gen_schema.py --check
	set -e; for values in $(CHART)/ci/*-values.yaml; do \
	  echo "== $$values"; \
	  $(HELM) lint --strict $(CHART) -f $$values; \
	  $(HELM) template logscrub $(CHART) -f $$values $(CHART_API_VERSIONS) \
	    | $(KUBECONFORM) -strict -summary \
	        -schema-location "$(K8S_SCHEMAS)/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
	        -schema-location "$(CRD_SCHEMAS)/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"; \
	done
	$(HELM_UNITTEST) -f 'tests/*_test.yaml' $(CHART)

# The container image, built daemonlessly (mmdebstrap + buildah; needs root). Not part of
# `make test`: one build takes about a quarter of an hour on two cores.
.PHONY: image
image:
	bash scripts/image/build.sh
