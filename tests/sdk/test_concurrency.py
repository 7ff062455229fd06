"""Many concurrent callers against one axon: every answer correct, no nonce clash."""

from __future__ import annotations

import asyncio

from bittensor_wallet import Keypair

from taonet.sdk import Axon, Dendrite

from .echo import Echo, reverse


def test_concurrent_requests_from_many_dendrites(axon_key: Keypair) -> None:
    callers = [Keypair.create_from_uri(f"//caller-{i}") for i in range(8)]

    async def scenario() -> None:
        async with Axon(axon_key, port=0, max_workers=4).attach(reverse) as axon:
            dendrites = [Dendrite(k) for k in callers]

            async def worker(i: int) -> list[str | None]:
                d = dendrites[i % len(dendrites)]
                return [await d(axon, Echo(text=f"{i}-{n}"), timeout=10) for n in range(25)]

            results = await asyncio.gather(*(worker(i) for i in range(8)))
            for d in dendrites:
                await d.aclose_session()
            assert results == [[f"{i}-{n}"[::-1] for n in range(25)] for i in range(8)]
            assert len(axon.nonces) == 8  # one endpoint per dendrite

    asyncio.run(scenario())


def test_fan_out_to_several_axons(dendrite_key: Keypair) -> None:
    keys = [Keypair.create_from_uri(f"//miner-{i}") for i in range(3)]

    async def scenario() -> None:
        axons = [await Axon(k, port=0).attach(reverse).astart() for k in keys]
        try:
            async with Dendrite(dendrite_key) as dendrite:
                out = await dendrite([a.info() for a in axons], Echo(text="fan"),
                                     timeout=5, deserialize=False)
                one_by_one = await dendrite([a.info() for a in axons], Echo(text="seq"),
                                            timeout=5, run_async=False)
                assert one_by_one == ["qes"] * 3
        finally:
            for a in axons:
                await a.astop()
        assert [s.response for s in out] == ["naf"] * 3
        assert [s.axon.hotkey for s in out] == [k.ss58_address for k in keys]

    asyncio.run(scenario())
