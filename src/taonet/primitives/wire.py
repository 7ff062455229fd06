"""
The JSON form of the read models
================================

The RPC sends the chain's read models (:mod:`taonet.primitives.views`) as JSON, and this
module is the one rule for that form, used three ways so that a field is declared once, in
the view's dataclass:

* :func:`json_default` renders a value (the node's encoder, ``json.dumps(default=...)``);
* :func:`from_json` rebuilds the dataclass from what a client received (the SDK);
* :func:`json_schema` describes it as JSON Schema (the OpenRPC document and ``docs/rpc.md``).

The rule: a dataclass is an object of its fields, named and ordered as declared, every field
always present; ``bytes`` are ``0x``-prefixed lowercase hex; tuples and lists are arrays;
sets are sorted arrays; ``None`` is ``null``; ``int``, ``bool`` and ``str`` are themselves.
Accounts are already SS58 text in the views (they are an edge), so nothing else is needed.

:func:`json_schema` also describes the RPC's other result shapes (``TypedDict`` s of
:mod:`taonet.primitives.rpc`), ``Literal`` s, unions and the standard containers, so the whole
method table is documented by one function.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import lru_cache
from typing import Any, Callable, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")

HEX_PATTERN = "^0x([0-9a-f]{2})*$"

_FIELDS: dict[type, tuple[str, ...]] = {}


# =============================================================================================
# Rendering
# =============================================================================================


def json_default(o: Any) -> Any:
    """Render what :mod:`json` cannot: dataclasses as objects, bytes as 0x hex, sets sorted.

    Meant for ``json.dumps(value, default=json_default)``, which keeps tuples of numbers (the
    bulk of a metagraph) on json's C path and calls this only for the rest.
    """
    names = _FIELDS.get(type(o))
    if names is None:
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            names = _FIELDS[type(o)] = tuple(f.name for f in dataclasses.fields(o))
        elif isinstance(o, (bytes, bytearray, memoryview)):
            return "0x" + bytes(o).hex()
        elif isinstance(o, (set, frozenset)):
            return sorted(o, key=repr)
        else:
            raise TypeError(f"cannot render {type(o).__name__} as JSON")
    return {n: getattr(o, n) for n in names}


def to_json(value: Any) -> Any:
    """The JSON value of ``value`` (what :func:`json_default` makes ``json.dumps`` write)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (tuple, list)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return to_json(json_default(value))


# =============================================================================================
# Parsing
# =============================================================================================

Converter = Callable[[Any], Any]
"""``convert(json_value) -> python value``; raises :class:`WireError`."""


class WireError(ValueError):
    """A JSON value does not have the shape of the read model (the message names the field)."""

    def __init__(self, problem: str, path: tuple[str, ...] = ()) -> None:
        self.problem = problem
        self.path = path
        super().__init__(f"{''.join(path)}: {problem}" if path else problem)

    def under(self, step: str) -> "WireError":
        """The same error one level up (``step`` is ``.field`` or ``[i]``)."""
        return WireError(self.problem, (step, *self.path))


def from_json(cls: type[T], data: Any) -> T:
    """Rebuild the dataclass ``cls`` from its JSON form; :class:`WireError` names a bad field
    (``NeuronInfo.axon_info.port: expected an integer, got str``).

    Keys the dataclass does not know are ignored (a newer node may add fields); a missing key
    takes the field's default, or is an error if it has none.
    """
    try:
        return _converter(cls)(data)  # type: ignore[no-any-return,arg-type]
    except WireError as exc:
        raise exc.under(cls.__name__) from None


def _same(v: Any) -> Any:
    return v


def _scalar(tp: type) -> Converter:
    def convert(v: Any) -> Any:
        if type(v) is not tp:  # exact: a bool is not an integer here
            raise WireError(f"expected {_JSON_NAMES.get(tp, tp.__name__)}, got {type(v).__name__}")
        return v

    return convert


_JSON_NAMES = {int: "an integer", str: "a string", bool: "a boolean", type(None): "null"}


def _hex(v: Any) -> bytes:
    if not isinstance(v, str) or not v.startswith("0x"):
        raise WireError("expected 0x-prefixed hex")
    try:
        return bytes.fromhex(v[2:])
    except ValueError:
        raise WireError("not valid hex") from None


def _array(v: Any) -> list[Any]:
    if not isinstance(v, list):
        raise WireError(f"expected an array, got {type(v).__name__}")
    return v


