"""The fine-tuning miner's decisions, with the chain and the store replaced by fakes: wait for
enough Q&A data, train once, commit on chain; retrain only when asked, and then commit only
once the chain's rate limit allows; never re-commit what the chain already holds; pick its
commitment up again after a restart; and the copy recipe committing the best-paid model."""

from __future__ import annotations

import asyncio
import hashlib
import random
from pathlib import Path
from typing import Any

import numpy as np

from taonet.primitives import views as V
from taonet.sdk.chain_errors import ChainError
from taonet.sdk.commitments import decode_commitment
from taonet.sdk.extrinsics import ExtrinsicResponse
from taonet.sdk.wallet import Keypair
from taonet.subnets.finetune.artifact import loads
from taonet.subnets.finetune.commitment import COMMITMENT_RATE_LIMIT
from taonet.subnets.finetune.miner import FinetuneMiner, load_questions
from taonet.subnets.qa.choices import to_multiple_choice
from taonet.subnets.qa.dataset import append_records, make_records
from taonet.subnets.qa.questions import generate_questions
from taonet.subnets.qa.reward import Response

HOTKEY = Keypair.create_from_uri("//FtMiner")
NETUID = 4


class FakeWallet:
    hotkey = HOTKEY


class FakeStore:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    async def put(self, blob: bytes) -> str:
        digest = hashlib.sha256(blob).hexdigest()
        self.blobs[digest] = blob
        return digest


def entry(hotkey: str, text: str, block: int) -> V.Commitment:
    return V.Commitment(NETUID, hotkey, 0, block, V.CommitmentInfo((V.Data("Raw", text.encode()),)))


class FakeChain:
    """The Commitments pallet as the miner sees it: one entry per hotkey, the block it was
    made at, and the rate limit enforced as the chain does."""

    def __init__(self, entries: list[V.Commitment] | None = None) -> None:
        self.head = 42
        self.entries = {e.hotkey: e for e in entries or []}
        self.commits: list[str] = []  # texts the chain accepted
        self.refused = 0

    async def get_current_block(self) -> int:
        return self.head

    async def commit(self, wallet: Any, netuid: int, data: str) -> ExtrinsicResponse:
        hotkey = wallet.hotkey.ss58_address
        last = self.entries.get(hotkey)
        if last is not None and self.head < last.block + COMMITMENT_RATE_LIMIT:
            self.refused += 1
            error = ChainError("CommitmentSetRateLimitExceeded", pallet="Commitments")
            return ExtrinsicResponse(False, "CommitmentSetRateLimitExceeded", error=error)
        self.entries[hotkey] = entry(hotkey, data, self.head)
        self.commits.append(data)
        return ExtrinsicResponse(True, "Committed")

    async def get_commitment_metadata(self, netuid: int, hotkey: str) -> V.Commitment | None:
        return self.entries.get(hotkey)

    async def get_all_commitments_metadata(self, netuid: int) -> list[V.Commitment]:
        return sorted(self.entries.values(), key=lambda e: e.block)


def archive(path: Path, n_questions: int, seed: int) -> None:
    questions = generate_questions(n_questions, seed)
    rng = random.Random(seed)
    choices = [to_multiple_choice(q, rng) for q in questions]
    responses = [Response(q.answer, 0.01) for q in questions]
    append_records(path, make_records(seed, questions, choices, 1, "5Miner", responses, [1.0] * len(questions),
                                      [True] * len(questions)))


def miner(tmp_path: Path, recipe: str = "lexical-100", chain: FakeChain | None = None, **kw: Any) -> FinetuneMiner:
    m = FinetuneMiner(FakeWallet(), NETUID, "ws://127.0.0.1:9", recipe=recipe, dataset=[tmp_path / "qa"],
                      store_url="http://127.0.0.1:1", min_questions=200, **kw)
    m.store = FakeStore()  # type: ignore[assignment]
    m.subtensor = chain or FakeChain()  # type: ignore[assignment]

    async def sync() -> None:
        m.uid = 0
        m.metagraph.hotkeys = [HOTKEY.ss58_address, "5Best", "5Other"]
        m.metagraph.I = np.array([0.0, 0.8, 0.2], dtype=np.float32)

    m.sync = sync  # type: ignore[method-assign]
    return m


