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


def test_query_shapes_are_the_views_fields() -> None:
    """The TypedDicts of the wire contract list exactly the fields of the runtime's read models."""
    import dataclasses

    from taonet.primitives import views as V

    pairs = {
        R.NeuronInfoJson: V.NeuronInfo, R.NeuronInfoLiteJson: V.NeuronInfoLite, R.SubnetInfoJson: V.SubnetInfo,
        R.SubnetHyperparamsJson: V.SubnetHyperparams, R.DelegateInfoJson: V.DelegateInfo, R.StakeInfoJson: V.StakeInfo,
        R.MetagraphJson: V.MetagraphInfo, R.AxonInfoJson: V.AxonInfo, R.PrometheusInfoJson: V.PrometheusInfo,
        R.SubnetIdentityJson: V.SubnetIdentity,
    }  # fmt: skip
    for shape, view in pairs.items():
        assert list(shape.__annotations__) == [f.name for f in dataclasses.fields(view)], shape.__name__
