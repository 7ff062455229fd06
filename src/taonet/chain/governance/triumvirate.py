"""
The triumvirate collective and council motions (era A)
======================================================

Governance of late 2024 besides the sudo key:

* ``TriumvirateMembers`` (at most 3, set by Root) may *propose* a call
  (``Triumvirate.propose(proposal, length_bound, duration)``; ``duration >= MotionDuration``,
  3600 blocks; at most 10 open proposals). The threshold is ``senate size / 2 + 1`` ayes.
* Senators vote through ``SubtensorModule.vote(hotkey, proposal_hash, index, approve)``
  (signed by the coldkey owning the senator hotkey; the collective's own ``vote`` is disabled).
* ``Triumvirate.close(hash, index)`` (anyone): approved once ayes reach the threshold;
  disapproved early once ``seats - nays < threshold``; otherwise only after the end block, when
  abstentions count as nays (``PrimeDefaultVote`` without a prime). An approved proposal is
  dispatched with the origin ``Members(ayes, seats)``.
* ``SubtensorModule.sudo(call)`` accepts that origin when ``ayes x 2 > seats``
  (``EnsureProportionMoreThan<1, 2>``) and dispatches ``call`` as Root: this is how the senate
  changes hyperparameters without the sudo key.

The proposal hash is ``blake2b_256`` of the call's canonical encoding
(:mod:`taonet.primitives.codec`), and its length is that encoding's length (Subtensor uses the
SCALE encoding of the runtime call).
"""

from __future__ import annotations

from dataclasses import dataclass

from taonet.primitives import calls as C
from taonet.primitives import codec
from taonet.primitives.crypto import blake2b_256, to_account_id

from .. import params as P
from ..accounts.hotkeys import coldkey_owns_hotkey
from ..dispatch import HANDLERS, Origin, dispatch_call, ensure_root, ensure_signed, handles
from ..errors import DispatchError, ensure
from ..events import deposit_event, subtensor_event
from ..state import ChainState
from .senate import is_senate_member
from .sudo import dispatch_as_root


@codec.register
@dataclass(frozen=True, slots=True)
class Votes:
    """``Voting[hash]``: a proposal's tally."""

    index: int
    threshold: int
    ayes: tuple[bytes, ...]
    nays: tuple[bytes, ...]
    end: int


def proposal_hash(call: C.Call) -> bytes:
    return blake2b_256(codec.encode(call))


def _collective_event(state: ChainState, name: str, **fields: object) -> None:
    deposit_event(state, "Triumvirate", name, **fields)


def do_propose(state: ChainState, who: bytes, proposal: C.Call, length_bound: int, duration: int) -> bytes:
    ensure(who in state.TriumvirateMembers.value, "NotMember")
    ensure(duration >= P.MOTION_DURATION, "DurationLowerThanConfiguredMotionDuration")
    threshold = len(state.SenateMembers.value) // 2 + 1
    ensure(len(codec.encode(proposal)) <= length_bound, "ProposalLengthBoundLessThanProposalLength")
    digest = proposal_hash(proposal)
    ensure(not state.ProposalOf.contains(digest), "DuplicateProposal")
    proposals = state.Proposals.value
    ensure(len(proposals) < P.MAX_PROPOSALS, "TooManyActiveProposals")
    state.Proposals.set(proposals + (digest,))
    index = state.ProposalCount.value
    state.ProposalCount.set(index + 1)
    state.ProposalOf.set(digest, proposal)
    state.Voting.set(digest, Votes(index, threshold, (), (), state.block + duration))
    _collective_event(state, "Proposed", account=who, proposal_index=index, proposal_hash=digest, threshold=threshold)
    return digest


def do_vote(state: ChainState, who: bytes, digest: bytes, index: int, approve: bool) -> bool:
    """Record ``who``'s vote; ``True`` if it is its first vote on this proposal."""
    voting = state.Voting.get(digest)
    ensure(voting is not None, "ProposalNotExists")
    assert voting is not None
    ensure(voting.index == index, "IndexMismatchProposalHash")
    ayes, nays = list(voting.ayes), list(voting.nays)
    first = who not in ayes and who not in nays
    if approve:
        ensure(who not in ayes, "DuplicateVote")
        ayes.append(who)
        if who in nays:
            nays.remove(who)
    else:
        ensure(who not in nays, "DuplicateVote")
        nays.append(who)
        if who in ayes:
            ayes.remove(who)
    state.Voting.set(digest, Votes(voting.index, voting.threshold, tuple(ayes), tuple(nays), voting.end))
    _collective_event(state, "Voted", account=who, proposal_hash=digest, voted=approve, yes=len(ayes), no=len(nays))
    return first


def _remove_proposal(state: ChainState, digest: bytes) -> None:
    state.ProposalOf.remove(digest)
    state.Voting.remove(digest)
    state.Proposals.set(tuple(h for h in state.Proposals.value if h != digest))


