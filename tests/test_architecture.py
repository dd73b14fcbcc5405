"""The layout's rules, checked on the source (README, "Layout"):

- an `api.py` never imports a `views.py`, nor the other way round;
- no import cycle between the portal's modules, imports inside functions included;
- no module over 500 lines outside migrations, data and tests;
- no function over 60 lines without a docstring that says why.

Imports are read with `ast`, so an import inside a function counts like one at the top.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "assessments", "indicators", "ministries", "reports", "audit"]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def portal_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            modules[module_name(path)] = path
    return modules


MODULES = portal_modules()


def imported_modules(name: str, path: Path) -> set[str]:
    """The portal modules `name` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # `from package import module` imports the module; `from module import name`
            # imports the module that defines the name.
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: imported_modules(name, path) for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def is_kind(name: str, kind: str) -> bool:
    """`kind` is "api" or "views": the module itself or a module of such a package."""
    return kind in name.split(".")


def test_the_checker_sees_cycles_and_relative_imports():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    # A relative import inside a function is found like one at the top.
    assert "assessments.permissions" in GRAPH["assessments.review.views"]


def test_no_import_cycles():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("one,other", [("api", "views"), ("views", "api")])
def test_api_and_views_never_import_each_other(one, other):
    offenders = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if is_kind(name, one)
        for target in targets
        if is_kind(target, other)
    )
    assert offenders == []


def test_modules_stay_small():
    long = sorted(
        f"{name}: {lines} lines"
        for name, path in MODULES.items()
        if "data" not in path.relative_to(ROOT).parts
        and (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    )
    assert long == []


def test_long_functions_say_why():
    undocumented = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES and not ast.get_docstring(node):
                undocumented.append(f"{name}.{node.name}: {length} lines")
    assert sorted(undocumented) == []
