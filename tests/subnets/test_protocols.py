"""The subnets' Synapses over a real Axon and Dendrite on 127.0.0.1.

The miner side here is a two-line forward function around the shipped task logic; the
point is that the request and response fields survive the signed wire and plug straight
into the validators' scoring functions.
"""

from __future__ import annotations

import asyncio

import numpy as np
from bittensor_wallet import Keypair

from taonet.sdk import Axon, Dendrite
from taonet.subnets.embeddings.challenge import make_challenge
from taonet.subnets.embeddings.corpus import generate_benchmark
from taonet.subnets.embeddings.embedders import HashingEmbedder
from taonet.subnets.embeddings.protocol import TextEmbedding
from taonet.subnets.embeddings.reward import score_reply
from taonet.subnets.qa.backends import RuleBackend
from taonet.subnets.qa.protocol import AnswerQuestion
from taonet.subnets.qa.questions import generate_questions
from taonet.subnets.qa.reward import Response, answer_score

EMBEDDER = HashingEmbedder(256)
BACKEND = RuleBackend()


async def embed(synapse: TextEmbedding) -> TextEmbedding:
    synapse.embeddings = EMBEDDER.embed(synapse.texts).tolist()
    return synapse


async def answer(synapse: AnswerQuestion) -> AnswerQuestion:
    synapse.answer = await BACKEND.answer(synapse.question)
    return synapse


def test_embedding_and_qa_synapses_round_trip() -> None:
    miner, validator = Keypair.create_from_uri("//subnet-miner"), Keypair.create_from_uri("//subnet-validator")
    bench = generate_benchmark(40, seed=1)
    challenge = make_challenge(bench, seed=1)
    questions = generate_questions(5, seed=1)

    async def scenario() -> tuple[object, list[object]]:
        async with Axon(miner, port=0).attach(embed).attach(answer) as axon:
            async with Dendrite(validator) as dendrite:
                vectors = await dendrite(axon.info(), TextEmbedding(texts=list(challenge.texts)), timeout=10)
                replies = [await dendrite(axon.info(), AnswerQuestion(question=q.text), timeout=5,
                                          deserialize=False) for q in questions]
        return vectors, replies

    vectors, replies = asyncio.run(scenario())
    expected = score_reply(bench, challenge, EMBEDDER.embed(challenge.texts))[0]
    assert np.asarray(vectors).shape == (80, 256)
    assert score_reply(bench, challenge, vectors)[0] == expected > 0
    for q, r in zip(questions, replies):
        assert r.is_success and r.answer == q.answer  # type: ignore[attr-defined]
        latency = r.dendrite.process_time  # type: ignore[attr-defined]
        assert answer_score(q, Response(r.answer, latency)) > 0.8  # type: ignore[attr-defined]
