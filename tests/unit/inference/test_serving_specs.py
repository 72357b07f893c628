"""Serve application specs from settings: replica counts, threads, GPU requests, autoscaling, names.

No GPU here: these check that the options `serve.run` (and a RayService manifest) get ask for what the
docs' sizing table says (docs/inference.md)."""

from __future__ import annotations

from inference.config import InferenceConfig
from inference.serving import specs


def test_cpu_layout_is_one_single_threaded_replica_per_core_on_small_boxes() -> None:
    cfg = InferenceConfig()
    assert specs.asr_layout(cfg, cluster_cpus=2, cluster_gpus=0) == specs.AsrLayout(2, 2, 1)
    assert specs.asr_layout(cfg, cluster_cpus=16, cluster_gpus=0) == specs.AsrLayout(8, 8, 2)
    fixed = InferenceConfig(num_asr_actors=3, asr_threads_per_actor=2)
    assert specs.asr_layout(fixed, cluster_cpus=2, cluster_gpus=0) == specs.AsrLayout(3, 3, 2)


def test_gpu_replicas_ask_for_gpu_fractions_and_load_float16() -> None:
    cfg = InferenceConfig(device="cuda", gpus_per_actor=0.5, asr_model="large-v3")
    layout = specs.asr_layout(cfg, cluster_cpus=16, cluster_gpus=2)
    assert layout == specs.AsrLayout(4, 4, 2)
    options = specs.asr_deployment_options(cfg, "large-v3", layout)
    assert options["ray_actor_options"] == {"num_cpus": 0, "num_gpus": 0.5}
    assert options["num_replicas"] == 4 and "autoscaling_config" not in options
    init = specs.asr_init_args(cfg, "large-v3", layout.threads)
    assert (init["device"], init["compute_type"], init["model_name"]) == ("cuda", "float16", "large-v3")
    auto = InferenceConfig(device="auto", gpus_per_actor=0.25, compute_type="int8_float16")
    assert specs.asr_device(auto) == ("cuda", "int8_float16")


def test_autoscaling_between_min_and_max() -> None:
    cfg = InferenceConfig(device="cuda", gpus_per_actor=1, num_asr_actors=1, asr_max_replicas=6, asr_cpus_per_replica=2)
    layout = specs.asr_layout(cfg, cluster_cpus=8, cluster_gpus=1)
    options = specs.asr_deployment_options(cfg, "large-v3", layout)
    assert options["autoscaling_config"]["min_replicas"] == 1 and options["autoscaling_config"]["max_replicas"] == 6
    assert "num_replicas" not in options
    assert options["ray_actor_options"] == {"num_cpus": 2, "num_gpus": 1}
    assert options["max_ongoing_requests"] >= cfg.asr_max_batch_clips  # a full batch fits on one replica


def test_diarization_replicas_take_one_request_each_and_hide_the_token() -> None:
    cfg = InferenceConfig(gpus_per_diarization_actor=0.5, num_diarization_actors=2, diarization_token="hf_secret")
    init = specs.diarization_init_args(cfg, node_cpus=8)
    assert init["device"] == "cuda"
    options = specs.diarization_deployment_options(cfg)
    assert options["max_ongoing_requests"] == 1 and options["num_replicas"] == 2
    assert options["ray_actor_options"] == {"num_cpus": 0, "num_gpus": 0.5}
    assert "hf_secret" not in repr(options)
    cpu = specs.diarization_init_args(InferenceConfig(), node_cpus=8)
    assert cpu["device"] == "cpu" and cpu["threads"] == 4


def test_one_application_per_model_and_distinct_names_for_directories() -> None:
    assert specs.asr_app_name("tiny.en") == "parlance-asr-tiny.en"
    a, b = specs.asr_app_name("/models/a b"), specs.asr_app_name("/models/a-b")
    assert a != b and a.startswith(specs.ASR_APP_PREFIX)
    assert specs.asr_app_name("Systran/faster-whisper-large-v3") != specs.asr_app_name("systran/faster-whisper-large-v3")
