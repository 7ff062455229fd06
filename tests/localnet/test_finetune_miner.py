"""The fine-tuning miner's decisions, with the chain, store and board replaced by fakes: wait
for enough Q&A data, train once, commit; retrain only when asked; pick its commitment up
again after a restart; and the copy recipe re-committing the best-paid model."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import Any

import numpy as np

from taonet.sdk.wallet import Keypair
from taonet.subnets.finetune.artifact import loads
from taonet.subnets.finetune.board import BoardRecord
from taonet.subnets.finetune.miner import FinetuneMiner, load_questions
from taonet.subnets.qa.choices import to_multiple_choice
from taonet.subnets.qa.dataset import append_records, make_records
from taonet.subnets.qa.questions import generate_questions
from taonet.subnets.qa.reward import Response

HOTKEY = Keypair.create_from_uri("//FtMiner")


class FakeWallet:
    hotkey = HOTKEY


class FakeStore:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    async def put(self, blob: bytes) -> str:
        import hashlib

        digest = hashlib.sha256(blob).hexdigest()
        self.blobs[digest] = blob
        return digest


class FakeBoard:
    def __init__(self, records: list[BoardRecord] | None = None) -> None:
        self.records = records or []
        self.commits: list[str] = []

    async def commit(self, keypair: Any, netuid: int, data: str, signed_block: int) -> BoardRecord:
        self.commits.append(data)
        rec = BoardRecord(netuid, keypair.ss58_address, data, signed_block, "0x", signed_block)
        self.records = [r for r in self.records if r.hotkey != rec.hotkey] + [rec]
        return rec

    async def read(self, netuid: int) -> list[BoardRecord]:
        return list(self.records)


def archive(path: Path, n_questions: int, seed: int) -> None:
    questions = generate_questions(n_questions, seed)
    rng = random.Random(seed)
    choices = [to_multiple_choice(q, rng) for q in questions]
    responses = [Response(q.answer, 0.01) for q in questions]
    append_records(path, make_records(seed, questions, choices, 1, "5Miner", responses, [1.0] * len(questions),
                                      [True] * len(questions)))


def miner(tmp_path: Path, recipe: str = "lexical-100", board: FakeBoard | None = None, **kw: Any) -> FinetuneMiner:
    m = FinetuneMiner(FakeWallet(), 4, "ws://127.0.0.1:9", recipe=recipe, dataset=[tmp_path / "qa"],
                      store_url="http://127.0.0.1:1", board_url="http://127.0.0.1:1", min_questions=200, **kw)
    m.store = FakeStore()  # type: ignore[assignment]
    m.board = board or FakeBoard()  # type: ignore[assignment]

    async def sync() -> None:
        m.uid = 0
        m.metagraph.hotkeys = [HOTKEY.ss58_address, "5Best", "5Other"]
        m.metagraph.I = np.array([0.0, 0.8, 0.2], dtype=np.float32)

    async def head() -> int:
        return 42

    m.sync = sync  # type: ignore[method-assign]
    m.subtensor.get_current_block = head  # type: ignore[method-assign]
    return m


def test_waits_trains_once_and_commits(tmp_path: Path) -> None:
    m = miner(tmp_path)
    board: FakeBoard = m.board  # type: ignore[assignment]

    async def main() -> None:
        archive(tmp_path / "qa" / "v0.jsonl", 100, seed=1)
        await m.step()
        assert board.commits == []  # 100 < 200 questions: wait
        archive(tmp_path / "qa" / "v1.jsonl", 150, seed=2)
        await m.step()
        assert len(board.commits) == 1
        digest, _, url = board.commits[0].partition("@")
        assert url == "http://127.0.0.1:1"
        model = loads(m.store.blobs[digest])  # type: ignore[attr-defined]
        assert model.spec.feature_set == "lexical"
        archive(tmp_path / "qa" / "v2.jsonl", 500, seed=3)
        await m.step()
        assert len(board.commits) == 1  # trains once by default

    asyncio.run(main())
    assert len(load_questions([tmp_path / "qa"])) > 600


def test_retrains_when_the_archive_grew_enough(tmp_path: Path) -> None:
    m = miner(tmp_path, recipe="lexical", retrain_factor=2.0)
    board: FakeBoard = m.board  # type: ignore[assignment]

    async def main() -> None:
        archive(tmp_path / "qa" / "v0.jsonl", 250, seed=1)
        await m.step()
        first = m.trained_on
        archive(tmp_path / "qa" / "v1.jsonl", 100, seed=2)
        await m.step()
        assert len(board.commits) == 1  # grew, but not twofold
        archive(tmp_path / "qa" / "v2.jsonl", 300, seed=3)
        await m.step()
        assert len(board.commits) == 2 and m.trained_on >= 2 * first
        assert board.commits[0] != board.commits[1]

    asyncio.run(main())


def test_a_restarted_miner_keeps_its_commitment(tmp_path: Path) -> None:
    mine = BoardRecord(4, HOTKEY.ss58_address, "ab" * 32 + "@http://127.0.0.1:1", 30, "0x", 30)
    m = miner(tmp_path, board=FakeBoard([mine]))

    async def main() -> None:
        archive(tmp_path / "qa" / "v0.jsonl", 300, seed=1)
        await m.step()

    asyncio.run(main())
    assert m.committed == mine.data and m.board.commits == []  # type: ignore[attr-defined]


def test_the_copier_recommits_the_best_paid_model(tmp_path: Path) -> None:
    best = BoardRecord(4, "5Best", "cd" * 32 + "@http://127.0.0.1:1", 20, "0x", 20)
    other = BoardRecord(4, "5Other", "ef" * 32 + "@http://127.0.0.1:1", 10, "0x", 10)
    m = miner(tmp_path, recipe="copy", board=FakeBoard([other, best]))

    async def main() -> None:
        await m.step()
        await m.step()

    asyncio.run(main())
    assert m.board.commits == [best.data]  # type: ignore[attr-defined]
