"""Shared data for the fine-tuning tests: a Q&A archive built by real Q&A rounds."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from taonet.subnets.finetune.evaluate import fresh_questions
from taonet.subnets.qa.backends import shipped_backend
from taonet.subnets.qa.choices import MultipleChoice
from taonet.subnets.qa.dataset import append_records, multiple_choice_questions, read_records
from taonet.subnets.qa.round import Miner, run_round


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four rounds of 500 questions, two miners each, appended to one JSONL archive."""
    path = tmp_path_factory.mktemp("qa") / "archive.jsonl"
    miners = [Miner(0, "hk0", shipped_backend("oracle")), Miner(1, "hk1", shipped_backend("noisy-15", 1))]
    for round_ in range(1, 5):
        result = asyncio.run(run_round(round_, miners, n_questions=500, seed=1000 + round_))
        append_records(path, result.records)
    return path


@pytest.fixture(scope="session")
def train_questions(archive: Path) -> list[MultipleChoice]:
    return multiple_choice_questions(read_records(archive))


@pytest.fixture(scope="session")
def held_out() -> list[MultipleChoice]:
    return fresh_questions(500, seed=424242)
