"""End to end: the three example subnets doing real work on a local network of real processes.

One network (4 miners and 2 validators per subnet, 0.5 s blocks, tempo 10) goes through
these phases, in this order (one test: the later phases change the network, and pytest-xdist
does not keep the order of separate tests):

1. incentive follows the miners' known quality on each subnet (Spearman >= 0.8);
2. per subnet, one epoch's emission goes 18% to the owner and 41% each to miners and
   validators;
3. the Q&A dataset grows and the fine-tuning subnet pays its best model;
4. the gateway answers correctly and rejects bad requests, unknown keys and floods;
5. a crashed process is reported and restarted;
6. an identical copy of the best model earns nothing;
7. a miner taken offline loses its incentive, and a new registration replaces it.

Run alone: ``pytest tests/e2e -m slow -s`` (a few minutes on 2 cores; the measured figures
are printed).
"""

from __future__ import annotations

import random
import signal
import time

import pytest
from scipy.stats import spearmanr  # type: ignore[import-untyped]

from taonet.localnet import KINDS
from taonet.primitives.views import Commitment
from taonet.primitives.wire import from_json
from taonet.sdk.commitments import decode_commitment
from taonet.subnets.qa.answers import is_correct
from taonet.subnets.qa.dataset import read_records
from taonet.subnets.qa.questions import generate_questions
from taonet.subnets.finetune.evaluate import fresh_questions
from tests.e2e.conftest import GOOD_KEY, TIGHT_KEY, Net

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900), pytest.mark.xdist_group("localnet-e2e")]

U16 = 65535
OWNER_CUT = 11796 / 65535


def incentives(net: Net, kind: str) -> list[tuple[str, int, float]]:
    """(name, expected rank, incentive) of each running miner of ``kind``."""
    cols = net.metagraph(kind)
    out = []
    for name, hotkey, rank in net.miners(kind):
        if hotkey in cols["hotkeys"]:
            out.append((name, rank, cols["incentive"][cols["hotkeys"].index(hotkey)] / U16))
    return out


def spearman(rows: list[tuple[str, int, float]]) -> float:
    if len({r[2] for r in rows}) < 2:
        return float("nan")
    rho = spearmanr([-r[1] for r in rows], [r[2] for r in rows]).statistic
    return float(rho)


def check_incentive_follows_quality(net: Net) -> None:
    seen: dict[str, float] = {}

    def ranked() -> bool:
        for kind in KINDS:
            rows = incentives(net, kind)
            seen[kind] = spearman(rows)
        return all(seen[k] >= 0.8 for k in KINDS)

    net.wait("incentive to follow quality on every subnet", ranked, timeout=300, every=2)
    # once ranked, it stays ranked: two more epochs
    time.sleep(11)
    for kind in KINDS:
        rows = incentives(net, kind)
        rho = spearman(rows)
        print(f"\n{kind}: spearman {rho:.3f}: " + ", ".join(f"{n}(rank {r})={i:.4f}" for n, r, i in rows))
        assert rho >= 0.8, (kind, rows)


def check_emission_split_per_subnet(net: Net) -> None:
    for kind in KINDS:
        netuid = net.netuid(kind)
        tempo = int(net.metagraph(kind)["tempo"])
        owner = net.coldkey(net.manifest.subnets[kind].owner)
        for _attempt in range(3):
            head = net.block()
            epoch = head + 3
            while (epoch + netuid + 1) % (tempo + 1):
                epoch += 1
            net.wait("the block before the epoch", lambda: net.block() >= epoch - 2, 30, 0.1)
            before = int(net.rpc("taonet_getAccount", [owner])["free"])
            if net.block() >= epoch:
                continue  # the epoch may have landed before the read: try the next one
            net.wait("the epoch block", lambda: net.block() >= epoch, 30, 0.1)
            after = int(net.rpc("taonet_getAccount", [owner])["free"])
            cols = net.metagraph(kind)
            if net.block() >= epoch + tempo:
                continue  # the next epoch may have overwritten the emission column
            events = net.rpc("taonet_getBlockEvents", [net.rpc("chain_getBlockHash", [epoch])])["events"]
            post_cut = [e["fields"]["emission"] for e in events
                        if e["name"] == "EpochCompleted" and e["fields"]["netuid"] == netuid]
            assert post_cut, f"no EpochCompleted for subnet {netuid} in block {epoch}"
            owner_cut = after - before
            total = owner_cut + post_cut[0]
            hotkeys = cols["hotkeys"]
            validators = set(net.validators(kind))
            to_validators = sum(cols["emission"][u] for u, h in enumerate(hotkeys) if h in validators)
            to_miners = sum(cols["emission"][u] for u, h in enumerate(hotkeys) if h not in validators)
            print(f"\n{kind}: epoch at block {epoch}: total {total} rao: owner {owner_cut / total:.5f}, "
                  f"miners {to_miners / total:.5f}, validators {to_validators / total:.5f}")
            assert abs(owner_cut / total - OWNER_CUT) < 1e-6
            assert abs(to_miners + to_validators - post_cut[0]) <= len(hotkeys)  # rounding: at most 1 rao per uid
            assert abs(to_miners / total - 0.41) < 0.001
            assert abs(to_validators / total - 0.41) < 0.001
            break
        else:
            pytest.fail(f"could not observe a clean epoch of subnet {netuid}")


