#!/usr/bin/env bash
# `npm run cluster:up`: a local cluster with everything on it. Needs Docker (running), kind, kubectl, helm
# and openssl. Creates the kind cluster of kind/cluster.yaml (or reuses it), the Secrets, the platform
# (values-kind.yaml), builds our two images and loads them into kind, installs the operator chart and the
# sample TodoApps, waits until every TodoApp is Ready, and prints the console URLs. Safe to run again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

need docker "install Docker (https://docs.docker.com/get-docker/); kind runs its node in a container"
need kind "install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)"
need_kubectl
need_helm
need openssl "install OpenSSL (Debian/Ubuntu: apt-get install openssl)"
docker info >/dev/null 2>&1 || die "the Docker daemon is not reachable: start Docker (docker info shows why)"

version="$(app_version)"
[[ -n "$version" ]] || die "no appVersion in charts/todo-operator/Chart.yaml"
api_image="ghcr.io/todo-dev/todo-api:$version"
operator_image="ghcr.io/todo-dev/todo-operator:$version"

if kind get clusters 2>/dev/null | grep -x "$KIND_CLUSTER" >/dev/null; then
  log "Reusing kind cluster $KIND_CLUSTER"
else
  log "Creating kind cluster $KIND_CLUSTER"
  kind create cluster --name "$KIND_CLUSTER" --config "$REPO_ROOT/kind/cluster.yaml" --wait 5m
fi
kubectl config use-context "kind-$KIND_CLUSTER" >/dev/null

"$REPO_ROOT/scripts/tenant-secrets.sh"
"$REPO_ROOT/scripts/platform-up.sh" "$REPO_ROOT/charts/todo-platform/values-kind.yaml"

log "Building $api_image and $operator_image"
docker build --target api --tag "$api_image" "$REPO_ROOT"
docker build --target operator --tag "$operator_image" "$REPO_ROOT"
kind load docker-image --name "$KIND_CLUSTER" "$api_image" "$operator_image"

log "Installing the operator"
# Helm installs the chart's crds/ on the first install only; on a rerun this brings the CRD up to date.
kubectl apply --server-side --force-conflicts -f "$REPO_ROOT/charts/todo-operator/crds/" >/dev/null
# The chart's default image is $operator_image (its appVersion), which kind already holds.
helm upgrade --install "$OPERATOR_RELEASE" "$REPO_ROOT/charts/todo-operator" \
  --namespace "$OPERATOR_NAMESPACE" --create-namespace --set image.pullPolicy=IfNotPresent --wait --timeout 5m

log "Applying the sample TodoApps (image $api_image)"
sed "s|ghcr.io/todo-dev/todo-api:[^[:space:]]*|$api_image|" "$REPO_ROOT/samples/kind/todoapps.yaml" | kubectl apply -f -
log "Waiting until every TodoApp is Ready"
kubectl wait --for=condition=Ready todoapp --all --all-namespaces --timeout=10m

"$REPO_ROOT/scripts/console-url.sh"
