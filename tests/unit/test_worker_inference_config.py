"""The worker's settings reach InferenceConfig by field name (streams/resources.inference_config)."""

from __future__ import annotations

from pathlib import Path

from inference.config import InferenceConfig
from streams.resources import inference_config
from streams.settings import WorkerSettings


def test_every_shared_knob_reaches_the_config(tmp_path: Path) -> None:
    settings = WorkerSettings(
        asr_model="base.en", allowed_models=["base.en"], device="cuda", compute_type="float16", num_asr_actors=2,
        asr_max_replicas=4, asr_threads_per_actor=3, asr_cpus_per_replica=1.5, gpus_per_actor=0.5, asr_batch_size=4,
        asr_max_batch_clips=6, asr_batch_wait_s=0.2, asr_request_timeout_s=90.0, ray_address="ray://head:10001", ray_num_cpus=7,
        ray_object_store_bytes=300 * 1024 * 1024, model_cache_dir=tmp_path, diarization_model="/models/pipe",
        diarization_token="hf_x", diarization_device="cpu", diarization_segmentation_step=0.2,
        num_diarization_actors=2, diarization_threads_per_actor=2, gpus_per_diarization_actor=0.25,
    )
    config = inference_config(settings)
    shared = set(WorkerSettings.model_fields) & set(InferenceConfig.model_fields)
    assert len(shared) >= 20  # the name match is what carries them: a rename on one side shows up here
    assert {n: getattr(config, n) for n in shared} == {n: getattr(settings, n) for n in shared}
    assert config.batch_size == 4


def test_unset_settings_keep_the_config_defaults() -> None:
    unset = WorkerSettings(model_cache_dir=None, diarization_segmentation_step=None, ray_address=None)
    config, default = inference_config(unset), InferenceConfig()
    assert config.model_cache_dir == default.model_cache_dir
    assert config.diarization_segmentation_step == default.diarization_segmentation_step
    assert config.ray_address is None and config.batch_size == unset.asr_batch_size
