"""A Faust worker running only the metering sink, for the kill-mid-batch test (run as a subprocess).

--crash-on-batch K: SIGKILL this process right after the K-th batch reached ClickHouse, before its offsets
are acked or committed: the worst moment for double counting.
--expect N: print the ClickHouse totals as JSON and exit once N distinct events are stored and the sink
has been idle for a moment.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

from metering import sink as sink_module
from metering.clickhouse import ClickHouseClients, ClickHouseConfig, ensure_database
from metering.migrate import migrate
from streams.kafka_transport import RewindingApp


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--chdb", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--crash-on-batch", type=int, default=0)
    parser.add_argument("--expect", type=int, default=0)
    args = parser.parse_args()

    config = ClickHouseConfig(url=os.environ.get("PARLANCE_CLICKHOUSE_URL") or None, chdb_path=Path(args.chdb), database=args.database)
    ensure_database(config)
    clients = ClickHouseClients(config)
    migrate(clients.get())
    stats = {"batches": 0, "received": 0, "written": 0}

    original = sink_module.ClickHouseUsageWriter.write_sync

    def observed_write(self: sink_module.ClickHouseUsageWriter, events: list) -> int:  # type: ignore[type-arg]
        written = original(self, events)
        stats["batches"] += 1
        stats["received"] += len(events)
        stats["written"] += written
        print(f"batch {stats['batches']}: {len(events)} received, {written} new", file=sys.stderr, flush=True)
        if stats["batches"] == args.crash_on_batch:
            os.kill(os.getpid(), signal.SIGKILL)  # after the insert, before ack and commit
        return written

    sink_module.ClickHouseUsageWriter.write_sync = observed_write  # type: ignore[method-assign]

    app = RewindingApp(
        args.group, broker=f"kafka://{args.bootstrap}", topic_allow_declare=False, topic_disable_leader=True,
        web_enabled=False, consumer_auto_offset_reset="earliest", broker_commit_every=10,
        broker_commit_interval=0.5, datadir=str(Path(args.chdb).parent / f"faust-{os.getpid()}"),
    )
    sink_module.attach_usage_sink(app, args.topic, lambda: clients, max_events=args.batch, max_wait_ms=300)
    idle = {"since": time.monotonic(), "last": -1}

    @app.timer(0.5)
    async def report() -> None:
        if not args.expect:
            return
        totals = await clients.run(lambda c: c.query(
            "SELECT uniqExact(event_id), count(), sum(billable_seconds), "
            "(SELECT sum(billable_seconds) FROM usage_daily) FROM usage_events").first_row)
        if totals[0] != idle["last"]:
            idle.update(since=time.monotonic(), last=totals[0])
        if totals[0] >= args.expect and time.monotonic() - idle["since"] > 3:
            print("RESULT " + json.dumps({"distinct": totals[0], "rows": totals[1], "billable": totals[2],
                              "rollup_billable": totals[3], **stats}), flush=True)
            os._exit(0)

    sys.argv = [sys.argv[0], "worker", "--loglevel", "warn"]
    app.main()


if __name__ == "__main__":
    main()
