"""
Constants and storage defaults (era A, Subtensor tag v1.2.3, runtime spec 217)
=============================================================================

Everything the chain treats as a number lives here, named as in Subtensor's
``runtime/src/lib.rs`` (``parameter_types!``) and ``pallets/subtensor/src/lib.rs``
(``#[pallet::type_value]`` defaults). Values that Subtensor keeps in *storage* (and that root
can change) are only the *defaults* of those storage items; the live value is always read from
the state. Presets (see :mod:`taonet.chain.genesis`) override storage, never these constants.
"""

from __future__ import annotations

from taonet.primitives.types import RAO_PER_TAO, U16_MAX, U64_MAX

SPEC_VERSION = 217
ERA = "dec2024"

# -- chain level ------------------------------------------------------------------------------
EXISTENTIAL_DEPOSIT = 500
"""Accounts whose free balance would fall below this are reaped; the dust is destroyed."""
TOTAL_SUPPLY = 21_000_000 * RAO_PER_TAO
"""``TotalSupply``: the hard cap of TAO issuance (rao)."""
DEFAULT_BLOCK_EMISSION = 1 * RAO_PER_TAO
"""``DefaultBlockEmission``: 1 TAO per block before the first halving."""
MILLISECS_PER_BLOCK = 12_000
SS58_PREFIX = 42

# -- transaction fees (pallet_transaction_payment with LinearWeightToFee) ------------------------
WEIGHT_TO_FEE_PARTS_PER_BILLION = 500_000
"""``LinearWeightToFee``: ``Perbill(500_000)`` = 0.0005 rao per unit of ref-time weight."""
EXTRINSIC_BASE_WEIGHT = 125_000_000
"""Substrate's ``ExtrinsicBaseWeight`` (125 us of ref time), charged to every paying call."""
DB_READ_WEIGHT = 25_000_000
DB_WRITE_WEIGHT = 100_000_000
LENGTH_FEE_PER_BYTE = 1
SIGNED_EXTRINSIC_OVERHEAD_BYTES = 110
"""Bytes of a signed extrinsic beyond its call (address, signature, era, nonce, tip): the
default length used for the length fee when the caller does not pass the real one."""

# -- subtensor runtime initial values (T::Initial*) ----------------------------------------------
INITIAL_RHO = 10
INITIAL_KAPPA = 32_767
INITIAL_MAX_ALLOWED_UIDS = 4096
INITIAL_ISSUANCE = 0
INITIAL_MIN_ALLOWED_WEIGHTS = 1024
INITIAL_MAX_WEIGHTS_LIMIT = 1000
INITIAL_VALIDATOR_PRUNE_LEN = 1
INITIAL_SCALING_LAW_POWER = 50
INITIAL_MAX_ALLOWED_VALIDATORS = 128
INITIAL_TEMPO = 99
INITIAL_DIFFICULTY = 10_000_000
INITIAL_ADJUSTMENT_INTERVAL = 100
INITIAL_ADJUSTMENT_ALPHA = 0
INITIAL_TARGET_REGISTRATIONS_PER_INTERVAL = 2
INITIAL_IMMUNITY_PERIOD = 4096
INITIAL_ACTIVITY_CUTOFF = 5000
INITIAL_MAX_REGISTRATIONS_PER_BLOCK = 1
INITIAL_PRUNING_SCORE = U16_MAX
INITIAL_BONDS_MOVING_AVERAGE = 900_000
INITIAL_DEFAULT_DELEGATE_TAKE = 11_796
INITIAL_MIN_DELEGATE_TAKE = 0
INITIAL_DEFAULT_CHILDKEY_TAKE = 0
INITIAL_MIN_CHILDKEY_TAKE = 0
INITIAL_MAX_CHILDKEY_TAKE = 11_796
INITIAL_WEIGHTS_VERSION_KEY = 0
INITIAL_MIN_DIFFICULTY = 10_000_000
INITIAL_MAX_DIFFICULTY = U64_MAX // 4
INITIAL_SERVING_RATE_LIMIT = 50
INITIAL_BURN = 1 * RAO_PER_TAO
INITIAL_MIN_BURN = 1 * RAO_PER_TAO
INITIAL_MAX_BURN = 100 * RAO_PER_TAO
INITIAL_TX_RATE_LIMIT = 1000
INITIAL_TX_DELEGATE_TAKE_RATE_LIMIT = 216_000
INITIAL_TX_CHILDKEY_TAKE_RATE_LIMIT = 216_000
INITIAL_SENATE_REQUIRED_STAKE_PERCENTAGE = 1
INITIAL_NETWORK_IMMUNITY_PERIOD = 7 * 7200
INITIAL_NETWORK_MIN_ALLOWED_UIDS = 128
INITIAL_NETWORK_MIN_LOCK_COST = 1000 * RAO_PER_TAO
INITIAL_SUBNET_OWNER_CUT = 11_796
INITIAL_SUBNET_LIMIT = 12
INITIAL_NETWORK_LOCK_REDUCTION_INTERVAL = 14 * 7200
INITIAL_NETWORK_RATE_LIMIT = 7200
INITIAL_TARGET_STAKES_PER_INTERVAL = 1
INITIAL_STAKE_INTERVAL = 360
KEY_SWAP_COST = 100_000_000
"""``KeySwapCost``: 0.1 TAO, burned (issuance reduced) by hotkey and coldkey swaps."""
INITIAL_ALPHA_HIGH = 58_982
INITIAL_ALPHA_LOW = 45_875
INITIAL_HOTKEY_EMISSION_TEMPO = 7200
INITIAL_NETWORK_MAX_STAKE = U64_MAX
INITIAL_COLDKEY_SWAP_SCHEDULE_DURATION = 5 * 7200
INITIAL_DISSOLVE_NETWORK_SCHEDULE_DURATION = 5 * 7200
DEFAULT_WEIGHTS_SET_RATE_LIMIT = 100
DEFAULT_REVEAL_PERIOD_EPOCHS = 1
DEFAULT_PENDING_CHILDKEY_COOLDOWN = 7200
DEFAULT_STAKE_THRESHOLD = 0

