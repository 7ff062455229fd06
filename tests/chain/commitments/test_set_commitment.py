"""Commitments.set_commitment: who may commit, the bounds, the rate limit, the record, the event.

Run alone: .venv/bin/pytest tests/chain/commitments/test_set_commitment.py -q
"""

from __future__ import annotations

import pytest

from taonet.chain import queries as Q
from taonet.chain import state_root
from taonet.chain.dispatch import dispatch_call, get_dispatch_info, signed
from taonet.chain.errors import DispatchError
from taonet.chain.params import COMMITMENT_RATE_LIMIT
from taonet.primitives import calls as C
from taonet.primitives.crypto import ss58_encode
from taonet.primitives.views import CommitmentInfo, Data, Registration
from tests.harness import Harness, account

COLD, HOT, OTHER = account("cold"), account("hot"), account("other")
MODEL = b"org/model:4f1c2a9e:0xabc"


def info(*fields: Data) -> CommitmentInfo:
    return CommitmentInfo(fields)


def raw(data: bytes) -> CommitmentInfo:
    return info(Data("Raw", data))


def registered() -> Harness:
    """Subnet 1 with ``HOT`` registered on it, at block 1."""
    h = Harness()
    h.add_network(1, owner=COLD)
    h.add_network(2)
    for netuid in (1, 2):
        h.state.MaxRegistrationsPerBlock.set(netuid, 100)
        h.state.TargetRegistrationsPerInterval.set(netuid, 100)
    h.step_block()
    h.register_neuron(1, HOT, COLD)
    return h


def test_a_registered_hotkey_commits_and_the_record_is_stored() -> None:
    h = registered()
    r = h.ok(HOT, C.SetCommitment(netuid=1, info=raw(MODEL)))
    assert r.fee == 0  # Pays::No
    assert h.state.CommitmentOf.get(1, HOT) == Registration(deposit=0, block=h.block, info=raw(MODEL))
    assert h.state.LastCommitment.get(1, HOT) == h.block
    c = Q.get_commitment(h.state, 1, HOT)
    assert c is not None and (c.hotkey, c.block, c.deposit, c.info.fields[0].value) == (ss58_encode(HOT), h.block, 0, MODEL)
    assert c.info.fields[0].variant == f"Raw{len(MODEL)}"


def test_the_event_is_commitment_with_netuid_and_who() -> None:
    h = registered()
    r = h.ok(HOT, C.SetCommitment(netuid=1, info=raw(MODEL)))
    assert [(e.pallet, e.name, e.as_dict()) for e in r.events] == [("Commitments", "Commitment", {"netuid": 1, "who": HOT})]


def test_every_data_kind_within_its_bounds_is_accepted() -> None:
    for field in (Data("None"), Data("Raw", b""), Data("Raw", b"x" * 128), Data("BlakeTwo256", bytes(32)),
                  Data("Sha256", b"\x01" * 32), Data("Keccak256", b"\x02" * 32), Data("ShaThree256", b"\x03" * 32)):  # fmt: skip
        h = registered()
        h.ok(HOT, C.SetCommitment(netuid=1, info=info(field)))
        assert h.state.CommitmentOf.get(1, HOT).info == info(field)
    h = registered()
    h.ok(HOT, C.SetCommitment(netuid=1, info=info()))  # no field at all is a valid CommitmentInfo


def test_an_account_not_registered_on_the_subnet_may_not_commit() -> None:
    h = registered()
    h.fails(OTHER, C.SetCommitment(netuid=1, info=raw(MODEL)), "AccountNotAllowedCommit")
    h.fails(COLD, C.SetCommitment(netuid=1, info=raw(MODEL)), "AccountNotAllowedCommit")  # the owner's coldkey
    h.fails(HOT, C.SetCommitment(netuid=2, info=raw(MODEL)), "AccountNotAllowedCommit")  # registered elsewhere
    h.fails(HOT, C.SetCommitment(netuid=77, info=raw(MODEL)), "AccountNotAllowedCommit")  # no such subnet
    r = h.apply(OTHER, C.SetCommitment(netuid=1, info=raw(MODEL)))
    assert r.included and r.error_pallet == "Commitments"


def test_the_rate_limit_is_per_subnet_and_hotkey() -> None:
    h = registered()
    h.register_neuron(2, HOT, COLD)
    h.register_neuron(1, OTHER, COLD)
    first = h.block
    h.ok(HOT, C.SetCommitment(netuid=1, info=raw(b"v1")))
    h.step_block()
    h.fails(HOT, C.SetCommitment(netuid=1, info=raw(b"v2")), "CommitmentSetRateLimitExceeded")
    h.ok(HOT, C.SetCommitment(netuid=2, info=raw(b"v2")))  # another subnet
    h.ok(OTHER, C.SetCommitment(netuid=1, info=raw(b"v2")))  # another hotkey
    h.run_to_block(first + COMMITMENT_RATE_LIMIT - 1)
    h.fails(HOT, C.SetCommitment(netuid=1, info=raw(b"v2")), "CommitmentSetRateLimitExceeded")
    h.step_block()
    h.ok(HOT, C.SetCommitment(netuid=1, info=raw(b"v2")))
    assert h.state.CommitmentOf.get(1, HOT) == Registration(0, first + COMMITMENT_RATE_LIMIT, raw(b"v2"))
    assert h.state.LastCommitment.get(1, HOT) == first + COMMITMENT_RATE_LIMIT


