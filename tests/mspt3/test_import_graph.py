"""No import loop between the project's modules, the model modules first of all.

Every ``import`` counts, also those inside functions: a loop that only a deferred import
keeps from failing at start-up still ties the modules together (issue 13, item 9: the
models of courses, curriculum and qa imported each other through ``with_counts`` and
``image_src_for``)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("courses", "curriculum", "qa", "notes", "search", "filestore", "mspt3")


def project_modules(root: Path) -> dict[str, Path]:
    """Dotted name → file, for the apps' code (migrations and tests left out)."""
    found = {}
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts).removesuffix(".__init__")
            found[name] = path
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the project modules it imports anywhere in its body."""
    modules = project_modules(root)
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The loops: each a path from a module back to itself (one per module that is on one)."""
    found = []
    for start in sorted(graph):
        path, seen = [start], {start}
        stack = [iter(sorted(graph[start]))]
        while stack:
            target = next(stack[-1], None)
            if target is None:
                stack.pop()
                path.pop()
                continue
            if target == start:
                found.append([*path, start])
                break
            if target not in seen:
                seen.add(target)
                path.append(target)
                stack.append(iter(sorted(graph[target])))
    return found


def test_the_graph_sees_imports_inside_functions(tmp_path):
    """The check itself: a loop closed by a deferred import is found."""
    for app in APPS:
        (tmp_path / app).mkdir()
    (tmp_path / "courses" / "models.py").write_text("def counts():\n    from qa.models import Question\n")
    (tmp_path / "qa" / "models.py").write_text("from courses.models import counts\n")
    assert loops(import_graph(tmp_path)) == [
        ["courses.models", "qa.models", "courses.models"],
        ["qa.models", "courses.models", "qa.models"],
    ]


def test_no_module_imports_itself_back_through_others():
    graph = import_graph(ROOT)
    assert {"courses.models", "curriculum.models", "qa.models", "qa.images", "qa.rendering"} <= graph.keys()
    assert loops(graph) == []
