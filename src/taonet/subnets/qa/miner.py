"""The Q&A miner (Subnet 18 style): answer one question per request.

The miner forwards each :class:`~.protocol.AnswerQuestion` to its backend
(:mod:`.backends`): by default one of the shipped rule solvers of known quality
(``oracle``, ``noisy-15``, ``partial-30``, ``noisy-60``, ``silent``), or any
OpenAI-compatible chat endpoint (``--backend openai --openai.base-url ... --openai.model
...``; the key is read from the environment variable named by ``--openai.api-key-env``,
never from the command line).

Run it as a program::

    python -m taonet.subnets.qa.miner --netuid 3 --wallet.name m0 \\
        --network ws://127.0.0.1:9944 --axon.ip 127.0.0.2 --axon.port 8201 --backend oracle
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from taonet.sdk.neuron import BaseMiner

from ..runtime import add_common_args, ensure_served, load_wallet, run_neuron, wait_registered
from .backends import SHIPPED_MINERS, Backend, BackendConfig, BackendError, make_backend, shipped_backend
from .protocol import AnswerQuestion

__all__ = ["QAMiner", "backend_from_args", "main"]

log = logging.getLogger("taonet.subnets.qa.miner")


class QAMiner(BaseMiner):
    """Answers AnswerQuestion with its backend; a backend failure is an empty answer."""

    synapse_type = AnswerQuestion

    def __init__(self, wallet: Any, netuid: int, network: str | None, backend: Backend, *,
                 port: int, ip: str, step_seconds: float = 5.0) -> None:
        super().__init__(wallet, netuid, network, port=port, ip=ip, step_seconds=step_seconds)
        self.backend = backend
        self.requests = 0

    async def setup(self) -> None:
        if await wait_registered(self):
            await super().setup()

    async def step(self) -> None:
        await self.sync()
        await ensure_served(self)

    async def forward(self, synapse: AnswerQuestion) -> AnswerQuestion:
        try:
            synapse.answer = await self.backend.answer(synapse.question)
        except BackendError as exc:
            log.warning("backend failed: %s", exc)
            synapse.answer = ""
        self.requests += 1
        return synapse


def backend_from_args(args: argparse.Namespace) -> Backend:
    if args.backend == "openai":
        return make_backend(BackendConfig(kind="openai", base_url=args.openai_base_url, model=args.openai_model,
                                          api_key_env=args.openai_api_key_env, timeout_s=args.openai_timeout))
    return shipped_backend(args.backend, seed=args.seed)


def main(argv: list[str] | None = None) -> None:
    parser = add_common_args(argparse.ArgumentParser(description=__doc__.splitlines()[0]), axon=True)
    parser.add_argument("--backend", default="oracle", choices=[*SHIPPED_MINERS, "openai"])
    parser.add_argument("--seed", type=int, default=0, help="seed of the noisy and partial solvers")
    parser.add_argument("--openai.base-url", dest="openai_base_url", default="http://127.0.0.1:8000/v1")
    parser.add_argument("--openai.model", dest="openai_model", default="local-model")
    parser.add_argument("--openai.api-key-env", dest="openai_api_key_env", default="OPENAI_API_KEY")
    parser.add_argument("--openai.timeout", dest="openai_timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    miner = QAMiner(load_wallet(args), args.netuid, args.network, backend_from_args(args),
                    port=args.axon_port, ip=args.axon_ip, step_seconds=args.step_seconds or 5.0)
    run_neuron(miner, args, f"qa-miner[{args.backend}]")


if __name__ == "__main__":
    main()
