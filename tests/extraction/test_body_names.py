"""Bodies of a process named without their subject: "the Regional Consultation Group", "el
Grupo Regional de Consulta" (of the RCM) as written in news. Sentences invented for the test."""

from __future__ import annotations

from rcm_graph.stages.extraction.gazetteer import gazetteer


def test_the_consultation_group_without_its_subject() -> None:
    for text in (
        "Sesionó el Grupo Regional de Consulta de la Conferencia en Managua.",
        "The Regional Consultation Group met in Belmopan.",
    ):
        found = [(m.kind, m.key) for m in gazetteer().find(text)]
        assert ("body", "regional-consultation-group-on-migration") in found
