"""The dependencies pyproject.toml declares match what the code imports, and the pins CI
installs (constraints.txt) lie within the declared ranges (issue 20).

WHY: an import that no requirement declares works only while another package happens to pull
it in (``anyio`` and ``starlette`` did, through FastAPI); a requirement without an upper bound
lets a new 0.x release of the default validator break a fresh install; and pins that drifted
out of the ranges would make CI test versions that users cannot get.

The imports are read from the source with ``ast``: every absolute import at any depth, except
the standard library, the project's own packages and modules of the test folders, and imports
guarded by ``except ImportError`` (optional speed-ups such as uvloop in the load generator).
``pytest.importorskip("x")`` counts as an import of ``x``.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
OWN = {"rcm_graph", "benchmarks"}


def _requirements(group: str) -> list[Requirement]:
    lines = (
        PROJECT["dependencies"] if group == "runtime" else PROJECT["optional-dependencies"][group]
    )
    return [Requirement(line) for line in lines]


GROUPS = ["runtime", *PROJECT["optional-dependencies"]]


def _declared(*groups: str) -> set[str]:
    return {canonicalize_name(r.name) for g in groups for r in _requirements(g)}


def _guarded(tree: ast.AST) -> set[int]:
    """Line numbers of imports inside a ``try`` whose handlers catch ImportError."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught = {
            n.id
            for h in node.handlers
            if h.type is not None
            for n in ast.walk(h.type)
            if isinstance(n, ast.Name)
        }
        if caught & {"ImportError", "ModuleNotFoundError"}:
            lines |= {n.lineno for s in node.body for n in ast.walk(s) if isinstance(n, ast.stmt)}
    return lines


def imported_modules(folder: Path) -> dict[str, set[str]]:
    """Top-level module name -> files (relative) that import it, for every .py under folder."""
    found: dict[str, set[str]] = {}
    local = {p.stem for p in folder.rglob("*.py")}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        guarded = _guarded(tree)
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import) and node.lineno not in guarded:
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] if node.lineno not in guarded else []
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "importorskip"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names = [node.args[0].value]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in OWN or top in local:
                    continue
                found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


@functools.cache
def _providers() -> dict[str, list[str]]:
    return packages_distributions()


@functools.cache
def _imports(folder: str) -> dict[str, set[str]]:
    return imported_modules(ROOT / folder)


def undeclared(folder: str, *groups: str) -> dict[str, list[str]]:
    """Imported modules whose distribution no requirement of ``groups`` (default: the runtime
    requirements) names."""
    providers = _providers()
    allowed = _declared(*(groups or ("runtime",)))
    missing = {}
    for module, files in _imports(folder).items():
        dists = {canonicalize_name(d) for d in providers.get(module, [module])}
        if not dists & allowed:
            missing[module] = sorted(files)
    return missing


def test_every_module_src_imports_is_a_runtime_requirement() -> None:
    assert undeclared("src") == {}


def test_every_module_the_tests_import_is_declared_for_them() -> None:
    assert undeclared("tests", "runtime", "test", "fuzz") == {}


def test_every_module_the_benchmarks_import_is_declared_for_them() -> None:
    assert undeclared("benchmarks", "runtime", "test", "bench") == {}


def test_the_import_scan_finds_what_src_imports() -> None:
    """Not vacuous: the scan sees the imports the issue found undeclared, and a requirement
    removed from the runtime list is reported."""
    modules = _imports("src")
    assert {"anyio", "starlette", "h11", "pyshacl_turbo", "fastapi"} <= set(modules)
    declared = PROJECT["dependencies"]
    try:
        PROJECT["dependencies"] = [d for d in declared if not d.startswith("anyio")]
        assert list(undeclared("src")) == ["anyio"]
    finally:
        PROJECT["dependencies"] = declared


def _all_requirements() -> Iterator[tuple[str, Requirement]]:
    for group in GROUPS:
        for requirement in _requirements(group):
            yield group, requirement


def test_each_package_is_declared_once() -> None:
    """Nothing the runtime needs is repeated in an extra; a package two extras need (the
    ``oxigraph`` server for tests and benchmarks) has the same range in both."""
    runtime = _declared("runtime")
    specs: dict[str, set[str]] = {}
    for group, requirement in _all_requirements():
        name = canonicalize_name(requirement.name)
        if group != "runtime":
            assert name not in runtime, f"{name} is a runtime requirement, repeated in {group}"
        specs.setdefault(name, set()).add(str(requirement.specifier))
    assert {n: s for n, s in specs.items() if len(s) > 1} == {}
    runtime_lines = [canonicalize_name(r.name) for r in _requirements("runtime")]
    assert len(runtime_lines) == len(set(runtime_lines))


def _bounds(requirement: Requirement) -> tuple[Version | None, Version | None]:
    lower = upper = None
    for spec in requirement.specifier:
        if spec.operator == ">=":
            lower = Version(spec.version)
        elif spec.operator == "<":
            upper = Version(spec.version)
    return lower, upper


def test_every_requirement_has_a_lower_and_an_upper_bound() -> None:
    """Below the next release allowed to break the API: the next minor of a 0.x release, the
    next major otherwise."""
    bad = {}
    for group, requirement in _all_requirements():
        lower, upper = _bounds(requirement)
        if lower is None or upper is None:
            bad[f"{group}: {requirement}"] = "needs >= and <"
            continue
        if upper.major == 0 and len(upper.release) != 2:
            bad[f"{group}: {requirement}"] = "a 0.x package's bound is <0.MINOR"
        elif upper.major > 0 and any(upper.release[1:]):
            bad[f"{group}: {requirement}"] = "the bound is the next major version"
        elif lower >= upper:
            bad[f"{group}: {requirement}"] = "empty range"
    assert bad == {}


def _pins() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line.strip())
        assert match, f"constraints.txt: not an exact pin: {line!r}"
        pins[canonicalize_name(match[1])] = Version(match[2])
    return pins


def _missing_or_outside(requirements: Iterable[Requirement]) -> dict[str, str]:
    pins = _pins()
    wrong = {}
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        if name not in pins:
            wrong[name] = "not pinned"
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            wrong[name] = f"{pins[name]} outside {requirement.specifier}"
    return wrong


def test_the_constraints_pin_every_requirement_within_its_range() -> None:
    """What CI installs (runtime and test extra) is what pyproject allows."""
    assert _missing_or_outside([*_requirements("runtime"), *_requirements("test")]) == {}
    # uvicorn[standard]: the event loop and HTTP parser the endpoint figures were measured with
    assert {"uvloop", "httptools"} <= set(_pins())


def test_a_pin_outside_its_range_is_reported() -> None:
    assert _missing_or_outside([Requirement("rdflib>=99")]) == {
        "rdflib": f"{_pins()['rdflib']} outside >=99"
    }


def test_ci_and_the_test_script_install_with_the_constraints() -> None:
    for script in (".ci/run", "scripts/test"):
        text = (ROOT / script).read_text(encoding="utf-8")
        installs = [line for line in text.splitlines() if re.search(r"pip install .*\s-e\s", line)]
        assert installs and all("-c constraints.txt" in line for line in installs), script
    assert "bash scripts/test" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_citation_names_the_repository_pyproject_names() -> None:
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    match = re.search(r'^repository-code: "([^"]+)"$', citation, re.MULTILINE)
    assert match and match[1] == PROJECT["urls"]["Source"]
