#!/usr/bin/env bash
# The deploy workflow's record of the TodoApps before it applies deploy/tenants/, and what its rollback undoes
# with it (.github/workflows/deploy.yaml):
#
#   scripts/deploy-tenants.sh record FILE          the TodoApps on the cluster now, one namespace/name a line
#   scripts/deploy-tenants.sh remove-added FILE DIR
#                                                  deletes the TodoApps DIR declares that exist now but are not
#                                                  in FILE: the ones the failed deploy added
#
# Only TodoApps of DIR are removed, so one applied by hand during the deploy stays; a namespace DIR created
# stays too. Re-applying the previous release's tenants is the workflow's next step.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

CRD=todoapps.tenancy.todo.dev

# added BEFORE NOW: the lines of the sorted file NOW that the sorted file BEFORE does not hold.
added() { LC_ALL=C comm -13 "$1" "$2"; }

# crd_installed: whether the cluster has the TodoApp CRD (a first deploy may not). Stops the script when the
# cluster cannot say: an unreadable cluster must never pass for one without TodoApps.
crd_installed() {
  local found
  found="$(kubectl get crd "$CRD" --ignore-not-found --output name)" || die "cannot read the cluster's CRDs"
  [[ -n "$found" ]]
}

# record FILE: every TodoApp, sorted. Written only once read in full, so a failed read leaves no record behind.
record() {
  local file="$1" list
  list="$(mktemp)"
  if crd_installed; then
    kubectl get todoapps --all-namespaces --no-headers \
      --output 'custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name' >"$list"
  fi
  awk '{ print $1 "/" $2 }' "$list" | LC_ALL=C sort >"$file"
  rm -f "$list"
  log "Recorded $(wc -l <"$file" | tr -d ' ') TodoApps in $file"
}

# declared DIR: the TodoApps DIR's files declare that exist on the cluster now, sorted.
declared() {
  crd_installed || return 0
  kubectl get --filename "$1" --ignore-not-found --no-headers \
    --output 'custom-columns=KIND:.kind,NAMESPACE:.metadata.namespace,NAME:.metadata.name' |
    awk '$1 == "TodoApp" { print $2 "/" $3 }' | LC_ALL=C sort
}

# remove_added FILE DIR: deletes what DIR added since FILE was recorded, waiting for the operator's cleanup.
remove_added() {
  local before="$1" dir="$2" now ns name
  [[ -f "$before" ]] || die "no record $before: which TodoApps the deploy added cannot be told"
  now="$(mktemp)"
  declared "$dir" >"$now"
  while IFS=/ read -r ns name; do
    log "Removing TodoApp $ns/$name: the failed deploy added it"
    kubectl delete todoapp "$name" --namespace "$ns" --wait --timeout 10m
  done < <(added "$before" "$now")
  rm -f "$now"
}

main() {
  need_kubectl
  case "${1:-}" in
    record)
      [[ $# -eq 2 ]] || die "usage: $0 record FILE"
      record "$2"
      ;;
    remove-added)
      [[ $# -eq 3 ]] || die "usage: $0 remove-added FILE DIR"
      remove_added "$2" "$3"
      ;;
    *) die "usage: $0 record FILE | remove-added FILE DIR" ;;
  esac
}

# Sourced (by a test of `added`), it only defines the functions.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi
