#!/usr/bin/env bash
# Local PostgreSQL server for Parlance integration tests -- no Docker needed.
#
# Usage: infra/local/postgres.sh {start|stop|restart|status|url|psql|wipe}
#
#   start    install server binaries if missing (Debian apt, needs root), initdb a
#            private cluster (first run only), start it in the background, wait for
#            pg_isready, ensure role+database "parlance" exist. No-op if running.
#   stop     fast shutdown (SIGINT), SIGKILL after a timeout. No-op if not running.
#   restart  stop + start.
#   status   exit 0 if running and accepting connections, 3 otherwise.
#   url      print the SQLAlchemy/asyncpg URL.
#   psql     open psql as the parlance user (extra args are passed through).
#   wipe     stop + delete the cluster (next start re-runs initdb).
#
# Environment (all optional):
#   PARLANCE_PG_PORT          TCP port on 127.0.0.1          (default 55432)
#   PARLANCE_PG_BIN           server bin dir                 (default newest /usr/lib/postgresql/*/bin)
#   PARLANCE_PG_START_TIMEOUT seconds to wait for readiness  (default 60)
#   PARLANCE_PG_STOP_TIMEOUT  seconds before SIGKILL         (default 30)
#   PARLANCE_STATE_DIR        runtime state root             (default ~/.cache/parlance/state)
#
# Credentials: role "parlance" / password "parlance" (LOGIN CREATEDB), database "parlance".
# Dev/test only: fsync and synchronous_commit are OFF for speed.
set -euo pipefail

HOST="127.0.0.1"
PORT="${PARLANCE_PG_PORT:-55432}"
START_TIMEOUT="${PARLANCE_PG_START_TIMEOUT:-60}"
STOP_TIMEOUT="${PARLANCE_PG_STOP_TIMEOUT:-30}"
STATE_ROOT="${PARLANCE_STATE_DIR:-$HOME/.cache/parlance/state}"

DB_USER="parlance"
DB_PASSWORD="parlance"
DB_NAME="parlance"

STATE_DIR="$STATE_ROOT/postgres"
DATA_DIR="$STATE_DIR/data"
RUN_DIR="$STATE_DIR/run"          # unix socket directory
LOG_FILE="$STATE_DIR/postgres.log"
PID_FILE="$DATA_DIR/postmaster.pid"
LOCK_FILE="$STATE_DIR/.lock"

URL="postgresql+asyncpg://$DB_USER:$DB_PASSWORD@$HOST:$PORT/$DB_NAME"

log() { printf '[postgres.sh] %s\n' "$*"; }
err() { printf '[postgres.sh] ERROR: %s\n' "$*" >&2; }

