"""SHACL-SPARQL constraints answered once over all focus nodes on pyoxigraph (mirkg/shacl_sparql.py)
give pySHACL's results, and the forms they could not answer as pySHACL does are refused.

The project's own shapes are checked on every fixture in test_shapes_fixtures.py; these cases
add what the fixtures do not reach: class targets through subclasses, a node reached twice, an
unbound ?value, {$this} in a message, a deactivated constraint.
"""

from __future__ import annotations

import re
import shutil

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from mirkg import paths
from mirkg.shacl_sparql import UnsupportedConstraint, split_shapes
from mirkg.validation import load_shapes, run_shacl

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

DATA = PREFIXES + """
ex:Dog rdfs:subClassOf ex:Animal . ex:Puppy rdfs:subClassOf ex:Dog .
ex:rex a ex:Dog, ex:Puppy ; ex:name "Rex" ; ex:age 3 .
ex:tom a ex:Animal ; ex:age 12 .
ex:tim a ex:Animal ; ex:name "Tim \\\\ the cat" .
ex:max a ex:Dog, ex:Puppy .
ex:rock ex:name "Rock" .
"""

SHAPES = PREFIXES + """
<http://example.org/shapes> sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
ex:AnimalShape a sh:NodeShape ;
    sh:targetClass ex:Animal ;
    sh:sparql [
        a sh:SPARQLConstraint ;
        sh:message "{$this} has no name ({?value}, {?path})."@en ;
        sh:prefixes <http://example.org/shapes> ;
        sh:select "SELECT $this WHERE { $this a ?type . FILTER NOT EXISTS { $this ex:name ?n } }" ;
    ] , [
        a sh:SPARQLConstraint ;
        sh:message "Name {?value} of {$this} at age {?age}; {?unbound} stays."@en ;
        sh:prefixes <http://example.org/shapes> ;
        sh:select "SELECT $this ?path ?value ?age WHERE { $this ex:name ?value . OPTIONAL { $this ex:age ?age } BIND (ex:name AS ?path) }" ;
    ] , [
        a sh:SPARQLConstraint ;
        sh:deactivated true ;
        sh:message "Never."@en ;
        sh:select "SELECT $this WHERE { $this ?p ?o }" ;
    ] .
ex:OffShape a sh:NodeShape ;
    sh:targetClass ex:Animal ;
    sh:deactivated true ;
    sh:sparql [ sh:message "Never either."@en ; sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
"""


def test_results_are_pyshacls_for_subclass_targets_unbound_values_and_messages():
    data, shapes = Graph().parse(data=DATA, format="turtle"), Graph().parse(data=SHAPES, format="turtle")
    got = run_shacl(data, shapes, engine="turbo-oxigraph")
    assert got == run_shacl(data, shapes, engine="pyshacl")
    # Read from the data: tom and max (an animal through two subclasses, so reached twice) have
    # no name; rex and tim have one; rock is no animal; the third constraint and OffShape are
    # deactivated.
    # An unbound ?value is the focus node, an unbound variable stays as written.
    ex = "http://example.org/"
    assert {(r.focus[len(ex):], r.value, r.message) for r in got} == {
        ("tom", ex + "tom", f"<{ex}tom> has no name (<{ex}tom>, {{?path}})."),
        ("max", ex + "max", f"<{ex}max> has no name (<{ex}max>, {{?path}})."),
        ("rex", "Rex", f"Name Rex of <{ex}rex> at age 3; {{?unbound}} stays."),
        ("tim", "Tim \\ the cat", f"Name Tim \\ the cat of <{ex}tim> at age {{?age}}; {{?unbound}} stays."),
    }
    assert {(r.focus[len(ex):], r.path) for r in got} == {
        ("tom", None), ("max", None), ("rex", ex + "name"), ("tim", ex + "name")}


def test_the_projects_shapes_split_into_core_and_sparql():
    shapes = load_shapes(paths.SHAPES)
    core, constraints = split_shapes(shapes)
    declared = list(shapes.subject_objects(SH.sparql))
    assert len(constraints) == len(declared) > 0
    assert not list(core.triples((None, SH.sparql, None)))
    assert len(core) == len(shapes) - len(declared)
    assert {str(c.shape) for c in constraints} == {str(s) for s, _ in declared}


BAD = {
    "property shape": """ex:S a sh:PropertyShape ; sh:path ex:p ; sh:targetClass ex:A ;
        sh:sparql [ sh:message "m" ; sh:select "SELECT $this WHERE { $this ex:p ?o }" ] .""",
    "only sh:targetClass": """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:message "m" ; sh:select "SELECT $this WHERE { $this ex:p ?o }" ] .""",
    "its own sh:message": """ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:message "shape" ;
        sh:sparql [ sh:message "m" ; sh:select "SELECT $this WHERE { $this ex:p ?o }" ] .""",
    "needs a sh:message": """ex:S a sh:NodeShape ; sh:targetClass ex:A ;
        sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?o }" ] .""",
    "must project $this": """ex:S a sh:NodeShape ; sh:targetClass ex:A ;
        sh:sparql [ sh:message "m" ; sh:select "SELECT ?o WHERE { $this ex:p ?o }" ] .""",
    "without ?failure": """ex:S a sh:NodeShape ; sh:targetClass ex:A ;
        sh:sparql [ sh:message "m" ; sh:select "SELECT $this ?failure WHERE { $this ex:p ?o }" ] .""",
    "only $this is pre-bound": """ex:S a sh:NodeShape ; sh:targetClass ex:A ;
        sh:sparql [ sh:message "m" ; sh:select "SELECT $this WHERE { $this ex:p $currentShape }" ] .""",
    "used by another shape": """ex:S a sh:NodeShape ; sh:targetClass ex:A ;
        sh:sparql [ sh:message "m" ; sh:select "SELECT $this WHERE { $this ex:p ?o }" ] .
        ex:T a sh:NodeShape ; sh:targetClass ex:B ; sh:node ex:S .""",
}


