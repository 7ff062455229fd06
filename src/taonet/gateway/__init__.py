"""taonet.gateway: the application layer's entrance to the subnets.

An HTTP API (aiohttp, OpenAPI at ``/openapi.json``) where an application sends a request
to a subnet; a validator-side router sends it to the top miners by incentive, picks the best
answer by its own scoring and returns it with the uids that answered. API keys with
per-key token-bucket rate limits, timeouts, and JSON errors. See docs/gateway.md.

Layer 3: imports only ``taonet.primitives``, ``taonet.sdk`` and ``taonet.subnets``.
"""

from .app import Gateway
from .keys import ApiKey, KeyRing, TokenBucket
from .routing import EmbeddingRoute, FinetuneRoute, GatewayError, QARoute, Route
from .service import SubnetSpec, build_gateway, detect_kind, serve_forever

__all__ = ["ApiKey", "EmbeddingRoute", "FinetuneRoute", "Gateway", "GatewayError", "KeyRing", "QARoute", "Route",
           "SubnetSpec", "TokenBucket", "build_gateway", "detect_kind", "serve_forever"]
