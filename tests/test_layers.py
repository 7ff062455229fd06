"""The dependency rule of the package, checked by reading every module's imports.

primitives <- chain <- node;  chain <- sim;  primitives <- sdk <- subnets, explorer;
cli may import anything (it is the composition root).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "taonet"

# For each layer, the taonet layers it may import (itself always allowed).
ALLOWED: dict[str, set[str]] = {
    "primitives": set(),
    "chain": {"primitives"},
    "node": {"primitives", "chain"},
    "sim": {"primitives", "chain"},
    "sdk": {"primitives"},
    "subnets": {"primitives", "sdk"},
    "explorer": {"primitives", "sdk", "sim"},
    "cli": {"primitives", "chain", "node", "sdk", "sim", "subnets", "explorer", "localnet", "gateway"},
    "localnet": {"primitives", "chain", "node", "sdk", "subnets"},
    "gateway": {"primitives", "sdk", "subnets"},
}
# Third-party modules a layer must never import (I/O in the pure state machine).
FORBIDDEN_EXTERNAL: dict[str, set[str]] = {
    "chain": {"sqlite3", "socket", "aiohttp", "asyncio", "urllib", "http", "random", "time", "datetime"},
    "primitives": {"sqlite3", "socket", "aiohttp", "asyncio"},
}


def _layer_of(path: Path) -> str | None:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else None


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    rel_pkg = path.relative_to(PACKAGE.parent).with_suffix("").parts
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel_pkg[: len(rel_pkg) - node.level])
                if path.name == "__init__.py":
                    base = list(rel_pkg[: len(rel_pkg) - node.level + 1])
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.append((node.lineno, mod))
    return found


def violations() -> list[str]:
    problems: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = _layer_of(path)
        if layer is None or layer not in ALLOWED:
            continue
        for lineno, mod in _imports(path):
            parts = mod.split(".")
            if parts[0] == "taonet" and len(parts) > 1:
                target = parts[1]
                if target in ALLOWED and target != layer and target not in ALLOWED[layer]:
                    problems.append(f"{path.relative_to(PACKAGE)}:{lineno} {layer} imports {mod}")
            elif parts[0] in FORBIDDEN_EXTERNAL.get(layer, set()):
                problems.append(f"{path.relative_to(PACKAGE)}:{lineno} {layer} imports {mod}")
    return problems


def test_layering_rule_holds() -> None:
    assert violations() == []


def test_layering_check_catches_a_forbidden_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A fake package where chain imports node must be reported.
    fake = tmp_path / "taonet"
    (fake / "chain").mkdir(parents=True)
    (fake / "node").mkdir()
    (fake / "chain" / "bad.py").write_text("from taonet.node import service\nimport sqlite3\n")
    (fake / "chain" / "rel.py").write_text("from ..sdk import wallet\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    found = violations()
    assert any("chain imports taonet.node" in p for p in found)
    assert any("chain imports sqlite3" in p for p in found)
    assert any("chain imports taonet.sdk" in p for p in found)
