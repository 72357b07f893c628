#!/usr/bin/env bash
# Local S3-compatible object store (SeaweedFS, Apache-2.0) for Parlance integration tests and the local
# cluster -- no Docker needed.
#
# Usage: infra/local/seaweedfs.sh {start|stop|restart|status|install|env|logs|wipe}
#
#   start    build `weed` (first run only, from the Go module proxy), start master+volume+filer+S3 in one
#            process on loopback, wait until the S3 API answers, create the bucket. No-op if running.
#   stop     SIGTERM, SIGKILL after a timeout. No-op if not running.
#   restart  stop + start.
#   status   exit 0 if running and the S3 API answers, 3 otherwise.
#   install  only build (first run) and print the binary's path.
#   env      print the PARLANCE_* settings that point the platform at this server.
#   logs     tail the server log.
#   wipe     stop + delete the data directory.
#
# The binary is built once with the machine's Go toolchain (>= 1.26.6) and cached outside the clone at
# $PARLANCE_CACHE_DIR/seaweedfs-<version>/weed; later starts take seconds. Environment (all optional):
#   PARLANCE_SEAWEEDFS_VERSION     Go module version of github.com/seaweedfs/seaweedfs (default: pinned below)
#   PARLANCE_S3_PORT               S3 API port on 127.0.0.1                     (default 28333)
#   PARLANCE_SEAWEEDFS_BASE_PORT   master = base, volume = base+1, filer = base+2;
#                                  each gRPC port is that + 10000               (default 28340)
#   PARLANCE_S3_BUCKET             bucket created at start                      (default parlance)
#   PARLANCE_SEAWEEDFS_START_TIMEOUT  seconds to wait for readiness             (default 90)
#   PARLANCE_CACHE_DIR             binary cache root                            (default ~/.cache/parlance)
#   PARLANCE_STATE_DIR             runtime state root                           (default ~/.cache/parlance/state)
#
# Credentials (dev/test only): access key "parlance", secret "parlance-secret", region us-east-1.
set -euo pipefail

# A pseudo-version the Go module proxy serves (SeaweedFS tags are not Go-module-compatible semver).
readonly DEFAULT_SEAWEEDFS_VERSION="v0.0.0-20261109003541-7506e5f91cd6"
VERSION="${PARLANCE_SEAWEEDFS_VERSION:-$DEFAULT_SEAWEEDFS_VERSION}"

HOST="127.0.0.1"
S3_PORT="${PARLANCE_S3_PORT:-28333}"
BASE_PORT="${PARLANCE_SEAWEEDFS_BASE_PORT:-28340}"
MASTER_PORT="$BASE_PORT"
VOLUME_PORT=$((BASE_PORT + 1))
FILER_PORT=$((BASE_PORT + 2))
BUCKET="${PARLANCE_S3_BUCKET:-parlance}"
START_TIMEOUT="${PARLANCE_SEAWEEDFS_START_TIMEOUT:-90}"
STOP_TIMEOUT=30
ACCESS_KEY="parlance"
SECRET_KEY="parlance-secret"
REGION="us-east-1"

CACHE_DIR="${PARLANCE_CACHE_DIR:-$HOME/.cache/parlance}"
STATE_ROOT="${PARLANCE_STATE_DIR:-$HOME/.cache/parlance/state}"
INSTALL_DIR="$CACHE_DIR/seaweedfs-$VERSION"
WEED="$INSTALL_DIR/weed"
STATE_DIR="$STATE_ROOT/seaweedfs"
DATA_DIR="$STATE_DIR/data"
PID_FILE="$STATE_DIR/weed.pid"
LOG_FILE="$STATE_DIR/weed.log"
S3_CONFIG="$STATE_DIR/s3.json"
LOCK_FILE="$STATE_DIR/.lock"
ENDPOINT="http://$HOST:$S3_PORT"

log() { printf '[seaweedfs.sh] %s\n' "$*"; }
err() { printf '[seaweedfs.sh] ERROR: %s\n' "$*" >&2; }

usage() { sed -n '5,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

acquire_lock() {
  mkdir -p "$STATE_DIR"
  exec 9>"$LOCK_FILE"
  # A first build can take many minutes; a second caller waits for it rather than building again.
  flock -w 3600 9 || { err "could not acquire $LOCK_FILE"; exit 1; }
}

# ---------------------------------------------------------------- install ---
# `go install module@version` refuses modules whose go.mod has replace directives (SeaweedFS has one), so the
# binary is built from a two-line wrapper module that requires SeaweedFS and repeats its replace.
cmd_install() {
  if [[ -x "$WEED" ]]; then
    echo "$WEED"
    return 0
  fi
  command -v go >/dev/null || { err "Go (>= 1.26.6) is needed to build SeaweedFS once"; exit 1; }
  local src="$INSTALL_DIR/src" started=$SECONDS
  rm -rf "$src"
  mkdir -p "$src"
  log "building SeaweedFS $VERSION with $(go version | cut -d' ' -f3) (first run only; ~2.2 GB of modules)" >&2
  (
    cd "$src"
    export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
    go mod init parlance.local/seaweedfs-build >/dev/null 2>&1
    go mod edit -go=1.26 -require="github.com/seaweedfs/seaweedfs@$VERSION" \
      -replace=github.com/tyler-smith/go-bip39=github.com/cosmos/go-bip39@v1.0.0
    go build -trimpath -ldflags "-s -w" -o "$WEED.tmp" github.com/seaweedfs/seaweedfs/weed
  ) >&2
  mv "$WEED.tmp" "$WEED"
  rm -rf "$src"
  log "built $WEED in $((SECONDS - started)) s" >&2
  echo "$WEED"
}

# ----------------------------------------------------------------- checks ---
read_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] || return 1
  echo "$pid"
}

pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ ! -r "/proc/$1/cmdline" ]] || tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'weed' || return 1
}

# A real, signed S3 request: ListBuckets answers 200 only once the filer and the S3 gateway are up.
s3() {
  curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --aws-sigv4 "aws:amz:$REGION:s3" \
    --user "$ACCESS_KEY:$SECRET_KEY" "$@"
}

s3_answers() { [[ "$(s3 "$ENDPOINT/" 2>/dev/null)" == "200" ]]; }

ensure_bucket() {
  local code
  code="$(s3 "$ENDPOINT/$BUCKET" -I 2>/dev/null || true)"
  [[ "$code" == "200" ]] && return 0
  code="$(s3 -X PUT "$ENDPOINT/$BUCKET")"
  [[ "$code" == "200" || "$code" == "409" ]] || { err "could not create bucket $BUCKET (HTTP $code)"; return 1; }
  log "bucket $BUCKET created"
}

# The first write to a new bucket makes the master grow that collection's volumes, which takes seconds on a
# busy 2-core machine; one throwaway write at start pays that here instead of in a client's first upload.
warm_bucket() {
  local key="$ENDPOINT/$BUCKET/.parlance-warmup" code
  # curl 7.88 signs a body-less canonical request, so the payload is declared unsigned (as S3 allows).
  code="$(s3 --max-time 120 -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -X PUT --data-binary warm "$key" \
    2>/dev/null || true)"
  [[ "$code" == "200" ]] || { err "warm-up write to $BUCKET answered HTTP $code"; return 1; }
  s3 -X DELETE "$key" >/dev/null || true
}

# ------------------------------------------------------------------ start ---
write_config() {
  cat >"$S3_CONFIG" <<EOF
{"identities": [{"name": "parlance",
  "credentials": [{"accessKey": "$ACCESS_KEY", "secretKey": "$SECRET_KEY"}],
  "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
EOF
}

cmd_env() {
  cat <<EOF
PARLANCE_OBJECT_STORE_URL=s3://$BUCKET
PARLANCE_S3_ENDPOINT_URL=$ENDPOINT
PARLANCE_S3_REGION=$REGION
PARLANCE_S3_ACCESS_KEY_ID=$ACCESS_KEY
PARLANCE_S3_SECRET_ACCESS_KEY=$SECRET_KEY
EOF
}

cmd_start() {
  acquire_lock
  local pid
  if pid="$(read_pid)" && pid_alive "$pid"; then
    if s3_answers; then
      ensure_bucket
      log "already running (pid $pid), S3 at $ENDPOINT"
      cmd_env
      return 0
    fi
    log "process $pid is alive but S3 is not answering yet; waiting ..."
    wait_ready "$pid"
    return 0
  fi
  rm -f "$PID_FILE"
  local port
  for port in "$S3_PORT" "$MASTER_PORT" "$VOLUME_PORT" "$FILER_PORT"; do
    if (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
      err "port $port is in use by another process; set PARLANCE_S3_PORT / PARLANCE_SEAWEEDFS_BASE_PORT"
      exit 1
    fi
  done
  cmd_install >/dev/null
  mkdir -p "$DATA_DIR"
  write_config
  log "starting SeaweedFS ($VERSION) S3 on $ENDPOINT"
  : >"$LOG_FILE"
  (
    exec 9>&-  # do not leak the lock fd into the long-running server
    cd "$STATE_DIR"
    # Small volumes (64 MB) keep the data directory small; one process runs every component on loopback.
    exec setsid nohup "$WEED" server -dir="$DATA_DIR" -ip="$HOST" -ip.bind="$HOST" \
      -master.port="$MASTER_PORT" -master.volumeSizeLimitMB=64 \
      -volume.port="$VOLUME_PORT" -volume.max=0 \
      -filer -filer.port="$FILER_PORT" \
      -s3 -s3.port="$S3_PORT" -s3.port.grpc=$((S3_PORT + 10000)) -s3.config="$S3_CONFIG" \
      -s3.port.iceberg=0 -s3.port.lance=0 \
      >>"$LOG_FILE" 2>&1 </dev/null
  ) &
  pid=$!
  echo "$pid" >"$PID_FILE"
  wait_ready "$pid"
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT)) started=$SECONDS
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      err "SeaweedFS (pid $pid) exited during startup; last lines of $LOG_FILE:"
      tail -n 40 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      exit 1
    fi
    if s3_answers && ensure_bucket && warm_bucket; then
      log "ready in $((SECONDS - started)) s (pid $pid)"
      cmd_env
      return 0
    fi
    sleep 0.5
  done
  err "S3 did not answer on $ENDPOINT within ${START_TIMEOUT}s; last lines of $LOG_FILE:"
  tail -n 40 "$LOG_FILE" >&2 || true
  exit 1
}

# ------------------------------------------------------------------- stop ---
cmd_stop() {
  acquire_lock
  local pid
  if ! pid="$(read_pid)" || ! pid_alive "$pid"; then
    rm -f "$PID_FILE"
    log "not running -- nothing to do"
    return 0
  fi
  log "stopping SeaweedFS (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after ${STOP_TIMEOUT}s -- sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if pid="$(read_pid)" && pid_alive "$pid" && s3_answers; then
    log "running (pid $pid), S3 at $ENDPOINT"
    return 0
  fi
  log "not running"
  return 3
}

main() {
  case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    status) cmd_status ;;
    install) acquire_lock; cmd_install ;;
    env) cmd_env ;;
    logs) tail -n 100 -f "$LOG_FILE" ;;
    wipe) cmd_stop; rm -rf "$DATA_DIR"; log "data removed" ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
