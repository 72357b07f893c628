"""`SpeakerDiarization` whose CAM++ frame features are computed once per second of audio, not once per chunk.

pyannote embeds every (chunk, local speaker) pair by running the embedding network over the whole 10 s chunk;
with the default step (1 s) every second of audio goes through the network ten times, which on CPU is ~90 % of
the pipeline's time. CAM++ is convolutional up to its statistics pooling, so here its frame-level features are
computed once over the recording (in 10 s blocks with 1 s of context each side, each block mean-normalised as
a chunk would be), and each (chunk, speaker) embedding pools the frames under that chunk with the speaker's
mask. Segmentation, overlap handling, clustering and reconstruction stay pyannote's.

The plain per-chunk path stays available (`OfflinePipelineConfig.shared_frames=False`) so the benchmark can
show what this costs in DER.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from pyannote.audio.pipelines import SpeakerDiarization
from pyannote.core import SlidingWindowFeature

from inference.diarization.campp import EMBEDDING_DIM, CamPlusPlus

BLOCK_S = 10.0
CONTEXT_S = 1.0
FRAME_S = 0.02  # CAM++ frame rate after its stride-2 TDNN (fbank hop 10 ms)
FRAME_OFFSET_S = 0.0125  # centre of the first frame's 25 ms window
BLOCKS_PER_BATCH = 8


class SharedFramesSpeakerDiarization(SpeakerDiarization):
    def get_embeddings(
        self,
        file: Any,
        binary_segmentations: SlidingWindowFeature,
        exclude_overlap: bool = False,
        hook: Callable[..., Any] | None = None,
    ) -> np.ndarray:
        model = self._embedding.model_
        if not isinstance(model, CamPlusPlus) or self.training:
            return super().get_embeddings(file, binary_segmentations, exclude_overlap=exclude_overlap, hook=hook)
        waveform, sample_rate = self._audio(file)
        features = frame_features(model, waveform[0], sample_rate, hook)  # (frames, channels) at 50 Hz
        data = np.nan_to_num(binary_segmentations.data, nan=0.0).astype(np.float32)
        num_chunks, num_frames, num_speakers = data.shape
        window = binary_segmentations.sliding_window
        if exclude_overlap:
            clean = data * (data.sum(axis=2, keepdims=True) < 2)
            enough = clean.sum(axis=1, keepdims=True) > 2  # pyannote: fall back to the full mask when too short
            data = np.where(enough, clean, data)
        embeddings = np.full((num_chunks, num_speakers, EMBEDDING_DIM), np.nan, dtype=np.float32)
        per_chunk = int(round(window.duration / FRAME_S))
        offsets = np.arange(per_chunk)
        mask_index = np.minimum((offsets * FRAME_S + FRAME_OFFSET_S) / window.duration * num_frames, num_frames - 1)
        mask_index = mask_index.astype(int)
        device = next(model.parameters()).device
        batch = 64
        with torch.inference_mode():
            for first in range(0, num_chunks, batch):
                chunks = range(first, min(num_chunks, first + batch))
                frames, weights, targets = [], [], []
                for c in chunks:
                    start = int(round((window.start + c * window.step) / FRAME_S))
                    idx = np.clip(start + offsets, 0, features.shape[0] - 1)
                    block = features[idx]
                    for s in range(num_speakers):
                        w = data[c, mask_index, s] * (start + offsets < features.shape[0])
                        if w.sum() <= 0:
                            continue
                        frames.append(block)
                        weights.append(w)
                        targets.append((c, s))
                if not targets:
                    continue
                x = torch.from_numpy(np.stack(frames)).to(device).transpose(1, 2)  # (B, channels, frames)
                w = torch.from_numpy(np.stack(weights)).to(device)
                out = model.net.pool(x, w).float().cpu().numpy()
                for (c, s), emb in zip(targets, out):
                    embeddings[c, s] = emb
        return embeddings


def frame_features(
    model: CamPlusPlus, waveform: torch.Tensor, sample_rate: int, hook: Callable[..., Any] | None = None
) -> np.ndarray:
    """CAM++ frame features (frames, channels) of a whole mono recording, block by block (bounded memory)."""
    total = waveform.shape[-1]
    block, context = int(BLOCK_S * sample_rate), int(CONTEXT_S * sample_rate)
    starts = list(range(0, max(total, 1), block))
    num_frames = max(1, math.ceil(total / sample_rate / FRAME_S))
    out: np.ndarray | None = None
    device = next(model.parameters()).device
    batches = [starts[i : i + BLOCKS_PER_BATCH] for i in range(0, len(starts), BLOCKS_PER_BATCH)]
    if hook is not None:
        hook("embeddings", None, total=len(batches), completed=0)
    keep = int(round(BLOCK_S / FRAME_S))
    with torch.inference_mode():
        for done, group in enumerate(batches, 1):
            width = block + 2 * context
            pieces, skips = [], []
            for start in group:
                # Inside the recording where possible: zero padding would skew the block's mean normalisation.
                lo = min(max(0, start - context), max(0, total - width))
                piece = waveform[lo : lo + width]
                pieces.append(torch.nn.functional.pad(piece, (0, width - piece.shape[-1])))
                skips.append(int(round((start - lo) / sample_rate / FRAME_S)))
            x = torch.stack(pieces).unsqueeze(1).to(device)
            feats = model.net.frames(model.compute_fbank(x)).transpose(1, 2).float().cpu().numpy()
            if out is None:
                out = np.zeros((num_frames, feats.shape[-1]), dtype=np.float32)
            for start, skip, f in zip(group, skips, feats):
                first = int(round(start / sample_rate / FRAME_S))
                n = min(keep, f.shape[0] - skip, num_frames - first)
                if n > 0:
                    out[first : first + n] = f[skip : skip + n]
            if hook is not None:
                hook("embeddings", None, total=len(batches), completed=done)
    assert out is not None
    return out
