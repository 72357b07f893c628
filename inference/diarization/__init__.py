"""Speaker diarization on pyannote.audio 4 (see docs/diarization.md).

Modules import torch/pyannote only when used, so `inference.diarization.channels` and the schemas stay light:
- `diarizer.Diarizer`: the interface (offline bundled weights, or a pyannote Hub id / local dir with a token);
- `worker.DiarizationWorker`: the engine a Serve replica holds (inference/serving/diarization_app.py);
  `stage.DiarizationStage`: the worker side of `diarizing`;
- `files.diarize_file`: one call for scripts; `channels.decode_channels`: per-channel decode for call audio;
- `offline`, `campp`, `shared_frames`: the project-owned pipeline; `progress`: pyannote hook -> fraction;
  `quiet`: pyannote telemetry off.
"""
