"""Synapses shared by the sdk tests."""

from __future__ import annotations

from typing import ClassVar

from taonet.sdk import Synapse


class Echo(Synapse):
    """The miner answers with the text reversed."""

    text: str = ""
    priority: float = 0.0
    delay: float = 0.0
    response: str | None = None
    required_hash_fields: ClassVar[tuple[str, ...]] = ("text",)

    def deserialize(self) -> str | None:
        return self.response


async def reverse(synapse: Echo) -> Echo:
    synapse.response = synapse.text[::-1]
    return synapse
