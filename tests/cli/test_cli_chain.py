"""``taonet subnet | stake | weights | root | sudo`` against a real node process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taonet.cli.main import app
from tests.sdk.client.node_process import NodeProcess, shared_node

runner = CliRunner()


@pytest.fixture(scope="session")
def node() -> NodeProcess:
    return shared_node()


@pytest.fixture
def env(node: NodeProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Alice's wallet (sudo on the dev chain) and a funded second wallet 'op' with a hotkey."""
    wp = str(tmp_path / "wallets")
    monkeypatch.setenv("TAONET_WALLET_PATH", wp)
    monkeypatch.setenv("TAONET_NETWORK", node.url)
    monkeypatch.delenv("TAONET_PASSWORD", raising=False)
    ok("wallet", "create", "--uri", "alice", "--name", "alice")
    op = ok("wallet", "create", "--name", "op", "--no-use-password")
    ok("wallet", "transfer", "--dest", op["coldkey"], "--amount", "3000", "--name", "alice", "-y")
    return {"op_cold": op["coldkey"], "op_hot": op["hotkey"]}


def run(*args: str) -> tuple[int, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.output


def ok(*args: str) -> dict:
    code, out = run(*args, "--json")
    assert code == 0, out
    return json.loads(out)


def test_subnet_create_list_show_hyperparameters_register(env: dict[str, str]) -> None:
    created = ok("subnet", "create", "--name", "op", "-y")
    netuid = created["netuid"]
    assert isinstance(netuid, int) and created["success"]
    listing = ok("subnet", "list")
    assert netuid in [s["netuid"] for s in listing]
    hp = ok("subnet", "hyperparameters", "--netuid", str(netuid))
    assert hp["tempo"] > 0
    reg = ok("subnet", "register", "--netuid", str(netuid), "--name", "op", "-y")
    assert reg["uid"] == 0 and reg["hotkey"] == env["op_hot"]
    shown = ok("subnet", "show", "--netuid", str(netuid))
    assert shown["n"] == 1 and shown["neurons"][0]["hotkey"] == env["op_hot"]
    code, out = run("subnet", "show", "--netuid", str(netuid))
    assert code == 0 and env["op_hot"] in out
    code, out = run("subnet", "hyperparameters", "--netuid", "999")
    assert code == 1 and "SubNetworkDoesNotExist" in out


def test_subnet_burn_cost(env: dict[str, str]) -> None:
    cost = ok("subnet", "burn-cost")
    assert cost["lock_cost"] >= 10**9 and cost["lock_cost_tao"] == cost["lock_cost"] / 10**9
    code, out = run("subnet", "burn-cost")
    assert code == 0 and "Subnet lock cost" in out


def test_stake_add_list_remove_delegates_set_take(env: dict[str, str]) -> None:
    netuid = ok("subnet", "create", "--name", "op", "-y")["netuid"]
    ok("subnet", "register", "--netuid", str(netuid), "--name", "op", "-y")
    ok("stake", "add", "--amount", "100", "--name", "op", "-y")
    listing = ok("stake", "list", "--name", "op")
    assert listing["stakes"] == [{"hotkey_ss58": env["op_hot"], "coldkey_ss58": env["op_cold"], "stake": 100 * 10**9}]
    ok("stake", "remove", "--amount", "30", "--name", "op", "-y")
    assert ok("stake", "list", "--name", "op")["total"] == 70 * 10**9
    code, out = run("stake", "remove", "--amount", "1000", "--name", "op", "-y")
    assert code == 1 and "NotEnoughStakeToWithdraw" in out
    taken = ok("stake", "set-take", "--take", "0.1", "--name", "op", "-y")
    assert taken["success"]
    delegates = ok("stake", "delegates")
    mine = [d for d in delegates if d["hotkey_ss58"] == env["op_hot"]]
    assert mine and abs(mine[0]["take"] - 0.1) < 1e-3
    ok("stake", "remove", "--all", "--name", "op", "-y")
    assert ok("stake", "list", "--name", "op")["total"] == 0


def test_weights_set_commit_reveal_and_sudo(env: dict[str, str]) -> None:
    netuid = str(ok("subnet", "create", "--name", "op", "-y")["netuid"])
    ok("sudo", "set", "--netuid", netuid, "--param", "weights_set_rate_limit", "--value", "0", "--name", "op", "-y")
    ok("subnet", "register", "--netuid", netuid, "--name", "op", "-y")
    assert ok("weights", "set", "--netuid", netuid, "--uids", "0", "--weights", "1", "--name", "op")["success"]
    # tempo is root-only: the owner gets BadOrigin with a hint, sudo succeeds
    code, out = run("sudo", "set", "--netuid", netuid, "--param", "tempo", "--value", "3", "--name", "op", "-y")
    assert code == 1 and "BadOrigin" in out and "--sudo" in out
    ok("sudo", "set", "--netuid", netuid, "--param", "tempo", "--value", "3", "--sudo", "--name", "alice", "-y")
    assert ok("subnet", "hyperparameters", "--netuid", netuid)["tempo"] == 3
    code, out = run("sudo", "set", "--param", "warp", "--value", "1", "--name", "alice", "-y")
    assert code == 2 and "unknown parameter" in out
    ok("sudo", "set", "--netuid", netuid, "--param", "commit_reveal_weights_enabled", "--value", "true", "--name", "op", "-y")
    code, out = run("weights", "set", "--netuid", netuid, "--uids", "0", "--weights", "1", "--name", "op")
    assert code == 1 and "CommitRevealEnabled" in out and "commit" in out
    commit = ok("weights", "commit", "--netuid", netuid, "--uids", "0", "--weights", "1", "--salt", "9,8,7", "--name", "op")
    assert commit["salt"] == [9, 8, 7] and commit["commit_hash"].startswith("0x")
    from taonet.sdk.blocking import Subtensor

    import os

    with Subtensor(os.environ["TAONET_NETWORK"]) as st:
        for _ in range(40):
            code, out = run("weights", "reveal", "--netuid", netuid, "--uids", "0", "--weights", "1", "--salt", "9,8,7", "--name", "op", "--json")
            if code == 0 or "RevealTooEarly" not in out:
                break
            st.rpc("engine_createBlock", [True])
    assert code == 0, out


def test_root_register_weights_list(env: dict[str, str]) -> None:
    reg = ok("root", "register", "--name", "op", "-y")
    assert reg["success"]
    members = ok("root", "list")
    assert env["op_hot"] in [m["hotkey"] for m in members]
    code, out = run("root", "weights", "--netuids", "0,1", "--weights", "0.5", "--name", "op", "-y")
    assert code == 2 and "WeightVecNotEqualSize" in out
    code, out = run("root", "weights", "--netuids", "1", "--weights", "1", "--name", "op", "-y", "--json")
    doc = json.loads(out)
    # era A root weights need the hotkey's stake to count; either way the chain's answer is shown
    assert doc["success"] or doc["error"], out


def test_subnet_commit_and_commitments(env: dict[str, str]) -> None:
    netuid = str(ok("subnet", "create", "--name", "op", "-y")["netuid"])
    code, out = run("subnet", "commit", "--netuid", netuid, "--data", "repo/model:1", "--name", "op")
    assert code == 1 and "AccountNotAllowedCommit" in out and "register" in out  # not registered yet
    ok("subnet", "register", "--netuid", netuid, "--name", "op", "-y")
    text = "[bold]org/model:4f1c[/bold]"  # committed text is shown as it is, never as markup
    done = ok("subnet", "commit", "--netuid", netuid, "--data", text, "--name", "op")
    assert done["success"] and done["hotkey"] == env["op_hot"] and done["data"] == text
    listed = ok("subnet", "commitments", "--netuid", netuid)
    assert listed["netuid"] == int(netuid)
    assert [(c["hotkey"], c["uid"], c["data"]) for c in listed["commitments"]] == [(env["op_hot"], 0, text)]
    assert listed["commitments"][0]["block"] > 0
    code, out = run("subnet", "commitments", "--netuid", netuid)
    assert code == 0 and "[bold]" in out  # Rich would have swallowed it as markup
    code, out = run("subnet", "commit", "--netuid", netuid, "--data", "again", "--name", "op")
    assert code == 1 and "CommitmentSetRateLimitExceeded" in out
    code, out = run("subnet", "commit", "--netuid", netuid, "--data", "x" * 129, "--name", "op")
    assert code == 1 and "BadArgument" in out and "128" in out
    code, out = run("subnet", "commitments", "--netuid", "999")
    assert code == 1 and "SubNetworkDoesNotExist" in out


def test_subnet_fund(env: dict[str, str]) -> None:
    netuid = str(ok("subnet", "create", "--name", "op", "-y")["netuid"])
    before = ok("wallet", "balance", "--name", "op")
    done = ok("subnet", "fund", "--netuid", netuid, "--amount", "5", "--name", "op", "-y")
    assert done["success"] and done["netuid"] == int(netuid) and done["amount"] == done["data"] == 5 * 10**9
    assert done["extrinsic_fee"] > 0
    after = ok("wallet", "balance", "--name", "op")
    assert before["free"] - after["free"] == 5 * 10**9 + done["extrinsic_fee"]
    code, out = run("subnet", "fund", "--netuid", netuid, "--amount", "5", "--name", "alice", "-y")
    assert code == 1 and "NotSubnetOwner" in out
    code, out = run("subnet", "fund", "--netuid", netuid, "--amount", "1000000", "--name", "op", "-y")
    assert code == 1 and "NotEnoughBalanceToFund" in out
    code, out = run("subnet", "fund", "--netuid", "999", "--amount", "1", "--name", "op", "-y")
    assert code == 1 and "SubNetworkDoesNotExist" in out
