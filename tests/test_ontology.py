"""The ontology: its header, its quality checks, OWL consistency with HermiT, the OWL 2 DL
profile (OWLAPI), and its pyLODE documentation."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from helpers import ROOT
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from mirkg import paths
from mirkg.namespaces import ID, MIRKG
from mirkg.ontology_checks import ONTOLOGY_ONLY, load_checks, run_build_checks, run_checks, store_of
from mirkg.reasoning import InconsistentOntology, check_consistency, java_available

ONTOLOGY_IRI = URIRef("https://w3id.org/mirkg/ontology")
FIXTURES = Path(__file__).parent / "ontology_checks"
CHECKS = load_checks(paths.ONTOLOGY)
needs_java = pytest.mark.skipif(not java_available(), reason="HermiT needs Java; CI installs it")


def own_terms(ontology: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {t for k in kinds for t in ontology.subjects(RDF.type, k)
            if isinstance(t, URIRef) and str(t).startswith(str(MIRKG)) and not str(t).startswith(str(ID))}


def test_header_says_what_a_registry_asks(build):
    g = build.ontology
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionIRI) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(ONTOLOGY_IRI, DCTERMS.creator) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.created) is not None
    reused = {str(o) for o in g.objects(ONTOLOGY_IRI, DCTERMS.references)}
    for name in ("so", "ro", "cl", "go", "uberon", "mondo", "eco"):
        assert f"http://purl.obolibrary.org/obo/{name}.owl" in reused


def test_alignment_to_standard_ontologies(build):
    g = build.ontology
    obo = "http://purl.obolibrary.org/obo/"
    # Entity nodes are concepts standing for kinds (docs/modelling.md), matched to the external
    # classes, not instances of them: the mirkg kinds are no longer subclasses of SO miRNA or GO
    # extracellular vesicle (issue 16, point 1); they are SKOS concepts.
    assert (MIRKG.Entity, RDFS.subClassOf, SKOS.Concept) in g
    assert (MIRKG.MicroRNA, RDFS.subClassOf, URIRef(obo + "SO_0000276")) not in g
    assert (MIRKG.Vesicle, RDFS.subClassOf, URIRef(obo + "GO_1903561")) not in g
    assert (MIRKG.molecularlyInteractsWith, RDFS.subPropertyOf, URIRef(obo + "RO_0002436")) in g
    assert (MIRKG.locatedIn, RDFS.subPropertyOf, URIRef(obo + "RO_0001025")) in g
    assert (MIRKG.isTargetedBy, OWL.inverseOf, MIRKG.targets) in g
    # Every own term has a label and a definition.
    for term in own_terms(g):
        assert g.value(term, RDFS.label) is not None, term
        assert g.value(term, SKOS.definition) is not None, term


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_violation_query_passes_on_the_shipped_ontology(build, check):
    assert run_checks({check: CHECKS[check]}, store_of(build.ontology, build.data)) == {}


# check -> the term the fixture breaks the rule with (written from the fixture's intent)
EXPECTED_FAILURE = {
    "missing-label": "https://w3id.org/mirkg/Unlabelled",
    "missing-definition": "https://w3id.org/mirkg/undefinedProperty",
    "duplicate-label": "https://w3id.org/mirkg/MatureMiRNA",
    "missing-parent": "https://w3id.org/mirkg/Orphan",
    "undeclared-external-term": "http://purl.obolibrary.org/obo/GO_0006915",
    "obsolete-external-term": "http://purl.obolibrary.org/obo/CL_0000493",
    "missing-domain-range": "https://w3id.org/mirkg/rangeless",
    "skos-label-clash": "https://w3id.org/mirkg/id/entity/TRAF6",
    "entity-typed-by-external-class": "https://w3id.org/mirkg/id/entity/BM-MSC",
}


def test_every_check_has_a_breaking_fixture():
    assert set(EXPECTED_FAILURE) == set(CHECKS)


@pytest.mark.parametrize("check", sorted(EXPECTED_FAILURE))
def test_violation_query_catches_its_fixture(build, check):
    fixture = Graph().parse(FIXTURES / f"{check}.ttl", format="turtle")
    failures = run_checks(CHECKS, store_of(build.ontology, build.data, fixture))
    assert set(failures) == {check}, failures  # it fires, and no other check does
    terms = {row[0] for row in failures[check]}
    assert EXPECTED_FAILURE[check] in terms
    if check == "missing-domain-range":
        assert failures[check] == [(EXPECTED_FAILURE[check], "range")]


def test_the_build_s_run_of_the_checks_passes_on_the_shipped_ontology_and_data(build):
    assert run_build_checks(CHECKS, store_of(build.ontology, build.data), store_of(build.ontology)) == {}


@pytest.mark.parametrize("check", sorted(EXPECTED_FAILURE))
def test_the_build_s_run_of_the_checks_catches_a_fixture_added_to_the_ontology(build, check):
    """The build runs the checks of ONTOLOGY_ONLY on the ontology alone (the data's OBO terms are
    held to the import module by its own check, test_imports.py): a fixture in the ontology is
    caught by either run."""
    fixture = Graph().parse(FIXTURES / f"{check}.ttl", format="turtle")
    failures = run_build_checks(CHECKS, store_of(build.ontology, build.data, fixture), store_of(build.ontology, fixture))
    assert set(failures) == {check}, failures
    assert EXPECTED_FAILURE[check] in {row[0] for row in failures[check]}


def test_only_the_undeclared_term_check_is_left_to_the_ontology_alone():
    assert ONTOLOGY_ONLY == {"undeclared-external-term"} and ONTOLOGY_ONLY <= set(CHECKS)


@needs_java
@pytest.mark.java
@pytest.mark.slow  # the fast tier's build (built_dist) runs this check on the same data
def test_hermit_finds_the_shipped_ontology_and_data_consistent(build):
    check_consistency(build.ontology, build.data)


@needs_java
@pytest.mark.java
def test_an_individual_in_two_disjoint_classes_is_inconsistent(build, tmp_path, monkeypatch):
    broken = build.data + Graph()
    traf6 = ID["entity/TRAF6"]
    broken.add((traf6, RDF.type, MIRKG.Cell))  # a gene is not a cell type
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(InconsistentOntology) as err:
        check_consistency(build.ontology, broken)
    assert str(traf6) in str(err.value)
    assert "GeneOrGeneProduct" in str(err.value) and "Cell" in str(err.value)
    # owlready2 keeps HermiT's input file when HermiT finds no model: it went into a folder
    # that is gone with the run
    assert list(tmp_path.iterdir()) == []


@needs_java
@pytest.mark.java
@pytest.mark.slow
def test_misused_property_range_is_inconsistent(build):
    # mirkg:targets ranges over genes; pointing it at a cell type makes the cell a gene too.
    broken = build.data + Graph()
    broken.add((ID["entity/hsa-miR-146a-5p"], MIRKG.targets, ID["entity/MSC"]))
    with pytest.raises(InconsistentOntology):
        check_consistency(build.ontology, broken)


@needs_java
@pytest.mark.java
@pytest.mark.slow
def test_an_inconsistency_stops_the_whole_build_and_writes_nothing(tmp_path):
    # HermiT runs beside the release stages (mirkg.pipeline.Reasoning): its verdict must still
    # stop the build before dist/ is touched. The ontology copy makes mature miRNAs disjoint from
    # miRNAs (their superclass), which no shape looks at, so only the reasoner can object.
    from helpers import tree_digest

    from mirkg.pipeline import Paths, run_build

    ontology = tmp_path / "ontology"
    shutil.copytree(paths.ONTOLOGY, ontology)
    with (ontology / "mirkg.ttl").open("a", encoding="utf-8") as f:
        f.write("\nmirkg:MatureMiRNA owl:disjointWith mirkg:MicroRNA .\n")
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "previous-release.txt").write_text("kept", encoding="utf-8")
    before = tree_digest(dist)
    with pytest.raises(InconsistentOntology) as err:
        run_build(Paths(paths.DATA, ontology, paths.SHAPES, paths.QUERIES, dist))
    assert str(ID["entity/hsa-miR-146a-5p"]) in str(err.value)  # a mature miRNA of the text
    assert tree_digest(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "ontology"]  # no staging left


def _python_without_java(tmp_path: Path) -> dict:
    """An environment whose PATH finds no java (python is called by its full path), and the
    coreutils' `sort` the build sorts its N-Triples with, which every Debian has."""
    bindir = tmp_path / "bin-without-java"
    bindir.mkdir()
    (bindir / "sort").symlink_to(shutil.which("sort"))
    return dict(os.environ, PATH=str(bindir))


