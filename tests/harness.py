"""
Scenario harness for chain tests
================================

The verbs of Subtensor's ``tests/mock.rs`` over :mod:`taonet.chain`, so that a test reads as
a scenario::

    h = Harness()                       # localnet genesis at block 0
    h.add_balance(alice, tao(100))
    h.ok(alice, TransferKeepAlive(bob, tao(1)))
    h.fails(alice, TransferKeepAlive(bob, tao(10**6)), "FundsUnavailable")
    h.run_to_block(10)

``fails`` also checks the transactional rule: after a failed call the state equals the state
before it with only the fee withdrawn and the nonce bumped.
"""

from __future__ import annotations

from typing import Any

from taonet.chain import (
    ChainState,
    GenesisConfig,
    Receipt,
    apply_extrinsic,
    build_genesis,
    copy_state,
    genesis_state,
    process_block_step,
    state_root,
)
from taonet.chain.accounts.balances import credit_new_issuance
from taonet.chain.events import Event
from taonet.primitives import calls as C
from taonet.primitives.crypto import derive_account_id, dev_account
from taonet.primitives.types import RAO_PER_TAO


def account(name: str) -> bytes:
    """A deterministic test account id (``//Alice`` style names map to the dev accounts)."""
    if name.startswith("//"):
        return dev_account(name)
    return derive_account_id(f"test/{name}")


def tao(amount: float | int) -> int:
    return int(round(amount * RAO_PER_TAO))


def _sudo_event(r: Receipt) -> Event | None:
    found = [e for e in r.events if e.pallet == "Sudo" and e.name == "Sudid"]
    return found[-1] if found else None


