"""Issue 17.4: domain context through the real pipeline (Ray Serve, tiny.en) on synthetic speech (espeak-ng).

Measured on this machine with tiny.en through the pipeline (WER off → on): legal 0.20 → 0.00 ("war around" →
"voir dire"), medical 0.55 → 0.18 ("meadow pralau" → "metoprolol"), finance 0.92 → 0.33 ("just to them" →
"EBITDA"). The test asserts the term and the direction of the WER, not the measured values.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from inference.domains import DOMAINS
from inference.pipeline import TranscriptionPipeline
from schemas.options import JobOptions
from tests.integration.inference.test_pipeline_real_speech import normalise, pipeline, wer  # noqa: F401

pytestmark = pytest.mark.slow

CASES = [
    ("legal", "The judge began voir dire on Monday, and counsel filed a motion for habeas corpus.", "voir dire"),
    ("medical", "The patient takes fifty milligrams of metoprolol and atorvastatin every morning.", "metoprolol"),
    ("finance", "Adjusted EBITDA rose twelve percent, and amortization fell by forty basis points.", "ebitda"),
]


@pytest.mark.parametrize(("domain", "text", "term"), CASES, ids=[c[0] for c in CASES])
async def test_domain_term_is_recognised_with_the_domain_on(
    pipeline: TranscriptionPipeline, espeak: str, tmp_path: Path, domain: str, text: str, term: str  # noqa: F811
) -> None:
    assert domain in DOMAINS
    path = tmp_path / f"{domain}.wav"
    subprocess.run([espeak, "-v", "en-us", "-s", "150", "-w", str(path), text], check=True)
    prepared = await pipeline.prepare(path)
    off = normalise((await pipeline.transcribe(prepared, JobOptions(language="en"))).text)
    on = normalise((await pipeline.transcribe(prepared, JobOptions(language="en", domain=domain))).text)  # type: ignore[arg-type]
    print(f"{domain}: off={off!r} (WER {wer(text, off):.2f}) on={on!r} (WER {wer(text, on):.2f})")
    assert term in on, on
    assert term not in off, f"tiny.en got {term!r} without help; pick a harder term ({off!r})"
    assert wer(text, on) < wer(text, off), (off, on)
