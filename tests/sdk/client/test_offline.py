"""Client pieces that need no node: record conversion, weight normalisation, the metagraph's
arrays and its pickle-free persistence, error advice, endpoint resolution."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from taonet.primitives.balance import Balance
from taonet.sdk.chain_data import (
    NeuronInfo,
    NeuronInfoLite,
    SubnetHyperparameters,
    ip_to_int,
    ip_to_str,
)
from taonet.sdk.chain_errors import ChainError, explain
from taonet.sdk.extrinsics import ExtrinsicResponse
from taonet.sdk.metagraph import Metagraph
from taonet.sdk.subtensor_writes import admin_call, normalize_weights_u16
from taonet.sdk.transport import resolve_endpoint
from taonet.sdk.chain_errors import ValidationError


def neuron_json(uid: int, n: int = 4, weights: bool = True) -> dict:
    d = {
        "hotkey": f"hk{uid}", "coldkey": f"ck{uid}", "uid": uid, "netuid": 3, "active": True,
        "axon_info": {"block": 1, "version": 1, "ip": ip_to_int("10.0.0.1"), "port": 8000 + uid, "ip_type": 4,
                      "protocol": 4, "placeholder1": 0, "placeholder2": 0},
        "prometheus_info": {"block": 0, "version": 0, "ip": 0, "port": 0, "ip_type": 0},
        "stake": [[f"ck{uid}", 10**9 * (uid + 1)]], "rank": 65535 // (uid + 1), "emission": 2 * 10**9,
        "incentive": 65535, "consensus": 0, "trust": 32768, "validator_trust": 0, "dividends": 0,
        "last_update": 7 + uid, "validator_permit": uid == 0, "pruning_score": 5,
    }  # fmt: skip
    if weights:
        d["weights"] = [[j, 100 * (j + 1)] for j in range(n)]
        d["bonds"] = [[j, 7] for j in range(n)]
    return d


def test_neuron_records_use_sdk_units() -> None:
    nr = NeuronInfo.from_dict(neuron_json(1))
    assert nr.total_stake == Balance.from_tao(2)
    assert nr.stake_dict == {"ck1": Balance.from_tao(2)}
    assert nr.rank == pytest.approx(0.5, abs=1e-4)
    assert nr.incentive == 1.0 and nr.emission == 2.0
    assert nr.axon_info.ip == "10.0.0.1" and nr.axon_info.port == 8001 and nr.axon_info.hotkey == "hk1"
    assert ip_to_str(ip_to_int("1.2.3.4")) == "1.2.3.4"
    lite = NeuronInfoLite.from_dict(neuron_json(0, weights=False))
    assert lite.validator_permit is True


def test_hyperparameters_are_the_view_with_bittensor_names() -> None:
    from dataclasses import replace

    from taonet.chain import genesis_state
    from taonet.chain import queries as Q
    from taonet.primitives.wire import to_json

    view = Q.get_subnet_hyperparams(genesis_state("dev"), 1)
    assert view is not None
    view = replace(view, tempo=10, max_weights_limit=65535, weights_rate_limit=3, commit_reveal_weights_interval=2)
    hp = SubnetHyperparameters.from_dict(to_json(view))
    assert hp.tempo == 10 and hp.max_weight_limit == 1.0 and hp.weights_rate_limit == 3 and hp.commit_reveal_period == 2
    assert hp.max_weights_limit == 65535 and isinstance(hp, type(view))
    listed = hp.to_dict()
    assert listed["max_weight_limit"] == 1.0 and listed["commit_reveal_period"] == 2 and "max_weights_limit" not in listed
    assert len(listed) == len(to_json(view))


def test_metagraph_arrays_and_npz_round_trip(tmp_path: Path) -> None:
    neurons = [NeuronInfo.from_dict(neuron_json(u)) for u in (2, 0, 3, 1)]
    mg = Metagraph(3, network="ws://127.0.0.1:9944", sync=False).apply_neurons(neurons, block=42, lite=False)
    assert list(mg.uids) == [0, 1, 2, 3] and int(mg.n) == 4 and int(mg.block) == 42
    assert mg.S.dtype == np.float32 and list(mg.S) == [1.0, 2.0, 3.0, 4.0]
    assert mg.W.shape == (4, 4) and np.allclose(mg.W.sum(axis=1), 1.0)
    assert mg.B[0, 0] == 7.0
    assert mg.hotkeys == ["hk0", "hk1", "hk2", "hk3"] and mg.axons[2].port == 8002
    assert mg.stake is mg.S and mg.incentive is mg.I and mg.validator_permit[0]
    path = mg.save(tmp_path / "mg.npz")
    back = Metagraph.from_file(path)
    for name in ("uids", "S", "R", "T", "C", "I", "D", "E", "Tv", "W", "B", "active", "last_update", "validator_permit"):
        assert np.array_equal(getattr(back, name), getattr(mg, name)), name
    assert back.hotkeys == mg.hotkeys and back.axons == mg.axons and int(back.block) == 42
    # the default location (under TAONET_METAGRAPH_PATH in tests) and "latest block" loading
    default = mg.save()
    assert str(default).startswith(str(tmp_path / "metagraphs"))
    assert int(Metagraph(3, network=mg.network, sync=False).load().block) == 42
    # no pickles: object arrays are refused by the loader
    with np.load(path, allow_pickle=False) as data:
        assert all(data[k].dtype != object for k in data.files)


def test_lite_metagraph_has_empty_matrices() -> None:
    neurons = [NeuronInfoLite.from_dict(neuron_json(u, weights=False)) for u in range(3)]
    mg = Metagraph(3, sync=False).apply_neurons(neurons, block=1)
    assert mg.W.shape == (0, 0) and mg.B.shape == (0, 0) and int(mg.n) == 3


def test_weight_normalisation_matches_bittensor() -> None:
    assert normalize_weights_u16([0, 1, 2], [0.25, 0.5, 0.0]) == ([0, 1], [32768, 65535])
    assert normalize_weights_u16([], []) == ([], [])
    with pytest.raises(ValidationError):
        normalize_weights_u16([0, 1], [1.0])
    with pytest.raises(ValidationError):
        normalize_weights_u16([0], [-1.0])


def test_admin_call_building() -> None:
    assert admin_call("tempo", 2, "30").tempo == 30
    assert admin_call("sudo_set_weights_set_rate_limit", 2, 0).weights_set_rate_limit == 0
    assert admin_call("network_registration_allowed", 2, "false").registration_allowed is False
    with pytest.raises(ValidationError, match="per-subnet"):
        admin_call("tempo", None, 3)
    with pytest.raises(ValidationError, match="no AdminUtils setter"):
        admin_call("warp_speed", 1, 3)


def test_errors_name_the_chain_error_and_advise() -> None:
    text = explain("SettingWeightsTooFast")
    assert text.startswith("SettingWeightsTooFast: ") and "WeightsSetRateLimit" in text
    assert explain("SomethingNew", "detail") == "SomethingNew: detail"
    err = ChainError("NotEnoughBalanceToStake")
    assert err.name == "NotEnoughBalanceToStake" and "fund" in str(err)


def test_extrinsic_response_unpacks_like_bittensor() -> None:
    ok = ExtrinsicResponse(True, "done")
    success, message = ok
    assert success and message == "done" and ok[0] is True and len(ok) == 2
    bad = ExtrinsicResponse.failure(ChainError("Stale"))
    assert not bad and bad.error_name == "Stale" and bad.as_dict()["error"] == "Stale"
    with pytest.raises(ChainError):
        ExtrinsicResponse.failure(ChainError("Stale"), raise_error=True)


def test_endpoint_resolution() -> None:
    assert resolve_endpoint(None) == "ws://127.0.0.1:9944"
    assert resolve_endpoint("local") == "ws://127.0.0.1:9944"
    assert resolve_endpoint("127.0.0.1:9000") == "ws://127.0.0.1:9000"
    assert resolve_endpoint("http://127.0.0.1:9000") == "http://127.0.0.1:9000"
