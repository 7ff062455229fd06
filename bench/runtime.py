"""
Benchmark of the chain runtime at the ``mainnet-dec2024`` preset
================================================================

Measures, on the network size of December 2024 (64 root validators, 56 subnets x 256 uids,
7.93M TAO issued):

1. the median time of a block step without any subnet epoch;
2. the time of one full tempo: 361 consecutive blocks, in which every subnet runs its Yuma
   epoch once (and the root epoch runs 3 or 4 times);
3. calls applied per second: ``transfer_keep_alive`` between funded accounts, and
   ``set_weights`` of 256 uids by permitted validators.

Targets: a full tempo in at most 5 s; at least 20 000 transfers per second.

Run: ``.venv/bin/python bench/runtime.py`` (``--quick`` for a smaller run).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from taonet.chain import apply_extrinsic, copy_state, genesis_state, process_block_step, state_root
from taonet.chain.coinbase.root_epoch import should_run_epoch
from taonet.primitives import calls as C
from taonet.primitives.crypto import derive_account_id


def _epochs_due(state, block: int) -> bool:  # type: ignore[no-untyped-def]
    return any(should_run_epoch(n, state.Tempo.get(n), block) for n in state.NetworksAdded.data)


def bench_block_steps(state, samples: int) -> float:  # type: ignore[no-untyped-def]
    """Median seconds of a block step with no epoch due."""
    times = []
    while len(times) < samples:
        if _epochs_due(state, state.block + 1):
            process_block_step(state)
            continue
        t = time.perf_counter()
        process_block_step(state)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_full_tempo(state) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    """Seconds for 361 blocks; number of subnet epochs and root epochs run."""
    tempo = state.Tempo.get(1) + 1
    epochs = roots = 0
    t = time.perf_counter()
    for _ in range(tempo):
        process_block_step(state)
        for e in state.events:
            if e.name == "EpochCompleted":
                epochs += 1
        if should_run_epoch(0, state.Tempo.get(0), state.block):
            roots += 1
    return time.perf_counter() - t, epochs, roots


def bench_transfers(state, count: int) -> float:  # type: ignore[no-untyped-def]
    """Transfers per second (each a paying, journaled extrinsic)."""
    senders = [derive_account_id(f"mainnet-dec2024/holder-{i}") for i in range(1000)]
    dests = [derive_account_id(f"bench/dest-{i}") for i in range(1000)]
    calls = [C.TransferKeepAlive(dest=dests[i % 1000], value=10**9 + i) for i in range(count)]
    t = time.perf_counter()
    ok = 0
    for i, call in enumerate(calls):
        ok += apply_extrinsic(state, senders[i % 1000], call).success
    dt = time.perf_counter() - t
    assert ok == count, f"{count - ok} transfers failed"
    return count / dt


def bench_set_weights(state, count: int) -> float:  # type: ignore[no-untyped-def]
    """set_weights calls of 256 uids per second (validators of subnets 1..56)."""
    for netuid in range(1, 57):
        state.WeightsSetRateLimit.set(netuid, 0)
    hotkeys = [derive_account_id(f"mainnet-dec2024/validator-hotkey-{i}") for i in range(64)]
    dests = tuple(range(256))
    calls = []
    for i in range(count):
        weights = tuple((j * 7919 + i * 31) % 65536 for j in range(256))
        calls.append((hotkeys[i % 64], C.SetWeights(netuid=1 + (i // 64) % 56, dests=dests, weights=weights, version_key=0)))
    t = time.perf_counter()
    ok = 0
    for who, call in calls:
        r = apply_extrinsic(state, who, call)
        ok += r.success
    dt = time.perf_counter() - t
    assert ok == count, f"{count - ok} set_weights failed"
    return count / dt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    args = parser.parse_args(argv)
    samples = 50 if args.quick else 200
    transfers = 20_000 if args.quick else 100_000
    weights = 500 if args.quick else 2_000

    t = time.perf_counter()
    state = genesis_state("mainnet-dec2024")
    build = time.perf_counter() - t
    t = time.perf_counter()
    state_root(state)
    first_root = time.perf_counter() - t

    step = bench_block_steps(state, samples)
    tempo_s, epochs, roots = bench_full_tempo(state)
    t = time.perf_counter()
    state_root(state)
    root_after_tempo = time.perf_counter() - t
    tps = bench_transfers(copy_state(state), transfers)
    wps = bench_set_weights(copy_state(state), weights)

    rows = [
        ("genesis build (mainnet-dec2024)", f"{build:.2f} s", ""),
        ("state root, first (all items hashed)", f"{first_root:.2f} s", ""),
        ("state root after a tempo (incremental)", f"{root_after_tempo * 1000:.0f} ms", ""),
        ("block step without epochs (median)", f"{step * 1000:.2f} ms", ""),
        (f"full tempo (361 blocks, {epochs} subnet epochs, {roots} root epochs)", f"{tempo_s:.2f} s", "target <= 5 s"),
        (f"transfer_keep_alive applied ({transfers})", f"{tps:,.0f} /s", "target >= 20,000 /s"),
        (f"set_weights of 256 uids applied ({weights})", f"{wps:,.0f} /s", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>12}  note")
    print("-" * (width + 30))
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>12}  {note}")
    ok = tempo_s <= 5.0 and tps >= 20_000 and epochs == 56
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
