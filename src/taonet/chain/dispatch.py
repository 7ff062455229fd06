"""
Dispatch
========

Maps each call class of :mod:`taonet.primitives.calls` to its handler and its dispatch info
(weight, who pays), the way ``construct_runtime!`` and ``#[pallet::weight]`` do in Substrate.

Origins. A handler receives an :class:`Origin`: *signed* by an account, *root* (the sudo key's
``Sudo.sudo``, the scheduler, an approved council motion going through
``SubtensorModule.sudo``) or *council* (an approved triumvirate motion). Guards
``ensure_signed`` / ``ensure_root`` raise ``BadOrigin`` like FRAME's.

Arguments. Calls arrive from the outside world, so their arguments are checked against the
width of the Rust type before any handler runs (:func:`check_call_arguments`): a ``u16`` above
65535, a negative amount, an undecodable account or a commitment beyond its bounds (more than
``MaxFields`` fields, a raw field over 128 bytes) would have failed SCALE decoding on the real
chain, so here they make the transaction *invalid* (not included, no fee), never an exception.

Fees (era A). ``fee = weight_to_fee(ExtrinsicBaseWeight + call weight) + length`` for calls
declared ``Pays::Yes``; nothing for ``Pays::No`` calls (most Subtensor calls in era A). The fee
is withdrawn before dispatch keeping the payer alive, and destroyed: ``TotalIssuance`` is
reduced by it (``TransactionFeeHandler``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Callable, get_type_hints

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id
from taonet.primitives.types import U16_MAX, U32_MAX, U64_MAX, U128_MAX
from taonet.primitives.views import CommitmentInfo

from . import params as P
from .errors import DispatchError
from .state import ChainState


@dataclass(frozen=True, slots=True)
class Origin:
    """Who dispatches a call: ``kind`` is ``"signed"``, ``"root"`` or ``"council"``.

    A council origin is ``pallet_collective``'s ``Members(yes, seats)``: an approved motion
    with ``yes`` ayes out of ``seats`` senators.
    """

    kind: str
    who: bytes | None = None
    yes: int = 0
    seats: int = 0

    @property
    def is_root(self) -> bool:
        return self.kind == "root"


ROOT = Origin("root")
COUNCIL = Origin("council")


def signed(who: bytes) -> Origin:
    return Origin("signed", who)


def ensure_signed(origin: Origin) -> bytes:
    """The signer's account id; ``BadOrigin`` for root/council origins."""
    if origin.kind != "signed" or origin.who is None:
        raise DispatchError("BadOrigin")
    return origin.who


def ensure_root(origin: Origin) -> None:
    if origin.kind != "root":
        raise DispatchError("BadOrigin")


Handler = Callable[[ChainState, Origin, Any], None]


@dataclass(frozen=True, slots=True)
class DispatchInfo:
    """How a call is dispatched: its handler, declared ref-time weight and fee policy."""

    handler: Handler
    weight: int
    pays_fee: bool
    operational: bool = False


HANDLERS: dict[type, DispatchInfo] = {}


def handles(
    call_type: type, *, weight: int = 0, reads: int = 0, writes: int = 0, pays_fee: bool = False,
    operational: bool = False,
) -> Callable[[Handler], Handler]:
    """Register ``fn`` as the handler of ``call_type`` (decorator)."""

    def wrap(fn: Handler) -> Handler:
        total = weight + reads * P.DB_READ_WEIGHT + writes * P.DB_WRITE_WEIGHT
        HANDLERS[call_type] = DispatchInfo(fn, total, pays_fee, operational)
        return fn

    return wrap


def get_dispatch_info(call: C.Call) -> DispatchInfo | None:
    return HANDLERS.get(type(call))


# --------------------------------------------------------------------------------------------
# fees
# --------------------------------------------------------------------------------------------


def compute_weight_fee(weight: int) -> int:
    """``LinearWeightToFee``: 0.0005 rao per unit of ref-time weight."""
    return weight * P.WEIGHT_TO_FEE_PARTS_PER_BILLION // 1_000_000_000


def estimate_call_length(call: Any) -> int:
    """Approximate SCALE length of a call: 2 index bytes plus its arguments."""
    n = 2
    for f in fields(call):
        n += _scale_len(getattr(call, f.name))
    return n


def _scale_len(v: Any) -> int:
    if isinstance(v, bool):
        return 1
    if isinstance(v, int):
        return 1 if v < 1 << 6 else 2 if v < 1 << 14 else 4 if v < 1 << 30 else 9
    if isinstance(v, str):
        return 33  # an address: MultiAddress::Id + 32 bytes
    if isinstance(v, bytes):
        return 33 if len(v) == 32 else 1 + len(v)
    if isinstance(v, tuple):
        return 1 + sum(_scale_len(x) for x in v)
    if isinstance(v, C.Call):
        return estimate_call_length(v)
    return 1


def compute_fee(call: C.Call, length: int | None = None) -> int:
    """Fee in rao of a signed extrinsic carrying ``call`` (0 for ``Pays::No`` calls)."""
    info = HANDLERS.get(type(call))
    if info is None or not info.pays_fee:
        return 0
    if length is None:
        length = P.SIGNED_EXTRINSIC_OVERHEAD_BYTES + estimate_call_length(call)
    return compute_weight_fee(P.EXTRINSIC_BASE_WEIGHT + info.weight) + length * P.LENGTH_FEE_PER_BYTE


