"""Queries: neuron (full and lite), subnet info and hyperparameters, delegates, stake info,
metagraph; and that reading never writes.

Run alone: .venv/bin/pytest tests/chain/test_queries.py -q
"""

from __future__ import annotations

from taonet.chain import queries as Q
from taonet.chain import state_root
from taonet.primitives import calls as C
from taonet.primitives.crypto import ss58_encode
from tests.harness import Harness, account, tao

OWNER, COLD, HOT, MINER, MCOLD, NOM = (account(n) for n in ("owner", "cold", "hot", "miner", "mcold", "nom"))


def populated() -> Harness:
    h = Harness()
    s = h.state
    h.add_network(1, tempo=5, owner=OWNER)
    s.MaxRegistrationsPerBlock.set(1, 5)
    s.WeightsSetRateLimit.set(1, 0)
    s.EmissionValues.set(1, tao(1))
    s.TxRateLimit.set(0)
    h.step_block()
    h.register_neuron(1, HOT, COLD)
    h.register_neuron(1, MINER, MCOLD)
    h.add_stake(COLD, HOT, tao(10))
    h.ok(COLD, C.BecomeDelegate(hotkey=HOT))
    h.add_stake(NOM, HOT, tao(5))
    h.ok(HOT, C.ServeAxon(netuid=1, version=7, ip=(10 << 24) + 5, port=8091, ip_type=4, protocol=4))
    h.step_epochs(1, 1)
    h.set_weights(HOT, 1, [1], [1])
    h.step_epochs(1, 1)
    return h


def test_neuron_info_full_and_lite() -> None:
    h = populated()
    n = Q.get_neuron(h.state, 1, 0)
    assert n is not None and n.hotkey == ss58_encode(HOT) and n.coldkey == ss58_encode(COLD)
    assert n.axon_info.port == 8091 and n.validator_permit and n.stake == ((ss58_encode(COLD), tao(15)),)
    assert n.weights == ((1, 65535),) and n.dividends > 0
    lite = Q.get_neuron_lite(h.state, 1, 1)
    assert lite is not None and lite.incentive > 0 and not hasattr(lite, "weights")
    assert len(Q.get_neurons(h.state, 1)) == len(Q.get_neurons_lite(h.state, 1)) == 2
    assert Q.get_neuron(h.state, 1, 9) is None and Q.get_neuron(h.state, 9, 0) is None


def test_subnet_info_and_hyperparameters() -> None:
    h = populated()
    info = Q.get_subnet_info(h.state, 1)
    assert info is not None and info.subnetwork_n == 2 and info.tempo == 5 and info.owner == ss58_encode(OWNER)
    assert info.emission_values == tao(1)
    assert [i.netuid for i in Q.get_subnets_info(h.state)] == [0, 1]
    hp = Q.get_subnet_hyperparams(h.state, 1)
    assert hp is not None and hp.weights_rate_limit == 0 and hp.max_validators == 64 and hp.registration_allowed
    assert Q.get_subnet_info(h.state, 4) is None and Q.get_subnet_hyperparams(h.state, 4) is None
    assert Q.get_network_registration_cost(h.state) == tao(1000)


def test_delegates_and_stake_info() -> None:
    h = populated()
    d = Q.get_delegate(h.state, ss58_encode(HOT))
    assert d is not None and d.take == 11_796 and d.registrations == (1,) and d.validator_permits == (1,)
    assert dict(d.nominators) == {ss58_encode(COLD): tao(10), ss58_encode(NOM): tao(5)}
    assert d.total_daily_return > 0 and d.return_per_1000 > 0
    assert [x.delegate_ss58 for x in Q.get_delegates(h.state)] == [ss58_encode(HOT)]
    assert [(x.delegate_ss58, s) for x, s in Q.get_delegated(h.state, NOM)] == [(ss58_encode(HOT), tao(5))]
    assert Q.get_delegate(h.state, MINER) is None and Q.get_delegated(h.state, "garbage") == []
    info = Q.get_stake_info_for_coldkey(h.state, NOM)
    assert [(i.hotkey, i.stake) for i in info] == [(ss58_encode(HOT), tao(5))]
    assert Q.get_stake_info_for_coldkeys(h.state, [NOM])[0][0] == ss58_encode(NOM)
    assert Q.get_balance(h.state, NOM) > 0 and Q.get_total_stake_for_hotkey(h.state, HOT) == tao(15)
    assert Q.get_hotkey_owner(h.state, HOT) == ss58_encode(COLD) and Q.get_uid_for_hotkey(h.state, 1, MINER) == 1


def test_hotkey_info_and_chain_constants() -> None:
    h = populated()
    h.ok(COLD, C.RootRegister(hotkey=HOT))
    info = Q.get_hotkey_info(h.state, HOT)
    assert info.hotkey == ss58_encode(HOT) and info.owner == ss58_encode(COLD)
    assert info.netuids == (0, 1) and info.uids == (0, 0)
    miner = Q.get_hotkey_info(h.state, ss58_encode(MINER))
    assert miner.owner == ss58_encode(MCOLD) and (miner.netuids, miner.uids) == ((1,), (1,))
    nobody = Q.get_hotkey_info(h.state, NOM)
    assert nobody.owner is None and nobody.netuids == nobody.uids == ()
    constants = Q.get_chain_constants()
    assert constants.existential_deposit == 500 and constants.total_supply == 21_000_000 * tao(1)
    assert constants.ss58_prefix == 42 and constants.key_swap_cost == tao(1) // 10


def test_metagraph_columns() -> None:
    h = populated()
    m = Q.get_metagraph(h.state, 1)
    assert m is not None and m.n == 2 and m.hotkeys == (ss58_encode(HOT), ss58_encode(MINER))
    assert m.stake[0] == tao(15) and m.incentive[1] > 0 and m.validator_permit[0]
    assert m.axons[0].port == 8091 and m.weights[0] == ((1, 65535),) and m.block == h.block
    assert Q.get_metagraph(h.state, 3) is None


def test_queries_do_not_write() -> None:
    h = populated()
    root = state_root(h.state)
    for fn in (Q.get_neurons, Q.get_neurons_lite, Q.get_metagraph, Q.get_subnet_info):
        fn(h.state, 1)  # type: ignore[operator]
    Q.get_delegates(h.state)
    Q.get_block_emission(h.state)
    assert state_root(h.state) == root and not h.state.journal.log
