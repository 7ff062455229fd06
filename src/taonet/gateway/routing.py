"""The validator-side router: which miners get an application's request, and whose answer wins.

A route serves one subnet. It keeps the subnet's metagraph fresh, sends each request to
the ``top_k`` miners by incentive (the chain's own ranking of who does the work best),
and picks the answer by the gateway's *own* scoring rather than trusting any one miner:

* **Text embeddings** (``POST .../embeddings``): the gateway hides a few probe pairs (a
  query and the document that answers it, generated fresh from the embedding subnet's
  benchmark generator) among the application's texts. Miners cannot tell them apart; the
  reply whose probes rank best (½·MRR + ½·recall@10 on the probes) wins, and only the
  application's rows are returned.
* **Q&A** (``POST .../answer``): answers are grouped after the Q&A subnet's own
  normalisation (case, accents, articles, numbers), each weighted by the answering miner's
  incentive; the best-supported group wins and its share of the weight is returned as
  ``agreement``.
* **Fine-tuning** (``POST .../choose``): the top models by incentive (from their on-chain
  commitments; fetched from the store, hash-checked, cached) each pick one of four
  options; the incentive-weighted vote wins.

Errors are :class:`GatewayError` with an HTTP status and a stable ``code``.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from taonet.sdk.dendrite import Dendrite
from taonet.sdk.metagraph import Metagraph
from taonet.sdk.subtensor import AsyncSubtensor
from taonet.subnets.embeddings.corpus import generate_benchmark
from taonet.subnets.embeddings.protocol import MAX_TEXT_CHARS, TextEmbedding
from taonet.subnets.embeddings.retrieval import retrieval_metrics
from taonet.subnets.embeddings.reward import RECALL_K, reward_from_metrics, validate_embeddings
from taonet.subnets.finetune.artifact import ArtifactError, loads
from taonet.subnets.finetune.commitment import ModelCommitment, commitment_records
from taonet.subnets.finetune.model import MCModel, score_options
from taonet.subnets.finetune.store import ModelStoreClient, StoreError
from taonet.subnets.qa.answers import normalize_answer, parse_number
from taonet.subnets.qa.choices import MultipleChoice
from taonet.subnets.qa.protocol import MAX_QUESTION_CHARS, AnswerQuestion

__all__ = ["GatewayError", "Route", "EmbeddingRoute", "QARoute", "FinetuneRoute", "ROUTES", "MAX_TEXTS"]

MAX_TEXTS = 256
PROBES = 6


class GatewayError(Exception):
    """An error the application sees: HTTP ``status``, stable ``code``, readable message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


@dataclass(frozen=True, slots=True)
class Candidate:
    uid: int
    hotkey: str
    incentive: float
    axon: Any


