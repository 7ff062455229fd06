"""Answer backends: what a Q&A miner plugs in to answer questions.

A miner forwards each question text to one :class:`Backend` and returns its reply. The
default is the local :class:`RuleBackend`; :class:`OpenAIChatBackend` sends the question to
any server that speaks the OpenAI ``/v1/chat/completions`` shape (a local llama.cpp or
vLLM server, or a hosted API), selected by :class:`BackendConfig`. Two wrappers make
miners of *known, different* quality so that tests can check that incentive follows
quality: :class:`NoisyBackend` errs with a set probability, and a rule backend over a
knowledge-base subset knows only part of the facts.
"""

from __future__ import annotations

import asyncio
import os
import random
from dataclasses import dataclass
from typing import Literal, Protocol

import aiohttp

from .answers import parse_number
from .knowledge import load_knowledge, subset
from .questions import format_number
from .solver import RuleSolver

__all__ = [
    "Backend",
    "BackendError",
    "RuleBackend",
    "NoisyBackend",
    "SilentBackend",
    "OpenAIChatBackend",
    "BackendConfig",
    "make_backend",
    "SHIPPED_MINERS",
    "shipped_backend",
]

SYSTEM_PROMPT = (
    "You answer quiz questions. Reply with the answer only: a single word, name or number, "
    "without explanation, units or punctuation."
)


class BackendError(RuntimeError):
    """The backend could not produce an answer (unreachable, bad status, malformed reply)."""


class Backend(Protocol):
    async def answer(self, question: str) -> str: ...


class RuleBackend:
    """The local rule-based solver (no network, microseconds per question)."""

    def __init__(self, solver: RuleSolver | None = None) -> None:
        self.solver = solver or RuleSolver()

    async def answer(self, question: str) -> str:
        return self.solver.solve(question)


class SilentBackend:
    """Answers nothing: a registered but idle miner, the floor of the quality scale."""

    async def answer(self, question: str) -> str:
        return ""


class NoisyBackend:
    """Wraps a backend and corrupts a fraction ``error_rate`` of its answers.

    A corrupted number is shifted by a small non-zero amount, a corrupted word becomes
    ``"unknown"``. The coin flips come from ``seed``, so a noisy miner's mistakes are
    reproducible.
    """

    def __init__(self, inner: Backend, error_rate: float, seed: int) -> None:
        if not 0.0 <= error_rate <= 1.0:
            raise ValueError("error_rate must be in [0, 1]")
        self.inner, self.error_rate, self._rng = inner, error_rate, random.Random(seed)

    async def answer(self, question: str) -> str:
        reply = await self.inner.answer(question)
        if self._rng.random() >= self.error_rate:
            return reply
        value = parse_number(reply)
        if value is not None:
            return format_number(value + self._rng.choice([-3, -2, -1, 1, 2, 3]))
        return "unknown"


class OpenAIChatBackend:
    """Asks an OpenAI-compatible chat completions endpoint.

    ``base_url`` follows the OpenAI client convention and includes the version prefix
    (``http://127.0.0.1:8000/v1``); the request goes to ``{base_url}/chat/completions``.
    A session is created per call unless one is passed in, so the backend can be used
    from short-lived scripts and long-running miners alike.
    """

    def __init__(self, base_url: str, model: str, api_key: str | None = None,
                 timeout_s: float = 30.0, max_tokens: int = 32,
                 session: aiohttp.ClientSession | None = None) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model, self.api_key = model, api_key
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.max_tokens = max_tokens
        self._session = session

    def request_body(self, question: str) -> dict[str, object]:
        return {
            "model": self.model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": question},
            ],
            "temperature": 0,
            "max_tokens": self.max_tokens,
        }

    async def answer(self, question: str) -> str:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        if self._session is not None:
            return await self._post(self._session, question, headers)
        async with aiohttp.ClientSession(timeout=self.timeout) as session:
            return await self._post(session, question, headers)

    async def _post(self, session: aiohttp.ClientSession, question: str, headers: dict[str, str]) -> str:
        try:
            async with session.post(self.url, json=self.request_body(question), headers=headers,
                                    timeout=self.timeout) as resp:
                if resp.status != 200:
                    raise BackendError(f"chat completions returned HTTP {resp.status}")
                payload = await resp.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise BackendError(f"chat completions request failed: {exc!r}") from exc
        try:
            content = payload["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise BackendError("chat completions reply has no choices[0].message.content") from exc
        if not isinstance(content, str):
            raise BackendError("chat completions content is not a string")
        return content.strip()


@dataclass(frozen=True, slots=True)
class BackendConfig:
    """How a miner answers. ``kind="openai"`` reads the key from ``api_key_env``.

    The key itself is never stored in configuration files, only the name of the
    environment variable that holds it.
    """

    kind: Literal["rules", "openai"] = "rules"
    base_url: str = "http://127.0.0.1:8000/v1"
    model: str = "local-model"
    api_key_env: str = "OPENAI_API_KEY"
    timeout_s: float = 30.0


def make_backend(config: BackendConfig) -> Backend:
    if config.kind == "rules":
        return RuleBackend()
    if config.kind == "openai":
        return OpenAIChatBackend(config.base_url, config.model, os.environ.get(config.api_key_env),
                                 config.timeout_s)
    raise ValueError(f"unknown backend kind {config.kind!r}")


# The shipped miners, best first. Their expected accuracy on the uniform question mix
# (6 of 10 kinds are facts): oracle 1.0, noisy-15 ~0.85, partial-30 ~0.4 + 0.6*0.3 = 0.58,
# noisy-60 ~0.4, silent 0.
SHIPPED_MINERS: tuple[str, ...] = ("oracle", "noisy-15", "partial-30", "noisy-60", "silent")


def shipped_backend(name: str, seed: int = 0) -> Backend:
    """One of :data:`SHIPPED_MINERS`, deterministic in ``seed``."""
    if name == "oracle":
        return RuleBackend()
    if name == "noisy-15":
        return NoisyBackend(RuleBackend(), 0.15, seed)
    if name == "partial-30":
        return RuleBackend(RuleSolver(subset(load_knowledge(), 0.3, seed)))
    if name == "noisy-60":
        return NoisyBackend(RuleBackend(), 0.60, seed)
    if name == "silent":
        return SilentBackend()
    raise ValueError(f"unknown shipped miner {name!r}")
