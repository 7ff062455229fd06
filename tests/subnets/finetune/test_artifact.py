"""Model artifacts: deterministic bytes, a safetensors layout, and strict loading."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from taonet.subnets.finetune.artifact import ArtifactError, dumps, loads, sha256_hex
from taonet.subnets.finetune.features import FeatureSpec
from taonet.subnets.finetune.model import MCModel, train
from taonet.subnets.qa.choices import MultipleChoice


def _model(dim: int = 64) -> MCModel:
    return MCModel(FeatureSpec("numeric", dim, 3), np.linspace(-1, 1, dim, dtype=np.float32))


def test_round_trip_and_layout() -> None:
    model = _model()
    blob = dumps(model)
    back = loads(blob)
    assert back.spec == model.spec
    np.testing.assert_array_equal(back.weights, model.weights)
    (n,) = struct.unpack("<Q", blob[:8])
    assert n % 8 == 0  # safetensors pads the header to 8 bytes
    header = json.loads(blob[8 : 8 + n])
    assert header["weights"] == {"dtype": "F32", "shape": [64], "data_offsets": [0, 256]}
    assert all(isinstance(v, str) for v in header["__metadata__"].values())
    assert len(blob) == 8 + n + 256


def test_same_training_same_bytes_same_hash(train_questions: list[MultipleChoice]) -> None:
    spec = FeatureSpec("lexical", 1 << 12)
    a = dumps(train(spec, train_questions, epochs=10, max_questions=300, seed=1))
    b = dumps(train(spec, train_questions, epochs=10, max_questions=300, seed=1))
    c = dumps(train(spec, train_questions, epochs=10, max_questions=300, seed=2))
    assert a == b and sha256_hex(a) == sha256_hex(b)
    assert sha256_hex(a) != sha256_hex(c)


def _patched(blob: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n])
    edit(header)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + blob[8 + n :]


@pytest.mark.parametrize("bad", [
    b"",
    b"\x01\x00\x00\x00\x00\x00\x00\x00{",
    struct.pack("<Q", 1 << 40) + b"{}",
    "format",
    "feature_set",
    "dtype",
    "shape",
    "extra",
    "truncated",
    "nan",
])
def test_malformed_artifacts_are_rejected(bad: object) -> None:
    blob = dumps(_model())
    if isinstance(bad, bytes):
        data = bad
    elif bad == "format":
        data = _patched(blob, lambda h: h["__metadata__"].update(format="pickle"))
    elif bad == "feature_set":
        data = _patched(blob, lambda h: h["__metadata__"].update(feature_set="os.system"))
    elif bad == "dtype":
        data = _patched(blob, lambda h: h["weights"].update(dtype="F64"))
    elif bad == "shape":
        data = _patched(blob, lambda h: h["weights"].update(shape=[32]))
    elif bad == "extra":
        data = _patched(blob, lambda h: h.update(other=h["weights"]))
    elif bad == "truncated":
        data = blob[:-4]
    else:
        data = blob[:-4] + np.array([np.nan], dtype="<f4").tobytes()
    with pytest.raises(ArtifactError):
        loads(data)
