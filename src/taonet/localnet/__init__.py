"""taonet.localnet: a whole decentralized AI network on one machine.

A node with fast blocks, the three example subnets (text embeddings, synthetic Q&A, a
fine-tuning competition) with their owners, miners and validators each in their own
process and wallet, a root validator that gives the subnets emission, the model hub the
fine-tuning subnet publishes to, and the application gateway; all supervised, watched on
a live dashboard, and resumable from the same base path. See docs/localnet.md.

This package is a composition root like ``taonet.cli``: it may import the node, the SDK
and the subnets (it starts them as processes and reads the chain through the SDK).
"""

from .network import Localnet, LocalnetError
from .plan import KINDS, LADDERS, LocalnetOptions, Manifest

__all__ = ["KINDS", "LADDERS", "Localnet", "LocalnetError", "LocalnetOptions", "Manifest"]
