"""Senate membership (top 12 root validators by stake) and triumvirate motions voted by the
senate, dispatching calls as Root through SubtensorModule.sudo.

Run alone: .venv/bin/pytest tests/chain/governance/test_senate.py -q
"""

from __future__ import annotations

from taonet.chain.genesis import GenesisConfig, NeuronGenesis, SubnetGenesis
from taonet.chain.governance.triumvirate import proposal_hash
from taonet.primitives import calls as C
from taonet.primitives.crypto import dev_account
from tests.harness import Harness, account, tao

ALICE, BOB = dev_account("Alice"), dev_account("Bob")
HOT = [account(f"senhot{i}") for i in range(13)]
COLD = [account(f"sencold{i}") for i in range(13)]


def senate_chain(validators: int = 12) -> Harness:
    config = GenesisConfig(
        name="senate-test",
        balances=((ALICE, tao(100)), (BOB, tao(100))) + tuple((c, tao(10)) for c in COLD),
        sudo_key=ALICE,
        triumvirate=(ALICE, BOB),
        subnets=(SubnetGenesis(netuid=1, owner=ALICE),),
        root_validators=tuple(NeuronGenesis(HOT[i], COLD[i], tao(100 + i)) for i in range(validators)),
    )
    h = Harness(config)
    h.step_block()
    return h


def test_genesis_senate_is_the_top_stake_root_validators() -> None:
    h = senate_chain(12)
    assert set(h.state.SenateMembers.get()) == set(HOT[:12])


def test_thirteenth_validator_with_more_stake_swaps_out_the_weakest() -> None:
    h = senate_chain(12)
    s = h.state
    s.MaxRegistrationsPerBlock.set(1, 10)
    h.register_neuron(1, HOT[12], COLD[12])
    h.add_stake(COLD[12], HOT[12], tao(1000))
    h.ok(COLD[12], C.RootRegister(hotkey=HOT[12]))
    assert HOT[12] in s.SenateMembers.get() and HOT[0] not in s.SenateMembers.get()
    assert len(s.SenateMembers.get()) == 12


def test_adjust_senate() -> None:
    h = senate_chain(12)
    h.fails(COLD[0], C.AdjustSenate(hotkey=HOT[0]), "HotKeyAlreadyRegisteredInSubNet")
    h.fails(COLD[0], C.AdjustSenate(hotkey=account("nobody")), "HotKeyNotRegisteredInSubNet")


def test_motion_approved_by_senate_majority_dispatches_as_root() -> None:
    h = senate_chain(4)
    s = h.state
    motion = C.SubtensorSudo(call=C.SudoSetTempo(netuid=1, tempo=42))
    h.fails(COLD[0], C.Propose(proposal=motion, length_bound=10_000, duration=3600), "NotMember")
    h.fails(ALICE, C.Propose(proposal=motion, length_bound=10_000, duration=10), "DurationLowerThanConfiguredMotionDuration")
    r = h.ok(ALICE, C.Propose(proposal=motion, length_bound=10_000, duration=3600))
    proposed = r.find("Proposed")
    assert proposed is not None and proposed["threshold"] == 3  # 4 senators // 2 + 1
    digest = proposal_hash(motion)
    assert proposed["proposal_hash"] == digest
    h.fails(ALICE, C.Propose(proposal=motion, length_bound=10_000, duration=3600), "DuplicateProposal")
    h.fails(COLD[0], C.Vote(hotkey=HOT[1], proposal=digest, index=0, approve=True), "NonAssociatedColdKey")
    h.fails(ALICE, C.Vote(hotkey=account("x"), proposal=digest, index=0, approve=True), "NonAssociatedColdKey")
    for i in range(2):
        h.ok(COLD[i], C.Vote(hotkey=HOT[i], proposal=digest, index=0, approve=True))
    h.fails(COLD[0], C.Vote(hotkey=HOT[0], proposal=digest, index=0, approve=True), "DuplicateVote")
    h.fails(COLD[2], C.Vote(hotkey=HOT[2], proposal=digest, index=1, approve=True), "IndexMismatchProposalHash")
    h.fails(BOB, C.Close(proposal_hash=digest, index=0), "TooEarlyToCloseProposal")
    h.ok(COLD[2], C.Vote(hotkey=HOT[2], proposal=digest, index=0, approve=True))
    r = h.ok(BOB, C.Close(proposal_hash=digest, index=0))
    executed = r.find("Executed")
    assert executed is not None and executed["result"] == ("Ok",)
    assert s.Tempo.get(1) == 42 and not s.Proposals.get()


def test_motion_rejected_or_expired_is_dropped() -> None:
    h = senate_chain(4)
    s = h.state
    motion = C.SubtensorSudo(call=C.SudoSetTempo(netuid=1, tempo=7))
    h.ok(ALICE, C.Propose(proposal=motion, length_bound=10_000, duration=3600))
    digest = proposal_hash(motion)
    for i in range(2):
        h.ok(COLD[i], C.Vote(hotkey=HOT[i], proposal=digest, index=0, approve=False))
    r = h.ok(BOB, C.Close(proposal_hash=digest, index=0))  # 4 - 2 nays < 3: early disapproval
    assert "Disapproved" in r.event_names() and s.Tempo.get(1) != 7
    h.fails(BOB, C.Close(proposal_hash=digest, index=0), "ProposalNotExists")
    motion2 = C.SubtensorSudo(call=C.SudoSetTempo(netuid=1, tempo=8))
    h.ok(ALICE, C.Propose(proposal=motion2, length_bound=10_000, duration=3600))
    h.ok(COLD[0], C.Vote(hotkey=HOT[0], proposal=proposal_hash(motion2), index=1, approve=True))
    h.run_to_block(3602)
    r = h.ok(BOB, C.Close(proposal_hash=proposal_hash(motion2), index=1))  # abstentions count as nays
    assert "Disapproved" in r.event_names() and s.Tempo.get(1) != 8


def test_subtensor_sudo_needs_a_council_majority() -> None:
    h = senate_chain(2)
    h.fails(ALICE, C.SubtensorSudo(call=C.SudoSetTempo(netuid=1, tempo=3)), "BadOrigin")
    h.sudo(C.SubtensorSudo(call=C.SudoSetTempo(netuid=1, tempo=3)))  # Root itself is accepted
    assert h.state.Tempo.get(1) == 3


def test_triumvirate_membership_is_root_managed() -> None:
    h = senate_chain(2)
    carol = account("carol")
    h.sudo(C.AddTriumvirateMember(who=carol))
    assert carol in h.state.TriumvirateMembers.get()
    h.sudo_fails(C.AddTriumvirateMember(who=carol), "AlreadyMember")
    h.sudo_fails(C.AddTriumvirateMember(who=account("d")), "TooManyMembers")
    h.sudo(C.RemoveTriumvirateMember(who=carol))
    h.sudo_fails(C.RemoveTriumvirateMember(who=carol), "NotMember")
    motion = C.SubtensorSudo(call=C.SudoSetTempo(netuid=1, tempo=9))
    h.ok(ALICE, C.Propose(proposal=motion, length_bound=10_000, duration=3600))
    h.sudo(C.DisapproveProposal(proposal_hash=proposal_hash(motion)))
    assert not h.state.Proposals.get()
