"""Commitments through the SDK against a real node: commit / set_commitment, get_commitment,
get_all_commitments, get_commitment_metadata, and the chain's refusals by name.

Run alone: .venv/bin/pytest tests/sdk/client/test_commitments.py -q
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from taonet.sdk.blocking import Subtensor
from taonet.sdk.subtensor import AsyncSubtensor
from taonet.sdk.wallet import Wallet
from tests.sdk.client.chain_helpers import fresh_wallet, funded_wallet, new_subnet
from tests.sdk.client.node_process import NodeProcess

COMMIT_RATE_LIMIT = 100  # CommitmentRateLimit of Subtensor's runtime (era A)


@pytest.fixture
def st(node: NodeProcess) -> Iterator[Subtensor]:
    with Subtensor(node.url) as client:
        yield client


def test_a_miner_commits_and_validators_read_it_back(st: Subtensor, alice: Wallet, node: NodeProcess, tmp_path: Path) -> None:
    netuid = new_subnet(st, alice, alice)
    miner = funded_wallet(st, alice, tmp_path, 10)
    hot = miner.hotkey.ss58_address

    refused = st.commit(miner, netuid, "repo/model:abc")  # not registered yet
    assert not refused.success and refused.error_name == "AccountNotAllowedCommit"
    assert refused.error.pallet == "Commitments" and "register" in (refused.message or "")

    reg = st.burned_register(miner, netuid)
    assert reg.success, reg.message
    uid = int(reg.data)
    assert st.get_commitment(netuid, uid) == "" and st.get_all_commitments(netuid) == {}
    assert st.get_commitment_metadata(netuid, hot) is None

    too_long = st.set_commitment(miner, netuid, "é" * 65)  # 130 bytes of UTF-8
    assert not too_long.success and too_long.error_name == "BadArgument" and "130 bytes" in (too_long.message or "")

    text = "org/finetuned-7b:4f1c2a9e:competition-1"
    resp = st.commit(miner, netuid, text)
    assert resp.success, resp.message
    assert resp.extrinsic_fee is not None and resp.extrinsic_fee.rao == 0  # free, as on chain
    assert st.get_commitment(netuid, uid) == text
    assert st.get_all_commitments(netuid) == {hot: text}
    meta = st.get_commitment_metadata(netuid, hot)
    assert meta is not None and meta.hotkey == hot and meta.deposit == 0
    assert meta.info.fields[0].kind == "Raw" and meta.info.fields[0].variant == f"Raw{len(text)}"
    committed_at = meta.block
    assert committed_at <= st.get_current_block()

    again = st.set_commitment(miner, netuid, "v2")
    assert not again.success and again.error_name == "CommitmentSetRateLimitExceeded"
    assert "100 blocks" in (again.message or "")

    while st.get_current_block() < committed_at + COMMIT_RATE_LIMIT:
        st.rpc("engine_createBlock", [True])
    later = st.set_commitment(miner, netuid, "v2")
    assert later.success, later.message
    assert st.get_commitment(netuid, uid) == "v2"
    assert st.get_commitment_metadata(netuid, hot).block >= committed_at + COMMIT_RATE_LIMIT

    # the async client answers the same (the facade runs the same coroutines)
    async def via_async() -> tuple[str, dict[str, str]]:
        async with AsyncSubtensor(node.url) as ast:
            return await ast.get_commitment(netuid, uid), await ast.get_all_commitments(netuid)

    assert asyncio.run(via_async()) == ("v2", {hot: "v2"})
    assert st.get_commitment(netuid, 250) == ""  # an empty uid


def test_a_hotkey_without_a_uid_anywhere_is_refused_by_the_pool(st: Subtensor, tmp_path: Path) -> None:
    """The dev node's pool dry-runs the call: the refusal costs nothing and names the error."""
    stranger = fresh_wallet(tmp_path)
    resp = st.commit(stranger, 1, "hello")
    assert not resp.success and resp.error_name == "AccountNotAllowedCommit"
    assert resp.extrinsic_receipt is None  # never in a block