class Route:
    """One subnet behind the gateway (subclasses define the operation)."""

    kind = ""
    operation = ""
    needs_axon = True

    def __init__(self, netuid: int, subtensor: AsyncSubtensor, wallet: Any, *, top_k: int = 3,
                 timeout: float = 10.0) -> None:
        self.netuid = netuid
        self.subtensor = subtensor
        self.wallet = wallet
        self.top_k = top_k
        self.timeout = timeout
        self.metagraph = Metagraph(netuid, network=subtensor.chain_endpoint, sync=False)
        self.synced_at = 0.0
        self.dendrite = Dendrite(wallet) if self.needs_axon and wallet is not None else None

    async def refresh(self) -> None:
        await self.metagraph.sync_async(self.subtensor)
        self.synced_at = time.monotonic()

    async def close(self) -> None:
        if self.dendrite is not None:
            await self.dendrite.aclose_session()

    def candidates(self, k: int | None = None) -> list[Candidate]:
        """The top ``k`` miners by incentive (serving an axon where the subnet needs one).

        Miners with incentive come first; while a subnet is young and nobody has incentive
        yet, serving miners are used in uid order so the gateway still answers.
        """
        k = k or self.top_k
        mg = self.metagraph
        own = getattr(getattr(self.wallet, "hotkey", None), "ss58_address", None)
        pool = []
        for uid in range(int(mg.n)):
            if mg.hotkeys[uid] == own:
                continue
            if self.needs_axon and not mg.axons[uid].is_serving:
                continue
            pool.append(Candidate(uid, mg.hotkeys[uid], float(mg.I[uid]), mg.axons[uid] if uid < len(mg.axons) else None))
        pool.sort(key=lambda c: (-c.incentive, c.uid))
        return pool[:k]

    def describe(self) -> dict[str, Any]:
        top = self.candidates()
        return {"netuid": self.netuid, "kind": self.kind, "operation": self.operation,
                "path": f"/v1/subnets/{self.netuid}/{self.operation}", "block": int(self.metagraph.block),
                "top_miners": [{"uid": c.uid, "incentive": round(c.incentive, 6)} for c in top]}

    def parse(self, body: Any) -> Any:
        raise NotImplementedError

    async def handle(self, request: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _pick(self) -> list[Candidate]:
        chosen = self.candidates()
        if not chosen:
            raise GatewayError(503, "no_miners", f"subnet {self.netuid} has no miner serving right now")
        return chosen


def _need_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise GatewayError(400, "malformed_request", "the request body must be a JSON object")
    return body


def _need_text(body: dict[str, Any], name: str, limit: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise GatewayError(400, "malformed_request", f"'{name}' must be a non-empty string")
    if len(value) > limit:
        raise GatewayError(400, "malformed_request", f"'{name}' is longer than {limit} characters")
    return value


class EmbeddingRoute(Route):
    kind = "embeddings"
    operation = "embeddings"

    def parse(self, body: Any) -> list[str]:
        texts = _need_object(body).get("texts")
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            raise GatewayError(400, "malformed_request", "'texts' must be a non-empty list of strings")
        if len(texts) > MAX_TEXTS:
            raise GatewayError(400, "malformed_request", f"at most {MAX_TEXTS} texts per request")
        if any(len(t) > MAX_TEXT_CHARS for t in texts):
            raise GatewayError(400, "malformed_request", f"each text must be at most {MAX_TEXT_CHARS} characters")
        return texts

    async def handle(self, request: list[str]) -> dict[str, Any]:
        chosen = self._pick()
        probe = generate_benchmark(PROBES, random.SystemRandom().randrange(1 << 62))
        items = [("u", i, t) for i, t in enumerate(request)]
        items += [("q", i, t) for i, t in enumerate(probe.queries)] + [("d", i, t) for i, t in enumerate(probe.documents)]
        random.SystemRandom().shuffle(items)
        rows = {(kind, i): row for row, (kind, i, _) in enumerate(items)}
        assert self.dendrite is not None
        replies = await self.dendrite.forward([c.axon for c in chosen], TextEmbedding(texts=[t for _, _, t in items]),
                                              timeout=self.timeout, deserialize=True)
        scored = []
        for c, reply in zip(chosen, replies):
            emb = validate_embeddings(reply, len(items))
            if emb is None:
                continue
            q = emb[[rows[("q", i)] for i in range(PROBES)]]
            d = emb[[rows[("d", i)] for i in range(PROBES)]]
            score = reward_from_metrics(retrieval_metrics(q, d, probe.relevant, ks=(1, RECALL_K)))
            scored.append((score, c.incentive, c, reply))
        if not scored:
            raise GatewayError(504, "no_answer", f"no miner returned valid embeddings within {self.timeout:.0f} s")
        score, _, best, reply = max(scored, key=lambda s: (s[0], s[1], -s[2].uid))
        embeddings = [reply[rows[("u", i)]] for i in range(len(request))]
        return {"result": {"embeddings": embeddings, "dim": len(embeddings[0]) if embeddings else 0},
                "uid": best.uid, "probe_score": round(score, 4),
                "answered": sorted(s[2].uid for s in scored), "queried": [c.uid for c in chosen]}


ABSTAIN = frozenset({"unknown", "i don't know", "i do not know", "idk", "n/a", "none", "no answer"})
"""Replies that say "I don't know": they abstain instead of forming a group that could outvote
a real answer (two weak miners that both give up must not beat one that knows)."""


def _answer_key(text: str) -> str:
    number = parse_number(text)
    return f"#{number:g}" if number is not None else normalize_answer(text)


class QARoute(Route):
    kind = "qa"
    operation = "answer"

    def parse(self, body: Any) -> str:
        return _need_text(_need_object(body), "question", MAX_QUESTION_CHARS)

    async def handle(self, request: str) -> dict[str, Any]:
        chosen = self._pick()
        assert self.dendrite is not None
        replies = await self.dendrite.forward([c.axon for c in chosen], AnswerQuestion(question=request),
                                              timeout=self.timeout, deserialize=True)
        groups: dict[str, list[tuple[Candidate, str]]] = {}
        for c, answer in zip(chosen, replies):
            if isinstance(answer, str) and answer.strip() and normalize_answer(answer) not in ABSTAIN:
                groups.setdefault(_answer_key(answer), []).append((c, answer.strip()))
        if not groups:
            raise GatewayError(504, "no_answer", f"no miner answered within {self.timeout:.0f} s")
        weight = {k: sum(c.incentive + 1e-6 for c, _ in members) for k, members in groups.items()}
        total = sum(weight.values())
        key = max(groups, key=lambda k: (weight[k], len(groups[k])))
        best, answer = max(groups[key], key=lambda m: (m[0].incentive, -m[0].uid))
        return {"result": {"answer": answer, "agreement": round(weight[key] / total, 4)}, "uid": best.uid,
                "agreeing": sorted(c.uid for c, _ in groups[key]),
                "answered": sorted(c.uid for members in groups.values() for c, _ in members),
                "queried": [c.uid for c in chosen]}


class FinetuneRoute(Route):
    kind = "finetune"
    operation = "choose"
    needs_axon = False

    def __init__(self, netuid: int, subtensor: AsyncSubtensor, wallet: Any, *, top_k: int = 3,
                 timeout: float = 10.0, cache_size: int = 8) -> None:
        super().__init__(netuid, subtensor, wallet, top_k=top_k, timeout=timeout)
        self.cache: OrderedDict[str, MCModel] = OrderedDict()
        self.cache_size = cache_size
        self.commitments: dict[str, ModelCommitment] = {}

    async def refresh(self) -> None:
        """The metagraph, then each registered miner's model commitment from the chain."""
        await super().refresh()
        hotkeys = self.metagraph.hotkeys
        chain = await self.subtensor.get_all_commitments_metadata(self.netuid)
        self.commitments = {hotkeys[r.uid]: r.commitment for r in commitment_records(chain, hotkeys)}

    def candidates(self, k: int | None = None) -> list[Candidate]:
        pool = [c for c in super().candidates(1 << 30) if c.hotkey in self.commitments]
        return pool[: k or self.top_k]

    def parse(self, body: Any) -> MultipleChoice:
        b = _need_object(body)
        question = _need_text(b, "question", MAX_QUESTION_CHARS)
        options = b.get("options")
        if not isinstance(options, list) or len(options) != 4 or not all(isinstance(o, str) and o.strip() for o in options):
            raise GatewayError(400, "malformed_request", "'options' must be a list of four non-empty strings")
        if len(set(options)) != 4:
            raise GatewayError(400, "malformed_request", "the four options must be distinct")
        return MultipleChoice("request", "request", question, tuple(options), 0)

    async def _model(self, commitment: ModelCommitment) -> MCModel | None:
        model = self.cache.get(commitment.sha256)
        if model is not None:
            self.cache.move_to_end(commitment.sha256)
            return model
        try:
            blob = await ModelStoreClient(commitment.url, timeout_s=self.timeout).get(commitment.sha256)
            model = loads(blob)
        except (StoreError, ArtifactError, OSError):
            return None
        self.cache[commitment.sha256] = model
        while len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return model

    async def handle(self, request: MultipleChoice) -> dict[str, Any]:
        chosen = self._pick()
        models = await asyncio.wait_for(asyncio.gather(*(self._model(self.commitments[c.hotkey]) for c in chosen)),
                                        self.timeout)
        votes: dict[int, float] = {}
        answered: list[int] = []
        picks: dict[int, int] = {}
        for c, model in zip(chosen, models):
            if model is None:
                continue
            scores = score_options(model, [request])[0]
            if (scores == scores.max()).sum() > 1:
                continue  # an undecided model abstains
            pick = int(np.argmax(scores))
            picks[c.uid] = pick
            votes[pick] = votes.get(pick, 0.0) + c.incentive + 1e-6
            answered.append(c.uid)
        if not votes:
            raise GatewayError(504, "no_answer", "no committed model could be fetched or decide in time")
        index = max(votes, key=lambda i: votes[i])
        best = max((c for c in chosen if picks.get(c.uid) == index), key=lambda c: (c.incentive, -c.uid))
        return {"result": {"index": index, "option": request.options[index],
                           "agreement": round(votes[index] / sum(votes.values()), 4)},
                "uid": best.uid, "agreeing": sorted(u for u, p in picks.items() if p == index),
                "answered": sorted(answered), "queried": [c.uid for c in chosen]}


ROUTES: dict[str, type[Route]] = {"embeddings": EmbeddingRoute, "qa": QARoute, "finetune": FinetuneRoute}
