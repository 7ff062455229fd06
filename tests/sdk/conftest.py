"""Keys for the sdk tests (deterministic dev URIs, no files on disk)."""

from __future__ import annotations

import pytest
from bittensor_wallet import Keypair


@pytest.fixture(scope="session")
def axon_key() -> Keypair:
    return Keypair.create_from_uri("//sdk-axon")


@pytest.fixture(scope="session")
def dendrite_key() -> Keypair:
    return Keypair.create_from_uri("//sdk-dendrite")


@pytest.fixture(scope="session")
def other_key() -> Keypair:
    return Keypair.create_from_uri("//sdk-other")