def _items(convert: Converter, values: list[Any]) -> list[Any]:
    out = []
    for i, x in enumerate(values):
        try:
            out.append(convert(x))
        except WireError as exc:
            raise exc.under(f"[{i}]") from None
    return out


@lru_cache(maxsize=None)
def _converter(tp: Any) -> Converter:
    """The converter of a type (cached: a metagraph parses 256 neurons with the same ones)."""
    if tp is Any:
        return _same
    if tp in _JSON_NAMES:
        return _scalar(tp)
    if tp is bytes:
        return _hex
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_converter(tp)
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"wire: unions other than X | None are not read models ({tp!r})")
        inner = _converter(options[0])

        def optional(v: Any) -> Any:
            return None if v is None else inner(v)

        return optional
    if origin in (tuple, list):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            fixed_items = [_converter(a) for a in args]

            def fixed(v: Any) -> Any:
                arr = _array(v)
                if len(arr) != len(fixed_items):
                    raise WireError(f"expected {len(fixed_items)} items, got {len(arr)}")
                out = []
                for i, (c, x) in enumerate(zip(fixed_items, arr)):
                    try:
                        out.append(c(x))
                    except WireError as exc:
                        raise exc.under(f"[{i}]") from None
                return tuple(out)

            return fixed
        item = _converter(args[0])
        build = tuple if origin is tuple else list

        def sequence(v: Any) -> Any:
            return build(_items(item, _array(v)))

        return sequence
    raise TypeError(f"wire: no JSON form for {tp!r}")


def _dataclass_converter(cls: type) -> Converter:
    hints = get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        plan.append((f.name, _converter(hints[f.name]), has_default))

    def convert(v: Any) -> Any:
        if not isinstance(v, dict):
            raise WireError(f"expected an object, got {type(v).__name__}")
        kwargs = {}
        for name, conv, has_default in plan:
            if name in v:
                try:
                    kwargs[name] = conv(v[name])
                except WireError as exc:
                    raise exc.under(f".{name}") from None
            elif not has_default:
                raise WireError(f"missing field {name!r}")
        return cls(**kwargs)

    return convert


# =============================================================================================
# Schema
# =============================================================================================


def json_schema(tp: Any, defs: dict[str, Any], ref_template: str = "#/components/schemas/{model}") -> dict[str, Any]:
    """JSON Schema of ``tp``; named shapes (dataclasses, ``TypedDict`` s) go into ``defs`` once
    and are referenced with ``ref_template``."""
    if tp is Any:
        return {}
    if tp is None or tp is type(None):
        return {"type": "null"}
    simple = {bool: "boolean", int: "integer", str: "string", float: "number"}
    if tp in simple:
        return {"type": simple[tp]}
    if tp is bytes:
        return {"type": "string", "pattern": HEX_PATTERN}
    if isinstance(tp, type) and (dataclasses.is_dataclass(tp) or typing.is_typeddict(tp)):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # a placeholder first: shapes may refer to themselves
            defs[name] = _object_schema(tp, defs, ref_template)
        return {"$ref": ref_template.format(model=name)}
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        return {"anyOf": [json_schema(a, defs, ref_template) for a in args]}
    if origin is typing.Literal:
        return {"const": args[0]} if len(args) == 1 else {"enum": list(args)}
    if origin in (tuple, list):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            items = [json_schema(a, defs, ref_template) for a in args]
            return {"type": "array", "prefixItems": items, "minItems": len(items), "maxItems": len(items)}
        return {"type": "array", "items": json_schema(args[0], defs, ref_template)}
    if origin is dict:
        return {"type": "object", "additionalProperties": json_schema(args[1], defs, ref_template)}
    raise TypeError(f"wire: no JSON schema for {tp!r}")


def _object_schema(tp: type, defs: dict[str, Any], ref_template: str) -> dict[str, Any]:
    hints = get_type_hints(tp)
    names = [f.name for f in dataclasses.fields(tp)] if dataclasses.is_dataclass(tp) else list(hints)
    schema: dict[str, Any] = {
        "title": tp.__name__,
        "type": "object",
        "properties": {n: json_schema(hints[n], defs, ref_template) for n in names},
        "required": names,
    }
    doc = tp.__doc__
    if doc and not (dataclasses.is_dataclass(tp) and doc.startswith(f"{tp.__name__}(")):  # not dataclass's own
        schema["description"] = " ".join(doc.split())
    return schema
