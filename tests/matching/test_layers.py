"""Matching is a leaf: it imports the domain at most, never service, store, edges or scenarios."""

import ast
from pathlib import Path

import corridor.matching

FORBIDDEN = ("service", "store", "api", "web", "cli", "scenarios", "bootstrap", "planning", "formats")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: from .x (inside matching) or from ..x (a sibling of matching)
                found.add(module.split(".")[0] if node.level >= 2 else "matching")
            elif module.startswith("corridor."):
                found.add(module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("corridor.")}
    return found


def test_matching_imports_no_outer_layer_and_no_scenario():
    folder = Path(corridor.matching.__file__).parent
    for path in sorted(folder.rglob("*.py")):
        assert not _imports(path) & set(FORBIDDEN), path.name
