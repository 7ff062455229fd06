"""Axon: the miner's HTTP server, wire-compatible with bittensor 10.5.0's Axon.

A miner attaches one forward function per Synapse type; the class name is the route
(``POST /<Name>``). Each request goes through the same ordered steps as in bittensor, each
with its status code on failure:

1. route lookup (404) and header parsing into the synapse type (400);
2. stamp: the axon fills its own terminal info (version, uuid, nonce, hotkey) and the
   caller's address, and signs ``axon_nonce.dendrite_hotkey.axon_hotkey.axon_uuid``;
3. blacklist hook (403);
4. verify hook (401); the default checks the nonce rules and the dendrite's sr25519
   signature over ``nonce.dendrite_hotkey.axon_hotkey.uuid.body_hash``;
5. body parsing and body-hash check against the signed header (400);
6. priority hook, then a slot from a real priority queue when all ``max_workers`` slots are
   busy (408 if the synapse's timeout passes while waiting, 503 if the hook raises);
7. forward, cancelled when the synapse's timeout (counted from arrival) runs out (408);
   any exception is 500;
8. answer: the synapse as JSON plus its ``bt_header_*`` headers (status 200 ``Success``), or a
   stream for a :class:`~taonet.sdk.stream.StreamingSynapse`.

Differences from bittensor, all deliberate: it binds the address it is given (default
127.0.0.1, never 0.0.0.0 behind your back) and never looks up a public IP; the priority
number really orders waiting requests; the synapse timeout is enforced; a body that does not
match its signed hash is 400 (bittensor answers 500); sync forward functions run in a thread
pool instead of blocking the event loop.

Run it from async code (``async with Axon(...)`` or ``await axon.astart()``) or from sync code
(``axon.start()`` runs the same server on a private event loop in a background thread).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import inspect
import logging
import socket
import threading
import time
import typing
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from bittensor_wallet import Keypair, Wallet

from taonet.sdk import _answers as answers
from taonet.sdk import _signing
from taonet.sdk._nonce import NonceTracker
from taonet.sdk._priority import PriorityGate
from taonet.sdk.axon_info import AxonInfo
from taonet.sdk.errors import (
    BlacklistedError,
    BodyHashMismatchError,
    NotVerifiedError,
    PayloadTooLargeError,
    PriorityError,
    RequestTimeoutError,
    SynapseError,
    SynapseParsingError,
    UnknownSynapseError,
)
from taonet.sdk.stream import StreamingResponse
from taonet.sdk.synapse import DEFAULT_TIMEOUT, WIRE_VERSION, Synapse, TerminalInfo

__all__ = ["Axon"]

log = logging.getLogger(__name__)

DEFAULT_PORT = 8091
DEFAULT_MAX_WORKERS = 10
DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024


@dataclass(slots=True)
class _Route:
    synapse_type: type[Synapse]
    forward: Callable[..., Any]
    forward_is_async: bool
    blacklist: Callable[..., Any] | None
    priority: Callable[..., Any] | None
    verify: Callable[..., Any] | None


async def _call(fn: Callable[..., Any], synapse: Synapse) -> Any:
    """Call a hook that may be sync or async."""
    result = fn(synapse)
    if inspect.isawaitable(result):
        result = await result
    return result


def _first_param_type(fn: Callable[..., Any]) -> Any:
    """The annotation of ``fn``'s first parameter, resolving string annotations.

    Resolving them fixes a bittensor gotcha: modules using ``from __future__ import
    annotations`` could not attach forward functions there.
    """
    params = list(inspect.signature(fn).parameters.values())
    if not params:
        raise TypeError("forward_fn must take the synapse as its first argument")
    annotation = params[0].annotation
    if isinstance(annotation, str):
        try:
            annotation = typing.get_type_hints(fn).get(params[0].name, annotation)
        except NameError as exc:  # e.g. a class local to a function
            raise TypeError(
                f"cannot resolve the annotation {annotation!r} of {fn!r}; "
                "pass synapse_type= to attach()"
            ) from exc
    return annotation


def _is_async(fn: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)
    )


async def _ping(synapse: Synapse) -> Synapse:
    """The default ``/Synapse`` route: answers the synapse unchanged."""
    return synapse


class Axon:
    """Serve attached forward functions over HTTP, the bittensor way.

    Args:
        wallet: a ``bittensor_wallet.Wallet`` (hotkey signs, coldkeypub is reported) or a
            hotkey ``Keypair``.
        port: port to bind; 0 picks a free one (read it back from ``axon.port``).
        ip: address to bind. Defaults to 127.0.0.1; pass "0.0.0.0" to listen everywhere.
        external_ip: address published in :meth:`info`; defaults to ``ip`` (127.0.0.1 when
            ``ip`` is a wildcard). No public-IP lookup is ever made.
        external_port: port published in :meth:`info`; defaults to the bound port.
        max_workers: forward functions allowed to run at once; more requests wait in the
            priority queue.
        coldkey: coldkey ss58 to report when ``wallet`` is a bare Keypair.
        nonce_tracker: replay-protection state (mostly for tests).
        max_request_bytes: largest request body accepted (413 above).
    """

    def __init__(
        self,
        wallet: Wallet | Keypair,
        port: int = DEFAULT_PORT,
        ip: str = "127.0.0.1",
        external_ip: str | None = None,
        external_port: int | None = None,
        max_workers: int = DEFAULT_MAX_WORKERS,
        *,
        coldkey: str | None = None,
        nonce_tracker: NonceTracker | None = None,
        max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
    ) -> None:
        if isinstance(wallet, Keypair):
            self.keypair, self.coldkey = wallet, coldkey or ""
        else:
            self.keypair = wallet.hotkey
            self.coldkey = coldkey or wallet.coldkeypub.ss58_address
        self.hotkey: str = self.keypair.ss58_address
        self.uuid = str(uuid.uuid1())
        self.ip = ip
        self.port = port
        wildcard = ip in ("", "0.0.0.0", "::")
        self.external_ip = external_ip or ("127.0.0.1" if wildcard else ip)
        self.external_port = external_port
        self.max_workers = max_workers
        self.max_request_bytes = max_request_bytes
        self.nonces = nonce_tracker or NonceTracker()
        self.started = False
        self._routes: dict[str, _Route] = {}
        self._gate = PriorityGate(max_workers)
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._runner: web.ServerRunner | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None
        self.attach(_ping)

    # ------------------------------------------------------------------ setup
    def attach(
        self,
        forward_fn: Callable[..., Any],
        blacklist_fn: Callable[..., Any] | None = None,
        priority_fn: Callable[..., Any] | None = None,
        verify_fn: Callable[..., Any] | None = None,
        *,
        synapse_type: type[Synapse] | None = None,
    ) -> Axon:
        """Serve ``forward_fn`` at ``/<SynapseType>``, with optional hooks.

        Each function takes the synapse and may be sync or async:
        ``forward_fn(s) -> Synapse | StreamingResponse | None`` (None: the input, modified),
        ``blacklist_fn(s) -> (bool, reason)``, ``priority_fn(s) -> float`` (higher first),
        ``verify_fn(s) -> None`` (raise to reject; replaces the default signature check).

        Args:
            synapse_type: the Synapse subclass; by default the annotation of ``forward_fn``'s
                first parameter.

        Raises:
            TypeError: no Synapse subclass could be determined, or a hook is not callable.
        """
        kind = synapse_type or _first_param_type(forward_fn)
        if not (isinstance(kind, type) and issubclass(kind, Synapse)):
            raise TypeError("the first argument of forward_fn must be annotated with a Synapse subclass")
        for hook in (blacklist_fn, priority_fn, verify_fn):
            if hook is not None and not callable(hook):
                raise TypeError(f"{hook!r} is not callable")
        self._routes[kind.__name__] = _Route(
            kind, forward_fn, _is_async(forward_fn), blacklist_fn, priority_fn, verify_fn
        )
        return self

    @property
    def routes(self) -> list[str]:
        """Names of the attached synapse types (the HTTP routes without ``/``)."""
        return list(self._routes)

    def info(self) -> AxonInfo:
        """This axon's public endpoint, as it would be served on chain."""
        return AxonInfo(
            version=WIRE_VERSION,
            ip=self.external_ip,
            port=self.external_port or self.port,
            ip_type=AxonInfo.ip_version(self.external_ip),
            hotkey=self.hotkey,
            coldkey=self.coldkey,
        )

    def __repr__(self) -> str:
        state = "started" if self.started else "stopped"
        return f"Axon({self.ip}, {self.port}, {self.hotkey}, {state}, {self.routes})"

    # ------------------------------------------------------------------ lifecycle
    async def astart(self) -> Axon:
        """Bind and serve on the running event loop."""
        if self.started:
            return self
        self._gate = PriorityGate(self.max_workers)
        self._executor = concurrent.futures.ThreadPoolExecutor(
            self.max_workers, thread_name_prefix="axon-forward"
        )
        # The low-level server (no router, no middleware chain): every path goes to _handle,
        # which dispatches on the synapse name itself. It saves a measurable share of the
        # per-request CPU compared with web.Application.
        max_bytes = self.max_request_bytes

        def make_request(message: Any, payload: Any, protocol: Any, writer: Any,
                         task: Any) -> web.BaseRequest:
            return web.BaseRequest(message, payload, protocol, writer, task,
                                   asyncio.get_running_loop(), client_max_size=max_bytes)

        server = web.Server(self._handle, request_factory=make_request, access_log=None)
        runner = web.ServerRunner(server, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        family = socket.AF_INET6 if ":" in self.ip else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.ip, self.port))
            self.port = sock.getsockname()[1]
            await web.SockSite(runner, sock, backlog=1024).start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._runner = runner
        self.started = True
        return self

    async def astop(self) -> Axon:
        """Stop accepting requests and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        self.started = False
        return self

    def start(self) -> Axon:
        """Serve from a background thread with its own event loop (for sync programs)."""
        if self.started:
            return self
        loop = asyncio.new_event_loop()
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.astart())
            except BaseException as exc:  # report bind errors to the caller of start()
                ready.set_exception(exc)
                loop.close()
                return
            ready.set_result(None)
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        thread = threading.Thread(target=run, name=f"axon-{self.port}", daemon=True)
        thread.start()
        ready.result()
        self._thread, self._thread_loop = thread, loop
        return self

    def stop(self) -> Axon:
        """Stop a server started with :meth:`start` and join its thread."""
        thread, loop = self._thread, self._thread_loop
        if thread is None or loop is None:
            if self.started:
                raise RuntimeError("this axon was started with astart(); use await axon.astop()")
            return self
        asyncio.run_coroutine_threadsafe(self.astop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        self._thread = self._thread_loop = None
        return self

    async def __aenter__(self) -> Axon:
        return await self.astart()

    async def __aexit__(self, *exc: object) -> None:
        await self.astop()

    def __enter__(self) -> Axon:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ verification
    def default_verify(self, synapse: Synapse) -> None:
        """Nonce rules, then the dendrite's signature; raise on failure.

        The nonce is remembered only once the signature is valid, so a forged request cannot
        burn a legitimate caller's nonce.
        """
        dendrite = synapse.dendrite
        if dendrite is None:
            raise NotVerifiedError("the request carries no dendrite terminal info")
        endpoint = f"{dendrite.hotkey}:{dendrite.uuid}"
        self.nonces.check(endpoint, dendrite.nonce, synapse.timeout)
        if not dendrite.signature:
            raise NotVerifiedError("Missing Signature")
        message = _signing.request_message(
            dendrite.nonce, dendrite.hotkey, self.hotkey, dendrite.uuid,
            synapse.computed_body_hash,
        )
        if not _signing.verify(dendrite.hotkey, message, dendrite.signature):
            raise NotVerifiedError(f"Signature mismatch with {message}")
        assert dendrite.nonce is not None  # checked by nonces.check
        self.nonces.commit(endpoint, dendrite.nonce)

    # ------------------------------------------------------------------ request pipeline
    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        start = time.time()
        deadline_base = time.monotonic()
        name = request.path.lstrip("/").split("/", 1)[0]
        route = self._routes.get(name)
        error: SynapseError
        if route is None:
            error = UnknownSynapseError(
                f"Synapse name '{name}' not found. Available synapses {self.routes}"
            )
            return answers.error(Synapse(), error, start)
        try:
            synapse = route.synapse_type.from_headers(request.headers)
        except ValueError as exc:
            error = SynapseParsingError(
                f"Improperly formatted request. Could not parse headers into synapse of "
                f"type {name}: {exc}"
            )
            return answers.error(Synapse(), error, start)
        self._stamp(synapse, request)
        try:
            return await self._pipeline(route, synapse, request, start, deadline_base)
        except SynapseError as exc:
            return answers.error(synapse, exc, start)
        except Exception:
            error_id = uuid.uuid4()
            log.exception("axon %s forward failed (#%s)", name, error_id)
            return answers.error(synapse, SynapseError(f"Internal Server Error #{error_id}"), start)

    def _stamp(self, synapse: Synapse, request: web.BaseRequest) -> None:
        """Fill in the axon's own terminal info and sign it; record the caller's address."""
        if synapse.axon is None:
            synapse.axon = TerminalInfo()
        if synapse.dendrite is None:
            synapse.dendrite = TerminalInfo()
        axon = synapse.axon.__dict__
        nonce = time.time_ns()
        axon.update(version=WIRE_VERSION, uuid=self.uuid, nonce=nonce, status_code=100,
                    hotkey=self.hotkey)
        peer = request.transport.get_extra_info("peername") if request.transport else None
        if peer:
            synapse.dendrite.__dict__.update(ip=str(peer[0]), port=int(peer[1]))
        message = _signing.axon_message(nonce, synapse.dendrite.hotkey, self.hotkey, self.uuid)
        axon["signature"] = _signing.sign(self.keypair, message)

    async def _pipeline(
        self, route: _Route, synapse: Synapse, request: web.BaseRequest, start: float,
        deadline_base: float,
    ) -> web.StreamResponse:
        timeout = synapse.timeout if synapse.timeout and synapse.timeout > 0 else DEFAULT_TIMEOUT
        deadline = deadline_base + timeout

        if route.blacklist is not None:
            blocked, reason = await _call(route.blacklist, synapse)
            if blocked:
                raise BlacklistedError(f"Forbidden. Key is blacklisted: {reason}.")
        try:
            await _call(route.verify or self.default_verify, synapse)
        except Exception as exc:  # NonceError, NotVerifiedError, or the hook's own
            raise NotVerifiedError(f"Not Verified with error: {exc}") from exc

        full = await self._read_body(route, synapse, request)

        priority = 0.0
        if route.priority is not None:
            try:
                priority = float(await _call(route.priority, full))
            except Exception as exc:
                raise PriorityError(f"Priority error: {exc}") from exc
        try:
            await self._gate.acquire(priority, max(deadline - time.monotonic(), 0.0))
        except TimeoutError as exc:
            raise RequestTimeoutError(f"Response timeout after: {timeout}s") from exc
        release = True
        try:
            if route.forward_is_async:
                result = await self._forward_async(route, full, deadline, timeout)
            else:
                result = await self._forward_sync(route, full, deadline, timeout)
            if isinstance(result, StreamingResponse):
                return await answers.stream(request, result, synapse, start, deadline)
            if result is None:
                result = full
            if not isinstance(result, Synapse):
                raise TypeError(f"forward returned {type(result).__name__}, not a Synapse")
            return answers.respond(result, synapse, start)
        except _SlotHandedOff:
            release = False
            raise
        finally:
            if release:
                self._gate.release()

    async def _read_body(self, route: _Route, synapse: Synapse, request: web.BaseRequest) -> Synapse:
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge as exc:
            raise PayloadTooLargeError(
                f"Request body larger than {self.max_request_bytes} bytes"
            ) from exc
        try:
            full = route.synapse_type.model_validate_json(body)
        except ValueError as exc:
            raise SynapseParsingError(f"Improperly formatted request body: {exc}") from exc
        if full.body_hash != synapse.computed_body_hash:
            raise BodyHashMismatchError(
                f"Hash mismatch between header body hash {synapse.computed_body_hash} "
                f"and parsed body hash {full.body_hash}"
            )
        # The signed, stamped terminal info from the headers is authoritative.
        full.__dict__.update(
            axon=synapse.axon, dendrite=synapse.dendrite, timeout=synapse.timeout,
            computed_body_hash=synapse.computed_body_hash,
        )
        return full

    async def _forward_async(
        self, route: _Route, synapse: Synapse, deadline: float, timeout: float
    ) -> Any:
        try:
            # asyncio.timeout cancels the forward in place, without wait_for's extra task.
            async with asyncio.timeout(deadline - time.monotonic()):
                return await route.forward(synapse)
        except TimeoutError as exc:
            raise RequestTimeoutError(f"Forward timeout after: {timeout}s") from exc

    async def _forward_sync(
        self, route: _Route, synapse: Synapse, deadline: float, timeout: float
    ) -> Any:
        """Run a sync forward in the thread pool.

        On timeout the answer is 408 at once, but the slot is only given back when the thread
        really finishes, so ``max_workers`` stays an honest bound on running forwards.
        """
        assert self._executor is not None
        loop = asyncio.get_running_loop()
        ctx = contextvars.copy_context()
        cfut = self._executor.submit(ctx.run, route.forward, synapse)
        try:
            result = await asyncio.wait_for(
                asyncio.wrap_future(cfut), deadline - time.monotonic()
            )
        except TimeoutError as exc:
            gate = self._gate
            cfut.add_done_callback(lambda _: loop.call_soon_threadsafe(gate.release))
            raise _SlotHandedOff(f"Forward timeout after: {timeout}s") from exc
        if inspect.isawaitable(result):
            result = await asyncio.wait_for(result, max(deadline - time.monotonic(), 0.0))
        return result


class _SlotHandedOff(RequestTimeoutError):
    """408 from a sync forward that is still running; its thread will free the slot."""