# -- values written by init_new_network for a user subnet (era A) ---------------------------------
NEW_SUBNET_TEMPO = 360
NEW_SUBNET_MAX_ALLOWED_UIDS = 256
NEW_SUBNET_MAX_ALLOWED_VALIDATORS = 64
NEW_SUBNET_MIN_ALLOWED_WEIGHTS = 1
NEW_SUBNET_MAX_WEIGHTS_LIMIT = U16_MAX
NEW_SUBNET_ADJUSTMENT_INTERVAL = 360
NEW_SUBNET_TARGET_REGISTRATIONS_PER_INTERVAL = 1
NEW_SUBNET_ADJUSTMENT_ALPHA = 17_893_341_751_498_265_066  # 0.97 * u64::MAX
NEW_SUBNET_IMMUNITY_PERIOD = 5000
NEW_SUBNET_MIN_BURN = 1
NEW_SUBNET_MIN_DIFFICULTY = U64_MAX
NEW_SUBNET_MAX_DIFFICULTY = U64_MAX

# -- root network (netuid 0) ---------------------------------------------------------------------
ROOT_NETUID = 0
ROOT_TEMPO = 100
ROOT_MAX_ALLOWED_UIDS = 64
ROOT_MAX_ALLOWED_VALIDATORS = 64
ROOT_MIN_ALLOWED_WEIGHTS = 0
ROOT_TARGET_REGISTRATIONS_PER_INTERVAL = 1

# -- governance ---------------------------------------------------------------------------------
SENATE_MAX_MEMBERS = 12
TRIUMVIRATE_MAX_MEMBERS = 3
MOTION_DURATION = 3600
"""``MotionDuration`` of the triumvirate collective: 12 hours."""
MAX_PROPOSALS = 10

# -- weights ------------------------------------------------------------------------------------
MAX_UNREVEALED_COMMITS = 10
MAX_CHILDREN = 5
SET_CHILDREN_RATE_LIMIT = 150

# -- commitments (pallet_commitments as Subtensor's runtime configures it, spec 217) ------------
COMMITMENT_MAX_FIELDS = 1
"""``MaxCommitFields``: fields of one ``CommitmentInfo`` (a bound of the call's argument type)."""
COMMITMENT_INITIAL_DEPOSIT = 0
"""``CommitmentInitialDeposit``: 0; the runtime marks it "Free", so nothing is ever reserved."""
COMMITMENT_FIELD_DEPOSIT = 0
"""``CommitmentFieldDeposit``: 0 per field, free as well."""
COMMITMENT_RATE_LIMIT = 100
"""``CommitmentRateLimit``: blocks between two commitments of one hotkey on one subnet. A
runtime constant in era A (a 2025 runtime turned it into a ``RateLimit`` storage value)."""
SET_COMMITMENT_WEIGHT = 28_000_000
"""``set_commitment``'s benchmarked ref time (plus 2 reads and 2 writes)."""

# -- sizes --------------------------------------------------------------------------------------
MAX_IDENTITY_FIELD_BYTES = 1024
"""Upper bound on an identity text field (Subtensor checks the total at 512 per field)."""
