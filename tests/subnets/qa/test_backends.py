"""The OpenAI-compatible backend against a tiny local chat-completions server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from taonet.subnets.qa.backends import (
    BackendConfig,
    BackendError,
    NoisyBackend,
    OpenAIChatBackend,
    RuleBackend,
    make_backend,
)
from taonet.subnets.qa.round import query
from taonet.subnets.qa.solver import RuleSolver

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def serve(handler: Handler) -> AsyncIterator[str]:
    """Run ``handler`` at POST /v1/chat/completions on 127.0.0.1; yield the base URL."""
    app = web.Application()
    app.router.add_post("/v1/chat/completions", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        await runner.cleanup()


def test_chat_completions_round_trip() -> None:
    seen: list[tuple[dict[str, object], str | None]] = []
    solver = RuleSolver()

    async def handler(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append((body, request.headers.get("Authorization")))
        question = body["messages"][-1]["content"]
        reply = {"id": "x", "object": "chat.completion", "model": body["model"],
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": f" {solver.solve(question)}\n"}}]}
        return web.json_response(reply)

    async def main() -> list[str]:
        async with serve(handler) as url:
            backend = OpenAIChatBackend(url, "tiny-model", api_key="sk-test")
            return [await backend.answer("What is the capital of Peru?"),
                    await backend.answer("What is 6 times 7?")]

    assert asyncio.run(main()) == ["Lima", "42"]
    body, auth = seen[0]
    assert auth == "Bearer sk-test"
    assert body["model"] == "tiny-model"
    messages = body["messages"]
    assert isinstance(messages, list) and [m["role"] for m in messages] == ["system", "user"]
    assert messages[1]["content"] == "What is the capital of Peru?"
    assert body["temperature"] == 0


@pytest.mark.parametrize("status,payload", [
    (500, {"error": "boom"}),
    (200, {"choices": []}),
    (200, {"choices": [{"message": {"content": None}}]}),
    (200, "not json at all"),
])
def test_bad_replies_raise_backend_error(status: int, payload: object) -> None:
    async def handler(request: web.Request) -> web.Response:
        text = payload if isinstance(payload, str) else json.dumps(payload)
        return web.Response(status=status, text=text, content_type="application/json")

    async def main() -> None:
        async with serve(handler) as url:
            await OpenAIChatBackend(url, "m").answer("What is 1 plus 1?")

    with pytest.raises(BackendError):
        asyncio.run(main())


def test_unreachable_server_and_timeout_become_missing_answers() -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({})

    async def main() -> tuple[object, object]:
        dead = await query(OpenAIChatBackend("http://127.0.0.1:9/v1", "m", timeout_s=1), "q?", timeout_s=2)
        async with serve(slow) as url:
            late = await query(OpenAIChatBackend(url, "m"), "q?", timeout_s=0.2)
        return dead, late

    dead, late = asyncio.run(main())
    assert dead.answer is None and late.answer is None  # type: ignore[attr-defined]
    assert late.latency_s == 0.2  # type: ignore[attr-defined]


def test_configuration_selects_the_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(make_backend(BackendConfig()), RuleBackend)
    monkeypatch.setenv("MY_KEY", "secret")
    backend = make_backend(BackendConfig(kind="openai", base_url="http://127.0.0.1:1/v1/", model="m",
                                         api_key_env="MY_KEY"))
    assert isinstance(backend, OpenAIChatBackend)
    assert backend.url == "http://127.0.0.1:1/v1/chat/completions" and backend.api_key == "secret"
    with pytest.raises(ValueError):
        make_backend(BackendConfig(kind="nope"))  # type: ignore[arg-type]


def test_noisy_backend_errs_at_its_rate_reproducibly() -> None:
    async def answers(seed: int) -> list[str]:
        b = NoisyBackend(RuleBackend(), 0.3, seed)
        return [await b.answer("What is 2 plus 3?") for _ in range(1000)]

    a = asyncio.run(answers(1))
    assert a == asyncio.run(answers(1))
    wrong = sum(x != "5" for x in a) / len(a)
    assert 0.25 < wrong < 0.35
