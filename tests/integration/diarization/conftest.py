"""Real speech for diarization: pyannote.audio's sample.wav + sample.rttm, and espeak-ng conversations whose
turns are known because they are built from separately synthesised utterances (voices made distinct with
espeak's pitch and a sox pitch shift). One offline Diarizer for the session: loading it is the slow part.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.diarization.synthetic_conversations import Conversation, synthesize

from tests.support import samples


@pytest.fixture(scope="session")
def sample_wav() -> Path:
    return samples.sample_wav()


@pytest.fixture(scope="session")
def sample_reference() -> Any:
    from pyannote.database.util import load_rttm

    return next(iter(load_rttm(str(samples.sample_dir() / "sample.rttm")).values()))


@pytest.fixture(scope="session")
def diarizer() -> Any:
    from inference.diarization.diarizer import Diarizer

    return Diarizer()


@pytest.fixture(scope="session")
def two_speakers(tmp_path_factory: pytest.TempPathFactory) -> Conversation:
    return synthesize(tmp_path_factory.mktemp("two"), "two", [0, 1, 0, 1, 0, 1, 0, 1])


@pytest.fixture(scope="session")
def three_speakers(tmp_path_factory: pytest.TempPathFactory) -> Conversation:
    return synthesize(tmp_path_factory.mktemp("three"), "three", [0, 1, 2, 0, 2, 1, 0, 2, 1])
