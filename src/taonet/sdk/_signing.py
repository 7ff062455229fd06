"""The two signed messages of the Axon/Dendrite protocol, and sr25519 sign/verify.

Why a module: the exact message strings are the contract with bittensor peers; one typo and
every request fails with 401. They live here once, next to the key cache that keeps
verification cheap (parsing an ss58 address into a public key is done once per hotkey).

Messages (UTF-8 strings, fields joined with ``.``):

* request, signed by the dendrite's hotkey:
  ``{dendrite_nonce}.{dendrite_hotkey}.{axon_hotkey}.{dendrite_uuid}.{body_hash}``
* response stamp, signed by the axon's hotkey:
  ``{axon_nonce}.{dendrite_hotkey}.{axon_hotkey}.{axon_uuid}``

Signatures travel as ``0x`` + hex of the 64-byte sr25519 signature.
"""

from __future__ import annotations

from functools import lru_cache

from bittensor_wallet import Keypair


def request_message(
    nonce: int | None, dendrite_hotkey: str | None, axon_hotkey: str | None,
    uuid: str | None, body_hash: str | None,
) -> str:
    """The string a dendrite signs for one request."""
    return f"{nonce}.{dendrite_hotkey}.{axon_hotkey}.{uuid}.{body_hash}"


def axon_message(
    nonce: int | None, dendrite_hotkey: str | None, axon_hotkey: str | None, uuid: str | None
) -> str:
    """The string an axon signs to stamp its answer."""
    return f"{nonce}.{dendrite_hotkey}.{axon_hotkey}.{uuid}"


def sign(keypair: Keypair, message: str) -> str:
    """Sign ``message`` and return the ``0x``-prefixed hex signature."""
    return "0x" + bytes(keypair.sign(message)).hex()


@lru_cache(maxsize=8192)
def _public_key(ss58_address: str) -> Keypair:
    return Keypair(ss58_address=ss58_address)


def verify(ss58_address: str | None, message: str, signature: str | None) -> bool:
    """True when ``signature`` is a valid sr25519 signature of ``message`` by the address.

    Malformed addresses or signatures count as invalid rather than raising.
    """
    if not ss58_address or not signature:
        return False
    try:
        return bool(_public_key(ss58_address).verify(message, signature))
    except (ValueError, TypeError):
        return False