# --------------------------------------------------------------------------------------------
# argument checks (what SCALE decoding would refuse)
# --------------------------------------------------------------------------------------------

_U8 = {"ip_type", "protocol", "placeholder1", "placeholder2"}
_U32 = {"version", "index", "threshold", "length_bound", "duration"}
_U128 = {"ip"}
_U16 = {
    "netuid", "take", "port", "tempo", "kappa", "rho", "immunity_period", "min_allowed_weights",
    "max_allowed_uids", "max_weight_limit", "activity_cutoff", "target_registrations_per_interval",
    "max_allowed_validators", "max_registrations_per_block", "subnet_owner_cut", "max_subnets",
    "default_take", "adjustment_interval", "alpha_low", "alpha_high",
}  # fmt: skip
_U16_SEQ = {"dests", "weights", "uids", "values", "salt", "netuids", "uids_list", "values_list", "salts_list"}
_U64_SEQ = {"version_keys"}
_ACCOUNT_FIELDS_CACHE: dict[type, tuple[tuple[str, str], ...]] = {}


def _field_kinds(cls: type) -> tuple[tuple[str, str], ...]:
    kinds = _ACCOUNT_FIELDS_CACHE.get(cls)
    if kinds is None:
        hints = get_type_hints(cls, vars(C))
        out = []
        for f in fields(cls):
            hint = hints.get(f.name)
            if hint == C.AccountLike:
                kind = "account"
            elif hint is CommitmentInfo:
                kind = "commitment_info"
            elif f.name in _U8:
                kind = "u8"
            elif f.name in _U16:
                kind = "u16"
            elif f.name in _U32:
                kind = "u32"
            elif f.name in _U128:
                kind = "u128"
            elif hints.get(f.name) is bool:
                kind = "bool"
            elif hints.get(f.name) is bytes:
                kind = "bytes"
            elif hints.get(f.name) is int:
                kind = "u64"
            else:
                kind = "any"
            out.append((f.name, kind))
        kinds = _ACCOUNT_FIELDS_CACHE[cls] = tuple(out)
    return kinds


_INT_LIMITS = {"u8": 0xFF, "u16": U16_MAX, "u32": U32_MAX, "u64": U64_MAX, "u128": U128_MAX}


def check_call_arguments(call: Any) -> str | None:
    """``None`` if every argument fits its Rust type, else a short description of the first
    that does not."""
    for name, kind in _field_kinds(type(call)):
        v = getattr(call, name)
        if kind == "account":
            try:
                to_account_id(v)
            except (ValueError, TypeError):
                return f"{name}: not an account"
        elif kind in _INT_LIMITS:
            if type(v) is not int or not 0 <= v <= _INT_LIMITS[kind]:
                return f"{name}: not a {kind}"
        elif kind == "bool":
            if type(v) is not bool:
                return f"{name}: not a bool"
        elif kind == "bytes":
            if not isinstance(v, bytes):
                return f"{name}: not bytes"
        elif kind == "commitment_info":
            problem = C.commitment_info_problem(v, P.COMMITMENT_MAX_FIELDS)
            if problem:
                return f"{name}: {problem}"
        elif isinstance(v, C.Call):
            inner = check_call_arguments(v)
            if inner:
                return f"{name}.{inner}"
        elif name in _U16_SEQ or name in _U64_SEQ:
            limit = U16_MAX if name in _U16_SEQ else U64_MAX
            if not isinstance(v, tuple) or not _ints_within(v, limit):
                return f"{name}: not a sequence of integers within range"
        elif name == "commit_hashes":
            if not isinstance(v, tuple) or any(not isinstance(x, bytes) for x in v):
                return f"{name}: not a sequence of hashes"
        elif isinstance(v, tuple):
            problem = _check_nested(name, v)
            if problem:
                return problem
    return None


def _ints_within(v: tuple[Any, ...], limit: int) -> bool:
    for x in v:
        if isinstance(x, tuple):
            if not _ints_within(x, limit):
                return False
        elif type(x) is not int or not 0 <= x <= limit:
            return False
    return True


def _check_nested(name: str, v: tuple[Any, ...]) -> str | None:
    """Nested sequences: weights pairs (u16), salts, children (u64, account), keys (u64)."""
    for x in v:
        if isinstance(x, tuple):
            problem = _check_nested(name, x)
            if problem:
                return problem
        elif isinstance(x, bool):
            return f"{name}: unexpected bool"
        elif isinstance(x, int):
            if not 0 <= x <= U64_MAX:
                return f"{name}: integer out of range"
        elif isinstance(x, (str, bytes)):
            if name in ("children",):
                try:
                    to_account_id(x)
                except ValueError:
                    return f"{name}: not an account"
            elif not isinstance(x, bytes):
                return f"{name}: unexpected text"
        else:
            return f"{name}: unexpected {type(x).__name__}"
    return None


def dispatch_call(state: ChainState, origin: Origin, call: C.Call) -> None:
    """Run a call's handler (no transaction, no fee): the building block of sudo, the
    scheduler and council motions."""
    info = HANDLERS.get(type(call))
    if info is None:
        raise DispatchError("Unimplemented")
    info.handler(state, origin, call)
