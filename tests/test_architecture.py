"""The package rules of docs/architecture.md, enforced over the whole import graph.

Every import counts: module level, inside functions, under ``if TYPE_CHECKING``. The graph is
read from the source with ``ast`` (nothing is imported), so the checks run on any copy of the
package; ``test_the_checker_catches_*`` plant forbidden imports in a temporary copy and show
that the checks fail on them.

- each package imports only the packages its rule allows (``ALLOWED``), and some packages must
  not reach others even indirectly (``NEVER_REACHES``), third-party libraries included;
- no import cycle between modules;
- no private name (``_x``) imported from another module, in the package, the tests or the
  benchmarks;
- no ``importlib.import_module``, ``importlib.util.find_spec`` or ``__import__`` in the
  package: a dynamic import hides a real edge from these checks;
- every rule names a package or module that exists.
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import rcm_graph

PACKAGE_DIR = Path(rcm_graph.__file__).parent
REPO = PACKAGE_DIR.parent.parent
ROOT = "rcm_graph"

# The foundation every package may use: errors, typed settings, where the shipped data is.
BASE = {"rcm_graph.errors", "rcm_graph.settings", "rcm_graph.resources"}

# unit -> the units it may import directly. A unit is a top-level module or package.
ALLOWED: dict[str, set[str]] = {
    "rcm_graph.errors": set(),
    "rcm_graph.resources": {"rcm_graph.errors"},
    "rcm_graph.settings": {"rcm_graph.errors"},
    "rcm_graph.model": BASE,
    "rcm_graph.sandbox": BASE,
    "rcm_graph.reference": {"rcm_graph.model", *BASE},
    "rcm_graph.stages": {"rcm_graph.reference", "rcm_graph.model", *BASE},
    "rcm_graph.store": {"rcm_graph.model", *BASE},
    "rcm_graph.query": {"rcm_graph.store", "rcm_graph.model", "rcm_graph.sandbox", *BASE},
    # a write is checked by the query policy (what an update may do) and becomes a new build
    "rcm_graph.writes": {
        "rcm_graph.store",
        "rcm_graph.query",
        "rcm_graph.model",
        "rcm_graph.sandbox",
        *BASE,
    },
    # the pipeline runs the stages and writes the store; it replays the write journal and can
    # load a finished build into a remote store (build --target, through query.remote)
    "rcm_graph.pipeline": {
        "rcm_graph.stages",
        "rcm_graph.reference",
        "rcm_graph.model",
        "rcm_graph.store",
        "rcm_graph.writes",
        "rcm_graph.query",
        "rcm_graph.sandbox",
        *BASE,
    },
    "rcm_graph.web": {
        "rcm_graph.query",
        "rcm_graph.writes",
        "rcm_graph.store",
        "rcm_graph.reference",
        "rcm_graph.model",
        *BASE,
    },
    "rcm_graph.cli": {
        "rcm_graph.pipeline",
        "rcm_graph.query",
        "rcm_graph.store",
        "rcm_graph.web",
        "rcm_graph.model",
        "rcm_graph.sandbox",
        *BASE,
    },
    "rcm_graph.tools": {"rcm_graph.cli", "rcm_graph.query", "rcm_graph.model", *BASE},
    "rcm_graph.__main__": {"rcm_graph.cli"},
    # the root package: the public API, build and load_dataset loaded on first use
    ROOT: {"rcm_graph.pipeline", "rcm_graph.store", "rcm_graph.settings"},
}

# ROOT_IS_A_FACADE: the root package imports the pipeline and the store only on first use of
# the public names ``build`` and ``load_dataset`` (``__getattr__``), and Python runs it before any
# submodule anyway, so paths are not followed through it: "the web reaches the pipeline through
# rcm_graph.__version__" would be noise. Its own imports are still checked against ALLOWED.

# Reached by no path at all, however indirect (third-party top-level packages included).
NEVER_REACHES: dict[str, set[str]] = {
    "rcm_graph.web": {"rcm_graph.stages", "rcm_graph.pipeline"},
    # extraction and reading produce plain data: no RDF library, no store
    "rcm_graph.stages.extraction": {"rdflib", "pyoxigraph", "owlrl", "pyshacl"},
    "rcm_graph.stages.reading": {"rdflib", "pyoxigraph", "owlrl", "pyshacl"},
    "rcm_graph.model.facts": {"rdflib", "pyoxigraph"},
    "rcm_graph.model.slugs": {"rdflib", "pyoxigraph"},
}

DYNAMIC_IMPORTS = {"import_module", "find_spec", "__import__"}


@dataclass
class Module:
    name: str
    path: Path
    imports: set[str] = field(default_factory=set)  # project modules and third-party roots
    private: list[str] = field(default_factory=list)  # "module.name" for each _name imported
    dynamic: list[str] = field(default_factory=list)  # line: call, for each dynamic import
    relative: list[int] = field(default_factory=list)


def module_name(path: Path, package_dir: Path) -> str:
    parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def read_module(name: str, path: Path, names: set[str]) -> Module:
    """Every import of one file, wherever it stands, resolved against the project's modules."""
    module = Module(name, path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    aliases: dict[str, str] = {}  # local name -> project module, for module._x attribute uses
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                module.imports.add(_target(alias.name, names))
                if alias.name in names:
                    aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                module.relative.append(node.lineno)
                continue
            source = node.module or ""
            for alias in node.names:
                full = f"{source}.{alias.name}"
                if full in names:
                    module.imports.add(full)
                    aliases[alias.asname or alias.name] = full
                else:
                    module.imports.add(_target(source, names))
                    if source.startswith(ROOT) and _is_private(alias.name):
                        module.private.append(full)
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in DYNAMIC_IMPORTS:
                module.dynamic.append(f"line {node.lineno}: {ast.unparse(node)}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and _is_private(node.attr)
        ):
            module.private.append(f"{aliases[node.value.id]}.{node.attr}")
    return module


def _target(dotted: str, names: set[str]) -> str:
    """A project module by its longest existing prefix, or a third-party top-level package."""
    if not dotted.startswith(ROOT):
        return dotted.split(".")[0]
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in names:
            return ".".join(parts[:n])
    return dotted  # a module that does not exist: reported by the cycle-free graph as missing


def read_graph(package_dir: Path) -> dict[str, Module]:
    paths = {module_name(p, package_dir): p for p in sorted(package_dir.rglob("*.py"))}
    names = set(paths)
    return {name: read_module(name, path, names) for name, path in paths.items()}


def unit(name: str) -> str:
    return ".".join(name.split(".")[:2])


def project_edges(graph: dict[str, Module], name: str) -> Iterator[str]:
    """The project modules ``name`` imports, plus the parent packages Python runs first."""
    for target in graph[name].imports:
        if target in graph:
            yield target
            parts = target.split(".")
            yield from (
                ".".join(parts[:n]) for n in range(2, len(parts)) if ".".join(parts[:n]) in graph
            )


def reachable(graph: dict[str, Module], start: str) -> set[str]:
    """Every project module and third-party package that importing ``start`` may load."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in graph and name != ROOT:  # see ROOT_IS_A_FACADE
            todo.extend(graph[name].imports)
            parts = name.split(".")
            todo.extend(".".join(parts[:n]) for n in range(2, len(parts)))
    return seen - {start}


def cycles(graph: dict[str, Module]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself).

    Edges into the root package are left out: Python runs ``rcm_graph/__init__`` before any
    submodule anyway, and the root only re-exports the public API on first use.
    """
    edges = {
        name: sorted({t for t in graph[name].imports if t in graph and t != ROOT}) for name in graph
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(name: str) -> None:  # Tarjan's algorithm; the graph is a few hundred nodes
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in edges[name]:
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == name:
                    break
            if len(component) > 1 or name in edges[name]:
                found.append(sorted(component))

    for name in sorted(edges):
        if name not in index:
            visit(name)
    return found


def module_problems(graph: dict[str, Module], name: str) -> list[str]:
    """What the rules find wrong with one module: its imports, what it reaches, private names,
    dynamic imports."""
    module = graph[name]
    source = unit(name)
    allowed = ALLOWED.get(source)
    if allowed is None:
        return [f"{name}: its package {source} has no rule in ALLOWED"]
    problems = []
    for target in sorted(module.imports):
        if not target.startswith(ROOT):
            continue
        if target not in graph:
            problems.append(f"{name} imports {target}, which does not exist")
        elif unit(target) not in {source, ROOT, *allowed}:  # the root runs first anyway
            problems.append(f"{name} imports {target} ({source} may not import {unit(target)})")
    problems += [f"{name}: relative import on line {n}" for n in module.relative]
    for scope, forbidden in NEVER_REACHES.items():
        if name != scope and not name.startswith(scope + "."):
            continue
        reached = reachable(graph, name)
        for bad in sorted(forbidden):
            hits = sorted(r for r in reached if r == bad or r.startswith(bad + "."))
            if hits:
                problems.append(f"{name} reaches {bad} ({_path(graph, name, hits[0])})")
    problems += [f"{name} imports the private name {p}" for p in module.private]
    problems += [f"{name}: dynamic import {call}" for call in module.dynamic]
    return problems


def _path(graph: dict[str, Module], start: str, goal: str) -> str:
    """One import chain from ``start`` to ``goal``, for a readable failure."""
    previous: dict[str, str] = {}
    todo = [start]
    while todo:
        name = todo.pop(0)
        if name == goal:
            chain = [goal]
            while chain[-1] != start:
                chain.append(previous[chain[-1]])
            return " -> ".join(reversed(chain))
        if name not in graph:
            continue
        parts = name.split(".")
        nexts = [*sorted(graph[name].imports)]
        nexts += [".".join(parts[:n]) for n in range(2, len(parts))]
        for target in nexts:
            if target not in previous and target != start:
                previous[target] = name
                todo.append(target)
    return goal


def check_package(package_dir: Path) -> list[str]:
    """Every problem the rules find in a copy of the package (empty when it is clean)."""
    graph = read_graph(package_dir)
    problems = [p for name in sorted(graph) for p in module_problems(graph, name)]
    return problems + [f"import cycle: {' <-> '.join(c)}" for c in cycles(graph)]


# --- the tests --------------------------------------------------------------------------------


GRAPH = read_graph(PACKAGE_DIR)


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_module_follows_the_rules(name: str) -> None:
    problems = module_problems(GRAPH, name)
    assert not problems, "\n".join(problems)


def test_no_import_cycle() -> None:
    found = cycles(GRAPH)
    assert not found, "\n".join(" <-> ".join(c) for c in found)


def test_every_rule_names_an_existing_package() -> None:
    graph = read_graph(PACKAGE_DIR)
    named = set(ALLOWED) | set(NEVER_REACHES)
    for allowed in ALLOWED.values():
        named |= allowed
    missing = sorted(n for n in named if n not in graph)
    assert not missing, f"rules name modules that do not exist: {missing}"
    for forbidden in NEVER_REACHES.values():
        for name in forbidden:
            if name.startswith(ROOT):
                assert name in graph, f"NEVER_REACHES names {name}, which does not exist"


def _scripts(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*.py") if ".venv" not in p.parts)


def test_tests_and_benchmarks_import_no_private_name() -> None:
    graph = read_graph(PACKAGE_DIR)
    names = set(graph)
    found = []
    for path in [*_scripts(REPO / "tests"), *_scripts(REPO / "benchmarks")]:
        module = read_module(path.stem, path, names)
        found += [f"{path.relative_to(REPO)}: {private}" for private in module.private]
    assert not found, "\n".join(found)


def test_only_settings_and_cli_read_the_environment() -> None:
    allowed = {"rcm_graph.settings", "rcm_graph.cli.main"}
    graph = read_graph(PACKAGE_DIR)
    offenders = [
        n
        for n, m in graph.items()
        if n not in allowed and "os.environ" in m.path.read_text("utf-8")
    ]
    assert not offenders, offenders


# --- the checker itself fails on what it must catch -------------------------------------------


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A clean copy of the package's Python files, to plant forbidden imports in."""
    target = tmp_path / ROOT
    shutil.copytree(PACKAGE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "static"))
    assert check_package(target) == [], "the copy must start clean"
    return target


def _plant(path: Path, code: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code + "\n", encoding="utf-8")


def test_the_checker_catches_the_web_importing_the_pipeline_by_importlib(
    package_copy: Path,
) -> None:
    _plant(
        package_copy / "web" / "app.py",
        "def _late():\n"
        "    import importlib\n\n"
        '    return importlib.import_module("rcm_graph.pipeline")',
    )
    problems = check_package(package_copy)
    assert any("rcm_graph.web.app: dynamic import" in p for p in problems), problems


def test_the_checker_catches_the_web_importing_the_pipeline_inside_a_function(
    package_copy: Path,
) -> None:
    _plant(
        package_copy / "web" / "app.py", "def _late():\n    from rcm_graph.pipeline import build"
    )
    problems = check_package(package_copy)
    assert any("web.app imports rcm_graph.pipeline" in p for p in problems), problems
    assert any("rcm_graph.web.app reaches rcm_graph.pipeline" in p for p in problems), problems


def test_the_checker_catches_extraction_reaching_rdflib_through_a_model_module(
    package_copy: Path,
) -> None:
    # the shape of the old defect: extraction imported iris, and iris imports rdflib
    _plant(package_copy / "model" / "slugs.py", "from rdflib import URIRef")
    problems = check_package(package_copy)
    hits = [p for p in problems if "stages.extraction" in p and "reaches rdflib" in p]
    assert hits, problems
    assert any("rcm_graph.model.slugs -> rdflib" in p for p in hits), hits


def test_the_checker_catches_a_cycle_and_a_private_import(package_copy: Path) -> None:
    _plant(package_copy / "errors.py", "from rcm_graph.settings import _ENV_ALIASES")
    problems = check_package(package_copy)
    assert any(p.startswith("import cycle:") and "rcm_graph.errors" in p for p in problems)
    assert any("imports the private name rcm_graph.settings._ENV_ALIASES" in p for p in problems)
