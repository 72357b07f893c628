"""Starting and stopping the local services through the project's own scripts in infra/local."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
INFRA_LOCAL = REPO_ROOT / "infra" / "local"


def _script(name: str, action: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(INFRA_LOCAL / name), action], text=True, capture_output=True)


def kafka_running() -> bool:
    return _script("kafka.sh", "status").returncode == 0


def start_kafka() -> bool:
    """Start the local broker if it is not running; True when this call started it."""
    if kafka_running():
        return False
    result = _script("kafka.sh", "start")
    if result.returncode != 0:
        raise RuntimeError(f"could not start Kafka:\n{result.stdout}\n{result.stderr}")
    return True


def stop_kafka() -> None:
    _script("kafka.sh", "stop")
