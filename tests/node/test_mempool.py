"""Transaction pool admission, ordering and maintenance, in process."""

from __future__ import annotations

from pathlib import Path

import pytest

from taonet.node.config import PoolLimits
from taonet.node.mempool import Pool, TxRejected
from taonet.primitives import calls as C
from taonet.primitives import rpc as R
from taonet.primitives.crypto import dev_account
from taonet.primitives.extrinsic import Era, SigningContext
from tests.node.helpers import key, sign, transfer
from tests.node.test_blockchain import author, open_chain


@pytest.fixture
def pool(tmp_path: Path) -> Pool:
    return Pool(open_chain(tmp_path / "chain"), PoolLimits(max_per_account=8, max_nonce_gap=16))


def rejected(pool: Pool, data: bytes) -> TxRejected:
    with pytest.raises(TxRejected) as info:
        pool.submit(data)
    return info.value


def test_ready_future_and_promotion(pool: Pool) -> None:
    ctx = pool.chain.context
    seen: list[tuple[int, object]] = []
    pool.on_status = lambda tx, status: seen.append((tx.nonce, status))
    assert pool.submit(sign(ctx, "//Alice", transfer(), 2).encode()).status == "future"
    assert pool.submit(sign(ctx, "//Alice", transfer(), 0).encode()).status == "ready"
    assert pool.next_nonce(bytes(key("//Alice").public_key)) == 1
    assert pool.submit(sign(ctx, "//Alice", transfer(), 1).encode()).status == "ready"
    assert (2, "ready") in seen  # the gap closed
    assert [c.xt.nonce for c in pool.candidates(set())] == [0, 1, 2]


def test_priority_orders_operational_calls_first(pool: Pool) -> None:
    ctx = pool.chain.context
    pool.submit(sign(ctx, "//Bob", transfer("Charlie"), 0).encode())
    pool.submit(sign(ctx, "//Alice", C.RegisterNetwork(), 0).encode())  # an operational call
    order = [c.xt.signer for c in pool.candidates(set())]
    assert order[0] == bytes(key("//Alice").public_key)


def test_priority_orders_by_tip_then_arrival_with_operational_calls_above_any_tip(pool: Pool) -> None:
    ctx = pool.chain.context
    pool.submit(sign(ctx, "//Bob", transfer("Charlie"), 0).encode())
    pool.submit(sign(ctx, "//Charlie", transfer("Dave"), 0, tip=10).encode())
    pool.submit(sign(ctx, "//Dave", transfer("Bob"), 0, tip=1_000).encode())
    pool.submit(sign(ctx, "//Eve", transfer("Bob"), 0).encode())
    pool.submit(sign(ctx, "//Alice", C.RegisterNetwork(), 0).encode())  # operational, no tip
    names = {bytes(key(f"//{n}").public_key): n for n in ("Alice", "Bob", "Charlie", "Dave", "Eve")}
    assert [names[c.xt.signer] for c in pool.candidates(set())] == ["Alice", "Dave", "Charlie", "Bob", "Eve"]
    assert [names[t.signer] for t in pool.pending()] == ["Alice", "Dave", "Charlie", "Bob", "Eve"]


