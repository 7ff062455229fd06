"""The command line of every process of a local network.

Each process is started exactly as a person would start it by hand (``python -m taonet
node ...``, ``python -m taonet.subnets.qa.miner ...``), which keeps the local network an
honest composition of standalone programs. Logs go to ``<base>/logs/<name>.log``.

``stage`` orders the shutdown (highest first): neurons, then the gateway, the model hub,
and the node last.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from .plan import MINER_HOST, NeuronPlan
from .supervisor import ProcessSpec

if TYPE_CHECKING:
    from .network import Localnet

__all__ = ["node_spec", "store_spec", "neuron_spec", "gateway_spec"]

PY = sys.executable


def _env(net: "Localnet") -> dict[str, str]:
    return {"TAONET_WALLET_PATH": str(net.wallets), "PYTHONUNBUFFERED": "1"}


def node_spec(net: "Localnet") -> ProcessSpec:
    argv = [PY, "-m", "taonet", "node", "--dev", "--block-time", str(net.options.block_time),
            "--base-path", str(net.base / "chain"), "--rpc-port", str(net.manifest.node_port), "--log-level", "warning"]
    return ProcessSpec("node", argv, net.base / "logs" / "node.log", stage=0, env=_env(net), info={"role": "node"})


def store_spec(net: "Localnet") -> ProcessSpec:
    argv = [PY, "-m", "taonet.localnet.store", "--root", str(net.base / "store"), "--port", str(net.manifest.store_port)]
    return ProcessSpec("store", argv, net.base / "logs" / "store.log", stage=1, env=_env(net), info={"role": "store"})


def gateway_spec(net: "Localnet") -> ProcessSpec:
    argv = [PY, "-m", "taonet", "gateway", "--localnet", str(net.base), "--port", str(net.manifest.gateway_port)]
    return ProcessSpec("gateway", argv, net.base / "logs" / "gateway.log", stage=2, env=_env(net),
                       info={"role": "gateway"})


def neuron_spec(net: "Localnet", n: NeuronPlan) -> ProcessSpec:
    netuid = net.manifest.subnets[n.kind].netuid
    assert netuid is not None
    argv = [PY, "-m", f"taonet.subnets.{n.kind}.{n.role}", "--netuid", str(netuid), "--network", net.node_url,
            "--wallet.name", n.name, "--wallet.path", str(net.wallets), "--parent-pid", str(os.getpid())]
    if n.role == "miner" and n.kind != "finetune":
        argv += ["--axon.ip", MINER_HOST, "--axon.port", str(n.port)]
    argv += _role_args(net, n)
    return ProcessSpec(n.name, argv, net.base / "logs" / f"{n.name}.log", stage=3, env=_env(net),
                       info={"role": n.role, "kind": n.kind, "model": n.model})


def _role_args(net: "Localnet", n: NeuronPlan) -> list[str]:
    if n.kind == "embeddings":
        return ["--model", n.model] if n.role == "miner" else ["--n-docs", "100"]
    if n.kind == "qa":
        if n.role == "miner":
            return ["--backend", n.model, "--seed", str(n.seed)]
        return ["--dataset", str(net.base / "qa" / f"{n.name}.jsonl"), "--n-questions", str(net.options.qa_questions)]
    if n.role == "miner":
        return ["--recipe", n.model, "--seed", str(n.seed), "--dataset", str(net.base / "qa"), "--store", net.store_url,
                "--min-questions", str(net.options.min_questions)]
    return []
