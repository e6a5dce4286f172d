#!/usr/bin/env bash
# A smoke test through a tenant's console URL: the console page, the API's health, then sign up, create a
# task and read it back. Defaults fit `npm run cluster:up`; elsewhere set GATEWAY_URL and TENANT_HOST.
#
#   scripts/smoke.sh
#   GATEWAY_URL=http://203.0.113.7 TENANT_HOST=acme.todo.example.com scripts/smoke.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

need curl "install curl (Debian/Ubuntu: apt-get install curl)"
need openssl "install OpenSSL (Debian/Ubuntu: apt-get install openssl)"
base="${GATEWAY_URL:-$KIND_GATEWAY_URL}"
host="${TENANT_HOST:-acme.localhost}"

# Connect to the Gateway and name the tenant in the Host header, so no DNS entry is needed.
request() {
  local method="$1" path="$2"
  shift 2
  curl --silent --show-error --fail-with-body --max-time 20 --header "Host: $host" --request "$method" "$@" \
    "$base$path"
}
# json_field NAME: the first string value of NAME in the JSON on stdin (empty when there is none).
json_field() { { grep -o "\"$1\":\"[^\"]*\"" || true; } | sed -n '1s/^.*:"\(.*\)"$/\1/p'; }

log "Console at $base/ (Host: $host)"
request GET / | grep -qi '<html' || die "the console did not answer with an HTML page"

log "API health"
request GET /healthz >/dev/null
request GET /readyz >/dev/null

log "Sign up, create a task, read it back"
email="smoke-$(openssl rand -hex 6)@example.com"
token="$(request POST /api/v1/auth/signup --header 'content-type: application/json' \
  --data "{\"email\":\"$email\",\"password\":\"$(openssl rand -hex 12)\"}" | json_field token)"
[[ -n "$token" ]] || die "sign-up returned no token"
title="smoke test $(openssl rand -hex 4)"
id="$(request POST /api/v1/tasks --header "authorization: Bearer $token" --header 'content-type: application/json' \
  --data "{\"title\":\"$title\"}" | json_field id)"
[[ -n "$id" ]] || die "creating a task returned no id"
request GET "/api/v1/tasks/$id" --header "authorization: Bearer $token" | grep -q "\"title\":\"$title\"" ||
  die "task $id was not read back with its title"
log "Smoke test passed: task $id on $host"
