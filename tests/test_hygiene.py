"""Tests that can fail, and fail for the code's reasons only: no check hidden in an assertion's message, no
clock read to decide a result (a loaded machine would fail it; benchmarks measure time)."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent
# clocks of the time module; time.monotonic is left out: a `deadline` loop waiting for a server to start
# checks nothing about the code
CLOCKS = {"perf_counter", "perf_counter_ns", "process_time", "time", "time_ns"}


def source_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "data" not in p.relative_to(TESTS).parts)


def checks_in_messages(tree: ast.AST) -> list[int]:
    """Lines of `assert a, b == c`: the comparison is only a message, never checked."""
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Assert) and isinstance(node.msg, (ast.Compare, ast.BoolOp, ast.UnaryOp))]


def clock_reads(tree: ast.AST) -> list[int]:
    """Lines calling time.perf_counter(), time.time() … or a name imported from `time` as such."""
    imported = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module == "time" for a in node.names if a.name in CLOCKS}
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        fn = node.func
        if (isinstance(fn, ast.Attribute) and fn.attr in CLOCKS and isinstance(fn.value, ast.Name)
                and fn.value.id == "time") or (isinstance(fn, ast.Name) and fn.id in imported):
            lines.append(node.lineno)
    return lines


def test_no_assertion_hides_its_check_in_the_message():
    found = {str(p.relative_to(TESTS)): lines for p in source_files() if (lines := checks_in_messages(ast.parse(
        p.read_text(encoding="utf-8"))))}
    assert found == {}


def test_no_test_reads_the_clock():
    found = {str(p.relative_to(TESTS)): lines for p in source_files()
             if (lines := clock_reads(ast.parse(p.read_text(encoding="utf-8"))))}
    assert found == {}


def test_the_checks_see_what_they_look_for():
    bad = ast.parse("import time\nfrom time import perf_counter as pc\n"
                    "def test_x(r):\n    t = time.perf_counter()\n    pc()\n    assert r.ok, r.text == 'x'\n"
                    "    time.monotonic()\n")
    assert clock_reads(bad) == [4, 5]
    assert checks_in_messages(bad) == [6]