def test_a_deregistered_hotkey_cannot_commit_and_its_last_commitment_stays() -> None:
    h = registered()
    s = h.state
    s.MaxAllowedUids.set(1, 1)
    s.ImmunityPeriod.set(1, 0)
    h.ok(HOT, C.SetCommitment(netuid=1, info=raw(MODEL)))
    h.step_block(COMMITMENT_RATE_LIMIT)
    h.register_neuron(1, OTHER, COLD)  # the full subnet replaces HOT's uid
    assert h.uid(1, HOT) is None and h.uid(1, OTHER) == 0
    h.fails(HOT, C.SetCommitment(netuid=1, info=raw(b"again")), "AccountNotAllowedCommit")
    assert s.CommitmentOf.get(1, HOT).info == raw(MODEL)  # nothing in era A removes it
    assert [c.hotkey for c in Q.get_commitments(s, 1)] == [ss58_encode(HOT)]


def test_more_fields_than_max_fields_or_oversized_data_do_not_decode() -> None:
    """``CommitmentInfo`` is a ``BoundedVec<Data, MaxFields = 1>`` and ``Raw`` holds at most 128
    bytes: Subtensor cannot decode anything larger, so the transaction is invalid (no fee, not
    included, nonce unchanged)."""
    h = registered()
    for bad, detail in (
        (info(Data("Raw", b"a"), Data("Raw", b"b")), "more than MaxFields (1)"),
        (raw(b"x" * 129), "limited to 128 bytes"),
        (info(Data("Sha256", b"short")), "32 bytes"),
        (info(Data("None", b"x")), "no bytes"),
        (info(Data("Md5", bytes(16))), "unknown Data kind"),
        ((Data("Raw", b"x"),), "not a CommitmentInfo"),
        (CommitmentInfo(("Raw",)), "not a Data value"),  # type: ignore[arg-type]
    ):
        r = h.fails(HOT, C.SetCommitment(netuid=1, info=bad), "BadArgument")  # type: ignore[arg-type]
        assert not r.included and detail in (r.detail or ""), (bad, r.detail)


def test_the_pallets_own_max_fields_check_names_its_error() -> None:
    """Reached only by dispatching the call directly (the argument check refuses it first)."""
    h = registered()
    two = C.SetCommitment(netuid=1, info=info(Data("Raw", b"a"), Data("Raw", b"b")))
    with pytest.raises(DispatchError) as err:
        dispatch_call(h.state, signed(HOT), two)
    assert err.value.name == "TooManyFieldsInCommitmentInfo"


def test_a_failed_commit_changes_nothing_and_a_commit_moves_the_state_root() -> None:
    h = registered()
    before = state_root(h.state)
    h.fails(OTHER, C.SetCommitment(netuid=1, info=raw(MODEL)), "AccountNotAllowedCommit")  # checks the rollback
    h.ok(HOT, C.SetCommitment(netuid=1, info=raw(MODEL)))
    committed = state_root(h.state)
    assert committed != before
    # the root commits to the content: another payload gives another root
    other = registered()
    other.ok(HOT, C.SetCommitment(netuid=1, info=raw(MODEL + b"!")))
    assert state_root(other.state) != committed
    same = registered()
    same.fails(OTHER, C.SetCommitment(netuid=1, info=raw(MODEL)), "AccountNotAllowedCommit")  # the same nonce bump
    same.ok(HOT, C.SetCommitment(netuid=1, info=raw(MODEL)))
    assert state_root(same.state) == committed


def test_dispatch_info_is_free_and_operational() -> None:
    d = get_dispatch_info(C.SetCommitment(netuid=1, info=raw(MODEL)))
    assert d is not None and (d.pays_fee, d.operational) == (False, True)


def test_get_commitments_lists_a_subnet_oldest_first() -> None:
    h = registered()
    h.register_neuron(1, OTHER, COLD)
    h.ok(OTHER, C.SetCommitment(netuid=1, info=raw(b"other")))
    h.step_block()
    h.ok(HOT, C.SetCommitment(netuid=1, info=raw(b"hot")))
    got = Q.get_commitments(h.state, 1)
    assert [(c.hotkey, c.info.fields[0].value) for c in got] == [(ss58_encode(OTHER), b"other"), (ss58_encode(HOT), b"hot")]
    assert Q.get_commitments(h.state, 2) == [] and Q.get_commitment(h.state, 1, COLD) is None


def test_the_call_round_trips_through_the_codec_and_json() -> None:
    from taonet.primitives import codec

    call = C.SetCommitment(netuid=3, info=info(Data("Raw", MODEL), Data("Sha256", b"\x07" * 32)))
    assert codec.decode(codec.encode(call)) == call
    as_dict = C.call_to_dict(call)
    assert as_dict["args"]["info"] == {"fields": [{"kind": "Raw", "value": "0x" + MODEL.hex()},
                                                  {"kind": "Sha256", "value": "0x" + "07" * 32}]}  # fmt: skip
    assert C.call_from_dict(as_dict) == call
    # a malformed dict is passed on as it is, and the chain's argument check names it
    odd = C.call_from_dict({"call": "Commitments.set_commitment", "args": {"netuid": 3, "info": {"fields": "x"}}})
    h = registered()
    assert h.fails(HOT, odd, "BadArgument").detail == "info: not a CommitmentInfo"
