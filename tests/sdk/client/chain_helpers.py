"""Scenario verbs for tests against the shared node: fund a fresh wallet, make a subnet the
test owns (Alice is sudo on the dev chain), fill a subnet with neurons."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bittensor_wallet import Keypair

from taonet.primitives import calls as C
from taonet.primitives.balance import Balance
from taonet.sdk.blocking import Subtensor
from taonet.sdk.wallet import Wallet

_counter = itertools.count()


def fresh_wallet(path: Path, name: str | None = None) -> Wallet:
    """A new unencrypted wallet with a random coldkey and hotkey."""
    w = Wallet(name or f"w{next(_counter)}-{time.monotonic_ns()}", "default", path)
    w.create_new_coldkey(use_password=False, suppress=True)
    w.create_new_hotkey(use_password=False, suppress=True)
    return w


def funded_wallet(st: Subtensor, alice: Wallet, path: Path, tao: float = 1000.0) -> Wallet:
    w = fresh_wallet(path)
    resp = st.transfer(alice, w.coldkeypub.ss58_address, Balance.from_tao(tao))
    assert resp.success, resp.message
    return w


def sudo(st: Subtensor, alice: Wallet, netuid: int | None, name: str, value: Any) -> None:
    resp = st.set_hyperparameter(alice, netuid, name, value, sudo=True)
    assert resp.success, f"sudo {name}={value}: {resp.message}"


def new_subnet(st: Subtensor, owner: Wallet, alice: Wallet, tempo: int | None = None) -> int:
    resp = st.register_subnet(owner)
    assert resp.success, resp.message
    netuid = int(resp.data)
    for name, value in (("max_registrations_per_block", 512), ("target_registrations_per_interval", 512),
                        ("weights_set_rate_limit", 0)):  # fmt: skip
        sudo(st, alice, netuid, name, value)
    if tempo is not None:
        sudo(st, alice, netuid, "tempo", tempo)
    return netuid


@dataclass
class KeyWallet:
    """A wallet-shaped pair of keypairs (no files): what burned_register needs."""

    coldkey: Any
    hotkey: Any

    @property
    def coldkeypub(self) -> Any:
        return self.coldkey


def fill_subnet(st: Subtensor, owner: Wallet, netuid: int, n: int, prefix: str) -> list[str]:
    """Register ``n`` hotkeys (``//prefix<i>``) paid by ``owner``; submits without waiting
    and then waits until the subnet holds them all."""
    hotkeys = [Keypair.create_from_uri(f"//{prefix}{i}") for i in range(n)]
    for hk in hotkeys:
        resp = st.sign_and_send_extrinsic(
            C.BurnedRegister(netuid, hk.ss58_address), owner, wait_for_inclusion=False
        )
        assert resp.success, resp.message
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if (st.subnetwork_n(netuid) or 0) >= n:
            return [hk.ss58_address for hk in hotkeys]
        st.rpc("engine_createBlock", [True])
        time.sleep(0.05)
    raise AssertionError(f"subnet {netuid} has {st.subnetwork_n(netuid)} neurons, expected {n}")
