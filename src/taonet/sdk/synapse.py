"""Synapse: the typed request/response that travels between a Dendrite and an Axon.

A Synapse is a pydantic v2 model. Its subclass name is the HTTP route (``POST /<Name>``), its
fields are the JSON body, and two :class:`TerminalInfo` records (``dendrite``, ``axon``) travel
as signed ``bt_header_*`` headers. Field names, defaults, header names and the body hash are
the ones of bittensor 10.5.0, so a bittensor peer and a taonet peer understand each other.

Why not reuse bittensor's class: its ``to_headers`` regenerates a JSON schema on every call
(about 3 ms, three times per round trip). Here the per-class facts (required fields, hash
fields) are computed once and cached, which is most of the speed difference.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from taonet.sdk import _headers

__all__ = ["DEFAULT_TIMEOUT", "WIRE_VERSION", "Synapse", "TerminalInfo", "compute_body_hash", "sha3_hex"]

DEFAULT_TIMEOUT = 12.0
#: ``version`` sent in our terminal info: bittensor 10.5.0's ``version_as_int``. It tells
#: bittensor peers that we follow the >= 7.2.0 wire rules (nonce freshness window).
WIRE_VERSION = 10_005_000


def sha3_hex(text: str) -> str:
    """SHA3-256 of ``text`` (UTF-8) as lowercase hex: the hash bittensor uses everywhere."""
    return hashlib.sha3_256(text.encode("utf-8")).hexdigest()


EMPTY_BODY_HASH = sha3_hex("")


def compute_body_hash(values: list[Any]) -> str:
    """The body hash over the values of ``required_hash_fields``, in order.

    Each value is hashed as ``sha3_hex(str(value))`` (``value`` as ``model_dump()`` gives it,
    so a nested model is a dict), the hex digests are concatenated, and the result hashed
    again. No fields gives the hash of the empty string.
    """
    return sha3_hex("".join(sha3_hex(str(v)) for v in values))


class TerminalInfo(BaseModel):
    """What one end of a call says about itself: address, key, nonce, signature, status.

    Values arrive as header strings; pydantic's lax mode converts the numeric ones
    (``"408"`` -> 408, ``"0.5"`` -> 0.5) natively, which is much cheaper than Python-level
    validators on a hot path that sees every field of every request.
    """

    model_config = ConfigDict(validate_assignment=True)

    status_code: int | None = None
    status_message: str | None = None
    process_time: float | None = None
    ip: str | None = None
    port: int | None = None
    version: int | None = None
    nonce: int | None = None
    uuid: str | None = None
    hotkey: str | None = None
    signature: str | None = None


@lru_cache(maxsize=None)
def _required_fields(cls: type[Synapse]) -> tuple[str, ...]:
    """Fields with no default: these get a ``bt_header_input_obj_*`` header."""
    return tuple(name for name, info in cls.model_fields.items() if info.is_required())


@lru_cache(maxsize=None)
def _hash_fields(cls: type[Synapse]) -> tuple[str, ...]:
    """The fields the body hash covers, honouring bittensor's legacy field-style declaration."""
    legacy = cls.model_fields.get("required_hash_fields")
    if legacy is not None and legacy.default:
        wanted = set(legacy.default)
        return tuple(name for name in cls.model_fields if name in wanted)
    return tuple(cls.required_hash_fields)


