"""Byte-level agreement with bittensor 10.5.0's own Synapse code (run in .venv-interop).

bittensor computes headers and body hashes for a few synapses; taonet must produce the same
header names and values (except the two informative size headers), the same body hash, and
must parse bittensor's headers and JSON bodies back into equal values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from taonet.sdk import Synapse, TerminalInfo

from .conftest import run_peer
from .protocol import Echo

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("interop")]

INFORMATIVE = {"header_size", "total_size"}


class Required(Synapse):
    prompt: str
    weights: list[float]
    meta: dict[str, Any] = {}
    required_hash_fields: ClassVar[tuple[str, ...]] = ("prompt", "weights", "meta")


def _ours() -> dict[str, Synapse]:
    cases: dict[str, Synapse] = {
        "plain": Synapse(),
        "echo": Echo(text="héllo wörld", numbers=[1, -2, 30000000000]),
        "required": Required(prompt="why?", weights=[0.5, 1.0, 1e-9], meta={"a": [1, 2]}),
    }
    for syn in cases.values():
        syn.dendrite = TerminalInfo(ip="127.0.0.2", version=10005000,
                                    nonce=1700000000000000000, uuid="u-1", hotkey="5Hot",
                                    signature="0xsig")
        syn.axon = TerminalInfo(ip="127.0.0.1", port=8091, hotkey="5Axon")
    return cases


@pytest.fixture(scope="module")
def bittensor_wire(bt_python: Path) -> dict[str, Any]:
    (out,) = run_peer(bt_python, "wire")
    return out


@pytest.mark.parametrize("case", ["plain", "echo", "required"])
def test_headers_and_body_hash_match_bittensor(bittensor_wire: dict[str, Any], case: str) -> None:
    theirs = bittensor_wire[case]
    ours = _ours()[case]
    assert ours.body_hash == theirs["body_hash"]
    mine = ours.to_headers()
    strip = lambda h: {k: v for k, v in h.items() if k not in INFORMATIVE}  # noqa: E731
    assert strip(mine) == strip(theirs["headers"])
    assert INFORMATIVE <= set(mine)


@pytest.mark.parametrize("case", ["plain", "echo", "required"])
def test_bittensor_headers_and_body_parse_into_taonet(bittensor_wire: dict[str, Any],
                                                      case: str) -> None:
    theirs = bittensor_wire[case]
    kind = type(_ours()[case])
    from_headers = kind.from_headers(theirs["headers"])
    assert from_headers.computed_body_hash == theirs["body_hash"]
    assert from_headers.dendrite == _ours()[case].dendrite
    assert from_headers.axon == _ours()[case].axon
    from_body = kind.model_validate(theirs["body"])
    assert from_body.body_hash == theirs["body_hash"]
    assert from_body.model_dump(exclude={"total_size"}) == _ours()[case].model_dump(
        exclude={"total_size"})
