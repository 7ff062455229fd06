"""Fine-tune rewards: hand-checked head-to-heads, winner-takes-most, quality ordering."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr

from taonet.subnets.finetune.evaluate import evaluate
from taonet.subnets.finetune.miners import SHIPPED_RECIPES, train_recipe
from taonet.subnets.finetune.model import MCModel, predict
from taonet.subnets.finetune.features import FeatureSpec
from taonet.subnets.finetune.reward import beats, compute_rewards, rewards_to_weights
from taonet.subnets.qa.choices import MultipleChoice


def test_head_to_head_favours_the_earlier_model_within_epsilon() -> None:
    # a committed at block 10, b at block 20.
    assert beats(0.80, 10, 0, 0.805, 20, 1, epsilon=0.01)      # b is not better by more than epsilon
    assert not beats(0.805, 20, 1, 0.80, 10, 0, epsilon=0.01)
    assert beats(0.83, 20, 1, 0.80, 10, 0, epsilon=0.01)       # a real improvement wins
    assert not beats(0.80, 10, 0, 0.83, 20, 1, epsilon=0.01)
    assert beats(0.5, 10, 0, 0.5, 10, 1)                        # same block: lower uid is "earlier"


def test_win_rates_and_weights_hand_checked() -> None:
    acc = [0.9, 0.6, 0.7, 0.95]
    blocks = [10, 20, 30, 40]
    eligible = [True, True, True, False]  # uid 3 is a copy (or failed to load)
    r = compute_rewards(acc, blocks, eligible, epsilon=0.01)
    np.testing.assert_allclose(r, [1.0, 0.0, 0.5, 0.0])
    w = rewards_to_weights(r, eligible, temperature=0.15)
    e = np.exp(np.array([1.0, 0.0, 0.5]) / 0.15)
    np.testing.assert_allclose(w, [*(e / e.sum()), 0.0])
    assert w[0] > 0.9  # winner takes most
    assert w[3] == 0.0
    np.testing.assert_allclose(compute_rewards([0.4], [5], [True]), [1.0])  # alone: wins by default
    np.testing.assert_allclose(rewards_to_weights([0.0, 0.0], [False, False]), [0.0, 0.0])
    with pytest.raises(ValueError):
        compute_rewards([0.1], [1, 2], [True])


def test_ties_count_as_wrong() -> None:
    zero = MCModel(FeatureSpec("lexical", 64), np.zeros(64, dtype=np.float32))
    mc = MultipleChoice("q", "capital", "What is the capital of Peru?", ("Lima", "Quito", "Rome", "Oslo"), 0)
    assert predict(zero, [mc])[0] == -1
    assert evaluate(zero, [mc]).accuracy == 0.0


def test_incentive_follows_the_training_budget(train_questions: list[MultipleChoice],
                                               held_out: list[MultipleChoice]) -> None:
    accuracy = [evaluate(train_recipe(r, train_questions), held_out).accuracy for r in SHIPPED_RECIPES]
    quality = -np.arange(len(SHIPPED_RECIPES))  # listed best first
    blocks = list(range(100, 100 + len(SHIPPED_RECIPES)))
    rewards = compute_rewards(accuracy, blocks, [True] * len(accuracy))
    assert spearmanr(rewards, quality).statistic >= 0.8, accuracy
    assert list(np.argsort(accuracy)[::-1]) == list(range(len(SHIPPED_RECIPES))), accuracy
    assert accuracy[0] > 0.85 and accuracy[-1] < 0.35
    weights = rewards_to_weights(rewards, [True] * len(rewards))
    assert int(np.argmax(weights)) == 0 and weights[0] > 0.7
