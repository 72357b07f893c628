"""The Kubernetes manifests (infra/k8s) are valid against the Kubernetes and operator schemas, offline after the
first run (infra/k8s/validate.sh caches tools and schemas outside the clone), and say what the code and
infra/docker-compose.yml say."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.topics import TOPICS

REPO = Path(__file__).resolve().parents[3]
K8S = REPO / "infra" / "k8s"
VALIDATE = K8S / "validate.sh"

pytestmark = pytest.mark.skipif(shutil.which("go") is None or shutil.which("java") is None, reason="needs go and java")


def _validate(*files: Path) -> subprocess.CompletedProcess[str]:
    env_python = {"PYTHON": sys.executable}
    return subprocess.run(["bash", str(VALIDATE), *map(str, files)], capture_output=True, text=True, timeout=900,
                          env={**__import__("os").environ, **env_python})  # fmt: skip


def _docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def _base(kind: str) -> list[dict[str, Any]]:
    return [d for f in sorted((K8S / "base").glob("*.yaml")) for d in _docs(f) if d.get("kind") == kind]


def test_base_and_every_overlay_are_valid() -> None:
    result = _validate()
    assert result.returncode == 0, result.stdout + result.stderr
    overlays = sorted(p.name for p in (K8S / "overlays").iterdir())
    summaries = re.findall(r"Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)", result.stdout)
    assert len(summaries) == 1 + len(overlays), result.stdout
    for valid, invalid, errors, skipped in summaries:
        assert int(valid) > 15 and invalid == errors == "0", result.stdout
        # The Kafka cluster, its node pool and one KafkaTopic per streams.topics spec.
        assert skipped == str(2 + len(TOPICS)), "only the Strimzi kinds are left to the Strimzi model check"
    strimzi = re.findall(r"Strimzi model [\d.]+: (\d+) resources - Valid: (\d+), Invalid: (\d+)", result.stdout)
    n = str(2 + len(TOPICS))
    assert strimzi == [(n, n, "0")] * (1 + len(overlays)), result.stdout


def test_misspelt_fields_and_wrong_types_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n"
        "  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers:\n"
        "        - {name: c, image: i, livenesProbe: {httpGet: {path: /healthz, port: 80}}}\n"
        "---\napiVersion: ray.io/v1\nkind: RayService\nmetadata: {name: r}\nspec:\n  rayClusterConfig:\n"
        "    headGroupSpec: {rayStartParams: {}, template: {spec: {containers: [{name: h, image: i}]}}}\n"
        "    workerGroupSpecs: [{groupName: g, replica: 1, minReplicas: 0, maxReplicas: 1, rayStartParams: {},"
        " template: {spec: {containers: [{name: w, image: i}]}}}]\n"
        "---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata: {name: t}\nspec: {partition: 3, replicas: 3}\n"
    )
    result = _validate(bad)
    assert result.returncode == 1
    assert "'livenesProbe' not allowed" in result.stdout
    assert "'replica' not allowed" in result.stdout
    assert "unknown field(s) [partition]" in result.stdout


def test_kafka_topics_are_those_of_streams_topics() -> None:
    declared = {t["spec"]["topicName"]: t["spec"] for t in _base("KafkaTopic")}
    assert set(declared) == {spec.name for spec in TOPICS}
    for spec in TOPICS:
        topic = declared[spec.name]
        assert topic["partitions"] == spec.partitions
        assert topic["replicas"] == 3 and topic["config"]["min.insync.replicas"] == 2
        for key, value in spec.configs.items():
            assert str(topic["config"][key]) == value, (spec.name, key)
    [config] = _base("ConfigMap")
    assert config["data"]["PARLANCE_TOPIC_REPLICATION_FACTOR"] == "3"
    [scaled] = _base("ScaledObject")
    jobs = next(s for s in TOPICS if s.name == "parlance.jobs.events")
    assert scaled["spec"]["triggers"][0]["metadata"]["topic"] == jobs.name
    assert scaled["spec"]["maxReplicaCount"] == jobs.partitions


def test_compose_and_kubernetes_agree() -> None:
    compose = yaml.safe_load((REPO / "infra" / "docker-compose.yml").read_text())
    services = compose["services"]
    [config] = _base("ConfigMap")
    secret = next(s for s in _base("Secret") if s["metadata"]["name"] == "parlance-secrets")
    k8s_env = set(config["data"]) | set(secret["stringData"])
    # MinIO stands in for S3 in compose; Kubernetes uses the provider's S3 endpoint and credentials.
    compose_only = {"PARLANCE_S3_ENDPOINT_URL", "PARLANCE_S3_PUBLIC_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"}
    assert set(compose["x-parlance-env"]) - compose_only <= k8s_env
    # environment=production refuses to start without these (api/settings.py): both stacks must set them.
    assert {"PARLANCE_UPLOAD_URL_SECRET", "PARLANCE_ENVIRONMENT"} <= set(compose["x-parlance-env"]) & k8s_env
    deployments = {d["metadata"]["name"]: d["spec"]["template"]["spec"]["containers"][0] for d in _base("Deployment")}
    assert deployments["parlance-api"]["command"] == services["api"]["command"]
    assert deployments["parlance-worker"]["command"] == services["worker"]["command"]
    assert deployments["parlance-api"]["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert "/healthz" in " ".join(services["api"]["healthcheck"]["test"])
    [clickhouse] = _base("StatefulSet")
    assert clickhouse["spec"]["template"]["spec"]["containers"][0]["image"].endswith(
        ":" + re.search(r"CLICKHOUSE_VERSION:-([^}]+)", services["clickhouse"]["image"]).group(1)
    )
    [rayservice] = _base("RayService")
    ray_compose = re.search(r"ray:\$\{RAY_VERSION:-([^}]+)\}", compose["x-ray-build"]["args"]["RAY_IMAGE"]).group(1)
    import ray

    assert rayservice["spec"]["rayClusterConfig"]["rayVersion"] == ray_compose == ray.__version__
    [postgres] = _base("Cluster")
    assert postgres["spec"]["imageName"].endswith(":" + re.search(r"POSTGRES_VERSION:-([^}]+)", services["postgres"]["image"]).group(1))


def test_rayservice_deploys_the_applications_the_workers_look_up() -> None:
    from inference.serving.specs import DIARIZATION_APP, asr_app_name

    [rayservice] = _base("RayService")
    apps = {a["name"]: a for a in yaml.safe_load(rayservice["spec"]["serveConfigV2"])["applications"]}
    [config] = _base("ConfigMap")
    assert set(apps) == {asr_app_name(config["data"]["PARLANCE_ASR_MODEL"]), DIARIZATION_APP}
    for app in apps.values():
        module, _, attr = app["import_path"].partition(":")
        assert callable(getattr(__import__(module, fromlist=[attr]), attr))
