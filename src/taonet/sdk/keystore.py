"""Keyfiles on disk: where wallets live, how passwords reach them, what a wallet folder holds.

taonet does not invent a key format. Wallets use bittensor-wallet's layout and encryption
(``~/.bittensor/wallets/<name>/coldkey`` encrypted with NaCl secretbox + Argon2i,
``coldkeypub.txt``, ``hotkeys/<hotkey>`` and ``hotkeys/<hotkey>pub.txt``), read and written by
the ``bittensor_wallet`` package itself, so a wallet made by ``btcli`` works with taonet and
the reverse. This module holds what that package leaves to its callers:

* resolving the wallets folder (an explicit ``path``, else ``TAONET_WALLET_PATH``, else
  ``~/.bittensor/wallets``), so tests and scripts can point at a temporary directory;
* reading a coldkey password without a terminal: from an environment variable
  (``TAONET_PASSWORD`` by default) or a password file, because scripts and CI cannot answer
  a prompt;
* listing the wallets and hotkeys in a folder by reading only the public files (no password);
* silencing the "Encrypting..."/"Decrypting..." lines the native library prints (through
  Python's ``sys.stdout`` and, to be safe, file descriptor 1), which would otherwise corrupt
  ``--json`` output.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_WALLET_PATH = "~/.bittensor/wallets"
WALLET_PATH_ENV = "TAONET_WALLET_PATH"
PASSWORD_ENV = "TAONET_PASSWORD"


def wallets_root(path: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding one sub-folder per wallet.

    Args:
        path: An explicit folder; wins over the environment.

    Returns:
        The expanded folder (it may not exist yet).
    """
    chosen = path if path is not None else os.environ.get(WALLET_PATH_ENV) or DEFAULT_WALLET_PATH
    return Path(os.path.expanduser(os.fspath(chosen)))


def read_password(
    password_file: str | os.PathLike[str] | None = None, env_var: str = PASSWORD_ENV
) -> str | None:
    """A password for an encrypted keyfile, found without prompting.

    A password file wins over the environment (it is the more explicit choice). Only the
    trailing newline of the file is removed, so passwords may contain spaces.

    Returns:
        The password, or ``None`` when neither source provides one.
    """
    if password_file is not None:
        text = Path(password_file).read_text(encoding="utf-8")
        return text.rstrip("\r\n")
    value = os.environ.get(env_var)
    return value if value else None


@dataclass(frozen=True, slots=True)
class HotkeyEntry:
    """A hotkey file in a wallet: its name and (when readable) its SS58 address."""

    name: str
    ss58_address: str | None


@dataclass(frozen=True, slots=True)
class WalletEntry:
    """A wallet folder: its name, coldkey address (from ``coldkeypub.txt``) and hotkeys."""

    name: str
    path: str
    coldkey_ss58: str | None
    coldkey_encrypted: bool
    hotkeys: tuple[HotkeyEntry, ...] = field(default_factory=tuple)


def _ss58_from_json_file(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("ss58Address") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _is_encrypted(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return head.startswith((b"$NACL", b"$ANSIBLE_VAULT", b"gAAAAA"))


def list_wallets(path: str | os.PathLike[str] | None = None) -> list[WalletEntry]:
    """Every wallet under ``path``, read from public files only (no password needed).

    A hotkey's address comes from its ``<name>pub.txt`` when present, else from the
    plaintext hotkey file (hotkeys are unencrypted by default, as in btcli).
    """
    root = wallets_root(path)
    if not root.is_dir():
        return []
    entries: list[WalletEntry] = []
    for wallet_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        hot_dir = wallet_dir / "hotkeys"
        hotkeys: list[HotkeyEntry] = []
        if hot_dir.is_dir():
            for hk in sorted(hot_dir.iterdir()):
                if hk.name.endswith("pub.txt") or not hk.is_file():
                    continue
                pub = hot_dir / f"{hk.name}pub.txt"
                ss58 = _ss58_from_json_file(pub) if pub.exists() else _ss58_from_json_file(hk)
                hotkeys.append(HotkeyEntry(hk.name, ss58))
        coldkey = wallet_dir / "coldkey"
        entries.append(
            WalletEntry(
                name=wallet_dir.name,
                path=str(wallet_dir),
                coldkey_ss58=_ss58_from_json_file(wallet_dir / "coldkeypub.txt"),
                coldkey_encrypted=_is_encrypted(coldkey),
                hotkeys=tuple(hotkeys),
            )
        )
    return entries


@contextlib.contextmanager
def quiet_native_stdout() -> Iterator[None]:
    """Send file descriptor 1 to the null device for the duration of the block.

    bittensor-wallet's native code prints progress lines ("Decrypting...") with Rust's
    ``println!``, bypassing ``sys.stdout``; a JSON consumer of our CLI would choke on them.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # captured stdout (pytest, CliRunner)
        fd = 1
    try:
        sys.stdout.flush()
    except (AttributeError, ValueError):
        pass
    saved = os.dup(fd)
    try:
        with open(os.devnull, "wb") as null, open(os.devnull, "w") as text_null:
            os.dup2(null.fileno(), fd)
            with contextlib.redirect_stdout(text_null):  # the library may also print() via Python
                yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
