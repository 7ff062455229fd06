"""The wire contract: the table, the handlers, the OpenRPC document and docs/rpc.md agree."""

from __future__ import annotations

from types import SimpleNamespace

from taonet.node.api import make_handlers
from taonet.node.rpc_docs import openrpc_document, render_markdown
from taonet.primitives import rpc as R
from tests.node.helpers import ROOT


def test_every_method_of_the_table_is_served_and_nothing_else() -> None:
    handlers = make_handlers(SimpleNamespace(chain=None, hub=None))  # type: ignore[arg-type]
    assert set(handlers) == {m.name for m in R.METHODS}


def test_subscriptions_name_their_notification_and_unsubscribe_method() -> None:
    for m in R.METHODS:
        if m.kind == "subscribe":
            assert m.notification in R.NOTIFICATION_RESULTS
            assert R.METHODS_BY_NAME[m.unsubscribe].kind == "unsubscribe"  # type: ignore[index]


def test_openrpc_lists_safe_methods_and_hides_unsafe_ones_without_dev() -> None:
    full = {m["name"] for m in openrpc_document(unsafe=True)["methods"]}
    safe = {m["name"] for m in openrpc_document(unsafe=False)["methods"]}
    assert full == {m.name for m in R.METHODS}
    assert full - safe == {m.name for m in R.METHODS if m.unsafe} == {
        "author_removeExtrinsic", "system_peers", "engine_createBlock",
    }  # fmt: skip


def test_docs_rpc_md_is_generated_from_the_table() -> None:
    committed = (ROOT / "docs" / "rpc.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "regenerate with: python -m taonet.node.rpc_docs > docs/rpc.md"


def _view_classes() -> dict[str, type]:
    import dataclasses

    from taonet.primitives import views as V

    return {n: c for n, c in vars(V).items() if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == V.__name__}


def test_read_model_schemas_are_generated_from_the_views_fields() -> None:
    """Every view the RPC returns is documented by its dataclass: same fields, same order, all
    always present; the table has no hand-written copy of them."""
    import dataclasses

    doc = openrpc_document(unsafe=True)
    schemas = doc["components"]["schemas"]
    views = _view_classes()
    returned = {name for name in schemas if name in views}
    assert returned >= {"NeuronInfo", "NeuronInfoLite", "SubnetInfo", "SubnetHyperparams", "DelegateInfo", "StakeInfo",
                        "MetagraphInfo", "HotkeyInfo", "ChainConstants", "AxonInfo", "PrometheusInfo", "SubnetIdentity",
                        "Commitment", "CommitmentInfo", "Data"}  # fmt: skip
    for name in returned:
        fields = [f.name for f in dataclasses.fields(views[name])]
        assert list(schemas[name]["properties"]) == fields == schemas[name]["required"], name
    assert not [n for n in vars(R) if n.endswith("Json") and n.removesuffix("Json") in views], "a view is re-declared in rpc.py"


def test_the_wire_is_the_views() -> None:
    """Real query results, rendered by the node's encoder, rebuild into equal views (bytes,
    None, nested dataclasses and tuples included), and the SDK reads the same records from
    the wire as from the views."""
    import json

    from taonet.chain import queries as CQ
    from taonet.node import queries as NQ
    from taonet.node.rpc import dumps
    from taonet.primitives import views as V
    from taonet.primitives.crypto import ss58_encode
    from taonet.primitives.wire import from_json
    from taonet.sdk import chain_data as SDK
    from taonet.primitives import calls as C
    from tests.chain.test_queries import COLD, HOT, MINER, NOM, populated

    h = populated()
    h.state.SubnetIdentities.set(1, V.SubnetIdentity(subnet_name=b"alpha", github_repo=b"\x00\xff", subnet_contact=b""))
    h.ok(HOT, C.SetCommitment(netuid=1, info=V.CommitmentInfo((V.Data("Raw", b"model\x00"),))))
    h.ok(MINER, C.SetCommitment(netuid=1, info=V.CommitmentInfo((V.Data("Keccak256", b"\x01" * 32),))))
    state = h.state
    results: list[tuple[type, object]] = [
        (V.NeuronInfo, NQ.get_neuron(state, 1, 0)),
        *[(V.NeuronInfoLite, n) for n in NQ.get_neurons(state, 1, True)],
        *[(V.SubnetInfo, s) for s in NQ.get_subnets(state)],
        (V.SubnetHyperparams, NQ.get_hyperparameters(state, 1)),
        *[(V.DelegateInfo, d) for d in NQ.get_delegates(state)],
        *[(V.StakeInfo, s) for s in NQ.get_stake(state, NOM)],
        (V.MetagraphInfo, NQ.get_metagraph(state, 1)),
        (V.HotkeyInfo, NQ.get_hotkey(state, HOT)),
        (V.HotkeyInfo, NQ.get_hotkey(state, NOM)),
        (V.ChainConstants, NQ.get_constants()),
        (V.Commitment, NQ.get_commitment(state, 1, HOT)),
        *[(V.Commitment, c) for c in NQ.get_commitments(state, 1)],
    ]
    kinds = set()
    for view_type, value in results:
        assert type(value) is view_type
        wire = json.loads(dumps(value))
        assert list(wire) == list(view_type.__dataclass_fields__)
        assert from_json(view_type, wire) == value, view_type.__name__
        kinds.add(view_type)
    assert len(kinds) == 10
    identity = json.loads(dumps(CQ.get_subnet_info(state, 1)))["identity"]
    assert identity == {"subnet_name": "0x" + b"alpha".hex(), "github_repo": "0x00ff", "subnet_contact": "0x"}
    # the SDK's records are the same whether built from the wire or from the views
    neuron = NQ.get_neuron(state, 1, 0)
    assert SDK.NeuronInfo.from_dict(json.loads(dumps(neuron))) == SDK.NeuronInfo.from_view(neuron)
    delegate = NQ.get_delegates(state)[0]
    assert SDK.DelegateInfo.from_dict(json.loads(dumps(delegate))).owner_ss58 == ss58_encode(COLD)
