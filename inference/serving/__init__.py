"""Ray Serve applications (ASR per model, diarization) and their specs; see docs/inference.md."""
