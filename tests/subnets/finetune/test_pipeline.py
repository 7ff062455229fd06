"""The whole competition on one machine: Q&A archive -> training -> store -> commit -> score.

Also the two anti-copy defences end to end: an identical re-upload earns nothing, and a
perturbed copy (new hash, same quality) loses its head-to-head against the original.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np

from taonet.subnets.finetune.artifact import dumps
from taonet.subnets.finetune.commitment import CommitmentRecord, ModelCommitment
from taonet.subnets.finetune.evaluate import questions_after
from taonet.subnets.finetune.miners import SHIPPED_RECIPES, train_recipe
from taonet.subnets.finetune.model import MCModel
from taonet.subnets.finetune.round import score_commitments
from taonet.subnets.finetune.store import ModelStore, ModelStoreClient
from taonet.subnets.qa.choices import MultipleChoice
from taonet.subnets.qa.dataset import multiple_choice_questions, read_records


def test_competition_round(tmp_path: Path, archive: Path, held_out: list[MultipleChoice]) -> None:
    records = list(read_records(archive))
    train_mc = multiple_choice_questions(r for r in records if r.round <= 3)
    late = questions_after(records, 3)  # round 4 appeared after the models were committed
    assert late and not {q.question_id for q in late} & {q.question_id for q in train_mc}

    best, mid, weak = (train_recipe(r, train_mc) for r in SHIPPED_RECIPES[:3])
    rng = np.random.default_rng(0)
    tweaked = MCModel(best.spec, best.weights + rng.normal(0, 1e-4, best.spec.dim).astype(np.float32))

    async def main():  # type: ignore[no-untyped-def]
        store = ModelStore(tmp_path / "models")
        url = await store.start()
        try:
            client = ModelStoreClient(url)
            digests = [await client.put(dumps(m)) for m in (best, mid, weak, tweaked)]
            commits = [
                CommitmentRecord(0, ModelCommitment(digests[0], url), block=100),  # original
                CommitmentRecord(1, ModelCommitment(digests[1], url), block=101),
                CommitmentRecord(2, ModelCommitment(digests[2], url), block=102),
                CommitmentRecord(3, ModelCommitment(digests[0], url), block=150),  # identical copy
                CommitmentRecord(4, ModelCommitment(digests[3], url), block=160),  # perturbed copy
                CommitmentRecord(5, ModelCommitment("f" * 64, url), block=170),    # never uploaded
            ]
            return await score_commitments(commits, late + held_out, n_uids=6)
        finally:
            await store.stop()

    result = asyncio.run(main())
    assert list(result.eligible) == [True, True, True, False, True, False]
    assert set(result.errors) == {3, 5} and "copy" in result.errors[3] and "NotFound" in result.errors[5]
    acc = result.accuracy
    assert acc[0] > acc[1] > acc[2] and acc[3] == acc[5] == 0.0
    assert abs(acc[4] - acc[0]) <= 0.01  # the perturbed copy is as good as the original ...
    assert result.rewards[0] == 1.0 and result.rewards[4] < result.rewards[0]  # ... but loses to it
    assert int(np.argmax(result.weights)) == 0 and result.weights[0] > 0.6
    assert result.weights[3] == result.weights[5] == 0.0
    np.testing.assert_allclose(result.weights.sum(), 1.0)
