"""The bittensor 10.5.0 side of the interop tests; runs in the isolated .venv-interop.

Modes (each bounded; the parent owns the lifetime):

* ``serve``: a real bittensor Axon on 127.0.0.1 serving ``Echo`` and ``StreamEcho`` with a
  blacklist; prints ``READY <hotkey>`` and serves until stdin closes.
* ``query``: real bittensor Dendrites query an axon (a taonet one in the tests) and print one
  JSON line per check.
* ``wire``: prints, as JSON, what bittensor itself computes for a few synapses (headers, body
  hashes), so the taonet side can compare byte for byte.

No ``from __future__ import annotations``: bittensor's Axon.attach() inspects annotations.
"""

import argparse
import asyncio
import json
import sys
import tempfile
import typing
from typing import ClassVar, List, Optional

LOOPBACK = "127.0.0.1"


def _no_public_ip() -> None:
    # bittensor's Axon()/Dendrite() would ask public IP-echo services; never let them.
    import bittensor.utils.networking as networking

    networking.get_external_ip = lambda: "127.0.0.2"  # type: ignore[assignment]


def _classes():
    import bittensor as bt

    class Echo(bt.Synapse):
        text: str = ""
        numbers: List[int] = []
        response: Optional[str] = None
        required_hash_fields: ClassVar[typing.Tuple[str, ...]] = ("text", "numbers")

        def deserialize(self):
            return self.response

    class StreamEcho(bt.StreamingSynapse):
        text: str = ""
        chunks: List[str] = []
        required_hash_fields: ClassVar[typing.Tuple[str, ...]] = ("text",)

        async def process_streaming_response(self, response):
            buffer = ""
            async for raw in response.content.iter_any():
                buffer += raw.decode("utf-8")
                *done, buffer = buffer.split("\n")
                for token in done:
                    self.chunks = self.chunks + [token]
                    yield token

        def extract_response_json(self, response):
            headers = {k.lower(): v for k, v in response.headers.items()}

            def terminal(prefix):
                return {k[len(prefix):]: v for k, v in headers.items() if k.startswith(prefix)}

            return {
                "name": headers.get("name", ""),
                "timeout": float(headers.get("timeout", 0)),
                "dendrite": terminal("bt_header_dendrite_"),
                "axon": terminal("bt_header_axon_"),
                "text": self.text,
                "chunks": self.chunks,
            }

    return bt, Echo, StreamEcho


def _wallet(root: str, name: str):
    from bittensor_wallet import Wallet

    wallet = Wallet(name=name, hotkey="default", path=root)
    wallet.create_if_non_existent(coldkey_use_password=False, hotkey_use_password=False,
                                  suppress=True)
    return wallet


# --------------------------------------------------------------------------- serve
def serve(port: int, deny: List[str]) -> None:
    _no_public_ip()
    bt, Echo, StreamEcho = _classes()
    root = tempfile.mkdtemp(prefix="bt_axon_")
    wallet = _wallet(root, "bt_axon")

    def forward(synapse: Echo) -> Echo:
        synapse.response = synapse.text[::-1] + "|" + ",".join(map(str, synapse.numbers))
        return synapse

    def blacklist(synapse: Echo) -> typing.Tuple[bool, str]:
        hotkey = synapse.dendrite.hotkey
        return (hotkey in deny, "denied by test" if hotkey in deny else "ok")

    def stream_forward(synapse: StreamEcho) -> StreamEcho.BTStreamingResponse:
        async def token_streamer(send):
            for word in synapse.text.split():
                await send({"type": "http.response.body", "body": (word + "\n").encode(),
                            "more_body": True})
                await asyncio.sleep(0.01)

        return synapse.create_streaming_response(token_streamer)

    axon = bt.Axon(wallet=wallet, ip=LOOPBACK, port=port, external_ip=LOOPBACK)
    axon.fast_config.host = LOOPBACK  # bittensor binds 0.0.0.0 otherwise
    axon.attach(forward_fn=forward, blacklist_fn=blacklist)
    axon.attach(forward_fn=stream_forward)
    axon.start()
    print(f"READY {wallet.hotkey.ss58_address}", flush=True)
    try:
        sys.stdin.read()
    finally:
        axon.stop()


