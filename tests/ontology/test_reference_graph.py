"""The reference graph: built from package data, complete, and in the IRIs the mapper uses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import ORG, OWL, RDF, RDFS, SKOS

from rcm_graph.errors import InputError
from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import RCM, WD
from rcm_graph.reference.graph import reference_graph, scheme_iris
from rcm_graph.reference.schemes import SCHEMES, facts_literals
from rcm_graph.reference.tables import load_reference_data, reference_data
from rcm_graph.resources import reference_data_dir

IRIS = Iris()
TOPICS = {
    "smuggling-of-migrants", "trafficking-in-persons", "return-and-reintegration",
    "climate-change-and-disasters", "extra-regional-migrants", "labour-migration",
    "remittances", "consular-protection", "regular-pathways", "migrant-children",
    "migrant-women-and-gender", "data-and-information", "human-rights",
    "integration-and-inclusion", "border-management", "legal-identity",
    "missing-migrants-and-saving-lives", "refugees-and-international-protection",
    "labour-and-decent-work", "diaspora-and-development",
}  # fmt: skip


@pytest.fixture(scope="module")
def ref() -> Graph:
    return reference_graph(IRIS)


def notations(g: Graph, scheme: URIRef) -> dict[str, URIRef]:
    return {
        str(g.value(c, SKOS.notation)): c  # type: ignore[misc]
        for c in g.subjects(SKOS.inScheme, scheme)
    }


def test_objectives_are_the_23_with_official_english_titles(ref: Graph) -> None:
    scheme = scheme_iris(IRIS)["objective"]
    found = notations(ref, scheme)
    assert sorted(found, key=int) == [str(n) for n in range(1, 24)]
    for o in reference_data().objectives:
        node = IRIS.objective(o.number)
        assert found[str(o.number)] == node
        assert (node, RDF.type, RCM.GCMObjective) in ref
        assert (node, SKOS.prefLabel, Literal(o.title_en, lang="en")) in ref
        assert [x for x in ref.objects(node, SKOS.prefLabel) if x.language == "es"]  # type: ignore[attr-defined]
    one = IRIS.objective(1)
    assert (one, SKOS.prefLabel, Literal(reference_data().objectives[0].title_es, lang="es")) in ref


def test_principles_are_the_ten_lettered_a_to_j(ref: Graph) -> None:
    found = notations(ref, scheme_iris(IRIS)["principle"])
    assert sorted(found) == list("abcdefghij")
    assert (IRIS.principle("f"), SKOS.prefLabel, Literal("Human rights", lang="en")) in ref
    assert (IRIS.principle("f"), SKOS.prefLabel, Literal("Derechos humanos", lang="es")) in ref


@pytest.mark.parametrize("key", sorted(facts_literals()))
def test_scheme_notations_are_exactly_the_facts_literals(ref: Graph, key: str) -> None:
    found = notations(ref, scheme_iris(IRIS)[key])
    assert set(found) == set(facts_literals()[key])
    for notation, node in found.items():
        assert node == IRIS.concept(key, notation)


def test_topic_notations_are_the_contract_with_extraction(ref: Graph) -> None:
    found = notations(ref, scheme_iris(IRIS)["topic"])
    assert set(found) == TOPICS
    objectives = set(ref.subjects(RDF.type, RCM.GCMObjective))
    for topic in found.values():
        related = set(ref.objects(topic, RCM.relatedObjective))
        assert related and related <= objectives, topic


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.key)
def test_every_concept_has_labels_in_both_languages_and_a_definition(
    ref: Graph, scheme: object
) -> None:
    node_scheme = scheme_iris(IRIS)[scheme.key]  # type: ignore[attr-defined]
    concepts = list(ref.subjects(SKOS.inScheme, node_scheme))
    assert concepts
    for c in concepts:
        langs = sorted(x.language for x in ref.objects(c, SKOS.prefLabel))  # type: ignore[attr-defined]
        assert langs == ["en", "es"], c
        assert ref.value(c, SKOS.definition) is not None, c
        assert (node_scheme, SKOS.hasTopConcept, c) in ref


def test_states_have_iso_codes_and_wikidata_items_never_same_as(ref: Graph) -> None:
    pan = IRIS.state("PAN")
    assert (pan, RDF.type, RCM.State) in ref
    assert (pan, RCM.iso3166Alpha3, Literal("PAN")) in ref
    assert (pan, RCM.iso3166Alpha2, Literal("PA")) in ref
    assert (pan, RCM.wikidataItem, WD.Q804) in ref
    assert (pan, RDFS.label, Literal("Panamá", lang="es")) in ref
    assert not list(ref.triples((None, OWL.sameAs, None)))
    described = {str(ref.value(s, RCM.iso3166Alpha3)) for s in ref.subjects(RDF.type, RCM.State)}
    assert {m.iso3 for m in reference_data().members if m.iso3} <= described
    # every ISO 3166-1 country, so a state a document names is always described
    assert len(described) >= 249 and {"ESP", "HTI", "CUB"} <= described
    assert (IRIS.state("ESP"), RDFS.label, Literal("España", lang="es")) in ref
    for state in ref.subjects(RDF.type, RCM.State):
        assert len([x for x in ref.objects(state, SKOS.prefLabel) if x.language == "en"]) == 1  # type: ignore[attr-defined]


def test_organizations_have_names_and_acronyms_in_both_languages(ref: Graph) -> None:
    iom = IRIS.org("iom")
    assert (iom, RDF.type, RCM.IntergovernmentalOrganization) in ref
    assert (iom, RCM.acronym, Literal("IOM", lang="en")) in ref
    assert (iom, RCM.acronym, Literal("OIM", lang="es")) in ref
    assert (
        iom,
        RDFS.label,
        Literal("Organización Internacional para las Migraciones", lang="es"),
    ) in ref
    assert (IRIS.org("rncom"), RDF.type, RCM.CivilSocietyNetwork) in ref
    assert (IRIS.org("ircc"), RDF.type, RCM.GovernmentAgency) in ref
    acronymed = {s for s in ref.subjects(RCM.acronym, None) if (s, RCM.bodyOf, None) not in ref}
    assert len(acronymed) == len(
        [o for o in reference_data().organizations if o.acronym_en or o.acronym_es]
    )


def test_processes_have_their_bodies(ref: Graph) -> None:
    rcm, sacm = IRIS.org("rcm"), IRIS.org("sacm")
    for process in (rcm, sacm):
        assert (process, RDF.type, RCM.RegionalConsultativeProcess) in ref
    bodies = {str(b).rsplit("/", 1)[1] for b in ref.subjects(RCM.bodyOf, rcm)}
    assert bodies == {
        "technical-secretariat",
        "presidency-pro-tempore",
        "troika",
        "ad-hoc-group-extra-regional-migrants",
        "regional-consultation-group-on-migration",
    }
    ts = IRIS.body("rcm", "technical-secretariat")
    assert (ts, RDF.type, RCM.Secretariat) in ref
    # found by acronym like an organization (the canonical participants view reads rcm:acronym)
    assert (ts, RCM.acronym, Literal("TS", lang="en")) in ref
    assert (ts, RCM.acronym, Literal("ST", lang="es")) in ref
    assert (ts, RCM.hostedBy, IRIS.org("iom")) in ref
    ppt = IRIS.body("rcm", "presidency-pro-tempore")
    assert (ppt, RDF.type, RCM.Post) in ref and (ppt, ORG.postIn, rcm) in ref


def test_memberships_follow_the_table_and_keep_observers_apart(ref: Graph) -> None:
    rows = reference_data().members
    members = {
        IRIS.state(m.iso3)
        for m in rows
        if m.process == "RCM" and m.status == "member_state" and m.iso3
    }
    rcm = IRIS.org("rcm")
    full = {ref.value(m, RCM.fullMember) for m in ref.subjects(ORG.organization, rcm)} - {None}
    assert full == members
    jam = IRIS.membership("rcm", "JAM", "observer-country")
    assert (jam, RCM.observer, IRIS.state("JAM")) in ref
    assert (jam, RCM.fullMember, None) not in ref
    assert (jam, RCM.membershipStatus, IRIS.concept("membership-status", "observer-country")) in ref
    assert len(set(ref.subjects(RDF.type, RCM.Membership))) == len(rows)
    unicef = IRIS.membership("rcm", "unicef", "observer-organization")
    assert (unicef, RCM.observer, IRIS.org("unicef")) in ref


def test_the_graph_is_the_same_every_build_and_follows_the_base() -> None:
    assert isomorphic(reference_graph(IRIS), reference_graph(IRIS))
    other = reference_graph(Iris("http://localhost:8000/"))
    subjects = {str(s) for s in other.subjects() if isinstance(s, URIRef)}
    assert subjects and all(s.startswith("http://localhost:8000/id/") for s in subjects)


def _copy_tables(tmp_path: Path) -> Path:
    target = tmp_path / "ref"
    shutil.copytree(reference_data_dir(), target)
    return target


def test_an_unknown_membership_status_is_reported_with_the_table(tmp_path: Path) -> None:
    directory = _copy_tables(tmp_path)
    table = directory / "rcm-members.tsv"
    table.write_text(
        table.read_text(encoding="utf-8").replace("\tobserver_country\t", "\tguest\t", 1),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        reference_graph(IRIS, load_reference_data(directory))
    assert "guest" in err.value.what and "rcm-members.tsv" in str(err.value.where)


def test_a_member_organization_nobody_describes_is_reported(tmp_path: Path) -> None:
    directory = _copy_tables(tmp_path)
    table = directory / "rcm-members.tsv"
    text = table.read_text(encoding="utf-8")
    table.write_text(
        text.replace("Ibero-American General Secretariat (SEGIB)", "Zyx Council", 1),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        reference_graph(IRIS, load_reference_data(directory))
    assert "Zyx Council" in err.value.what
