#!/usr/bin/env bash
# Validate the Kubernetes manifests offline: `kustomize build` of the base and of every overlay, each object
# checked by kubeconform against strict JSON schemas of Kubernetes and of the operators' CRDs, and the Strimzi
# resources against Strimzi's own API model (infra/k8s/strimzi). Run by tests/integration/infra.
#
# Usage: infra/k8s/validate.sh            # base + overlays/*
#        infra/k8s/validate.sh FILE...    # these manifest files
#
# Everything comes from the registries once and is cached outside the clone, keyed by version:
#   Go module proxy: kubeconform, kustomize, k8s.io/kubernetes (swagger.json), kuberay ray-operator, KEDA and
#   CloudNativePG (their CRD yamls); Maven Central: Strimzi's api model (see strimzi/pom.xml).
# Needs `go` for the first run only (and `java` + `mvn` for Strimzi's first run).
set -euo pipefail

K8S_VERSION=v1.34.2
KUBERAY_VERSION=v1.5.0
KEDA_VERSION=v2.21.0
CNPG_VERSION=v1.27.1
KUBECONFORM_VERSION=v0.7.0
KUSTOMIZE_VERSION=v5.7.1

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${PARLANCE_CACHE_DIR:-$HOME/.cache/parlance}"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
TOOLS="$CACHE/k8s-tools/kubeconform-$KUBECONFORM_VERSION-kustomize-$KUSTOMIZE_VERSION"
GEN_HASH="$(sha256sum "$HERE/schemas.py" | cut -c1-12)"
SCHEMAS="$CACHE/k8s-schemas/k8s-$K8S_VERSION-kuberay-$KUBERAY_VERSION-keda-$KEDA_VERSION-cnpg-$CNPG_VERSION-$GEN_HASH"
export GOMODCACHE="$CACHE/gomod" GOFLAGS=-mod=mod GOTOOLCHAIN=local

log() { printf '[validate.sh] %s\n' "$*" >&2; }

module_dir() {  # the directory of a Go module version, downloaded once
  go mod download -json "$1" | "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error")))'
}

ensure_tools() {
  [[ -x "$TOOLS/kubeconform" && -x "$TOOLS/kustomize" ]] && return 0
  command -v go >/dev/null || { log "go is needed once to build kubeconform and kustomize"; exit 1; }
  log "building kubeconform $KUBECONFORM_VERSION and kustomize $KUSTOMIZE_VERSION into $TOOLS (one-time)"
  mkdir -p "$TOOLS"
  GOBIN="$TOOLS" go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
  GOBIN="$TOOLS" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
}

ensure_schemas() {
  [[ -f "$SCHEMAS/.complete" ]] && return 0
  command -v go >/dev/null || { log "go is needed once to fetch the schemas"; exit 1; }
  log "writing schemas into $SCHEMAS (one-time)"
  local k8s kuberay keda cnpg tmp="$SCHEMAS.tmp.$$"
  k8s="$(module_dir "k8s.io/kubernetes@$K8S_VERSION")"
  kuberay="$(module_dir "github.com/ray-project/kuberay/ray-operator@$KUBERAY_VERSION")"
  keda="$(module_dir "github.com/kedacore/keda/v2@$KEDA_VERSION")"
  cnpg="$(module_dir "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION")"
  rm -rf "$tmp"
  "$PYTHON" "$HERE/schemas.py" "$tmp" --swagger "$k8s/api/openapi-spec/swagger.json" \
    --crds "$kuberay/config/crd/bases" --crds "$keda/config/crd/bases" --crds "$cnpg/config/crd/bases" >&2
  touch "$tmp/.complete"
  rm -rf "$SCHEMAS"
  mv "$tmp" "$SCHEMAS"
}

kubeconform_files() {
  # Strimzi publishes no CRD yamls to a registry: its kinds are checked by strimzi/validate.sh instead.
  "$TOOLS/kubeconform" -strict -summary -output text \
    -schema-location "$SCHEMAS/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json" \
    -skip Kafka,KafkaNodePool,KafkaTopic "$@"
}

main() {
  ensure_tools
  ensure_schemas
  # global: the EXIT trap runs after main returns
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
  local files=()
  if (($#)); then
    files=("$@")
  else
    "$TOOLS/kustomize" build "$HERE/base" >"$out/base.yaml"
    files+=("$out/base.yaml")
    local overlay
    for overlay in "$HERE"/overlays/*/; do
      "$TOOLS/kustomize" build "$overlay" >"$out/$(basename "$overlay").yaml"
      files+=("$out/$(basename "$overlay").yaml")
    done
  fi
  local f rc=0
  for f in "${files[@]}"; do
    echo "== $(basename "$f")"
    kubeconform_files "$f" || rc=1
    bash "$HERE/strimzi/validate.sh" "$f" || rc=1
  done
  return $rc
}

main "$@"
