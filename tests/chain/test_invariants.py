"""Invariants over random call sequences (hypothesis):

* ``TotalIssuance == free balances + stake + subnet locks`` after every call and block;
* no negative balance or stake; issuance never above 21M TAO;
* a failed call changes nothing but the fee and the nonce (checked by ``Harness.fails``);
* no call ever raises (every outcome is a receipt).

Run alone: .venv/bin/pytest tests/chain/test_invariants.py -q
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taonet.chain import copy_state, state_root
from taonet.chain.params import TOTAL_SUPPLY
from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

COLDS = [account(f"inv-cold{i}") for i in range(3)]
HOTS = [account(f"inv-hot{i}") for i in range(4)]

amounts = st.one_of(st.integers(0, tao(50)), st.sampled_from([0, 1, 499, 500, tao(1000), 2**64 - 1, 2**64, -1]))
netuids = st.sampled_from([0, 1, 2, 7])
cold = st.sampled_from(COLDS)
hot = st.sampled_from(HOTS)
uids = st.lists(st.integers(0, 5), max_size=4)

calls = st.one_of(
    st.builds(lambda c, d, v: (c, C.TransferKeepAlive(dest=d, value=v)), cold, cold, amounts),
    st.builds(lambda c, d, v: (c, C.TransferAllowDeath(dest=d, value=v)), cold, cold, amounts),
    st.builds(lambda c, d, k: (c, C.TransferAll(dest=d, keep_alive=k)), cold, cold, st.booleans()),
    st.builds(lambda c, h, n: (c, C.BurnedRegister(netuid=n, hotkey=h)), cold, hot, netuids),
    st.builds(lambda c, h, a: (c, C.AddStake(hotkey=h, amount_staked=a)), cold, hot, amounts),
    st.builds(lambda c, h, a: (c, C.RemoveStake(hotkey=h, amount_unstaked=a)), cold, hot, amounts),
    st.builds(lambda c, h: (c, C.BecomeDelegate(hotkey=h)), cold, hot),
    st.builds(lambda c, h: (c, C.RootRegister(hotkey=h)), cold, hot),
    st.builds(
        lambda h, n, u: (h, C.SetWeights(netuid=n, dests=tuple(u), weights=tuple(range(1, len(u) + 1)), version_key=0)),
        hot, netuids, uids,
    ),
    st.builds(lambda c: (c, C.RegisterNetwork()), cold),
    st.builds(lambda c, h, n: (c, C.SwapHotkey(hotkey=h, new_hotkey=n)), cold, hot, hot),
    st.builds(lambda c, n: (c, C.ScheduleDissolveNetwork(netuid=n)), cold, netuids),
    st.builds(lambda c, n, a: (c, C.FundSubnetEmission(netuid=n, amount=a)), cold, netuids, amounts),
    st.builds(lambda h, n: (h, C.ServeAxon(netuid=n, version=1, ip=(10 << 24) + 1, port=1, ip_type=4, protocol=0)), hot, netuids),
    st.builds(lambda c, n, v: (c, C.SudoSetKappa(netuid=n, kappa=v)), cold, netuids, st.integers(0, 65535)),
    st.integers(1, 15).map(lambda n: ("blocks", n)),
)  # fmt: skip


def fresh() -> Harness:
    h = Harness()
    s = h.state
    h.add_network(1, tempo=4, owner=COLDS[0], lock=tao(100))
    s.EmissionValues.set(1, tao(1))
    s.MaxRegistrationsPerBlock.set(1, 3)
    s.WeightsSetRateLimit.set(1, 0)
    s.NetworkMinLockCost.set(tao(10))
    s.NetworkLastLockCost.set(tao(10))
    s.HotkeyEmissionTempo.set(6)
    s.TxRateLimit.set(0)
    s.DissolveNetworkScheduleDuration.set(5)
    for c in COLDS:
        h.add_balance(c, tao(200))
    h.step_block()
    h.register_neuron(1, HOTS[0], COLDS[0])
    h.register_neuron(1, HOTS[1], COLDS[1])
    return h


def check(h: Harness) -> None:
    s = h.state
    h.assert_issuance_invariant()
    assert s.TotalIssuance.get() <= TOTAL_SUPPLY
    assert all(v >= 0 for v in s.Account.data.values())
    assert all(v >= 0 for _, _, v in s.Stake.iter())
    assert sum(s.TotalHotkeyStake.data.values()) == s.TotalStake.get() == h.total_stake()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(calls, min_size=1, max_size=25))
def test_random_call_sequences_keep_the_invariants(sequence: list) -> None:  # type: ignore[type-arg]
    h = fresh()
    for who, call in sequence:
        if who == "blocks":
            h.step_block(call)
        else:
            before = copy_state(h.state)
            r = h.apply(who, call)
            if not r.success:
                # the failed call left only its fee and nonce behind
                from taonet.primitives.crypto import to_account_id

                signer = to_account_id(who)
                if r.included:
                    before.Account.set(signer, before.Account.get(signer) - r.fee)
                    before.TotalIssuance.set(before.TotalIssuance.get() - r.fee)
                    before.AccountNonce.set(signer, before.AccountNonce.get(signer) + 1)
                assert state_root(h.state) == state_root(before), (call, r.error)
        check(h)
