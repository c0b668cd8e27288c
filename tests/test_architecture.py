"""The import direction of ARCHITECTURE.md, enforced rather than documented.

- leaf modules import nothing from the package;
- the web layer never imports extraction or reading (it talks to the store and the catalogue);
- the extraction stage produces plain data and never imports RDF-producing modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import rcm_graph

PACKAGE_DIR = Path(rcm_graph.__file__).parent
LEAVES = {
    "rcm_graph.errors",
    "rcm_graph.model.facts",
    "rcm_graph.model.vocab",
    "rcm_graph.model.iris",
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("rcm_graph"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path}: use absolute imports")
            if node.module.startswith("rcm_graph"):
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


MODULES = {module_name(p): p for p in PACKAGE_DIR.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    return package_imports(MODULES[name])


@pytest.mark.parametrize("leaf", sorted(LEAVES))
def test_leaves_import_nothing_from_the_package(leaf: str) -> None:
    assert leaf in MODULES, f"{leaf} is missing"
    assert imports_of(leaf) == set()


def _is_under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _is_under(n, "rcm_graph.web")))
def test_web_layer_never_imports_extraction(name: str) -> None:
    forbidden = (
        "rcm_graph.stages.extraction",
        "rcm_graph.stages.reading",
        "rcm_graph.stages.curation",
    )
    bad = sorted(i for i in imports_of(name) if any(_is_under(i, f) for f in forbidden))
    assert not bad, f"{name} imports {bad}"


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n in MODULES
        if _is_under(n, "rcm_graph.stages.extraction") or _is_under(n, "rcm_graph.stages.reading")
    ),
)
def test_extraction_produces_plain_data(name: str) -> None:
    forbidden = (
        "rcm_graph.stages.mapping",
        "rcm_graph.web",
        "rcm_graph.store",
        "rcm_graph.pipeline",
    )
    bad = sorted(i for i in imports_of(name) if any(_is_under(i, f) for f in forbidden))
    assert not bad, f"{name} imports {bad}"
    source = MODULES[name].read_text(encoding="utf-8")
    assert "import rdflib" not in source and "from rdflib" not in source


def test_only_settings_and_cli_read_the_environment() -> None:
    allowed = {"rcm_graph.settings", "rcm_graph.cli.main"}
    offenders = [
        n for n, p in MODULES.items() if n not in allowed and "os.environ" in p.read_text("utf-8")
    ]
    assert not offenders, offenders
