"""One real node process on 127.0.0.1: submit, watch, subscribe, query, and the protocol's errors."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Iterator

import pytest

from taonet.primitives import rpc as R
from taonet.primitives.crypto import dev_account, ss58_encode
from taonet.primitives.extrinsic import Era
from tests.node.helpers import NodeProcess, WsClient, key, sign, transfer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120), pytest.mark.xdist_group("node-processes")]


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NodeProcess]:
    """A non-dev instant-seal node (unsafe methods off), with small limits to test them."""
    proc = NodeProcess(
        tmp_path_factory.mktemp("rpc"), "alice",
        ["--chain", "dev", "--authority", "//Alice", "--instant-seal",
         "--rpc-max-subscriptions-per-connection", "4", "--rpc-max-request-size", "1",
         "--rpc-max-connections", "4"],
    )  # fmt: skip
    proc.start()
    yield proc
    proc.kill()


def test_submit_and_watch_reports_ready_in_block_finalized(node: NodeProcess) -> None:
    ctx = node.context()
    bob = dev_account("Bob")
    before = node.rpc("taonet_getAccount", [ss58_encode(bob)])["free"]

    async def run() -> list[object]:
        async with WsClient(node.ws_url) as ws:
            nonce = await ws.call("system_accountNextIndex", [key("//Alice").ss58_address])
            xt = sign(ctx, "//Alice", transfer("Bob", 5 * 10**9), nonce)
            sid = await ws.call("author_submitAndWatchExtrinsic", [R.to_hex(xt.encode())])
            updates = []
            while True:
                u = await ws.next(sid)
                updates.append(u)
                if isinstance(u, dict) and "finalized" in u:
                    break
            assert ws.order.index(f"note:{sid}") > 0  # the id came first
            return updates

    updates = asyncio.run(run())
    assert updates[0] == "ready"
    assert updates[1]["result"]["success"] is True and updates[1]["result"]["fee"] > 0
    assert updates[2] == {"finalized": updates[1]["inBlock"]}
    assert node.rpc("taonet_getAccount", [ss58_encode(bob)])["free"] == before + 5 * 10**9
    events = node.rpc("taonet_getBlockEvents", [updates[1]["inBlock"]])["events"]
    assert [e["name"] for e in events] == ["TransactionFeePaid", "Transfer", "ExtrinsicSuccess"]


def test_subscriptions_heads_finalized_and_events(node: NodeProcess) -> None:
    ctx = node.context()

    async def run() -> None:
        async with WsClient(node.ws_url) as ws:
            heads = await ws.call("chain_subscribeNewHeads")
            final = await ws.call("chain_subscribeFinalizedHeads")
            events = await ws.call("taonet_subscribeEvents")
            first = await ws.next(heads)  # the current head comes at once
            await ws.next(final)
            nonce = await ws.call("system_accountNextIndex", [key("//Bob").ss58_address])
            await ws.call("author_submitExtrinsic", [R.to_hex(sign(ctx, "//Bob", transfer("Dave"), nonce).encode())])
            new = await ws.next(heads)
            assert int(new["number"], 16) == int(first["number"], 16) + 1
            assert (await ws.next(final))["hash"] == new["hash"]
            ev = await ws.next(events)
            assert ev["blockHash"] == new["hash"] and any(e["name"] == "Transfer" for e in ev["events"])
            # limit of 4 subscriptions per connection (set on the command line)
            await ws.call("chain_subscribeNewHeads")
            with pytest.raises(R.RpcError) as err:
                await ws.call("chain_subscribeNewHeads")
            assert err.value.code == R.TOO_MANY_SUBSCRIPTIONS
            assert await ws.call("chain_unsubscribeNewHeads", [heads]) is True
            assert await ws.call("chain_unsubscribeNewHeads", [heads]) is False
            assert await ws.call("chain_unsubscribeNewHeads", [events]) is False  # wrong kind

    asyncio.run(run())


def test_queries(node: NodeProcess) -> None:
    assert node.rpc("system_chain") == "Development"
    assert node.rpc("system_name") == "taonet"
    assert node.rpc("state_getRuntimeVersion")["specVersion"] == 217
    assert node.rpc("system_health") == {"peers": 0, "isSyncing": False, "shouldHavePeers": False}
    subnets = node.rpc("taonet_getSubnets")
    assert [s["netuid"] for s in subnets] == [0, 1]
    hp = node.rpc("taonet_getHyperparameters", [1])
    assert hp["tempo"] == 10 and hp["weights_rate_limit"] == 0
    assert node.rpc("taonet_getHyperparameters", [77]) is None
    mg = node.rpc("taonet_getMetagraph", [1])
    assert mg["netuid"] == 1 and len(mg["hotkeys"]) == mg["n"]
    assert node.rpc("taonet_getNeurons", [1]) == [] or "hotkey" in node.rpc("taonet_getNeurons", [1])[0]
    issuance = node.rpc("taonet_getIssuance")
    assert issuance["totalIssuance"] > 0
    assert isinstance(node.rpc("taonet_getDelegates"), list)
    assert node.rpc("taonet_getStake", [key("//Alice").ss58_address]) == []
    info = node.rpc("payment_queryInfo", [R.to_hex(sign(node.context(), "//Eve", transfer(), 0).encode())])
    assert info["class"] == "normal" and info["partialFee"] > 100_000
    methods = node.rpc("rpc_methods")["methods"]
    assert "author_submitAndWatchExtrinsic" in methods and "engine_createBlock" not in methods
    doc = node.rpc("rpc_discover")
    assert doc["openrpc"].startswith("1.2") and {m["name"] for m in doc["methods"]} >= {"chain_getBlock"}
    block = node.rpc("chain_getBlock", [node.rpc("chain_getBlockHash", [0])])
    assert block["block"]["header"]["number"] == "0x0" and block["block"]["extrinsics"] == []
    assert node.rpc("chain_getBlockHash", [10**6]) is None
    assert node.rpc("chain_getHeader", ["0x" + "11" * 32]) is None


def _post(node: NodeProcess, body: object | bytes) -> tuple[int, object]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return node.post(raw)


def test_protocol_errors(node: NodeProcess) -> None:
    status, reply = _post(node, b"{not json")
    assert reply["error"]["code"] == R.PARSE_ERROR and reply["id"] is None  # type: ignore[index]
    _, reply = _post(node, [1])
    assert reply[0]["error"]["code"] == R.INVALID_REQUEST  # type: ignore[index]
    _, reply = _post(node, {"jsonrpc": "1.0", "id": 1, "method": "system_name"})
    assert reply["error"]["code"] == R.INVALID_REQUEST  # type: ignore[index]
    _, reply = _post(node, R.request("no_suchMethod"))
    assert reply["error"]["code"] == R.METHOD_NOT_FOUND and "no_suchMethod" in reply["error"]["message"]  # type: ignore[index]
    _, reply = _post(node, R.request("engine_createBlock"))
    assert reply["error"]["code"] == R.METHOD_NOT_FOUND and "--dev" in reply["error"]["message"]  # type: ignore[index]
    _, reply = _post(node, R.request("chain_getBlockHash", ["seven"]))
    assert reply["error"]["code"] == R.INVALID_PARAMS and "'number'" in reply["error"]["message"]  # type: ignore[index]
    _, reply = _post(node, R.request("taonet_getNeuron", [1]))
    assert reply["error"]["code"] == R.INVALID_PARAMS and "'uid'" in reply["error"]["message"]  # type: ignore[index]
    _, reply = _post(node, R.request("system_name", [1, 2]))
    assert reply["error"]["code"] == R.INVALID_PARAMS  # type: ignore[index]
    _, reply = _post(node, R.request("author_submitExtrinsic", ["0xzz"]))
    assert reply["error"]["code"] == R.INVALID_PARAMS and "'extrinsic'" in reply["error"]["message"]  # type: ignore[index]
    _, reply = _post(node, R.request("author_submitExtrinsic", ["0x8400"]))
    assert reply["error"]["code"] == R.BAD_FORMAT  # type: ignore[index]
    _, reply = _post(node, R.request("chain_subscribeNewHeads"))
    assert reply["error"]["code"] == R.SUBSCRIPTIONS_NEED_WEBSOCKET  # type: ignore[index]
    # named parameters, batches, notifications
    _, reply = _post(node, {"jsonrpc": "2.0", "id": 7, "method": "chain_getBlockHash", "params": {"number": 0}})
    assert reply["result"].startswith("0x")  # type: ignore[index]
    _, reply = _post(node, [R.request("system_name", id=1), {"jsonrpc": "2.0", "method": "system_name"}, R.request("nope", id=3)])
    assert [r["id"] for r in reply] == [1, 3] and reply[1]["error"]["code"] == R.METHOD_NOT_FOUND  # type: ignore[index]
    status, reply = _post(node, {"jsonrpc": "2.0", "method": "system_name"})
    assert status == 204 and reply is None
    _, reply = _post(node, [])
    assert reply["error"]["code"] == R.INVALID_REQUEST  # type: ignore[index]
    # request larger than --rpc-max-request-size 1 (MiB)
    status, reply = _post(node, R.request("system_name", ["x" * (2 * 1024 * 1024)]))
    assert status == 413 and reply["error"]["code"] == R.REQUEST_TOO_LARGE  # type: ignore[index]


def test_bad_signature_replay_and_expiry(node: NodeProcess) -> None:
    ctx = node.context()
    ferdie = key("//Ferdie").ss58_address
    nonce = node.rpc("system_accountNextIndex", [ferdie])
    good = sign(ctx, "//Ferdie", transfer("Bob"), nonce)
    # bad signature: flip one byte of the signature
    raw = bytearray(good.encode())
    idx = raw.find(good.signature)
    raw[idx] ^= 1
    with pytest.raises(R.RpcError) as err:
        node.rpc("author_submitExtrinsic", [R.to_hex(bytes(raw))])
    assert err.value.code == R.INVALID_TRANSACTION and err.value.data["reason"] == "BadProof"
    # accepted once, then a replay is stale
    node.rpc("author_submitExtrinsic", [R.to_hex(good.encode())])
    from tests.node.helpers import wait_until

    wait_until(lambda: node.rpc("taonet_getAccount", [ferdie])["nonce"] == nonce + 1, 10, "inclusion")
    with pytest.raises(R.RpcError) as err:
        node.rpc("author_submitExtrinsic", [R.to_hex(good.encode())])
    assert err.value.data["reason"] == "Stale" and "already used" in err.value.message
    # expired mortality: born at genesis with period 4, the chain is past block 4 by now
    while node.best_number() < 5:
        n = node.rpc("system_accountNextIndex", [ferdie])
        node.rpc("author_submitExtrinsic", [R.to_hex(sign(ctx, "//Ferdie", transfer("Bob"), n).encode())])
        wait_until(lambda: node.rpc("taonet_getAccount", [ferdie])["nonce"] == n + 1, 10, "inclusion")
    genesis = R.from_hex(node.rpc("chain_getBlockHash", [0]))
    n = node.rpc("system_accountNextIndex", [ferdie])
    old = sign(ctx, "//Ferdie", transfer("Bob"), n, era=Era(4, 0), birth_hash=genesis)
    with pytest.raises(R.RpcError) as err:
        node.rpc("author_submitExtrinsic", [R.to_hex(old.encode())])
    assert err.value.data["reason"] == "AncientBirthBlock" and "expired" in err.value.message
    # a mortal transaction anchored at a recent block goes through
    best = node.best_number()
    fresh = sign(ctx, "//Ferdie", transfer("Bob"), n, era=Era.mortal(best, 64), birth_hash=R.from_hex(node.rpc("chain_getBlockHash", [best])))
    assert node.rpc("author_submitExtrinsic", [R.to_hex(fresh.encode())]) == R.to_hex(fresh.hash)


def test_ed25519_account_can_transact(node: NodeProcess) -> None:
    from tests.node.helpers import wait_until

    ctx = node.context()
    ed = key("//Edward", crypto_type=0)
    alice = key("//Alice").ss58_address
    n = node.rpc("system_accountNextIndex", [alice])
    from taonet.primitives import calls as C

    node.rpc("author_submitExtrinsic", [R.to_hex(sign(ctx, "//Alice", C.TransferKeepAlive(ed.ss58_address, 10**10), n).encode())])
    wait_until(lambda: node.rpc("taonet_getAccount", [ed.ss58_address])["free"] == 10**10, 10, "funding")
    node.rpc("author_submitExtrinsic", [R.to_hex(sign(ctx, ed, transfer("Bob", 10**9), 0).encode())])
    wait_until(lambda: node.rpc("taonet_getAccount", [ed.ss58_address])["nonce"] == 1, 10, "ed25519 transfer")


def test_watched_transaction_that_expires_is_reported_invalid(node: NodeProcess) -> None:
    ctx = node.context()
    dave = key("//Dave").ss58_address

    async def run() -> list[object]:
        async with WsClient(node.ws_url) as ws:
            best = node.best_number()
            nonce = await ws.call("system_accountNextIndex", [dave])
            birth = R.from_hex(await ws.call("chain_getBlockHash", [best]))
            # a nonce gap keeps it waiting; its era ends four blocks later
            held = sign(ctx, "//Dave", transfer("Eve"), nonce + 1, era=Era.mortal(best, 4), birth_hash=birth)
            sid = await ws.call("author_submitAndWatchExtrinsic", [R.to_hex(held.encode())])
            updates = [await ws.next(sid)]
            eve = key("//Eve").ss58_address
            for _ in range(5):  # other transactions make blocks (instant seal)
                n = await ws.call("system_accountNextIndex", [eve])
                await ws.call("author_submitExtrinsic", [R.to_hex(sign(ctx, "//Eve", transfer("Bob"), n).encode())])
                await asyncio.sleep(0.2)
            updates.append(await ws.next(sid))
            return updates

    updates = asyncio.run(run())
    assert updates[0] == "future"
    assert updates[1]["invalid"]["reason"] == "AncientBirthBlock"  # type: ignore[index]


def test_connection_limit(node: NodeProcess) -> None:
    import aiohttp

    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            open_ = [await session.ws_connect(node.ws_url) for _ in range(4)]
            with pytest.raises(aiohttp.WSServerHandshakeError) as err:
                await session.ws_connect(node.ws_url)
            assert err.value.status == 503
            for ws in open_:
                await ws.close()
            await asyncio.sleep(0.2)
            ws = await session.ws_connect(node.ws_url)  # room again
            await ws.close()

    asyncio.run(run())


def test_instant_seal_makes_one_block_per_batch(node: NodeProcess) -> None:
    ctx = node.context()
    charlie = key("//Charlie").ss58_address
    nonce = node.rpc("system_accountNextIndex", [charlie])
    before = node.best_number()
    batch = [
        R.request("author_submitExtrinsic", [R.to_hex(sign(ctx, "//Charlie", transfer("Bob"), nonce + i).encode())], id=i)
        for i in range(5)
    ]
    _, replies = _post(node, batch)
    assert all("result" in r for r in replies)  # type: ignore[union-attr]
    from tests.node.helpers import wait_until

    wait_until(lambda: node.rpc("taonet_getAccount", [charlie])["nonce"] == nonce + 5, 10, "the batch")
    assert node.best_number() == before + 1
    assert len(node.rpc("chain_getBlock")["block"]["extrinsics"]) == 5


def test_lock_cost_constants_and_hotkey_queries(node: NodeProcess) -> None:
    """taonet_getNetworkLockCost / taonet_getConstants / taonet_getHotkey answer from the
    runtime's queries: a registration shows up in the hotkey's owner, netuids and uids."""
    from taonet.primitives import calls as C
    from tests.node.helpers import wait_until

    assert node.rpc("taonet_getNetworkLockCost") >= 10**9  # the dev chain's NetworkMinLockCost
    assert node.rpc("taonet_getConstants") == {
        "existential_deposit": 500, "total_supply": 21_000_000 * 10**9, "key_swap_cost": 10**8, "ss58_prefix": 42,
    }  # fmt: skip
    ferdie = key("//Ferdie").ss58_address
    assert node.rpc("taonet_getHotkey", [ferdie]) == {"hotkey": ferdie, "owner": None, "netuids": [], "uids": []}
    eve = key("//Eve").ss58_address
    nonce = node.rpc("system_accountNextIndex", [eve])
    xt = sign(node.context(), "//Eve", C.BurnedRegister(netuid=1, hotkey=ferdie), nonce)
    node.rpc("author_submitExtrinsic", [R.to_hex(xt.encode())])
    info = wait_until(lambda: (i := node.rpc("taonet_getHotkey", [ferdie]))["netuids"] and i, 10, "the registration")
    assert info["owner"] == eve and info["netuids"] == [1]
    assert node.rpc("taonet_getMetagraph", [1])["hotkeys"][info["uids"][0]] == ferdie
    # a 0x-hex account id works too; a malformed one names the parameter
    assert node.rpc("taonet_getHotkey", ["0x" + dev_account("Ferdie").hex()]) == info
    with pytest.raises(R.RpcError) as err:
        node.rpc("taonet_getHotkey", ["nope"])
    assert err.value.code == R.INVALID_PARAMS and "hotkey" in err.value.message


def test_a_tipped_transfer_goes_first_and_its_tip_is_destroyed(node: NodeProcess) -> None:
    """Three transfers in one batch (one block): the tipped one, submitted last, is applied
    first; its signer pays fee + tip, and total issuance drops by every fee plus the tip."""
    ctx = node.context()
    tip = 7_654_321
    for _attempt in range(3):  # an epoch block credits emission; try again on the next block
        before = node.rpc("taonet_getIssuance")["totalIssuance"]
        signers = ("//Bob", "//Charlie", "//Dave")
        nonces = {s: node.rpc("system_accountNextIndex", [key(s).ss58_address]) for s in signers}
        xts = [sign(ctx, s, transfer("Eve", 10**9), nonces[s], tip=tip if s == "//Dave" else 0) for s in signers]
        fees = [node.rpc("payment_queryInfo", [R.to_hex(x.encode())])["partialFee"] for x in xts]
        dave_before = node.rpc("taonet_getAccount", [key("//Dave").ss58_address])["free"]
        batch = [R.request("author_submitExtrinsic", [R.to_hex(x.encode())], id=i) for i, x in enumerate(xts)]
        _, replies = _post(node, batch)
        assert all("result" in r for r in replies), replies  # type: ignore[union-attr]
        from tests.node.helpers import wait_until

        wait_until(lambda: node.rpc("taonet_getAccount", [key("//Dave").ss58_address])["nonce"] > nonces["//Dave"], 10, "the block")
        block = node.rpc("chain_getBlock")["block"]
        assert block["extrinsics"] == [R.to_hex(xts[2].encode()), R.to_hex(xts[0].encode()), R.to_hex(xts[1].encode())]
        events = node.rpc("taonet_getBlockEvents", [block["header"]["hash"]])["events"]
        paid = [e["fields"] for e in events if e["name"] == "TransactionFeePaid"]
        assert paid[0]["tip"] == tip and paid[0]["actual_fee"] == fees[2] + tip
        assert [p["actual_fee"] for p in paid[1:]] == fees[:2]
        dave_after = node.rpc("taonet_getAccount", [key("//Dave").ss58_address])["free"]
        assert dave_before - dave_after == 10**9 + fees[2] + tip
        if any(e["phase"] == "initialization" for e in events):
            continue
        after = node.rpc("taonet_getIssuance")["totalIssuance"]
        assert before - after == sum(fees) + tip
        return
    raise AssertionError("every attempt landed on an epoch block")


def test_commitments_are_set_by_a_registered_hotkey_and_read_back(node: NodeProcess) -> None:
    """Commitments.set_commitment through the pool and a block; taonet_getCommitment(s) serve
    the runtime's read model, which the SDK's wire rule rebuilds."""
    from taonet.primitives import calls as C
    from taonet.primitives.views import Commitment, CommitmentInfo, Data
    from taonet.primitives.wire import from_json
    from tests.node.helpers import wait_until

    ctx = node.context()
    hot = key("//CommitmentsHot")
    assert node.rpc("taonet_getCommitment", [1, hot.ss58_address]) is None
    assert hot.ss58_address not in [c["hotkey"] for c in node.rpc("taonet_getCommitments", [1])]

    def commit(data: bytes) -> C.Call:
        return C.SetCommitment(netuid=1, info=CommitmentInfo((Data("Raw", data),)))

    def submit(signer: object, call: C.Call) -> object:
        nonce = node.rpc("system_accountNextIndex", [signer.ss58_address])  # type: ignore[attr-defined]
        return node.rpc("author_submitExtrinsic", [R.to_hex(sign(ctx, signer, call, nonce).encode())])  # type: ignore[arg-type]

    # not registered on netuid 1: the pool's dry run names the pallet's error (no fee, no block)
    with pytest.raises(R.RpcError) as refused:
        submit(hot, commit(b"too early"))
    assert refused.value.data["reason"] == "CallFailed" and "Commitments.AccountNotAllowedCommit" in refused.value.data["message"]

    eve = key("//Eve")
    submit(eve, C.BurnedRegister(netuid=1, hotkey=hot.ss58_address))
    wait_until(lambda: node.rpc("taonet_getHotkey", [hot.ss58_address])["netuids"] == [1], 10, "the registration")
    model = b"org/finetuned-7b:4f1c2a9e"
    submit(hot, commit(model))  # the hotkey holds no TAO: the call is free (Pays::No)
    got = wait_until(lambda: node.rpc("taonet_getCommitment", [1, hot.ss58_address]), 10, "the commitment")
    assert got == {"netuid": 1, "hotkey": hot.ss58_address, "deposit": 0, "block": got["block"],
                   "info": {"fields": [{"kind": "Raw", "value": R.to_hex(model)}]}}  # fmt: skip
    view = from_json(Commitment, got)
    assert view.info.fields[0].value == model
    assert got in node.rpc("taonet_getCommitments", [1])
    events = node.rpc("taonet_getBlockEvents", [node.rpc("chain_getBlockHash", [got["block"]])])["events"]
    assert any(e["pallet"] == "Commitments" and e["name"] == "Commitment" and e["fields"]["netuid"] == 1 for e in events)

    # a second commitment within CommitmentRateLimit (100 blocks) is refused by name
    with pytest.raises(R.RpcError) as limited:
        submit(hot, commit(b"v2"))
    assert "Commitments.CommitmentSetRateLimitExceeded" in limited.value.data["message"]
    # more than 128 raw bytes cannot be carried by the call's type
    with pytest.raises(R.RpcError) as oversized:
        submit(hot, commit(b"x" * 129))
    assert oversized.value.data["reason"] == "BadArgument"
    # a malformed hotkey names the parameter
    with pytest.raises(R.RpcError) as bad:
        node.rpc("taonet_getCommitment", [1, "nope"])
    assert bad.value.code == R.INVALID_PARAMS and "hotkey" in bad.value.message