class Harness:
    """A chain state plus the scenario verbs."""

    def __init__(self, genesis: str | GenesisConfig | ChainState = "localnet") -> None:
        if isinstance(genesis, ChainState):
            self.state = genesis
        elif isinstance(genesis, GenesisConfig):
            self.state = build_genesis(genesis)
        else:
            self.state = genesis_state(genesis)
        self.block_events: list[Event] = []

    # -- time -----------------------------------------------------------------------------------

    @property
    def block(self) -> int:
        return self.state.block

    def step_block(self, n: int = 1) -> None:
        for _ in range(n):
            self.block_events = list(process_block_step(self.state))

    def run_to_block(self, block: int) -> None:
        while self.state.block < block:
            self.step_block()

    # -- balances -------------------------------------------------------------------------------

    def add_balance(self, who: bytes, amount: int) -> None:
        """Mint ``amount`` rao to ``who`` (balance and issuance both grow)."""
        credit_new_issuance(self.state, who, amount)

    def balance(self, who: bytes) -> int:
        return self.state.Account.get(who)

    # -- calls ----------------------------------------------------------------------------------

    def apply(self, signer: bytes, call: C.Call, **kwargs: Any) -> Receipt:
        return apply_extrinsic(self.state, signer, call, **kwargs)

    def ok(self, signer: bytes, call: C.Call, **kwargs: Any) -> Receipt:
        r = self.apply(signer, call, **kwargs)
        assert r.success, f"{type(call).__name__} failed: {r.error} ({r.detail})"
        return r

    def fails(self, signer: bytes, call: C.Call, error: str, **kwargs: Any) -> Receipt:
        """Apply a call expected to fail with ``error``; assert that it changed nothing but
        the fee and the nonce."""
        before = copy_state(self.state)
        r = self.apply(signer, call, **kwargs)
        assert not r.success, f"{type(call).__name__} unexpectedly succeeded"
        assert r.error == error, f"expected {error}, got {r.error} ({r.detail})"
        expected = before
        if r.included:
            from taonet.primitives.crypto import to_account_id

            who = to_account_id(signer)
            if r.fee:
                expected.Account.set(who, expected.Account.get(who) - r.fee)
                expected.TotalIssuance.set(expected.TotalIssuance.get() - r.fee)
            expected.AccountNonce.set(who, expected.AccountNonce.get(who) + 1)
        assert state_root(self.state) == state_root(expected), "a failed call changed the state"
        return r

    def sudo(self, call: C.Call) -> Receipt:
        """Dispatch ``call`` as Root through the sudo key; asserts the inner call succeeded."""
        key = self.state.Key.get()
        assert key is not None, "no sudo key in this genesis"
        r = self.ok(key, C.Sudo(call=call))
        sudid = _sudo_event(r)
        assert sudid is not None and sudid["sudo_result"] == ("Ok",), f"sudo inner call failed: {sudid}"
        return r

    def sudo_fails(self, call: C.Call, error: str) -> Receipt:
        key = self.state.Key.get()
        assert key is not None
        r = self.ok(key, C.Sudo(call=call))
        sudid = _sudo_event(r)
        assert sudid is not None and sudid["sudo_result"] == ("Err", error), f"expected {error}: {sudid}"
        return r

    # -- subnets and neurons ---------------------------------------------------------------------

    def add_network(self, netuid: int, tempo: int = 360, owner: bytes | None = None, lock: int = 0) -> None:
        """Create subnet ``netuid`` directly (mock.rs ``add_network``): ``init_new_network``
        plus owner and registration block, without the lock-cost machinery."""
        from taonet.chain.subnets.network import init_new_network

        s = self.state
        init_new_network(s, netuid, tempo)
        s.SubnetOwner.set(netuid, owner if owner is not None else account("owner"))
        s.NetworkRegisteredAt.set(netuid, s.block)
        if lock:
            s.SubnetLocked.set(netuid, lock)
            s.TotalIssuance.set(s.TotalIssuance.get() + lock)

    def register_neuron(self, netuid: int, hotkey: bytes, coldkey: bytes) -> int:
        """Register ``hotkey`` on ``netuid`` through ``burned_register`` (the coldkey is funded
        with the burn first); returns the uid."""
        burn = self.state.Burn.get(netuid)
        self.add_balance(coldkey, burn + 1_000)
        r = self.ok(coldkey, C.BurnedRegister(netuid=netuid, hotkey=hotkey))
        event = r.find("NeuronRegistered")
        assert event is not None
        return int(event["uid"])

    def uid(self, netuid: int, hotkey: bytes) -> int | None:
        return self.state.Uids.get(netuid, hotkey)

    def set_weights(self, hotkey: bytes, netuid: int, dests: list[int], weights: list[int], version_key: int = 0) -> Receipt:
        return self.ok(hotkey, C.SetWeights(netuid=netuid, dests=tuple(dests), weights=tuple(weights), version_key=version_key))

    def add_stake(self, coldkey: bytes, hotkey: bytes, amount: int) -> Receipt:
        """Fund ``coldkey`` and stake ``amount`` on ``hotkey``."""
        self.add_balance(coldkey, amount + 1_000)
        return self.ok(coldkey, C.AddStake(hotkey=hotkey, amount_staked=amount))

    def next_epoch_block(self, netuid: int) -> int:
        """The next block (after the current one) at which ``netuid`` runs its epoch."""
        tempo = self.state.Tempo.get(netuid)
        b = self.block + 1
        while (b + netuid + 1) % (tempo + 1) != 0:
            b += 1
        return b

    def step_epochs(self, count: int, netuid: int) -> None:
        """Run blocks until ``netuid``'s epoch has run ``count`` more times."""
        for _ in range(count):
            self.run_to_block(self.next_epoch_block(netuid))

    # -- invariants -----------------------------------------------------------------------------

    def total_free(self) -> int:
        return sum(self.state.Account.data.values())

    def total_stake(self) -> int:
        return sum(v for _, _, v in self.state.Stake.iter())

    def total_locked(self) -> int:
        return sum(self.state.SubnetLocked.data.values())

    def assert_issuance_invariant(self) -> None:
        s = self.state
        assert s.TotalIssuance.get() == self.total_free() + self.total_stake() + self.total_locked(), (
            s.TotalIssuance.get(),
            self.total_free(),
            self.total_stake(),
            self.total_locked(),
        )
