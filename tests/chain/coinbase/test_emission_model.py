"""The emission model seam: the coinbase asks a model which subnets accrue what.

Run alone: .venv/bin/pytest tests/chain/coinbase/test_emission_model.py -q
"""

from __future__ import annotations

from taonet.chain.coinbase.emission_model import (
    NewSubnetPriorityModel,
    get_emission_model,
    register_emission_model,
)
from taonet.chain.state import ChainState
from tests.harness import Harness, tao


def two_subnets() -> Harness:
    h = Harness()
    h.add_network(1, tempo=1000)
    h.state.NetworkRegisteredAt.set(1, 0)
    h.run_to_block(50)
    h.add_network(2, tempo=1000)  # registered at block 50: young
    h.state.EmissionValues.set(1, tao(1))
    h.state.EmissionValues.set(2, 0)
    return h


def test_root_model_is_the_default() -> None:
    h = two_subnets()
    assert get_emission_model(h.state).name == "root"
    h.step_block()
    assert h.state.PendingEmission.get(1) == tao(1) and h.state.PendingEmission.get(2) == 0


def test_new_subnet_priority_model_funds_young_subnets_first() -> None:
    register_emission_model(NewSubnetPriorityModel(young_blocks=20, name="priority-20"))
    h = two_subnets()
    h.state.EmissionModel.set("priority-20")
    h.step_block()
    young, old = h.state.PendingEmission.get(2), h.state.PendingEmission.get(1)
    assert young == tao(1) * 32768 // 65535  # the young pot (32768/65535 of the block emission)
    assert young + old <= tao(1)


def test_a_custom_model_plugs_in_without_touching_the_coinbase() -> None:
    class Everything:
        name = "everything-to-2"

        def process_block(self, state: ChainState, block_emission: int) -> dict[int, int]:
            return {2: block_emission}

    register_emission_model(Everything())
    h = two_subnets()
    h.state.EmissionModel.set("everything-to-2")
    h.step_block(3)
    assert h.state.PendingEmission.get(2) == 3 * tao(1) and h.state.PendingEmission.get(1) == 0
