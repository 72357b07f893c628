"""The S3 store configured the way docker compose and the Kubernetes manifests do it: only the bucket URL in
PARLANCE_*, endpoint, region and credentials in the standard AWS variables (what IAM roles also provide)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from schemas.settings import CommonSettings
from store.objects import S3ObjectStore, open_object_store


async def test_endpoint_and_credentials_from_the_aws_variables(
    s3_settings: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3_settings["PARLANCE_S3_ENDPOINT_URL"])
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3_settings["PARLANCE_S3_ACCESS_KEY_ID"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3_settings["PARLANCE_S3_SECRET_ACCESS_KEY"])
    monkeypatch.setenv("AWS_DEFAULT_REGION", s3_settings["PARLANCE_S3_REGION"])
    url = f"{s3_settings['PARLANCE_OBJECT_STORE_URL']}/t-{uuid.uuid4().hex[:12]}"
    store = open_object_store(CommonSettings(data_dir=tmp_path, object_store_url=url))
    assert isinstance(store, S3ObjectStore)
    await store.put_bytes("results/j/transcript.json", b"{}")
    assert await store.get_bytes("results/j/transcript.json") == b"{}"
    await store.delete_prefix("results")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong")  # the variables really are what authenticates
    with pytest.raises(Exception, match="(?i)signature|denied|forbidden|403"):
        await open_object_store(CommonSettings(data_dir=tmp_path, object_store_url=url)).put_bytes("results/j/x", b"{}")
