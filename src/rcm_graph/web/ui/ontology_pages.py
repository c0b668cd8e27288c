"""The ontology at ``/ontology`` and the SHACL shapes at ``/shapes``.

HTML documentation is rendered from the ontology graph itself (labels en/es, definitions,
hierarchy, domains and ranges), so it can never drift from the OWL file; the OWL file is served
by content negotiation (and ``/ontology.ttl`` …). Term IRIs are hash IRIs
(``…/ontology#Meeting``), so they resolve to this page with an anchor per term.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from fastapi import FastAPI
from rdflib import OWL, RDF, RDFS, SH, SKOS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from starlette.requests import Request
from starlette.responses import Response

from rcm_graph.model.vocab import ONTOLOGY_IRI
from rcm_graph.reference.ontology import load_ontology, load_shapes, ontology_path, shapes_paths
from rcm_graph.web.ui.conneg import ALL_FORMATS, HTML, RDF_FORMATS, negotiate, split_extension
from rcm_graph.web.ui.linked_data import link_header, not_acceptable, rdf_response
from rcm_graph.web.ui.rendering import render
from rcm_graph.web.ui.state import UiState, ui_error

KINDS = (
    ("ontology.classes", OWL.Class),
    ("ontology.object_properties", OWL.ObjectProperty),
    ("ontology.datatype_properties", OWL.DatatypeProperty),
    ("ontology.annotation_properties", OWL.AnnotationProperty),
)


@dataclass
class TermDoc:
    iri: str
    anchor: str
    label_en: str
    label_es: str
    definition: str
    relations: list[tuple[str, list[str]]] = field(default_factory=list)


def _text(graph: Graph, subject: URIRef, prop: URIRef, lang: str) -> str:
    fallback = ""
    for value in graph.objects(subject, prop):
        if isinstance(value, Literal):
            if value.language == lang:
                return str(value)
            if not value.language and not fallback:
                fallback = str(value)
    return fallback if lang == "en" else ""


def _iris(graph: Graph, subject: URIRef, prop: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, prop) if isinstance(o, URIRef))


def _term(graph: Graph, iri: URIRef) -> TermDoc:
    relations = [
        ("ontology.subclass_of", _iris(graph, iri, RDFS.subClassOf)),
        ("ontology.subproperty_of", _iris(graph, iri, RDFS.subPropertyOf)),
        ("ontology.domain", _iris(graph, iri, RDFS.domain)),
        ("ontology.range", _iris(graph, iri, RDFS.range)),
        ("ontology.inverse_of", _iris(graph, iri, OWL.inverseOf)),
        ("ontology.disjoint_with", _iris(graph, iri, OWL.disjointWith)),
    ]
    return TermDoc(
        iri=str(iri),
        anchor=str(iri).split("#", 1)[1] if "#" in str(iri) else str(iri),
        label_en=_text(graph, iri, RDFS.label, "en"),
        label_es=_text(graph, iri, RDFS.label, "es"),
        definition=(
            _text(graph, iri, SKOS.definition, "en") or _text(graph, iri, RDFS.comment, "en")
        ),
        relations=[(name, values) for name, values in relations if values],
    )


@functools.lru_cache(maxsize=4)
def _ontology_doc(mtime: float) -> dict[str, object]:
    """The documentation model, recomputed only when the ontology file changes."""
    graph = load_ontology()
    ontology = URIRef(ONTOLOGY_IRI)
    sections = []
    for title, kind in KINDS:
        terms = sorted(
            (
                _term(graph, s)
                for s in set(graph.subjects(RDF.type, kind))
                if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY_IRI + "#")
            ),
            key=lambda t: t.anchor.lower(),
        )
        reused = sorted(
            str(s)
            for s in set(graph.subjects(RDF.type, kind))
            if isinstance(s, URIRef) and not str(s).startswith(ONTOLOGY_IRI)
        )
        sections.append({"title": title, "terms": terms, "reused": reused})
    header = {
        "title": (
            _text(graph, ontology, DCTERMS.title, "en") or _text(graph, ontology, RDFS.label, "en")
        ),
        "description": _text(graph, ontology, DCTERMS.description, "en")
        or _text(graph, ontology, RDFS.comment, "en"),
        "version": _text(graph, ontology, OWL.versionInfo, "en"),
        "version_iri": ", ".join(_iris(graph, ontology, OWL.versionIRI)),
        "license": ", ".join(_iris(graph, ontology, DCTERMS.license)),
        "creators": ", ".join(sorted(str(o) for o in graph.objects(ontology, DCTERMS.creator))),
    }
    return {"header": header, "sections": sections, "triples": len(graph)}


def _shape_docs(graph: Graph) -> list[dict[str, object]]:
    shapes: list[dict[str, object]] = []
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        props: list[dict[str, str]] = []
        for prop in graph.objects(shape, SH.property):
            detail = {
                name: ", ".join(sorted(str(v) for v in graph.objects(prop, term)))
                for name, term in (
                    ("path", SH.path),
                    ("datatype", SH.datatype),
                    ("class", SH["class"]),
                    ("min", SH.minCount),
                    ("max", SH.maxCount),
                    ("pattern", SH.pattern),
                    ("message", SH.message),
                    ("severity", SH.severity),
                )
            }
            if isinstance(next(iter(graph.objects(prop, SH.path)), None), BNode):
                detail["path"] = "(complex path)"
            props.append(detail)
        shapes.append(
            {
                "iri": str(shape) if isinstance(shape, URIRef) else "",
                "targets": sorted(str(t) for t in graph.objects(shape, SH.targetClass)),
                "message": ", ".join(str(m) for m in graph.objects(shape, SH.message)),
                "properties": sorted(props, key=lambda d: d["path"]),
            }
        )
    return shapes


def install_ontology(app: FastAPI, ui: UiState) -> None:
    @app.api_route("/ontology{suffix:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def ontology(request: Request, suffix: str) -> Response:
        """The ontology: HTML documentation, or the OWL file (Turtle, JSON-LD, N-Triples …)."""
        bare, fixed = split_extension("ontology" + suffix)
        if bare != "ontology":
            return ui_error(request, ui, 404, f"there is nothing at {request.url.path}")
        fmt = fixed or negotiate(request.headers.get("accept"), ALL_FORMATS)
        if fmt is None:
            return not_acceptable(request, ui, ALL_FORMATS)
        headers = {"Vary": "Accept", "Link": link_header("/ontology", ONTOLOGY_IRI)}
        if fmt is not HTML:
            return rdf_response(load_ontology(), fmt, headers)
        doc = _ontology_doc(ontology_path().stat().st_mtime)
        return render(
            request,
            "ontology.html",
            {"doc": doc, "formats": RDF_FORMATS},
            links=ui.links,
            headers=headers,
        )

    @app.api_route("/shapes{suffix:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def shapes(request: Request, suffix: str) -> Response:
        """The SHACL shapes the data is validated against."""
        bare, fixed = split_extension("shapes" + suffix)
        if bare != "shapes":
            return ui_error(request, ui, 404, f"there is nothing at {request.url.path}")
        fmt = fixed or negotiate(request.headers.get("accept"), ALL_FORMATS)
        if fmt is None:
            return not_acceptable(request, ui, ALL_FORMATS)
        headers = {"Vary": "Accept", "Link": link_header("/shapes", ui.base + "shapes")}
        graph = load_shapes()
        if fmt is not HTML:
            return rdf_response(graph, fmt, headers)
        return render(
            request,
            "shapes.html",
            {
                "shapes": _shape_docs(graph),
                "files": [p.name for p in shapes_paths()],
                "formats": RDF_FORMATS,
            },
            links=ui.links,
            headers=headers,
        )
