"""
Large genesis presets
=====================

``mainnet-dec2024``: a synthetic chain the size of Bittensor's network in December 2024 (the
seed article's figures): 64 root validators, 56 subnets of 256 uids, 7.93M TAO issued.

* Each of the 64 root validators (hotkey + coldkey) holds stake following a power law (total
  about 75% of issuance, the article's share of staked TAO), has 50 nominators, sits on every
  subnet as one of its 64 permitted validators and weights every subnet on root.
* Each subnet has 192 miners, owned by 2 709 miner coldkeys (the article's count of miner
  accounts); every validator's weight row covers all 192 miners.
* Subnet owners locked between 1 000 and 3 000 TAO.
* ``EmissionValues`` are the root epoch of the genesis weights, so emission starts at block 1.
* Free balances hold the rest of the 7.93M TAO (a treasury account absorbs the remainder so
  that ``TotalIssuance`` equals free + staked + locked exactly).

Accounts are synthetic (``blake2b_256`` of a label); a small deterministic generator (no
``random`` module: the chain must not depend on it) draws the numbers, so every run builds the
same state and the same state root.
"""

from __future__ import annotations

from functools import lru_cache

from taonet.primitives.crypto import derive_account_id
from taonet.primitives.types import RAO_PER_TAO

from . import params as P
from .coinbase.issuance import compute_block_emission
from .coinbase.root_epoch import compute_root_emission_values
from .genesis import PRESETS, GenesisConfig, NeuronGenesis, SubnetGenesis

TAO = RAO_PER_TAO
ISSUANCE = 7_930_000 * TAO
ROOT_VALIDATORS = 64
SUBNETS = 56
UIDS = 256
MINERS_PER_SUBNET = UIDS - ROOT_VALIDATORS
MINER_COLDKEYS = 2709
NOMINATORS_PER_VALIDATOR = 50


class _Rng:
    """64-bit LCG (Knuth's MMIX constants): deterministic, dependency-free."""

    def __init__(self, seed: int) -> None:
        self.x = seed & ((1 << 64) - 1)

    def next(self) -> int:
        self.x = (6364136223846793005 * self.x + 1442695040888963407) & ((1 << 64) - 1)
        return self.x >> 11

    def below(self, n: int) -> int:
        return self.next() % n


def _acct(label: str) -> bytes:
    return derive_account_id(f"mainnet-dec2024/{label}")


@lru_cache(maxsize=1)
def mainnet_dec2024() -> GenesisConfig:
    rng = _Rng(20241231)
    v_hot = [_acct(f"validator-hotkey-{i}") for i in range(ROOT_VALIDATORS)]
    v_cold = [_acct(f"validator-coldkey-{i}") for i in range(ROOT_VALIDATORS)]
    # power-law validator stakes, about 75% of issuance in total
    raw = [1_000_000 // (i + 1) ** 1 + 2_000 for i in range(ROOT_VALIDATORS)]
    target_stake = ISSUANCE * 3 // 4
    own = [target_stake * r // sum(raw) * 7 // 10 for r in raw]  # 70% owner stake, 30% nominated
    nominations = []
    for i in range(ROOT_VALIDATORS):
        nominated = target_stake * raw[i] // sum(raw) - own[i]
        per = nominated // NOMINATORS_PER_VALIDATOR
        for k in range(NOMINATORS_PER_VALIDATOR):
            nominations.append((_acct(f"nominator-{i}-{k}"), v_hot[i], per))
    root_validators = tuple(NeuronGenesis(v_hot[i], v_cold[i], own[i]) for i in range(ROOT_VALIDATORS))
    miner_cold = [_acct(f"miner-coldkey-{i}") for i in range(MINER_COLDKEYS)]
    subnets = []
    locks = 0
    root_rows = []
    for i in range(ROOT_VALIDATORS):
        root_rows.append(tuple((netuid, 1 + rng.below(65535)) for netuid in range(1, SUBNETS + 1)))
    for netuid in range(1, SUBNETS + 1):
        neurons = [NeuronGenesis(v_hot[i], v_cold[i], 0) for i in range(ROOT_VALIDATORS)]
        for m in range(MINERS_PER_SUBNET):
            neurons.append(
                NeuronGenesis(_acct(f"miner-{netuid}-{m}"), miner_cold[(netuid * MINERS_PER_SUBNET + m) % MINER_COLDKEYS])
            )
        weights = []
        for v in range(ROOT_VALIDATORS):
            row = tuple((ROOT_VALIDATORS + m, rng.below(65536)) for m in range(MINERS_PER_SUBNET))
            weights.append((v, row))
        lock = (1_000 + rng.below(2_001)) * TAO
        locks += lock
        subnets.append(
            SubnetGenesis(
                netuid=netuid,
                owner=_acct(f"subnet-owner-{netuid}"),
                lock=lock,
                neurons=tuple(neurons),
                weights=tuple(weights),
                validators=tuple(range(ROOT_VALIDATORS)),
                hyperparameters=(("NetworkRegisteredAt", 0),),
            )
        )
    staked = sum(own) + sum(n[2] for n in nominations)
    free_total = ISSUANCE - staked - locks
    holders = [(_acct(f"holder-{i}"), free_total // 2000) for i in range(1000)]
    holders += [(c, 10 * TAO) for c in v_cold] + [(c, TAO) for c in miner_cold]
    treasury = free_total - sum(a for _, a in holders)
    balances = tuple(holders) + ((_acct("treasury"), treasury),)
    # EmissionValues of the genesis root weights, so subnets emit from block 1
    stakes = [own[i] + sum(n[2] for n in nominations if n[1] == v_hot[i]) for i in range(ROOT_VALIDATORS)]
    dense = [[0] + [w for _, w in row] for row in root_rows]  # column 0: netuid 0
    values = compute_root_emission_values(stakes, dense, P.INITIAL_KAPPA, P.INITIAL_RHO, compute_block_emission(ISSUANCE))
    assert values is not None
    subnets = [
        SubnetGenesis(**{**{f: getattr(sn, f) for f in sn.__slots__}, "emission_value": values[sn.netuid]})
        for sn in subnets
    ]
    return GenesisConfig(
        name="mainnet-dec2024",
        balances=balances,
        sudo_key=_acct("sudo"),
        triumvirate=(_acct("triumvir-0"), _acct("triumvir-1"), _acct("triumvir-2")),
        storage=(("SubnetLimit", 64),),
        subnets=tuple(subnets),
        root_validators=root_validators,
        nominations=tuple(nominations),
        root_weights=tuple(zip(v_hot, root_rows)),
    )


PRESETS["mainnet-dec2024"] = mainnet_dec2024
