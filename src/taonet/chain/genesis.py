"""
Genesis
=======

:func:`build_genesis` turns a :class:`GenesisConfig` (a plain description: balances, keys,
subnets, neurons, stake, storage overrides) into a :class:`~taonet.chain.state.ChainState` at
block 0. Presets are functions returning a config:

``dev``
    The six Substrate dev accounts funded as in Subtensor's localnet spec, ``//Alice`` as sudo
    key and triumvirate (Alice, Bob, Charlie), senate (Dave, Eve, Ferdie), cheap and un-rate-
    limited subnet registration and one subnet (netuid 1, owned by Alice) with a fast tempo.
``localnet``
    Subtensor's localnet chain spec of late 2024: same accounts and governance, era-A storage
    defaults, no subnet but root.
``mainnet-dec2024``
    The size of the network in December 2024 (see :mod:`taonet.chain.presets`).

Subtensor's genesis also issues ``TotalIssuance = sum of balances`` and creates the root
network (netuid 0) with 64 slots, tempo 100 and no minimum weights; every preset does the same.
(Its legacy genesis subnet 3 of 4096 uids is not reproduced.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from taonet.primitives.crypto import dev_account
from taonet.primitives.types import RAO_PER_TAO, U16_MAX

from . import params as P
from .state import ChainState


@dataclass(frozen=True, slots=True)
class NeuronGenesis:
    """A neuron present at genesis: its hotkey, owning coldkey and own stake (rao)."""

    hotkey: bytes
    coldkey: bytes
    stake: int = 0


@dataclass(frozen=True, slots=True)
class SubnetGenesis:
    """A user subnet present at genesis, initialised as ``register_network`` would.

    ``neurons`` take uids in order. ``weights`` are stored rows ``(uid, ((dest, u16), ...))``;
    ``validators`` are uids given a validator permit and ``LastUpdate = 1`` (weights set after
    registration, so the epoch does not mask them).
    """

    netuid: int
    owner: bytes
    lock: int = 0
    hyperparameters: tuple[tuple[str, Any], ...] = ()
    neurons: tuple[NeuronGenesis, ...] = ()
    emission_value: int = 0
    weights: tuple[tuple[int, tuple[tuple[int, int], ...]], ...] = ()
    validators: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class GenesisConfig:
    """Everything the chain holds at block 0.

    ``storage`` overrides global storage values by item name (``("NetworkRateLimit", 0)``);
    per-subnet hyperparameters go in each :class:`SubnetGenesis`. ``root_validators`` are
    registered on the root network in order (and become delegates and senators as
    ``root_register`` would make them); ``nominations`` are extra ``(coldkey, hotkey, stake)``
    entries.
    """

    name: str
    balances: tuple[tuple[bytes, int], ...] = ()
    sudo_key: bytes | None = None
    triumvirate: tuple[bytes, ...] = ()
    senate: tuple[bytes, ...] = ()
    storage: tuple[tuple[str, Any], ...] = ()
    subnets: tuple[SubnetGenesis, ...] = ()
    root_validators: tuple[NeuronGenesis, ...] = ()
    nominations: tuple[tuple[bytes, bytes, int], ...] = ()
    root_weights: tuple[tuple[bytes, tuple[tuple[int, int], ...]], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def init_root_network(state: ChainState) -> None:
    """Create netuid 0 as Subtensor's genesis does."""
    root = P.ROOT_NETUID
    state.NetworksAdded.set(root, True)
    state.TotalNetworks.set(state.TotalNetworks.value + 1)
    state.SubnetworkN.set(root, 0)
    state.MaxAllowedUids.set(root, P.ROOT_MAX_ALLOWED_UIDS)
    state.MaxAllowedValidators.set(root, P.ROOT_MAX_ALLOWED_VALIDATORS)
    state.MinAllowedWeights.set(root, P.ROOT_MIN_ALLOWED_WEIGHTS)
    state.MaxWeightsLimit.set(root, U16_MAX)
    state.Tempo.set(root, P.ROOT_TEMPO)
    state.NetworkRegistrationAllowed.set(root, True)
    state.TargetRegistrationsPerInterval.set(root, P.ROOT_TARGET_REGISTRATIONS_PER_INTERVAL)


