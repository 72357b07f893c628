#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker+controller) for Parlance
# development and integration tests -- no Docker needed.
#
# Usage: infra/local/kafka.sh {start|stop|restart|status|topics-reset|wipe|logs|install}
#
#   start         install (first run only) + format storage (first run only) + start
#                 in the background, wait until the broker answers a real request.
#                 No-op if already running.
#   stop          graceful SIGTERM, SIGKILL after a timeout. No-op if not running.
#   restart       stop + start.
#   status        exit 0 if running and answering, 3 otherwise.
#   topics-reset  delete every non-internal topic (the broker must be running).
#                 The application creates its own topics; this script never does.
#   wipe          stop + delete the data/log directory (next start re-formats).
#   logs          tail the server log.
#   install       only resolve the jars (first run), print the classpath directory;
#                 used by the local cluster (cli/cluster.py), which runs its own brokers.
#
# The broker jars come from Maven Central (see infra/local/kafka/pom.xml) and are
# cached outside the repo. Environment (all optional):
#   PARLANCE_KAFKA_VERSION          Kafka version                  (default: pinned below)
#   PARLANCE_KAFKA_PORT             client (PLAINTEXT) port        (default 19092)
#   PARLANCE_KAFKA_CONTROLLER_PORT  KRaft controller port          (default 19093)
#   PARLANCE_KAFKA_NUM_PARTITIONS   broker default num.partitions  (default 3)
#   PARLANCE_KAFKA_HEAP             JVM heap flags                 (default "-Xms256m -Xmx512m")
#   PARLANCE_KAFKA_START_TIMEOUT    seconds to wait for readiness  (default 90, plus 1 s per 50
#                                   partition directories: loading logs is most of a restart)
#   PARLANCE_KAFKA_STOP_TIMEOUT     seconds before SIGKILL         (default 30)
#   PARLANCE_CACHE_DIR              jar + maven cache root         (default ~/.cache/parlance)
#   PARLANCE_STATE_DIR              runtime state root             (default ~/.cache/parlance/state)
set -euo pipefail

# Kafka 4.3.1: newest 4.x release fully published on Maven Central at the time of
# writing (4.4.0's kafka-tools / kafka-tools-api artifacts are missing there).
# Verified against aiokafka 0.14.0 (admin create_topics with partitions+configs,
# producer, consumer group + commit); see infra/README.md.
readonly DEFAULT_KAFKA_VERSION="4.3.1"

KAFKA_VERSION="${PARLANCE_KAFKA_VERSION:-$DEFAULT_KAFKA_VERSION}"
HOST="127.0.0.1"
PORT="${PARLANCE_KAFKA_PORT:-19092}"
CONTROLLER_PORT="${PARLANCE_KAFKA_CONTROLLER_PORT:-19093}"
NUM_PARTITIONS="${PARLANCE_KAFKA_NUM_PARTITIONS:-3}"
HEAP_OPTS="${PARLANCE_KAFKA_HEAP:--Xms256m -Xmx512m}"
START_TIMEOUT="${PARLANCE_KAFKA_START_TIMEOUT:-}"
STOP_TIMEOUT="${PARLANCE_KAFKA_STOP_TIMEOUT:-30}"

CACHE_DIR="${PARLANCE_CACHE_DIR:-$HOME/.cache/parlance}"
STATE_ROOT="${PARLANCE_STATE_DIR:-$HOME/.cache/parlance/state}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/kafka/pom.xml"
MAVEN_REPO="$CACHE_DIR/m2"
INSTALL_DIR="$CACHE_DIR/kafka/$KAFKA_VERSION"
LIBS_DIR="$INSTALL_DIR/libs"
INSTALL_MARKER="$INSTALL_DIR/.installed"

STATE_DIR="$STATE_ROOT/kafka"
DATA_DIR="$STATE_DIR/data"
LOG_DIR="$STATE_DIR/logs"
PID_FILE="$STATE_DIR/kafka.pid"
SERVER_CONF="$STATE_DIR/server.properties"
LOG4J_SERVER="$STATE_DIR/log4j2-server.xml"
LOG4J_TOOLS="$STATE_DIR/log4j2-tools.xml"
CLUSTER_ID_FILE="$STATE_DIR/cluster.id"
LOCK_FILE="$STATE_DIR/.lock"
SERVER_OUT="$LOG_DIR/kafkaServer.out"
SERVER_LOG="$LOG_DIR/server.log"

