"""``taonet wallet`` commands: key files (no node needed) and balances/transfers (real node).

Commands run in-process through typer's CliRunner; one test runs the real ``taonet``
entry point as a subprocess to check that ``--json`` output is pure JSON (the wallet
library's native "Decrypting..." lines must not leak into it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import bittensor_wallet as bw
import pytest
from typer.testing import CliRunner

from taonet.cli.main import app
from tests.sdk.client.node_process import NodeProcess, shared_node

ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
runner = CliRunner()


@pytest.fixture(scope="session")
def node() -> NodeProcess:
    return shared_node()


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAONET_WALLET_PATH", str(tmp_path / "wallets"))
    monkeypatch.delenv("TAONET_PASSWORD", raising=False)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def run_json(*args: str) -> dict:
    code, out = run(*args, "--json")
    assert code == 0, out
    return json.loads(out)


def test_create_list_new_hotkey_regen(tmp_path: Path) -> None:
    wp = str(tmp_path / "wallets")
    doc = run_json("wallet", "create", "--uri", "alice", "--name", "alice", "-p", wp)
    assert doc["coldkey"] == ALICE and doc["encrypted"] is False
    doc = run_json("wallet", "create", "--name", "fresh", "-p", wp, "--no-use-password")
    assert len(doc["coldkey_mnemonic"].split()) == 12
    mnemonic, cold = doc["coldkey_mnemonic"], doc["coldkey"]
    # the files are bittensor-wallet's
    assert bw.Wallet("fresh", "default", wp).coldkeypub.ss58_address == cold
    hk = run_json("wallet", "new-hotkey", "--name", "fresh", "--hotkey", "miner2", "-p", wp)
    assert bw.Wallet("fresh", "miner2", wp).hotkey.ss58_address == hk["hotkey"]
    code, out = run("wallet", "create", "--name", "fresh", "-p", wp, "--no-use-password")
    assert code == 1 and "already has a coldkey" in out and "--overwrite" in out
    regen = run_json("wallet", "regen-coldkey", "--name", "restored", "--mnemonic", mnemonic, "--no-use-password", "-p", wp)
    assert regen["coldkey"] == cold
    rh = run_json("wallet", "regen-hotkey", "--name", "restored", "--hotkey", "h", "--mnemonic", mnemonic, "-p", wp)
    assert rh["hotkey"] == cold
    listing = run_json("wallet", "list", "-p", wp)
    names = {e["name"]: e for e in listing}
    assert set(names) == {"alice", "fresh", "restored"}
    assert {h["name"] for h in names["fresh"]["hotkeys"]} == {"default", "miner2"}
    code, out = run("wallet", "list", "-p", wp)
    assert code == 0 and ALICE in out


def test_create_encrypted_with_password_file_and_no_prompt(tmp_path: Path) -> None:
    wp = str(tmp_path / "wallets")
    code, out = run("wallet", "create", "--name", "locked", "-p", wp, "--no-prompt")
    assert code == 1 and "TAONET_PASSWORD" in out
    pw = tmp_path / "pw"
    pw.write_text("hunter22\n")
    doc = run_json("wallet", "create", "--name", "locked", "-p", wp, "--password-file", str(pw), "-y")
    assert doc["encrypted"] is True
    assert bw.Wallet("locked", "default", wp).get_coldkey(password="hunter22").ss58_address == doc["coldkey"]


def test_balance_transfer_overview(node: NodeProcess, tmp_path: Path) -> None:
    wp = str(tmp_path / "wallets")
    run_json("wallet", "create", "--uri", "alice", "--name", "alice", "-p", wp)
    dest = run_json("wallet", "create", "--name", "dest", "-p", wp, "--no-use-password")["coldkey"]
    net = ("--network", node.url)
    bal = run_json("wallet", "balance", "--name", "alice", "-p", wp, *net)
    assert bal["coldkey"] == ALICE and bal["free"] > 0
    doc = run_json("wallet", "transfer", "--dest", dest, "--amount", "2.5", "--name", "alice", "-p", wp, "-y", *net)
    assert doc["success"] and doc["block_hash"].startswith("0x")
    assert run_json("wallet", "balance", "--ss58", dest, *net)["free"] == 2_500_000_000
    # a refused transfer names the problem and exits 1
    code, out = run("wallet", "transfer", "--dest", ALICE, "--amount", "100", "--name", "dest", "-p", wp, "-y", *net)
    assert code == 1 and "InsufficientBalance" in out
    code, out = run("wallet", "transfer", "--dest", "nope", "--amount", "1", "--name", "alice", "-p", wp, "-y", *net)
    assert code == 2 and "not a valid SS58" in out
    every = run_json("wallet", "balance", "--all", "-p", wp, *net)
    assert {r["wallet"] for r in every} == {"alice", "dest"}
    ov = run_json("wallet", "overview", "--name", "alice", "-p", wp, *net)
    assert ov["coldkey"] == ALICE and isinstance(ov["neurons"], list)
    code, out = run("wallet", "overview", "--name", "alice", "-p", wp, *net)
    assert code == 0 and "Registrations" in out


def test_unreachable_node_is_a_readable_error(tmp_path: Path) -> None:
    code, out = run("wallet", "balance", "--ss58", ALICE, "--network", "ws://127.0.0.1:9")
    assert code == 1 and "cannot reach a taonet node" in out and "taonet node --dev" in out


def test_json_output_is_pure_json_even_when_decrypting(node: NodeProcess, tmp_path: Path) -> None:
    wp = tmp_path / "wallets"
    w = bw.Wallet("enc", "default", str(wp))
    w.create_coldkey_from_uri("//Alice", use_password=True, coldkey_password="pw-for-test", suppress=True, overwrite=True)
    env = dict(os.environ, TAONET_PASSWORD="pw-for-test", TAONET_WALLET_PATH=str(wp))
    proc = subprocess.run(
        [sys.executable, "-m", "taonet", "wallet", "transfer", "--dest", ALICE, "--amount", "0.001",
         "--name", "enc", "-y", "--json", "--network", node.url],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["success"] is True
