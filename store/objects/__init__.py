"""Object store for media and result documents: a local directory (default) or an S3-compatible bucket, chosen
by `PARLANCE_OBJECT_STORE_URL` (docs/design.md, "Object store")."""

from __future__ import annotations

from urllib.parse import urlsplit

from obstore.store import S3Store

from schemas.settings import CommonSettings
from store.objects.base import InvalidKey, ObjectInfo, ObjectNotFound, ObjectStore, ObjectTooLarge, check_key
from store.objects.local import LocalObjectStore
from store.objects.s3 import S3ObjectStore, s3_store

__all__ = [
    "InvalidKey",
    "LocalObjectStore",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "ObjectTooLarge",
    "S3ObjectStore",
    "check_key",
    "open_object_store",
]


def open_object_store(settings: CommonSettings) -> ObjectStore:
    """The store the settings name: `file:///dir` (or unset: data_dir/objects), or `s3://bucket[/prefix]`."""
    url = settings.resolved_object_store_url()
    scheme = urlsplit(url).scheme
    if scheme == "file":
        return LocalObjectStore(settings.resolved_object_store_dir())
    if scheme == "s3":
        secret = settings.s3_secret_access_key.get_secret_value() if settings.s3_secret_access_key else None

        def build(endpoint: str | None) -> S3Store:
            return s3_store(
                url,
                endpoint_url=endpoint,
                region=settings.s3_region,
                access_key_id=settings.s3_access_key_id,
                secret_access_key=secret,
                virtual_hosted=settings.s3_virtual_hosted_style,
            )

        store = build(settings.s3_endpoint_url)
        signer = build(settings.s3_public_endpoint_url) if settings.s3_public_endpoint_url else None
        return S3ObjectStore(store, settings.resolved_scratch_dir(), signer)
    raise ValueError(f"object_store_url: unsupported scheme {scheme!r} (file:// or s3://)")
