# shellcheck shell=bash
# Shared by the scripts in scripts/: names of the namespaces and releases, and small checks.
# Sourced, never run; the names below are used by the scripts that source it.
# shellcheck disable=SC2034

# Where everything lives; the samples, deploy/tenants and docs use the same names.
PLATFORM_NAMESPACE="${PLATFORM_NAMESPACE:-todo-platform}"
PLATFORM_RELEASE="${PLATFORM_RELEASE:-todo-platform}"
OPERATOR_NAMESPACE="${OPERATOR_NAMESPACE:-todo-system}"
OPERATOR_RELEASE="${OPERATOR_RELEASE:-todo-operator}"
TENANT_NAMESPACE="${TENANT_NAMESPACE:-tenants}"
KIND_CLUSTER="${KIND_CLUSTER:-todo}"
# The kind config publishes the Gateway's node port here (kind/cluster.yaml).
KIND_GATEWAY_URL="http://127.0.0.1:8088"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '==> %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# need COMMAND HINT: stop with HINT when COMMAND is not installed.
need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed: $2"
}

need_kubectl() { need kubectl "install it from https://kubernetes.io/docs/tasks/tools/"; }
need_helm() { need helm "install Helm 3.8 or later from https://helm.sh/docs/intro/install/"; }

# The appVersion of the operator chart: the tag of both images.
app_version() {
  sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$REPO_ROOT/charts/todo-operator/Chart.yaml"
}

# ensure_namespace NAME [LABEL=VALUE...]: create it unless it exists, and set the labels.
ensure_namespace() {
  local name="$1"
  shift
  kubectl get namespace "$name" >/dev/null 2>&1 || kubectl create namespace "$name" >/dev/null
  [[ $# -eq 0 ]] || kubectl label namespace "$name" --overwrite "$@" >/dev/null
}

# Pod Security `restricted`, enforced on the namespaces of our own pods (the operator's, the tenants').
RESTRICTED=(pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest)
# The platform's namespace only warns and audits at `restricted`: its Dapr control plane, Envoy Gateway and
# PostgreSQL pods meet it, but the Redpanda and CloudNativePG charts are not checked (docs/deploy-oke.md).
RESTRICTED_WARN=(pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/warn-version=latest
  pod-security.kubernetes.io/audit=restricted pod-security.kubernetes.io/audit-version=latest)
