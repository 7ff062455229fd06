"""taonet: an open implementation of a Bittensor-style decentralized AI network."""

__version__ = "0.1.0"

# The curated public API, imported lazily (PEP 562) so that ``import taonet.chain`` does not
# pull in the client's network and key libraries.
_EXPORTS = {
    "Wallet": "taonet.sdk.wallet",
    "Subtensor": "taonet.sdk.blocking",
    "AsyncSubtensor": "taonet.sdk.subtensor",
    "Metagraph": "taonet.sdk.metagraph",
    "ExtrinsicResponse": "taonet.sdk.extrinsics",
    "Axon": "taonet.sdk.axon",
    "Dendrite": "taonet.sdk.dendrite",
    "Synapse": "taonet.sdk.synapse",
    "StreamingSynapse": "taonet.sdk.stream",
    "AxonInfo": "taonet.sdk.axon_info",
    "Balance": "taonet.primitives.balance",
    "tao": "taonet.primitives.balance",
    "rao": "taonet.primitives.balance",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'taonet' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
