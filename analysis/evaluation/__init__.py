"""Measuring the call analysis: a labelled call set, its synthesis as audio, the real pipeline over it, scores.

Lives in the package (not under tests/) because both `benchmarks/analysis_eval.py` and the tests import it, and
the scoring rules (what counts as the right name, outcome, PII type) belong to the analysis domain. Nothing here
is imported by the analysis itself; `pipeline` imports the inference models only when it runs.
"""
