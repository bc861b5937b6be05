"""The validation report a curator reads: grouped by focus node, violations first, IRIs as CURIEs,
each group naming the curated record (and its file) the node comes from."""

from __future__ import annotations

from rdflib import URIRef

from mirkg.curie import compact_iris, curie
from mirkg.iris import record_of
from mirkg.shacl_report import Result, format_report

ID = "https://w3id.org/mirkg/id/"


def _result(focus: str, severity: str, message: str, path: str | None = None, value: str | None = None) -> Result:
    return Result(
        focus=ID + focus, path=path, component="MinCountConstraintComponent", severity=severity,
        message=message, value=value, record=record_of(URIRef(ID + focus)),
    )


def test_the_record_of_a_node_is_the_curated_id_it_was_minted_from():
    assert record_of(URIRef(ID + "claim/mir146a-targets-traf6/span/position")) == "mir146a-targets-traf6"
    assert record_of(URIRef(ID + "entity/hsa-miR-146a-5p")) == "hsa-miR-146a-5p"
    assert record_of(URIRef(ID + "reference/7")) == "7"
    assert record_of(URIRef("https://w3id.org/mirkg/targets")) is None


def test_iris_are_written_as_curies_of_the_project_prefixes():
    assert curie(ID + "entity/TRAF6") == "mirkgid:entity/TRAF6"  # not mirkg:id/entity/TRAF6
    assert curie("http://purl.obolibrary.org/obo/CL_0000134") == "obo:CL_0000134"
    assert curie("https://example.org/x") == "<https://example.org/x>"
    assert compact_iris("The object https://w3id.org/mirkg/id/entity/MSC of (https://w3id.org/mirkg/Cell).") == (
        "The object mirkgid:entity/MSC of (mirkg:Cell)."
    )


def test_the_report_groups_by_focus_node_violations_first():
    report = format_report([
        _result("claim/a-claim", "Warning", "Look at this.", path="https://w3id.org/mirkg/hasEvidence",
                value=ID + "claim/a-claim/evidence"),
        _result("claim/a-claim/span", "Violation", "Wrong offsets."),
        _result("entity/TRAF6", "Violation", "No label.", path="http://www.w3.org/2004/02/skos/core#prefLabel"),
    ])
    lines = report.splitlines()
    assert lines[0] == "SHACL: 2 violation(s), 1 warning(s)"
    heads = [line for line in lines if line and not line.startswith(" ") and not line.startswith("SHACL")]
    assert heads == [
        "mirkgid:claim/a-claim/span  (record 'a-claim' in data/sources/*/statements.yaml)",
        "mirkgid:entity/TRAF6  (record 'TRAF6' in data/entities.yaml)",
        "mirkgid:claim/a-claim  (record 'a-claim' in data/sources/*/statements.yaml)",
    ]
    assert "  Violation skos:prefLabel [MinCount]: No label." in lines
    assert "      value: mirkgid:claim/a-claim/evidence" in lines
    assert "https://" not in report


def test_a_conforming_graph_says_so():
    assert format_report([]) == "SHACL: the data conforms (no violation, no warning).\n"
