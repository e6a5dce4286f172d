#!/usr/bin/env bash
# Prints how to reach each TodoApp's console through the platform's Gateway, in the current kubectl context.
#
#   scripts/console-url.sh           (GATEWAY_URL overrides where the Gateway is reached; on the kind
#                                     cluster of `npm run cluster:up` it is http://127.0.0.1:8088)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

need_kubectl

gateway_url="${GATEWAY_URL:-}"
if [[ -z "$gateway_url" ]]; then
  if [[ "$(kubectl config current-context 2>/dev/null)" == "kind-$KIND_CLUSTER" ]]; then
    gateway_url="$KIND_GATEWAY_URL"
  else
    # On a cloud: the load balancer's address, as the Gateway reports it.
    address="$(kubectl get gateway todo-gateway -n "$PLATFORM_NAMESPACE" -o 'jsonpath={.status.addresses[0].value}' 2>/dev/null || true)"
    [[ -n "$address" ]] || die "the Gateway $PLATFORM_NAMESPACE/todo-gateway has no address yet (kubectl get gateway -A)"
    gateway_url="http://$address"
  fi
fi
port="$(printf '%s' "$gateway_url" | sed -n 's|^[a-z]*://[^:/]*\(:[0-9]*\).*|\1|p')"
scheme="${gateway_url%%://*}"

rows="$(kubectl get todoapps --all-namespaces \
  -o 'jsonpath={range .items[*]}{.metadata.namespace}{" "}{.metadata.name}{" "}{.spec.gateway.hostnames[0]}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}')"
[[ -n "$rows" ]] || die "no TodoApps in this cluster (kubectl apply -f samples/...)"

while read -r namespace name host ready; do
  [[ -n "$name" ]] || continue
  if [[ -z "$host" ]]; then
    printf '%s/%s: no spec.gateway.hostnames; kubectl -n %s port-forward svc/%s-api 8080:80, then http://localhost:8080/\n' \
      "$namespace" "$name" "$namespace" "$name"
    continue
  fi
  printf '%s/%s (Ready=%s): %s://%s%s/\n' "$namespace" "$name" "${ready:-Unknown}" "$scheme" "$host" "$port"
  printf '    without DNS for %s: curl -H "Host: %s" %s/\n' "$host" "$host" "$gateway_url"
done <<<"$rows"
