"""The house a newcomer reads: each app says its one purpose, and no two project modules import
each other (a cycle is two rooms that cannot be understood, or moved, apart)."""

import ast
import importlib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = sorted(
    config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()
)
PACKAGES = [*PROJECT_APPS, "config"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path, package: str) -> set[str]:
    """Modules imported when this one is imported (function-level imports run later)."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def import_graph() -> dict[str, set[str]]:
    paths = [
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    modules = {module_name(path): path for path in paths}
    return {
        name: {target for target in top_level_imports(path, name) if target in modules} - {name}
        for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_two_project_modules_import_each_other():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_app_says_its_one_purpose():
    undocumented = []
    for name in PROJECT_APPS:
        module = importlib.import_module(f"{name}.apps")
        config = apps.get_app_config(name.rsplit(".", 1)[-1])
        if not ((type(config).__doc__ or "").strip() or (module.__doc__ or "").strip()):
            undocumented.append(name)
    assert undocumented == []
