"""``taonet sim`` as a user runs it: a real subprocess writing files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from taonet.sim.results import read_table

from .conftest import SMALL


def taonet(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "taonet", *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def dec2024_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dec2024")
    proc = taonet("sim", "run", "dec2024", "--days", "1.5", "--seed", "3", "--out", str(out), "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert "First halving" in proc.stdout and "TAO a day" in proc.stdout
    return out


def test_list_names_every_scenario() -> None:
    proc = taonet("sim", "list")
    assert proc.returncode == 0
    for name in ("dec2024", "halving", "proposal", "collusion"):
        assert name in proc.stdout


def test_run_writes_tables_params_seeds_summary_and_report(dec2024_out: Path) -> None:
    files = {p.name for p in dec2024_out.iterdir()}
    assert {"global.parquet", "subnets.parquet", "validators.parquet", "params.json", "seeds.json", "summary.json", "report.html"} <= files
    g = read_table(dec2024_out / "global.parquet")
    for col in ("simulation", "subset", "run", "timestep", "issuance_tao", "nominator_apy", "top10_share"):
        assert col in g
    params = json.loads((dec2024_out / "params.json").read_text())
    assert params["subsets"][0]["start_date"] == "2024-12-01" and params["meta"]["seed"] == 3
    seeds = json.loads((dec2024_out / "seeds.json").read_text())
    assert seeds == [{"subset": 0, "run": 0, "seed": 3, "entropy": "3", "spawn_key": [0, 0]}]


def test_summary_has_the_headline_keys(dec2024_out: Path) -> None:
    s = json.loads((dec2024_out / "summary.json").read_text())
    for key in ("tao_issued_per_day", "validator_emission_per_day", "staking_apy", "first_halving_date", "top10_emission_share"):
        assert key in s
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", s["first_halving_date"])
    assert 7100 < s["tao_issued_per_day"] < 7300


def test_report_is_self_contained_with_its_charts(dec2024_out: Path) -> None:
    html = (dec2024_out / "report.html").read_text()
    for chart in ("issuance", "emission-by-subnet", "yields", "concentration", "vs-seed"):
        assert f'id="chart-{chart}"' in html
    assert html.count("data:image/png;base64,") >= 5
    assert "The questions, answered" in html and "First halving" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html


def test_fidelity_mode_and_csv_from_the_cli(tmp_path: Path) -> None:
    sets = [f"--set={k}={json.dumps(v)}" for k, v in SMALL.items()]
    proc = taonet("sim", "run", "dec2024", "--mode", "fidelity", "--days", "0.1", "--out", str(tmp_path), "--format", "csv", "--no-progress", "--json", *sets)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["mode"] == "fidelity"
    assert (tmp_path / "global.csv").exists()


def test_the_proposal_with_owner_top_ups_runs_in_fidelity_mode(tmp_path: Path) -> None:
    # owners' daily top-ups go through the runtime's fund_subnet_emission call
    sets = [f"--set={k}={json.dumps(v)}" for k, v in SMALL.items()]
    proc = taonet("sim", "run", "proposal", "--mode", "fidelity", "--days", "1.1", "--seed", "2", "--no-progress", "--json", *sets)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["mode"] == "fidelity"
    assert summary["baseline"]["owner_tao_bought_per_day"] == 0
    assert summary["proposal"]["owner_tao_bought_per_day"] > 0


def test_bad_input_exits_2(tmp_path: Path) -> None:
    assert taonet("sim", "run", "no-such-scenario").returncode == 2
    assert taonet("sim", "run", "dec2024", "--mode", "warp").returncode == 2
    assert taonet("sim", "run", "dec2024", "--days", "0.1", "--set", "no_such=1").returncode == 2
