"""
The RPC reference, generated
============================

``rpc_discover`` (OpenRPC 1.2.6) and ``docs/rpc.md`` are both rendered from the method table
:data:`taonet.primitives.rpc.METHODS` and its result shapes (JSON Schema by
:func:`taonet.primitives.wire.json_schema`, the same rule the node renders results with; the
read models' schemas come from the fields of :mod:`taonet.primitives.views`), so the
documentation cannot drift from what the node serves. Regenerate the Markdown with::

    python -m taonet.node.rpc_docs > docs/rpc.md

(a test fails when the committed file differs).
"""

from __future__ import annotations

import json
from importlib import metadata
from typing import Any

from taonet.primitives import rpc as R
from taonet.primitives.wire import HEX_PATTERN, json_schema

_REF = "#/components/schemas/{model}"

_ERRORS: list[tuple[int, str, str]] = [
    (R.PARSE_ERROR, "Parse error", "the request is not valid JSON"),
    (R.INVALID_REQUEST, "Invalid request", "not a JSON-RPC 2.0 request object, an empty batch, or too many connections"),
    (R.METHOD_NOT_FOUND, "Method not found", "no such method (named in the message), or an unsafe method on a node without --dev"),
    (R.INVALID_PARAMS, "Invalid params", "a parameter is missing, superfluous or malformed (named in the message)"),
    (R.INTERNAL_ERROR, "Internal error", "a bug in the node; its log has the traceback"),
    (R.TOO_MANY_SUBSCRIPTIONS, "Too many subscriptions", "the connection holds the maximum number of subscriptions"),
    (R.REQUEST_TOO_LARGE, "Request too large", "the request or batch exceeds the node's limits"),
    (R.STATE_UNAVAILABLE, "State unavailable", "state was asked at a block other than the best one"),
    (R.SUBSCRIPTIONS_NEED_WEBSOCKET, "Subscriptions need a WebSocket", "a subscribe method was called over HTTP"),
    (R.NO_FREE_SLOT, "No free slot", "engine_createBlock on a slot-based node: the current slot is taken or not this authority's"),
    (R.BAD_FORMAT, "Extrinsic has invalid format", "the extrinsic bytes do not decode"),
    (R.INVALID_TRANSACTION, "Invalid Transaction", "the pool refused it; data.reason says why"),
    (R.UNKNOWN_TRANSACTION, "Unknown Transaction Validity", "validity cannot be decided (unknown era birth block)"),
    (R.ALREADY_IMPORTED, "Transaction Already Imported", "the same extrinsic is already in the pool"),
    (R.PRIORITY_TOO_LOW, "Priority is too low", "another transaction with this signer and nonce is in the pool"),
    (R.IMMEDIATELY_DROPPED, "Immediately Dropped", "the pool (or the account's share) is full"),
]


def _schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    return json_schema(tp, defs, _REF)


def _version() -> str:
    try:
        return metadata.version("taonet")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "0.0.0"


def openrpc_document(*, unsafe: bool = True) -> dict[str, Any]:
    """The OpenRPC description of every method (unsafe ones only if ``unsafe``)."""
    defs: dict[str, Any] = {}
    methods = []
    for m in R.METHODS:
        if m.unsafe and not unsafe:
            continue
        entry: dict[str, Any] = {
            "name": m.name,
            "summary": m.summary,
            "params": [
                {"name": p.name, "description": p.description, "required": p.required, "schema": _schema(p.schema, defs)}
                for p in m.params
            ],
            "result": {"name": "result", "schema": _schema(m.result, defs)},
        }
        if m.errors:
            titles = {code: title for code, title, _ in _ERRORS}
            entry["errors"] = [{"code": c, "message": titles[c]} for c in m.errors]
        if m.kind != "call":
            entry["x-kind"] = m.kind
        if m.notification:
            entry["x-notification"] = {
                "method": m.notification,
                "unsubscribe": m.unsubscribe,
                "result": _schema(R.NOTIFICATION_RESULTS[m.notification], defs),
            }
        if m.unsafe:
            entry["x-unsafe"] = True
        if m.aliases:
            entry["x-aliases"] = list(m.aliases)
        methods.append(entry)
    return {
        "openrpc": "1.2.6",
        "info": {
            "title": "taonet node JSON-RPC",
            "version": _version(),
            "description": "JSON-RPC 2.0 over HTTP POST / and WebSocket on one port (default 9944).",
        },
        "methods": methods,
        "components": {"schemas": dict(sorted(defs.items()))},
    }


