"""Real speech and one Ray for the whole session (starting Ray and loading models is the slow part).

`sample_wav` is pyannote.audio's bundled 30 s two-speaker phone call (tests/support/samples.py). Here the
pipeline is held to parity with plain faster-whisper on it, and to an absolute WER on espeak-ng speech whose
text is known; the absolute WER against the call's own transcript (sample.stm) is checked end to end in
tests/e2e.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from inference.config import InferenceConfig
from inference.runtime import RayRuntime
from tests.support import samples


@pytest.fixture(scope="session")
def sample_wav() -> Path:
    """30 s of real two-speaker telephone English (16 kHz mono WAV), see tests/support/samples.py."""
    return samples.sample_wav()


@pytest.fixture(scope="session")
def espeak() -> str:
    path = shutil.which("espeak-ng")
    if path is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng) — synthetic-speech WER test skipped")
    return path


@pytest.fixture(scope="session")
def inference_config(tmp_path_factory: pytest.TempPathFactory) -> InferenceConfig:
    """Bounded to 2 CPUs so the suite behaves the same on a laptop and on the 2-core CI box."""
    return InferenceConfig(ray_num_cpus=2, ray_object_store_bytes=256 * 1024 * 1024)


@pytest.fixture(scope="session")
def ray_runtime(inference_config: InferenceConfig) -> Iterator[RayRuntime]:
    runtime = RayRuntime(inference_config)
    runtime.start()
    yield runtime
    runtime.stop()
