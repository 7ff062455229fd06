"""The dashboard is a pure function of a snapshot: render one without a terminal."""

from __future__ import annotations

from rich.console import Console

from taonet.localnet.dashboard import render, summary_lines
from taonet.localnet.observe import NeuronRow, Snapshot, SubnetStats


def snapshot() -> Snapshot:
    rows = [
        NeuronRow(0, "qa-validator-0", "validator", "", "5Val", 0.0, 1.0, 410_000_000, 1000.0, False),
        NeuronRow(1, "qa-miner-0", "miner", "oracle", "5Ora", 0.7, 0.0, 287_000_000, 0.0, True),
        NeuronRow(2, "qa-miner-1", "miner", "silent", "5Sil", 0.0, 0.0, 0, 0.0, False),
        NeuronRow(3, "qa-miner-2", "miner", "noisy-60", "5Noi", 0.3, 0.0, 123_000_000, 0.0, True),
    ]
    qa = SubnetStats("qa", 3, n=4, max_n=4, tempo=10, emission_per_block_rao=333_333_333, rows=rows, epochs=7,
                     registrations=4, last_split=(180, 410, 410), total_split=(1_800_000_000, 4_100_000_000, 4_100_000_000),
                     detail="dataset: 1200 scored pairs")
    procs = [{"name": "node", "state": "running", "restarts": 0}, {"name": "qa-miner-1", "state": "backoff", "restarts": 2}]
    return Snapshot(block=123, issuance_rao=3_006_000 * 10**9, block_emission_rao=10**9, subnets=[qa, qa], processes=procs,
                    events=["04:00:00 qa-miner-1 exited with code 1; restarting in 2 s."], uptime=42.0,
                    notes=["gateway http://127.0.0.1:8090"])


def text_of(width: int) -> str:
    console = Console(record=True, width=width, color_system=None)
    console.print(render(snapshot(), width=width))
    return console.export_text()


def test_render_shows_the_network() -> None:
    text = text_of(120)
    assert "block #123" in text and "3,006,000.000" in text
    assert "subnet 3 · qa" in text
    assert text.index("oracle") < text.index("noisy-60") < text.index("silent")  # by incentive
    assert "(down)" in text  # the silent miner serves no axon
    assert "validators: 0 div 1.00 (1,000 τ)" in text
    assert "owner 18.0% miners 41.0% vali 41.0%" in text
    assert "dataset: 1200 scored pairs" in text
    assert "1/2 processes running · 2 restarts" in text and "down: qa-miner-1" in text
    assert "exited with code 1" in text


def test_wide_terminals_put_subnets_side_by_side() -> None:
    narrow, wide = text_of(100), text_of(200)
    line = next(line for line in wide.splitlines() if "subnet 3 · qa" in line)
    assert line.count("subnet 3 · qa") == 2
    assert all(line.count("subnet 3 · qa") <= 1 for line in narrow.splitlines())


def test_summary_lines() -> None:
    lines = summary_lines(snapshot())
    assert lines[0].startswith("block #123")
    assert "1:oracle=0.700" in lines[1] and "owner 18.0%" in lines[1]
