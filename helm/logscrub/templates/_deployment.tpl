{{/*
A Deployment of one HTTP component (indexer, debug API, monitor).
Call with (dict "root" $ "component" "debug-api" "values" .Values.debugApi
  "args" (list ...) "ports" (list (dict "name" "http" "port" 8080)) "probePort" "http"
  "probePath" "" "extraEnv" (list ...) "extraVolumes" (list ...) "extraMounts" (list ...)
  "extraContainers" (list ...)).
probePath empty: TCP probes on probePort; "-": no probes (a component without HTTP).
*/}}
{{- define "logscrub.deployment" -}}
{{- $root := .root }}
{{- $v := .values }}
{{- $name := include "logscrub.componentName" (dict "root" $root "component" .component) }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "logscrub.componentLabels" (dict "root" $root "component" .component) | nindent 4 }}
spec:
  replicas: {{ $v.replicas }}
  {{- if eq (int $v.replicas) 1 }}
  strategy:
    type: Recreate
  {{- end }}
  selector:
    matchLabels:
      {{- include "logscrub.componentSelectorLabels" (dict "root" $root "component" .component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "logscrub.componentLabels" (dict "root" $root "component" .component) | nindent 8 }}
      annotations:
        {{- include "logscrub.checksums" $root | nindent 8 }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "logscrub.serviceAccountName" $root }}
      automountServiceAccountToken: false
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      topologySpreadConstraints:
        {{- include "logscrub.topologySpread" (dict "root" $root "component" .component "values" $v) | nindent 8 }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "logscrub.image" $root | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: {{ toJson (concat (list "--config" "/etc/logscrub/config/config.yaml") .args) }}
          env:
            {{- include "logscrub.secretEnv" $root | nindent 12 }}
            {{- with .extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- with .ports }}
          ports:
            {{- range . }}
            - name: {{ .name }}
              containerPort: {{ .port }}
              protocol: TCP
            {{- end }}
          {{- end }}
          {{- if ne .probePath "-" }}
          {{- $probe := dict "tcpSocket" (dict "port" .probePort) }}
          {{- if .probePath }}
          {{- $probe = dict "httpGet" (dict "path" .probePath "port" .probePort) }}
          {{- end }}
          livenessProbe:
            {{- toYaml $probe | nindent 12 }}
            initialDelaySeconds: 20
            periodSeconds: 15
            failureThreshold: 4
          readinessProbe:
            {{- toYaml $probe | nindent 12 }}
            periodSeconds: 10
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            {{- include "logscrub.volumeMounts" $root | nindent 12 }}
            {{- with .extraMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
        {{- with .extraContainers }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      volumes:
        {{- include "logscrub.volumes" $root | nindent 8 }}
        {{- with .extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end }}

{{/* A ClusterIP Service for one component's ports. */}}
{{- define "logscrub.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "logscrub.componentName" (dict "root" .root "component" .component) }}
  labels:
    {{- include "logscrub.componentLabels" (dict "root" .root "component" .component) | nindent 4 }}
    logscrub.dev/job: {{ include "logscrub.jobName" .component }}
spec:
  selector:
    {{- include "logscrub.componentSelectorLabels" (dict "root" .root "component" .component) | nindent 4 }}
  ports:
    {{- range .ports }}
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .name }}
      protocol: TCP
    {{- end }}
{{- end }}
