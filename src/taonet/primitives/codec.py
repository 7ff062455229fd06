"""
Canonical encoding
==================

One deterministic byte encoding for every value the chain stores or exchanges: storage
values (for the state root and for snapshots), calls (for transaction lengths and
signatures) and events. Two runtimes that hold equal values produce equal bytes, so equal
histories give equal state roots.

The format is a small tagged encoding (not SCALE: it must round-trip Python values without a
schema). Each value starts with one tag byte:

====  ============================================================================
tag   value
====  ============================================================================
0x00  ``None``
0x01  ``False``; ``0x02`` ``True``
0x03  non-negative ``int``: LEB128 varint; ``0x04`` negative ``int``: varint of ``-n``
0x05  ``bytes``: varint length, raw bytes
0x06  ``str``: varint length, UTF-8
0x07  ``tuple`` *or* ``list``: varint count, items (both decode as ``tuple``)
0x09  ``dict``: varint count, then ``(key, value)`` pairs sorted by the key's encoding
0x0A  ``frozenset``/``set``: varint count, items sorted by their encoding
0x0B  a registered frozen dataclass: its registered name (as a ``str`` body), then the
      field values in declaration order as one tuple
====  ============================================================================

Lists and tuples share a tag on purpose: a value's encoding must not depend on which of the
two a runtime happened to build. Dataclasses must be registered (:func:`register`) to be
decodable; the registry is keyed by name, which is therefore part of the format.

Integers are capped at :data:`MAX_INT_BITS` (256) bits of magnitude, twice the widest Rust
integer the chain mirrors (``u128``), and every varint (integer or length) at
:data:`MAX_VARINT_BYTES`. Decoding a LEB128 varint costs time quadratic in its length, so
without a cap a peer or a client could make a node spend seconds on one hostile number; with
it the decoder refuses at the first byte past the cap. The encoder refuses the same integers,
so whatever encodes also decodes (a node never writes a snapshot it cannot read back). The
bytes of every value within the cap are unchanged.

The second half of the module holds the few SCALE helpers the chain needs to reproduce
Subtensor hashes bit for bit (the commit-reveal weights hash).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, TypeVar

T = TypeVar("T")

MAX_INT_BITS = 256
"""Largest integer magnitude the codec encodes or decodes, in bits."""
MAX_VARINT_BYTES = -(-MAX_INT_BITS // 7)
"""Longest varint the decoder reads (37 bytes: enough for :data:`MAX_INT_BITS`)."""


class DecodeError(ValueError):
    """The bytes are not a canonical encoding the codec accepts (the message says why)."""


_REGISTRY: dict[str, type] = {}
_NAMES: dict[type, str] = {}
_FIELDS: dict[type, tuple[str, ...]] = {}


def register(cls: type[T] | None = None, *, name: str | None = None) -> Any:
    """Class decorator: make a dataclass encodable and decodable under ``name``."""

    def wrap(c: type[T]) -> type[T]:
        if not dataclasses.is_dataclass(c):
            raise TypeError(f"{c.__name__} is not a dataclass")
        key = name or c.__name__
        other = _REGISTRY.get(key)
        if other is not None and other is not c and other.__qualname__ != c.__qualname__:
            raise ValueError(f"codec name {key!r} already registered for {other!r}")
        _REGISTRY[key] = c
        _NAMES[c] = key
        _FIELDS[c] = tuple(f.name for f in dataclasses.fields(c) if f.compare)
        return c

    return wrap(cls) if cls is not None else wrap


def registered(name: str) -> type:
    """The dataclass registered under ``name``."""
    return _REGISTRY[name]


def _varint(n: int, out: bytearray) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _int_too_long(v: int) -> ValueError:
    return ValueError(f"cannot encode an integer of {v.bit_length()} bits (the codec's limit is {MAX_INT_BITS})")


def _enc(v: Any, out: bytearray) -> None:
    t = type(v)
    if t is int:
        if v.bit_length() > MAX_INT_BITS:
            raise _int_too_long(v)
        if v >= 0:
            out.append(0x03)
            _varint(v, out)
        else:
            out.append(0x04)
            _varint(-v, out)
    elif t is bytes:
        out.append(0x05)
        _varint(len(v), out)
        out += v
    elif t is tuple or t is list:
        out.append(0x07)
        _varint(len(v), out)
        for item in v:
            _enc(item, out)
    elif t is bool:
        out.append(0x02 if v else 0x01)
    elif v is None:
        out.append(0x00)
    elif t is str:
        b = v.encode()
        out.append(0x06)
        _varint(len(b), out)
        out += b
    elif t is dict:
        items = sorted((encode(k), encode(x)) for k, x in v.items())
        out.append(0x09)
        _varint(len(items), out)
        for kb, xb in items:
            out += kb
            out += xb
    elif t is frozenset or t is set:
        elems = sorted(encode(x) for x in v)
        out.append(0x0A)
        _varint(len(elems), out)
        for eb in elems:
            out += eb
    elif t in _NAMES:
        name = _NAMES[t].encode()
        out.append(0x0B)
        _varint(len(name), out)
        out += name
        fields = _FIELDS[t]
        out.append(0x07)
        _varint(len(fields), out)
        for f in fields:
            _enc(getattr(v, f), out)
    elif isinstance(v, int):  # int subclasses (IntEnum, NewType-free subclasses)
        _enc(int(v), out)
    elif isinstance(v, (bytes, bytearray, memoryview)):
        _enc(bytes(v), out)
    else:
        raise TypeError(f"cannot encode {t.__name__}: register it with codec.register")


def encode(value: Any) -> bytes:
    """The canonical bytes of ``value``."""
    out = bytearray()
    _enc(value, out)
    return bytes(out)


class _Reader:
    __slots__ = ("buf", "pos")

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.pos = 0

    def varint(self) -> int:
        """A LEB128 varint of at most :data:`MAX_VARINT_BYTES` bytes (the cap keeps the
        quadratic cost of accumulating a long one negligible)."""
        buf = self.buf
        pos = start = self.pos
        n = shift = 0
        while True:
            b = buf[pos]
            pos += 1
            n |= (b & 0x7F) << shift
            if b < 0x80:
                self.pos = pos
                return n
            shift += 7
            if pos - start >= MAX_VARINT_BYTES:
                raise DecodeError(
                    f"varint at offset {start} is longer than {MAX_VARINT_BYTES} bytes "
                    f"(integers are limited to {MAX_INT_BITS} bits)"
                )

    def integer(self) -> int:
        n = self.varint()
        if n.bit_length() > MAX_INT_BITS:
            raise DecodeError(f"integer of {n.bit_length()} bits (the codec's limit is {MAX_INT_BITS})")
        return n

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.buf):
            raise DecodeError("truncated input")
        b = self.buf[self.pos : self.pos + n]
        self.pos += n
        return b


def _dec(r: _Reader) -> Any:
    tag = r.buf[r.pos]
    r.pos += 1
    if tag == 0x03:
        return r.integer()
    if tag == 0x04:
        return -r.integer()
    if tag == 0x05:
        return r.take(r.varint())
    if tag == 0x07:
        return tuple(_dec(r) for _ in range(r.varint()))
    if tag == 0x02:
        return True
    if tag == 0x01:
        return False
    if tag == 0x00:
        return None
    if tag == 0x06:
        return r.take(r.varint()).decode()
    if tag == 0x09:
        n = r.varint()
        d = {}
        for _ in range(n):
            k = _dec(r)
            d[k] = _dec(r)
        return d
    if tag == 0x0A:
        return frozenset(_dec(r) for _ in range(r.varint()))
    if tag == 0x0B:
        name = r.take(r.varint()).decode()
        cls = _REGISTRY.get(name)
        if cls is None:
            raise DecodeError(f"unknown dataclass {name!r} in encoded value")
        values = _dec(r)
        return cls(**dict(zip(_FIELDS[cls], values)))
    raise DecodeError(f"unknown tag 0x{tag:02x}")


def decode(data: bytes) -> Any:
    """Inverse of :func:`encode` (lists come back as tuples); raises :class:`DecodeError`
    (a ``ValueError``) on malformed input, including an integer over :data:`MAX_INT_BITS`."""
    r = _Reader(bytes(data))
    try:
        v = _dec(r)
    except IndexError as exc:
        raise DecodeError("truncated input") from exc
    if r.pos != len(r.buf):
        raise DecodeError("trailing bytes after encoded value")
    return v


def to_jsonable(value: Any) -> Any:
    """A JSON-friendly rendering: bytes as ``0x`` hex, dataclasses as dicts (for RPC/logs).

    Not part of the canonical format (not invertible for every type); use :func:`encode` for
    anything hashed or persisted.
    """
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (tuple, list)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((to_jsonable(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {str(to_jsonable(k)): to_jsonable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot render {type(value).__name__}")


# --------------------------------------------------------------------------------------------
# SCALE (Parity's codec), only what is needed to reproduce Subtensor hashes
# --------------------------------------------------------------------------------------------


def scale_compact(n: int) -> bytes:
    """SCALE ``Compact<uN>`` of a non-negative integer."""
    if n < 0:
        raise ValueError("compact integers are unsigned")
    if n < 1 << 6:
        return bytes([n << 2])
    if n < 1 << 14:
        return ((n << 2) | 1).to_bytes(2, "little")
    if n < 1 << 30:
        return ((n << 2) | 2).to_bytes(4, "little")
    body = n.to_bytes((n.bit_length() + 7) // 8, "little")
    return bytes([((len(body) - 4) << 2) | 3]) + body


def scale_uint(n: int, width: int) -> bytes:
    """SCALE fixed-width little-endian unsigned integer of ``width`` bytes."""
    return n.to_bytes(width, "little")


def scale_vec(items: Any, item: Callable[[Any], bytes]) -> bytes:
    """SCALE ``Vec<T>``: compact length then each item's encoding."""
    seq = list(items)
    return scale_compact(len(seq)) + b"".join(item(x) for x in seq)


def scale_vec_u16(values: Any) -> bytes:
    """SCALE ``Vec<u16>``."""
    seq = list(values)
    return scale_compact(len(seq)) + b"".join(v.to_bytes(2, "little") for v in seq)
