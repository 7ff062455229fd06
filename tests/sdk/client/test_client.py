"""AsyncSubtensor / Subtensor against a real node process (dev chain, instant seal).

Each test owns its accounts (fresh wallets funded by //Alice) and, where it changes
parameters, its own subnet, because the node is shared by the whole session.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from taonet import AsyncSubtensor, Axon, Balance, Metagraph, Subtensor
from taonet.sdk.wallet import Wallet
from tests.sdk.client.chain_helpers import fill_subnet, fresh_wallet, funded_wallet, new_subnet, sudo
from tests.sdk.client.node_process import NodeProcess

ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


@pytest.fixture
def st(node: NodeProcess):  # type: ignore[no-untyped-def]
    with Subtensor(node.url) as client:
        yield client


def test_reads(st: Subtensor) -> None:
    block = st.get_current_block()
    assert block >= 0 and st.block >= block
    assert st.get_block_hash(0).startswith("0x")
    assert st.get_balance(ALICE) > Balance.from_tao(1000)
    assert st.get_existential_deposit() == Balance.from_rao(500)
    netuids = st.get_all_subnets_netuid()
    assert 0 in netuids and 1 in netuids and st.get_total_subnets() == len(netuids)
    assert st.subnet_exists(1) and not st.subnet_exists(999)
    hp = st.get_subnet_hyperparameters(1)
    assert hp is not None and st.tempo(1) == hp.tempo
    assert st.get_subnet_hyperparameters(999) is None and st.tempo(999) is None
    assert isinstance(st.weights_rate_limit(1), int) and isinstance(st.commit_reveal_enabled(1), bool)
    assert st.recycle(1) is not None
    assert isinstance(st.get_delegates(), list)
    balances = st.get_balances(ALICE, "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty")
    assert set(balances) == {ALICE, "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"}


def test_hotkey_lookups_lock_cost_and_constants_are_one_query_each(
    st: Subtensor, alice: Wallet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Owner, registrations, the subnet lock cost and the existential deposit come from the
    node's dedicated methods, not from scanning every subnet's metagraph."""
    w = funded_wallet(st, alice, tmp_path, 100)
    hot = w.hotkey.ss58_address
    assert st.burned_register(w, 1).success
    calls: list[str] = []
    inner = st.async_subtensor.rpc

    async def recording(method: str, params: list[object] | None = None) -> object:
        calls.append(method)
        return await inner(method, params)

    monkeypatch.setattr(st.async_subtensor, "rpc", recording)
    assert st.get_hotkey_owner(hot) == w.coldkeypub.ss58_address
    assert st.get_netuids_for_hotkey(hot) == [1]
    uid = st.get_uid_for_hotkey_on_subnet(hot, 1)
    assert uid is not None and st.is_hotkey_registered(hot) and st.is_hotkey_registered(hot, 1)
    assert not st.is_hotkey_registered(hot, 0) and st.get_uid_for_hotkey_on_subnet(hot, 0) is None
    assert calls == ["taonet_getHotkey"] * 7
    stranger = fresh_wallet(tmp_path).hotkey.ss58_address
    assert st.get_hotkey_owner(stranger) is None and st.get_netuids_for_hotkey(stranger) == []
    calls.clear()
    assert st.get_subnet_burn_cost() >= Balance.from_tao(1)
    assert st.get_existential_deposit() == Balance.from_rao(500)
    assert calls == ["taonet_getNetworkLockCost", "taonet_getConstants"]


