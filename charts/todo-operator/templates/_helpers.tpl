{{/* Labels every object of the release carries; the selector labels are a subset that never changes. */}}
{{- define "todo-operator.selectorLabels" -}}
app.kubernetes.io/name: todo-operator
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end }}

{{- define "todo-operator.labels" -}}
{{ include "todo-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- end }}

{{/* The operator image; the tag defaults to the chart's appVersion, which the release workflow pushes. */}}
{{- define "todo-operator.image" -}}
{{ printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
