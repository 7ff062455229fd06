"""
Dispatch errors
===============

A call that fails raises :class:`DispatchError` inside the runtime; ``apply_extrinsic``
catches it, rolls the call back and reports the error *name* in the receipt. Names are
Subtensor's (``ST/macros/errors.rs`` at v1.2.3), FRAME's for the system pallets
(``BadOrigin``, Balances' ``InsufficientBalance``/``Expendability``), AdminUtils' own
(``SubnetDoesNotExist``, ``MaxAllowedUIdsLessThanCurrentUIds`` ...), the Commitments
pallet's (``AccountNotAllowedCommit``, ``CommitmentSetRateLimitExceeded`` ...) and the two of
taonet's owner top-up call (``FundingAmountIsZero``, ``NotEnoughBalanceToFund``).

:func:`ensure` is the ``ensure!`` macro: ``ensure(cond, "NotEnoughBalanceToStake")``.
Unknown names are refused at raise time so that a typo cannot silently become an error
nobody can match on.
"""

from __future__ import annotations

from typing import NoReturn

SUBTENSOR_ERRORS = frozenset(
    """
    SubNetworkDoesNotExist RootNetworkDoesNotExist InvalidIpType InvalidIpAddress InvalidPort
    HotKeyNotRegisteredInSubNet HotKeyAccountNotExists HotKeyNotRegisteredInNetwork
    NonAssociatedColdKey HotKeyNotDelegateAndSignerNotOwnHotKey StakeToWithdrawIsZero
    NotEnoughStakeToWithdraw NotEnoughStakeToSetWeights NotEnoughStakeToSetChildkeys
    NotEnoughBalanceToStake BalanceWithdrawalError ZeroBalanceAfterWithdrawn
    NeuronNoValidatorPermit WeightVecNotEqualSize DuplicateUids UidVecContainInvalidOne
    WeightVecLengthIsLow TooManyRegistrationsThisBlock HotKeyAlreadyRegisteredInSubNet
    NewHotKeyIsSameWithOld InvalidWorkBlock InvalidDifficulty InvalidSeal MaxWeightExceeded
    HotKeyAlreadyDelegate SettingWeightsTooFast IncorrectWeightVersionKey
    ServingRateLimitExceeded UidsLengthExceedUidsInSubNet NetworkTxRateLimitExceeded
    DelegateTxRateLimitExceeded HotKeySetTxRateLimitExceeded StakingRateLimitExceeded
    SubNetRegistrationDisabled TooManyRegistrationsThisInterval TransactorAccountShouldBeHotKey
    NotSenateMember FaucetDisabled NotSubnetOwner RegistrationNotPermittedOnRootSubnet
    StakeTooLowForRoot AllNetworksInImmunity NotEnoughBalanceToPaySwapHotKey NotRootSubnet
    CanNotSetRootNetworkWeights NoNeuronIdAvailable NomStakeBelowMinimumThreshold
    DelegateTakeTooLow DelegateTakeTooHigh NoWeightsCommitFound InvalidRevealCommitHashNotMatch
    CommitRevealEnabled CommitRevealDisabled CouldNotJoinSenate LiquidAlphaDisabled
    AlphaHighTooLow AlphaLowOutOfRange ColdKeyAlreadyAssociated NotEnoughBalanceToPaySwapColdKey
    ColdkeyIsInArbitration InvalidChild DuplicateChild ProportionOverflow TooManyChildren
    TxRateLimitExceeded SwapAlreadyScheduled FailedToSchedule NewColdKeyIsHotkey
    InvalidChildkeyTake TxChildkeyTakeRateLimitExceeded InvalidIdentity
    TooManyUnrevealedCommits ExpiredWeightCommit RevealTooEarly InputLengthsUnequal
    CommittingWeightsTooFast HotKeyAlreadyRegisteredInSubNet
    """.split()
)
"""``SubtensorModule`` errors (era A)."""

