"""
Serving endpoints (era A)
=========================

A hotkey announces where its axon (``serve_axon``, ``serve_axon_tls``) and Prometheus exporter
(``serve_prometheus``) listen. Era A only asks that the hotkey be registered on *some* subnet
(``HotKeyNotRegisteredInNetwork``) and does not check that ``netuid`` exists. Then: ``ip_type``
is 4 or 6 (``InvalidIpType``); the address is not 0, IPv4 fits below ``u32::MAX`` and is not
127.0.0.1, IPv6 is not ``::1`` or all ones (``InvalidIpAddress``); at most one update per
``ServingRateLimit`` blocks (0 disables; first serve always allowed)
(``ServingRateLimitExceeded``); ``port != 0`` (``InvalidPort``).

Note for local networks: 127.0.0.1 is refused, as on the real chain; other loopback addresses
(127.0.0.2 ...) are accepted.
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.types import U32_MAX, U128_MAX
from taonet.primitives.views import AxonInfo, NeuronCertificate, PrometheusInfo

from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..state import ChainState
from .uids import is_hotkey_registered_on_any_network

LOCALHOST_V4 = 0x7F000001


def is_valid_ip_type(ip_type: int) -> bool:
    return ip_type in (4, 6)


def is_valid_ip_address(ip_type: int, addr: int) -> bool:
    if not is_valid_ip_type(ip_type) or addr == 0:
        return False
    if ip_type == 4:
        return addr < U32_MAX and addr != LOCALHOST_V4
    return addr != U128_MAX and addr != 1


def passes_serving_rate_limit(state: ChainState, netuid: int, last_block: int) -> bool:
    limit = state.ServingRateLimit.get(netuid)
    return limit == 0 or last_block == 0 or state.block - last_block >= limit


def do_serve_axon(state: ChainState, hotkey: bytes, call: C.ServeAxon | C.ServeAxonTls, certificate: bytes | None) -> None:
    ensure(is_hotkey_registered_on_any_network(state, hotkey), "HotKeyNotRegisteredInNetwork")
    ensure(is_valid_ip_type(call.ip_type), "InvalidIpType")
    ensure(is_valid_ip_address(call.ip_type, call.ip), "InvalidIpAddress")
    previous = state.Axons.get(call.netuid, hotkey) or AxonInfo()
    ensure(passes_serving_rate_limit(state, call.netuid, previous.block), "ServingRateLimitExceeded")
    if certificate is not None and 1 <= len(certificate) <= 65:
        # NeuronCertificateOf::try_from: first byte is the algorithm, then <= 64 key bytes.
        state.NeuronCertificates.set(call.netuid, hotkey, NeuronCertificate(certificate[1:], certificate[0]))
    ensure(call.port != 0, "InvalidPort")
    axon = AxonInfo(
        block=state.block, version=call.version, ip=call.ip, port=call.port, ip_type=call.ip_type,
        protocol=call.protocol, placeholder1=call.placeholder1, placeholder2=call.placeholder2,
    )  # fmt: skip
    state.Axons.set(call.netuid, hotkey, axon)
    subtensor_event(state, "AxonServed", netuid=call.netuid, hotkey=hotkey)


@handles(C.ServeAxon, weight=46_000_000, reads=4, writes=1)
def handle_serve_axon(state: ChainState, origin: Origin, call: C.ServeAxon) -> None:
    do_serve_axon(state, ensure_signed(origin), call, None)


@handles(C.ServeAxonTls, weight=46_000_000, reads=4, writes=1)
def handle_serve_axon_tls(state: ChainState, origin: Origin, call: C.ServeAxonTls) -> None:
    do_serve_axon(state, ensure_signed(origin), call, call.certificate)


@handles(C.ServePrometheus, weight=45_000_000, reads=4, writes=1)
def handle_serve_prometheus(state: ChainState, origin: Origin, call: C.ServePrometheus) -> None:
    hotkey = ensure_signed(origin)
    ensure(is_hotkey_registered_on_any_network(state, hotkey), "HotKeyNotRegisteredInNetwork")
    ensure(is_valid_ip_type(call.ip_type), "InvalidIpType")
    ensure(is_valid_ip_address(call.ip_type, call.ip), "InvalidIpAddress")
    previous = state.Prometheus.get(call.netuid, hotkey) or PrometheusInfo()
    ensure(passes_serving_rate_limit(state, call.netuid, previous.block), "ServingRateLimitExceeded")
    ensure(call.port != 0, "InvalidPort")
    state.Prometheus.set(
        call.netuid, hotkey,
        PrometheusInfo(block=state.block, version=call.version, ip=call.ip, port=call.port, ip_type=call.ip_type),
    )  # fmt: skip
    subtensor_event(state, "PrometheusServed", netuid=call.netuid, hotkey=hotkey)
