"""`ray start` for the local cluster, with a longer wait for the new node to register with the GCS.

`ray start` gives a node's raylet 30 s (a constant inside Ray) to appear in the GCS and then gives up; on a
busy two-core machine (three JVMs starting next to it, other test runs) a healthy raylet takes longer. This
wraps Ray's own CLI unchanged except that lookup, which it retries for RAY_NODE_REGISTER_WAIT_S (default 180)
while the node's raylet is alive (a raylet also aborts when its dashboard agent has not written its port within
15 s; then the node is started again by cli/cluster.py).
Local cluster only: production nodes are started by KubeRay.

    python -m cli.ray_start start --head ...   # same arguments as `ray start`
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any


def _raylet_alive() -> bool:
    """The raylet this `ray start` spawned still runs (it aborts when its agents start too slowly)."""
    import psutil

    from cli.cluster_parts import raylet_running

    return raylet_running(psutil.Process())


def _patient_get_node(get_node: Any, wait_s: float) -> Any:
    def get_node_patiently(*args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                return get_node(*args, **kwargs)
            except RuntimeError:
                # A dead raylet never registers: give up at once, so the caller can start the node again.
                if time.monotonic() > deadline or not _raylet_alive():
                    raise
                time.sleep(0.5)

    return get_node_patiently


def main() -> int:
    import ray._private.services as services
    from ray.scripts.scripts import main as ray_main

    services.get_node = _patient_get_node(services.get_node, float(os.environ.get("RAY_NODE_REGISTER_WAIT_S", "180")))
    sys.argv[0] = "ray"
    return ray_main()


if __name__ == "__main__":
    sys.exit(main())
