#!/usr/bin/env bash
# `make demo`: start the local stack (Kafka + API + worker), transcribe a real two-speaker call through the
# REST API with the CLI, print the transcript, and stop what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
export RAY_USAGE_STATS_ENABLED=0
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"  # the cached venv is shared by clones: use this one
export PARLANCE_DATA_DIR="${PARLANCE_DATA_DIR:-$PWD/.parlance/demo}"
export PARLANCE_PORT="${PARLANCE_PORT:-8000}"
export PARLANCE_API_URL="http://127.0.0.1:$PARLANCE_PORT"
parlance=.venv/bin/parlance

echo "==> starting Kafka (infra/local/kafka.sh)"
kafka_was_running=1
bash infra/local/kafka.sh status >/dev/null 2>&1 || kafka_was_running=0
bash infra/local/kafka.sh start

log="$PARLANCE_DATA_DIR/up.log"; mkdir -p "$PARLANCE_DATA_DIR"
echo "==> starting the API and the worker (parlance up; log: $log)"
setsid "$parlance" up --no-kafka >"$log" 2>&1 &
up_pid=$!
cleanup() {
  kill -INT "$up_pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$up_pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$up_pid" 2>/dev/null || true
  [ "$kafka_was_running" = 1 ] || bash infra/local/kafka.sh stop >/dev/null
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  curl -sf "$PARLANCE_API_URL/readyz" >/dev/null 2>&1 && break
  kill -0 "$up_pid" 2>/dev/null || { echo "parlance up exited; last log lines:" >&2; tail -40 "$log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$PARLANCE_API_URL/readyz" >/dev/null || { echo "stack not ready; see $log" >&2; exit 1; }

export PARLANCE_API_KEY="$("$parlance" keys create --account demo --plan business 2>/dev/null)"
sample="$(.venv/bin/python -c 'from tests.support.samples import sample_wav; print(sample_wav())')"
echo "==> transcribing $sample (a real two-speaker phone call) through $PARLANCE_API_URL"
echo
"$parlance" transcribe "$sample" --format txt
echo
echo "==> again with speaker diarization (pyannote on Ray), as subtitles (first cues):"
"$parlance" transcribe "$sample" --speakers --format srt | head -16