def build_genesis(config: GenesisConfig) -> ChainState:
    """The state at block 0 described by ``config``."""
    from .genesis_build import apply_genesis_population

    state = ChainState()
    issuance = 0
    for who, amount in config.balances:
        if amount >= P.EXISTENTIAL_DEPOSIT:
            state.Account.set(who, state.Account.get(who) + amount)
            issuance += amount
    state.TotalIssuance.set(issuance)
    state.Key.set(config.sudo_key)
    state.TriumvirateMembers.set(tuple(config.triumvirate))
    state.SenateMembers.set(tuple(config.senate))
    init_root_network(state)
    for name, value in config.storage:
        item = getattr(state, name)
        item.set(value)
    apply_genesis_population(state, config)
    state.events.clear()
    return state


# --------------------------------------------------------------------------------------------
# presets
# --------------------------------------------------------------------------------------------

DEV_NAMES = ("Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie")


def _localnet_balances() -> tuple[tuple[bytes, int], ...]:
    rich = 1_000_000 * RAO_PER_TAO
    modest = 2_000 * RAO_PER_TAO
    return tuple(
        (dev_account(n), rich if n in ("Alice", "Bob", "Charlie") else modest) for n in DEV_NAMES
    )


def localnet() -> GenesisConfig:
    """Subtensor's localnet chain spec of late 2024 (era-A defaults, root network only)."""
    return GenesisConfig(
        name="localnet",
        balances=_localnet_balances(),
        sudo_key=dev_account("Alice"),
        triumvirate=tuple(dev_account(n) for n in ("Alice", "Bob", "Charlie")),
        senate=tuple(dev_account(n) for n in ("Dave", "Eve", "Ferdie")),
    )


DEV_TEMPO = 10
"""Tempo of the dev preset's subnet (the ``fast-blocks`` runtime's ``INITIAL_SUBNET_TEMPO``)."""


def dev() -> GenesisConfig:
    """Funded dev accounts, Alice as sudo, cheap subnets and one fast subnet (netuid 1)."""
    alice = dev_account("Alice")
    return GenesisConfig(
        name="dev",
        balances=_localnet_balances(),
        sudo_key=alice,
        triumvirate=tuple(dev_account(n) for n in ("Alice", "Bob", "Charlie")),
        senate=tuple(dev_account(n) for n in ("Dave", "Eve", "Ferdie")),
        storage=(
            ("NetworkRateLimit", 0),
            ("NetworkMinLockCost", 1 * RAO_PER_TAO),
            ("NetworkLastLockCost", 1 * RAO_PER_TAO),
            ("TxRateLimit", 0),
            ("SubnetLimit", 32),
            ("TargetStakesPerInterval", 1000),
        ),
        subnets=(
            SubnetGenesis(
                netuid=1,
                owner=alice,
                # no root validators on dev: the root epoch never overwrites this, so subnet 1
                # accrues 1 TAO per block
                emission_value=1 * RAO_PER_TAO,
                hyperparameters=(
                    ("Tempo", DEV_TEMPO),
                    ("WeightsSetRateLimit", 0),
                    ("MaxRegistrationsPerBlock", 256),
                    ("TargetRegistrationsPerInterval", 256),
                    ("ServingRateLimit", 0),
                    ("MinBurn", RAO_PER_TAO // 1000),
                    ("Burn", RAO_PER_TAO // 1000),
                ),
            ),
        ),
    )


PRESETS: dict[str, Callable[[], GenesisConfig]] = {"dev": dev, "localnet": localnet}


def genesis_state(preset: str = "dev") -> ChainState:
    """Build the genesis state of a named preset (``dev``, ``localnet``, ``mainnet-dec2024``)."""
    if preset not in PRESETS:
        from . import presets  # noqa: F401  (registers the large presets lazily)
    if preset not in PRESETS:
        raise KeyError(f"unknown preset {preset!r}; known: {sorted(PRESETS)}")
    return build_genesis(PRESETS[preset]())
