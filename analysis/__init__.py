"""Call analytics: speaker roles, PII detection/redaction, call type/outcome, summary, sentiment, extraction.

Offline by default (spaCy + Presidio, MiniLM embeddings, VADER, YAKE; all from PyPI, nothing downloaded at run
time); an OpenAI-compatible LLM endpoint can answer instead, with the offline path as fallback. See
docs/analysis.md. Import `analysis.analyzer.Analyzer` where models are to be loaded (a worker, a Ray actor).
"""
