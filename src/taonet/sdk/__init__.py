"""taonet.sdk: the client side of taonet, starting with the Axon/Dendrite/Synapse wire.

The networking layer speaks bittensor 10.5.0's application protocol (routes, signed
``bt_header_*`` headers, body hash, nonce rules, status codes), so taonet miners and
validators interoperate with bittensor ones. See docs/axon.md.
"""

from taonet.sdk.axon import Axon
from taonet.sdk.axon_info import AxonInfo
from taonet.sdk.dendrite import Dendrite, verify_axon_signature
from taonet.sdk.stream import StreamingResponse, StreamingSynapse
from taonet.sdk.synapse import Synapse, TerminalInfo

# The chain client (wallet, Subtensor, metagraph): see docs/sdk.md.
from taonet.sdk.blocking import Subtensor
from taonet.sdk.extrinsics import ExtrinsicResponse
from taonet.sdk.metagraph import Metagraph
from taonet.sdk.subtensor import AsyncSubtensor
from taonet.sdk.wallet import Wallet

__all__ = [
    "AsyncSubtensor",
    "Axon",
    "AxonInfo",
    "Dendrite",
    "ExtrinsicResponse",
    "Metagraph",
    "StreamingResponse",
    "StreamingSynapse",
    "Subtensor",
    "Synapse",
    "TerminalInfo",
    "verify_axon_signature",
    "Wallet",
]
