"""Wallets are bittensor-wallet's files: btcli-made wallets load in taonet and the reverse.

Encrypted coldkeys use Argon2i with libsodium's SENSITIVE limits (seconds per operation), so
only one test encrypts; the others use unencrypted coldkeys.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import bittensor_wallet as bw
import pytest

from taonet import Wallet as TopLevelWallet
from taonet.sdk.keystore import list_wallets, read_password, wallets_root
from taonet.sdk.wallet import Wallet, WalletError

ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def test_wallet_made_by_bittensor_wallet_loads_in_taonet(tmp_path: Path) -> None:
    theirs = bw.Wallet(name="btcli-made", hotkey="miner", path=str(tmp_path))
    theirs.create_new_coldkey(use_password=False, suppress=True)
    theirs.create_new_hotkey(use_password=False, suppress=True)

    ours = Wallet(name="btcli-made", hotkey="miner", path=tmp_path)
    assert ours.coldkeypub.ss58_address == theirs.coldkeypub.ss58_address
    assert ours.hotkey.ss58_address == theirs.hotkey.ss58_address
    assert ours.coldkey.public_key == theirs.coldkey.public_key
    msg = b"interop"
    assert theirs.coldkey.verify(msg, ours.coldkey.sign(msg))


def test_wallet_made_by_taonet_loads_in_bittensor_wallet(tmp_path: Path) -> None:
    ours = Wallet(name="taonet-made", hotkey="validator", path=tmp_path)
    ours.create_new_coldkey(use_password=False, suppress=True)
    ours.create_new_hotkey(use_password=False, suppress=True)
    assert isinstance(ours, bw.Wallet)

    theirs = bw.Wallet(name="taonet-made", hotkey="validator", path=str(tmp_path))
    assert theirs.coldkeypub.ss58_address == ours.coldkeypub.ss58_address
    assert theirs.hotkey.ss58_address == ours.hotkey.ss58_address
    # the on-disk layout btcli expects
    folder = tmp_path / "taonet-made"
    assert (folder / "coldkey").is_file() and (folder / "hotkeys" / "validator").is_file()
    pub = json.loads((folder / "coldkeypub.txt").read_text())
    assert pub["ss58Address"] == ours.coldkeypub.ss58_address


def test_encrypted_coldkey_round_trip_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = bw.Wallet(name="enc", hotkey="default", path=str(tmp_path))
    theirs.create_new_coldkey(use_password=True, coldkey_password="correct horse", suppress=True)
    ours = Wallet(name="enc", path=tmp_path)
    assert ours.coldkey_is_encrypted()
    with pytest.raises(WalletError, match="encrypted"):
        ours.unlock()
    with pytest.raises(WalletError, match="cannot decrypt"):
        ours.unlock(password="wrong")
    monkeypatch.setenv("TAONET_PASSWORD", "correct horse")
    key = ours.coldkey  # from the env var, no prompt
    assert key.ss58_address == theirs.coldkeypub.ss58_address
    assert ours.coldkey is key  # decrypted once, then cached


def test_dev_uri_wallet_and_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    w = Wallet.from_uri("//Alice", path=tmp_path)
    assert w.name == "alice"
    assert w.coldkey.ss58_address == ALICE and w.hotkey.ss58_address == ALICE
    assert not w.coldkey_is_encrypted()
    assert Wallet.from_uri("bob", path=tmp_path).name == "bob"
    monkeypatch.setenv("TAONET_WALLET_PATH", str(tmp_path / "elsewhere"))
    assert Wallet("x").path == str(tmp_path / "elsewhere")
    assert wallets_root(None) == tmp_path / "elsewhere"
    assert TopLevelWallet is Wallet


def test_list_wallets_reads_public_files_only(tmp_path: Path) -> None:
    Wallet.from_uri("//Alice", path=tmp_path, hotkey="h1")
    entries = list_wallets(tmp_path)
    assert [e.name for e in entries] == ["alice"]
    assert entries[0].coldkey_ss58 == ALICE
    assert [(h.name, h.ss58_address) for h in entries[0].hotkeys] == [("h1", ALICE)]
    assert list_wallets(tmp_path / "missing") == []


def test_read_password_file_beats_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAONET_PASSWORD", "from-env")
    f = tmp_path / "pw"
    f.write_text("from file with spaces\n")
    assert read_password(str(f)) == "from file with spaces"
    assert read_password() == "from-env"
    monkeypatch.delenv("TAONET_PASSWORD")
    assert read_password() is None
