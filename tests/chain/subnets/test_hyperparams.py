"""AdminUtils setters: who may call them, existence checks, bounds and events.

Run alone: .venv/bin/pytest tests/chain/subnets/test_hyperparams.py -q
"""

from __future__ import annotations

import pytest

from taonet.chain.subnets.hyperparams import SETTERS
from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

OWNER = account("owner")


def owned() -> Harness:
    h = Harness()
    h.add_network(1, owner=OWNER)
    h.add_balance(OWNER, tao(10))
    h.add_balance(account("x"), tao(10))
    h.step_block()
    return h


def test_owner_setter_by_owner_and_root_but_not_others() -> None:
    h = owned()
    r = h.ok(OWNER, C.SudoSetKappa(netuid=1, kappa=100))
    assert h.state.Kappa.get(1) == 100 and r.find("KappaSet") is not None and r.fee > 0
    h.fails(account("x"), C.SudoSetKappa(netuid=1, kappa=5), "BadOrigin")
    h.sudo(C.SudoSetKappa(netuid=1, kappa=7))
    assert h.state.Kappa.get(1) == 7


def test_root_setter_refuses_the_owner() -> None:
    h = owned()
    h.fails(OWNER, C.SudoSetTempo(netuid=1, tempo=5), "BadOrigin")
    h.sudo(C.SudoSetTempo(netuid=1, tempo=5))
    assert h.state.Tempo.get(1) == 5


def test_missing_subnet_is_reported_after_the_origin_check() -> None:
    h = owned()
    h.sudo_fails(C.SudoSetKappa(netuid=9, kappa=1), "SubnetDoesNotExist")
    h.fails(OWNER, C.SudoSetKappa(netuid=9, kappa=1), "BadOrigin")  # not the owner of 9
    h.sudo(C.SudoSetServingRateLimit(netuid=9, serving_rate_limit=3))  # unchecked in era A


def test_bounds() -> None:
    h = owned()
    h.register_neuron(1, account("h"), account("c"))
    h.sudo_fails(C.SudoSetMaxAllowedUids(netuid=1, max_allowed_uids=1), "MaxAllowedUIdsLessThanCurrentUIds")
    h.sudo(C.SudoSetMaxAllowedUids(netuid=1, max_allowed_uids=2))
    h.sudo_fails(C.SudoSetMaxAllowedValidators(netuid=1, max_allowed_validators=3), "MaxValidatorsLargerThanMaxUIds")
    h.sudo(C.SudoSetMaxAllowedValidators(netuid=1, max_allowed_validators=2))


def test_alpha_values() -> None:
    h = owned()
    h.fails(OWNER, C.SudoSetAlphaValues(netuid=1, alpha_low=1000, alpha_high=60000), "LiquidAlphaDisabled")
    h.sudo(C.SudoSetLiquidAlphaEnabled(netuid=1, enabled=True))
    h.fails(OWNER, C.SudoSetAlphaValues(netuid=1, alpha_low=1000, alpha_high=50000), "AlphaHighTooLow")
    h.fails(OWNER, C.SudoSetAlphaValues(netuid=1, alpha_low=0, alpha_high=60000), "AlphaLowOutOfRange")
    h.fails(OWNER, C.SudoSetAlphaValues(netuid=1, alpha_low=52428, alpha_high=60000), "AlphaLowOutOfRange")
    h.ok(OWNER, C.SudoSetAlphaValues(netuid=1, alpha_low=1000, alpha_high=60000))
    assert h.state.AlphaValues.get(1) == (1000, 60000)
    h.sudo_fails(C.SudoSetAlphaValues(netuid=1, alpha_low=1000, alpha_high=60000), "BadOrigin")


@pytest.mark.parametrize("call_type", sorted(SETTERS, key=lambda c: c.__name__))
def test_every_setter_writes_its_storage_item(call_type: type) -> None:
    h = owned()
    setter = SETTERS[call_type]
    value: object = True if setter.arg in ("enabled", "registration_allowed") else 1234
    if call_type is C.SudoSetMaxAllowedValidators:
        value = 3
    kwargs = {setter.arg: value}
    if setter.per_subnet:
        kwargs["netuid"] = 1
    h.sudo(call_type(**kwargs))
    item = getattr(h.state, setter.storage)
    assert (item.get(1) if setter.per_subnet else item.get()) == value
