"""serve_axon / serve_prometheus validation and rate limits.

Run alone: .venv/bin/pytest tests/chain/subnets/test_serving.py -q
"""

from __future__ import annotations

from taonet.primitives import calls as C
from tests.harness import Harness, account

COLD, HOT = account("cold"), account("hot")
IP = (10 << 24) | 1  # 10.0.0.1


def served() -> Harness:
    h = Harness()
    h.add_network(1)
    h.step_block()
    h.register_neuron(1, HOT, COLD)
    return h


def axon(**kw: int) -> C.ServeAxon:
    args = dict(netuid=1, version=1, ip=IP, port=8091, ip_type=4, protocol=0)
    args.update(kw)
    return C.ServeAxon(**args)  # type: ignore[arg-type]


def test_serve_axon_stores_the_endpoint() -> None:
    h = served()
    r = h.ok(HOT, axon())
    assert r.find("AxonServed").as_dict() == {"netuid": 1, "hotkey": HOT}  # type: ignore[union-attr]
    info = h.state.Axons.get(1, HOT)
    assert (info.ip, info.port, info.ip_type, info.block, info.version) == (IP, 8091, 4, 1, 1)


def test_serve_axon_errors() -> None:
    h = served()
    h.fails(account("nobody"), axon(), "HotKeyNotRegisteredInNetwork")
    h.fails(HOT, axon(ip_type=5), "InvalidIpType")
    h.fails(HOT, axon(ip=0), "InvalidIpAddress")
    h.fails(HOT, axon(ip=0x7F000001), "InvalidIpAddress")  # 127.0.0.1 refused as on chain
    h.fails(HOT, axon(ip=1, ip_type=6), "InvalidIpAddress")
    h.fails(HOT, axon(ip=2**32), "InvalidIpAddress")
    h.fails(HOT, axon(port=0), "InvalidPort")
    h.ok(HOT, axon(ip=0x7F000002))  # another loopback address is fine


def test_serving_rate_limit() -> None:
    h = served()
    h.state.ServingRateLimit.set(1, 10)
    h.ok(HOT, axon())
    h.run_to_block(10)
    h.fails(HOT, axon(), "ServingRateLimitExceeded")
    h.run_to_block(11)
    h.ok(HOT, axon())
    h.state.ServingRateLimit.set(1, 0)
    h.ok(HOT, axon())


def test_serve_prometheus_and_tls() -> None:
    h = served()
    r = h.ok(HOT, C.ServePrometheus(netuid=1, version=1, ip=IP, port=9090, ip_type=4))
    assert "PrometheusServed" in r.event_names()
    h.fails(HOT, C.ServePrometheus(netuid=1, version=1, ip=IP, port=0, ip_type=4), "ServingRateLimitExceeded")
    h.step_block(60)
    h.fails(HOT, C.ServePrometheus(netuid=1, version=1, ip=IP, port=0, ip_type=4), "InvalidPort")
    cert = bytes([1]) + b"k" * 32
    h.ok(HOT, C.ServeAxonTls(netuid=1, version=1, ip=IP, port=1, ip_type=4, protocol=0, placeholder1=0, placeholder2=0, certificate=cert))
    c = h.state.NeuronCertificates.get(1, HOT)
    assert c.algorithm == 1 and c.public_key == b"k" * 32


def test_era_a_only_needs_registration_somewhere() -> None:
    h = served()
    h.ok(HOT, axon(netuid=42))  # netuid 42 does not exist: era A does not check