def check_dataset_grows_and_finetune_pays_the_best_model(net: Net) -> None:
    archives = sorted((net.base / "qa").glob("*.jsonl"))
    assert archives, "the Q&A validators keep no archive"
    first = sum(len(list(read_records(p))) for p in archives)
    time.sleep(6)
    second = sum(len(list(read_records(p))) for p in archives)
    print(f"\nQ&A dataset: {first} -> {second} scored pairs in 6 s")
    assert second > first > 0
    rows = incentives(net, "finetune")
    best = max(rows, key=lambda r: r[2])
    print("finetune: " + ", ".join(f"{n}(rank {r})={i:.4f}" for n, r, i in rows))
    assert best[1] == min(r[1] for r in rows), rows
    assert best[2] > 0.5, "the best model should take most of the emission"


def check_gateway_answers_and_refuses(net: Net) -> None:
    qa, emb, ft = net.netuid("qa"), net.netuid("embeddings"), net.netuid("finetune")
    status, body, _ = net.gateway("GET", "/openapi.json", key=None)
    assert status == 200 and f"/v1/subnets/{qa}/answer" in body["paths"]
    # Q&A: generated questions have checkable answers
    right = 0
    for q in generate_questions(12, seed=random.randrange(1 << 30)):
        status, body, _ = net.gateway("POST", f"/v1/subnets/{qa}/answer", {"question": q.text})
        assert status == 200, body
        assert body["answered"], body
        right += is_correct(q, body["result"]["answer"])
    print(f"\ngateway Q&A: {right}/12 correct")
    assert right >= 10
    # embeddings: one vector per text, from one of the miners that answered
    status, body, _ = net.gateway("POST", f"/v1/subnets/{emb}/embeddings", {"texts": ["a physician treats patients", "rain"]})
    assert status == 200, body
    assert len(body["result"]["embeddings"]) == 2 and body["uid"] in body["answered"]
    # fine-tuning: the top models choose among four options
    held = fresh_questions(20, seed=random.randrange(1 << 30))
    right = 0
    for mc in held:
        status, body, _ = net.gateway("POST", f"/v1/subnets/{ft}/choose", {"question": mc.question, "options": list(mc.options)})
        assert status == 200, body
        right += body["result"]["index"] == mc.correct_index
    print(f"gateway fine-tuning: {right}/20 correct")
    assert right >= 11  # the best model scores about 0.78 on held-out questions; chance is 0.25
    # refusals
    assert net.gateway("POST", f"/v1/subnets/{qa}/answer", {"question": "x"}, key=None)[0] == 401
    assert net.gateway("POST", f"/v1/subnets/{qa}/answer", {"question": "x"}, key="tn-unknown")[0] == 401
    assert net.gateway("POST", f"/v1/subnets/{qa}/answer", raw=b"{not json")[0] == 400
    assert net.gateway("POST", f"/v1/subnets/{qa}/answer", {"text": "no question field"})[0] == 400
    assert net.gateway("POST", f"/v1/subnets/{qa}/embeddings", {"texts": ["x"]})[0] == 400
    status, body, _ = net.gateway("POST", "/v1/subnets/999/answer", {"question": "x"})
    assert status == 404 and body["error"]["code"] == "unknown_subnet"
    codes = [net.gateway("POST", f"/v1/subnets/{qa}/answer", {"question": "What is 2 + 2?"}, key=TIGHT_KEY)
             for _ in range(3)]
    assert [c[0] for c in codes[:2]] == [200, 200]
    assert codes[2][0] == 429 and int(codes[2][2]["Retry-After"]) >= 1


