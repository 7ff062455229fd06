"""AxonInfo: where an axon can be reached and who owns it (bittensor's record, same fields).

The dendrite needs only ``ip``, ``port`` and ``hotkey`` from it; the rest mirrors what
``serve_axon`` writes on chain, so the value can be published unchanged.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class AxonInfo:
    """An axon's public endpoint and keys.

    Attributes:
        version: protocol version as an int (major*10^6 + minor*10^3 + patch).
        ip: the external address dendrites should dial.
        port: the external port.
        ip_type: 4 or 6.
        hotkey: ss58 address that signs the axon's answers.
        coldkey: ss58 address of the owning coldkey ("" when unknown).
        protocol: 4 (HTTP), as in bittensor.
    """

    version: int
    ip: str
    port: int
    ip_type: int
    hotkey: str
    coldkey: str
    protocol: int = 4
    placeholder1: int = 0
    placeholder2: int = 0

    @property
    def is_serving(self) -> bool:
        """False for the unset address 0.0.0.0."""
        return self.ip != "0.0.0.0"

    def ip_str(self) -> str:
        """``/ipv4/1.2.3.4:8091`` style, as bittensor prints it."""
        return f"/ipv{self.ip_type}/{self.ip}:{self.port}"

    def to_string(self) -> str:
        """JSON text of all fields."""
        return json.dumps(asdict(self))

    @staticmethod
    def ip_version(ip: str) -> int:
        """4 or 6 for an address string."""
        return ipaddress.ip_address(ip).version
