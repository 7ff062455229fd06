"""The ``bt_header_*`` HTTP header scheme of bittensor's Synapse, as pure functions.

Why its own module: the same encoding is needed in three places (the dendrite's request, the
axon's response, and both sides' parsers) and it is the part of the wire most easily broken by
a small change. Keeping it here, free of pydantic and of I/O, makes it easy to test alone.

The scheme (bittensor 10.5.0):

* ``name`` and ``timeout``: the synapse class name and its timeout in seconds.
* ``bt_header_axon_<field>`` / ``bt_header_dendrite_<field>``: every non-None field of the two
  :class:`~taonet.sdk.synapse.TerminalInfo` records, as ``str(value)``.
* ``bt_header_input_obj_<field>``: for each *required* synapse field (no default), the base64
  of ``json.dumps`` of an empty instance of the value's type (``""``, ``[]``, ``{}`` ...), so a
  receiver can build the model from headers alone before it reads the body.
* ``header_size``, ``total_size``: informative sizes in bytes.
* ``computed_body_hash``: see :func:`taonet.sdk.synapse.compute_body_hash`.

HTTP header names are case-insensitive, so parsers lower-case them first.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

AXON_PREFIX = "bt_header_axon_"
DENDRITE_PREFIX = "bt_header_dendrite_"
INPUT_OBJ_PREFIX = "bt_header_input_obj_"
PLAIN_HEADERS = ("timeout", "name", "header_size", "total_size", "computed_body_hash")
TERMINAL_FIELDS = (
    "status_code", "status_message", "process_time", "ip", "port", "version", "nonce", "uuid",
    "hotkey", "signature",
)


def _header_value(value: Any) -> str:
    """``str(value)``, with CR/LF flattened: a status message may hold a multi-line error,
    and a line break inside a header value would be a header-injection hole."""
    text = str(value)
    if "\n" in text or "\r" in text:
        text = " ".join(text.splitlines())
    return text


def terminal_headers(prefix: str, fields: Mapping[str, Any]) -> dict[str, str]:
    """Encode one TerminalInfo's field values (None values are left out)."""
    return {prefix + key: _header_value(value) for key, value in fields.items()
            if value is not None}


_EMPTY_CACHE: dict[type, str] = {}


def _empty_of_type(kind: type) -> str:
    cached = _EMPTY_CACHE.get(kind)
    if cached is not None:
        return cached
    try:
        empty = kind()
    except TypeError as exc:
        raise ValueError(f"cannot build an empty {kind.__name__} for an input_obj header") from exc
    try:
        text = json.dumps(empty)
    except TypeError as exc:
        raise ValueError(
            f"an empty {kind.__name__} is not JSON serialisable (input objects must be)"
        ) from exc
    encoded = base64.b64encode(text.encode()).decode("ascii")
    if len(_EMPTY_CACHE) < 256:
        _EMPTY_CACHE[kind] = encoded
    return encoded


def input_obj_headers(values: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Encode ``bt_header_input_obj_<field>`` for the required fields given as (name, value).

    ``value`` is the field's *dumped* value (a dict for a nested model), as in bittensor.
    """
    return {
        INPUT_OBJ_PREFIX + name: _empty_of_type(type(value))
        for name, value in values
        if value is not None
    }


def headers_size(headers: Mapping[str, str]) -> int:
    """Bytes the header block takes on the wire (names, values, ``: `` and CRLF)."""
    return sum(map(len, headers)) + sum(map(len, headers.values())) + 4 * len(headers)


def _case_insensitive(headers: Mapping[str, str]) -> Mapping[str, str]:
    if isinstance(headers, (CIMultiDict, CIMultiDictProxy)):
        return headers
    return CIMultiDict(headers)


def _terminal(headers: Mapping[str, str], prefix: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in TERMINAL_FIELDS:
        value = headers.get(prefix + name)
        if value is not None:
            found[name] = value
    return found


def parse_headers(
    headers: Mapping[str, str], input_fields: Iterable[str] = ()
) -> dict[str, Any]:
    """Turn received headers into constructor inputs for a Synapse subclass.

    Only the headers the scheme defines are looked up (by name, case-insensitively), which
    is much cheaper than scanning every header of every request. ``input_fields`` are the
    fields whose ``bt_header_input_obj_*`` header is wanted (the class's required fields).

    Raises:
        ValueError: a malformed ``bt_header_input_obj_*`` value (the axon answers 400).
    """
    h = _case_insensitive(headers)
    inputs: dict[str, Any] = {
        "axon": _terminal(h, AXON_PREFIX),
        "dendrite": _terminal(h, DENDRITE_PREFIX),
    }
    for name in input_fields:
        value = h.get(INPUT_OBJ_PREFIX + name)
        if value is None or name in ("axon", "dendrite"):
            continue
        try:
            inputs[name] = json.loads(base64.b64decode(value.encode()).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"malformed header {INPUT_OBJ_PREFIX}{name}") from exc
    for key in PLAIN_HEADERS:
        inputs[key] = h.get(key)
    return inputs


def split_terminal_headers(headers: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Only the axon and dendrite TerminalInfo headers: (axon fields, dendrite fields)."""
    h = _case_insensitive(headers)
    return _terminal(h, AXON_PREFIX), _terminal(h, DENDRITE_PREFIX)
