#!/usr/bin/env bash
# `npm run cluster:down`: deletes the kind cluster of `npm run cluster:up` and everything in it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

need kind "install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)"
if kind get clusters 2>/dev/null | grep -x "$KIND_CLUSTER" >/dev/null; then
  kind delete cluster --name "$KIND_CLUSTER"
else
  log "No kind cluster $KIND_CLUSTER: nothing to delete"
fi
