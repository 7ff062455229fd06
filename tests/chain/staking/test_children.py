"""Child hotkeys: scheduling, cooldown applied at the epoch, stake lending, child-key take.

Run alone: .venv/bin/pytest tests/chain/staking/test_children.py -q
"""

from __future__ import annotations

from taonet.chain.staking.children import compute_u64_fraction_share, get_stake_for_hotkey_on_subnet
from taonet.primitives import calls as C
from taonet.primitives.types import U64_MAX
from tests.harness import Harness, account, tao

COLD, PARENT, CHILD = account("cold"), account("parent"), account("child")
HALF = U64_MAX // 2


def family() -> Harness:
    h = Harness()
    h.add_network(1, tempo=10)
    h.state.MaxRegistrationsPerBlock.set(1, 10)
    h.step_block()
    h.register_neuron(1, PARENT, COLD)
    h.register_neuron(1, CHILD, COLD)
    h.add_stake(COLD, PARENT, tao(100))
    h.add_balance(COLD, tao(1))  # fees of the paying child-key calls
    return h


def test_set_children_is_scheduled_then_applied_after_the_cooldown() -> None:
    h = family()
    s = h.state
    r = h.ok(COLD, C.SetChildren(hotkey=PARENT, netuid=1, children=((HALF, CHILD),)))
    assert r.fee > 0 and r.find("SetChildrenScheduled")["cooldown_block"] == h.block + 7200  # type: ignore[index]
    assert s.ChildKeys.get(PARENT, 1) == ()
    s.PendingChildKeys.set(1, PARENT, (((HALF, CHILD),), h.block))  # shorten the cooldown
    h.step_epochs(1, 1)
    assert s.ChildKeys.get(PARENT, 1) == ((HALF, CHILD),)
    assert s.ParentKeys.get(CHILD, 1) == ((HALF, PARENT),)
    lent = compute_u64_fraction_share(tao(100), HALF)
    assert get_stake_for_hotkey_on_subnet(s, PARENT, 1) == tao(100) - lent
    assert get_stake_for_hotkey_on_subnet(s, CHILD, 1) == lent
    assert abs(lent - tao(50)) <= tao(100) // 2**32 + 1  # I96F32 keeps 32 fractional bits


def test_set_children_errors() -> None:
    h = family()
    s = h.state
    h.add_balance(account("x"), tao(1))
    h.fails(COLD, C.SetChildren(hotkey=PARENT, netuid=0, children=()), "RegistrationNotPermittedOnRootSubnet")
    h.step_block(200)
    h.fails(COLD, C.SetChildren(hotkey=PARENT, netuid=9, children=()), "SubNetworkDoesNotExist")
    h.step_block(200)
    h.fails(account("x"), C.SetChildren(hotkey=PARENT, netuid=1, children=()), "NonAssociatedColdKey")
    h.step_block(200)
    six = tuple((1, account(f"c{i}")) for i in range(6))
    h.fails(COLD, C.SetChildren(hotkey=PARENT, netuid=1, children=six), "TooManyChildren")
    h.step_block(200)
    h.fails(COLD, C.SetChildren(hotkey=PARENT, netuid=1, children=((1, PARENT),)), "InvalidChild")
    h.step_block(200)
    h.fails(COLD, C.SetChildren(hotkey=PARENT, netuid=1, children=((U64_MAX, CHILD), (1, account("c")))), "ProportionOverflow")
    h.step_block(200)
    h.fails(COLD, C.SetChildren(hotkey=PARENT, netuid=1, children=((1, CHILD), (1, CHILD))), "DuplicateChild")
    h.step_block(200)
    s.StakeThreshold.set(tao(1000))
    h.fails(COLD, C.SetChildren(hotkey=PARENT, netuid=1, children=((1, CHILD),)), "NotEnoughStakeToSetChildkeys")
    s.StakeThreshold.set(0)
    h.ok(COLD, C.SetChildren(hotkey=PARENT, netuid=1, children=((1, CHILD),)))
    h.fails(COLD, C.SetChildren(hotkey=PARENT, netuid=1, children=((1, CHILD),)), "TxRateLimitExceeded")


def test_childkey_take() -> None:
    h = family()
    h.ok(COLD, C.SetChildkeyTake(hotkey=CHILD, netuid=1, take=1000))
    assert h.state.ChildkeyTake.get(CHILD, 1) == 1000
    h.fails(COLD, C.SetChildkeyTake(hotkey=CHILD, netuid=1, take=12_000), "InvalidChildkeyTake")
    h.fails(COLD, C.SetChildkeyTake(hotkey=CHILD, netuid=1, take=500), "TxChildkeyTakeRateLimitExceeded")
    h.add_balance(account("x"), tao(1))
    h.fails(account("x"), C.SetChildkeyTake(hotkey=CHILD, netuid=1, take=5), "NonAssociatedColdKey")
    h.sudo(C.SudoSetMaxChildkeyTake(take=20_000))
    h.sudo(C.SudoSetMinChildkeyTake(take=1))
    h.sudo(C.SudoSetTxChildkeyTakeRateLimit(tx_rate_limit=0))
    h.ok(COLD, C.SetChildkeyTake(hotkey=CHILD, netuid=1, take=15_000))