def _approve(state: ChainState, digest: bytes, yes: int, seats: int) -> None:
    proposal = state.ProposalOf.get(digest)
    _collective_event(state, "Approved", proposal_hash=digest)
    journal = state.journal
    n_events = len(state.events)
    journal.begin()
    try:
        dispatch_call(state, Origin("council", None, yes, seats), proposal)
        journal.commit()
        result: tuple[str, ...] = ("Ok",)
    except DispatchError as err:
        journal.rollback()
        del state.events[n_events:]
        result = ("Err", err.name)
    _collective_event(state, "Executed", proposal_hash=digest, result=result)
    _remove_proposal(state, digest)


def do_close(state: ChainState, digest: bytes, index: int, length_bound: int) -> None:
    voting = state.Voting.get(digest)
    ensure(voting is not None, "ProposalNotExists")
    assert voting is not None
    ensure(voting.index == index, "IndexMismatchProposalHash")
    yes, no = len(voting.ayes), len(voting.nays)
    seats = len(state.SenateMembers.value)
    proposal = state.ProposalOf.get(digest)
    if yes >= voting.threshold:
        ensure(len(codec.encode(proposal)) <= length_bound, "WrongProposalLength")
        _collective_event(state, "Closed", proposal_hash=digest, yes=yes, no=no)
        _approve(state, digest, yes, seats)
        return
    if max(0, seats - no) < voting.threshold:
        _collective_event(state, "Closed", proposal_hash=digest, yes=yes, no=no)
        _collective_event(state, "Disapproved", proposal_hash=digest)
        _remove_proposal(state, digest)
        return
    ensure(state.block >= voting.end, "TooEarlyToCloseProposal")
    no += max(0, seats - (yes + no))  # abstentions count as nays (no prime)
    _collective_event(state, "Closed", proposal_hash=digest, yes=yes, no=no)
    if yes >= voting.threshold:
        _approve(state, digest, yes, seats)
    else:
        _collective_event(state, "Disapproved", proposal_hash=digest)
        _remove_proposal(state, digest)


@handles(C.Propose, weight=50_000_000, reads=4, writes=4, pays_fee=True)
def handle_propose(state: ChainState, origin: Origin, call: C.Propose) -> None:
    do_propose(state, ensure_signed(origin), call.proposal, call.length_bound, call.duration)


@handles(C.Close, weight=50_000_000, reads=4, writes=4, pays_fee=True)
def handle_close(state: ChainState, origin: Origin, call: C.Close) -> None:
    ensure_signed(origin)
    do_close(state, call.proposal_hash, call.index, call.length_bound)


@handles(C.DisapproveProposal, weight=30_000_000, reads=1, writes=3)
def handle_disapprove_proposal(state: ChainState, origin: Origin, call: C.DisapproveProposal) -> None:
    ensure_root(origin)
    _collective_event(state, "Disapproved", proposal_hash=call.proposal_hash)
    _remove_proposal(state, call.proposal_hash)


@handles(C.Vote, weight=20_528_275, reads=2, writes=1, operational=True)
def handle_vote(state: ChainState, origin: Origin, call: C.Vote) -> None:
    """``SubtensorModule.vote``. (Subtensor charges repeat votes on the same proposal; this
    runtime treats every vote as free.)"""
    coldkey = ensure_signed(origin)
    hotkey = to_account_id(call.hotkey)
    ensure(coldkey_owns_hotkey(state, coldkey, hotkey), "NonAssociatedColdKey")
    ensure(is_senate_member(state, hotkey), "NotSenateMember")
    do_vote(state, hotkey, call.proposal, call.index, call.approve)


@handles(C.SubtensorSudo, operational=True)
def handle_subtensor_sudo(state: ChainState, origin: Origin, call: C.SubtensorSudo) -> None:
    """Dispatch as Root for a council majority (``ayes x 2 > seats``) or Root itself."""
    if origin.kind == "council":
        ensure(origin.yes * 2 > origin.seats, "BadOrigin")
    else:
        ensure_root(origin)
    error = dispatch_as_root(state, call.call)
    if error is not None:
        raise DispatchError(error)
    subtensor_event(state, "Sudid", result=("Ok",))


@handles(C.AddTriumvirateMember, weight=20_000_000, reads=1, writes=2)
def handle_add_member(state: ChainState, origin: Origin, call: C.AddTriumvirateMember) -> None:
    ensure_root(origin)
    who = to_account_id(call.who)
    members = state.TriumvirateMembers.value
    ensure(who not in members, "AlreadyMember")
    ensure(len(members) < P.TRIUMVIRATE_MAX_MEMBERS, "TooManyMembers")
    state.TriumvirateMembers.set(tuple(sorted(members + (who,))))
    deposit_event(state, "TriumvirateMembers", "MemberAdded")


@handles(C.RemoveTriumvirateMember, weight=20_000_000, reads=1, writes=2)
def handle_remove_member(state: ChainState, origin: Origin, call: C.RemoveTriumvirateMember) -> None:
    ensure_root(origin)
    who = to_account_id(call.who)
    members = state.TriumvirateMembers.value
    ensure(who in members, "NotMember")
    state.TriumvirateMembers.set(tuple(m for m in members if m != who))
    deposit_event(state, "TriumvirateMembers", "MemberRemoved")


__all__ = ["Votes", "proposal_hash", "HANDLERS"]
