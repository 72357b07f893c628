#!/usr/bin/env bash
# Validates infra/docker-compose.yml without a Docker engine (`config` only parses,
# interpolates and schema-checks the file; nothing is pulled or started).
#
# Tool order:
#   1. `docker compose` (Compose v2 CLI plugin), if installed
#   2. `docker-compose` on PATH (v2 standalone or Debian's v1.29)
#   3. as root on Debian/Ubuntu: `apt-get install -y docker-compose`, then 2.
#   4. last resort: YAML parse + structural checks with python3 (PyYAML), clearly reported.
# Exit 0 when valid, 1 when invalid, 2 when no validator could run.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/.." && pwd)"
COMPOSE_FILE="${1:-$INFRA_DIR/docker-compose.yml}"

log() { printf '[check-compose] %s\n' "$*"; }

run_config() {
  log "validating $COMPOSE_FILE with: $* ($("$@" version 2>/dev/null | head -n 1 || true))"
  cd "$REPO_ROOT"
  if "$@" -f "$COMPOSE_FILE" config -q; then
    "$@" -f "$COMPOSE_FILE" config --services | sed 's/^/[check-compose]   service: /'
    log "OK: compose file is valid"
    exit 0
  fi
  log "INVALID: see errors above"
  exit 1
}

if docker compose version >/dev/null 2>&1; then
  run_config docker compose
fi
if command -v docker-compose >/dev/null 2>&1; then
  run_config docker-compose
fi
if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  log "no compose implementation found -- installing Debian's docker-compose package"
  export DEBIAN_FRONTEND=noninteractive
  if (apt-get install -y -qq docker-compose >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null; }) &&
     command -v docker-compose >/dev/null 2>&1; then
    run_config docker-compose
  fi
  log "apt-get install docker-compose failed"
fi

log "WARNING: no Docker Compose implementation available -- falling back to a YAML parse (weaker check)"
python3 - "$COMPOSE_FILE" <<'PY'
import sys
try:
    import yaml
except ImportError:
    print("[check-compose] PyYAML missing too; cannot validate", file=sys.stderr)
    sys.exit(2)
doc = yaml.safe_load(open(sys.argv[1]))
services = doc.get("services") or {}
errors = []
for name, svc in services.items():
    if not ("image" in svc or "build" in svc):
        errors.append(f"{name}: needs image or build")
    for dep in (svc.get("depends_on") or {}):
        if dep not in services:
            errors.append(f"{name}: depends_on unknown service {dep}")
for e in errors:
    print("[check-compose]", e, file=sys.stderr)
print("[check-compose] YAML OK, services:", ", ".join(services))
sys.exit(1 if errors else 0)
PY
