"""
Chain specifications
====================

A chain spec names a network and fixes what every node of it must agree on before the first
block: the genesis state (a runtime preset), the authority set (Aura's round-robin order) and
the runtime version that signatures bind. The genesis *block* hash commits to all three, so a
node refuses a database or a peer of another chain.

============  =====================  =======================  ================================
``--chain``   ``system_chain``       genesis preset           authorities (slot order)
============  =====================  =======================  ================================
dev           Development            ``dev``                  //Alice
localnet      Local Testnet          ``localnet``             //Alice, //Bob, //Charlie
mainnet-dec2024  Bittensor (Dec 2024 replica)  ``mainnet-dec2024``  //Alice
============  =====================  =======================  ================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from taonet.chain import SPEC_VERSION, ChainState, genesis_state, state_root
from taonet.primitives.block import Block, genesis_header
from taonet.primitives.crypto import dev_account

TRANSACTION_VERSION = 1
"""Bumped whenever the extrinsic format or a call's shape changes (signed into every extrinsic)."""


def runtime_version() -> dict[str, Any]:
    """``state_getRuntimeVersion``: Subtensor's spec name and version (era A: 217)."""
    return {
        "specName": "node-subtensor",
        "implName": "taonet",
        "authoringVersion": 1,
        "specVersion": SPEC_VERSION,
        "implVersion": 1,
        "apis": [],
        "transactionVersion": TRANSACTION_VERSION,
        "stateVersion": 1,
    }


@dataclass(frozen=True, slots=True)
class ChainSpec:
    """One named chain. ``authorities`` are sr25519 public keys in slot order."""

    id: str
    name: str
    chain_type: str
    preset: str
    authorities: tuple[bytes, ...]

    @property
    def finality_threshold(self) -> int:
        """Distinct authorities that must have authored a block or built on it to finalize it.

        ``ceil(2n/3)``: two of three, three of four, one of one. Strictly "more than 2/3"
        would need all three of three, and then a network of three could not finalize with one
        authority down.
        """
        n = len(self.authorities)
        return max(1, -(-2 * n // 3))

    def author_of_slot(self, slot: int) -> bytes:
        return self.authorities[slot % len(self.authorities)]

    def genesis(self) -> tuple[ChainState, Block]:
        """The genesis state and block (deterministic: equal on every node)."""
        state = genesis_state(self.preset)
        header = genesis_header(state_root(state), chain=self.id, authorities=self.authorities)
        return state, Block(header, b"", ())


def _devs(*names: str) -> tuple[bytes, ...]:
    return tuple(bytes(dev_account(n)) for n in names)


SPECS: dict[str, ChainSpec] = {
    "dev": ChainSpec("dev", "Development", "Development", "dev", _devs("Alice")),
    "localnet": ChainSpec("localnet", "Local Testnet", "Local", "localnet", _devs("Alice", "Bob", "Charlie")),
    "mainnet-dec2024": ChainSpec(
        "mainnet-dec2024", "Bittensor (Dec 2024 replica)", "Live", "mainnet-dec2024", _devs("Alice")
    ),
}


def chain_spec(chain_id: str) -> ChainSpec:
    """The spec named ``chain_id``; ``ValueError`` listing the known ones otherwise."""
    try:
        return SPECS[chain_id]
    except KeyError:
        raise ValueError(f"unknown chain {chain_id!r}; known chains: {', '.join(SPECS)}") from None
