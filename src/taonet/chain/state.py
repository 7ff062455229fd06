"""
Chain state
===========

:class:`ChainState` is the whole state of the chain: one attribute per storage item, named
exactly as in Subtensor (``state.TotalIssuance``, ``state.Stake``, ``state.Weights`` ...) so
that a handler can be read next to its Rust counterpart. The storage shapes and the journal are
in :mod:`taonet.chain.storage`.

Conventions
-----------
* Keys: account ids are 32-byte ``bytes``; netuids and uids are ``int``.
* Per-uid vectors (``Rank``, ``LastUpdate``, ``ValidatorPermit`` ...) are tuples stored per
  netuid, as Subtensor stores ``Vec<_>`` per netuid.
* ``Weights``/``Bonds`` rows are tuples of ``(uid, u16)`` pairs keyed by ``(netuid, uid)``.
* ``Account`` is the free balance of ``System.Account``; ``AccountNonce`` its nonce.

Transactions
------------
:func:`begin_transaction`, :func:`commit_transaction` and :func:`rollback_transaction` nest;
:func:`taonet.chain.transition.apply_extrinsic` wraps every call in one.
"""

from __future__ import annotations

from typing import Any, Iterator

from taonet.primitives.types import U64_MAX
from taonet.primitives.views import Registration

from . import params as P
from .storage import Journal, StorageDoubleMap, StorageItem, StorageMap, StorageValue

ZERO_ACCOUNT = bytes(32)