usage() {
  sed -n '4,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# ---------------------------------------------------------------- binaries ---
find_pg_bin() {
  if [[ -n "${PARLANCE_PG_BIN:-}" ]]; then
    echo "$PARLANCE_PG_BIN"
    return 0
  fi
  # Prefer the versioned Debian layout over /usr/local/bin or PATH shims.
  local d best=""
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    if [[ -x "$d/postgres" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
      best="$d"
    fi
  done
  if [[ -n "$best" ]]; then
    echo "$best"
    return 0
  fi
  # Other layouts (e.g. a source build on PATH).
  local p
  if p="$(command -v postgres 2>/dev/null)" && [[ -x "$(dirname "$(readlink -f "$p")")/initdb" ]]; then
    dirname "$(readlink -f "$p")"
    return 0
  fi
  return 1
}

ensure_pg_bin() {
  if PG_BIN="$(find_pg_bin)"; then
    return 0
  fi
  if [[ $EUID -ne 0 ]]; then
    err "PostgreSQL server binaries not found; install them (sudo apt-get install -y postgresql)"
    err "or point PARLANCE_PG_BIN at a directory containing postgres, initdb and pg_ctl."
    exit 1
  fi
  log "PostgreSQL server binaries not found -- installing via apt-get (one-time) ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  # Debian's package auto-creates and starts a "main" cluster on 5432; we do not use it.
  PG_BIN="$(find_pg_bin)" || { err "postgresql installed but binaries still not found"; exit 1; }
}

# ------------------------------------------------------------- run-as user ---
# PostgreSQL refuses to run as root: as root we run everything as the "postgres"
# OS user (created by the Debian package); otherwise as the invoking user.
RUN_AS=()
setup_user() {
  if [[ $EUID -eq 0 ]]; then
    if ! id -u postgres >/dev/null 2>&1; then
      err "running as root but there is no 'postgres' OS user (install the postgresql package)"
      exit 1
    fi
    RUN_AS=(runuser -u postgres --)
  fi
}

as_pg() { "${RUN_AS[@]}" "$@"; }

# The postgres user must be able to traverse every ancestor of STATE_DIR
# (e.g. /root is mode 700). Grant search (x) permission only -- not read.
ensure_traversable() {
  [[ $EUID -eq 0 ]] || return 0
  local d="$STATE_DIR"
  local -a ancestors=()
  while [[ "$d" != "/" && -n "$d" ]]; do
    d="$(dirname "$d")"
    ancestors+=("$d")
  done
  local i a
  # Outermost first, so that fixing /root makes its children reachable.
  for ((i = ${#ancestors[@]} - 1; i >= 0; i--)); do
    a="${ancestors[$i]}"
    if ! runuser -u postgres -- test -x "$a" 2>/dev/null; then
      if command -v setfacl >/dev/null 2>&1; then
        setfacl -m u:postgres:x "$a"
        log "granted the postgres user search permission on $a (ACL u:postgres:x)"
      else
        chmod o+x "$a"
        log "granted search permission (o+x, no read) on $a so the postgres user can reach $STATE_DIR"
      fi
    fi
  done
}

acquire_lock() {
  mkdir -p "$STATE_DIR"
  exec 9>"$LOCK_FILE"
  if command -v flock >/dev/null 2>&1; then
    flock -w 120 9 || { err "could not acquire $LOCK_FILE"; exit 1; }
  fi
}

# ----------------------------------------------------------------- checks ---
read_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(head -n 1 "$PID_FILE" | tr -dc '0-9')"
  [[ -n "$pid" ]] || return 1
  echo "$pid"
}

pid_alive() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/comm" ]]; then
    grep -qE '^(postgres|postmaster)' "/proc/$pid/comm" || return 1
  fi
  return 0
}

is_ready() {
  "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PORT" -d postgres -t 3 >/dev/null 2>&1
}

port_open() {
  (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
}

# ------------------------------------------------------------------ setup ---
init_cluster() {
  if [[ -f "$DATA_DIR/PG_VERSION" ]]; then
    return 0
  fi
  log "initdb: new cluster in $DATA_DIR"
  mkdir -p "$DATA_DIR"
  if [[ $EUID -eq 0 ]]; then
    chown -R postgres:postgres "$STATE_DIR"
  fi
  chmod 700 "$DATA_DIR"
  if ! as_pg "$PG_BIN/initdb" -D "$DATA_DIR" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >"$STATE_DIR/initdb.log" 2>&1; then
    err "initdb failed:"
    cat "$STATE_DIR/initdb.log" >&2
    exit 1
  fi
  echo "include_if_exists = 'parlance.conf'" >>"$DATA_DIR/postgresql.conf"
}

write_config() {
  cat >"$DATA_DIR/parlance.conf" <<EOF
# Generated by infra/local/postgres.sh on every start -- edit the script, not this file.
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$RUN_DIR'
max_connections = 200
shared_buffers = 128MB
# Dev/test only: trade durability for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  cat >"$DATA_DIR/pg_hba.conf" <<'EOF'
# Generated by infra/local/postgres.sh.
# TYPE  DATABASE  USER  ADDRESS         METHOD
local   all       all                   trust
host    all       all   127.0.0.1/32    scram-sha-256
EOF
  mkdir -p "$RUN_DIR"
  if [[ $EUID -eq 0 ]]; then
    chown -R postgres:postgres "$STATE_DIR"
  fi
}

psql_admin() {
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN_DIR" -p "$PORT" -U postgres -d postgres "$@"
}

ensure_role_and_db() {
  psql_admin <<SQL >/dev/null
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  ELSE
    ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END
\$\$;
SQL
  if [[ "$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]]; then
    psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
    log "created database $DB_NAME"
  fi
}

# ------------------------------------------------------------------ start ---
cmd_start() {
  ensure_pg_bin
  setup_user
  acquire_lock
  local pid
  if pid="$(read_pid)"; then
    if pid_alive "$pid"; then
      if is_ready; then
        ensure_role_and_db
        log "already running (pid $pid) -- nothing to do"
        log "url: $URL"
        return 0
      fi
      log "postmaster $pid is alive but not ready yet; waiting ..."
      wait_ready "$pid"
      ensure_role_and_db
      print_ready "$pid"
      return 0
    fi
    log "removing stale pid file $PID_FILE (pid $pid is not a running postmaster)"
    rm -f "$PID_FILE"
  fi
  if port_open; then
    err "port $PORT on $HOST is already in use by another process; set PARLANCE_PG_PORT=..."
    exit 1
  fi

  ensure_traversable
  init_cluster
  write_config

  log "starting PostgreSQL ($("$PG_BIN/postgres" --version | awk '{print $3}'), $PG_BIN) on $HOST:$PORT"
  : >>"$LOG_FILE"
  [[ $EUID -eq 0 ]] && chown postgres:postgres "$LOG_FILE"
  # pg_ctl forks the postmaster and returns; setsid detaches it from this shell.
  if ! (exec 9>&-; as_pg setsid "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -W start >/dev/null); then
    err "pg_ctl start failed"
    dump_logs
    exit 1
  fi
  local deadline=$((SECONDS + 10))
  until pid="$(read_pid)" || ((SECONDS >= deadline)); do sleep 0.2; done
  if [[ -z "${pid:-}" ]]; then
    err "postmaster did not write $PID_FILE"
    dump_logs
    exit 1
  fi
  wait_ready "$pid"
  ensure_role_and_db
  print_ready "$pid"
}

print_ready() {
  log "ready (pid $1)"
  log "url: $URL"
  echo "PARLANCE_DATABASE_URL=$URL"
}

wait_ready() {
  local pid="$1"
  local deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      err "postmaster $pid exited during startup"
      dump_logs
      exit 1
    fi
    if is_ready; then
      return 0
    fi
    sleep 0.5
  done
  err "PostgreSQL did not become ready on $HOST:$PORT within ${START_TIMEOUT}s"
  dump_logs
  exit 1
}

dump_logs() {
  if [[ -s "$LOG_FILE" ]]; then
    echo "----- last 40 lines of $LOG_FILE -----" >&2
    tail -n 40 "$LOG_FILE" >&2 || true
  fi
}

# ------------------------------------------------------------------- stop ---
cmd_stop() {
  local pid
  if ! pid="$(read_pid)"; then
    log "not running (no pid file) -- nothing to do"
    return 0
  fi
  ensure_pg_bin
  setup_user
  acquire_lock
  if ! pid_alive "$pid"; then
    log "not running (stale pid file for $pid removed)"
    rm -f "$PID_FILE"
    return 0
  fi
  log "stopping PostgreSQL (pid $pid, fast shutdown) ..."
  kill -INT "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.3
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after ${STOP_TIMEOUT}s -- immediate shutdown (SIGQUIT), then SIGKILL"
    kill -QUIT "$pid" 2>/dev/null || true
    sleep 3
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

# ----------------------------------------------------------------- status ---
cmd_status() {
  local pid
  PG_BIN="$(find_pg_bin)" || { log "not running (PostgreSQL binaries not installed)"; return 3; }
  if pid="$(read_pid)" && pid_alive "$pid"; then
    if is_ready; then
      log "running (pid $pid), url: $URL"
      return 0
    fi
    log "postmaster $pid alive but not accepting connections (starting or unhealthy)"
    return 3
  fi
  if [[ -f "$PID_FILE" ]]; then
    log "not running (stale pid file $PID_FILE)"
  else
    log "not running"
  fi
  return 3
}

cmd_psql() {
  PG_BIN="$(find_pg_bin)" || { err "PostgreSQL binaries not installed"; exit 1; }
  PGPASSWORD="$DB_PASSWORD" exec "$PG_BIN/psql" -h "$HOST" -p "$PORT" -U "$DB_USER" -d "$DB_NAME" "$@"
}

cmd_wipe() {
  cmd_stop
  log "deleting $STATE_DIR"
  rm -rf "$STATE_DIR"
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    status) cmd_status ;;
    url) echo "$URL" ;;
    psql) cmd_psql "$@" ;;
    wipe) cmd_wipe ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
