"""Yuma epoch benchmark: float64 reference vs exact engine vs fast path.

    python bench/yuma.py            # full run (about 15 s)
    python bench/yuma.py --quick    # fewer repetitions (about 8 s)

Three implementations of one dec2024 epoch, side by side, on realistic random subnets
(validators = the uids with permits and weights, the rest miners; every validator weights
every miner; validators hold bonds to every miner; a few miners registered recently, so the
outdated-weight masks are exercised):

* ``reference``: the simplest correct Yuma in dense float64 NumPy, written below (sort-based
  stake-weighted median per column, dense n x n everywhere). The yardstick for ratios.
* ``exact``: :func:`taonet.chain.epoch.yuma.compute_epoch_arrays`, bit-exact fixed point,
  one subnet per call (inputs pre-built as arrays; building them is not timed).
* ``fast``: :func:`taonet.chain.epoch.fast.fast_epoch`, float64 with exact integer
  consensus, on a batch of one subnet, and on a batch of 64 subnets for throughput: its NumPy
  engine (``numpy``) and its compiled one (``compiled``, Numba; the one the simulator runs),
  side by side. The 64-subnet batch is also run on two threads (two halves of the batch at
  once), as the simulator does.

Times are wall clock per epoch, best of N runs after a warm-up (the machine may be shared;
the median is shown too). Each run also checks that the three agree (consensus, incentive,
dividends), so a fast but wrong implementation cannot look good here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from rich.console import Console
from rich.table import Table

from taonet.chain.epoch.fast import FastBatch, compiled, fast_epoch
from taonet.chain.epoch.types import DEFAULT_PARAMS, EpochParams
from taonet.chain.epoch.yuma import EpochArrays, StoredMatrix, compute_epoch_arrays

BLOCK = 100_000
EMISSION = 360 * 10**9

# Targets (2-core machine): exact engine ms per epoch at the two sizes, fast batch throughput.
EXACT_TARGET_MS = {(64, 256): 3.0, (256, 4096): 300.0}
BATCH_TARGET = 2000.0


@dataclass(frozen=True)
class Subnet:
    """One subnet as dense arrays (the benchmark's common input)."""

    params: EpochParams
    stake: np.ndarray
    last_update: np.ndarray
    registered: np.ndarray
    permit: np.ndarray
    weights: np.ndarray  # (n, n) u16
    bonds: np.ndarray  # (n, n) u16


def make_subnet(validators: int, n: int, seed: int) -> Subnet:
    rng = np.random.default_rng(seed)
    v = validators
    stake = np.zeros(n, np.int64)
    stake[:v] = rng.integers(10**12, 10**15, v)  # 1k to 1M TAO
    stake[v:] = rng.integers(0, 10**9, n - v)  # miners: dust
    weights = np.zeros((n, n), np.uint16)
    raw = rng.integers(1, 65536, (v, n - v))
    weights[:v, v:] = (raw * 65535 + raw.max(axis=1, keepdims=True) // 2) // raw.max(axis=1, keepdims=True)
    bonds = np.zeros((n, n), np.uint16)
    raw = rng.integers(1, 65536, (v, n - v))
    bonds[:v, v:] = raw * 65535 // raw.max(axis=0, keepdims=True)  # column max-upscaled, as stored
    last_update = BLOCK - rng.integers(1, 360, n)
    registered = rng.integers(0, BLOCK - 10_000, n)
    recent = v + rng.choice(n - v, max(1, (n - v) // 50), replace=False)
    registered[recent] = BLOCK - rng.integers(1, 200, len(recent))  # a few fresh miners
    permit = np.zeros(n, bool)
    permit[:v] = True
    params = replace(DEFAULT_PARAMS["dec2024"], max_allowed_validators=v)
    return Subnet(params, stake, last_update, registered, permit, weights, bonds)


# ---------------------------------------------------------------------------------------------
# The plain float64 reference
# ---------------------------------------------------------------------------------------------


def reference_epoch(sub: Subnet) -> dict[str, np.ndarray]:
    """dec2024 Yuma (classic bonds, no liquid alpha) in dense float64, as plainly as possible."""
    p = sub.params
    n = len(sub.stake)
    active = ~(sub.last_update + p.activity_cutoff_blocks < BLOCK)
    stake = sub.stake / sub.stake.sum()
    s = stake * (active & sub.permit)
    s /= s.sum()

    outdated = sub.last_update[:, None] <= sub.registered[None, :]
    w = sub.weights.astype(np.float64)
    w[~sub.permit] = 0.0
    np.fill_diagonal(w, 0.0)
    w[outdated] = 0.0
    rs = w.sum(axis=1, keepdims=True)
    w = np.divide(w, rs, out=np.zeros_like(w), where=rs > 0)

    # Consensus: per column, the smallest weight whose stake at or below it exceeds 1 - kappa.
    voters = np.flatnonzero(s > 0)
    sv = s[voters] / s[voters].sum()
    order = np.argsort(w[voters], axis=0, kind="stable")
    ranked = np.take_along_axis(w[voters], order, axis=0)
    cum = np.cumsum(sv[order], axis=0)
    above = cum > sv.sum() - p.kappa_u16 / 65535
    first = np.where(above.any(axis=0), above.argmax(axis=0), len(voters) - 1)
    consensus = ranked[first, np.arange(n)]

    clipped = np.minimum(w, consensus[None, :])
    ranks = s @ clipped
    incentive = ranks / ranks.sum()

    alpha = 1 - p.bonds_moving_average / 1e6
    old = sub.bonds.astype(np.float64)
    old[outdated] = 0.0
    old /= np.maximum(old.sum(axis=0, keepdims=True), 1e-300)
    delta = clipped * s[:, None]
    delta /= np.maximum(delta.sum(axis=0, keepdims=True), 1e-300)
    ema = alpha * delta + (1 - alpha) * old
    ema /= np.maximum(ema.sum(axis=0, keepdims=True), 1e-300)
    dividends = ema @ incentive  # row i: validator i's bonds, weighted by incentive
    dividends /= dividends.sum()
    emission = np.floor((incentive + dividends) / 2 * EMISSION).astype(np.int64)
    return {"consensus": consensus, "incentive": incentive, "dividends": dividends, "emission": emission}


# ---------------------------------------------------------------------------------------------
# Adapters
# ---------------------------------------------------------------------------------------------


def _stored(m: np.ndarray) -> StoredMatrix:
    rows, cols = np.nonzero(m)
    starts = np.searchsorted(rows, rows, side="left")
    return StoredMatrix(rows, cols, m[rows, cols].astype(np.int64), np.arange(len(rows)) - starts)


def exact_arrays(sub: Subnet) -> EpochArrays:
    return EpochArrays(
        era="dec2024",
        params=sub.params,
        rao_emission=EMISSION,
        current_block=BLOCK,
        stake=[int(x) for x in sub.stake],
        last_update=sub.last_update,
        block_at_registration=sub.registered,
        validator_permit_before=sub.permit,
        weights=_stored(sub.weights),
        bonds=_stored(sub.bonds),
    )


def fast_batch(subs: list[Subnet]) -> FastBatch:
    return FastBatch.build(
        "dec2024",
        [s.params for s in subs],
        stake=np.stack([s.stake for s in subs]),
        last_update=np.stack([s.last_update for s in subs]),
        block_at_registration=np.stack([s.registered for s in subs]),
        validator_permit_before=np.stack([s.permit for s in subs]),
        weights=np.stack([s.weights for s in subs]),
        bonds=np.stack([s.bonds for s in subs]),
        current_block=BLOCK,
        rao_emission=EMISSION,
    )


def timed(fn: Callable[[], object], repeats: int, budget_s: float) -> tuple[float, float]:
    """(best, median) seconds over up to ``repeats`` runs after one warm-up, within a budget."""
    fn()
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < repeats and (not times or time.perf_counter() - start < budget_s):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def _agreement(sub: Subnet) -> tuple[str, str, str, str]:
    """Max |difference| of incentive and dividends: fast (both engines) and reference vs exact."""
    scale = 2.0**-32
    exact = compute_epoch_arrays(exact_arrays(sub))
    diffs = []
    for engine in ("numpy", "compiled"):
        if engine == "compiled" and not compiled.AVAILABLE:
            diffs.append("n/a")
            continue
        fast = fast_epoch(fast_batch([sub]), engine=engine)
        assert np.array_equal(fast.consensus_bits[0], exact.consensus), "fast consensus must be exact"
        d_fast = max(
            np.abs(fast.incentive[0] - exact.incentive * scale).max(),
            np.abs(fast.dividends[0] - exact.dividends * scale).max(),
        )
        diffs.append(f"{d_fast:.1e}")
    ref = reference_epoch(sub)
    d_ref = max(
        np.abs(ref["incentive"] - exact.incentive * scale).max(),
        np.abs(ref["dividends"] - exact.dividends * scale).max(),
        np.abs(ref["consensus"] - exact.consensus * scale).max(),
    )
    return diffs[0], diffs[1], f"{fast.error_bound[0]:.1e}", f"{d_ref:.1e}"


def _halves(batch: FastBatch) -> list[FastBatch]:
    """The batch split in two (for two threads)."""
    from dataclasses import fields

    from taonet.chain.epoch.fast import FastParams

    b = batch.shape[0]
    out = []
    for sl in (slice(0, b // 2), slice(b // 2, b)):
        values = {}
        for f in fields(batch):
            x = getattr(batch, f.name)
            if isinstance(x, np.ndarray):
                x = x[sl]
            elif isinstance(x, FastParams):
                x = FastParams(**{g.name: getattr(x, g.name)[sl] for g in fields(x)})
            values[f.name] = x
        out.append(FastBatch(**values))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, for a short run")
    args = ap.parse_args(argv)
    reps = 5 if args.quick else 20
    budget = 1.5 if args.quick else 6.0
    console = Console(width=max(Console().width, 110))

    has_compiled = compiled.AVAILABLE
    if has_compiled:  # compile (or load the cache) before timing
        fast_epoch(fast_batch([make_subnet(4, 16, seed=1)]), engine="compiled")
    table = Table(title="Yuma epoch, era dec2024: ms per epoch, best of N (median)")
    cols = ("validators x uids", "reference", "exact", "fast numpy", "fast compiled", "exact / ref", "numpy / ref", "compiled / ref")
    for col in cols:
        table.add_column(col, justify="left" if col.startswith("val") else "right")
    agree = Table(title="Agreement with the exact engine: max |difference| as proportions")
    for col in ("validators x uids", "numpy (incentive, dividends)", "compiled", "bound", "reference (+ consensus)"):
        agree.add_column(col, justify="left" if col.startswith("val") else "right")
    verdicts: list[str] = []

    def ms(t: tuple[float, float] | None, per: float = 1.0) -> str:
        return "n/a" if t is None else f"{t[0] / per * 1e3:.3f} ({t[1] / per * 1e3:.3f})"

    for v, n in ((64, 256), (256, 1024), (256, 4096)):
        sub = make_subnet(v, n, seed=n)
        arrays = exact_arrays(sub)
        batch = fast_batch([sub])
        r = (reps if n <= 1024 else max(2, reps // 4))
        ref_t = timed(lambda: reference_epoch(sub), r, budget)
        exact_t = timed(lambda: compute_epoch_arrays(arrays), r, budget)
        fast_t = timed(lambda: fast_epoch(batch, engine="numpy"), r, budget)
        comp_t = timed(lambda: fast_epoch(batch, engine="compiled"), r, budget) if has_compiled else None
        table.add_row(
            f"{v} x {n}",
            ms(ref_t),
            ms(exact_t),
            ms(fast_t),
            ms(comp_t),
            f"{exact_t[0] / ref_t[0]:.2f}x",
            f"{fast_t[0] / ref_t[0]:.2f}x",
            "n/a" if comp_t is None else f"{comp_t[0] / ref_t[0]:.3f}x",
        )
        agree.add_row(f"{v} x {n}", *_agreement(sub))
        target = EXACT_TARGET_MS.get((v, n))
        if target is not None:
            ok = exact_t[0] * 1e3 <= target
            verdicts.append(
                f"exact engine at {v} x {n}: {exact_t[0] * 1e3:.2f} ms (target <= {target:g} ms): "
                + ("[green]met[/green]" if ok else "[red]missed[/red]")
            )

    # Batched fast path: 64 subnets of 256 uids, 64 validators each.
    subs = [make_subnet(64, 256, seed=1000 + k) for k in range(64)]
    batch = fast_batch(subs)
    ref_b = timed(lambda: [reference_epoch(s) for s in subs], max(2, reps // 4), budget)
    fast_b = timed(lambda: fast_epoch(batch, engine="numpy"), reps, budget)
    comp_b = comp_2 = None
    if has_compiled:
        from concurrent.futures import ThreadPoolExecutor

        comp_b = timed(lambda: fast_epoch(batch, engine="compiled"), reps, budget)
        halves = _halves(batch)
        with ThreadPoolExecutor(2) as pool:
            comp_2 = timed(lambda: list(pool.map(lambda b: fast_epoch(b, engine="compiled"), halves)), reps, budget)
    per_ref = ref_b[0] / 64
    table.add_row(
        "64 subnets of 64 x 256 (batched)",
        f"{per_ref * 1e3:.3f}",
        "",
        ms(fast_b, 64),
        ms(comp_b, 64),
        "",
        f"{fast_b[0] / 64 / per_ref:.3f}x",
        "n/a" if comp_b is None else f"{comp_b[0] / 64 / per_ref:.3f}x",
    )
    if comp_2 is not None:
        table.add_row("the same on 2 threads", "", "", "", ms(comp_2, 64), "", "", f"{comp_2[0] / 64 / per_ref:.3f}x")
    console.print(table)
    console.print(
        f"batched fast path: numpy {64 / fast_b[0]:,.0f} subnet-epochs/s (median {64 / fast_b[1]:,.0f})"
        + ("" if comp_b is None else f"; compiled {64 / comp_b[0]:,.0f}/s, on 2 threads {64 / comp_2[0]:,.0f}/s (compiled / numpy: {fast_b[0] / comp_b[0]:.1f}x)")  # type: ignore[index]
        + f"; reference looped over the 64 subnets: {64 / ref_b[0]:,.0f} subnet-epochs/s"
    )
    console.print(agree)
    throughput = 64 / min(fast_b[0], comp_b[0] if comp_b else fast_b[0])
    verdicts.append(
        f"fast path batch: {throughput:,.0f} subnet-epochs/s on one thread (target >= {BATCH_TARGET:,.0f}): "
        + ("[green]met[/green]" if throughput >= BATCH_TARGET else "[red]missed[/red]")
    )
    for line in verdicts:
        console.print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
