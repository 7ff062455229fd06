"""Serialising a fine-tuned model: the safetensors layout, written deterministically.

Subnet 37 miners upload safetensors checkpoints to Hugging Face. Here the same file layout
is produced without the library: an 8-byte little-endian header length, a JSON header
(tensor name -> dtype, shape, byte offsets; plus ``__metadata__`` of string values),
padded with spaces to a multiple of 8, then the raw little-endian tensor bytes. The file
holds numbers and a feature-set *name* only: loading it can never run code (unlike a
pickle), and it opens with ``safetensors.numpy.load`` too.

The same model always gives the same bytes (sorted keys, fixed separators, no
timestamps), so its SHA-256 is a stable content address: two miners with the same
weights publish the same hash, which is what the copy rule keys on.
"""

from __future__ import annotations

import hashlib
import json
import struct

import numpy as np

from .features import FEATURE_SETS, FeatureSpec
from .model import MCModel

__all__ = ["FORMAT", "ArtifactError", "MAX_HEADER_BYTES", "dumps", "loads", "sha256_hex"]

FORMAT = "taonet.finetune.mc/1"
MAX_HEADER_BYTES = 64 * 1024
_TENSOR = "weights"


class ArtifactError(ValueError):
    """The bytes are not a valid model artifact."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dumps(model: MCModel) -> bytes:
    """The artifact bytes of ``model`` (deterministic)."""
    data = np.ascontiguousarray(model.weights, dtype="<f4").tobytes()
    header = {
        "__metadata__": {
            "format": FORMAT,
            "feature_set": model.spec.feature_set,
            "dim": str(model.spec.dim),
            "hash_seed": str(model.spec.hash_seed),
        },
        _TENSOR: {"dtype": "F32", "shape": [model.spec.dim], "data_offsets": [0, len(data)]},
    }
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + data


def loads(blob: bytes) -> MCModel:
    """Parse and validate an artifact; raises :class:`ArtifactError` on anything unexpected."""
    if len(blob) < 8:
        raise ArtifactError("too short for a header")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > MAX_HEADER_BYTES or 8 + n > len(blob):
        raise ArtifactError("header length out of range")
    try:
        header = json.loads(blob[8 : 8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArtifactError(f"header is not JSON: {exc}") from exc
    if not isinstance(header, dict) or set(header) != {"__metadata__", _TENSOR}:
        raise ArtifactError("header must hold exactly __metadata__ and weights")
    meta, tensor = header["__metadata__"], header[_TENSOR]
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ArtifactError(f"not a {FORMAT} artifact")
    if meta.get("feature_set") not in FEATURE_SETS:
        raise ArtifactError(f"unknown feature set {meta.get('feature_set')!r}")
    try:
        spec = FeatureSpec(str(meta["feature_set"]), int(meta["dim"]), int(meta["hash_seed"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ArtifactError(f"bad metadata: {exc}") from exc
    data = blob[8 + n :]
    expected = {"dtype": "F32", "shape": [spec.dim], "data_offsets": [0, 4 * spec.dim]}
    if tensor != expected or len(data) != 4 * spec.dim:
        raise ArtifactError("weights tensor does not match the metadata")
    weights = np.frombuffer(data, dtype="<f4").astype(np.float32)
    try:
        return MCModel(spec, weights)
    except ValueError as exc:
        raise ArtifactError(str(exc)) from exc
