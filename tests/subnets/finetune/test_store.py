"""The content-addressed model store: round trip, hash checks, size limits, 404s."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest

from taonet.subnets.finetune.store import (
    ArtifactNotFound,
    ArtifactTooLarge,
    HashMismatch,
    ModelStore,
    ModelStoreClient,
    StoreError,
)

LIMIT = 4096


def run(tmp_path: Path, body: Callable[[ModelStore, ModelStoreClient], Awaitable[object]]) -> object:
    async def main() -> object:
        store = ModelStore(tmp_path / "store", max_bytes=LIMIT)
        url = await store.start()
        assert url.startswith("http://127.0.0.1:")
        try:
            return await body(store, ModelStoreClient(url, max_bytes=LIMIT))
        finally:
            await store.stop()

    return asyncio.run(main())


def test_put_then_get_by_hash(tmp_path: Path) -> None:
    data = b"model bytes" * 10

    async def body(store: ModelStore, client: ModelStoreClient) -> None:
        digest = await client.put(data)
        assert digest == hashlib.sha256(data).hexdigest()
        assert await client.get(digest) == data
        assert await client.put(data) == digest  # idempotent
        async with aiohttp.ClientSession() as s:
            async with s.head(f"{store.url}/models/{digest}") as resp:
                assert resp.status == 200 and resp.content_length == len(data)
            async with s.put(f"{store.url}/models/{digest}", data=data) as resp:
                assert resp.status == 200  # already stored

    run(tmp_path, body)
    assert [p.name for p in (tmp_path / "store").iterdir()] == [hashlib.sha256(data).hexdigest()]


def test_wrong_hash_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    async def body(store: ModelStore, client: ModelStoreClient) -> None:
        claimed = hashlib.sha256(b"the real model").hexdigest()
        with pytest.raises(HashMismatch):
            await client.put_as(claimed, b"something else")
        with pytest.raises(ArtifactNotFound):
            await client.get(claimed)

    run(tmp_path, body)
    assert list((tmp_path / "store").iterdir()) == []  # no temp file left behind either


def test_unknown_hash_is_404_and_bad_addresses_are_400(tmp_path: Path) -> None:
    async def body(store: ModelStore, client: ModelStoreClient) -> None:
        with pytest.raises(ArtifactNotFound):
            await client.get("0" * 64)
        with pytest.raises(StoreError):
            await client.get("not-a-hash")
        async with aiohttp.ClientSession() as s:
            for bad in ("ABC", "0" * 63, "g" * 64, ("A" * 64)):
                async with s.get(f"{store.url}/models/{bad}") as resp:
                    assert resp.status == 400
                async with s.put(f"{store.url}/models/{bad}", data=b"x") as resp:
                    assert resp.status == 400
            async with s.get(f"{store.url}/models/{'0' * 64}") as resp:
                assert resp.status == 404

    run(tmp_path, body)


def test_oversize_uploads_are_refused(tmp_path: Path) -> None:
    big = b"x" * (LIMIT + 1)
    digest = hashlib.sha256(big).hexdigest()

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit applies while streaming
        for _ in range(8):
            yield b"x" * 1024

    async def body(store: ModelStore, client: ModelStoreClient) -> None:
        with pytest.raises(ArtifactTooLarge):
            await client.put(big)
        async with aiohttp.ClientSession() as s:
            streamed = hashlib.sha256(b"x" * 8192).hexdigest()
            try:
                async with s.put(f"{store.url}/models/{streamed}", data=chunks()) as resp:
                    assert resp.status == 413
            except aiohttp.ClientError:
                pass  # the server may close the connection before the client finishes sending
        with pytest.raises(ArtifactNotFound):
            await client.get(digest)
        assert await client.put(b"x" * LIMIT)  # exactly at the limit is fine

    run(tmp_path, body)


def test_client_checks_the_hash_of_what_it_downloads(tmp_path: Path) -> None:
    async def body(store: ModelStore, client: ModelStoreClient) -> None:
        digest = await client.put(b"honest bytes")
        store.path_of(digest).write_bytes(b"tampered bytes")  # a dishonest or corrupted server
        with pytest.raises(HashMismatch):
            await client.get(digest)
        store.path_of(digest).write_bytes(b"y" * (LIMIT + 10))
        with pytest.raises(ArtifactTooLarge):
            await client.get(digest)

    run(tmp_path, body)


def test_unreachable_store_is_a_store_error() -> None:
    with pytest.raises(StoreError):
        asyncio.run(ModelStoreClient("http://127.0.0.1:9", timeout_s=2).get("0" * 64))
