"""Metagraph: one subnet's neurons as NumPy arrays, synced at a block.

Validators score miners and miners check callers with vectors, not records: stake ``S``,
ranks ``R``, trust ``T``, consensus ``C``, incentive ``I``, dividends ``D``, emission ``E``,
validator trust ``Tv``, the weight matrix ``W`` and bond matrix ``B`` (filled by a full sync,
``lite=False``), plus ``uids``, ``hotkeys``, ``coldkeys``, ``axons``, ``active``,
``last_update`` and ``validator_permit``. The attribute names and units are bittensor's
(fractions as floats in ``[0, 1]``, stake and emission in TAO, ``W`` rows normalised to sum to
1, ``B`` raw u16 values), so subnet code written for bittensor reads the same numbers.

Era A still has ranks and trust, so unlike bittensor 10, ``R`` and ``T`` are filled.

Persistence is one ``.npz`` file written with NumPy's own format and loaded with
``allow_pickle=False``: loading a metagraph someone sent you must not execute code.

The metagraph does no I/O of its own except through a client: :meth:`sync` uses a blocking
:class:`~taonet.sdk.blocking.Subtensor`, :meth:`sync_async` an
:class:`~taonet.sdk.subtensor.AsyncSubtensor`; both feed the same
:meth:`apply_metagraph_info`.

A sync is **one read**: ``taonet_getMetagraph`` answers every column together with the block
it was read at. The node keeps only its best state, so reading the head first and then
asking for the neurons "at" that block fails with ``StateUnavailable`` whenever a block lands
in between (with fast blocks, every few hundred syncs), and can label the arrays with the
wrong block when it lands just after the check. Taking the block from the answer cannot.
(:meth:`apply_neurons` still builds the same arrays from neuron records.)
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from taonet.primitives import views as V
from taonet.primitives.balance import RAO_PER_TAO
from taonet.sdk.axon_info import AxonInfo
from taonet.sdk.chain_data import NeuronInfo, NeuronInfoLite, axon_from_view, u16_normalized_float

if TYPE_CHECKING:
    from taonet.sdk.blocking import Subtensor
    from taonet.sdk.subtensor import SubtensorReads as AsyncSubtensor

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

#: Array attributes saved and loaded, with their dtypes.
_ARRAYS: dict[str, Any] = {
    "uids": np.int64,
    "S": np.float32,
    "R": np.float32,
    "T": np.float32,
    "C": np.float32,
    "I": np.float32,
    "D": np.float32,
    "E": np.float32,
    "Tv": np.float32,
    "active": np.int64,
    "last_update": np.int64,
    "validator_permit": np.bool_,
    "pruning_score": np.int64,
    "W": np.float32,
    "B": np.float32,
}


def default_metagraph_dir() -> Path:
    return Path(os.path.expanduser(os.environ.get("TAONET_METAGRAPH_PATH", "~/.taonet/metagraphs")))


class Metagraph:
    """A subnet's state as arrays (see the module docstring).

    Args:
        netuid: The subnet.
        network: ``"local"`` or a ``ws://``/``http://`` endpoint; used when ``sync`` has to
            open its own client.
        lite: Skip the weight and bond matrices (fast; what most miners need).
        sync: Sync immediately (opens a client on ``network`` unless ``subtensor`` is given).
        subtensor: A blocking client to sync with.
    """

    def __init__(
        self,
        netuid: int,
        network: str = "local",
        lite: bool = True,
        sync: bool = True,
        subtensor: "Subtensor | None" = None,
    ) -> None:
        self.netuid = int(netuid)
        self.network = network
        self.lite = lite
        self.block: np.int64 = np.int64(0)
        self.n: np.int64 = np.int64(0)
        self.hotkeys: list[str] = []
        self.coldkeys: list[str] = []
        self.axons: list[AxonInfo] = []
        for name, dtype in _ARRAYS.items():
            shape: tuple[int, ...] = (0, 0) if name in ("W", "B") else (0,)
            setattr(self, name, np.zeros(shape, dtype=dtype))
        if sync:
            self.sync(subtensor=subtensor)

    # ------------------------------------------------------------------ bittensor aliases
    uids: IntArray
    S: FloatArray
    R: FloatArray
    T: FloatArray
    C: FloatArray
    I: FloatArray  # noqa: E741  (bittensor's name)
    D: FloatArray
    E: FloatArray
    Tv: FloatArray
    W: FloatArray
    B: FloatArray
    active: IntArray
    last_update: IntArray
    validator_permit: npt.NDArray[np.bool_]
    pruning_score: IntArray

    @property
    def stake(self) -> FloatArray:
        return self.S

    @property
    def total_stake(self) -> FloatArray:
        return self.S

    @property
    def ranks(self) -> FloatArray:
        return self.R

    @property
    def trust(self) -> FloatArray:
        return self.T

    @property
    def consensus(self) -> FloatArray:
        return self.C

    @property
    def incentive(self) -> FloatArray:
        return self.I

    @property
    def dividends(self) -> FloatArray:
        return self.D

    @property
    def emission(self) -> FloatArray:
        return self.E

    @property
    def validator_trust(self) -> FloatArray:
        return self.Tv

    @property
    def weights(self) -> FloatArray:
        return self.W

    @property
    def bonds(self) -> FloatArray:
        return self.B

    @property
    def addresses(self) -> list[str]:
        return [a.ip_str() for a in self.axons]

    def __repr__(self) -> str:
        return f"metagraph(netuid:{self.netuid}, n:{int(self.n)}, block:{int(self.block)}, network:{self.network})"

    __str__ = __repr__

    # ------------------------------------------------------------------ sync
    def sync(self, block: int | None = None, lite: bool | None = None, subtensor: "Subtensor | None" = None) -> Metagraph:
        """Refresh every array from the chain, at the block of the answer.

        ``block`` other than the current one raises ``StateUnavailable`` (the node keeps only
        its best state); ``None`` takes whatever block the node answers at.
        """
        lite = self.lite if lite is None else lite
        if subtensor is None:
            from taonet.sdk.blocking import Subtensor

            with Subtensor(self.network) as own:
                return self.sync(block=block, lite=lite, subtensor=own)
        info = subtensor.get_metagraph_info(self.netuid, block=block)
        if info is None:  # no such subnet: empty arrays, labelled with the head
            return self.apply_neurons([], subtensor.get_current_block() if block is None else block, lite=lite)
        return self.apply_metagraph_info(info, lite=lite)

    async def sync_async(
        self, subtensor: "AsyncSubtensor", block: int | None = None, lite: bool | None = None
    ) -> Metagraph:
        """:meth:`sync` through an async client (same read, same arrays)."""
        lite = self.lite if lite is None else lite
        info = await subtensor.get_metagraph_info(self.netuid, block=block)
        if info is None:
            at = await subtensor.get_current_block() if block is None else block
            return self.apply_neurons([], at, lite=lite)
        return self.apply_metagraph_info(info, lite=lite)

    def apply_metagraph_info(self, info: V.MetagraphInfo, lite: bool = True) -> Metagraph:
        """Rebuild the arrays from the chain's one-read columns (pure: no I/O).

        The units are those of :meth:`apply_neurons` (u16 fractions as floats, rao as TAO),
        computed the same way, so both give identical arrays for the same state. Uids are
        dense on chain (``Keys`` holds every uid below ``SubnetworkN``), so uid = index.
        """
        n = int(info.n)

        def u16(col: Sequence[int]) -> Any:
            return np.fromiter((u16_normalized_float(x) for x in col), dtype=np.float32, count=n)

        hotkeys, coldkeys = list(info.hotkeys[:n]), list(info.coldkeys[:n])
        self._assign(
            block=int(info.block), lite=lite, hotkeys=hotkeys, coldkeys=coldkeys,
            axons=[axon_from_view(a, h, c) for a, h, c in zip(info.axons, hotkeys, coldkeys)],
            columns={
                "uids": np.arange(n, dtype=np.int64),
                "S": np.fromiter((rao / RAO_PER_TAO for rao in info.stake), dtype=np.float32, count=n),
                "R": u16(info.rank), "T": u16(info.trust), "C": u16(info.consensus), "I": u16(info.incentive),
                "D": u16(info.dividends), "Tv": u16(info.validator_trust),
                "E": np.fromiter((rao / 1e9 for rao in info.emission), dtype=np.float32, count=n),
                "active": np.fromiter((int(a) for a in info.active), dtype=np.int64, count=n),
                "last_update": np.fromiter(info.last_update, dtype=np.int64, count=n),
                "validator_permit": np.fromiter(info.validator_permit, dtype=np.bool_, count=n),
                "pruning_score": np.fromiter(info.pruning_score, dtype=np.int64, count=n),
            },
            weights=None if lite else [list(row) for row in info.weights[:n]],
            bonds=None if lite else [list(row) for row in info.bonds[:n]],
        )  # fmt: skip
        return self

    def apply_neurons(self, neurons: Sequence[NeuronInfoLite], block: int, lite: bool = True) -> Metagraph:
        """Rebuild the arrays from neuron records (pure: no I/O)."""
        neurons = sorted(neurons, key=lambda nr: nr.uid)
        n = len(neurons)

        def col(attr: str, dtype: Any) -> Any:
            return np.fromiter((getattr(nr, attr) for nr in neurons), dtype=dtype, count=n)

        full = not lite and bool(neurons) and isinstance(neurons[0], NeuronInfo)
        self._assign(
            block=block, lite=lite, hotkeys=[nr.hotkey for nr in neurons], coldkeys=[nr.coldkey for nr in neurons],
            axons=[nr.axon_info for nr in neurons],
            columns={
                "uids": col("uid", np.int64),
                "S": np.fromiter((nr.total_stake.tao for nr in neurons), dtype=np.float32, count=n),
                "R": col("rank", np.float32), "T": col("trust", np.float32), "C": col("consensus", np.float32),
                "I": col("incentive", np.float32), "D": col("dividends", np.float32), "E": col("emission", np.float32),
                "Tv": col("validator_trust", np.float32), "active": col("active", np.int64),
                "last_update": col("last_update", np.int64), "validator_permit": col("validator_permit", np.bool_),
                "pruning_score": col("pruning_score", np.int64),
            },
            weights=[nr.weights for nr in neurons] if full else None,  # type: ignore[attr-defined]
            bonds=[nr.bonds for nr in neurons] if full else None,  # type: ignore[attr-defined]
        )  # fmt: skip
        return self

    def _assign(
        self,
        *,
        block: int,
        lite: bool,
        hotkeys: list[str],
        coldkeys: list[str],
        axons: list[AxonInfo],
        columns: dict[str, Any],
        weights: list[list[tuple[int, int]]] | None,
        bonds: list[list[tuple[int, int]]] | None,
    ) -> None:
        """Set every attribute at once, so both sources fill exactly the same fields."""
        n = len(hotkeys)
        self.block = np.int64(block)
        self.n = np.int64(n)
        self.lite = lite
        for name, values in columns.items():
            setattr(self, name, values)
        self.hotkeys, self.coldkeys, self.axons = hotkeys, coldkeys, axons
        if weights is None or bonds is None or n == 0:
            self.W = np.zeros((0, 0), dtype=np.float32)
            self.B = np.zeros((0, 0), dtype=np.float32)
        else:
            self.W = _matrix(weights, n, normalise=True)
            self.B = _matrix(bonds, n, normalise=False)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the metagraph to one ``.npz`` file (no pickle) and return its path.

        Default location: ``~/.taonet/metagraphs/<network>/netuid<N>/block-<B>.npz``
        (``TAONET_METAGRAPH_PATH`` overrides the root).
        """
        target = Path(path) if path is not None else self._default_file()
        if target.suffix != ".npz":
            target = target / f"block-{int(self.block)}.npz"
        target.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "netuid": self.netuid,
            "network": self.network,
            "block": int(self.block),
            "lite": self.lite,
            "hotkeys": self.hotkeys,
            "coldkeys": self.coldkeys,
            "axons": [_axon_to_dict(a) for a in self.axons],
        }
        arrays = {name: getattr(self, name) for name in _ARRAYS}
        with open(target, "wb") as fh:
            np.savez(fh, meta=np.array(json.dumps(meta)), **arrays)
        return target

    def load(self, path: str | os.PathLike[str] | None = None) -> Metagraph:
        """Read a file written by :meth:`save` (the latest block in the default folder when
        ``path`` is a folder or ``None``)."""
        source = Path(path) if path is not None else self._default_file().parent
        if source.is_dir():
            files = sorted(source.glob("block-*.npz"), key=lambda p: int(p.stem.split("-")[1]))
            if not files:
                raise FileNotFoundError(f"no saved metagraph under {source}")
            source = files[-1]
        with np.load(source, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            for name, dtype in _ARRAYS.items():
                setattr(self, name, np.asarray(data[name], dtype=dtype))
        self.netuid = int(meta["netuid"])
        self.network = str(meta["network"])
        self.block = np.int64(meta["block"])
        self.lite = bool(meta["lite"])
        self.hotkeys = list(meta["hotkeys"])
        self.coldkeys = list(meta["coldkeys"])
        self.axons = [AxonInfo(**a) for a in meta["axons"]]
        self.n = np.int64(len(self.uids))
        return self

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Metagraph:
        mg = cls(0, sync=False)
        return mg.load(path)

    def _default_file(self) -> Path:
        slug = "".join(c if c.isalnum() else "_" for c in self.network).strip("_") or "local"
        return default_metagraph_dir() / slug / f"netuid{self.netuid}" / f"block-{int(self.block)}.npz"


def _axon_to_dict(a: AxonInfo) -> dict[str, Any]:
    return {
        "version": a.version,
        "ip": a.ip,
        "port": a.port,
        "ip_type": a.ip_type,
        "hotkey": a.hotkey,
        "coldkey": a.coldkey,
        "protocol": a.protocol,
        "placeholder1": a.placeholder1,
        "placeholder2": a.placeholder2,
    }


def _matrix(rows: list[list[tuple[int, int]]], n: int, normalise: bool) -> FloatArray:
    """Dense ``n x n`` matrix from sparse ``(uid, u16)`` rows; weight rows sum to 1."""
    out = np.zeros((n, n), dtype=np.float32)
    for i, row in enumerate(rows):
        if not row:
            continue
        idx = np.fromiter((u for u, _ in row), dtype=np.int64, count=len(row))
        val = np.fromiter((v for _, v in row), dtype=np.float32, count=len(row))
        keep = idx < n
        out[i, idx[keep]] = val[keep]
    if normalise:
        sums = out.sum(axis=1, keepdims=True)
        np.divide(out, sums, out=out, where=sums > 0)
    return out
