"""Chain errors as the client reports them: the chain's own name plus what to do about it.

A failed extrinsic comes back from the node as a Subtensor/FRAME error name
(``SettingWeightsTooFast``, ``NotEnoughBalanceToStake``, ``BadOrigin`` ...) or, when the
transaction pool refused it, as a rejection reason (``Stale``, ``Payment``, ``BadProof``).
Users of bittensor learned the hard way (see the pain points in the spec: opaque 1010
errors, "Priority is too low") that a bare name is not enough. :func:`explain` keeps the name
*and* adds one sentence of advice, so the SDK's messages and the CLI's errors say what
happened and what to try next.

(``taonet.sdk.errors`` holds the Axon's HTTP errors; this module is the chain side.)
"""

from __future__ import annotations

ADVICE: dict[str, str] = {
    # balances and fees
    "FundsUnavailable": "the coldkey's free balance is too small for this amount; check `taonet wallet balance`",
    "InsufficientBalance": "the coldkey's free balance is too small for this amount; check `taonet wallet balance`",
    "NotExpendable": "this transfer would leave the sender below the existential deposit; send less or allow death",
    "Expendability": "this transfer would leave the sender below the existential deposit; send less or allow death",
    "BelowMinimum": "the recipient would hold less than the existential deposit (get_existential_deposit()); send more",
    "Payment": "the signer cannot pay the transaction fee and stay above the existential deposit; fund it first",
    "NotEnoughBalanceToStake": "the coldkey's free balance is below the amount (or the burn/lock cost); fund it or use a smaller amount",
    "BalanceWithdrawalError": "the balance could not be withdrawn; check the free balance",
    # stake
    "NotEnoughStakeToWithdraw": "this coldkey has less stake on that hotkey than the amount; see `taonet stake list`",
    "StakeToWithdrawIsZero": "the amount to unstake is zero",
    "HotKeyAccountNotExists": "the hotkey is not registered anywhere yet; register it on a subnet first",
    "HotKeyNotDelegateAndSignerNotOwnHotKey": "the hotkey is not a delegate and not owned by this coldkey; stake to your own hotkey or a delegate",
    "NonAssociatedColdKey": "this coldkey does not own the hotkey",
    "StakingRateLimitExceeded": "too many stake operations this interval; wait a few blocks",
    "NomStakeBelowMinimumThreshold": "the stake would fall below the nominator minimum; stake more or unstake everything",
    "DelegateTakeTooHigh": "the take exceeds the chain's MaxDelegateTake (18%)",
    "DelegateTakeTooLow": "the take is below the chain's MinDelegateTake; use a higher take",
    "DelegateTxRateLimitExceeded": "take changes are rate limited (TxDelegateTakeRateLimit); wait and retry",
    "HotKeyAlreadyDelegate": "this hotkey is already a delegate",
    # registration and subnets
    "SubNetworkDoesNotExist": "no subnet with that netuid; see `taonet subnet list`",
    "SubnetDoesNotExist": "no subnet with that netuid; see `taonet subnet list`",
    "HotKeyAlreadyRegisteredInSubNet": "this hotkey already has a uid on the subnet; nothing to do",
    "HotKeyNotRegisteredInSubNet": "register the hotkey on the subnet first: `taonet subnet register --netuid N`",
    "HotKeyNotRegisteredInNetwork": "register the hotkey first: `taonet subnet register` or `taonet root register`",
    "TooManyRegistrationsThisBlock": "the subnet's per-block registration limit is reached; retry next block",
    "TooManyRegistrationsThisInterval": "the subnet's registrations for this interval are used up; retry after the adjustment interval",
    "SubNetRegistrationDisabled": "registration is switched off on this subnet (NetworkRegistrationAllowed)",
    "RegistrationNotPermittedOnRootSubnet": "use `taonet root register` for the root network",
    "NoNeuronIdAvailable": "the subnet is full and no neuron can be pruned yet (all immune); retry later",
    "NetworkTxRateLimitExceeded": "subnet creation is rate limited (NetworkRateLimit); wait and retry",
    "AllNetworksInImmunity": "the subnet limit is reached and every subnet is still immune; retry later",
    "StakeTooLowForRoot": "the hotkey's stake is too low to enter the root network; stake more to it",
    "NotSubnetOwner": "only the subnet owner's coldkey (or sudo) may do this",
    "FundingAmountIsZero": "the amount to add to the reward pool is zero",
    "NotEnoughBalanceToFund": "the coldkey's free balance is below the amount plus the existential deposit; fund it or add less",
    "BadOrigin": "this call needs another signer (the sudo key, the subnet owner, or the hotkey's owner)",
    "RequireSudo": "only the sudo key may do this",
    # weights
    "SettingWeightsTooFast": "weights are rate limited: wait WeightsSetRateLimit blocks after your last update (see `taonet subnet hyperparameters`)",
    "CommittingWeightsTooFast": "commits are rate limited: wait WeightsSetRateLimit blocks",
    "IncorrectWeightVersionKey": "the weights version key is lower than the subnet's WeightsVersionKey; upgrade and pass --version-key",
    "NeuronNoValidatorPermit": "this uid has no validator permit: only the top-stake neurons may set non-self weights",
    "NotEnoughStakeToSetWeights": "the hotkey's stake is below StakeThreshold; stake more to it",
    "WeightVecNotEqualSize": "uids and weights must have the same length",
    "WeightVecLengthIsLow": "too few weights: the subnet's MinAllowedWeights is higher",
    "DuplicateUids": "a uid appears twice in the weights",
    "UidVecContainInvalidOne": "a uid in the weights does not exist on the subnet",
    "UidsLengthExceedUidsInSubNet": "more weights than neurons on the subnet",
    "MaxWeightExceeded": "one weight exceeds the subnet's MaxWeightsLimit; spread the weights more",
    "CommitRevealEnabled": "this subnet uses commit-reveal: use `taonet weights commit` then `reveal`",
    "CommitRevealDisabled": "commit-reveal is off on this subnet: use `taonet weights set`",
    "NoWeightsCommitFound": "no pending commit for this hotkey: commit first",
    "InvalidRevealCommitHashNotMatch": "the revealed uids, weights, salt or version key differ from what was committed",
    "RevealTooEarly": "the reveal period has not started; wait for the next tempo",
    "ExpiredWeightCommit": "the commit expired before it was revealed; commit again",
    "TooManyUnrevealedCommits": "reveal earlier commits first",
    "CanNotSetRootNetworkWeights": "root weights are set with `taonet root weights`",
    # serving
    "ServingRateLimitExceeded": "axon updates are rate limited (ServingRateLimit); wait and retry",
    "InvalidIpAddress": "the chain refuses 0.0.0.0 and 127.0.0.1 (as Subtensor does); publish another address (Axon external_ip, e.g. 127.0.0.2 on one machine)",
    "InvalidIpType": "ip_type must be 4 or 6",
    "InvalidPort": "the port must be non-zero",
    # commitments
    "AccountNotAllowedCommit": "only a hotkey registered on the subnet may commit: `taonet subnet register --netuid N` (and sign with that hotkey)",
    "CommitmentSetRateLimitExceeded": "one commitment per hotkey and subnet every 100 blocks (CommitmentRateLimit); wait and retry",
    "TooManyFieldsInCommitmentInfo": "a commitment holds one field in this runtime (MaxFields = 1)",
    # pool rejections
    "Stale": "the nonce was already used; another transaction from this key got in first, retry",
    "Future": "the nonce is ahead of the account; retry (the client fetches a fresh nonce)",
    "BadProof": "the signature does not match (wrong chain, runtime or key); reconnect and retry",
    "AncientBirthBlock": "the transaction's era expired; retry with a larger --period",
    "PriorityTooLow": "a transaction with the same nonce is already pending; wait for it",
    "TxRateLimitExceeded": "this key's transactions are rate limited (TxRateLimit); wait and retry",
    "HotKeySetTxRateLimitExceeded": "hotkey transactions are rate limited; wait and retry",
}


def explain(error: str | None, detail: str | None = None) -> str:
    """``"<Name>: <advice>"`` (or the name with ``detail`` when no advice is known)."""
    if not error:
        return detail or "unknown error"
    advice = ADVICE.get(error)
    parts = [error]
    if advice:
        parts.append(advice)
    if detail and detail != error:
        parts.append(detail)
    return ": ".join(parts)


class ChainError(Exception):
    """An extrinsic failed on chain or was refused by the pool.

    Attributes:
        name: The chain's error name (``SettingWeightsTooFast``) or pool reason (``Stale``).
        pallet: The pallet that raised it, when known.
    """

    def __init__(self, name: str, message: str | None = None, pallet: str | None = None) -> None:
        self.name = name
        self.pallet = pallet
        super().__init__(message or explain(name))


class ValidationError(ChainError):
    """Refused by the client before signing (bad address, amount above the balance ...)."""
