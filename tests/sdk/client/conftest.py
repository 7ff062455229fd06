"""Fixtures of the client tests: a real node, wallets in temporary folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from taonet.sdk.wallet import Wallet
from tests.sdk.client.node_process import NodeProcess, shared_node


@pytest.fixture(scope="session")
def node() -> NodeProcess:
    return shared_node()


@pytest.fixture(autouse=True)
def _no_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never let a test read or write the real ~/.bittensor or ~/.taonet."""
    monkeypatch.setenv("TAONET_WALLET_PATH", str(tmp_path / "wallets"))
    monkeypatch.setenv("TAONET_METAGRAPH_PATH", str(tmp_path / "metagraphs"))
    monkeypatch.delenv("TAONET_PASSWORD", raising=False)
    yield


@pytest.fixture
def alice(tmp_path: Path) -> Wallet:
    return Wallet.from_uri("//Alice", path=tmp_path / "wallets")


@pytest.fixture
def bob(tmp_path: Path) -> Wallet:
    return Wallet.from_uri("//Bob", path=tmp_path / "wallets")
