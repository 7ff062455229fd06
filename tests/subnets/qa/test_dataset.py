"""The scored-pair archive: grows append-only, reads back, rejects schema breaks."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from taonet.subnets.qa.backends import shipped_backend
from taonet.subnets.qa.dataset import (
    DatasetError,
    append_records,
    multiple_choice_questions,
    read_records,
)
from taonet.subnets.qa.round import Miner, run_round


def _round(n: int, seed: int):  # type: ignore[no-untyped-def]
    miners = [Miner(0, "hk0", shipped_backend("oracle")), Miner(1, "hk1", shipped_backend("noisy-60", 1))]
    return asyncio.run(run_round(seed, miners, n_questions=n, seed=seed))


def test_archive_grows_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "qa" / "archive.jsonl"
    r1, r2 = _round(20, 1), _round(30, 2)
    assert append_records(path, r1.records) == 40
    assert len(list(read_records(path))) == 40
    append_records(path, r2.records)
    records = list(read_records(path))
    assert len(records) == 100
    assert records[:40] == list(r1.records) and records[40:] == list(r2.records)  # append-only, in order
    oracle = [r for r in records if r.miner_uid == 0]
    assert all(r.correct and r.response == r.reference_answer for r in oracle)
    mcs = multiple_choice_questions(records)
    assert len(mcs) == len({r.question_id for r in records})
    reference = {r.question_id: r.reference_answer for r in records}
    assert all(mc.options[mc.correct_index] == reference[mc.question_id] for mc in mcs)


def test_lines_are_canonical_json(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    append_records(path, _round(3, 4).records)
    for line in path.read_text().splitlines():
        data = json.loads(line)
        assert list(data) == sorted(data)
        assert data["schema"] == 1 and len(data["options"]) == 4


def test_schema_violations_are_reported_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    append_records(path, _round(2, 5).records)
    good = path.read_text().splitlines()[0]
    for mutate in (
        lambda d: d.pop("reward"),
        lambda d: d.update(correct="yes"),
        lambda d: d.update(miner_uid=True),
        lambda d: d.update(correct_index=(d["correct_index"] + 1) % 4),
        lambda d: d.update(schema=2),
        lambda d: d.update(extra=1),
    ):
        data = json.loads(good)
        mutate(data)
        bad = tmp_path / "bad.jsonl"
        bad.write_text(good + "\n" + json.dumps(data) + "\n")
        with pytest.raises(DatasetError, match="line 2"):
            list(read_records(bad))


def test_a_torn_last_line_is_skipped_and_repaired_on_next_append(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    records = _round(3, 6).records
    append_records(path, records)
    with path.open("a") as fh:
        fh.write('{"schema": 1, "round": ')  # crash mid-write
    assert len(list(read_records(path))) == 6
    append_records(path, records[:1])
    assert len(list(read_records(path))) == 7
    assert path.read_text().count("\n") == 7
