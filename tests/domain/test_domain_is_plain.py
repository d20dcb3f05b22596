"""The domain imports only the standard library and itself."""

import ast
import sys
from pathlib import Path

import corridor.domain

DOMAIN = Path(corridor.domain.__file__).parent


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_modules_import_only_the_standard_library():
    for path in DOMAIN.glob("*.py"):
        outside = {r for r in imported_roots(path) if r not in sys.stdlib_module_names and r != "__future__"}
        assert not outside, f"{path.name} imports {outside}"


def test_planning_imports_nothing_from_storage_or_web():
    planning = DOMAIN.parent / "planning"
    for path in planning.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("sqlalchemy", "fastapi", "corridor.store", "corridor.api", "..store", "..api", "..web"):
            assert forbidden not in text, f"planning/{path.name} mentions {forbidden}"
