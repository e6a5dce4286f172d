#!/usr/bin/env bash
# Creates the Secrets the platform and the sample TodoApps reference, with random values from openssl, in the
# current kubectl context. Values are generated here, never committed; a Secret that exists is kept as it is,
# so running this again changes nothing.
#
#   scripts/tenant-secrets.sh [TENANT...]          (default tenants: acme globex)
#
# Creates the namespaces (Pod Security `restricted` enforced on todo-system and tenants, warned and audited on
# todo-platform), then:
#   todo-platform/todo-operator-pg        the password of PostgreSQL role todo_operator (CloudNativePG)
#   todo-system/todo-operator-database    the operator's URL of that role (key url), for database.managed
#   tenants/ghcr, todo-system/ghcr        a ghcr.io pull Secret, when GHCR_USER and GHCR_TOKEN are set
#   with KAFKA_SASL=true: todo-platform/redpanda-users (the broker's SCRAM users) and
#   tenants/<tenant>-kafka-user (keys username, password) for each tenant
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

need_kubectl
need openssl "install OpenSSL (Debian/Ubuntu: apt-get install openssl)"
tenants=("$@")
[[ ${#tenants[@]} -gt 0 ]] || tenants=(acme globex)

ensure_namespace "$PLATFORM_NAMESPACE" "${RESTRICTED_WARN[@]}"
ensure_namespace "$OPERATOR_NAMESPACE" "${RESTRICTED[@]}"
ensure_namespace "$TENANT_NAMESPACE" "${RESTRICTED[@]}"

exists() { kubectl get secret "$2" -n "$1" >/dev/null 2>&1; }
# Hex only: the values go into URLs and SCRAM user lines without escaping.
random() { openssl rand -hex 24; }
secret_value() { kubectl get secret "$2" -n "$1" -o "jsonpath={.data.$3}" | openssl base64 -d -A; }

pg_role=todo_operator
if ! exists "$PLATFORM_NAMESPACE" todo-operator-pg; then
  log "Secret $PLATFORM_NAMESPACE/todo-operator-pg (PostgreSQL role $pg_role)"
  kubectl create secret generic todo-operator-pg -n "$PLATFORM_NAMESPACE" --type=kubernetes.io/basic-auth \
    --from-literal=username="$pg_role" --from-literal=password="$(random)"
  # CloudNativePG applies a changed password when the Secret carries this label.
  kubectl label secret todo-operator-pg -n "$PLATFORM_NAMESPACE" cnpg.io/reload=true
fi
if ! exists "$OPERATOR_NAMESPACE" todo-operator-database; then
  log "Secret $OPERATOR_NAMESPACE/todo-operator-database (url)"
  password="$(secret_value "$PLATFORM_NAMESPACE" todo-operator-pg password)"
  kubectl create secret generic todo-operator-database -n "$OPERATOR_NAMESPACE" \
    --from-literal=url="postgresql://$pg_role:$password@todo-pg-rw.$PLATFORM_NAMESPACE.svc.cluster.local:5432/postgres"
fi

# The tenants' pods and the operator's pull with it (TodoApp imagePullSecrets, the chart's imagePullSecrets).
if [[ -n "${GHCR_USER:-}" && -n "${GHCR_TOKEN:-}" ]]; then
  for ns in "$TENANT_NAMESPACE" "$OPERATOR_NAMESPACE"; do
    if ! exists "$ns" ghcr; then
      log "Secret $ns/ghcr (pull from ghcr.io as $GHCR_USER)"
      kubectl create secret docker-registry ghcr -n "$ns" --docker-server=ghcr.io \
        --docker-username="$GHCR_USER" --docker-password="$GHCR_TOKEN"
    fi
  done
else
  log "GHCR_USER/GHCR_TOKEN unset: no pull Secret ghcr (not needed for public images or on kind)"
fi

if [[ "${KAFKA_SASL:-false}" == true ]]; then
  users=""
  for tenant in "${tenants[@]}"; do
    if ! exists "$TENANT_NAMESPACE" "$tenant-kafka-user"; then
      log "Secret $TENANT_NAMESPACE/$tenant-kafka-user"
      kubectl create secret generic "$tenant-kafka-user" -n "$TENANT_NAMESPACE" \
        --from-literal=username="$tenant" --from-literal=password="$(random)"
    fi
    users+="$tenant:$(secret_value "$TENANT_NAMESPACE" "$tenant-kafka-user" password):SCRAM-SHA-512"$'\n'
  done
  log "Secret $PLATFORM_NAMESPACE/redpanda-users (one SCRAM-SHA-512 user per tenant)"
  kubectl create secret generic redpanda-users -n "$PLATFORM_NAMESPACE" --from-literal=users.txt="$users" \
    --dry-run=client -o yaml | kubectl apply -f - >/dev/null
fi
log "Secrets ready"
