"""Reference tables: complete, well-formed, sources kept, bad tables reported with a line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rcm_graph.errors import InputError
from rcm_graph.reference.tables import load_reference_data, reference_data
from rcm_graph.resources import reference_data_dir


def test_counts_and_sources() -> None:
    ref = reference_data()
    assert [o.number for o in ref.objectives] == list(range(1, 24))
    assert [p.letter for p in ref.principles] == list("abcdefghij")
    assert all(o.source for o in ref.objectives)
    assert {m.iso3 for m in ref.members if m.process == "RCM" and m.status == "member_state"} == {
        "BLZ",
        "CAN",
        "CRI",
        "DOM",
        "SLV",
        "GTM",
        "HND",
        "MEX",
        "NIC",
        "PAN",
        "USA",
    }
    iom = ref.organization("iom")
    assert iom is not None and iom.acronym_es == "OIM"


def test_ragged_row_names_file_and_line(tmp_path: Path) -> None:
    for f in reference_data_dir().glob("*.tsv"):
        shutil.copy(f, tmp_path / f.name)
    path = tmp_path / "organizations.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = "broken\trow"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_reference_data(tmp_path)
    assert info.value.where == f"{path}:4"