@pytest.mark.parametrize("reason", sorted(BAD))
def test_forms_not_answered_as_pyshacl_would_are_refused_by_name(reason):
    shapes = Graph().parse(data=PREFIXES + BAD[reason], format="turtle")
    with pytest.raises(UnsupportedConstraint, match=r"http://example.org/S: .*" + re.escape(reason)):
        split_shapes(shapes)


# Bodies whose one run with $this free would not give the pre-bound run's solutions per focus
# node (or that SHACL forbids where variables are pre-bound), with the reason given.
NOT_PRE_BINDABLE = {
    "UNION branch": "SELECT $this WHERE { { $this ex:p ?o } UNION { ?x ex:q ?o } }",
    "in an OPTIONAL before": "SELECT $this WHERE { ?x ex:p ?o OPTIONAL { $this ex:q ?o } }",
    "in a BIND where": "SELECT $this ?x WHERE { BIND ($this AS ?x) $this ex:p ?o }",
    "in a FILTER where": "SELECT $this WHERE { ?x ex:p ?o FILTER (?x = $this) }",
    "MINUS": "SELECT $this WHERE { $this ex:p ?o MINUS { $this ex:q ?o } }",
    "VALUES": "SELECT $this WHERE { $this ex:p ?o VALUES ?o { 1 } }",
    "LIMIT": "SELECT $this WHERE { $this ex:p ?o } LIMIT 3",
    "aggregate": "SELECT $this WHERE { $this ex:p ?o } GROUP BY $this",
    "subquery": "SELECT $this WHERE { $this ex:p ?o { SELECT $this WHERE { $this ex:q ?z } } }",
}


def _one_constraint(select: str) -> Graph:
    return Graph().parse(data=PREFIXES + f"""
        <http://example.org/shapes> sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
        ex:S a sh:NodeShape ; sh:targetClass ex:A ;
            sh:sparql [ sh:message "m" ; sh:prefixes <http://example.org/shapes> ; sh:select \"\"\"{select}\"\"\" ] .
        """, format="turtle")


@pytest.mark.parametrize("reason", sorted(NOT_PRE_BINDABLE))
def test_bodies_that_need_pre_binding_are_refused(reason):
    with pytest.raises(UnsupportedConstraint, match=r"http://example.org/S: .*" + re.escape(reason)):
        split_shapes(_one_constraint(NOT_PRE_BINDABLE[reason]))


def test_a_body_that_binds_this_first_everywhere_is_accepted():
    select = """SELECT DISTINCT $this ?value WHERE {
        { $this ex:p ?value } UNION { ?x ex:q $this . $this ex:r ?value }
        FILTER NOT EXISTS { $this ex:s ?value }
        OPTIONAL { $this ex:t ?t }
        BIND (STR($this) AS ?text)
    } ORDER BY ?value"""
    (constraint,) = split_shapes(_one_constraint(select))[1]
    assert str(constraint.shape) == "http://example.org/S"


@pytest.mark.parametrize("select, reason", [
    ("SELECT $this WHERE { $this a ?type VALUES ?type { mirkg:Claim } }", "it uses VALUES"),
    ("SELECT $this WHERE { $this a ?type", "the SELECT does not parse"),
])
def test_a_build_whose_shapes_hold_a_refused_constraint_stops_with_a_clear_error(select, reason, capsys, tmp_path):
    # In a build, SHACL's child checks the constraints while the data is read: its refusal must
    # reach the build as the same clear error, before anything is written.
    from helpers import run

    shapes = tmp_path / "shapes"
    shutil.copytree(paths.SHAPES, shapes)
    (shapes / "zz-refused.ttl").write_text(f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix mirkg: <https://w3id.org/mirkg/> .
<https://w3id.org/mirkg/shapes/RefusedShape> a sh:NodeShape ;
    sh:targetClass mirkg:Claim ;
    sh:sparql [ sh:message "Refused."@en ; sh:prefixes <https://w3id.org/mirkg/shapes> ; sh:select "{select}" ] .
""", encoding="utf-8")
    code, out, err = run(["validate", "--shapes", str(shapes), "--dist", str(tmp_path / "dist")], capsys)
    assert code == 2, err + out
    assert err.startswith("error: ") and "Traceback" not in err, err
    assert "https://w3id.org/mirkg/shapes/RefusedShape" in err and reason in err, err