def _type_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " \\| ".join(_type_name(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " \\| ".join(json.dumps(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    t = schema.get("type")
    if t == "array":
        if "prefixItems" in schema:
            return "[" + ", ".join(_type_name(s) for s in schema["prefixItems"]) + "]"
        items = schema.get("items")
        if isinstance(items, dict):
            inner = _type_name(items)
            return f"({inner})[]" if "anyOf" in items else f"{inner}[]"
        return "array"
    if t == "object":
        add = schema.get("additionalProperties")
        return f"object of {_type_name(add)}" if isinstance(add, dict) and add else "object"
    if t == "string" and schema.get("pattern") == HEX_PATTERN:
        return "hex string"
    return {"integer": "integer", "string": "string", "boolean": "boolean", "null": "null", "number": "number"}.get(
        str(t), "any"
    )


def render_markdown() -> str:
    """``docs/rpc.md``."""
    doc = openrpc_document(unsafe=True)
    by_name = {m["name"]: m for m in doc["methods"]}
    out = [
        "# taonet node JSON-RPC reference",
        "",
        "<!-- Generated by `python -m taonet.node.rpc_docs > docs/rpc.md` from",
        "     src/taonet/primitives/rpc.py; do not edit by hand (a test compares them). -->",
        "",
        "JSON-RPC 2.0 over HTTP (`POST /`) and WebSocket (`ws://`, same port; default 9944, bound",
        "to 127.0.0.1). Batches (JSON arrays) are accepted on both. Hashes and bytes are `0x` hex,",
        "accounts SS58 (parameters also take `0x`-hex account ids), money integer rao. Methods marked",
        "**unsafe** are served only by a node started with `--dev`. The same description is served",
        "as an OpenRPC document by `rpc_discover`.",
        "",
        "Subscriptions (WebSocket only) return an id; notifications arrive as",
        '`{"jsonrpc": "2.0", "method": <notification>, "params": {"subscription": <id>, "result": ...}}`,',
        "always after the response that returned the id.",
        "",
        "## Methods",
        "",
        "| method | summary |",
        "|---|---|",
    ]
    for m in R.METHODS:
        flag = " **unsafe**" if m.unsafe else ""
        out.append(f"| [`{m.name}`](#{m.name.lower()}) | {m.summary}{flag} |")
    current = ""
    for m in R.METHODS:
        group = m.name.split("_", 1)[0]
        if group != current:
            out += ["", f"## {group}"]
            current = group
        d = by_name[m.name]
        out += ["", f"### {m.name}", "", m.summary + (" **Unsafe** (`--dev` only)." if m.unsafe else "")]
        if m.aliases:
            out += ["", "Also served as " + ", ".join(f"`{a}`" for a in m.aliases) + "."]
        out.append("")
        if d["params"]:
            out += ["| # | param | type | required | description |", "|---|---|---|---|---|"]
            for i, p in enumerate(d["params"]):
                out.append(
                    f"| {i} | `{p['name']}` | {_type_name(p['schema'])} | {'yes' if p['required'] else 'no'} | {p['description']} |"
                )
        else:
            out.append("No parameters.")
        out += ["", f"Result: {_type_name(d['result']['schema'])}"]
        if m.notification:
            note = d["x-notification"]
            out += [
                "",
                f"Notifications: `{m.notification}` carrying {_type_name(note['result'])}; "
                f"end with `{m.unsubscribe}`.",
            ]
        if m.errors:
            out += ["", "Errors: " + ", ".join(f"`{c}`" for c in m.errors) + "."]
    out += ["", "## Error codes", "", "| code | message | when |", "|---|---|---|"]
    for code, title, when in _ERRORS:
        out.append(f"| {code} | {title} | {when} |")
    out += [
        "",
        "Transaction rejections (`1001`-`1016`) carry `data = {code, reason, message}`; the reasons:",
        "",
        "| reason | meaning |",
        "|---|---|",
    ]
    for reason, meaning in R.REJECTION_REASONS.items():
        out.append(f"| `{reason}` | {meaning} |")
    out += ["", "## Shapes", ""]
    for name, schema in doc["components"]["schemas"].items():
        out += [f"### {name}", ""]
        if schema.get("description"):
            out += [" ".join(schema["description"].split()), ""]
        props = schema.get("properties", {})
        if props:
            out += ["| field | type |", "|---|---|"]
            for field, fs in props.items():
                out.append(f"| `{field}` | {_type_name(fs)} |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