def check_crashed_process_is_reported_and_restarted(net: Net) -> None:
    name = "qa-miner-1"
    sp = net.localnet.supervisor[name]
    pid = sp.pid
    net.localnet.call(net.localnet.supervisor.kill(name, signal.SIGKILL))
    net.wait("the crashed miner to be restarted", lambda: sp.restarts >= 1 and sp.pid not in (None, pid), 30, 0.2)
    assert any(f"{name} exited with code -9" in e for e in net.localnet.events)


def commitments(net: Net, kind: str) -> dict[str, tuple[str, int]]:
    """``{hotkey: (text, block)}`` of the subnet's commitments, read from the chain."""
    entries = [from_json(Commitment, d) for d in net.rpc("taonet_getCommitments", [net.netuid(kind)])]
    return {c.hotkey: (decode_commitment(c), c.block) for c in entries}


def check_an_identical_copy_earns_nothing(net: Net) -> None:
    best_name, _, _ = max(incentives(net, "finetune"), key=lambda r: r[2])
    copier = net.localnet.call(net.localnet.add_miner("finetune", "copy"))
    hotkey = net.hotkey(copier.name)
    text, block = net.wait("the copier to commit", lambda: commitments(net, "finetune").get(hotkey), timeout=90, every=1)
    original, original_block = commitments(net, "finetune")[net.hotkey(best_name)]
    assert text == original, "the copier should copy the best model"
    print(f"\ncopier committed the best model's text at block {block}; the original's block is {original_block}")
    assert original_block < block
    validators = net.validators("finetune")

    def weights_after_copy() -> bool:
        cols = net.metagraph("finetune")
        return all(cols["last_update"][cols["hotkeys"].index(v)] > block + 12 for v in validators)

    net.wait("validators to set weights after the copy", weights_after_copy, timeout=120, every=1)
    time.sleep(6.5)  # one more epoch with those weights
    cols = net.metagraph("finetune")
    uid = cols["hotkeys"].index(hotkey)
    original = cols["hotkeys"].index(net.hotkey(best_name))
    print(f"copier uid {uid}: incentive {cols['incentive'][uid] / U16:.4f}; "
          f"original uid {original}: {cols['incentive'][original] / U16:.4f}")
    assert cols["incentive"][uid] == 0
    assert cols["incentive"][original] > 0.5


def check_offline_miner_loses_incentive_and_is_replaced(net: Net) -> None:
    rows = incentives(net, "embeddings")
    name, _, before = max(rows, key=lambda r: r[2])
    hotkey = net.hotkey(name)
    uid = net.metagraph("embeddings")["hotkeys"].index(hotkey)
    net.localnet.call(net.localnet.retire(name))
    t0 = time.monotonic()

    def dropped() -> float | None:
        cols = net.metagraph("embeddings")
        return True if cols["hotkeys"][uid] == hotkey and cols["incentive"][uid] == 0 else None

    net.wait(f"{name} to lose its incentive", dropped, timeout=120, every=1)
    print(f"\n{name} (uid {uid}): incentive {before:.4f} -> 0, {time.monotonic() - t0:.0f} s after going offline")
    t1 = time.monotonic()
    newcomer = net.localnet.call(net.localnet.add_miner("embeddings", "lsa-64", seed=7))
    new_hotkey = net.hotkey(newcomer.name)
    cols = net.metagraph("embeddings")
    assert cols["hotkeys"][uid] == new_hotkey, "the registration should replace the offline miner's uid"

    def earning() -> bool:
        c = net.metagraph("embeddings")
        return bool(c["hotkeys"][uid] == new_hotkey and c["incentive"][uid] > 0)

    net.wait("the new miner to earn incentive", earning, timeout=150, every=2)
    print(f"{newcomer.name} took uid {uid} and earns {net.metagraph('embeddings')['incentive'][uid] / U16:.4f}, "
          f"{time.monotonic() - t1:.0f} s after its registration was sent")


PHASES = [check_incentive_follows_quality, check_emission_split_per_subnet,
          check_dataset_grows_and_finetune_pays_the_best_model, check_gateway_answers_and_refuses,
          check_crashed_process_is_reported_and_restarted, check_an_identical_copy_earns_nothing,
          check_offline_miner_loses_incentive_and_is_replaced]


def test_local_network_end_to_end(net: Net) -> None:
    for phase in PHASES:
        start = time.monotonic()
        print(f"\n--- {phase.__name__.removeprefix('check_')}")
        phase(net)
        print(f"--- passed in {time.monotonic() - start:.0f} s")
