"""Axon and Dendrite over real HTTP on 127.0.0.1: success, signatures, nonces, hooks, errors.

This module uses ``from __future__ import annotations`` on purpose: attaching forward
functions must work with string annotations (a known bittensor gotcha).
"""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import aiohttp
import pytest
from bittensor_wallet import Keypair

from taonet.sdk import Axon, AxonInfo, Dendrite, Synapse, verify_axon_signature
from taonet.sdk._nonce import NonceTracker

from .echo import Echo, reverse


class Forging(Dendrite):
    """Signs correctly, then flips the last signature byte."""

    def preprocess_synapse_for_request(self, target_axon: Any, synapse: Synapse,
                                       timeout: float = 12.0) -> Synapse:
        synapse = super().preprocess_synapse_for_request(target_axon, synapse, timeout)
        assert synapse.dendrite is not None and synapse.dendrite.signature
        sig = synapse.dendrite.signature
        synapse.dendrite.signature = sig[:-2] + ("00" if sig[-2:] != "00" else "11")
        return synapse


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_round_trip_and_signed_axon_stamp(axon_key: Keypair, dendrite_key: Keypair) -> None:
    async def scenario() -> None:
        async with Axon(axon_key, port=0, coldkey="5Cold").attach(reverse) as axon:
            info = axon.info()
            assert (info.ip, info.port, info.hotkey, info.coldkey) == (
                "127.0.0.1", axon.port, axon_key.ss58_address, "5Cold")
            assert info.protocol == 4 and info.ip_type == 4 and info.version > 0
            async with Dendrite(dendrite_key) as dendrite:
                out = await dendrite(info, Echo(text="hello"), timeout=5, deserialize=False)
                assert out.is_success and out.response == "olleh"
                assert out.dendrite.status_message == "Success"
                assert out.axon.hotkey == axon.hotkey and out.axon.uuid == axon.uuid
                assert out.axon.process_time is not None and out.dendrite.process_time > 0
                assert verify_axon_signature(out)
                # Default ping route, and a live Axon accepted as a target.
                ping = await dendrite(axon, Synapse(), timeout=5, deserialize=False)
                assert ping.is_success
                assert await dendrite([info, info], Echo(text="ab"), timeout=5) == ["ba", "ba"]

    run(scenario())


def test_bad_signature_is_401(axon_key: Keypair, dendrite_key: Keypair) -> None:
    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(reverse) as axon:
            async with Forging(dendrite_key) as forger:
                out = await forger(axon.info(), Echo(text="x"), timeout=5, deserialize=False)
            assert out.dendrite.status_code == 401 and out.failed_verification
            assert "Signature mismatch" in out.dendrite.status_message
            assert len(axon.nonces) == 0  # a forged request does not burn a nonce

    run(scenario())


def test_request_signed_for_another_axon_is_401(
    axon_key: Keypair, dendrite_key: Keypair, other_key: Keypair
) -> None:
    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(reverse) as axon:
            wrong = AxonInfo(version=0, ip="127.0.0.1", port=axon.port, ip_type=4,
                             hotkey=other_key.ss58_address, coldkey="")
            async with Dendrite(dendrite_key) as dendrite:
                out = await dendrite(wrong, Echo(text="x"), timeout=5, deserialize=False)
            assert out.dendrite.status_code == 401

    run(scenario())