def test_transfer_and_validation(st: Subtensor, alice: Wallet, tmp_path: Path) -> None:
    dest = fresh_wallet(tmp_path)
    resp = st.transfer(alice, dest.coldkeypub.ss58_address, Balance.from_tao(5))
    assert resp.success, resp.message
    success, message = resp
    assert success and resp.extrinsic_receipt is not None and resp.extrinsic_receipt.block_hash
    assert st.get_balance(dest.coldkeypub.ss58_address) == Balance.from_tao(5)
    # refused before signing: not enough balance, bad address, zero amount
    back = st.transfer(dest, ALICE, Balance.from_tao(10))
    assert not back.success and back.error_name == "InsufficientBalance" and back.extrinsic is None
    assert st.transfer(alice, "not-an-address", Balance.from_tao(1)).error_name == "InvalidDestination"
    assert st.transfer(alice, ALICE, Balance.from_rao(0)).error_name == "ZeroAmount"
    fee = st.get_transfer_fee(alice, dest.coldkeypub.ss58_address, Balance.from_tao(1))
    assert fee.rao > 0
    # transfer_all empties the account (keep_alive=False)
    out = st.transfer(dest, ALICE, transfer_all=True, keep_alive=False)
    assert out.success, out.message
    assert st.get_balance(dest.coldkeypub.ss58_address) == Balance.from_rao(0)


def test_a_tip_is_paid_with_the_fee(st: Subtensor, alice: Wallet, tmp_path: Path) -> None:
    w = funded_wallet(st, alice, tmp_path, 10)
    dest = fresh_wallet(tmp_path).coldkeypub.ss58_address
    fee = st.get_transfer_fee(w, dest, Balance.from_tao(1))
    resp = st.transfer(w, dest, Balance.from_tao(1), tip=Balance.from_rao(123_456))
    assert resp.success, resp.message
    paid = resp.extrinsic_fee
    assert paid is not None and abs(paid.rao - 123_456 - fee.rao) <= 16  # the fee's length part differs by a few bytes
    assert st.get_balance(w.coldkeypub.ss58_address) == Balance.from_tao(9) - paid
    event = resp.extrinsic_receipt.event("TransactionFeePaid") if resp.extrinsic_receipt else None
    assert event is not None and event["fields"]["tip"] == 123_456 and event["fields"]["actual_fee"] == paid.rao
    refused = st.transfer(w, dest, Balance.from_tao(1), tip=Balance.from_tao(100))
    assert refused.error_name == "InsufficientBalance" and "with the tip" in (refused.message or "")


def test_register_stake_weights_serve(st: Subtensor, alice: Wallet, tmp_path: Path) -> None:
    w = funded_wallet(st, alice, tmp_path, 500)
    hot = w.hotkey.ss58_address
    netuid = new_subnet(st, alice, alice)
    # a chain error comes back with its name and advice
    early = st.set_weights(w, netuid, [0], [1.0])  # the subnet is still empty
    assert not early.success and early.error_name == "UidsLengthExceedUidsInSubNet"
    assert early.error.pallet == "SubtensorModule" and "more weights than neurons" in (early.message or "")

    assert st.burned_register(alice, netuid).success  # uid 0: Alice
    unregistered = st.set_weights(w, netuid, [0], [1.0])
    assert unregistered.error_name == "HotKeyNotRegisteredInSubNet" and "register" in (unregistered.message or "")
    reg = st.burned_register(w, netuid)
    assert reg.success, reg.message
    uid = st.get_uid_for_hotkey_on_subnet(hot, netuid)
    assert uid is not None and reg.data == uid
    assert st.is_hotkey_registered(hot, netuid) and st.is_hotkey_registered(hot)
    assert netuid in st.get_netuids_for_hotkey(hot)
    assert st.burned_register(w, netuid).message.startswith("Already registered")
    assert st.get_hotkey_owner(hot) == w.coldkeypub.ss58_address

    assert st.add_stake(w, netuid, hot, Balance.from_tao(100)).success
    assert st.get_stake(w.coldkeypub.ss58_address, hot) == Balance.from_tao(100)
    assert st.unstake(w, netuid, hot, Balance.from_tao(40)).success
    assert st.get_stake(w.coldkeypub.ss58_address, hot) == Balance.from_tao(60)
    too_much = st.unstake(w, netuid, hot, Balance.from_tao(1000))
    assert not too_much.success and too_much.error_name == "NotEnoughStakeToWithdraw"
    info = st.get_stake_info_for_coldkey(w.coldkeypub.ss58_address)
    assert [(i.hotkey_ss58, i.stake) for i in info] == [(hot, Balance.from_tao(60))]

    resp = st.set_weights(w, netuid, [uid], [1.0])
    assert resp.success, resp.message
    assert dict(st.weights(netuid))[uid] == [(uid, 65535)]
    assert st.blocks_since_last_update(netuid, uid) >= 0

    refused = st.serve_axon(netuid, Axon(w, port=8901, ip="127.0.0.1"))  # Subtensor refuses 127.0.0.1
    assert refused.error_name == "InvalidIpAddress" and "external_ip" in (refused.message or "")
    served = st.serve_axon(netuid, Axon(w, port=8901, ip="127.0.0.1", external_ip="127.0.0.2"))
    assert served.success, served.message
    neuron = st.neuron_for_uid(uid, netuid)
    assert neuron is not None and neuron.axon_info.port == 8901 and neuron.axon_info.ip == "127.0.0.2"


