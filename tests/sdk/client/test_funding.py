"""Owner top-ups through the SDK against a real node: fund_subnet_emission, the client's checks,
the chain's refusals by name, and the next epoch paying the top-up out.

Run alone: .venv/bin/pytest tests/sdk/client/test_funding.py -q
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from taonet.primitives import calls as C
from taonet.primitives.balance import Balance
from taonet.sdk.blocking import Subtensor
from taonet.sdk.wallet import Wallet
from tests.sdk.client.chain_helpers import funded_wallet, new_subnet
from tests.sdk.client.node_process import NodeProcess


@pytest.fixture
def st(node: NodeProcess) -> Iterator[Subtensor]:
    with Subtensor(node.url) as client:
        yield client


def _epoch_emission(st: Subtensor, netuid: int, blocks: int) -> int | None:
    """Create up to ``blocks`` blocks; the emission of the first epoch of ``netuid`` among them."""
    for _ in range(blocks):
        created = st.rpc("engine_createBlock", [True])
        events = st.rpc("taonet_getBlockEvents", [created["hash"]])
        for e in events["events"]:
            if e["name"] == "EpochCompleted" and e["fields"]["netuid"] == netuid:
                return int(e["fields"]["emission"])
    return None


def test_an_owner_funds_its_subnet_and_the_next_epoch_pays_it(st: Subtensor, alice: Wallet, tmp_path: Path) -> None:
    owner = funded_wallet(st, alice, tmp_path, 3000)
    netuid = new_subnet(st, owner, alice, tempo=4)
    reg = st.burned_register(owner, netuid)
    assert reg.success, reg.message
    staked = st.add_stake(owner, netuid, owner.hotkey.ss58_address, Balance.from_tao(10))
    assert staked.success, staked.message

    amount = Balance.from_tao(25)
    before = st.get_balance(owner.coldkeypub.ss58_address)
    resp = st.fund_subnet_emission(owner, netuid, amount)
    assert resp.success, resp.message
    assert resp.data == amount.rao
    assert resp.extrinsic_fee is not None and resp.extrinsic_fee.rao > 0  # pays like a transfer
    after = st.get_balance(owner.coldkeypub.ss58_address)
    assert before.rao - after.rao == amount.rao + resp.extrinsic_fee.rao

    emission = _epoch_emission(st, netuid, 6)
    assert emission is not None and emission >= amount.rao  # the top-up went to Yuma whole


def test_the_client_and_the_chain_refuse_by_name(st: Subtensor, alice: Wallet, tmp_path: Path) -> None:
    owner = funded_wallet(st, alice, tmp_path, 3000)
    netuid = new_subnet(st, owner, alice)
    stranger = funded_wallet(st, alice, tmp_path, 10)

    zero = st.fund_subnet_emission(owner, netuid, 0)
    assert not zero.success and zero.error_name == "FundingAmountIsZero"
    missing = st.fund_subnet_emission(owner, 999, Balance.from_tao(1))
    assert not missing.success and missing.error_name == "SubNetworkDoesNotExist"
    root = st.fund_subnet_emission(owner, 0, Balance.from_tao(1))
    assert not root.success and root.error_name == "SubNetworkDoesNotExist"
    not_owner = st.fund_subnet_emission(stranger, netuid, Balance.from_tao(1))
    assert not not_owner.success and not_owner.error_name == "NotSubnetOwner"
    too_much = st.fund_subnet_emission(owner, netuid, Balance.from_tao(10**6))
    assert not too_much.success and too_much.error_name == "NotEnoughBalanceToFund"
    assert too_much.extrinsic_receipt is None  # refused before signing

    # past the client's checks, the chain names the same errors
    chain = st.sign_and_send_extrinsic(C.FundSubnetEmission(netuid, Balance.from_tao(1).rao), stranger)
    assert not chain.success and chain.error_name == "NotSubnetOwner"
    chain = st.sign_and_send_extrinsic(C.FundSubnetEmission(netuid, Balance.from_tao(10**6).rao), owner)
    assert not chain.success and chain.error_name == "NotEnoughBalanceToFund"
    assert "existential deposit" in (chain.message or "")
