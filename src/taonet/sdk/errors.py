"""Errors an Axon turns into HTTP status codes (the same codes bittensor 10.5.0 answers).

Each error class carries its status code, so the axon's pipeline can raise a meaningful
exception at any step and answer with one uniform error path.
"""

from __future__ import annotations


class SynapseError(Exception):
    """Base class: a request failed at one step of the axon pipeline."""

    status_code = 500


class SynapseParsingError(SynapseError):
    """Headers or body could not be parsed into the synapse type (400)."""

    status_code = 400


class BodyHashMismatchError(SynapseParsingError):
    """The body does not hash to the signed ``computed_body_hash`` header (400)."""


class NotVerifiedError(SynapseError):
    """Signature or nonce check failed, or the verify hook raised (401)."""

    status_code = 401


class BlacklistedError(SynapseError):
    """The blacklist hook refused the caller (403)."""

    status_code = 403


class UnknownSynapseError(SynapseError):
    """No forward function is attached for this route (404)."""

    status_code = 404


class PayloadTooLargeError(SynapseError):
    """The body exceeds the axon's ``max_request_bytes`` (413; bittensor has no limit)."""

    status_code = 413


class RequestTimeoutError(SynapseError):
    """The request did not finish within the synapse's timeout (408)."""

    status_code = 408


class PriorityError(SynapseError):
    """The priority hook raised (503)."""

    status_code = 503