BOOTSTRAP="$HOST:$PORT"

log() { printf '[kafka.sh] %s\n' "$*"; }
err() { printf '[kafka.sh] ERROR: %s\n' "$*" >&2; }

usage() {
  sed -n '5,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

require_tools() {
  if ! command -v java >/dev/null 2>&1; then
    err "java not found (need Java 17+): apt-get install -y openjdk-17-jre-headless"
    exit 1
  fi
}

acquire_lock() {
  mkdir -p "$STATE_DIR"
  exec 9>"$LOCK_FILE"
  if command -v flock >/dev/null 2>&1; then
    flock -w 180 9 || { err "could not acquire $LOCK_FILE"; exit 1; }
  fi
}

# ---------------------------------------------------------------- install ---
install_kafka() {
  if [[ -f "$INSTALL_MARKER" ]] && compgen -G "$LIBS_DIR/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null; then
    return 0
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    err "Kafka $KAFKA_VERSION is not in $LIBS_DIR and mvn is missing: apt-get install -y maven"
    exit 1
  fi
  log "installing Kafka $KAFKA_VERSION jars from Maven Central into $LIBS_DIR (one-time) ..."
  mkdir -p "$INSTALL_DIR" "$MAVEN_REPO"
  local tmp="$INSTALL_DIR/libs.tmp.$$"
  rm -rf "$tmp"
  if ! mvn -q -B -f "$POM" \
      -Dkafka.version="$KAFKA_VERSION" \
      -Dmaven.repo.local="$MAVEN_REPO" \
      dependency:copy-dependencies \
      -DincludeScope=runtime \
      -DoutputDirectory="$tmp" >"$INSTALL_DIR/mvn.log" 2>&1; then
    err "maven could not resolve Kafka $KAFKA_VERSION; last lines of $INSTALL_DIR/mvn.log:"
    tail -n 30 "$INSTALL_DIR/mvn.log" >&2 || true
    rm -rf "$tmp"
    exit 1
  fi
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$INSTALL_MARKER"
  log "installed $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars"
}

# Runs a Kafka CLI class with the cached classpath and quiet logging.
kafka_java() {
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$LOG4J_TOOLS" \
    -cp "$LIBS_DIR/*" "$@"
}

tool_class() {
  # Tools moved from kafka.admin (core) to org.apache.kafka.tools in newer releases.
  local name="$1"
  if unzip -l "$LIBS_DIR/kafka-tools-$KAFKA_VERSION.jar" 2>/dev/null | grep -q "org/apache/kafka/tools/$name.class"; then
    echo "org.apache.kafka.tools.$name"
  elif [[ -f "$LIBS_DIR/kafka-tools-$KAFKA_VERSION.jar" ]] && ! command -v unzip >/dev/null 2>&1; then
    echo "org.apache.kafka.tools.$name"
  else
    echo "kafka.admin.$name"
  fi
}

# ----------------------------------------------------------------- config ---
write_configs() {
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  cat >"$SERVER_CONF" <<EOF
# Generated by infra/local/kafka.sh on every start -- edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR

# Topics are created explicitly by the application (partitions + configs).
auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=$NUM_PARTITIONS
default.replication.factor=1
min.insync.replicas=1

# Single node: internal topics must have RF 1.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0

# Small machine.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=2
log.retention.hours=168
log.segment.bytes=104857600
EOF

  cat >"$LOG4J_SERVER" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <RollingFile name="server" fileName="${sys:kafka.logs.dir}/server.log"
                 filePattern="${sys:kafka.logs.dir}/server.log.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <Policies><SizeBasedTriggeringPolicy size="50 MB"/></Policies>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="org.apache.kafka.clients" level="WARN"/>
    <!-- Several INFO lines per partition at every start: megabytes of log once there are many topics. -->
    <Logger name="org.apache.kafka.storage.internals.log" level="WARN"/>
    <Logger name="kafka.log.LogManager" level="WARN"/>
    <Root level="INFO"><AppenderRef ref="server"/></Root>
  </Loggers>
</Configuration>
EOF

  cat >"$LOG4J_TOOLS" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="ERROR">
  <Appenders>
    <Console name="stderr" target="SYSTEM_ERR">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="ERROR"><AppenderRef ref="stderr"/></Root>
  </Loggers>
</Configuration>
EOF
}

format_storage() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    return 0
  fi
  local cluster_id
  if [[ -s "$CLUSTER_ID_FILE" ]]; then
    cluster_id="$(cat "$CLUSTER_ID_FILE")"
  else
    cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid | tail -n 1)"
    echo "$cluster_id" >"$CLUSTER_ID_FILE"
  fi
  log "formatting KRaft storage in $DATA_DIR (cluster id $cluster_id)"
  if ! kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$SERVER_CONF" \
      >"$LOG_DIR/format.log" 2>&1; then
    err "storage format failed:"
    cat "$LOG_DIR/format.log" >&2
    exit 1
  fi
}

# ----------------------------------------------------------------- checks ---
read_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] || return 1
  echo "$pid"
}

# Our broker process is alive (guards against a recycled pid).
pid_alive() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  fi
  return 0
}

port_open() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# A real Kafka request: Metadata + ApiVersions through the admin client.
broker_answers() {
  local out
  out="$(timeout 60 java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -Dlog4j2.configurationFile="$LOG4J_TOOLS" -cp "$LIBS_DIR/*" \
      "$(tool_class BrokerApiVersionsCommand)" --bootstrap-server "$BOOTSTRAP" 2>&1)" || return 1
  grep -q "$HOST:$PORT (id: 1" <<<"$out"
}

is_running() {
  local pid
  pid="$(read_pid)" || return 1
  pid_alive "$pid" && port_open "$PORT"
}

# ------------------------------------------------------------------ start ---
cmd_start() {
  require_tools
  acquire_lock
  local pid
  if pid="$(read_pid)"; then
    if pid_alive "$pid"; then
      if port_open "$PORT"; then
        log "already running (pid $pid) -- nothing to do"
        log "bootstrap: $BOOTSTRAP"
        return 0
      fi
      log "process $pid is alive but port $PORT is not answering yet; waiting ..."
      wait_ready "$pid"
      return 0
    fi
    log "removing stale pid file (pid $pid is not a running Kafka broker)"
    rm -f "$PID_FILE"
  fi
  if port_open "$PORT"; then
    err "port $PORT is already in use by another process (not started by this script)."
    err "stop it, or pick another port with PARLANCE_KAFKA_PORT=..."
    exit 1
  fi
  if port_open "$CONTROLLER_PORT"; then
    err "controller port $CONTROLLER_PORT is in use; set PARLANCE_KAFKA_CONTROLLER_PORT=..."
    exit 1
  fi

  install_kafka
  write_configs
  format_storage

  log "starting Kafka $KAFKA_VERSION on $BOOTSTRAP (controller $HOST:$CONTROLLER_PORT)"
  : >"$SERVER_OUT"
  # shellcheck disable=SC2086  # HEAP_OPTS is intentionally word-split
  (
    exec 9>&- # do not leak the lock fd into the long-running broker
    cd "$STATE_DIR"
    exec setsid nohup java $HEAP_OPTS \
      -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
      -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true \
      -Dkafka.logs.dir="$LOG_DIR" \
      -Dlog4j2.configurationFile="$LOG4J_SERVER" \
      -cp "$LIBS_DIR/*" kafka.Kafka "$SERVER_CONF" \
      >>"$SERVER_OUT" 2>&1 </dev/null
  ) &
  pid=$!
  echo "$pid" >"$PID_FILE"
  wait_ready "$pid"
}

# Readiness budget: a broker loads every partition's log before it answers, so the default grows with them.
start_timeout() {
  if [[ -n "$START_TIMEOUT" ]]; then
    echo "$START_TIMEOUT"
    return
  fi
  local dirs=0
  if [[ -d "$DATA_DIR" ]]; then
    dirs="$(find "$DATA_DIR" -mindepth 1 -maxdepth 1 -type d | wc -l)"
  fi
  echo $((90 + dirs / 50))
}

wait_ready() {
  local pid="$1"
  local timeout
  timeout="$(start_timeout)"
  if ((timeout > 120)); then
    log "the data directory holds many partitions; allowing ${timeout}s to load them"
  fi
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      err "Kafka process $pid exited during startup."
      dump_logs
      rm -f "$PID_FILE"
      exit 1
    fi
    if port_open "$PORT" && broker_answers; then
      log "ready (pid $pid)"
      log "bootstrap: $BOOTSTRAP"
      echo "PARLANCE_KAFKA_BOOTSTRAP=$BOOTSTRAP"
      return 0
    fi
    sleep 1
  done
  err "Kafka did not answer on $BOOTSTRAP within ${timeout}s (pid $pid still running; see $SERVER_LOG)."
  dump_logs
  exit 1
}

dump_logs() {
  local f
  for f in "$SERVER_OUT" "$SERVER_LOG"; do
    if [[ -s "$f" ]]; then
      echo "----- last 40 lines of $f -----" >&2
      tail -n 40 "$f" >&2 || true
    fi
  done
}

# ------------------------------------------------------------------- stop ---
cmd_stop() {
  acquire_lock
  local pid
  if ! pid="$(read_pid)"; then
    log "not running (no pid file) -- nothing to do"
    return 0
  fi
  if ! pid_alive "$pid"; then
    log "not running (stale pid file for $pid removed)"
    rm -f "$PID_FILE"
    return 0
  fi
  log "stopping Kafka (pid $pid, SIGTERM) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after ${STOP_TIMEOUT}s -- sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

# ----------------------------------------------------------------- status ---
cmd_status() {
  local pid
  if pid="$(read_pid)" && pid_alive "$pid"; then
    if port_open "$PORT"; then
      log "running (pid $pid), bootstrap: $BOOTSTRAP"
      return 0
    fi
    log "process $pid alive but $BOOTSTRAP not answering (starting or unhealthy)"
    return 3
  fi
  if [[ -f "$PID_FILE" ]]; then
    log "not running (stale pid file $PID_FILE)"
  else
    log "not running"
  fi
  return 3
}

# ----------------------------------------------------------- topics-reset ---
cmd_topics_reset() {
  if ! is_running; then
    err "Kafka is not running; start it first"
    exit 3
  fi
  write_configs >/dev/null
  local topic_cls topics regex
  topic_cls="$(tool_class TopicCommand)"
  topics="$(kafka_java "$topic_cls" --bootstrap-server "$BOOTSTRAP" --list --exclude-internal \
            | grep -v '^__' || true)"
  if [[ -z "$topics" ]]; then
    log "no application topics to delete"
    return 0
  fi
  log "deleting topics: $(tr '\n' ' ' <<<"$topics")"
  regex="^($(sed 's/\./\\./g' <<<"$topics" | paste -sd '|'))\$"
  kafka_java "$topic_cls" --bootstrap-server "$BOOTSTRAP" --delete --topic "$regex"
  log "done"
}

cmd_wipe() {
  cmd_stop
  log "deleting $DATA_DIR and $LOG_DIR"
  rm -rf "$DATA_DIR" "$LOG_DIR" "$CLUSTER_ID_FILE"
}

cmd_logs() {
  [[ -f "$SERVER_LOG" ]] || { err "no log at $SERVER_LOG"; exit 1; }
  tail -n "${LINES:-100}" "$SERVER_LOG"
}

main() {
  local cmd="${1:-}"
  case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    status) cmd_status ;;
    topics-reset) cmd_topics_reset ;;
    wipe) cmd_wipe ;;
    logs) cmd_logs ;;
    install) require_tools; mkdir -p "$CACHE_DIR"; install_kafka >&2; echo "$LIBS_DIR" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
