"""The writes of :class:`~taonet.sdk.subtensor.AsyncSubtensor`: validate, build the call, send.

Each method checks what the client can know before signing, as bittensor's extrinsic
functions do (a valid destination address, an amount above zero and within the balance, the
subnet exists, the hotkey is not already registered ...). A refused write comes back as an
:class:`ExtrinsicResponse` with ``success=False`` and a message naming the problem, without a
signature being made or a fee being paid; ``raise_error=True`` raises instead.

Every write takes bittensor 10's keyword-only ``wait_for_inclusion=True,
wait_for_finalization=False, period=128, raise_error=False`` (taonet's instant-finality dev
node makes finalization immediate, so the default differs from bittensor's only in cost),
and ``tip=0`` (rao paid on top of the fee for priority in the pool).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from taonet.primitives import calls as C
from taonet.primitives.balance import Balance
from taonet.primitives.crypto import is_valid_ss58, ss58_decode, weights_commit_hash
from taonet.sdk.chain_data import ip_to_int
from taonet.sdk.chain_errors import ValidationError, explain
from taonet.sdk.extrinsics import (
    DEFAULT_PERIOD,
    ExtrinsicResponse,
    coldkey_ss58,
    hotkey_ss58,
    sign_and_send,
)

if TYPE_CHECKING:
    from taonet.sdk.subtensor import SubtensorReads as _Base
else:
    _Base = object

U16_MAX = 65535


def _amount(value: Balance | int | float | None, what: str = "amount") -> Balance:
    """bittensor 10 wants ``Balance``; plain ints are rao, floats are TAO (v8's habit)."""
    if value is None:
        raise ValidationError("InvalidAmount", f"{what} is required")
    if isinstance(value, Balance):
        return value
    if isinstance(value, float):
        return Balance.from_tao(value)
    return Balance.from_rao(int(value))


def normalize_weights_u16(uids: Sequence[int], weights: Sequence[float]) -> tuple[list[int], list[int]]:
    """bittensor's ``convert_weights_and_uids_for_emit``: scale so the largest weight is
    65535 and drop zero weights (the chain stores u16 and normalises again itself)."""
    if len(uids) != len(weights):
        raise ValidationError("WeightVecNotEqualSize", f"{len(uids)} uids but {len(weights)} weights")
    if any(float(w) < 0 for w in weights):
        raise ValidationError("NegativeWeight", "weights must be non-negative")
    if any(int(u) < 0 or int(u) > U16_MAX for u in uids):
        raise ValidationError("UidVecContainInvalidOne", "uids must be in [0, 65535]")
    top = max((float(w) for w in weights), default=0.0)
    if top == 0:
        return [], []
    pairs = [(int(u), round(float(w) / top * U16_MAX)) for u, w in zip(uids, weights)]
    pairs = [(u, w) for u, w in pairs if w > 0]
    return [u for u, _ in pairs], [w for _, w in pairs]


class WritesMixin(_Base):
    """Write methods; mixed into AsyncSubtensor (``self`` is the client)."""

    async def _send(
        self,
        call: C.Call,
        signer: Any,
        sign_with: str,
        opts: dict[str, Any],
        success: str,
    ) -> ExtrinsicResponse:
        return await sign_and_send(
            self, call, signer, sign_with=sign_with,
            wait_for_inclusion=opts.get("wait_for_inclusion", True),
            wait_for_finalization=opts.get("wait_for_finalization", False),
            period=opts.get("period", DEFAULT_PERIOD),
            raise_error=opts.get("raise_error", False),
            on_status=opts.get("on_status"),
            function=opts.get("function"),
            success_message=success,
            tip=_amount(opts.get("tip", 0), "tip"),
        )  # fmt: skip

    @staticmethod
    def _refuse(exc: Exception, opts: dict[str, Any], function: str) -> ExtrinsicResponse:
        return ExtrinsicResponse.failure(exc, function, opts.get("raise_error", False))

    async def sign_and_send_extrinsic(
        self, call: C.Call, wallet: Any, sign_with: str = "coldkey", **opts: Any
    ) -> ExtrinsicResponse:
        """Sign and submit any call of the catalogue (``compose_call`` builds one)."""
        return await self._send(call, wallet, sign_with, opts, "Success")

    @staticmethod
    def compose_call(call_module: str, call_function: str, call_params: dict[str, Any]) -> C.Call:
        """A call by pallet and function name, as bittensor's ``compose_call``."""
        cls = C.CALLS.get(f"{call_module}.{call_function}")
        if cls is None:
            raise ValidationError("CannotLookup", f"no call {call_module}.{call_function} in this runtime")
        return C.call_from_dict({"call": f"{call_module}.{call_function}", "args": call_params})

    # ------------------------------------------------------------------ balances
    async def get_transfer_fee(
        self, wallet: Any, destination: str, amount: Balance | int | float, keep_alive: bool = True
    ) -> Balance:
        call = C.TransferKeepAlive(destination, _amount(amount).rao) if keep_alive else C.TransferAllowDeath(destination, _amount(amount).rao)
        return await self.get_extrinsic_fee(call, wallet.coldkeypub if hasattr(wallet, "coldkeypub") else wallet)

    async def transfer(
        self,
        wallet: Any,
        destination: str | None = None,
        amount: Balance | int | float | None = None,
        transfer_all: bool = False,
        keep_alive: bool = True,
        *,
        destination_ss58: str | None = None,
        **opts: Any,
    ) -> ExtrinsicResponse:
        """Send TAO from the wallet's coldkey (``Balances.transfer_keep_alive`` /
        ``transfer_allow_death`` / ``transfer_all``).

        Checked before signing: the destination is a valid SS58 address, the amount is
        positive, and balance >= amount + fee (+ the existential deposit with ``keep_alive``).
        """
        fn = "transfer_extrinsic"
        dest = destination_ss58 or destination
        try:
            if not dest or not is_valid_ss58(dest):
                raise ValidationError("InvalidDestination", f"{dest!r} is not a valid SS58 address")
            src = coldkey_ss58(wallet)
            free = await self.get_balance(src)
            if transfer_all:
                call: C.Call = C.TransferAll(dest, keep_alive)
            else:
                value = _amount(amount)
                if value.rao == 0:
                    raise ValidationError("ZeroAmount", "the amount must be above zero")
                call = C.TransferKeepAlive(dest, value.rao) if keep_alive else C.TransferAllowDeath(dest, value.rao)
                fee = await self.get_extrinsic_fee(call, wallet.coldkeypub) + _amount(opts.get("tip", 0), "tip")
                ed = (await self.get_existential_deposit()).rao if keep_alive else 0
                if free.rao < value.rao + fee.rao + ed:
                    raise ValidationError(
                        "InsufficientBalance",
                        f"InsufficientBalance: balance {free} < amount {value} + fee {fee}"
                        + (" (with the tip)" if opts.get("tip") else "")
                        + (f" + existential deposit {Balance.from_rao(ed)}" if ed else ""),
                    )
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        opts.setdefault("function", fn)
        return await self._send(call, wallet, "coldkey", opts, f"Transferred to {dest}")

    # ------------------------------------------------------------------ subnets and registration
    async def register_subnet(self, wallet: Any, **opts: Any) -> ExtrinsicResponse:
        """Create a subnet owned by the wallet's coldkey (``register_network``); ``data`` is
        the new netuid."""
        opts.setdefault("function", "register_subnet_extrinsic")
        resp = await self._send(C.RegisterNetwork(), wallet, "coldkey", opts, "Subnet registered")
        return _with_event_field(resp, "NetworkAdded", "netuid")

    async def burned_register(self, wallet: Any, netuid: int, **opts: Any) -> ExtrinsicResponse:
        """Register the wallet's hotkey on ``netuid`` by burning TAO from the coldkey
        (``root_register`` for netuid 0); ``data`` is the new uid."""
        if netuid == 0:
            return await self.root_register(wallet, **opts)
        fn = "burned_register_extrinsic"
        try:
            hotkey = hotkey_ss58(wallet)
            info = await self.get_subnet_info(netuid)
            if info is None:
                raise ValidationError("SubNetworkDoesNotExist", f"SubNetworkDoesNotExist: no subnet {netuid}")
            if await self.is_hotkey_registered_on_subnet(hotkey, netuid):
                uid = await self.get_uid_for_hotkey_on_subnet(hotkey, netuid)
                return ExtrinsicResponse(True, f"Already registered on subnet {netuid} (uid {uid})", fn, data=uid)
            free = await self.get_balance(coldkey_ss58(wallet))
            if free.rao < info.burn.rao:
                raise ValidationError(
                    "NotEnoughBalanceToStake", f"NotEnoughBalanceToStake: balance {free} < burn {info.burn}"
                )
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        opts.setdefault("function", fn)
        resp = await self._send(C.BurnedRegister(netuid, hotkey), wallet, "coldkey", opts, f"Registered on subnet {netuid}")
        return _with_event_field(resp, "NeuronRegistered", "uid")

    async def fund_subnet_emission(
        self, wallet: Any, netuid: int, amount: Balance | int | float | None = None, **opts: Any
    ) -> ExtrinsicResponse:
        """Add TAO from the subnet owner's coldkey to the subnet's reward pool
        (``fund_subnet_emission``, taonet's call for the seed proposal's owner top-ups): the
        subnet's next epoch pays it to miners and validators through Yuma, without the owner
        cut. ``data`` is the amount in rao.

        Checked before signing: the amount is above zero, the subnet exists (not the root
        network), the wallet's coldkey owns it, and balance >= amount + fee + the existential
        deposit.
        """
        fn = "fund_subnet_emission_extrinsic"
        try:
            value = _amount(amount)
            if value.rao == 0:
                raise ValidationError("FundingAmountIsZero", "FundingAmountIsZero: the amount must be above zero")
            info = await self.get_subnet_info(netuid) if netuid != 0 else None
            if info is None:
                raise ValidationError("SubNetworkDoesNotExist", f"SubNetworkDoesNotExist: no subnet {netuid}")
            cold = coldkey_ss58(wallet)
            if info.owner_ss58 != cold:
                raise ValidationError(
                    "NotSubnetOwner", f"NotSubnetOwner: subnet {netuid} is owned by {info.owner_ss58}, not {cold}"
                )
            call = C.FundSubnetEmission(netuid, value.rao)
            fee = await self.get_extrinsic_fee(call, wallet.coldkeypub) + _amount(opts.get("tip", 0), "tip")
            ed = await self.get_existential_deposit()
            free = await self.get_balance(cold)
            if free.rao < value.rao + fee.rao + ed.rao:
                raise ValidationError(
                    "NotEnoughBalanceToFund",
                    f"NotEnoughBalanceToFund: balance {free} < amount {value} + fee {fee} + existential deposit {ed}",
                )
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        opts.setdefault("function", fn)
        resp = await self._send(call, wallet, "coldkey", opts, f"Added {value} to the reward pool of subnet {netuid}")
        return _with_event_field(resp, "SubnetEmissionFunded", "amount")

    async def root_register(self, wallet: Any, **opts: Any) -> ExtrinsicResponse:
        """Register the wallet's hotkey on the root network (netuid 0)."""
        fn = "root_register_extrinsic"
        hotkey = hotkey_ss58(wallet)
        if await self.is_hotkey_registered_on_subnet(hotkey, 0):
            uid = await self.get_uid_for_hotkey_on_subnet(hotkey, 0)
            return ExtrinsicResponse(True, f"Already registered on root (uid {uid})", fn, data=uid)
        opts.setdefault("function", fn)
        resp = await self._send(C.RootRegister(hotkey), wallet, "coldkey", opts, "Registered on root")
        return _with_event_field(resp, "NeuronRegistered", "uid")

    # ------------------------------------------------------------------ stake
    async def add_stake(
        self,
        wallet: Any,
        netuid: int | None = None,
        hotkey_ss58: str | None = None,
        amount: Balance | int | float | None = None,
        **opts: Any,
    ) -> ExtrinsicResponse:
        """Stake TAO from the coldkey to a hotkey (default: the wallet's own).

        Era A stake is not per subnet; ``netuid`` is accepted (bittensor 10's position) and
        ignored.
        """
        fn = "add_stake_extrinsic"
        try:
            hotkey = hotkey_ss58 or _own_hotkey(wallet)
            if not is_valid_ss58(hotkey):
                raise ValidationError("InvalidHotkey", f"{hotkey!r} is not a valid SS58 address")
            value = _amount(amount)
            if value.rao == 0:
                raise ValidationError("StakeToWithdrawIsZero", "the amount must be above zero")
            free = await self.get_balance(coldkey_ss58(wallet))
            if free.rao < value.rao:
                raise ValidationError("NotEnoughBalanceToStake", f"NotEnoughBalanceToStake: balance {free} < amount {value}")
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        opts.setdefault("function", fn)
        return await self._send(C.AddStake(hotkey, value.rao), wallet, "coldkey", opts, f"Staked {value} to {hotkey}")

    async def unstake(
        self,
        wallet: Any,
        netuid: int | None = None,
        hotkey_ss58: str | None = None,
        amount: Balance | int | float | None = None,
        **opts: Any,
    ) -> ExtrinsicResponse:
        """Move stake from a hotkey back to the coldkey's free balance."""
        fn = "unstake_extrinsic"
        try:
            hotkey = hotkey_ss58 or _own_hotkey(wallet)
            staked = await self.get_stake(coldkey_ss58(wallet), hotkey)
            value = staked if amount is None else _amount(amount)
            if value.rao == 0:
                raise ValidationError("StakeToWithdrawIsZero", "StakeToWithdrawIsZero: nothing to unstake")
            if staked.rao < value.rao:
                raise ValidationError("NotEnoughStakeToWithdraw", f"NotEnoughStakeToWithdraw: staked {staked} < amount {value}")
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        opts.setdefault("function", fn)
        return await self._send(C.RemoveStake(hotkey, value.rao), wallet, "coldkey", opts, f"Unstaked {value} from {hotkey}")

    async def unstake_all(self, wallet: Any, hotkey_ss58: str | None = None, **opts: Any) -> ExtrinsicResponse:
        return await self.unstake(wallet, None, hotkey_ss58, None, **opts)

    async def become_delegate(self, wallet: Any, hotkey_ss58: str | None = None, **opts: Any) -> ExtrinsicResponse:
        opts.setdefault("function", "become_delegate_extrinsic")
        hotkey = hotkey_ss58 or _own_hotkey(wallet)
        return await self._send(C.BecomeDelegate(hotkey), wallet, "coldkey", opts, f"{hotkey} is a delegate")

    async def set_delegate_take(
        self, wallet: Any, hotkey_ss58: str | None, take: float, **opts: Any
    ) -> ExtrinsicResponse:
        """Set a delegate's take (a fraction, e.g. 0.09); picks ``increase_take`` or
        ``decrease_take`` from the current value, as bittensor does."""
        fn = "set_take_extrinsic"
        hotkey = hotkey_ss58 or _own_hotkey(wallet)
        if not 0 <= take <= 1:
            return self._refuse(ValidationError("InvalidTake", "take must be a fraction in [0, 1]"), opts, fn)
        take_u16 = round(take * U16_MAX)
        current = await self.get_delegate_take(hotkey)
        if current is None:
            return self._refuse(ValidationError("HotKeyAccountNotExists", f"{hotkey} is not a delegate"), opts, fn)
        current_u16 = round(current * U16_MAX)
        if take_u16 == current_u16:
            return ExtrinsicResponse(True, "Take unchanged", fn)
        call: C.Call = C.IncreaseTake(hotkey, take_u16) if take_u16 > current_u16 else C.DecreaseTake(hotkey, take_u16)
        opts.setdefault("function", fn)
        return await self._send(call, wallet, "coldkey", opts, f"Take set to {take:.2%}")

    # ------------------------------------------------------------------ weights
    async def set_weights(
        self,
        wallet: Any,
        netuid: int,
        uids: Sequence[int],
        weights: Sequence[float],
        version_key: int = 0,
        **opts: Any,
    ) -> ExtrinsicResponse:
        """Set the hotkey's weights on ``netuid`` (signed by the hotkey). Weights are floats
        or ints in any scale; they are normalised to u16 as bittensor does."""
        fn = "set_weights_extrinsic"
        try:
            w_uids, w_vals = normalize_weights_u16(list(uids), list(weights))
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        opts.setdefault("function", fn)
        call = C.SetWeights(netuid, tuple(w_uids), tuple(w_vals), int(version_key))
        return await self._send(call, wallet, "hotkey", opts, "Successfully set weights")

    async def commit_weights(
        self,
        wallet: Any,
        netuid: int,
        salt: Sequence[int],
        uids: Sequence[int],
        weights: Sequence[float],
        version_key: int = 0,
        **opts: Any,
    ) -> ExtrinsicResponse:
        """Commit the hash of weights (hash commit-reveal, no drand); reveal them later with
        the same ``salt`` and ``version_key``. ``data`` is the commit hash (hex)."""
        fn = "commit_weights_extrinsic"
        try:
            w_uids, w_vals = normalize_weights_u16(list(uids), list(weights))
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        hotkey = ss58_decode(hotkey_ss58(wallet))
        digest = weights_commit_hash(hotkey, netuid, w_uids, w_vals, [int(s) for s in salt], int(version_key))
        opts.setdefault("function", fn)
        resp = await self._send(C.CommitWeights(netuid, digest), wallet, "hotkey", opts, "Successfully committed weights")
        resp.data = "0x" + digest.hex()
        return resp

    async def reveal_weights(
        self,
        wallet: Any,
        netuid: int,
        uids: Sequence[int],
        weights: Sequence[float],
        salt: Sequence[int],
        version_key: int = 0,
        **opts: Any,
    ) -> ExtrinsicResponse:
        fn = "reveal_weights_extrinsic"
        try:
            w_uids, w_vals = normalize_weights_u16(list(uids), list(weights))
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        opts.setdefault("function", fn)
        call = C.RevealWeights(netuid, tuple(w_uids), tuple(w_vals), tuple(int(s) for s in salt), int(version_key))
        return await self._send(call, wallet, "hotkey", opts, "Successfully revealed weights")

    async def root_set_weights(
        self,
        wallet: Any,
        netuids: Sequence[int],
        weights: Sequence[float],
        version_key: int = 0,
        **opts: Any,
    ) -> ExtrinsicResponse:
        """Set the wallet hotkey's root weights over subnets (signed by the coldkey)."""
        fn = "set_root_weights_extrinsic"
        try:
            n_uids, n_vals = normalize_weights_u16(list(netuids), list(weights))
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        opts.setdefault("function", fn)
        call = C.SetRootWeights(0, hotkey_ss58(wallet), tuple(n_uids), tuple(n_vals), int(version_key))
        return await self._send(call, wallet, "coldkey", opts, "Successfully set root weights")

    # ------------------------------------------------------------------ serving
    async def serve_axon(
        self, netuid: int, axon: Any, certificate: bytes | None = None, **opts: Any
    ) -> ExtrinsicResponse:
        """Publish an axon's endpoint on ``netuid`` (signed by the axon's hotkey)."""
        info = axon.info()
        if info.ip in ("0.0.0.0", "127.0.0.1", "::", "::1"):
            exc = ValidationError("InvalidIpAddress", f"InvalidIpAddress: {info.ip} cannot be served")
            return self._refuse(ValidationError("InvalidIpAddress", str(exc) + ": " + explain("InvalidIpAddress").split(": ", 1)[1]), opts, "serve_axon_extrinsic")
        signer = getattr(axon, "keypair", None) or getattr(axon, "wallet", None)
        ip_type = int(info.ip_type)
        args = (netuid, int(info.version), ip_to_int(info.ip), int(info.port), ip_type, int(info.protocol))
        call: C.Call = C.ServeAxonTls(*args, 0, 0, certificate) if certificate else C.ServeAxon(*args)
        opts.setdefault("function", "serve_axon_extrinsic")
        return await self._send(call, signer, "hotkey", opts, f"Axon served at {info.ip}:{info.port}")

    # ------------------------------------------------------------------ admin
    async def set_hyperparameter(
        self, wallet: Any, netuid: int | None, name: str, value: Any, sudo: bool = False, **opts: Any
    ) -> ExtrinsicResponse:
        """Set a hyperparameter through its ``AdminUtils.sudo_set_<name>`` call.

        Subnet-level setters may be signed by the subnet owner's coldkey; chain-level ones
        need the sudo key (``sudo=True`` wraps the call in ``Sudo.sudo``).
        """
        fn = "sudo_set_hyperparameter_extrinsic"
        try:
            call = admin_call(name, netuid, value)
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        opts.setdefault("function", fn)
        if sudo:
            call = C.Sudo(call)
        return await self._send(call, wallet, "coldkey", opts, f"{name} set to {value}")


def admin_setters() -> dict[str, type[C.Call]]:
    """``{"tempo": SudoSetTempo, ...}``: every AdminUtils setter by its parameter name."""
    out: dict[str, type[C.Call]] = {}
    for qualified, cls in C.CALLS.items():
        pallet, name = qualified.split(".", 1)
        if pallet == "AdminUtils" and name.startswith("sudo_set_"):
            out[name.removeprefix("sudo_set_")] = cls
    return out


def admin_call(name: str, netuid: int | None, value: Any) -> C.Call:
    from dataclasses import fields

    key = name.removeprefix("sudo_set_")
    cls = admin_setters().get(key)
    if cls is None:
        raise ValidationError("UnknownHyperparameter", f"no AdminUtils setter for {name!r}; see `taonet sudo set --help`")
    kwargs: dict[str, Any] = {}
    value_fields = [f for f in fields(cls) if f.name != "netuid"]
    if any(f.name == "netuid" for f in fields(cls)):
        if netuid is None:
            raise ValidationError("NetuidRequired", f"{key} is a per-subnet parameter: pass a netuid")
        kwargs["netuid"] = int(netuid)
    if len(value_fields) != 1:
        raise ValidationError("UnsupportedSetter", f"{key} takes {len(value_fields)} values; use compose_call")
    field = value_fields[0]
    kwargs[field.name] = _coerce(value, field.type)
    return cls(**kwargs)


def _coerce(value: Any, annotation: Any) -> Any:
    text = str(annotation)
    if "bool" in text:
        if isinstance(value, str):
            if value.lower() in ("true", "1", "yes", "on"):
                return True
            if value.lower() in ("false", "0", "no", "off"):
                return False
            raise ValidationError("BadValue", f"{value!r} is not a boolean")
        return bool(value)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError("BadValue", f"{value!r} is not an integer") from None


def _own_hotkey(wallet: Any) -> str:
    return hotkey_ss58(wallet)


def _with_event_field(resp: ExtrinsicResponse, event: str, field: str) -> ExtrinsicResponse:
    r = resp.extrinsic_receipt
    if resp.success and r is not None:
        ev = r.event(event)
        if ev is not None:
            resp.data = ev.get("fields", {}).get(field)
    return resp


StatusCallback = Callable[[str], None]
