"""Genesis presets: dev, localnet and mainnet-dec2024 (sizes and the issuance identity).

Run alone: .venv/bin/pytest tests/chain/test_genesis.py -q
"""

from __future__ import annotations

import pytest

from taonet.chain import genesis_state, state_root
from taonet.primitives.crypto import dev_account
from tests.harness import Harness


def test_dev_preset() -> None:
    h = Harness("dev")
    s = h.state
    alice = dev_account("Alice")
    assert s.Key.get() == alice and s.Account.get(alice) == 1_000_000 * 10**9
    assert s.Tempo.get(1) == 10 and s.SubnetOwner.get(1) == alice and s.NetworkRateLimit.get() == 0
    assert s.Tempo.get(0) == 100 and s.MaxAllowedUids.get(0) == 64
    h.assert_issuance_invariant()
    h.run_to_block(11)
    assert s.LastMechansimStepBlock.get(1) == 9  # the fast subnet ran its epoch


def test_localnet_preset_matches_subtensor_localnet() -> None:
    s = genesis_state("localnet")
    assert s.TotalIssuance.get() == 3 * 10**15 + 3 * 2 * 10**12
    assert len(s.TriumvirateMembers.get()) == 3 and len(s.SenateMembers.get()) == 3
    assert sorted(s.NetworksAdded.data) == [0]


def test_unknown_preset() -> None:
    with pytest.raises(KeyError):
        genesis_state("nope")


def test_mainnet_dec2024_preset_size_and_determinism() -> None:
    s = genesis_state("mainnet-dec2024")
    assert s.TotalIssuance.get() == 7_930_000 * 10**9
    assert s.SubnetworkN.get(0) == 64 and len(s.NetworksAdded.data) == 57 and s.TotalNetworks.get() == 57
    assert all(s.SubnetworkN.get(n) == 256 for n in range(1, 57))
    assert len(s.SenateMembers.get()) == 12
    assert abs(sum(s.EmissionValues.get(n) for n in range(57)) - 10**9) < 100
    Harness(s).assert_issuance_invariant()
    assert state_root(s) == state_root(genesis_state("mainnet-dec2024"))
