"""``taonet demo``: Yuma Consensus at work on one subnet, epoch by epoch.

Four validators score eight miners of known quality. Three validators are honest: they
weight miners by measured quality (with a little measurement noise). The fourth is a weight
copier: it submits the consensus published at the previous epoch, so it is always one epoch
late. Halfway through, the worst miner is replaced by a better newcomer. The honest
validators weight the newcomer at once and buy bonds in it; the copier weights it an epoch
late, buys fewer bonds, and earns less dividend per unit of stake.

Every number printed is the chain's own (``era = dec2024``): stored u16 values and rao.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from taonet.chain.epoch.types import DEFAULT_PARAMS, EpochInputs, EpochOutputs
from taonet.chain.epoch.yuma import compute_epoch

VALIDATORS = ("V0 honest", "V1 honest", "V2 honest", "V3 copier")
VALIDATOR_STAKE_TAO = (4000, 3000, 2000, 2000)
MINER_QUALITY = [0.95, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.15]
NEWCOMER_QUALITY = 1.0
RAO = 10**9
TEMPO = 100


def _u16_row(scores: list[float], offset: int) -> tuple[tuple[int, int], ...]:
    """Weights as ``set_weights`` stores them: max-upscaled to u16."""
    top = max(scores)
    return tuple((offset + j, round(65535 * s / top)) for j, s in enumerate(scores) if s > 0)


def _run(epochs: int, seed: int) -> list[tuple[EpochInputs, EpochOutputs, list[float]]]:
    rng = np.random.default_rng(seed)
    v, m = len(VALIDATORS), len(MINER_QUALITY)
    n = v + m
    quality = list(MINER_QUALITY)
    stake = tuple(s * RAO for s in VALIDATOR_STAKE_TAO) + (0,) * m
    registered = [0] * n
    permits = (False,) * n
    bonds: tuple[tuple[tuple[int, int], ...], ...] = ((),) * n
    last_consensus = [1.0] * m
    history = []
    params = DEFAULT_PARAMS["dec2024"]
    for epoch in range(epochs):
        block = (epoch + 1) * TEMPO
        if epoch == epochs // 2:
            worst = int(np.argmin(quality))
            quality[worst] = NEWCOMER_QUALITY
            registered[v + worst] = block - TEMPO // 2
        weights = []
        for i in range(v):
            if i == v - 1:
                scores = last_consensus
            else:
                scores = [max(q + rng.normal(0, 0.02), 0.0) for q in quality]
            weights.append(_u16_row(scores, v))
        inputs = EpochInputs(
            era="dec2024",
            params=params,
            rao_emission=TEMPO * RAO * 82 // 100,  # the subnet's share after the owner's 18%
            current_block=block,
            stake=stake,
            last_update=tuple([block - 1] * v + [0] * m),
            block_at_registration=tuple(registered),
            validator_permit_before=permits,
            weights=tuple(weights) + ((),) * m,
            bonds=bonds,
        )
        out = compute_epoch(inputs)
        history.append((inputs, out, list(quality)))
        permits = out.new_validator_permit
        bonds = out.bonds
        last_consensus = [max(c / 65535, 1e-9) for c in out.consensus_u16[v:]]
    return history


def demo(
    epochs: Annotated[int, typer.Option(help="Number of epochs to run.", min=2, max=100)] = 8,
    seed: Annotated[int, typer.Option(help="Seed of the validators' measurement noise.")] = 7,
) -> None:
    """Show Yuma Consensus on one subnet: honest validators, a late weight copier, a newcomer."""
    console = Console()
    console.print(
        "[bold]taonet demo[/bold]: Yuma Consensus (late-2024 chain rules) on one subnet.\n"
        "Three honest validators weight miners by measured quality; V3 copies last epoch's consensus.\n"
        f"At epoch {epochs // 2} the worst miner is replaced by a newcomer of quality {NEWCOMER_QUALITY}.\n"
    )
    v = len(VALIDATORS)
    history = _run(epochs, seed)
    earned = np.zeros(v)
    for epoch, (inputs, out, quality) in enumerate(history):
        table = Table(title=f"epoch {epoch}  (block {inputs.current_block})", title_justify="left")
        table.add_column("uid", justify="right")
        table.add_column("role")
        table.add_column("quality / stake", justify="right")
        table.add_column("consensus", justify="right")
        table.add_column("incentive", justify="right")
        table.add_column("dividends", justify="right")
        table.add_column("v-trust", justify="right")
        table.add_column("emission (TAO)", justify="right")
        for uid in range(inputs.n):
            is_validator = uid < v
            role = VALIDATORS[uid] if is_validator else "miner"
            detail = f"{VALIDATOR_STAKE_TAO[uid]:,} TAO" if is_validator else f"{quality[uid - v]:.2f}"
            table.add_row(
                str(uid),
                role,
                detail,
                f"{out.consensus_u16[uid] / 65535:.3f}",
                f"{out.incentive_u16[uid] / 65535:.3f}",
                f"{out.dividends_u16[uid] / 65535:.3f}",
                f"{out.validator_trust_u16[uid] / 65535:.3f}",
                f"{out.emission[uid] / RAO:.3f}",
            )
        console.print(table)
        earned += np.array(out.validator_emission[:v], dtype=float)
    per_stake = earned / np.array(VALIDATOR_STAKE_TAO, dtype=float)
    honest = per_stake[: v - 1].mean()
    console.print(
        f"\nDividends per TAO staked over {epochs} epochs: honest validators "
        f"{honest / RAO:.5f} TAO, weight copier {per_stake[-1] / RAO:.5f} TAO "
        f"([bold]{100 * (per_stake[-1] / honest - 1):+.1f}%[/bold] for copying late)."
    )
