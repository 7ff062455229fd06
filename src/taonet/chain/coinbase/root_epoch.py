"""
The root epoch (era A): root weights -> ``EmissionValues``
==========================================================

Every ``Tempo[0] + 1`` blocks (101 with tempo 100, at ``(block + 1) mod 101 == 0``) the root
network turns the weights its validators set over netuids into the per-block TAO emission of
each subnet. This is *not* Yuma; it is the simpler rule of ``root_epoch``, evaluated in
``I64F64``:

1. ``s_i`` = total stake of root validator ``i``, normalised to sum 1;
2. ``W_ij`` = its weight on netuid ``j`` (all existing netuids, root included), each row
   normalised to sum 1;
3. ``rank_j = Σ_i W_ij s_i``; ``trust_j = Σ_{i: W_ij > 0} s_i / Σ_i s_i``;
4. ``consensus_j = 1 / (1 + exp(-Rho[0] (trust_j - Kappa[0]/65535)))``;
5. ``e_j = consensus_j rank_j`` normalised, times the block emission, floored to rao.

Nothing happens without root validators, subnets or root stake. The share computed for
netuid 0 is written but never emitted.

Exactness: every product and quotient is floored at 64 fractional bits where the chain's
fixed-point type floors; ``exp`` is the same power series as ``substrate_fixed``'s
``transcendental::exp`` at 64 fractional bits.
"""

from __future__ import annotations

from typing import Sequence

from taonet.primitives import fixed as fx
from taonet.primitives.types import U16_MAX

from .. import params as P
from ..state import ChainState

F = 64
ONE = 1 << F
I64F64_MAX = (1 << 127) - 1


def _exp(x: int) -> int:
    """``transcendental::exp`` in I64F64 bits (saturating instead of panicking on overflow)."""
    if x == 0:
        return ONE
    if x == ONE:
        return fx.E_BITS << (F - fx.FRAC)
    y = -x if x < 0 else x
    result = ONE + y
    term = y
    for i in range(2, F):
        term = (term * y) >> F
        term = term // i
        result += term
        if result > I64F64_MAX:
            return 0 if x < 0 else I64F64_MAX
        if term == 0:
            break
    if x < 0:
        return (ONE << F) // result
    return result


def compute_root_emission_values(
    stakes: Sequence[int],
    weight_rows: Sequence[Sequence[int]],
    kappa_u16: int,
    rho: int,
    block_emission: int,
) -> list[int] | None:
    """Pure root epoch: per-netuid rao per block, or ``None`` when the chain would abort.

    ``stakes[i]`` is root validator ``i``'s total stake; ``weight_rows[i][j]`` its u16 weight
    on the ``j``-th existing netuid (in ascending netuid order).
    """
    n = len(stakes)
    if n == 0 or not weight_rows or not weight_rows[0]:
        return None
    k = len(weight_rows[0])
    total = sum(stakes)
    s = [(x << F) // total for x in stakes] if total else [0] * n
    ranks = [0] * k
    trust = [0] * k
    total_stake = 0
    for i in range(n):
        row = weight_rows[i]
        row_sum = sum(row)
        si = s[i]
        total_stake += si
        if row_sum <= 0:
            continue
        for j, w in enumerate(row):
            if w:
                wn = (w << F) // row_sum
                ranks[j] += (wn * si) >> F
                if wn > 0:
                    trust[j] += si
    if total_stake == 0:
        return None
    trust = [(t << F) // total_stake for t in trust]
    kappa = ((kappa_u16 << 32) // U16_MAX) << (F - 32)
    weighted = []
    for j in range(k):
        temperatured = (trust[j] - kappa) * rho
        e = _exp(-temperatured)
        consensus = (ONE << F) // (ONE + e)
        weighted.append((consensus * ranks[j]) >> F)
    wsum = sum(weighted)
    if wsum:
        weighted = [(w << F) // wsum for w in weighted]
    return [(w * block_emission) >> F for w in weighted]


def get_root_weight_rows(state: ChainState, n: int, netuids: list[int]) -> list[list[int]]:
    """Root weights as a dense ``n x len(netuids)`` matrix of u16 values."""
    column = {netuid: j for j, netuid in enumerate(netuids)}
    rows = [[0] * len(netuids) for _ in range(n)]
    for uid, row in state.Weights.iter_prefix(P.ROOT_NETUID):
        if uid >= n:
            continue
        for netuid, w in row:
            j = column.get(netuid)
            if j is not None:
                rows[uid][j] = w
    return rows


def should_run_epoch(netuid: int, tempo: int, block: int) -> bool:
    """``blocks_until_next_epoch == 0``: ``(block + netuid + 1) mod (tempo + 1) == 0``."""
    return tempo != 0 and (block + netuid + 1) % (tempo + 1) == 0


def process_root_epoch(state: ChainState, block_emission: int) -> bool:
    """Recompute ``EmissionValues`` if the root epoch is due; ``True`` if it ran."""
    root = P.ROOT_NETUID
    if not should_run_epoch(root, state.Tempo.get(root), state.block):
        return False
    n = state.SubnetworkN.get(root)
    netuids = sorted(state.NetworksAdded.data)
    if n == 0 or not netuids:
        return False
    keys = state.Keys.prefix(root)
    stakes = [state.TotalHotkeyStake.get(keys[uid]) if uid in keys else 0 for uid in range(n)]
    values = compute_root_emission_values(
        stakes, get_root_weight_rows(state, n, netuids), state.Kappa.get(root), state.Rho.get(root), block_emission
    )
    if values is None:
        return False
    for netuid, value in zip(netuids, values):
        state.EmissionValues.set(netuid, value)
    return True