def test_waits_trains_once_and_commits(tmp_path: Path) -> None:
    m = miner(tmp_path)
    chain: FakeChain = m.subtensor  # type: ignore[assignment]

    async def main() -> None:
        archive(tmp_path / "qa" / "v0.jsonl", 100, seed=1)
        await m.step()
        assert chain.commits == []  # 100 < 200 questions: wait
        archive(tmp_path / "qa" / "v1.jsonl", 150, seed=2)
        await m.step()
        assert len(chain.commits) == 1 and (m.committed, m.committed_block) == (chain.commits[0], 42)
        digest, _, url = chain.commits[0].partition("@")
        assert url == "http://127.0.0.1:1"
        model = loads(m.store.blobs[digest])  # type: ignore[attr-defined]
        assert model.spec.feature_set == "lexical"
        archive(tmp_path / "qa" / "v2.jsonl", 500, seed=3)
        chain.head += 2 * COMMITMENT_RATE_LIMIT
        await m.step()
        assert len(chain.commits) == 1  # trains once by default

    asyncio.run(main())
    assert len(load_questions([tmp_path / "qa"])) > 600


def test_a_retrained_model_waits_for_the_rate_limit(tmp_path: Path) -> None:
    m = miner(tmp_path, recipe="lexical", retrain_factor=2.0)
    chain: FakeChain = m.subtensor  # type: ignore[assignment]

    async def main() -> None:
        archive(tmp_path / "qa" / "v0.jsonl", 250, seed=1)
        await m.step()
        first = m.trained_on
        archive(tmp_path / "qa" / "v1.jsonl", 100, seed=2)
        await m.step()
        assert len(chain.commits) == 1  # grew, but not twofold
        archive(tmp_path / "qa" / "v2.jsonl", 300, seed=3)
        chain.head += 10
        await m.step()  # retrained, but the chain would refuse a commitment for 90 more blocks
        assert len(chain.commits) == 1 and m.trained_on >= 2 * first and m.pending is not None
        assert chain.refused == 0  # it waited instead of sending a doomed commitment
        chain.head = 42 + COMMITMENT_RATE_LIMIT - 1
        await m.step()
        assert len(chain.commits) == 1
        chain.head += 1
        await m.step()
        assert len(chain.commits) == 2 and chain.commits[0] != chain.commits[1]
        assert (m.committed, m.committed_block) == (chain.commits[1], 42 + COMMITMENT_RATE_LIMIT)
        assert not m.pending  # committed: nothing waits any more

    asyncio.run(main())


def test_a_restarted_miner_keeps_its_commitment(tmp_path: Path) -> None:
    mine = entry(HOTKEY.ss58_address, "ab" * 32 + "@http://127.0.0.1:1", 30)
    m = miner(tmp_path, chain=FakeChain([mine]))

    async def main() -> None:
        archive(tmp_path / "qa" / "v0.jsonl", 300, seed=1)
        await m.step()

    asyncio.run(main())
    assert (m.committed, m.committed_block) == (decode_commitment(mine), 30)
    assert m.subtensor.commits == [] and m.pending is None  # type: ignore[attr-defined]


def test_a_refusal_by_the_rate_limit_is_waited_out(tmp_path: Path) -> None:
    """If the chain holds a later commitment than the miner knew of (another process with the
    same hotkey), its refusal makes the miner wait from the chain's block."""
    chain = FakeChain()
    m = miner(tmp_path, recipe="copy", chain=chain)
    chain.entries["5Best"] = entry("5Best", "cd" * 32 + "@http://127.0.0.1:1", 20)

    async def main() -> None:
        m._restored = True  # as if it had read the chain before the other process committed
        chain.entries[HOTKEY.ss58_address] = entry(HOTKEY.ss58_address, "ab" * 32 + "@http://127.0.0.1:1", 40)
        await m.step()
        assert chain.refused == 1 and m.committed_block == 40 and m.pending is not None
        await m.step()
        assert chain.refused == 1  # no second doomed attempt
        chain.head = 140
        await m.step()
        assert chain.commits == ["cd" * 32 + "@http://127.0.0.1:1"]

    asyncio.run(main())


def test_the_copier_commits_the_best_paid_model_once(tmp_path: Path) -> None:
    best = entry("5Best", "cd" * 32 + "@http://127.0.0.1:1", 20)
    other = entry("5Other", "ef" * 32 + "@http://127.0.0.1:1", 10)
    gone = entry("5Gone", "12" * 32 + "@http://127.0.0.1:1", 5)  # deregistered: the chain keeps its entry
    m = miner(tmp_path, recipe="copy", chain=FakeChain([gone, other, best]))
    chain: FakeChain = m.subtensor  # type: ignore[assignment]

    async def main() -> None:
        await m.step()
        chain.head += 2 * COMMITMENT_RATE_LIMIT
        await m.step()  # the best is unchanged: committing it again would only move our block later

    asyncio.run(main())
    assert chain.commits == [decode_commitment(best)]
