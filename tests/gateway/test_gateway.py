"""The gateway against real Axons and a real model store, without a chain.

Each test builds routes whose metagraph is filled in by hand (who serves where, with which
incentive), so the router's choices are known: the embedding probe picks the reply that
actually retrieves, the Q&A vote follows incentive-weighted agreement, the fine-tuning vote
uses the committed models; and the HTTP layer answers every error with its status.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import numpy as np
import pytest

from taonet.gateway import EmbeddingRoute, FinetuneRoute, Gateway, KeyRing, QARoute, Route
from taonet.gateway.keys import ApiKey
from taonet.sdk import Axon
from taonet.sdk.subtensor import AsyncSubtensor
from taonet.sdk.wallet import Keypair
from taonet.subnets.embeddings.embedders import HashingEmbedder, RandomEmbedder
from taonet.subnets.embeddings.protocol import TextEmbedding
from taonet.subnets.finetune.artifact import dumps
from taonet.subnets.finetune.commitment import ModelCommitment
from taonet.subnets.finetune.evaluate import fresh_questions
from taonet.subnets.finetune.features import FeatureSpec
from taonet.subnets.finetune.model import train
from taonet.subnets.finetune.store import ModelStore
from taonet.subnets.qa.protocol import AnswerQuestion

KEY, TIGHT = "tn-test", "tn-tight"
CALLER = Keypair.create_from_uri("//GatewayTest")


def keys() -> KeyRing:
    return KeyRing([ApiKey(KEY, "test", 100, 100), ApiKey(TIGHT, "tight", 0.01, 2)])


def offline_client() -> AsyncSubtensor:
    return AsyncSubtensor("ws://127.0.0.1:9")  # never connected: the tests set the metagraph by hand


def fill(route: Route, miners: list[tuple[Any, float]]) -> None:
    """Put ``(axon or hotkey, incentive)`` pairs into the route's metagraph, uid = position."""
    mg = route.metagraph
    n = len(miners)
    mg.n = np.int64(n)
    mg.hotkeys = [m.hotkey if isinstance(m, Axon) else str(m) for m, _ in miners]
    mg.axons = [m.info() if isinstance(m, Axon) else Axon(Keypair.create_from_uri(f"//x{i}"), ip="0.0.0.0").info()
                for i, (m, _) in enumerate(miners)]
    mg.I = np.array([inc for _, inc in miners], dtype=np.float32)
    mg.D = np.zeros(n, dtype=np.float32)
    mg.validator_permit = np.zeros(n, dtype=bool)

    async def no_sync() -> None:
        return None

    route.refresh = no_sync  # type: ignore[method-assign]


async def axon(forward: Callable[[Any], Awaitable[Any]], kind: type, seed: str) -> Axon:
    a = Axon(Keypair.create_from_uri(f"//{seed}"), port=0, ip="127.0.0.1")
    a.attach(forward, synapse_type=kind)
    return await a.astart()


def answering(text: str, delay: float = 0.0) -> Callable[[AnswerQuestion], Awaitable[AnswerQuestion]]:
    async def forward(s: AnswerQuestion) -> AnswerQuestion:
        await asyncio.sleep(delay)
        s.answer = text
        return s

    return forward


def embedding(model: Any) -> Callable[[TextEmbedding], Awaitable[TextEmbedding]]:
    async def forward(s: TextEmbedding) -> TextEmbedding:
        s.embeddings = model.embed(s.texts).tolist() if model is not None else [[1.0, 2.0]]  # None: a wrong shape
        return s

    return forward


async def call(gw: Gateway, method: str, path: str, body: Any = None, key: str | None = KEY,
               raw: bytes | None = None) -> tuple[int, dict[str, Any], Any]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    async with aiohttp.ClientSession() as s:
        async with s.request(method, gw.url + path, data=data, headers=headers) as r:
            return r.status, await r.json(), r.headers


def run(coro: Awaitable[None]) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def test_qa_answer_is_the_incentive_weighted_agreement() -> None:
    async def main() -> None:
        axons = [await axon(answering("Paris"), AnswerQuestion, "a"), await axon(answering("paris."), AnswerQuestion, "b"),
                 await axon(answering("London"), AnswerQuestion, "c"), await axon(answering("unknown"), AnswerQuestion, "d"),
                 await axon(answering("Unknown"), AnswerQuestion, "e")]
        route = QARoute(3, offline_client(), CALLER, top_k=5, timeout=5)
        # the two "unknown" miners together outweigh everyone, but they abstain
        fill(route, [(axons[0], 0.3), (axons[1], 0.2), (axons[2], 0.45), (axons[3], 0.5), (axons[4], 0.5)])
        gw = Gateway([route], keys())
        await gw.start()
        try:
            status, body, _ = await call(gw, "POST", "/v1/subnets/3/answer", {"question": "What is the capital of France?"})
            assert status == 200, body
            assert body["result"]["answer"] == "Paris" and body["result"]["agreement"] == pytest.approx(0.5 / 0.95, abs=1e-3)
            assert body["uid"] == 0 and body["agreeing"] == [0, 1] and body["answered"] == [0, 1, 2]
            assert body["queried"] == [3, 4, 2, 0, 1]  # top miners by incentive
        finally:
            await gw.stop()
            for a in axons:
                await a.astop()

    run(main())


