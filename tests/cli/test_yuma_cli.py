"""``taonet yuma epoch`` as a user runs it: a real subprocess, JSON in, JSON out.

Bad input exits with status 2, prints exactly one line on stderr naming the field, and
prints nothing on stdout.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.shared_data import epoch_cases

CASES = epoch_cases()

VALID: dict[str, Any] = {
    "era": "dec2024",
    "hyperparameters": {"max_allowed_validators": 4},
    "rao_emission": 1_000_000_000,
    "current_block": 10,
    "stake": [100, 300, 0, 0],
    "last_update": [9, 9, 0, 0],
    "block_at_registration": [1, 1, 1, 1],
    "validator_permit_before": [True, True, False, False],
    "weights_stored_u16": [[[2, 65535], [3, 32767]], [[2, 32767], [3, 65535]], [], []],
    "bonds_stored_u16_before": [[], [], [], []],
}


def run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "taonet", "yuma", "epoch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_valid_input_from_stdin() -> None:
    result = run(["--input", "-"], json.dumps(VALID))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["new_validator_permit"] == [True, True, True, True]
    assert sum(out["emission"]) <= VALID["rao_emission"]
    assert out["incentive_u16"][0] == out["incentive_u16"][1] == 0
    assert out["incentive_u16"][2] > 0 and out["incentive_u16"][3] > 0
    assert {"rank_u16", "trust_u16", "pruning_scores_u16"} <= out.keys()


def test_shipped_case_from_file_matches_expected(tmp_path: Path) -> None:
    if not CASES:
        pytest.skip("shared/vectors not found")
    case = CASES[-1]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case["input"]))
    result = run(["--input", str(path)])
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    for field, expected in case["expected"].items():
        assert out[field] == expected, field


def test_list_input_gives_one_output_per_element_in_order(tmp_path: Path) -> None:
    other = copy.deepcopy(VALID)
    other["rao_emission"] = 7
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([VALID, other]))
    result = run(["--input", str(path)])
    assert result.returncode == 0, result.stderr
    outs = json.loads(result.stdout)
    assert len(outs) == 2
    assert sum(outs[1]["emission"]) <= 7 < sum(outs[0]["emission"])


def _broken(mutate: Any) -> str:
    doc = copy.deepcopy(VALID)
    mutate(doc)
    return json.dumps(doc)


BAD_INPUTS = {
    "missing field": (lambda d: d.pop("current_block"), "current_block"),
    "missing emission": (lambda d: d.pop("rao_emission"), "rao_emission"),
    "lengths disagree": (lambda d: d["last_update"].pop(), "last_update"),
    "rows disagree": (lambda d: d["weights_stored_u16"].pop(), "weights_stored_u16"),
    "uid out of range": (lambda d: d["weights_stored_u16"][0].append([4, 1]), "weights_stored_u16[0][2]"),
    "u16 above 65535": (lambda d: d["bonds_stored_u16_before"][1].append([2, 65536]), "bonds_stored_u16_before[1][0]"),
    "negative stake": (lambda d: d["stake"].__setitem__(2, -5), "stake[2]"),
    "stake not an integer": (lambda d: d["stake"].__setitem__(0, 1.5), "stake[0]"),
    "permit not a bool": (lambda d: d["validator_permit_before"].__setitem__(0, 1), "validator_permit_before[0]"),
    "unknown era": (lambda d: d.__setitem__("era", "2019"), "era"),
    "unknown hyperparameter": (lambda d: d["hyperparameters"].__setitem__("kapa_u16", 1), "hyperparameters.kapa_u16"),
    "hyperparameter out of range": (lambda d: d["hyperparameters"].__setitem__("kappa_u16", 70000), "hyperparameters.kappa_u16"),
    "duplicate uid in a row": (lambda d: d["weights_stored_u16"][0].append([2, 5]), "weights_stored_u16[0][2]"),
    "pair malformed": (lambda d: d["weights_stored_u16"][1].append([3]), "weights_stored_u16[1][2]"),
}


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_bad_input_exits_2_naming_the_field(kind: str) -> None:
    mutate, field = BAD_INPUTS[kind]
    result = run(["--input", "-"], _broken(mutate))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert field in lines[0]


def test_bad_element_of_a_list_is_located(tmp_path: Path) -> None:
    bad = copy.deepcopy(VALID)
    bad["stake"][1] = -1
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([VALID, bad]))
    result = run(["--input", str(path)])
    assert result.returncode == 2 and result.stdout == ""
    assert "[1].stake[1]" in result.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (["--input", "-"], "{not json", "invalid JSON"),
        (["--input", "does-not-exist.json"], None, "cannot read"),
        (["--input", "-"], "[1, 2]", "[0].input"),
    ],
)
def test_unreadable_input(args: list[str], stdin: str | None, needle: str) -> None:
    result = run(args, stdin)
    assert result.returncode == 2 and result.stdout == ""
    assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1
