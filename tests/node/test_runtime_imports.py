"""The node uses the runtime through its public API only (``taonet.chain.__all__``).

The runtime's modules (``chain.dispatch``, ``chain.params``, ...) are internals that may be
reorganised; a node that reached into them would break silently on such a change.
"""

from __future__ import annotations

import ast

import taonet.chain
from tests.node.helpers import ROOT

NODE = ROOT / "src" / "taonet" / "node"


def _chain_imports() -> list[tuple[str, int, str, list[str]]]:
    """``(file, line, module, names)`` of every import of ``taonet.chain*`` in the node."""
    found = []
    for path in sorted(NODE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("taonet.chain"):
                found.append((path.name, node.lineno, node.module, [a.name for a in node.names]))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("taonet.chain"):
                        found.append((path.name, node.lineno, alias.name, []))
    return found


def test_node_imports_only_the_public_runtime_api() -> None:
    imports = _chain_imports()
    assert imports, "the node should use the runtime"
    public = set(taonet.chain.__all__)
    for where, line, module, names in imports:
        assert module == "taonet.chain", f"{where}:{line} imports the runtime internal {module}"
        private = [n for n in names if n not in public]
        assert not private, f"{where}:{line} imports {private}, which taonet.chain does not export"


def test_public_api_has_what_the_node_needs() -> None:
    from taonet.chain import SPEC_VERSION, get_dispatch_info
    from taonet.primitives import calls as C

    assert isinstance(SPEC_VERSION, int) and SPEC_VERSION > 0
    info = get_dispatch_info(C.TransferKeepAlive(dest=bytes(32), value=1))
    assert info is not None and info.pays_fee and info.weight > 0
