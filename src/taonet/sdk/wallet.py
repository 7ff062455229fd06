"""Wallet: a coldkey and named hotkeys on disk, in bittensor-wallet's own format.

:class:`Wallet` *is* a ``bittensor_wallet.Wallet`` (a subclass), so everything a bittensor or
btcli user knows works unchanged (``create``, ``create_new_hotkey``, ``regenerate_coldkey``,
``coldkeypub``, ``hotkey`` ...) and a taonet wallet can be handed to the bittensor SDK. What
the subclass adds is what scripts and a local network need:

* ``path`` defaults to ``TAONET_WALLET_PATH`` when set, so tests never touch the real home;
* :meth:`from_uri` makes a development wallet (``//Alice``) in one call, unencrypted, because
  dev keys are public knowledge and a password would only slow tests down;
* :meth:`unlock` takes a password argument (or ``TAONET_PASSWORD``), and once unlocked the
  :attr:`coldkey` property returns the cached keypair instead of prompting again: a
  validator that signs weights every tempo must not block on a terminal.

Example:
    >>> w = Wallet.from_uri("//Alice", path=tmp)            # doctest: +SKIP
    >>> w.coldkeypub.ss58_address
    '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'
"""

from __future__ import annotations

import os
from typing import Any

import bittensor_wallet

from taonet.sdk.keystore import quiet_native_stdout, read_password, wallets_root

Keypair = bittensor_wallet.Keypair


class WalletError(Exception):
    """A wallet file is missing, unreadable, or the password is wrong."""


class Wallet(bittensor_wallet.Wallet):
    """A bittensor-compatible wallet (see the module docstring for what taonet adds).

    Args:
        name: Wallet folder name (default ``"default"``).
        hotkey: Hotkey file name (default ``"default"``).
        path: Folder of wallets (default ``TAONET_WALLET_PATH`` or ``~/.bittensor/wallets``).
        config: A bittensor-style config object (``config.wallet.name`` ...), optional.
    """

    _unlocked_coldkey: Keypair | None

    def __new__(
        cls,
        name: str | None = None,
        hotkey: str | None = None,
        path: str | os.PathLike[str] | None = None,
        config: Any | None = None,
    ) -> "Wallet":
        resolved = None if (path is None and config is not None) else str(wallets_root(path))
        obj: Wallet = super().__new__(cls, name, hotkey, resolved, config)  # type: ignore[call-arg]
        return obj

    def __init__(
        self,
        name: str | None = None,
        hotkey: str | None = None,
        path: str | os.PathLike[str] | None = None,
        config: Any | None = None,
    ) -> None:
        # The native base class is fully built by __new__; only our own state lives here.
        self._unlocked_coldkey = None

    def __repr__(self) -> str:
        return f"Wallet(name={self.name!r}, hotkey={self.hotkey_str!r}, path={self.path!r})"

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_uri(
        cls,
        uri: str,
        name: str | None = None,
        hotkey: str = "default",
        path: str | os.PathLike[str] | None = None,
        hotkey_uri: str | None = None,
        overwrite: bool = True,
    ) -> "Wallet":
        """A wallet whose keys come from secret URIs (``//Alice``), written unencrypted.

        Args:
            uri: The coldkey URI (``//Alice``, or a mnemonic with a derivation path).
            name: Folder name; defaults to the URI's name in lower case (``alice``).
            hotkey: Hotkey file name.
            path: Wallets folder.
            hotkey_uri: The hotkey URI; defaults to ``uri`` (what ``btcli wallet create
                --uri`` does), so the dev account is both coldkey and hotkey.
            overwrite: Replace existing files of the same name.
        """
        if not uri.startswith("//") and " " not in uri:
            uri = "//" + uri.capitalize()
        wallet = cls(name or uri.strip("/").split("/")[0].lower(), hotkey, path)
        wallet.create_coldkey_from_uri(uri, use_password=False, overwrite=overwrite, suppress=True)
        wallet.create_hotkey_from_uri(
            hotkey_uri or uri, use_password=False, overwrite=overwrite, suppress=True
        )
        return wallet

    # ------------------------------------------------------------------ state
    def coldkey_exists(self) -> bool:
        """Whether the wallet has a readable coldkeypub (enough to receive and query)."""
        return bool(self.coldkeypub_file.exists_on_device())

    def hotkey_exists(self) -> bool:
        return bool(self.hotkey_file.exists_on_device())

    def coldkey_is_encrypted(self) -> bool:
        return bool(self.coldkey_file.exists_on_device() and self.coldkey_file.is_encrypted())

    # ------------------------------------------------------------------ unlocking
    def unlock(self, password: str | None = None, password_file: str | None = None) -> Keypair:
        """Decrypt the coldkey once and keep it for later signing.

        The password comes from ``password``, else ``password_file``, else
        ``TAONET_PASSWORD``; an unencrypted coldkey needs none. Decryption (Argon2i with
        libsodium's SENSITIVE limits) takes seconds by design, so it is done once per process.

        Raises:
            WalletError: the coldkey is missing or the password is wrong.
        """
        if self._unlocked_coldkey is not None:
            return self._unlocked_coldkey
        if not self.coldkey_file.exists_on_device():
            raise WalletError(f"wallet {self.name!r} has no coldkey file under {self.path}")
        if self.coldkey_file.is_encrypted():
            secret = password if password is not None else read_password(password_file)
            if secret is None:
                raise WalletError(
                    f"the coldkey of wallet {self.name!r} is encrypted: pass a password, "
                    "a --password-file, or set TAONET_PASSWORD"
                )
            try:
                with quiet_native_stdout():
                    key = self.get_coldkey(password=secret)
            except Exception as exc:  # the native KeyFileError is not importable by name
                raise WalletError(f"cannot decrypt the coldkey of {self.name!r}: {exc}") from exc
        else:
            key = super().coldkey
        self._unlocked_coldkey = key
        return key

    @property
    def coldkey(self) -> Keypair:
        """The coldkey keypair; decrypted once (see :meth:`unlock`), never re-prompted.

        With no cached key and an encrypted file, ``TAONET_PASSWORD`` is tried before
        falling back to bittensor-wallet's interactive prompt.
        """
        if self._unlocked_coldkey is not None:
            return self._unlocked_coldkey
        if self.coldkey_is_encrypted() and read_password() is not None:
            return self.unlock()
        key = super().coldkey
        self._unlocked_coldkey = key
        return key