async def _raw_post(port: int, synapse: Synapse, body: str | None = None,
                    headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    hdrs = {**(headers if headers is not None else synapse.to_headers()),
            "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as session:
        async with session.post(f"http://127.0.0.1:{port}/{type(synapse).__name__}",
                                data=body if body is not None else synapse.model_dump_json(),
                                headers=hdrs) as resp:
            return resp.status, await resp.json()


def test_replayed_nonce_is_401(axon_key: Keypair, dendrite_key: Keypair) -> None:
    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(reverse) as axon:
            syn = Dendrite(dendrite_key).preprocess_synapse_for_request(axon.info(),
                                                                       Echo(text="x"), 5)
            assert (await _raw_post(axon.port, syn))[0] == 200
            status, body = await _raw_post(axon.port, syn)
            assert status == 401
            assert "a newer one was last processed" in body["message"]

    run(scenario())


def test_stale_first_nonce_is_401(axon_key: Keypair, dendrite_key: Keypair) -> None:
    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(reverse) as axon:
            dendrite = Dendrite(dendrite_key)
            dendrite._last_nonce = time.time_ns() - 60 * 10**9  # pretend the clock is 60 s behind
            dendrite._next_nonce = lambda: dendrite._last_nonce  # type: ignore[method-assign]
            out = await dendrite.call(axon.info(), Echo(text="x"), timeout=5, deserialize=False)
            await dendrite.aclose_session()
            assert out.dendrite.status_code == 401
            assert "Nonce is too old: acceptable delta is 9.00 seconds" in out.dendrite.status_message

    run(scenario())


def test_nonce_window_rules() -> None:
    tracker = NonceTracker()
    now = 1_000 * 10**9
    tracker.check("k:u", now - 3 * 10**9, timeout_s=0, now_ns=now)  # 3 s old: fine
    with pytest.raises(Exception, match="too old"):
        tracker.check("k:u", now - 5 * 10**9, timeout_s=0, now_ns=now)
    tracker.check("k:u", now - 5 * 10**9, timeout_s=2, now_ns=now)  # timeout widens the window
    with pytest.raises(Exception, match="too old"):  # but an inflated timeout is capped
        tracker.check("k:u", now - 500 * 10**9, timeout_s=10**6, now_ns=now)
    tracker.commit("k:u", now)
    with pytest.raises(Exception, match="newer one"):
        tracker.check("k:u", now, timeout_s=12, now_ns=now)
    tracker.check("k:u", now + 1, timeout_s=12, now_ns=now)
    with pytest.raises(Exception, match="Missing Nonce"):
        tracker.check("k:u", None, timeout_s=12, now_ns=now)


def test_nonce_memory_is_bounded_and_stale_endpoints_forgotten() -> None:
    tracker = NonceTracker(prune_above=100)
    now = 10_000 * 10**9
    for i in range(150):  # old endpoints: their last nonce is far outside any window
        tracker.commit(f"old:{i}", now - 3600 * 10**9, now_ns=now)
    assert len(tracker) <= 101
    for i in range(300):  # fresh endpoints are all kept, sweeps stay amortised
        tracker.commit(f"new:{i}", now, now_ns=now)
    assert len(tracker) >= 300 and all(f"new:{i}" in tracker._last for i in range(300))


def test_missing_signature_is_401(axon_key: Keypair, dendrite_key: Keypair) -> None:
    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(reverse) as axon:
            syn = Dendrite(dendrite_key).preprocess_synapse_for_request(axon.info(),
                                                                       Echo(text="x"), 5)
            headers = {k: v for k, v in syn.to_headers().items()
                       if k != "bt_header_dendrite_signature"}
            status, body = await _raw_post(axon.port, syn, headers=headers)
            assert status == 401 and "Missing Signature" in body["message"]

    run(scenario())


def test_tampered_body_is_400(axon_key: Keypair, dendrite_key: Keypair) -> None:
    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(reverse) as axon:
            syn = Dendrite(dendrite_key).preprocess_synapse_for_request(axon.info(),
                                                                       Echo(text="pay 1"), 5)
            tampered = Echo(text="pay 1000").model_dump_json()
            status, body = await _raw_post(axon.port, syn, body=tampered)
            assert status == 400 and "Hash mismatch" in body["message"]

    run(scenario())


def test_blacklist_sync_and_async_hooks_give_403(
    axon_key: Keypair, dendrite_key: Keypair, other_key: Keypair
) -> None:
    class Other(Echo):
        pass

    def deny_sync(synapse: Echo) -> tuple[bool, str]:
        return synapse.dendrite.hotkey == dendrite_key.ss58_address, "not on the list"

    async def deny_async(synapse: Other) -> tuple[bool, str]:
        return synapse.dendrite.hotkey == dendrite_key.ss58_address, "async says no"

    async def forward_other(synapse: Other) -> Other:
        return await reverse(synapse)  # type: ignore[return-value]

    async def scenario() -> None:
        axon = Axon(axon_key, port=0)
        axon.attach(reverse, blacklist_fn=deny_sync)
        with pytest.raises(TypeError, match="synapse_type"):  # local class, string annotation
            axon.attach(forward_other, deny_async)
        axon.attach(forward_other, deny_async, synapse_type=Other)
        async with axon:
            async with Dendrite(dendrite_key) as denied, Dendrite(other_key) as allowed:
                out = await denied(axon, Echo(text="x"), timeout=5, deserialize=False)
                assert out.dendrite.status_code == 403 and out.is_blacklist
                assert "not on the list" in out.dendrite.status_message
                assert verify_axon_signature(out)  # error answers are stamped too
                out = await denied(axon, Other(text="x"), timeout=5, deserialize=False)
                assert out.dendrite.status_code == 403
                assert "async says no" in out.dendrite.status_message
                assert await allowed(axon, Echo(text="ok"), timeout=5) == "ko"

    run(scenario())


def test_custom_verify_hook_rejection_is_401(axon_key: Keypair, dendrite_key: Keypair) -> None:
    def verify(synapse: Echo) -> None:
        if synapse.dendrite.hotkey != "nobody":
            raise ValueError("only nobody may call")

    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(reverse, verify_fn=verify) as axon:
            async with Dendrite(dendrite_key) as dendrite:
                out = await dendrite(axon, Echo(text="x"), timeout=5, deserialize=False)
            assert out.dendrite.status_code == 401
            assert "only nobody may call" in out.dendrite.status_message

    run(scenario())


def test_unknown_route_404_bad_headers_400_forward_error_500(
    axon_key: Keypair, dendrite_key: Keypair
) -> None:
    class Unserved(Echo):
        pass

    async def boom(synapse: Echo) -> Echo:
        raise RuntimeError("miner bug")

    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(boom) as axon:
            async with Dendrite(dendrite_key) as dendrite:
                out = await dendrite(axon, Unserved(text="x"), timeout=5, deserialize=False)
                assert out.dendrite.status_code == 404
                assert "Unserved" in out.dendrite.status_message
                out = await dendrite(axon, Echo(text="x"), timeout=5, deserialize=False)
                assert out.dendrite.status_code == 500
                assert "Internal Server Error" in out.dendrite.status_message
            syn = Dendrite(dendrite_key).preprocess_synapse_for_request(axon.info(),
                                                                       Echo(text="x"), 5)
            headers = {**syn.to_headers(), "bt_header_dendrite_nonce": "not-a-number"}
            status, _ = await _raw_post(axon.port, syn, headers=headers)
            assert status == 400

    run(scenario())


def test_oversized_body_is_413_and_empty_body_400(axon_key: Keypair,
                                                  dendrite_key: Keypair) -> None:
    async def scenario() -> None:
        async with Axon(axon_key, port=0, max_request_bytes=2048).attach(reverse) as axon:
            async with Dendrite(dendrite_key) as dendrite:
                out = await dendrite(axon, Echo(text="x" * 5000), timeout=5, deserialize=False)
                assert out.dendrite.status_code == 413
                assert (await dendrite(axon, Echo(text="x" * 100), timeout=5)) == "x" * 100
            syn = Dendrite(dendrite_key).preprocess_synapse_for_request(axon.info(),
                                                                       Echo(text=""), 5)
            status, _ = await _raw_post(axon.port, syn, body="")
            assert status == 400

    run(scenario())


def test_unreachable_axon_is_503(dendrite_key: Keypair) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the call: nothing listens there
    target = AxonInfo(version=0, ip="127.0.0.1", port=port, ip_type=4, hotkey="5X", coldkey="")

    async def scenario() -> None:
        async with Dendrite(dendrite_key) as dendrite:
            out = await dendrite(target, Echo(text="x"), timeout=2, deserialize=False)
        assert out.dendrite.status_code == 503
        assert f"127.0.0.1:{port}/Echo" in out.dendrite.status_message

    run(scenario())


def test_sync_start_stop_and_blocking_query(axon_key: Keypair, dendrite_key: Keypair) -> None:
    axon = Axon(axon_key, port=0).attach(reverse)
    axon.start()
    try:
        port = axon.port
        dendrite = Dendrite(dendrite_key)
        assert dendrite.query(axon.info(), Echo(text="sync"), timeout=5) == "cnys"
        assert dendrite.query([axon.info()], Echo(text="ab"), timeout=5) == ["ba"]
    finally:
        axon.stop()
    assert not axon.started
    with socket.socket() as s:  # the port is free again after stop()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
    with Axon(axon_key, port=port).attach(reverse) as again:  # and can be served again
        assert Dendrite(dendrite_key).query(again, Echo(text="re"), timeout=5) == "er"


def test_query_refuses_to_block_inside_an_event_loop(dendrite_key: Keypair) -> None:
    async def scenario() -> None:
        with pytest.raises(RuntimeError, match="blocking"):
            Dendrite(dendrite_key).query(AxonInfo(0, "127.0.0.1", 1, 4, "5X", ""), Echo())

    run(scenario())


def test_attach_rejects_a_forward_without_a_synapse_type(axon_key: Keypair) -> None:
    axon = Axon(axon_key, port=0)

    def untyped(synapse):  # type: ignore[no-untyped-def]
        return synapse

    with pytest.raises(TypeError):
        axon.attach(untyped)
    with pytest.raises(TypeError):
        axon.attach(reverse, blacklist_fn="not callable")  # type: ignore[arg-type]
    assert axon.attach(untyped, synapse_type=Echo).routes == ["Synapse", "Echo"]
