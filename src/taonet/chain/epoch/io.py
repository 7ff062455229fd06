"""
The one-epoch JSON contract
===========================

Parsing and validation of the ``taonet yuma epoch`` input format, and rendering of its
output (see ``docs/yuma.md``). Validation happens before any computation, and every error
names the offending field with a JSON-path-like locator (``stake[3]``,
``weights_stored_u16[2][0]``, ``hyperparameters.kappa_u16``), so that a person can fix the
input from the message alone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from taonet.chain.epoch.types import DEFAULT_PARAMS, ERAS, EpochInputs, EpochOutputs, EpochParams, Era, SparseRow

U16_MAX = 65535
U64_MAX = (1 << 64) - 1

INPUT_FIELDS = (
    "era",
    "hyperparameters",
    "rao_emission",
    "current_block",
    "stake",
    "last_update",
    "block_at_registration",
    "validator_permit_before",
    "weights_stored_u16",
    "bonds_stored_u16_before",
)
PER_UID_FIELDS = (
    "last_update",
    "block_at_registration",
    "validator_permit_before",
    "weights_stored_u16",
    "bonds_stored_u16_before",
)

# Hyperparameter key -> (kind, lower bound, upper bound) for validation.
_INT_BOUNDS: dict[str, tuple[int, int]] = {
    "tempo": (0, U16_MAX),
    "activity_cutoff_blocks": (0, U64_MAX),
    "kappa_u16": (0, U16_MAX),
    "bonds_penalty_u16": (0, U16_MAX),
    "bonds_moving_average": (0, U64_MAX),
    "max_allowed_validators": (0, U16_MAX),
    "stake_threshold": (0, U64_MAX),
    "alpha_low_u16": (0, U16_MAX),
    "alpha_high_u16": (0, U16_MAX),
    "alpha_sigmoid_steepness": (-32768, 32767),
    "last_mechanism_step_block": (0, U64_MAX),
}
_BOOL_KEYS = ("liquid_alpha_enabled", "yuma3_enabled")


class EpochInputError(ValueError):
    """Bad epoch input. ``field`` locates the problem; the message says what is wrong."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _int(value: object, field: str, lo: int, hi: int) -> int:
    if not _is_int(value):
        raise EpochInputError(field, f"expected an integer, got {type(value).__name__} {value!r}"[:200])
    assert isinstance(value, int)
    if value < lo:
        raise EpochInputError(field, f"{value} is below {lo}" if lo != 0 else f"{value} is negative")
    if value > hi:
        raise EpochInputError(field, f"{value} is above {hi}")
    return value


def _bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise EpochInputError(field, f"expected true or false, got {value!r}"[:200])
    return value


