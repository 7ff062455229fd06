"""Synapse wire format: headers, body hash, parsing (no network)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, ClassVar

import pytest
from pydantic import Field

from taonet.sdk import Synapse, TerminalInfo
from taonet.sdk.synapse import compute_body_hash

from .echo import Echo


def sha3(text: str) -> str:
    return hashlib.sha3_256(text.encode()).hexdigest()


class Job(Synapse):
    prompt: str
    scores: list[float]
    note: str = ""
    required_hash_fields: ClassVar[tuple[str, ...]] = ("prompt", "scores")


def _stamped(syn: Synapse) -> Synapse:
    syn.dendrite = TerminalInfo(ip="10.0.0.2", version=10005000, nonce=123456789, uuid="d-uuid",
                                hotkey="5Dendrite", signature="0xabc")
    syn.axon = TerminalInfo(ip="10.0.0.1", port=8091, hotkey="5Axon", status_code=200,
                            process_time=0.25)
    return syn


def test_headers_round_trip() -> None:
    job = _stamped(Job(prompt="hi", scores=[0.5, 2.0], timeout=3.5))
    headers = job.to_headers()
    assert headers["name"] == "Job" and headers["timeout"] == "3.5"
    assert headers["bt_header_dendrite_nonce"] == "123456789"
    assert headers["bt_header_axon_process_time"] == "0.25"
    assert "bt_header_axon_uuid" not in headers  # None values are left out
    back = Job.from_headers(headers)
    assert back.dendrite == job.dendrite and back.axon == job.axon
    assert back.timeout == 3.5 and back.name == "Job"
    assert back.computed_body_hash == job.body_hash
    assert int(headers["total_size"]) == job.total_size > 0  # body size, informative only


def test_required_fields_travel_as_empty_input_objects() -> None:
    headers = Job(prompt="secret prompt", scores=[1.0]).to_headers()
    decode = lambda v: json.loads(base64.b64decode(v))  # noqa: E731
    assert decode(headers["bt_header_input_obj_prompt"]) == ""
    assert decode(headers["bt_header_input_obj_scores"]) == []
    assert "bt_header_input_obj_note" not in headers  # has a default
    assert "secret" not in json.dumps(headers)  # the payload itself stays in the body
    # ...which is what lets a receiver build the model from headers alone:
    assert Job.from_headers(headers).prompt == ""


def test_header_names_are_case_insensitive() -> None:
    headers = {k.upper(): v for k, v in _stamped(Echo(text="x")).to_headers().items()}
    back = Echo.from_headers(headers)
    assert back.dendrite is not None and back.dendrite.hotkey == "5Dendrite"
    assert back.computed_body_hash == Echo(text="x").body_hash


def test_body_hash_is_sha3_of_concatenated_field_hashes() -> None:
    job = Job(prompt="hi", scores=[0.5, 2.0])
    assert job.body_hash == sha3(sha3("hi") + sha3("[0.5, 2.0]"))
    assert job.body_hash == compute_body_hash(["hi", [0.5, 2.0]])
    assert Synapse().body_hash == sha3("")


def test_body_hash_covers_only_the_declared_fields() -> None:
    base = Job(prompt="hi", scores=[1.0])
    assert Job(prompt="hi", scores=[1.0], note="changed").body_hash == base.body_hash
    assert Job(prompt="hi!", scores=[1.0]).body_hash != base.body_hash
    assert Job(prompt="hi", scores=[1.0, 0.0]).body_hash != base.body_hash


def test_legacy_field_style_hash_declaration_is_honoured() -> None:
    with pytest.warns(UserWarning, match="shadows"):

        class Legacy(Synapse):
            b: int = 2
            a: int = 1
            required_hash_fields: list[str] = Field(default=["a", "b"])

    # bittensor orders legacy hash fields by declaration order: b, then a.
    assert Legacy().body_hash == sha3(sha3("2") + sha3("1"))


def test_name_is_always_the_class_name() -> None:
    assert Echo(name="Other").name == "Echo"
    assert Echo.model_validate({"name": "Other", "text": "t"}).name == "Echo"


def test_terminal_info_converts_header_strings() -> None:
    info = TerminalInfo(status_code="408", port="9", nonce="17", version="7002000",
                        process_time="0.5")
    assert (info.status_code, info.port, info.nonce, info.version) == (408, 9, 17, 7002000)
    assert info.process_time == 0.5


def test_malformed_input_object_header_is_an_error() -> None:
    headers = Job(prompt="p", scores=[]).to_headers()
    headers["bt_header_input_obj_prompt"] = "!!!not-base64-json"
    with pytest.raises(ValueError):
        Job.from_headers(headers)


def test_status_helpers() -> None:
    syn = Echo()
    for code, attr in [(200, "is_success"), (408, "is_timeout"), (403, "is_blacklist"),
                       (401, "failed_verification")]:
        syn.dendrite = TerminalInfo(status_code=code)
        assert getattr(syn, attr) is True
        assert syn.is_failure is (code != 200)


def test_payload_values_are_json_and_str_stable() -> None:
    # The body hash is computed from model_dump(); the JSON round trip must not change it.
    job = Job(prompt="ünïcode ✓", scores=[1e-9, 3.0, -0.0])
    again: Any = Job.model_validate_json(job.model_dump_json())
    assert again.body_hash == job.body_hash


def test_header_parser_knows_every_terminal_field() -> None:
    from taonet.sdk._headers import TERMINAL_FIELDS

    assert TERMINAL_FIELDS == tuple(TerminalInfo.model_fields)
