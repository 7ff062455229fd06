"""Shared fixtures: the chain harness on the localnet and dev presets."""

from __future__ import annotations

import pytest

from taonet.chain import transition

# A bug inside a call handler should fail the test with its traceback, not hide behind an
# "InternalError" receipt.
transition.RAISE_INTERNAL_ERRORS = True


@pytest.fixture
def harness():  # type: ignore[no-untyped-def]
    from tests.harness import Harness

    return Harness("localnet")


@pytest.fixture
def dev_harness():  # type: ignore[no-untyped-def]
    from tests.harness import Harness

    return Harness("dev")