def _list(value: object, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise EpochInputError(field, f"expected a list, got {type(value).__name__}")
    return value


def _rows(value: object, field: str, n: int) -> tuple[SparseRow, ...]:
    rows = _list(value, field)
    if len(rows) != n:
        raise EpochInputError(field, f"has {len(rows)} rows but stake has {n} uids")
    out: list[SparseRow] = []
    for i, row in enumerate(rows):
        entries = _list(row, f"{field}[{i}]")
        seen: set[int] = set()
        parsed: list[tuple[int, int]] = []
        for k, pair in enumerate(entries):
            where = f"{field}[{i}][{k}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise EpochInputError(where, "expected a [uid, u16] pair")
            uid = pair[0]
            if not _is_int(uid):
                raise EpochInputError(where, f"uid must be an integer, got {uid!r}"[:200])
            if not 0 <= uid < n:
                raise EpochInputError(where, f"uid {uid} is out of range (n = {n})")
            if uid in seen:
                raise EpochInputError(where, f"uid {uid} appears twice in the row")
            seen.add(uid)
            val = _int(pair[1], where, 0, U16_MAX)
            parsed.append((uid, val))
        out.append(tuple(parsed))
    return tuple(out)


def parse_params(raw: object, era: Era) -> tuple[EpochParams, int | None]:
    """Hyperparameters over the era's defaults; also returns an embedded ``rao_emission``."""
    if raw is None:
        return DEFAULT_PARAMS[era], None
    if not isinstance(raw, dict):
        raise EpochInputError("hyperparameters", "expected an object")
    changes: dict[str, object] = {}
    emission = None
    known = set(EpochParams.names())
    for key, value in raw.items():
        field = f"hyperparameters.{key}"
        if key == "rao_emission":
            emission = _int(value, field, 0, U64_MAX)
        elif key not in known:
            raise EpochInputError(field, f"unknown hyperparameter (known: {', '.join(sorted(known))})")
        elif key in _BOOL_KEYS:
            changes[key] = _bool(value, field)
        elif key == "owner_uid":
            changes[key] = None if value is None else _int(value, field, 0, U16_MAX)
        else:
            lo, hi = _INT_BOUNDS[key]
            changes[key] = _int(value, field, lo, hi)
    return replace(DEFAULT_PARAMS[era], **changes), emission  # type: ignore[arg-type]


def parse_input(obj: object) -> EpochInputs:
    """Validate one input object (or a shipped case ``{"input": {...}}``) into EpochInputs."""
    if isinstance(obj, dict) and "input" in obj and "stake" not in obj:
        obj = obj["input"]
    if not isinstance(obj, dict):
        raise EpochInputError("input", "expected a JSON object")
    for key in obj:
        if key not in INPUT_FIELDS:
            raise EpochInputError(str(key), f"unknown field (known: {', '.join(INPUT_FIELDS)})")
    era = obj.get("era", "main")
    if era not in ERAS:
        raise EpochInputError("era", f"must be one of {', '.join(ERAS)}, got {era!r}"[:200])
    params, embedded_emission = parse_params(obj.get("hyperparameters"), era)
    if "rao_emission" in obj:
        rao_emission = _int(obj["rao_emission"], "rao_emission", 0, U64_MAX)
    elif embedded_emission is not None:
        rao_emission = embedded_emission
    else:
        raise EpochInputError("rao_emission", "missing field")
    for key in ("current_block", "stake", *PER_UID_FIELDS):
        if key not in obj:
            raise EpochInputError(key, "missing field")
    current_block = _int(obj["current_block"], "current_block", 0, U64_MAX)
    stake_list = _list(obj["stake"], "stake")
    n = len(stake_list)
    stake = tuple(_int(s, f"stake[{i}]", 0, U64_MAX) for i, s in enumerate(stake_list))
    per_uid: dict[str, list[Any]] = {}
    for key in ("last_update", "block_at_registration", "validator_permit_before"):
        values = _list(obj[key], key)
        if len(values) != n:
            raise EpochInputError(key, f"has {len(values)} entries but stake has {n} uids")
        per_uid[key] = values
    last_update = tuple(_int(v, f"last_update[{i}]", 0, U64_MAX) for i, v in enumerate(per_uid["last_update"]))
    registered = tuple(
        _int(v, f"block_at_registration[{i}]", 0, U64_MAX) for i, v in enumerate(per_uid["block_at_registration"])
    )
    permits = tuple(
        _bool(v, f"validator_permit_before[{i}]") for i, v in enumerate(per_uid["validator_permit_before"])
    )
    weights = _rows(obj["weights_stored_u16"], "weights_stored_u16", n)
    bonds = _rows(obj["bonds_stored_u16_before"], "bonds_stored_u16_before", n)
    if params.owner_uid is not None and params.owner_uid >= n and era == "main":
        raise EpochInputError("hyperparameters.owner_uid", f"uid {params.owner_uid} is out of range (n = {n})")
    return EpochInputs(
        era=era,
        params=params,
        rao_emission=rao_emission,
        current_block=current_block,
        stake=stake,
        last_update=last_update,
        block_at_registration=registered,
        validator_permit_before=permits,
        weights=weights,
        bonds=bonds,
    )


def render_output(out: EpochOutputs, era: Era, *, debug: bool = False) -> dict[str, object]:
    """The output object of the contract (``rank_u16``/``trust_u16``/``pruning_scores_u16``
    on dec2024 only); ``debug`` adds the fixed-point bits of the main vectors."""
    doc: dict[str, object] = {
        "consensus_u16": list(out.consensus_u16),
        "incentive_u16": list(out.incentive_u16),
        "dividends_u16": list(out.dividends_u16),
        "validator_trust_u16": list(out.validator_trust_u16),
        "server_emission": list(out.server_emission),
        "validator_emission": list(out.validator_emission),
        "emission": list(out.emission),
        "new_validator_permit": list(out.new_validator_permit),
        "bonds_stored_u16_after": [[[j, v] for j, v in row] for row in out.bonds],
        "active": list(out.active),
        "stake_weight_u16": list(out.stake_weight_u16),
    }
    if era == "dec2024":
        doc["rank_u16"] = list(out.rank_u16 or ())
        doc["trust_u16"] = list(out.trust_u16 or ())
        doc["pruning_scores_u16"] = list(out.pruning_scores_u16 or ())
    if debug:
        doc["debug"] = out.debug
    return doc
