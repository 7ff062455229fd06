"""
taonet.chain: Subtensor's state machine (era A, late 2024), pure and deterministic
===================================================================================

Public API (see ``docs/chain.md``):

* :class:`ChainState` and :func:`genesis_state` / :func:`build_genesis` with presets
  ``dev``, ``localnet`` and ``mainnet-dec2024``;
* :func:`process_block_step` (open the next block and run its per-block hook) and
  :func:`apply_extrinsic` (apply one signed call, returning a :class:`Receipt`);
* :func:`state_root`, :func:`encode_state`, :func:`decode_state`, :func:`copy_state`;
* :func:`compute_fee` and :func:`get_dispatch_info` (a call's weight, class and fee policy:
  what a node's fee estimate and pool priority need);
* :data:`SPEC_VERSION`, the runtime version signed into every extrinsic;
* :mod:`taonet.chain.queries` (read models).

A node or simulator imports from here only: the modules below are the runtime's internals
and may be reorganised without notice.

The chain imports nothing but :mod:`taonet.primitives` and the standard library, and does no
I/O: no clock, no files, no sockets, no unseeded randomness.
"""

from __future__ import annotations

from . import queries
from .dispatch import DispatchInfo, compute_fee, get_dispatch_info
from .errors import DispatchError
from .events import Event
from .genesis import PRESETS, GenesisConfig, build_genesis, genesis_state
from .params import SPEC_VERSION
from .receipt import Receipt
from .state import ChainState, begin_transaction, commit_transaction, copy_state, rollback_transaction
from .state_root import decode_state, encode_state, state_root
from .transition import apply_extrinsic, dry_run, process_block_step

__all__ = [
    "PRESETS",
    "SPEC_VERSION",
    "ChainState",
    "DispatchError",
    "DispatchInfo",
    "Event",
    "GenesisConfig",
    "Receipt",
    "apply_extrinsic",
    "begin_transaction",
    "build_genesis",
    "commit_transaction",
    "compute_fee",
    "copy_state",
    "decode_state",
    "dry_run",
    "encode_state",
    "genesis_state",
    "get_dispatch_info",
    "process_block_step",
    "queries",
    "rollback_transaction",
    "state_root",
]
