#!/usr/bin/env bash
# Installs or upgrades the platform (charts/todo-platform: Dapr, Redpanda, CloudNativePG, Envoy Gateway and
# our PostgreSQL cluster and Gateway) with the given values file; any further arguments go to helm.
#
#   scripts/platform-up.sh charts/todo-platform/values-kind.yaml
#   scripts/platform-up.sh charts/todo-platform/values-oke.yaml --atomic
#
# It fetches the pinned dependencies first (`helm dependency build`; nothing fetched is committed). On a
# cluster without CloudNativePG yet, it installs in two steps: first without our PostgreSQL Cluster, whose
# CRD and admission webhook come from the CloudNativePG chart's templates and so exist only once that
# install is done, then everything.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

[[ $# -ge 1 ]] || die "usage: $0 VALUES_FILE [helm arguments...]"
values="$1"
shift
[[ -f "$values" ]] || die "no values file $values"
need_helm
need_kubectl
chart="$REPO_ROOT/charts/todo-platform"

log "Fetching the platform's pinned charts"
helm repo add dapr https://dapr.github.io/helm-charts/ --force-update >/dev/null
helm repo add redpanda https://charts.redpanda.com --force-update >/dev/null
helm repo add cnpg https://cloudnative-pg.github.io/charts --force-update >/dev/null
helm dependency build "$chart"

install() {
  helm upgrade --install "$PLATFORM_RELEASE" "$chart" --namespace "$PLATFORM_NAMESPACE" --create-namespace \
    --values "$values" --wait --timeout 15m "$@"
}

if ! kubectl get crd clusters.postgresql.cnpg.io >/dev/null 2>&1; then
  log "First install: the controllers, their CRDs and webhooks (no PostgreSQL cluster yet)"
  install --set postgres.enabled=false "$@"
fi
log "Installing the platform ($PLATFORM_RELEASE in namespace $PLATFORM_NAMESPACE)"
install "$@"

if [[ -n "$(kubectl get cluster.postgresql.cnpg.io -n "$PLATFORM_NAMESPACE" -o name 2>/dev/null)" ]]; then
  log "Waiting for PostgreSQL"
  kubectl wait --for=condition=Ready cluster.postgresql.cnpg.io --all -n "$PLATFORM_NAMESPACE" --timeout=10m
fi
log "Platform ready"
