{{/* Names and labels shared by every template. */}}

{{- define "quikapp-workers.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "quikapp-workers.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "quikapp-workers.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "quikapp-workers.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: quikapp
{{- end -}}

{{/* Selector labels of one component (a worker name, clamav or backup): dict "root" $ "component" <name>. */}}
{{- define "quikapp-workers.selectorLabels" -}}
app.kubernetes.io/name: {{ include "quikapp-workers.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Name of one component's objects: <fullname>-<component>. */}}
{{- define "quikapp-workers.componentName" -}}
{{- printf "%s-%s" (include "quikapp-workers.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "quikapp-workers.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "quikapp-workers.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image of one worker: dict "root" $ "worker" <name>. */}}
{{- define "quikapp-workers.image" -}}
{{- $image := .root.Values.image -}}
{{- $repository := printf "%s-%s" $image.repository .worker -}}
{{- if $image.registry -}}{{- $repository = printf "%s/%s" $image.registry $repository -}}{{- end -}}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{/* The Secret holding secret settings, or empty when there is none. */}}
{{- define "quikapp-workers.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else if .Values.secrets.create -}}
{{- printf "%s-settings" (include "quikapp-workers.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* KEDA scales this worker: dict "root" $ "worker" <values of the worker>. */}}
{{- define "quikapp-workers.kedaScales" -}}
{{- if and .root.Values.autoscaling.keda.enabled .worker.consumerGroup .worker.topics -}}true{{- end -}}
{{- end -}}
