"""Options, ladders and the manifest: what a local network is made of, and what a second
run with the same base path reuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from taonet.localnet.plan import LADDERS, LocalnetOptions, Manifest, pick_ladder


def test_ladders_spread_from_best_to_worst() -> None:
    assert [m for m, _ in pick_ladder("embeddings", 4)] == ["lsa-128", "lsa-64", "hashing-64", "random-64"]
    assert [m for m, _ in pick_ladder("qa", 5)] == list(LADDERS["qa"])
    assert pick_ladder("finetune", 1) == [("full", 0)]
    assert pick_ladder("qa", 2) == [("oracle", 0), ("silent", 0)]
    many = pick_ladder("finetune", 7)
    assert many[5:] == [("lexical-100", 1), ("lexical-100", 2)]  # repeats get their own seed


def test_options_refuse_nonsense(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown subnet"):
        LocalnetOptions(tmp_path, subnets=("images",))
    with pytest.raises(ValueError):
        LocalnetOptions(tmp_path, miners=0)
    with pytest.raises(ValueError):
        LocalnetOptions(tmp_path, block_time=0)


def test_manifest_round_trip_and_growth(tmp_path: Path) -> None:
    options = LocalnetOptions(tmp_path, subnets=("embeddings", "qa"), miners=2, validators=1)
    m = Manifest.load(tmp_path)
    m.extend(options)
    m.subnets["qa"].netuid = 3
    m.save(tmp_path)
    again = Manifest.load(tmp_path)
    assert again == m
    assert again.node_port and again.store_port and again.gateway_port
    assert [n.name for n in again.active(options)] == [
        "embeddings-validator-0", "embeddings-miner-0", "embeddings-miner-1",
        "qa-validator-0", "qa-miner-0", "qa-miner-1",
    ]
    # asking for more keeps what exists (ports, models) and appends
    ports = [n.port for n in again.subnets["qa"].miners()]
    again.extend(LocalnetOptions(tmp_path, subnets=("embeddings", "qa"), miners=3, validators=1))
    assert [n.port for n in again.subnets["qa"].miners()][:2] == ports
    assert len(again.subnets["qa"].miners()) == 3
    assert again.subnets["qa"].netuid == 3
    assert all(n.rank == LADDERS[n.kind].index(n.model) for p in again.subnets.values() for n in p.miners())
