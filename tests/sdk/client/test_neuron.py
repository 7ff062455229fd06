"""BaseMiner and BaseValidator against a real node: the validator queries the miner, scores
it, sets weights within the rate limit, and keeps going across a node restart."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from taonet import Subtensor
from taonet.sdk.neuron import BaseMiner, BaseValidator
from taonet.sdk.wallet import Wallet
from taonet import Balance
from tests.sdk.client.chain_helpers import funded_wallet, new_subnet, sudo
from tests.sdk.client.node_process import NodeProcess
from tests.sdk.echo import Echo


class EchoMiner(BaseMiner):
    synapse_type = Echo

    async def forward(self, synapse: Echo) -> Echo:
        synapse.response = synapse.text[::-1]
        return synapse


class EchoValidator(BaseValidator):
    def __init__(self, *args: Any, miner: EchoMiner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.miner = miner

    def build_query(self) -> Echo:
        return Echo(text="taonet")

    def miner_uids(self) -> list[int]:
        return [self.metagraph.hotkeys.index(self.miner.hotkey)]

    def axon_for(self, uid: int) -> Any:
        return self.miner.axon.info()  # the chain refuses 127.0.0.1, so dial the local axon directly

    def score(self, uids: Sequence[int], responses: Sequence[Any]) -> np.ndarray:
        return np.array([1.0 if r == "tenoat" else 0.0 for r in responses])


def test_miner_and_validator_loops(node: NodeProcess, alice: Wallet, tmp_path: Path) -> None:
    with Subtensor(node.url) as st:
        netuid = new_subnet(st, alice, alice)
        miner_w = funded_wallet(st, alice, tmp_path, 100)
        assert st.burned_register(miner_w, netuid).success
        reg = st.burned_register(alice, netuid)
        assert reg.success
        # validator permits are handed out at epochs, by stake: stake, then run a few blocks
        sudo(st, alice, netuid, "tempo", 2)
        assert st.add_stake(alice, netuid, alice.hotkey.ss58_address, Balance.from_tao(100)).success
        for _ in range(30):
            if st.neuron_for_uid(reg.data, netuid).validator_permit:
                break
            st.rpc("engine_createBlock", [True])
        assert st.neuron_for_uid(reg.data, netuid).validator_permit
    miner = EchoMiner(miner_w, netuid, network=node.url, serve=False, step_seconds=0.2)
    validator = EchoValidator(alice, netuid, network=node.url, miner=miner, weights_interval=0, step_seconds=0.1)  # instant seal: blocks only advance with transactions
    miner.run_in_thread()
    try:
        deadline = time.monotonic() + 30
        while not miner.axon.started and time.monotonic() < deadline:
            time.sleep(0.05)
        validator.run_in_thread()
        while validator.weights_set < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert validator.weights_set >= 1, validator.last_weights
        miner_uid = validator.miner_uids()[0]
        assert validator.scores[miner_uid] > 0
        with Subtensor(node.url) as st:
            assert dict(st.weights(netuid))[validator.uid] == [(miner_uid, 65535)]

        # a node restart: both loops back off, reconnect and carry on
        steps_before = validator.steps
        node.restart()
        deadline = time.monotonic() + 60
        while validator.steps <= steps_before + 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert validator.steps > steps_before + 3
        assert validator.subtensor.transport.reconnects >= 1 or validator.errors >= 1
    finally:
        validator.stop()
        miner.stop()
        validator.join(10)
        miner.join(10)
