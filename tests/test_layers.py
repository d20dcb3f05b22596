"""Layers point one way: every module under src/corridor imports only the layers and libraries its layer may use.

Every import counts — absolute or relative, at module level or inside a function — resolved to the module it
names (`from .. import service` is `corridor.service`). A layer is the first part below `corridor`
(`corridor.planning.bep.solve` is in `planning`). The standard library is open to every layer.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import corridor

PACKAGE = Path(corridor.__file__).parent

ANYTHING = "*"

# layer: (the corridor layers it may import besides itself, the third-party libraries it may import)
RULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "corridor": ((), ()),  # the package itself: corridor/__init__.py
    "domain": ((), ()),
    "planning": (("domain",), ("numpy", "ortools")),
    "matching": (("domain",), ("rapidfuzz", "numpy")),  # numpy fits the calibration
    "formats": (("domain",), ("openpyxl", "python_calamine", "reportlab", "arabic_reshaper", "bidi", "segno",
                              "jinja2", "pyxform", "defusedxml")),  # the sitrep as HTML; XForms, OpenRosa instances
    # the store indexes names by the matcher's keys (keyed blind indexes) so names stay encrypted
    "store": (("domain", "matching"), ("sqlalchemy", "alembic", "psycopg", "cryptography")),
    "service": (("domain", "planning", "store", "formats"), ("argon2", "zxcvbn")),  # passwords (accounts)
    # the generated registries come with their measure of the matcher
    "scenarios": (("domain", "service", "matching"), ()),
    "web": (("domain", "service", "formats"), ("fastapi", "starlette", "jinja2")),
    "api": (("domain", "service", "formats", "web"), ("fastapi", "starlette", "pydantic")),
    # the command line also runs the scenarios, serves the API and runs the BEP benchmark of `planning`
    # ... and explains the matcher's evidence to the registrar
    "cli": (("domain", "service", "formats", "scenarios", "api", "planning", "matching", "bootstrap"),
            ("typer", "click", "rich", "uvicorn")),
    "__main__": (("cli",), ()),
    "bootstrap": ((ANYTHING,), (ANYTHING,)),  # the composition root wires everything
}

# The service takes the planner and the duplicate matcher from the runtime: it may use planning's types and
# pure builders, never a solver, and nothing of matching (which RULES already keeps out of service).
SOLVERS = ("corridor.planning.greedy", "corridor.planning.bounds", "corridor.planning.bep", "corridor.planning:solve")

# (module, what it imports that it may not): why it is still there and who is taking it out. Each is an
# xfail(strict=True): when the fix lands the test passes, pytest reports it as failing, and the entry goes.
KNOWN: dict[tuple[str, str], str] = {}  # (module, import) -> why it is allowed for now


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. corridor.service.planning
    target: str  # the module imported, e.g. corridor.planning.network, or a library's module, e.g. sqlalchemy.orm
    name: str | None  # the name taken from it, for `from x import name` where name is not a module
    line: int

    @property
    def layer(self) -> str:
        return layer_of(self.module)

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target}{':' + self.name if self.name else ''}"


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "corridor"


def module_name(path: Path) -> str:
    parts = ["corridor", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return name == "corridor" or (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative / "__init__.py").is_file()


def imports_in(source: str, module: str, is_package: bool = False) -> list[Import]:
    """The imports of `source`, the text of `module`, each resolved to the module it names."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module
            for alias in node.names:
                submodule = f"{origin}.{alias.name}"
                if origin.startswith("corridor") and is_module(submodule):
                    found.append(Import(module, submodule, None, node.lineno))
                else:
                    found.append(Import(module, origin, alias.name, node.lineno))
    return found


def imports_of(path: Path) -> list[Import]:
    return imports_in(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")


def all_imports() -> list[Import]:
    return [i for path in sorted(PACKAGE.rglob("*.py")) for i in imports_of(path)]


def why_not(imp: Import) -> str | None:
    """What rule `imp` breaks, or None."""
    root = imp.target.split(".")[0]
    if root == "__future__" or root in sys.stdlib_module_names:
        return None
    layers, libraries = RULES[imp.layer]
    if root == "corridor":
        target_layer = layer_of(imp.target)
        if target_layer != imp.layer and ANYTHING not in layers and target_layer not in layers:
            return f"{imp.layer} may not import {target_layer}"
        if imp.layer == "service" and any(
                imp.target == s or imp.target.startswith(s + ".") or f"{imp.target}:{imp.name}" == s for s in SOLVERS):
            return "service takes the planner from the runtime; it imports no solver"
        return None
    if ANYTHING not in libraries and root not in libraries:
        return f"{imp.layer} may not use the library {root}"
    return None


def reaches(imp: Import, target: str) -> bool:
    """`imp` imports `target`: that module, or (for a library) anything of that library."""
    return imp.target == target or imp.target.split(".")[0] == target


def known(imp: Import) -> bool:
    return any(module == imp.module and reaches(imp, target) for module, target in KNOWN)


MODULES = sorted(module_name(p) for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES)
def test_imports_point_one_way(module):
    broken = [f"{imp}: {why}" for imp in all_imports_by_module().get(module, [])
              if (why := why_not(imp)) and not known(imp)]
    assert broken == []


def test_every_known_break_is_still_there():
    """An entry of KNOWN whose import has gone must go too, so the list never hides a new break."""
    gone = [(module, target) for module, target in KNOWN
            if not any(why_not(imp) and reaches(imp, target) for imp in all_imports_by_module().get(module, []))]
    assert gone == []


def test_every_layer_has_rules():
    assert {layer_of(m) for m in MODULES} <= set(RULES)


def test_the_checker_sees_relative_nested_and_lazy_imports():
    """The checker itself: a relative import two levels up, from a package below planning/, inside a function."""
    bep = PACKAGE / "planning" / "bep" / "solve.py"
    assert bep in set(PACKAGE.rglob("*.py"))
    samples = {
        ("corridor.planning.bep.solve", "corridor.store.db", None): "planning may not import store",
        ("corridor.service.planning", "corridor.planning", "solve"): "service takes the planner from the runtime",
        ("corridor.service.duplicates", "corridor.matching", "find_duplicates"): "service may not import matching",
        ("corridor.domain.values", "sqlalchemy", None): "domain may not use the library sqlalchemy",
        ("corridor.service.planning", "corridor.planning.problem", None): None,
        ("corridor.api.app", "corridor.store", "queries"): "api may not import store",
    }
    for (module, target, name), expected in samples.items():
        why = why_not(Import(module, target, name, 1))
        assert (why or "").startswith(expected or "") and bool(why) == bool(expected), (module, target, why)
    lazy = "def f():\n    from ...store import db\n    from .. import service\n"
    found = [(i.target, i.name) for i in imports_in(lazy, "corridor.planning.bep.sample")]
    assert found == [("corridor.store.db", None), ("corridor.planning", "service")]


@cache
def all_imports_by_module() -> dict[str, list[Import]]:
    by_module: dict[str, list[Import]] = {}
    for imp in all_imports():
        by_module.setdefault(imp.module, []).append(imp)
    return by_module
