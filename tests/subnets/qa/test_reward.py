"""QA rewards: hand-checked scores, and incentive following the shipped miners' quality."""

from __future__ import annotations

import asyncio
import math

import numpy as np
import pytest
from scipy.stats import spearmanr

from taonet.subnets.qa.backends import SHIPPED_MINERS, shipped_backend
from taonet.subnets.qa.questions import Question
from taonet.subnets.qa.reward import Response, answer_score, compute_rewards, miner_reward, rewards_to_weights
from taonet.subnets.qa.round import Miner, run_round

Q = Question("q", "arithmetic", "What is 2 plus 2?", "4", ("4",), "number")


def test_answer_score_hand_checked() -> None:
    assert answer_score(Q, Response("4", 0.0), timeout_s=10) == 1.0
    assert answer_score(Q, Response("4", 5.0), timeout_s=10) == pytest.approx(0.9)  # 0.8 + 0.2 * 0.5
    assert answer_score(Q, Response("4", 10.0), timeout_s=10) == pytest.approx(0.8)
    assert answer_score(Q, Response("4", 10.5), timeout_s=10) == 0.0  # too late
    assert answer_score(Q, Response("5", 0.0), timeout_s=10) == 0.0  # fast but wrong
    assert answer_score(Q, Response(None, 0.0), timeout_s=10) == 0.0
    assert answer_score(Q, Response("4", math.nan), timeout_s=10) == 0.0
    assert answer_score(Q, Response("4", 5.0), timeout_s=10, latency_weight=0.0) == 1.0


def test_miner_reward_is_the_mean_and_weights_normalise() -> None:
    replies = [Response("4", 0.0), Response("x", 0.0), Response("4", 5.0), Response(None, 1.0)]
    assert miner_reward([Q] * 4, replies, timeout_s=10) == pytest.approx((1.0 + 0 + 0.9 + 0) / 4)
    rewards = compute_rewards([Q, Q], [[Response("4", 0)] * 2, [Response("4", 0), Response("1", 0)],
                                       [Response(None, 0)] * 2], timeout_s=10)
    np.testing.assert_allclose(rewards, [1.0, 0.5, 0.0])
    np.testing.assert_allclose(rewards_to_weights(rewards), [2 / 3, 1 / 3, 0.0])
    np.testing.assert_allclose(rewards_to_weights([0.0, 0.0]), [0.0, 0.0])
    with pytest.raises(ValueError):
        miner_reward([Q], [], timeout_s=10)


def _round(seed: int) -> np.ndarray:
    miners = [Miner(uid, f"hk{uid}", shipped_backend(name, seed)) for uid, name in enumerate(SHIPPED_MINERS)]
    return asyncio.run(run_round(1, miners, n_questions=300, seed=seed)).rewards


def test_incentive_follows_quality_of_the_shipped_miners() -> None:
    rewards = _round(seed=11)
    quality = -np.arange(len(SHIPPED_MINERS))  # SHIPPED_MINERS is listed best first
    rho = spearmanr(rewards, quality).statistic
    assert rho >= 0.8, rewards
    assert list(np.argsort(-rewards)) == list(range(len(SHIPPED_MINERS))), rewards
    assert rewards[0] > 0.95 and rewards[-1] == 0.0


def test_round_is_deterministic_in_its_seed_up_to_latency() -> None:
    a, b = _round(seed=5), _round(seed=5)
    # Latency differs run to run by microseconds out of a 12 s timeout.
    np.testing.assert_allclose(a, b, atol=1e-3)
