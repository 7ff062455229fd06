"""Commitments: a hotkey publishes a short text for its subnet; anyone reads them back.

The client half of the chain's ``Commitments`` pallet, with bittensor's names and shapes:
``commit`` / ``set_commitment(wallet, netuid, data)`` (signed by the wallet's *hotkey*, which
must be registered on ``netuid``), ``get_commitment(netuid, uid) -> str`` and
``get_all_commitments(netuid) -> {hotkey: str}``. A fine-tuning subnet's miner commits its
model's repository and hash this way, and validators read them.

Chain rules worth knowing before calling (era A): one field of at most 128 bytes, one
commitment per hotkey and subnet every 100 blocks (``CommitmentSetRateLimitExceeded``), free
(no fee, no deposit). A deregistered hotkey cannot commit, but its last commitment stays on
chain, so ``get_all_commitments`` may list hotkeys that no longer hold a uid (as bittensor's
does); ``get_commitment(netuid, uid)`` reads the uid's current hotkey.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from taonet.primitives import calls as C
from taonet.primitives import views as V
from taonet.primitives.wire import from_json
from taonet.sdk.chain_errors import ValidationError
from taonet.sdk.extrinsics import ExtrinsicResponse

if TYPE_CHECKING:
    from taonet.sdk.subtensor_writes import WritesMixin as _Base
else:
    _Base = object


def decode_commitment(commitment: V.Commitment | None) -> str:
    """The text of a commitment's first field, as bittensor's ``decode_metadata``: UTF-8 of a
    ``Raw`` field (undecodable bytes dropped); a hash field as ``0x`` hex; ``""`` for none."""
    if commitment is None or not commitment.info.fields:
        return ""
    field = commitment.info.fields[0]
    if field.kind == "Raw":
        return field.value.decode("utf-8", errors="ignore")
    if field.kind in V.DATA_HASH_KINDS:
        return "0x" + field.value.hex()
    return ""


def commitment_call(netuid: int, data: str) -> C.SetCommitment:
    """The ``set_commitment`` call carrying ``data`` as one ``Raw`` field (bittensor's
    ``Raw<len>``); :class:`ValidationError` if it cannot fit."""
    raw = data.encode()
    if len(raw) > V.RAW_MAX_BYTES:
        raise ValidationError(
            "BadArgument", f"BadArgument: the commitment is {len(raw)} bytes; the chain holds at most {V.RAW_MAX_BYTES}"
        )
    return C.SetCommitment(int(netuid), V.CommitmentInfo((V.Data("Raw", raw),)))


class CommitmentsMixin(_Base):
    """Commitment reads and the write; mixed into AsyncSubtensor (``self`` is the client)."""

    async def set_commitment(self, wallet: Any, netuid: int, data: str, **opts: Any) -> ExtrinsicResponse:
        """Commit ``data`` (at most 128 bytes of UTF-8) on ``netuid``, signed by the wallet's
        hotkey. Takes the usual write options (``wait_for_inclusion`` ...)."""
        fn = "publish_metadata_extrinsic"
        try:
            call = commitment_call(netuid, data)
        except ValidationError as exc:
            return self._refuse(exc, opts, fn)
        opts.setdefault("function", fn)
        return await self._send(call, wallet, "hotkey", opts, f"Committed to subnet {netuid}")

    commit = set_commitment

    async def get_commitment_metadata(
        self, netuid: int, hotkey_ss58: str, block: int | None = None
    ) -> V.Commitment | None:
        """The stored commitment of ``hotkey`` on ``netuid`` with the block it was made at
        (validators order miners by it), or ``None`` if the hotkey never committed there."""
        await self._at(block)
        d = await self.rpc("taonet_getCommitment", [netuid, hotkey_ss58])
        return None if d is None else from_json(V.Commitment, d)

    async def get_commitment(self, netuid: int, uid: int, block: int | None = None) -> str:
        """The text committed by the hotkey now holding ``uid`` on ``netuid``; ``""`` if the uid
        is empty or its hotkey has not committed."""
        await self._at(block)
        neuron = await self.rpc("taonet_getNeuron", [netuid, uid])
        if not neuron:
            return ""
        return decode_commitment(await self.get_commitment_metadata(netuid, str(neuron["hotkey"])))

    async def get_all_commitments_metadata(self, netuid: int, block: int | None = None) -> list[V.Commitment]:
        """Every stored commitment on ``netuid`` with its block, oldest first (taonet's: one
        query where bittensor iterates the storage map)."""
        await self._at(block)
        return [from_json(V.Commitment, d) for d in await self.rpc("taonet_getCommitments", [netuid]) or []]

    async def get_all_commitments(self, netuid: int, block: int | None = None) -> dict[str, str]:
        """``{hotkey ss58: text}`` of every commitment on ``netuid``, oldest first."""
        return {c.hotkey: decode_commitment(c) for c in await self.get_all_commitments_metadata(netuid, block)}