@pytest.mark.slow  # a build in a fresh process
def test_without_java_the_build_names_what_to_install(tmp_path):
    env = _python_without_java(tmp_path)
    result = subprocess.run([sys.executable, "build.py", "--dist", str(tmp_path / "d")], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "Java" in result.stderr and "default-jre-headless" in result.stderr
    assert "--skip-reasoning" in result.stderr
    assert not (tmp_path / "d").exists()


@pytest.mark.slow  # a build in a fresh process
def test_skip_reasoning_says_so(tmp_path):
    env = _python_without_java(tmp_path)
    result = subprocess.run([sys.executable, "build.py", "--skip-reasoning", "--dist", str(tmp_path / "d")], cwd=ROOT,
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stdout
    assert "NOT checked" in (tmp_path / "d" / "build-report.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------
# OWL 2 DL profile, checked by OWLAPI (Debian libowlapi-java) through a small Java program.

OWLAPI_JARS = sorted(Path("/usr/share/java").glob("*.jar")) if Path("/usr/share/java").exists() else []
# Skipped where they are missing, unless MIRKG_OWLAPI_REQUIRED=1 (.ci/run): then the tests run and fail.
needs_owlapi = pytest.mark.skipif(
    not (shutil.which("javac") and any(j.name.startswith("owlapi-distribution") for j in OWLAPI_JARS))
    and os.environ.get("MIRKG_OWLAPI_REQUIRED") != "1",
    reason="needs javac and Debian libowlapi-java (CI installs them)",
)


@pytest.fixture(scope="module")
def profile_checker(tmp_path_factory):
    out = tmp_path_factory.mktemp("dlcheck")
    classpath = ":".join(str(j) for j in OWLAPI_JARS)
    subprocess.run(["javac", "-d", str(out), "-cp", classpath, str(Path(__file__).parent / "owl" / "DLProfileCheck.java")],
                   check=True, capture_output=True)

    def check(*graphs: Graph) -> tuple[int, str]:
        merged = Graph()
        for g in graphs:
            merged += g
        path = out / "merged.nt"
        merged.serialize(path, format="nt", encoding="utf-8")
        result = subprocess.run(["java", "-cp", f"{out}:{classpath}", "DLProfileCheck", str(path)],
                                capture_output=True, text=True, timeout=300)
        return result.returncode, result.stdout

    return check


@needs_owlapi
@pytest.mark.java
@pytest.mark.slow
def test_ontology_imports_and_data_are_in_owl2_dl(build, profile_checker):
    code, out = profile_checker(build.ontology, build.data)
    assert code == 0 and out.strip().endswith("in profile"), out


@needs_owlapi
@pytest.mark.java
@pytest.mark.slow
def test_profile_checker_reports_a_property_punned_as_object_and_data_property(build, profile_checker):
    broken = Graph()
    broken.add((MIRKG.via, RDF.type, OWL.DatatypeProperty))  # mirkg:via is an object property
    broken.add((ID["claim/mir146a-targets-traf6"], MIRKG.via, Literal("TRAF6")))
    code, out = profile_checker(build.ontology, build.data, broken)
    assert code == 1
    assert re.search(r"VIOLATION: .*via", out), out


# ------------------------------------------------------------------------------------------------
# Documentation

def test_pylode_documentation_lists_every_class_and_property(built_dist, build):
    html = (built_dist / "docs" / "index.html").read_text(encoding="utf-8")
    for term in own_terms(build.ontology):
        label = str(build.ontology.value(term, RDFS.label))
        assert str(term) in html, f"{term} ({label}) is not in the documentation"


def test_pylode_process_ends_once_it_has_written_not_when_the_build_asks(build):
    # Its pages are larger than a pipe holds: unread, they kept pyLODE's process (and its
    # memory) waiting until the end of the build.
    from mirkg.docs import OntologyDocs

    docs = OntologyDocs(build.ontology)
    pid = docs._process.pid
    deadline = time.monotonic() + 120
    while docs._process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert docs._process.returncode == 0, "pyLODE's process still runs, or failed"
    html = docs.result()
    assert len(html) > 1 << 16 and b"<html" in html[:2000].lower()
    assert not Path(f"/proc/{pid}").exists()
