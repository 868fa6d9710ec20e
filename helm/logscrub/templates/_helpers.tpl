{{/* Chart name, truncated to the 63 characters Kubernetes allows. */}}
{{- define "logscrub.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: <release>-<chart> unless the release name already holds the chart name. */}}
{{- define "logscrub.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of one component's resources: <fullname>-<component>. */}}
{{- define "logscrub.componentName" -}}
{{- printf "%s-%s" (include "logscrub.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "logscrub.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "logscrub.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "logscrub.selectorLabels" -}}
app.kubernetes.io/name: {{ include "logscrub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component: call with (dict "root" $ "component" "processor"). */}}
{{- define "logscrub.componentLabels" -}}
{{ include "logscrub.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "logscrub.componentSelectorLabels" -}}
{{ include "logscrub.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The image reference: repository@digest when a digest is set, else repository:tag. */}}
{{- define "logscrub.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "logscrub.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "logscrub.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "logscrub.rulesConfigMap" -}}
{{- default (printf "%s-rules" (include "logscrub.fullname" .)) .Values.rules.existingConfigMap }}
{{- end }}

{{/* The settings file every component reads: the user's config plus what the chart owns.
The compiled-rules cache lives on the writable /tmp volume (the root filesystem is
read-only), so a restarted container loads the rules' Hyperscan database instead of
compiling it. */}}
{{- define "logscrub.config" -}}
{{- $owned := dict "kafka" (dict "bootstrap_servers" .Values.kafka.bootstrapServers "client" (include "logscrub.kafkaClient" . | fromYaml)) "scrub" (dict "rules_dir" .Values.rules.mountPath "compile_cache_dir" "/tmp/logscrub-cache") "metrics" (dict "port" .Values.processor.metricsPort) }}
{{- toYaml (mustMergeOverwrite (deepCopy .Values.config) $owned) }}
{{- end }}

{{/* librdkafka properties that are not secrets, plus the TLS file locations. */}}
{{- define "logscrub.kafkaClient" -}}
{{- $client := deepCopy .Values.kafka.client }}
{{- with .Values.kafka.tls }}
{{- if .existingSecret }}
{{- $_ := set $client "ssl.ca.location" (printf "/etc/logscrub/kafka-tls/%s" .caKey) }}
{{- if .certKey }}
{{- $_ := set $client "ssl.certificate.location" (printf "/etc/logscrub/kafka-tls/%s" .certKey) }}
{{- $_ := set $client "ssl.key.location" (printf "/etc/logscrub/kafka-tls/%s" .keyKey) }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $client }}
{{- end }}

{{/* Environment shared by every component: secrets by reference only. */}}
{{- define "logscrub.secretEnv" -}}
{{- with .Values.kafka.sasl }}
{{- if .existingSecret }}
- name: LOGSCRUB_KAFKA__CLIENT__SASL_USERNAME
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret | quote }}, key: {{ .usernameKey | quote }}}
- name: LOGSCRUB_KAFKA__CLIENT__SASL_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret | quote }}, key: {{ .passwordKey | quote }}}
{{- end }}
{{- end }}
{{- with .Values.encryption }}
{{- if .keyring.existingSecret }}
- name: LOGSCRUB_SCRUB__ENCRYPTION__KEYRING_FILE
  value: {{ printf "/etc/logscrub/keyring/%s" .keyring.key | quote }}
{{- end }}
{{- if .kek.existingSecret }}
- name: LOGSCRUB_SCRUB__ENCRYPTION__LOCAL_KEK
  valueFrom:
    secretKeyRef: {name: {{ .kek.existingSecret | quote }}, key: {{ .kek.key | quote }}}
{{- end }}
{{- if .pkcs11Pin.existingSecret }}
- name: LOGSCRUB_SCRUB__ENCRYPTION__PKCS11__PIN
  valueFrom:
    secretKeyRef: {name: {{ .pkcs11Pin.existingSecret | quote }}, key: {{ .pkcs11Pin.key | quote }}}
{{- end }}
{{- end }}
{{- with .Values.pseudonym }}
{{- if .existingSecret }}
- name: LOGSCRUB_SCRUB__PSEUDONYM_KEY
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret | quote }}, key: {{ .key | quote }}}
{{- end }}
{{- end }}
{{- end }}

{{/* Volumes shared by every component: settings, rules, Kafka TLS, /tmp. */}}
{{- define "logscrub.volumes" -}}
- name: config
  configMap:
    name: {{ include "logscrub.fullname" . }}-config
- name: rules
  configMap:
    name: {{ include "logscrub.rulesConfigMap" . }}
- name: tmp
  emptyDir: {}
{{- if .Values.kafka.tls.existingSecret }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tls.existingSecret }}
{{- end }}
{{- if .Values.encryption.keyring.existingSecret }}
- name: keyring
  secret:
    secretName: {{ .Values.encryption.keyring.existingSecret }}
{{- end }}
{{- end }}

{{- define "logscrub.volumeMounts" -}}
- name: config
  mountPath: /etc/logscrub/config
  readOnly: true
- name: rules
  mountPath: {{ .Values.rules.mountPath }}
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- if .Values.kafka.tls.existingSecret }}
- name: kafka-tls
  mountPath: /etc/logscrub/kafka-tls
  readOnly: true
{{- end }}
{{- if .Values.encryption.keyring.existingSecret }}
- name: keyring
  mountPath: /etc/logscrub/keyring
  readOnly: true
{{- end }}
{{- end }}

{{/* Annotations that restart pods when the settings or the bundled rules change. */}}
{{- define "logscrub.checksums" -}}
checksum/config: {{ include "logscrub.config" . | sha256sum }}
{{- if not .Values.rules.existingConfigMap }}
checksum/rules: {{ include "logscrub.bundledRules" . | sha256sum }}
{{- end }}
{{- end }}

{{- define "logscrub.bundledRules" -}}
{{- range $path, $_ := .Files.Glob "files/rules/*.yaml" }}
{{ base $path }}: |
{{ $.Files.Get $path | indent 2 }}
{{- end }}
{{- end }}

{{/* The default topology spread: pods of one component over distinct nodes, best effort. */}}
{{- define "logscrub.topologySpread" -}}
{{- if .values.topologySpreadConstraints }}
{{ toYaml .values.topologySpreadConstraints }}
{{- else }}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
{{ include "logscrub.componentSelectorLabels" (dict "root" .root "component" .component) | indent 6 }}
{{- end }}
{{- end }}

{{/* The components this release runs, as a JSON list. */}}
{{- define "logscrub.enabledComponents" -}}
{{- $out := list "processor" }}
{{- if .Values.debugApi.enabled }}{{ $out = append $out "debug-api" }}{{ end }}
{{- if and .Values.index.enabled (eq .Values.store.type "postgres") }}{{ $out = append $out "index" }}{{ end }}
{{- if .Values.monitor.enabled }}{{ $out = append $out "monitor" }}{{ end }}
{{- toJson $out }}
{{- end }}

{{/* Components that serve /metrics on a port named "metrics". */}}
{{- define "logscrub.metricsComponents" -}}
{{- $out := list "processor" }}
{{- if .Values.debugApi.enabled }}{{ $out = append $out "debug-api" }}{{ end }}
{{- if .Values.monitor.enabled }}{{ $out = append $out "monitor" }}{{ end }}
{{- toJson $out }}
{{- end }}

{{/* Environment naming the index store (the DSN by reference only). */}}
{{- define "logscrub.storeEnv" -}}
- name: LOGSCRUB_INDEX__STORE
  value: {{ .Values.store.type | quote }}
{{- if eq .Values.store.type "sqlite" }}
- name: LOGSCRUB_INDEX__SQLITE_PATH
  value: /var/lib/logscrub/index.db
{{- else }}
- name: LOGSCRUB_INDEX__POSTGRES_DSN
  valueFrom:
    secretKeyRef: {name: {{ required "store.postgres.existingSecret is required with store.type=postgres" .Values.store.postgres.existingSecret | quote }}, key: {{ .Values.store.postgres.dsnKey | quote }}}
{{- end }}
{{- end }}

{{/* The Prometheus job name of a component, as the alert rules expect it. */}}
{{- define "logscrub.jobName" -}}
{{- get (dict "processor" "logscrub" "monitor" "logscrub-monitor" "debug-api" "logscrub-debug-api" "index" "logscrub-index") . }}
{{- end }}
