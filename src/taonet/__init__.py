"""taonet: an open implementation of a Bittensor-style decentralized AI network."""

__version__ = "0.1.0"
