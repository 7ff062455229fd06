"""
taonet.node: the chain runtime as a running blockchain node
===========================================================

The imperative shell around :mod:`taonet.chain` (see ``docs/node.md``): it orders signed
transactions into blocks, stores blocks in SQLite, serves JSON-RPC over HTTP and WebSocket,
and follows or authors a chain together with other nodes (Aura-style round-robin slots, with
finality once enough distinct authorities have built on a block).

Modules, one concept each:

* :mod:`.config`     NodeConfig: every knob, with the defaults a person starts with;
* :mod:`.chainspec`  named chains (dev, localnet, mainnet-dec2024): genesis, authorities, version;
* :mod:`.execution`  applying and building a block on a ChainState (no I/O);
* :mod:`.consensus`  slots, author checks and seals, the finality rule;
* :mod:`.storage`    the SQLite block log and state snapshots;
* :mod:`.blockchain` the block tree: import, fork choice, reorgs, finality, persistence;
* :mod:`.mempool`    the transaction pool: admission, ordering, limits, rejection reasons;
* :mod:`.producer`   authoring in slots, or instant seal;
* :mod:`.sync`       following peers over their RPC;
* :mod:`.rpc`        the aiohttp JSON-RPC server; :mod:`.api` the methods it serves;
* :mod:`.service`    :class:`Node`: wires everything and runs it until stopped.
"""

from __future__ import annotations

from .config import NodeConfig

__all__ = ["NodeConfig", "Node"]


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    # Lazy: importing the package (e.g. for NodeConfig in the CLI) should not import aiohttp.
    if name == "Node":
        from .service import Node

        return Node
    raise AttributeError(name)