TAONET_ERRORS = frozenset(
    """
    FundingAmountIsZero NotEnoughBalanceToFund
    """.split()
)
"""Errors of taonet's own ``SubtensorModule`` call (``fund_subnet_emission``), which Subtensor
does not have; reported under ``SubtensorModule``, the pallet of the call."""

ADMIN_UTILS_ERRORS = frozenset(
    """
    SubnetDoesNotExist MaxValidatorsLargerThanMaxUIds MaxAllowedUIdsLessThanCurrentUIds
    """.split()
)
"""``AdminUtils`` errors (era A)."""

BALANCES_ERRORS = frozenset(
    """
    InsufficientBalance Expendability ExistentialDeposit LiquidityRestrictions DeadAccount
    """.split()
)
"""``Balances`` errors (kept for completeness; the fungible transfer path reports the token
errors below)."""

TOKEN_ERRORS = frozenset(
    """
    FundsUnavailable OnlyProvider BelowMinimum CannotCreate UnknownAsset Frozen Unsupported
    CannotCreateHold NotExpendable Blocked
    """.split()
)
"""FRAME ``DispatchError::Token`` variants, which the balances transfers return in
polkadot-sdk of 2024: ``FundsUnavailable`` (not enough free balance), ``NotExpendable``
(``transfer_keep_alive`` would reap the sender), ``BelowMinimum`` (the receiver would hold less
than the existential deposit)."""

COLLECTIVE_ERRORS = frozenset(
    """
    NotMember DuplicateProposal ProposalMissing WrongIndex DuplicateVote TooEarly
    TooManyProposals WrongProposalWeight WrongProposalLength AlreadyInitialized
    ProposalNotExists IndexMismatchProposalHash TooEarlyToCloseProposal TooManyActiveProposals
    ProposalLengthBoundLessThanProposalLength DurationLowerThanConfiguredMotionDuration
    AlreadyMember TooManyMembers
    """.split()
)
"""``Triumvirate`` (``pallet_collective``) and membership errors."""

COMMITMENTS_ERRORS = frozenset(
    """
    TooManyFieldsInCommitmentInfo AccountNotAllowedCommit CommitmentSetRateLimitExceeded
    """.split()
)
"""``Commitments`` (``pallet_commitments``) errors."""

SYSTEM_ERRORS = frozenset(
    """
    BadOrigin RequireSudo CallFiltered Overflow Underflow Unimplemented InternalError
    """.split()
)
"""FRAME-level dispatch errors (``DispatchError::BadOrigin``, ``ArithmeticError``, sudo's
``RequireSudo``) and ``Unimplemented`` for a call the catalogue knows but this runtime does
not execute."""

KNOWN_ERRORS = (
    SUBTENSOR_ERRORS | TAONET_ERRORS | ADMIN_UTILS_ERRORS | BALANCES_ERRORS | TOKEN_ERRORS | COLLECTIVE_ERRORS | COMMITMENTS_ERRORS
    | SYSTEM_ERRORS
)


def pallet_of_error(name: str) -> str:
    """The pallet an error name belongs to (for display and the receipt)."""
    if name in SUBTENSOR_ERRORS or name in TAONET_ERRORS:
        return "SubtensorModule"
    if name in ADMIN_UTILS_ERRORS:
        return "AdminUtils"
    if name in BALANCES_ERRORS:
        return "Balances"
    if name in COLLECTIVE_ERRORS:
        return "Triumvirate"
    if name in TOKEN_ERRORS:
        return "Token"
    if name in COMMITMENTS_ERRORS:
        return "Commitments"
    return "System"


class DispatchError(Exception):
    """A call failed with the named error; the runtime rolls it back."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        if name not in KNOWN_ERRORS:
            raise ValueError(f"unknown dispatch error {name!r}")
        super().__init__(name)
        self.name = name


def fail(name: str) -> NoReturn:
    """Raise :class:`DispatchError` ``name``."""
    raise DispatchError(name)


def ensure(condition: bool, name: str) -> None:
    """Subtensor's ``ensure!``: raise ``name`` unless ``condition`` holds."""
    if not condition:
        raise DispatchError(name)