def test_embeddings_come_from_the_miner_whose_probes_retrieve_best() -> None:
    async def main() -> None:
        good = await axon(embedding(HashingEmbedder(1024)), TextEmbedding, "good")
        noise = await axon(embedding(RandomEmbedder(64)), TextEmbedding, "noise")
        broken = await axon(embedding(None), TextEmbedding, "broken")
        route = EmbeddingRoute(2, offline_client(), CALLER, top_k=3, timeout=5)
        fill(route, [(noise, 0.6), (good, 0.3), (broken, 0.1)])
        gw = Gateway([route], keys())
        await gw.start()
        try:
            texts = ["the physician examined the patient", "heavy rain and thunder", "a recipe for bread"]
            status, body, _ = await call(gw, "POST", "/v1/subnets/2/embeddings", {"texts": texts})
            assert status == 200, body
            assert body["uid"] == 1, "the probe should pick the hashing miner over the random one"
            assert body["answered"] == [0, 1]  # the wrong-shaped reply does not count
            mine = np.asarray(body["result"]["embeddings"])
            assert mine.shape == (3, 1024)
            np.testing.assert_allclose(mine, HashingEmbedder(1024).embed(texts), atol=1e-6)
            status, body, _ = await call(gw, "POST", "/v1/subnets/2/embeddings", {"texts": []})
            assert status == 400 and body["error"]["code"] == "malformed_request"
        finally:
            await gw.stop()
            for a in (good, noise, broken):
                await a.astop()

    run(main())


def test_finetune_choice_uses_the_committed_models(tmp_path: Any) -> None:
    async def main() -> None:
        train_set = fresh_questions(300, seed=1)
        model = train(FeatureSpec("numeric", 1 << 14), train_set, epochs=60)
        store = ModelStore(tmp_path / "models")
        url = await store.start()
        blob = dumps(model)
        import hashlib

        digest = hashlib.sha256(blob).hexdigest()
        store.path_of(digest).write_bytes(blob)
        route = FinetuneRoute(4, offline_client(), None, top_k=2, timeout=5)
        fill(route, [("5Good", 0.8), ("5Gone", 0.2)])
        route.commitments = {"5Good": ModelCommitment(digest, url), "5Gone": ModelCommitment("0" * 64, url)}
        gw = Gateway([route], keys())
        await gw.start()
        try:
            right = 0
            for mc in train_set[:10]:
                status, body, _ = await call(gw, "POST", "/v1/subnets/4/choose",
                                             {"question": mc.question, "options": list(mc.options)})
                assert status == 200, body
                assert body["answered"] == [0]  # the missing artifact is skipped
                right += body["result"]["index"] == mc.correct_index
            assert right >= 7
            status, body, _ = await call(gw, "POST", "/v1/subnets/4/choose", {"question": "q", "options": ["a", "b"]})
            assert status == 400
            route.commitments = {"5Gone": ModelCommitment("0" * 64, url)}
            status, body, _ = await call(gw, "POST", "/v1/subnets/4/choose", {"question": "q", "options": ["a", "b", "c", "d"]})
            assert status == 504 and body["error"]["code"] == "no_answer"
        finally:
            await gw.stop()
            await store.stop()

    run(main())


def test_errors_have_statuses_and_codes() -> None:
    async def main() -> None:
        slow = await axon(answering("42", delay=3.0), AnswerQuestion, "slow")
        route = QARoute(3, offline_client(), CALLER, timeout=0.5)
        fill(route, [(slow, 1.0)])
        empty = QARoute(5, offline_client(), CALLER)
        fill(empty, [])
        gw = Gateway([route, empty], keys())
        await gw.start()
        q = {"question": "What is 6 x 7?"}
        try:
            status, body, _ = await call(gw, "POST", "/v1/subnets/3/answer", q)
            assert (status, body["error"]["code"]) == (504, "no_answer")
            assert (await call(gw, "POST", "/v1/subnets/5/answer", q))[:2][0] == 503
            status, body, _ = await call(gw, "POST", "/v1/subnets/7/answer", q)
            assert (status, body["error"]["code"]) == (404, "unknown_subnet") and "served: 3, 5" in body["error"]["message"]
            assert (await call(gw, "POST", "/v1/subnets/abc/answer", q))[0] == 404
            status, body, _ = await call(gw, "POST", "/v1/subnets/3/embeddings", q)
            assert (status, body["error"]["code"]) == (400, "wrong_operation")
            status, body, _ = await call(gw, "POST", "/v1/subnets/3/answer", raw=b"{nope")
            assert (status, body["error"]["code"]) == (400, "malformed_request")
            for bad in ([], {"question": ""}, {"question": 7}, {"question": "x" * 5000}):
                assert (await call(gw, "POST", "/v1/subnets/3/answer", bad))[0] == 400
            status, body, _ = await call(gw, "POST", "/v1/subnets/3/answer", q, key=None)
            assert (status, body["error"]["code"]) == (401, "missing_api_key")
            status, body, _ = await call(gw, "POST", "/v1/subnets/3/answer", q, key="tn-nobody")
            assert (status, body["error"]["code"]) == (401, "unknown_api_key")
            codes = [(await call(gw, "GET", "/v1/subnets", key=TIGHT)) for _ in range(3)]
            assert [c[0] for c in codes] == [200, 200, 429]
            assert codes[2][1]["error"]["code"] == "rate_limited" and int(codes[2][2]["Retry-After"]) >= 1
            assert (await call(gw, "GET", "/v1/nowhere"))[0] == 404
            # public: health and the OpenAPI document, which lists the served operations
            status, body, _ = await call(gw, "GET", "/v1/health", key=None)
            assert status == 200 and body["status"] == "ok"
            status, doc, _ = await call(gw, "GET", "/openapi.json", key=None)
            assert status == 200 and doc["openapi"].startswith("3.")
            assert {"/v1/subnets/3/answer", "/v1/subnets/5/answer", "/v1/subnets"} <= set(doc["paths"])
            responses = doc["paths"]["/v1/subnets/3/answer"]["post"]["responses"]
            assert {"200", "400", "401", "404", "429", "503", "504"} <= set(responses)
        finally:
            await gw.stop()
            await slow.astop()

    run(main())
