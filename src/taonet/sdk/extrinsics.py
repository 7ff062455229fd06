"""Signing, submitting and following extrinsics; what every write returns.

Every write of the client goes through :func:`sign_and_send`:

1. take the signer's keypair (coldkey or hotkey of a wallet, or a bare ``Keypair``);
2. fetch the next nonce (``system_accountNextIndex``, which counts the signer's transactions
   already in the pool), under a per-signer lock so two concurrent writes from one key in one
   client never take the same nonce;
3. bind the signature to this chain and runtime (genesis hash, spec and transaction version),
   to a mortality window anchored at the finalized head (``period`` blocks, bittensor's
   default 128; ``None`` = immortal) and to the ``tip`` (rao paid on top of the fee, and
   destroyed with it, for a place ahead of untipped transactions in the node's pool);
4. submit with ``author_submitAndWatchExtrinsic`` and follow the notifications until the
   extrinsic is in a block (``wait_for_inclusion``) or finalized (``wait_for_finalization``),
   or submit fire-and-forget with ``author_submitExtrinsic`` when neither is asked;
5. turn the outcome into an :class:`ExtrinsicResponse` whose ``message`` names the chain's
   error and says what to do (:mod:`taonet.sdk.chain_errors`).

Over HTTP (no subscriptions) step 4 polls new blocks for the extrinsic's hash instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from taonet.primitives.balance import Balance
from taonet.primitives.calls import Call, call_to_dict
from taonet.primitives.extrinsic import (
    IMMORTAL,
    Era,
    SignedExtrinsic,
    SigningContext,
    extrinsic_hash,
    sign_extrinsic,
)
from taonet.primitives.rpc import INVALID_TRANSACTION, RpcError, from_hex, to_hex
from taonet.sdk.chain_errors import ChainError, explain

if TYPE_CHECKING:
    from taonet.sdk.subtensor import SubtensorReads as AsyncSubtensor

DEFAULT_PERIOD = 128


@dataclass(frozen=True, slots=True)
class ExtrinsicReceipt:
    """Where and how an extrinsic landed.

    Attributes:
        extrinsic_hash: ``0x`` BLAKE2b-256 of the extrinsic bytes.
        block_hash: The block that included it (``None`` if not waited for).
        index: Its position in that block.
        success: Whether the call succeeded (a failed call is still included and pays its fee).
        error: The chain's error name on failure.
        fee: The fee paid, in rao.
        events: The extrinsic's events as JSON (``pallet``, ``name``, ``fields``).
        finalized: Whether finalization was observed.
    """

    extrinsic_hash: str
    block_hash: str | None = None
    index: int | None = None
    success: bool = True
    error: str | None = None
    error_pallet: str | None = None
    fee: int = 0
    events: tuple[dict[str, Any], ...] = ()
    finalized: bool = False

    def event(self, name: str) -> dict[str, Any] | None:
        """The first event called ``name`` (e.g. ``"NeuronRegistered"``), or ``None``."""
        for ev in self.events:
            if ev.get("name") == name:
                return ev
        return None


@dataclass(slots=True)
class ExtrinsicResponse:
    """The outcome of a write, shaped like bittensor 10's ``ExtrinsicResponse``.

    It unpacks as ``success, message = response`` and indexes as a 2-tuple, as in bittensor.
    ``error`` holds the exception (a :class:`ChainError` carrying the chain's error name) when
    ``success`` is false; ``data`` holds method-specific results (e.g. the new uid).
    """

    success: bool = True
    message: str | None = None
    extrinsic_function: str | None = None
    extrinsic: dict[str, Any] | None = None
    extrinsic_fee: Balance | None = None
    extrinsic_receipt: ExtrinsicReceipt | None = None
    mev_extrinsic: None = None
    transaction_tao_fee: Balance | None = None
    transaction_alpha_fee: Balance | None = None
    error: Exception | None = None
    data: Any = field(default=None)

    def __iter__(self) -> Any:
        yield self.success
        yield self.message

    def __getitem__(self, i: int) -> Any:
        return (self.success, self.message)[i]

    def __len__(self) -> int:
        return 2

    def __bool__(self) -> bool:
        return self.success

    @property
    def error_name(self) -> str | None:
        return getattr(self.error, "name", None) if self.error is not None else None

    def as_dict(self) -> dict[str, Any]:
        r = self.extrinsic_receipt
        return {
            "success": self.success,
            "message": self.message,
            "error": self.error_name or (str(self.error) if self.error else None),
            "extrinsic_function": self.extrinsic_function,
            "extrinsic": self.extrinsic,
            "extrinsic_fee": self.extrinsic_fee.rao if self.extrinsic_fee is not None else None,
            "extrinsic_hash": r.extrinsic_hash if r else None,
            "block_hash": r.block_hash if r else None,
            "data": self.data,
        }

    @classmethod
    def failure(
        cls, error: Exception, function: str | None = None, raise_error: bool = False
    ) -> "ExtrinsicResponse":
        if raise_error:
            raise error
        return cls(success=False, message=str(error), extrinsic_function=function, error=error)


# ---------------------------------------------------------------------------------------------
# keys


def signing_keypair(signer: Any, sign_with: str = "coldkey") -> Any:
    """The keypair that signs: ``wallet.coldkey`` / ``wallet.hotkey``, or a bare keypair."""
    if hasattr(signer, "sign") and hasattr(signer, "public_key"):
        return signer
    if sign_with not in ("coldkey", "hotkey"):
        raise ValueError("sign_with must be 'coldkey' or 'hotkey'")
    return getattr(signer, sign_with)


def coldkey_ss58(wallet: Any) -> str:
    """The wallet's coldkey address without unlocking it (coldkeypub.txt)."""
    if hasattr(wallet, "coldkeypub"):
        return str(wallet.coldkeypub.ss58_address)
    return str(wallet.ss58_address)


def hotkey_ss58(wallet: Any) -> str:
    if hasattr(wallet, "hotkey"):
        return str(wallet.hotkey.ss58_address)
    return str(wallet.ss58_address)


# ---------------------------------------------------------------------------------------------
# submission


def describe(xt: SignedExtrinsic) -> dict[str, Any]:
    d = call_to_dict(xt.call)
    d.update(nonce=xt.nonce, era={"period": xt.era.period, "birth": xt.era.birth}, hash=to_hex(xt.hash))
    return d


async def sign_and_send(
    client: "AsyncSubtensor",
    call: Call,
    signer: Any,
    *,
    sign_with: str = "coldkey",
    wait_for_inclusion: bool = True,
    wait_for_finalization: bool = False,
    period: int | None = DEFAULT_PERIOD,
    raise_error: bool = False,
    function: str | None = None,
    success_message: str | None = None,
    on_status: Callable[[str], None] | None = None,
    tip: Balance | int = 0,
) -> ExtrinsicResponse:
    """Sign ``call`` with ``signer`` and submit it (see the module docstring).

    Args:
        on_status: Called with ``"signing"``, ``"submitted"``, ``"ready"``, ``"in_block"``,
            ``"finalized"``: what a progress display shows.
        tip: Rao (or a :class:`Balance`) paid on top of the fee for priority in the pool.
    """
    function = function or f"{call.call_name}_extrinsic"
    try:
        keypair = signing_keypair(signer, sign_with)
    except Exception as exc:  # locked wallet, missing file, wrong password
        return ExtrinsicResponse.failure(exc, function, raise_error)
    status = on_status or (lambda _s: None)
    try:
        async with client._signer_lock(str(keypair.ss58_address)):
            status("signing")
            xt = await build_signed(client, call, keypair, period, tip=tip.rao if isinstance(tip, Balance) else int(tip))
            raw = to_hex(xt.encode())
            status("submitted")
            if not (wait_for_inclusion or wait_for_finalization):
                await client.rpc("author_submitExtrinsic", [raw])
                return ExtrinsicResponse(
                    True, "Not waiting for finalization or inclusion.", function, describe(xt),
                    extrinsic_receipt=ExtrinsicReceipt(to_hex(xt.hash)),
                )  # fmt: skip
            receipt = await _watch(client, raw, xt, wait_for_finalization, status)
    except RpcError as exc:
        return ExtrinsicResponse.failure(_pool_error(exc), function, raise_error)
    except ChainError as exc:
        return ExtrinsicResponse.failure(exc, function, raise_error)
    fee = Balance.from_rao(receipt.fee)
    if receipt.success:
        return ExtrinsicResponse(
            True, success_message or "Success", function, describe(xt), fee, receipt,
            transaction_tao_fee=fee,
        )  # fmt: skip
    err = ChainError(receipt.error or "Unknown", explain(receipt.error), receipt.error_pallet)
    if raise_error:
        raise err
    return ExtrinsicResponse(False, str(err), function, describe(xt), fee, receipt, error=err)


async def build_signed(
    client: "AsyncSubtensor", call: Call, keypair: Any, period: int | None, *, tip: int = 0
) -> SignedExtrinsic:
    """Nonce, era and signing context from the node, then the signature."""
    context = await client._signing_context()
    nonce = int(await client.rpc("system_accountNextIndex", [str(keypair.ss58_address)]))
    if period is None or period == 0:
        era, birth_hash = IMMORTAL, None
    else:
        head_hash = await client.rpc("chain_getFinalizedHead")
        header = await client.rpc("chain_getHeader", [head_hash])
        era = Era.mortal(int(header["number"], 16), period)
        birth_hash = from_hex(head_hash)
    return sign_extrinsic(keypair, call, nonce=nonce, context=context, era=era, birth_hash=birth_hash, tip=tip)


def _pool_error(exc: RpcError) -> ChainError:
    """A JSON-RPC rejection (1010 invalid, 1014 priority ...) as a ChainError with a name."""
    data = exc.data if isinstance(exc.data, dict) else {}
    name = data.get("error") or data.get("reason")
    if exc.code == 1014:
        name = name or "PriorityTooLow"
    if not name:
        name = "InvalidTransaction" if exc.code == INVALID_TRANSACTION else f"RpcError{exc.code}"
    detail = data.get("message") or data.get("detail") or exc.message
    pallet = data.get("errorPallet")
    if name == "CallFailed":
        # The pool dry-runs the call; its message names the error: "... fails with Pallet.Name".
        named = data.get("error") or str(detail or "").rsplit(" ", 1)[-1]
        if named:
            pallet, _, name = named.rpartition(".") if "." in named else (pallet, "", named)
            return ChainError(str(name), explain(str(name)) + " (refused by the pool; no fee paid)", pallet or None)
    return ChainError(str(name), explain(str(name), str(detail) if detail else None), pallet)


def _receipt_from(result: dict[str, Any], xt_hash: str, block_hash: str, finalized: bool) -> ExtrinsicReceipt:
    return ExtrinsicReceipt(
        extrinsic_hash=xt_hash,
        block_hash=block_hash,
        index=result.get("index"),
        success=bool(result.get("success")),
        error=result.get("error"),
        error_pallet=result.get("errorPallet"),
        fee=int(result.get("fee") or 0),
        events=tuple(result.get("events") or ()),
        finalized=finalized,
    )


async def _watch(
    client: "AsyncSubtensor",
    raw: str,
    xt: SignedExtrinsic,
    wait_for_finalization: bool,
    status: Callable[[str], None],
) -> ExtrinsicReceipt:
    xt_hash = to_hex(xt.hash)
    if not client.supports_subscriptions:
        return await _poll(client, raw, xt_hash, status)
    deadline = client.inclusion_timeout
    receipt: ExtrinsicReceipt | None = None
    async with client.transport.subscribe("author_submitAndWatchExtrinsic", [raw], "author_unwatchExtrinsic") as sub:
        while True:
            update = await sub.next(timeout=deadline)
            if update in ("ready", "future"):
                status(str(update))
                continue
            if update == "dropped":
                raise ChainError("Dropped", explain("Dropped", "the pool evicted the transaction"))
            if isinstance(update, dict):
                if "inBlock" in update:
                    receipt = _receipt_from(update.get("result") or {}, xt_hash, update["inBlock"], False)
                    status("in_block")
                    if not wait_for_finalization or not receipt.success:
                        return receipt
                elif "finalized" in update:
                    status("finalized")
                    if receipt is None:
                        receipt = await _find_receipt(client, xt_hash, update["finalized"])
                    return _finalized(receipt)
                elif "invalid" in update:
                    info = update["invalid"] or {}
                    reason = str(info.get("reason") or "Invalid")
                    raise ChainError(reason, explain(reason, info.get("message")))
                elif "retracted" in update:
                    receipt = None


def _finalized(r: ExtrinsicReceipt) -> ExtrinsicReceipt:
    return ExtrinsicReceipt(
        r.extrinsic_hash, r.block_hash, r.index, r.success, r.error, r.error_pallet, r.fee, r.events, True
    )


async def _find_receipt(client: "AsyncSubtensor", xt_hash: str, block_hash: str) -> ExtrinsicReceipt:
    """Rebuild a receipt from a block's extrinsics and events (used when polling)."""
    block = await client.rpc("chain_getBlock", [block_hash])
    extrinsics = block["block"]["extrinsics"] if block else []
    index = next((i for i, x in enumerate(extrinsics) if to_hex(extrinsic_hash(from_hex(x))) == xt_hash), None)
    if index is None:
        raise ChainError("NotInBlock", f"extrinsic {xt_hash} is not in block {block_hash}")
    events = await client.rpc("taonet_getBlockEvents", [block_hash])
    mine = [e for e in (events or {}).get("events", []) if isinstance(e.get("phase"), dict) and e["phase"].get("applyExtrinsic") == index]
    success, error, pallet, fee = True, None, None, 0
    for e in mine:
        if e.get("name") == "ExtrinsicFailed":
            success = False
            err = e.get("fields", {}).get("error")
            error = err.get("name") if isinstance(err, dict) else err
            pallet = err.get("pallet") if isinstance(err, dict) else None
        if e.get("name") == "TransactionFeePaid":
            fee = int(e.get("fields", {}).get("actual_fee") or e.get("fields", {}).get("fee") or 0)
    return ExtrinsicReceipt(xt_hash, block_hash, index, success, error, pallet, fee, tuple(mine), True)


async def _poll(client: "AsyncSubtensor", raw: str, xt_hash: str, status: Callable[[str], None]) -> ExtrinsicReceipt:
    """HTTP fallback: submit, then scan each new block for the extrinsic's hash."""
    start = int((await client.rpc("chain_getHeader"))["number"], 16)
    await client.rpc("author_submitExtrinsic", [raw])
    status("ready")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + client.inclusion_timeout
    seen = start
    while loop.time() < deadline:
        head = int((await client.rpc("chain_getHeader"))["number"], 16)
        for n in range(seen + 1, head + 1):
            h = await client.rpc("chain_getBlockHash", [n])
            try:
                receipt = await _find_receipt(client, xt_hash, h)
            except ChainError:
                continue
            status("in_block")
            return receipt
        seen = head
        await asyncio.sleep(0.05)
    raise ChainError("Timeout", f"extrinsic {xt_hash} was not included within {client.inclusion_timeout:.0f} s")


Submitter = Callable[..., Awaitable[ExtrinsicResponse]]