def test_rejections_say_why(pool: Pool) -> None:
    chain = pool.chain
    ctx = chain.context
    ok = sign(ctx, "//Alice", transfer(), 0)
    pool.submit(ok.encode())
    # duplicate, same nonce
    assert rejected(pool, ok.encode()).code == R.ALREADY_IMPORTED
    assert rejected(pool, sign(ctx, "//Alice", transfer("Charlie"), 0).encode()).code == R.PRIORITY_TOO_LOW
    # bad format
    r = rejected(pool, b"\x84\x00")
    assert r.code == R.BAD_FORMAT
    # bad signature: signed for another chain
    other = SigningContext(b"\x09" * 32, ctx.spec_version, ctx.transaction_version)
    r = rejected(pool, sign(other, "//Bob", transfer(), 0).encode())
    assert (r.code, r.reason) == (R.INVALID_TRANSACTION, "BadProof") and "genesis hash" in r.message
    # stale nonce after inclusion (a replay)
    author(chain, [ok.encode()])
    pool.on_new_best([ok.hash], [])
    r = rejected(pool, ok.encode())
    assert r.reason == "Stale" and "already used" in r.message
    # nonce too far ahead
    assert rejected(pool, sign(ctx, "//Alice", transfer(), 1 + 17).encode()).reason == "Future"
    # cannot pay the fee: a fresh account
    r = rejected(pool, sign(ctx, "//Nobody", transfer(), 0).encode())
    assert r.reason == "Payment"
    # the call itself fails: more than the balance
    r = rejected(pool, sign(ctx, "//Eve", transfer("Bob", 10**18), 0).encode())
    assert r.reason == "CallFailed" and "FundsUnavailable" in r.message
    # a tip the account cannot pay on top of the fee
    r = rejected(pool, sign(ctx, "//Bob", transfer(), 0, tip=10**20).encode())
    assert r.reason == "BadArgument" and "tip" in r.message
    bob_free = pool.chain.state.Account.get(dev_account("Bob"))
    r = rejected(pool, sign(ctx, "//Bob", transfer(), 0, tip=bob_free).encode())
    assert r.reason == "Payment" and "fee and tip" in r.message
    # ed25519 signer works like sr25519
    ed = key("//Alice", crypto_type=0)
    assert rejected(pool, sign(ctx, ed, transfer(), 0).encode()).reason == "Payment"  # unfunded ed25519 account


def test_mortality(pool: Pool) -> None:
    chain = pool.chain
    ctx = chain.context
    for n in range(6):
        author(chain, [sign(ctx, "//Alice", transfer(), n).encode()])
    birth = chain.hash_at(2)
    # valid in blocks 2..5; the next block is #7: expired
    expired = sign(ctx, "//Bob", transfer(), 0, era=Era(4, 2), birth_hash=birth)
    r = rejected(pool, expired.encode())
    assert r.reason == "AncientBirthBlock" and "expired" in r.message
    # birth in the future
    r = rejected(pool, sign(ctx, "//Bob", transfer(), 0, era=Era(64, 50), birth_hash=b"\x00" * 32).encode())
    assert "not yet on this chain" in r.message
    # signed with the wrong birth hash (another fork): bad signature
    r = rejected(pool, sign(ctx, "//Bob", transfer(), 0, era=Era(64, 4), birth_hash=b"\x01" * 32).encode())
    assert r.reason == "BadProof"
    live = sign(ctx, "//Bob", transfer(), 0, era=Era(64, 4), birth_hash=chain.hash_at(4))
    assert pool.submit(live.encode()).status == "ready"


def test_expired_transactions_leave_the_pool(pool: Pool) -> None:
    chain = pool.chain
    ctx = chain.context
    dropped: list[object] = []
    pool.on_status = lambda tx, status: dropped.append(status)
    held = sign(ctx, "//Bob", transfer(), 1, era=Era(4, 0), birth_hash=chain.genesis.hash)  # future nonce, era ends at #4
    pool.submit(held.encode())
    for n in range(4):
        author(chain, [sign(ctx, "//Alice", transfer(), n).encode()])
        pool.on_new_best([], [])
    assert held.hash not in pool.by_hash
    assert any(isinstance(s, dict) and s["invalid"]["reason"] == "AncientBirthBlock" for s in dropped)


def test_per_account_limit(pool: Pool) -> None:
    ctx = pool.chain.context
    for n in range(8):
        pool.submit(sign(ctx, "//Alice", transfer(), n).encode())
    r = rejected(pool, sign(ctx, "//Alice", transfer(), 8).encode())
    assert r.code == R.IMMEDIATELY_DROPPED and "limit 8" in r.message
    assert dev_account("Alice") in pool.by_sender


def test_future_transactions_do_not_wait_forever(tmp_path: Path) -> None:
    chain = open_chain(tmp_path / "chain")
    pool = Pool(chain, PoolLimits(future_ttl_blocks=2))
    held = sign(chain.context, "//Bob", transfer(), 3)
    assert pool.submit(held.encode()).status == "future"
    for n in range(3):
        author(chain, [sign(chain.context, "//Alice", transfer(), n).encode()])
        pool.on_new_best([], [])
    assert held.hash not in pool.by_hash
