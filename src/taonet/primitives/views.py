"""
Read models
===========

The values a client reads from the chain, shaped like Subtensor's runtime APIs of late 2024
(``rpc_info/*.rs``: ``NeuronInfo``, ``NeuronInfoLite``, ``SubnetInfo``, ``SubnetHyperparams``,
``DelegateInfo``, ``StakeInfo``) plus a metagraph that bundles a subnet's vectors.

They live in ``primitives`` because both sides use them: the chain builds them
(``taonet.chain.queries``) and the SDK decodes them from the wire. Account ids are SS58 strings
here (this is an edge), amounts are integer rao, u16 fields stay raw u16.

``AxonInfo``, ``PrometheusInfo``, ``ChainIdentity`` and ``SubnetIdentity`` are also what the
chain stores, so they are registered with the canonical codec.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import codec


@codec.register
@dataclass(frozen=True, slots=True)
class AxonInfo:
    """``Axons[netuid][hotkey]``: a neuron's served endpoint (``ip`` is a u128; IPv4 in the low 32 bits)."""

    block: int = 0
    version: int = 0
    ip: int = 0
    port: int = 0
    ip_type: int = 0
    protocol: int = 0
    placeholder1: int = 0
    placeholder2: int = 0


@codec.register
@dataclass(frozen=True, slots=True)
class PrometheusInfo:
    """``Prometheus[netuid][hotkey]``: a neuron's metrics endpoint."""

    block: int = 0
    version: int = 0
    ip: int = 0
    port: int = 0
    ip_type: int = 0


@codec.register
@dataclass(frozen=True, slots=True)
class NeuronCertificate:
    """``NeuronCertificates[netuid][hotkey]``: TLS public key served with ``serve_axon_tls``."""

    public_key: bytes = b""
    algorithm: int = 0


@codec.register
@dataclass(frozen=True, slots=True)
class ChainIdentity:
    """``Identities[coldkey]`` (``set_identity``)."""

    name: bytes = b""
    url: bytes = b""
    image: bytes = b""
    discord: bytes = b""
    description: bytes = b""
    additional: bytes = b""


@codec.register
@dataclass(frozen=True, slots=True)
class SubnetIdentity:
    """``SubnetIdentities[netuid]`` (``set_subnet_identity``)."""

    subnet_name: bytes = b""
    github_repo: bytes = b""
    subnet_contact: bytes = b""