class Synapse(BaseModel):
    """Base class of every request type; subclass it and add your fields.

    Class attributes:
        required_hash_fields: names of the fields whose values the dendrite's signature covers
            (through the body hash). Put every field the miner must not see altered here.

    Example:
        >>> class Echo(Synapse):
        ...     text: str = ""
        ...     response: str | None = None
        ...     required_hash_fields: ClassVar[tuple[str, ...]] = ("text",)
    """

    model_config = ConfigDict(validate_assignment=True)

    name: str | None = Field(default=None, repr=False)
    timeout: float | None = Field(default=DEFAULT_TIMEOUT, repr=False)
    total_size: int | None = Field(default=0, repr=False)
    header_size: int | None = Field(default=0, repr=False)
    dendrite: TerminalInfo | None = Field(default_factory=TerminalInfo, repr=False)
    axon: TerminalInfo | None = Field(default_factory=TerminalInfo, repr=False)
    computed_body_hash: str | None = Field(default="", frozen=True, repr=False)

    required_hash_fields: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _force_name(cls, values: Any) -> Any:
        """The name is always the class name: it is the route, whatever the input says."""
        if isinstance(values, dict):
            values["name"] = cls.__name__
        return values

    # ------------------------------------------------------------------ results
    def deserialize(self) -> Any:
        """What ``Dendrite`` returns when called with ``deserialize=True``; override it."""
        return self

    @property
    def is_success(self) -> bool:
        """The call completed with status 200."""
        return self.dendrite is not None and self.dendrite.status_code == 200

    @property
    def is_failure(self) -> bool:
        """The call completed with any status other than 200."""
        return self.dendrite is not None and self.dendrite.status_code != 200

    @property
    def is_timeout(self) -> bool:
        """The call timed out (408)."""
        return self.dendrite is not None and self.dendrite.status_code == 408

    @property
    def is_blacklist(self) -> bool:
        """The axon refused the caller (403)."""
        return self.dendrite is not None and self.dendrite.status_code == 403

    @property
    def failed_verification(self) -> bool:
        """The axon rejected the signature or nonce (401)."""
        return self.dendrite is not None and self.dendrite.status_code == 401

    # ------------------------------------------------------------------ wire
    @property
    def body_hash(self) -> str:
        """SHA3-256 body hash over ``required_hash_fields`` (see :func:`compute_body_hash`)."""
        fields = _hash_fields(type(self))
        if not fields:
            return EMPTY_BODY_HASH
        dumped = self.model_dump(include=set(fields))
        return compute_body_hash([dumped[name] for name in fields])

    def get_total_size(self) -> int:
        """Size of the JSON body in bytes; also stored in ``total_size``."""
        size = len(self.model_dump_json())
        self.__dict__["total_size"] = size
        return size

    def get_required_fields(self) -> list[str]:
        """Names of the fields that have no default (cached per class)."""
        return list(_required_fields(type(self)))

    def to_headers(self, *, total_size: int | None = None) -> dict[str, str]:
        """The HTTP headers that carry this synapse's metadata (bittensor's scheme).

        Args:
            total_size: body size in bytes when the caller already knows it (saves a dump).
        """
        headers: dict[str, str] = {"name": str(self.name), "timeout": str(self.timeout)}
        if self.axon is not None:
            headers.update(_headers.terminal_headers(_headers.AXON_PREFIX, self.axon.__dict__))
        if self.dendrite is not None:
            headers.update(
                _headers.terminal_headers(_headers.DENDRITE_PREFIX, self.dendrite.__dict__)
            )
        required = _required_fields(type(self))
        if required:
            dumped = self.model_dump(include=set(required))
            headers.update(_headers.input_obj_headers((n, dumped.get(n)) for n in required))
        if total_size is None:
            total_size = self.get_total_size()
        else:
            self.__dict__["total_size"] = total_size
        headers["header_size"] = str(_headers.headers_size(headers))
        headers["total_size"] = str(total_size)
        headers["computed_body_hash"] = self.body_hash
        return headers

    @classmethod
    def parse_headers_to_inputs(cls, headers: Any) -> dict[str, Any]:
        """Constructor inputs found in ``headers`` (any str -> str mapping)."""
        return _headers.parse_headers(headers, _required_fields(cls))

    @classmethod
    def from_headers(cls, headers: Any) -> Self:
        """Build an instance from headers alone (required fields get empty values).

        Raises:
            ValueError: malformed headers (pydantic's ``ValidationError`` is a ``ValueError``).
        """
        return cls(**cls.parse_headers_to_inputs(headers))