def test_commit_reveal(st: Subtensor, alice: Wallet, tmp_path: Path) -> None:
    netuid = new_subnet(st, alice, alice, tempo=3)
    assert st.burned_register(alice, netuid).success
    sudo(st, alice, netuid, "commit_reveal_weights_enabled", True)
    uid = st.get_uid_for_hotkey_on_subnet(alice.hotkey.ss58_address, netuid)
    direct = st.set_weights(alice, netuid, [uid], [1.0])
    assert direct.error_name == "CommitRevealEnabled"
    salt = [1, 2, 3, 4]
    commit = st.commit_weights(alice, netuid, salt, [uid], [1.0])
    assert commit.success, commit.message
    assert str(commit.data).startswith("0x")
    revealed = None
    for _ in range(40):  # advance blocks until the reveal window opens
        revealed = st.reveal_weights(alice, netuid, [uid], [1.0], salt)
        if revealed.success or revealed.error_name != "RevealTooEarly":
            break
        st.rpc("engine_createBlock", [True])
    assert revealed is not None and revealed.success, revealed.message


def test_metagraph_256_uids_sync_and_facade_equals_async(st: Subtensor, alice: Wallet, node: NodeProcess) -> None:
    netuid = new_subnet(st, alice, alice)
    hotkeys = fill_subnet(st, alice, netuid, 256, f"mg{netuid}-")
    mg = st.metagraph(netuid)
    assert int(mg.n) == 256 and list(mg.uids) == list(range(256))
    assert set(mg.hotkeys) == set(hotkeys) and mg.S.shape == (256,) and mg.I.dtype == np.float32
    assert all(c == alice.coldkeypub.ss58_address for c in mg.coldkeys)
    full = Metagraph(netuid, network=node.url, lite=False, subtensor=st)
    assert full.W.shape == (256, 256) and full.B.shape == (256, 256)

    async def via_async() -> tuple[list, Metagraph]:
        async with AsyncSubtensor(node.url) as ast:
            return await ast.neurons_lite(netuid), await ast.metagraph(netuid)

    lite_async, mg_async = asyncio.run(via_async())
    assert lite_async == st.neurons_lite(netuid)
    for name in ("uids", "S", "R", "T", "C", "I", "D", "E", "Tv", "active", "last_update", "validator_permit"):
        assert np.array_equal(getattr(mg_async, name), getattr(mg, name)), name
    assert mg_async.hotkeys == mg.hotkeys and mg_async.axons == mg.axons


def test_concurrent_writes_from_one_key_take_distinct_nonces(node: NodeProcess, alice: Wallet, tmp_path: Path) -> None:
    targets = [fresh_wallet(tmp_path).coldkeypub.ss58_address for _ in range(4)]

    async def main() -> list:
        async with AsyncSubtensor(node.url) as ast:
            return await asyncio.gather(*(ast.transfer(alice, t, Balance.from_tao(1)) for t in targets))

    results = asyncio.run(main())
    assert all(r.success for r in results), [r.message for r in results]
    nonces = [r.extrinsic["nonce"] for r in results]
    assert len(set(nonces)) == 4


def test_client_survives_node_restart(node: NodeProcess) -> None:
    with Subtensor(node.url) as client:
        before = client.get_current_block()
        node.restart()
        assert client.get_current_block() >= before  # reconnects on the next request
        assert client.async_subtensor.transport.reconnects >= 1