class ChainState:
    """All storage of one chain. Build with :func:`taonet.chain.genesis.build_genesis`."""

    def __init__(self) -> None:
        j = self.journal = Journal()
        self._items: dict[str, StorageItem] = {}
        self.events: list[Any] = []
        """Events of the current block (``System::Events``); not part of the state root."""

        def value(pallet: str, name: str, default: Any, hashed: bool = True) -> Any:
            item: StorageValue[Any] = StorageValue(pallet, name, default, j, hashed)
            self._items[item.qualified_name] = item
            return item

        def smap(pallet: str, name: str, default: Any, hashed: bool = True) -> Any:
            item: StorageMap[Any, Any] = StorageMap(pallet, name, default, j, hashed)
            self._items[item.qualified_name] = item
            return item

        def dmap(pallet: str, name: str, default: Any, hashed: bool = True) -> Any:
            item: StorageDoubleMap[Any, Any, Any] = StorageDoubleMap(pallet, name, default, j, hashed)
            self._items[item.qualified_name] = item
            return item

        S = "SubtensorModule"

        # -- System / Balances / Sudo ----------------------------------------------------------
        self.Number: StorageValue[int] = value("System", "Number", 0)
        self.Account: StorageMap[bytes, int] = smap("System", "Account", 0)
        self.AccountNonce: StorageMap[bytes, int] = smap("System", "AccountNonce", 0)
        self.Key: StorageValue[bytes | None] = value("Sudo", "Key", None)

        # -- governance (era A): senate, triumvirate ----------------------------------------------
        self.SenateMembers: StorageValue[tuple[bytes, ...]] = value("SenateMembers", "Members", ())
        self.TriumvirateMembers: StorageValue[tuple[bytes, ...]] = value("TriumvirateMembers", "Members", ())
        self.Proposals: StorageValue[tuple[bytes, ...]] = value("Triumvirate", "Proposals", ())
        self.ProposalOf: StorageMap[bytes, Any] = smap("Triumvirate", "ProposalOf", None)
        self.Voting: StorageMap[bytes, Any] = smap("Triumvirate", "Voting", None)
        self.ProposalCount: StorageValue[int] = value("Triumvirate", "ProposalCount", 0)
        self.Agenda: StorageMap[int, tuple[Any, ...]] = smap("Scheduler", "Agenda", ())

        # -- issuance and global parameters ------------------------------------------------------
        self.TotalIssuance: StorageValue[int] = value(S, "TotalIssuance", P.INITIAL_ISSUANCE)
        self.TotalStake: StorageValue[int] = value(S, "TotalStake", 0)
        self.BlockEmission: StorageValue[int] = value(S, "BlockEmission", P.DEFAULT_BLOCK_EMISSION)
        self.MaxDelegateTake: StorageValue[int] = value(S, "MaxDelegateTake", P.INITIAL_DEFAULT_DELEGATE_TAKE)
        self.MinDelegateTake: StorageValue[int] = value(S, "MinDelegateTake", P.INITIAL_MIN_DELEGATE_TAKE)
        self.MaxChildkeyTake: StorageValue[int] = value(S, "MaxChildkeyTake", P.INITIAL_MAX_CHILDKEY_TAKE)
        self.MinChildkeyTake: StorageValue[int] = value(S, "MinChildkeyTake", P.INITIAL_MIN_CHILDKEY_TAKE)
        self.TargetStakesPerInterval: StorageValue[int] = value(
            S, "TargetStakesPerInterval", P.INITIAL_TARGET_STAKES_PER_INTERVAL
        )
        self.StakeInterval: StorageValue[int] = value(S, "StakeInterval", P.INITIAL_STAKE_INTERVAL)
        self.HotkeyEmissionTempo: StorageValue[int] = value(S, "HotkeyEmissionTempo", P.INITIAL_HOTKEY_EMISSION_TEMPO)
        self.SubnetLimit: StorageValue[int] = value(S, "SubnetLimit", P.INITIAL_SUBNET_LIMIT)
        self.TotalNetworks: StorageValue[int] = value(S, "TotalNetworks", 0)
        self.NetworkImmunityPeriod: StorageValue[int] = value(
            S, "NetworkImmunityPeriod", P.INITIAL_NETWORK_IMMUNITY_PERIOD
        )
        self.NetworkLastRegistered: StorageValue[int] = value(S, "NetworkLastRegistered", 0)
        self.NetworkMinAllowedUids: StorageValue[int] = value(
            S, "NetworkMinAllowedUids", P.INITIAL_NETWORK_MIN_ALLOWED_UIDS
        )
        self.NetworkMinLockCost: StorageValue[int] = value(S, "NetworkMinLockCost", P.INITIAL_NETWORK_MIN_LOCK_COST)
        self.NetworkLastLockCost: StorageValue[int] = value(S, "NetworkLastLockCost", P.INITIAL_NETWORK_MIN_LOCK_COST)
        self.NetworkLockReductionInterval: StorageValue[int] = value(
            S, "NetworkLockReductionInterval", P.INITIAL_NETWORK_LOCK_REDUCTION_INTERVAL
        )
        self.SubnetOwnerCut: StorageValue[int] = value(S, "SubnetOwnerCut", P.INITIAL_SUBNET_OWNER_CUT)
        self.NetworkRateLimit: StorageValue[int] = value(S, "NetworkRateLimit", P.INITIAL_NETWORK_RATE_LIMIT)
        self.NominatorMinRequiredStake: StorageValue[int] = value(S, "NominatorMinRequiredStake", 0)
        self.TxRateLimit: StorageValue[int] = value(S, "TxRateLimit", P.INITIAL_TX_RATE_LIMIT)
        self.TxDelegateTakeRateLimit: StorageValue[int] = value(
            S, "TxDelegateTakeRateLimit", P.INITIAL_TX_DELEGATE_TAKE_RATE_LIMIT
        )
        self.TxChildkeyTakeRateLimit: StorageValue[int] = value(
            S, "TxChildkeyTakeRateLimit", P.INITIAL_TX_CHILDKEY_TAKE_RATE_LIMIT
        )
        self.StakeThreshold: StorageValue[int] = value(S, "StakeThreshold", P.DEFAULT_STAKE_THRESHOLD)
        self.SenateRequiredStakePercentage: StorageValue[int] = value(
            S, "SenateRequiredStakePercentage", P.INITIAL_SENATE_REQUIRED_STAKE_PERCENTAGE
        )
        self.ColdkeySwapScheduleDuration: StorageValue[int] = value(
            S, "ColdkeySwapScheduleDuration", P.INITIAL_COLDKEY_SWAP_SCHEDULE_DURATION
        )
        self.DissolveNetworkScheduleDuration: StorageValue[int] = value(
            S, "DissolveNetworkScheduleDuration", P.INITIAL_DISSOLVE_NETWORK_SCHEDULE_DURATION
        )

        # -- accounts, ownership and stake ------------------------------------------------------
        self.Owner: StorageMap[bytes, bytes] = smap(S, "Owner", None)
        self.Delegates: StorageMap[bytes, int] = smap(S, "Delegates", None)  # contains_key = is delegate
        self.OwnedHotkeys: StorageMap[bytes, tuple[bytes, ...]] = smap(S, "OwnedHotkeys", ())
        self.StakingHotkeys: StorageMap[bytes, tuple[bytes, ...]] = smap(S, "StakingHotkeys", ())
        self.Stake: StorageDoubleMap[bytes, bytes, int] = dmap(S, "Stake", 0)
        self.TotalHotkeyStake: StorageMap[bytes, int] = smap(S, "TotalHotkeyStake", 0)
        self.TotalColdkeyStake: StorageMap[bytes, int] = smap(S, "TotalColdkeyStake", 0)
        self.TotalHotkeyColdkeyStakesThisInterval: StorageDoubleMap[bytes, bytes, tuple[int, int]] = dmap(
            S, "TotalHotkeyColdkeyStakesThisInterval", (0, 0)
        )
        self.ChildkeyTake: StorageDoubleMap[bytes, int, int] = dmap(S, "ChildkeyTake", 0)
        self.PendingChildKeys: StorageDoubleMap[int, bytes, Any] = dmap(S, "PendingChildKeys", ((), 0))
        self.ChildKeys: StorageDoubleMap[bytes, int, tuple[tuple[int, bytes], ...]] = dmap(S, "ChildKeys", ())
        self.ParentKeys: StorageDoubleMap[bytes, int, tuple[tuple[int, bytes], ...]] = dmap(S, "ParentKeys", ())
        self.LastHotkeyEmissionDrain: StorageMap[bytes, int] = smap(S, "LastHotkeyEmissionDrain", 0)
        self.PendingdHotkeyEmission: StorageMap[bytes, int] = smap(S, "PendingdHotkeyEmission", 0)
        self.PendingdHotkeyEmissionUntouchable: StorageMap[bytes, int] = smap(
            S, "PendingdHotkeyEmissionUntouchable", 0
        )
        self.StakeDeltaSinceLastEmissionDrain: StorageDoubleMap[bytes, bytes, int] = dmap(
            S, "StakeDeltaSinceLastEmissionDrain", 0
        )
        self.ColdkeySwapScheduled: StorageMap[bytes, bool] = smap(S, "ColdkeySwapScheduled", False)
        self.LastTxBlock: StorageMap[bytes, int] = smap(S, "LastTxBlock", 0)
        self.LastTxBlockChildKeyTake: StorageMap[bytes, int] = smap(S, "LastTxBlockChildKeyTake", 0)
        self.LastTxBlockDelegateTake: StorageMap[bytes, int] = smap(S, "LastTxBlockDelegateTake", 0)
        self.TransactionKeyLastBlock: StorageMap[tuple[bytes, int, int], int] = smap(S, "TransactionKeyLastBlock", 0)
        self.Identities: StorageMap[bytes, Any] = smap(S, "Identities", None)
        self.SubnetIdentities: StorageMap[int, Any] = smap(S, "SubnetIdentities", None)

        # -- subnets -------------------------------------------------------------------------------
        self.NetworksAdded: StorageMap[int, bool] = smap(S, "NetworksAdded", False)
        self.SubnetworkN: StorageMap[int, int] = smap(S, "SubnetworkN", 0)
        self.NetworkModality: StorageMap[int, int] = smap(S, "NetworkModality", 0)
        self.NetworkRegistrationAllowed: StorageMap[int, bool] = smap(S, "NetworkRegistrationAllowed", False)
        self.NetworkPowRegistrationAllowed: StorageMap[int, bool] = smap(S, "NetworkPowRegistrationAllowed", False)
        self.NetworkRegisteredAt: StorageMap[int, int] = smap(S, "NetworkRegisteredAt", 0)
        self.Tempo: StorageMap[int, int] = smap(S, "Tempo", P.INITIAL_TEMPO)
        self.EmissionValues: StorageMap[int, int] = smap(S, "EmissionValues", 0)
        self.PendingEmission: StorageMap[int, int] = smap(S, "PendingEmission", 0)
        self.BlocksSinceLastStep: StorageMap[int, int] = smap(S, "BlocksSinceLastStep", 0)
        self.LastMechansimStepBlock: StorageMap[int, int] = smap(S, "LastMechansimStepBlock", 0)
        self.SubnetOwner: StorageMap[int, bytes] = smap(S, "SubnetOwner", None)
        self.SubnetLocked: StorageMap[int, int] = smap(S, "SubnetLocked", 0)
        self.ServingRateLimit: StorageMap[int, int] = smap(S, "ServingRateLimit", P.INITIAL_SERVING_RATE_LIMIT)
        self.Rho: StorageMap[int, int] = smap(S, "Rho", P.INITIAL_RHO)
        self.Kappa: StorageMap[int, int] = smap(S, "Kappa", P.INITIAL_KAPPA)
        self.RegistrationsThisInterval: StorageMap[int, int] = smap(S, "RegistrationsThisInterval", 0)
        self.POWRegistrationsThisInterval: StorageMap[int, int] = smap(S, "POWRegistrationsThisInterval", 0)
        self.BurnRegistrationsThisInterval: StorageMap[int, int] = smap(S, "BurnRegistrationsThisInterval", 0)
        self.MaxAllowedUids: StorageMap[int, int] = smap(S, "MaxAllowedUids", P.INITIAL_MAX_ALLOWED_UIDS)
        self.ImmunityPeriod: StorageMap[int, int] = smap(S, "ImmunityPeriod", P.INITIAL_IMMUNITY_PERIOD)
        self.ActivityCutoff: StorageMap[int, int] = smap(S, "ActivityCutoff", P.INITIAL_ACTIVITY_CUTOFF)
        self.MaxWeightsLimit: StorageMap[int, int] = smap(S, "MaxWeightsLimit", P.INITIAL_MAX_WEIGHTS_LIMIT)
        self.WeightsVersionKey: StorageMap[int, int] = smap(S, "WeightsVersionKey", P.INITIAL_WEIGHTS_VERSION_KEY)
        self.MinAllowedWeights: StorageMap[int, int] = smap(S, "MinAllowedWeights", P.INITIAL_MIN_ALLOWED_WEIGHTS)
        self.MaxAllowedValidators: StorageMap[int, int] = smap(
            S, "MaxAllowedValidators", P.INITIAL_MAX_ALLOWED_VALIDATORS
        )
        self.AdjustmentInterval: StorageMap[int, int] = smap(S, "AdjustmentInterval", P.INITIAL_ADJUSTMENT_INTERVAL)
        self.BondsMovingAverage: StorageMap[int, int] = smap(S, "BondsMovingAverage", P.INITIAL_BONDS_MOVING_AVERAGE)
        self.WeightsSetRateLimit: StorageMap[int, int] = smap(
            S, "WeightsSetRateLimit", P.DEFAULT_WEIGHTS_SET_RATE_LIMIT
        )
        self.ValidatorPruneLen: StorageMap[int, int] = smap(S, "ValidatorPruneLen", P.INITIAL_VALIDATOR_PRUNE_LEN)
        self.ScalingLawPower: StorageMap[int, int] = smap(S, "ScalingLawPower", P.INITIAL_SCALING_LAW_POWER)
        self.TargetRegistrationsPerInterval: StorageMap[int, int] = smap(
            S, "TargetRegistrationsPerInterval", P.INITIAL_TARGET_REGISTRATIONS_PER_INTERVAL
        )
        self.AdjustmentAlpha: StorageMap[int, int] = smap(S, "AdjustmentAlpha", P.INITIAL_ADJUSTMENT_ALPHA)
        self.CommitRevealWeightsEnabled: StorageMap[int, bool] = smap(S, "CommitRevealWeightsEnabled", False)
        self.RevealPeriodEpochs: StorageMap[int, int] = smap(S, "RevealPeriodEpochs", P.DEFAULT_REVEAL_PERIOD_EPOCHS)
        self.Burn: StorageMap[int, int] = smap(S, "Burn", P.INITIAL_BURN)
        self.Difficulty: StorageMap[int, int] = smap(S, "Difficulty", P.INITIAL_DIFFICULTY)
        self.MinBurn: StorageMap[int, int] = smap(S, "MinBurn", P.INITIAL_MIN_BURN)
        self.MaxBurn: StorageMap[int, int] = smap(S, "MaxBurn", P.INITIAL_MAX_BURN)
        self.MinDifficulty: StorageMap[int, int] = smap(S, "MinDifficulty", P.INITIAL_MIN_DIFFICULTY)
        self.MaxDifficulty: StorageMap[int, int] = smap(S, "MaxDifficulty", P.INITIAL_MAX_DIFFICULTY)
        self.LastAdjustmentBlock: StorageMap[int, int] = smap(S, "LastAdjustmentBlock", 0)
        self.RegistrationsThisBlock: StorageMap[int, int] = smap(S, "RegistrationsThisBlock", 0)
        self.MaxRegistrationsPerBlock: StorageMap[int, int] = smap(
            S, "MaxRegistrationsPerBlock", P.INITIAL_MAX_REGISTRATIONS_PER_BLOCK
        )
        self.RAORecycledForRegistration: StorageMap[int, int] = smap(S, "RAORecycledForRegistration", 0)
        self.LiquidAlphaOn: StorageMap[int, bool] = smap(S, "LiquidAlphaOn", False)
        self.AlphaValues: StorageMap[int, tuple[int, int]] = smap(
            S, "AlphaValues", (P.INITIAL_ALPHA_LOW, P.INITIAL_ALPHA_HIGH)
        )
        self.NetworkMaxStake: StorageMap[int, int] = smap(S, "NetworkMaxStake", U64_MAX)

        # -- neurons -------------------------------------------------------------------------------
        self.Uids: StorageDoubleMap[int, bytes, int] = dmap(S, "Uids", None)
        self.Keys: StorageDoubleMap[int, int, bytes] = dmap(S, "Keys", None)
        self.IsNetworkMember: StorageDoubleMap[bytes, int, bool] = dmap(S, "IsNetworkMember", False)
        self.BlockAtRegistration: StorageDoubleMap[int, int, int] = dmap(S, "BlockAtRegistration", 0)
        self.Active: StorageMap[int, tuple[bool, ...]] = smap(S, "Active", ())
        self.Rank: StorageMap[int, tuple[int, ...]] = smap(S, "Rank", ())
        self.Trust: StorageMap[int, tuple[int, ...]] = smap(S, "Trust", ())
        self.Consensus: StorageMap[int, tuple[int, ...]] = smap(S, "Consensus", ())
        self.Incentive: StorageMap[int, tuple[int, ...]] = smap(S, "Incentive", ())
        self.Dividends: StorageMap[int, tuple[int, ...]] = smap(S, "Dividends", ())
        self.Emission: StorageMap[int, tuple[int, ...]] = smap(S, "Emission", ())
        self.LastUpdate: StorageMap[int, tuple[int, ...]] = smap(S, "LastUpdate", ())
        self.ValidatorTrust: StorageMap[int, tuple[int, ...]] = smap(S, "ValidatorTrust", ())
        self.PruningScores: StorageMap[int, tuple[int, ...]] = smap(S, "PruningScores", ())
        self.ValidatorPermit: StorageMap[int, tuple[bool, ...]] = smap(S, "ValidatorPermit", ())
        self.StakeWeight: StorageMap[int, tuple[int, ...]] = smap(S, "StakeWeight", ())
        self.Weights: StorageDoubleMap[int, int, tuple[tuple[int, int], ...]] = dmap(S, "Weights", ())
        self.Bonds: StorageDoubleMap[int, int, tuple[tuple[int, int], ...]] = dmap(S, "Bonds", ())
        self.LoadedEmission: StorageMap[int, Any] = smap(S, "LoadedEmission", None)
        self.Axons: StorageDoubleMap[int, bytes, Any] = dmap(S, "Axons", None)
        self.NeuronCertificates: StorageDoubleMap[int, bytes, Any] = dmap(S, "NeuronCertificates", None)
        self.Prometheus: StorageDoubleMap[int, bytes, Any] = dmap(S, "Prometheus", None)
        self.WeightCommits: StorageDoubleMap[int, bytes, tuple[Any, ...]] = dmap(S, "WeightCommits", None)

        # -- Commitments (pallet_commitments) -------------------------------------------------------
        self.CommitmentOf: StorageDoubleMap[int, bytes, Registration] = dmap("Commitments", "CommitmentOf", None)
        self.LastCommitment: StorageDoubleMap[int, bytes, int] = dmap("Commitments", "LastCommitment", None)

        # -- taonet configuration (part of the state root) ----------------------------------------
        self.EmissionModel: StorageValue[str] = value("taonet", "EmissionModel", "root")
        self.PendingFundedEmission: StorageMap[int, int] = smap("taonet", "PendingFundedEmission", 0)
        """The part of ``PendingEmission[netuid]`` its owner added with ``fund_subnet_emission``
        since the subnet's last paying epoch (exempt from the owner cut)."""

        # -- derived indices (not part of Subtensor's storage; excluded from the state root) -------
        self.DrainQueue: StorageMap[int, frozenset[bytes]] = smap("taonet", "DrainQueue", frozenset(), hashed=False)
        self.DrainQueueTempo: StorageValue[int] = value(
            "taonet", "DrainQueueTempo", P.INITIAL_HOTKEY_EMISSION_TEMPO, hashed=False
        )

    # ------------------------------------------------------------------------------------------

    def items(self) -> Iterator[StorageItem]:
        """Every storage item, in declaration order."""
        return iter(self._items.values())

    def item(self, qualified_name: str) -> StorageItem:
        """A storage item by its qualified name, e.g. ``"SubtensorModule.Stake"``."""
        return self._items[qualified_name]

    @property
    def block(self) -> int:
        """The current block number (``System.Number``)."""
        return self.Number.value


def begin_transaction(state: ChainState) -> None:
    """Open a (nested) transaction: later writes can be undone by :func:`rollback_transaction`."""
    state.journal.begin()


def commit_transaction(state: ChainState) -> None:
    """Keep the writes of the innermost open transaction."""
    state.journal.commit()


def rollback_transaction(state: ChainState) -> None:
    """Undo every write of the innermost open transaction."""
    state.journal.rollback()


def copy_state(state: ChainState) -> ChainState:
    """An independent copy (values are immutable, so copying the dicts is enough).

    Must not be called inside an open transaction.
    """
    if state.journal.marks:
        raise RuntimeError("copy_state inside an open transaction")
    new = ChainState()
    for name, item in state._items.items():
        new._items[name].load(item.export())
    return new
