"""The shapes catch every way the data can go wrong, one fixture per constraint, in the manner of
the W3C SHACL test suite: tests/shapes/fixtures/NNN-name.trig takes the valid graph
tests/shapes/base.ttl, deletes the triples of its graph fx:delete, adds those of fx:insert, and
says in fx:expected, as a sh:ValidationReport, every result the project's shapes (shapes/) must
give: focus node, path, constraint component, source shape, severity (and the value, where it
tells two results apart). A fixture fails when a shape stops catching it and when a shape
catches anything else. Each is checked with every engine, which must agree with pySHACL result by result.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH

from mirkg import paths
from mirkg.namespaces import MIRKG as MIRKG_NS
from mirkg.ontology import load_ontology
from mirkg.shacl_report import path_text
from mirkg.validation import ENGINES, load_shapes, run_shacl

HERE = Path(__file__).parent / "shapes"
FIXTURES = sorted((HERE / "fixtures").glob("*.trig"))
FX = Namespace("https://w3id.org/mirkg/shapes/test#")
SHAPES = load_shapes(paths.SHAPES)
ONTOLOGY = load_ontology(paths.ONTOLOGY)
BASE = Graph().parse(HERE / "base.ttl", format="turtle")


def tiered(engine: str):
    """The fast tier checks every fixture with the build's default engine; pySHACL (the reference)
    and turbo-oxigraph take three times as long over the 140 fixtures and run in the full suite."""
    if engine == "pyshacl":
        return pytest.param(engine, marks=[pytest.mark.reference, pytest.mark.slow])
    return engine if engine == "turbo" else pytest.param(engine, marks=pytest.mark.slow)


# The constraint component each constraint parameter of a shape is checked by (SHACL 1.0 §4, §5).
COMPONENT = {
    SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind", SH.minCount: "MinCount",
    SH.maxCount: "MaxCount", SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive", SH.maxExclusive: "MaxExclusive", SH.minLength: "MinLength",
    SH.maxLength: "MaxLength", SH.pattern: "Pattern", SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang",
    SH.equals: "Equals", SH.disjoint: "Disjoint", SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals", SH["not"]: "Not", SH["and"]: "And", SH["or"]: "Or",
    SH.xone: "Xone", SH.node: "Node", SH.qualifiedMinCount: "QualifiedMinCount",
    SH.qualifiedMaxCount: "QualifiedMaxCount", SH.closed: "Closed", SH.hasValue: "HasValue", SH["in"]: "In",
    SH.sparql: "SPARQL",
}
# Parameters that say where or how a shape applies, or what it reports, not what it requires.
NOT_CONSTRAINTS = {
    SH.path, SH.name, SH.description, SH.message, SH.severity, SH.property, SH.targetClass,
    SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.qualifiedValueShape, SH.flags,
    SH.deactivated, SH.order, SH.group, SH.ignoredProperties, SH.declare,
}


class Fixture:
    def __init__(self, path: Path):
        self.path = path
        dataset = Dataset()
        dataset.parse(path, format="trig")
        self.delete = dataset.graph(FX.delete)
        self.insert = dataset.graph(FX.insert)
        self.expected_graph = dataset.graph(FX.expected)

    def data(self) -> Graph:
        data = BASE + Graph()
        for s, p, o in self.delete:
            pattern = (s, p, None if o == FX.any else o)
            assert (s, p, o) in BASE or (o == FX.any and (s, p, None) in BASE), (
                f"{self.path.name}: fx:delete names a triple the base graph does not have: {s} {p} {o}"
            )
            data.remove(pattern)
        for triple in self.insert:
            assert triple not in BASE, f"{self.path.name}: fx:insert adds a triple the base graph already has"
            data.add(triple)
        return data

    def report(self):
        reports = list(self.expected_graph.subjects(RDF.type, SH.ValidationReport))
        assert len(reports) == 1, f"{self.path.name}: fx:expected needs exactly one sh:ValidationReport"
        return reports[0]

    def conforms(self) -> bool:
        return self.expected_graph.value(self.report(), SH.conforms).toPython()

    def expected(self) -> list[tuple]:
        """(focus, path, component, shape, severity, value or None) of every expected result."""
        g = self.expected_graph
        out = []
        for node in g.objects(self.report(), SH.result):
            value = g.value(node, SH.value)
            out.append((
                str(g.value(node, SH.focusNode)),
                path_text(g, g.value(node, SH.resultPath)),
                str(g.value(node, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                str(g.value(node, SH.sourceShape)),
                str(g.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
                str(value) if value is not None else None,
            ))
        return out


@cache
def fixture(name: str) -> Fixture:
    return Fixture(HERE / "fixtures" / name)


@cache
def results(name: str, engine: str):
    return tuple(run_shacl(fixture(name).data(), SHAPES, ONTOLOGY, engine=engine))


def _unmatched(expected: list[tuple], got: list[tuple]) -> tuple[list, list]:
    """Pair each expected result with one result got; the value counts only where expected."""
    left = list(got)
    missing = []
    for e in sorted(expected, key=lambda e: e[5] is None):  # results with a value pair first
        match = next((g for g in left if g[:5] == e[:5] and (e[5] is None or g[5] == e[5])), None)
        if match is None:
            missing.append(e)
        else:
            left.remove(match)
    return missing, left


@pytest.mark.parametrize("engine", [pytest.param(e, marks=pytest.mark.reference) if e == "pyshacl" else e
                                    for e in ENGINES])
def test_the_base_graph_gives_no_result(engine):
    assert run_shacl(BASE, SHAPES, ONTOLOGY, engine=engine) == []


def test_there_are_enough_fixtures():
    assert len(FIXTURES) >= 25


@pytest.mark.parametrize("engine", [tiered(e) for e in ENGINES])
@pytest.mark.parametrize("name", [p.name for p in FIXTURES])
def test_fixture_gives_exactly_the_expected_results(name, engine):
    fx = fixture(name)
    got = [(r.focus, r.path, r.component, r.shape, r.severity, r.value) for r in results(name, engine)]
    missing, unexpected = _unmatched(fx.expected(), got)
    assert not missing and not unexpected, (
        f"{name} ({engine}):\n  expected but not reported: {missing}\n  reported but not expected: {unexpected}"
    )
    assert fx.conforms() == (not any(r.severity == "Violation" for r in results(name, engine)))


@pytest.mark.reference
@pytest.mark.slow
@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "pyshacl"])
@pytest.mark.parametrize("name", [p.name for p in FIXTURES])
def test_every_engine_gives_the_reference_results(name, engine):
    # Result by result, messages included, against pySHACL, the reference engine.
    assert results(name, engine) == results(name, "pyshacl")


def _declared_constraints() -> set[tuple[str, str]]:
    """(shape, component) for every constraint the shapes declare."""
    declared = set()
    for shape in set(SHAPES.subjects(RDF.type, SH.NodeShape)) | set(SHAPES.subjects(RDF.type, SH.PropertyShape)):
        for parameter in set(SHAPES.predicates(shape)):
            if parameter in COMPONENT:
                declared.add((shape, COMPONENT[parameter] + "ConstraintComponent"))
            else:
                known = parameter in NOT_CONSTRAINTS or not str(parameter).startswith(str(SH))
                assert known, f"{shape} uses {parameter}: add it to COMPONENT or NOT_CONSTRAINTS"
    return declared


def test_every_shape_has_an_iri_so_that_fixtures_can_name_it():
    # (The shapes inside sh:or, sh:xone, sh:not report through the shape that holds them.)
    top = {o for s, o in SHAPES.subject_objects(SH.property) if isinstance(s, URIRef)}
    for shape in top | set(SHAPES.subjects(SH.targetClass, None)) | set(SHAPES.subjects(SH.targetSubjectsOf, None)):
        assert isinstance(shape, URIRef), f"a shape without an IRI: {SHAPES.cbd(shape).serialize()}"
    # One SHACL-SPARQL constraint per shape, or a fixture could not say which one caught it.
    assert not [s for s, n in Counter(SHAPES.subjects(SH.sparql, None)).items() if n > 1]


def test_every_constraint_of_the_shapes_has_a_fixture():
    declared = {(str(s), c) for s, c in _declared_constraints() if not isinstance(s, BNode)}
    exercised = {(e[3], e[2]) for p in FIXTURES for e in fixture(p.name).expected()}
    missing = sorted(declared - exercised)
    assert not missing, "constraints no fixture exercises:\n  " + "\n  ".join(f"{s} {c}" for s, c in missing)
    unknown = sorted(exercised - declared)
    assert not unknown, f"fixtures name constraints the shapes do not declare: {unknown}"


def test_every_shape_reports_a_message_and_property_shapes_are_described():
    for shape in set(SHAPES.subjects(RDF.type, SH.PropertyShape)):
        assert SHAPES.value(shape, SH.name) is not None and SHAPES.value(shape, SH.description) is not None, shape
        assert SHAPES.value(shape, SH.message) is not None, shape
    for shape in set(SHAPES.subjects(RDF.type, SH.NodeShape)):
        own = {p for p in SHAPES.predicates(shape) if p in COMPONENT and p != SH.sparql}
        if own:
            assert SHAPES.value(shape, SH.message) is not None, shape
        for constraint in SHAPES.objects(shape, SH.sparql):
            assert SHAPES.value(constraint, SH.message) is not None, shape


def test_every_class_of_the_instance_data_has_a_shape(build):
    """Each class the pipeline types its nodes with (not the external ontology classes, which
    the kind shapes check by pattern) is the target of a shape, or a subclass of one that is."""
    targeted = set(SHAPES.objects(None, SH.targetClass))
    own = (str(MIRKG_NS), "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/oa#")
    used = {c for c in build.data.objects(None, RDF.type) if str(c).startswith(own)}
    assert used, "the shipped data types no node"
    for cls in sorted(used):
        supers = set(build.ontology.objects(cls, RDFS.subClassOf))
        assert cls in targeted or supers & targeted, f"no shape targets {cls}"