# --------------------------------------------------------------------------- query
async def query(port: int, hotkey: str, good_uri: str, denied_uri: str) -> None:
    _no_public_ip()
    bt, Echo, StreamEcho = _classes()
    from bittensor.core.chain_data import AxonInfo
    from bittensor_wallet import Keypair

    target = AxonInfo(version=0, ip=LOOPBACK, port=port, ip_type=4, hotkey=hotkey,
                      coldkey=hotkey, protocol=4, placeholder1=0, placeholder2=0)
    good = Keypair.create_from_uri(good_uri)

    def report(check: str, synapse, **extra) -> None:
        out = {
            "check": check,
            "status": synapse.dendrite.status_code,
            "message": synapse.dendrite.status_message,
            "dendrite_hotkey": synapse.dendrite.hotkey,
        }
        out.update(extra)
        print(json.dumps(out), flush=True)

    def axon_stamp_ok(synapse) -> bool:
        a, d = synapse.axon, synapse.dendrite
        if not a.signature:
            return False
        message = f"{a.nonce}.{d.hotkey}.{a.hotkey}.{a.uuid}"
        return bool(Keypair(ss58_address=a.hotkey).verify(message, a.signature))

    async with bt.Dendrite(wallet=good) as dendrite:
        echo = await dendrite.forward(target, Echo(text="hello", numbers=[1, 2, 3]),
                                      timeout=10, deserialize=False)
        report("echo", echo, response=echo.response, axon_hotkey=echo.axon.hotkey,
               axon_stamp_ok=axon_stamp_ok(echo), process_time=echo.axon.process_time)

        gen = await dendrite.forward(target, StreamEcho(text="one two three four"),
                                     timeout=10, deserialize=False, streaming=True)
        chunks, final = [], None
        async for item in gen:
            if isinstance(item, bt.Synapse):
                final = item
            else:
                chunks.append(item)
        report("stream", final, chunks=chunks, final_chunks=final.chunks)

        many = await asyncio.gather(*(
            dendrite.forward(target, Echo(text=f"c{i}"), timeout=10, deserialize=False)
            for i in range(20)
        ))
        print(json.dumps({"check": "concurrent",
                          "statuses": [s.dendrite.status_code for s in many],
                          "responses_ok": all(s.response == f"c{i}"[::-1] + "|"
                                              for i, s in enumerate(many))}), flush=True)

    async with bt.Dendrite(wallet=Keypair.create_from_uri(denied_uri)) as dendrite:
        denied = await dendrite.forward(target, Echo(text="x"), timeout=10, deserialize=False)
        report("blacklisted", denied, is_blacklist=denied.is_blacklist,
               axon_stamp_ok=axon_stamp_ok(denied))

    class ForgingDendrite(bt.Dendrite):
        """Signs, then corrupts the signature: a taonet axon must answer 401."""

        def preprocess_synapse_for_request(self, target_axon_info, synapse, timeout=12.0):
            synapse = super().preprocess_synapse_for_request(target_axon_info, synapse, timeout)
            sig = synapse.dendrite.signature
            synapse.dendrite.signature = sig[:-2] + ("00" if sig[-2:] != "00" else "11")
            return synapse

    async with ForgingDendrite(wallet=good) as dendrite:
        forged = await dendrite.forward(target, Echo(text="x"), timeout=10, deserialize=False)
        report("forged", forged, failed_verification=forged.failed_verification)


# --------------------------------------------------------------------------- wire
def wire() -> None:
    _no_public_ip()
    bt, Echo, StreamEcho = _classes()
    from bittensor.core.synapse import TerminalInfo

    class Required(bt.Synapse):
        prompt: str
        weights: List[float]
        meta: dict = {}
        required_hash_fields: ClassVar[typing.Tuple[str, ...]] = ("prompt", "weights", "meta")

    cases = {
        "plain": bt.Synapse(),
        "echo": Echo(text="héllo wörld", numbers=[1, -2, 30000000000]),
        "required": Required(prompt="why?", weights=[0.5, 1.0, 1e-9], meta={"a": [1, 2]}),
    }
    out = {}
    for key, syn in cases.items():
        syn.dendrite = TerminalInfo(ip="127.0.0.2", version=10005000, nonce=1700000000000000000,
                                    uuid="u-1", hotkey="5Hot", signature="0xsig")
        syn.axon = TerminalInfo(ip="127.0.0.1", port=8091, hotkey="5Axon")
        headers = syn.to_headers()
        out[key] = {"body": syn.model_dump(mode="json"), "headers": headers,
                    "body_hash": syn.body_hash}
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--deny", action="append", default=[])
    q = sub.add_parser("query")
    q.add_argument("--port", type=int, required=True)
    q.add_argument("--hotkey", required=True)
    q.add_argument("--good-uri", required=True)
    q.add_argument("--denied-uri", required=True)
    sub.add_parser("wire")
    args = ap.parse_args()
    if args.mode == "serve":
        serve(args.port, args.deny)
    elif args.mode == "query":
        asyncio.run(query(args.port, args.hotkey, args.good_uri, args.denied_uri))
    else:
        wire()


if __name__ == "__main__":
    main()
