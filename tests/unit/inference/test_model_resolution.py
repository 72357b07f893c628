"""Model names resolve offline to CTranslate2 directories; the split base model is joined once, atomically."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inference.config import InferenceConfig
from inference.errors import ModelNotAllowedError
from inference.models import _base_parts, check_allowed, ensure_base_model, is_english_only, resolve_model


def test_tiny_en_is_bundled(tmp_path: Path) -> None:
    model_dir = Path(resolve_model("tiny.en", tmp_path))
    assert (model_dir / "model.bin").is_file() and (model_dir / "config.json").is_file()
    assert is_english_only("tiny.en") and is_english_only(str(model_dir))


def test_base_is_joined_once(tmp_path: Path) -> None:
    part1, part2_dir = _base_parts()
    expected = part1.stat().st_size + (part2_dir / "model.bin.part2").stat().st_size
    model_dir = Path(resolve_model("base", tmp_path))
    model_bin = model_dir / "model.bin"
    assert model_dir == tmp_path / "whisper-base"
    assert model_bin.stat().st_size == expected
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        assert (model_dir / name).is_file()
    assert not [p for p in model_dir.iterdir() if p.name.startswith(".")], "no temp files left behind"
    assert not is_english_only("base") and not is_english_only(str(model_dir))

    mtime = model_bin.stat().st_mtime_ns
    ensure_base_model(tmp_path)
    assert model_bin.stat().st_mtime_ns == mtime, "second call reuses the joined file"


def test_truncated_base_is_rebuilt(tmp_path: Path) -> None:
    """A size mismatch (e.g. an older partial copy) is repaired rather than loaded."""
    model_dir = ensure_base_model(tmp_path)
    expected = (model_dir / "model.bin").stat().st_size
    with (model_dir / "model.bin").open("r+b") as fh:
        fh.truncate(1000)
    ensure_base_model(tmp_path)
    assert (model_dir / "model.bin").stat().st_size == expected


def test_directory_passes_through(tmp_path: Path) -> None:
    assert resolve_model(str(tmp_path), tmp_path) == str(tmp_path)


@pytest.mark.parametrize("name", ["large-v3", "Systran/faster-whisper-large-v3", "distil-large-v3"])
def test_remote_names_pass_through(tmp_path: Path, name: str) -> None:
    assert resolve_model(name, tmp_path) == name
    assert not os.listdir(tmp_path), "nothing downloaded or written"


@pytest.mark.parametrize("name", ["gpt-4", "not a model", "../etc", "a/b/c"])
def test_unknown_names_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ModelNotAllowedError) as info:
        resolve_model(name, tmp_path)
    assert info.value.code == "model_not_allowed"


def test_allow_list() -> None:
    check_allowed("tiny.en", ["tiny.en", "base"])
    with pytest.raises(ModelNotAllowedError, match="not allowed"):
        check_allowed("large-v3", ["tiny.en", "base"])


def test_english_only_names() -> None:
    assert is_english_only("small.en") and is_english_only("distil-medium.en")
    assert not is_english_only("large-v3") and not is_english_only("Systran/faster-whisper-large-v3")


def test_config_defaults() -> None:
    cfg = InferenceConfig()
    assert cfg.asr_model == "tiny.en" and cfg.num_asr_actors == 0 and cfg.max_chunk_s == 30
    assert cfg.model_cache_dir == Path.home() / ".cache" / "parlance" / "models"
