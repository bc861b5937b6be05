"""The ontology's OWL release artefacts (issue 18): every OWL file of dist/ opens offline, with
nothing left to import, in the OWL API (Debian libowlapi-java, through tests/owl/LoadOffline.java)
and in owlready2; it is OWL 2 DL and HermiT finds it consistent; mirkg-base.owl holds our own
axioms only; mirkg-full.owl holds the import module and the classification; ontology/mirkg.ttl
opens through Protégé's catalog.

The expected counts come from the Turtle sources (ontology/mirkg.ttl, ontology/imports/
external.ttl) and the mapping tables (ontology/mappings/*.sssom.tsv), read here with rdflib and
csv, never from the build's own code. Tests that need Java or OWLAPI skip when they are missing,
unless MIRKG_OWLAPI_REQUIRED=1 (.ci/run sets it after installing them): then they fail.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from mirkg import __version__, paths
from mirkg.imports import IMPORT_IRI
from mirkg.owl_release import is_own
from mirkg.publish import DUMPS

ONTOLOGY = URIRef("https://w3id.org/mirkg/ontology")
OWN = "https://w3id.org/mirkg/"
OBO = Namespace("http://purl.obolibrary.org/obo/")
MIRKG = Namespace(OWN)
SKOS = "http://www.w3.org/2004/02/skos/core#"
SOURCE = paths.ONTOLOGY / "mirkg.ttl"
MODULE = paths.ONTOLOGY / "imports" / "external.ttl"
CATALOG = paths.ONTOLOGY / "catalog-v001.xml"
OWL_FILES = ("ontology.owl", "ontology.ttl", "mirkg-base.owl", "mirkg-full.owl")
RDFXML_FILES = tuple(name for name in OWL_FILES if name.endswith(".owl"))
DECLARED = {
    "classes": OWL.Class, "object-properties": OWL.ObjectProperty, "data-properties": OWL.DatatypeProperty,
    "annotation-properties": OWL.AnnotationProperty, "individuals": OWL.NamedIndividual,
}
DECLARATION_TYPES = set(DECLARED.values()) | {RDFS.Datatype}


def _missing(reason: str) -> None:
    if os.environ.get("MIRKG_OWLAPI_REQUIRED") == "1":
        pytest.fail(reason + ", but MIRKG_OWLAPI_REQUIRED=1")
    pytest.skip(reason)


def _turtle(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _mapping_predicates() -> set[URIRef]:
    """The skos:*Match predicates the mapping tables use: the build declares them as annotation
    properties of the ontology it releases."""
    used = set()
    for table in sorted((paths.ONTOLOGY / "mappings").glob("*.sssom.tsv")):
        rows = [ln for ln in table.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
        for row in csv.DictReader(rows, delimiter="\t"):
            assert row["predicate_id"].startswith("skos:"), row
            used.add(URIRef(SKOS + row["predicate_id"][len("skos:"):]))
    return used


def expected_counts(*graphs: Graph, annotation_properties: set[URIRef] = frozenset()) -> dict[str, int]:
    """Entities of each kind declared (typed) in the sources, as the OWL API counts declarations."""
    counts = {}
    for key, kind in DECLARED.items():
        declared = {e for g in graphs for e in g.subjects(RDF.type, kind) if isinstance(e, URIRef)}
        if kind == OWL.AnnotationProperty:
            declared |= set(annotation_properties)
        counts[key] = len(declared)
    return counts


@pytest.fixture(scope="module")
def sources() -> tuple[Graph, Graph]:
    return _turtle(SOURCE), _turtle(MODULE)


@pytest.fixture(scope="module")
def released_counts(sources) -> dict[str, int]:
    """What every OWL file of dist/ declares: the ontology, its import module, the mapping predicates."""
    return expected_counts(*sources, annotation_properties=_mapping_predicates())


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle" if path.suffix == ".ttl" else "xml")


@pytest.fixture(scope="module")
def artefacts(built_dist) -> dict[str, Graph]:
    return {name: _parse(built_dist / name) for name in OWL_FILES}


# ------------------------------------------------------------------------------------------------
# The files, their headers and their content (rdflib only)


def test_the_release_has_exactly_these_owl_files_and_describes_them(built_dist):
    # A new OWL file in dist/ must be added to OWL_FILES, and so to every test below.
    found = {p.name for p in built_dist.glob("*.owl")} | {"ontology.ttl"}
    assert found == set(OWL_FILES)
    for name in OWL_FILES:
        assert name in DUMPS, name
        assert f"https://w3id.org/mirkg/release/{__version__}/{name}" in (built_dist / "void.ttl").read_text("utf-8")


@pytest.mark.parametrize("name", OWL_FILES)
def test_nothing_left_to_import(artefacts, name):
    g = artefacts[name]
    assert list(g.objects(None, OWL.imports)) == []
    assert set(g.subjects(RDF.type, OWL.Ontology)) == {ONTOLOGY}  # one header: the module's went with its import


@pytest.mark.parametrize("name", OWL_FILES)
def test_each_artefact_carries_a_release_header(artefacts, sources, name):
    g, source = artefacts[name], sources[0]
    assert str(g.value(ONTOLOGY, OWL.versionInfo)) == __version__
    assert g.value(ONTOLOGY, DCTERMS.license) == source.value(ONTOLOGY, DCTERMS.license)
    assert str(source.value(ONTOLOGY, DCTERMS.title)) in str(g.value(ONTOLOGY, DCTERMS.title))
    assert str(source.value(ONTOLOGY, DCTERMS.description)) in str(g.value(ONTOLOGY, DCTERMS.description))
    for predicate in (OWL.versionIRI, OWL.versionInfo, DCTERMS.license, DCTERMS.title, DCTERMS.description):
        assert len(list(g.objects(ONTOLOGY, predicate))) == 1, predicate
    version = str(g.value(ONTOLOGY, OWL.versionIRI))
    assert version.startswith(str(source.value(ONTOLOGY, OWL.versionIRI)))
    if name.startswith("mirkg-"):
        assert version.endswith("/" + name)  # base and full are told apart by their version IRI


def test_the_rdfxml_and_turtle_copies_hold_the_same_triples(artefacts):
    from rdflib.compare import isomorphic

    assert isomorphic(artefacts["ontology.owl"], artefacts["ontology.ttl"])


def _is_own(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(OWN)


def test_base_holds_no_external_axioms_beyond_declarations(artefacts):
    base = artefacts["mirkg-base.owl"]
    for s, p, o in base:
        if isinstance(s, URIRef) and not _is_own(s):
            assert p == RDF.type and o in DECLARATION_TYPES, (s, p, o)
    # Blank-node axioms (disjointness) stand in base only when they are about our terms.
    roots = {s for s in base.subjects() if isinstance(s, BNode) and next(iter(base.subjects(None, s)), None) is None}
    assert roots
    for root in roots:
        assert any(_is_own(t) for t in base.transitive_objects(root, None)), root


def test_base_keeps_our_axioms_and_declares_the_external_terms(artefacts, sources):
    base, full_ontology = artefacts["mirkg-base.owl"], artefacts["ontology.owl"]
    source, module = sources
    header = {OWL.versionIRI, OWL.versionInfo, DCTERMS.title, DCTERMS.description, OWL.imports}
    ours = {(s, p, o) for s, p, o in source if _is_own(s) and not isinstance(o, BNode) and p not in header}
    assert ours and ours <= set(base)
    # mirkg.ttl labels prov:Entity, and the module labels the OBO terms: base keeps only the types.
    assert (URIRef("http://www.w3.org/ns/prov#Entity"), RDFS.label, Literal("Entity", lang="en")) in source
    assert base.value(URIRef("http://www.w3.org/ns/prov#Entity"), RDFS.label) is None
    assert base.value(OBO.SO_0000276, RDFS.label) is None and module.value(OBO.SO_0000276, RDFS.label) is not None
    for term, kind in full_ontology.subject_objects(RDF.type):
        if isinstance(term, URIRef) and not _is_own(term) and kind in DECLARATION_TYPES:
            assert (term, RDF.type, kind) in base, term
    assert len(list(base.subjects(RDF.type, OWL.AllDisjointClasses))) == \
        len(list(source.subjects(RDF.type, OWL.AllDisjointClasses))) > 0


def test_full_holds_every_term_of_the_import_module(artefacts, sources):
    full, module = artefacts["mirkg-full.owl"], sources[1]
    terms = {s for s in module.subjects() if s != IMPORT_IRI}
    assert len(terms) > 50
    for triple in module:
        if triple[0] != IMPORT_IRI and not isinstance(triple[0], BNode):
            assert triple in full, triple
    # each is-a link's source, an axiom annotation (a blank node), is kept
    sourced = {(full.value(a, OWL.annotatedSource), full.value(a, OWL.annotatedTarget), full.value(a, DCTERMS.source))
               for a in full.subjects(RDF.type, OWL.Axiom)}
    for axiom in module.subjects(RDF.type, OWL.Axiom):
        link = (module.value(axiom, OWL.annotatedSource), module.value(axiom, OWL.annotatedTarget))
        assert (*link, module.value(axiom, DCTERMS.source)) in sourced, link


def test_full_asserts_an_inferred_superclass(artefacts, sources):
    # Entailed, not asserted: the import module brings CL's links (data/reference/is_a.tsv)
    # `CL:0002540 (BM-MSC) rdfs:subClassOf CL:0000134 (MSC)` and `CL:0000134 rdfs:subClassOf
    # CL:0000034 (stem cell)`, so a bone-marrow MSC is a stem cell. Only the full file writes it out.
    # (It was MatureMiRNA under SO miRNA, until the mirkg kinds stopped being subclasses of the
    # external classes, issue 16.)
    inferred = (OBO.CL_0002540, RDFS.subClassOf, OBO.CL_0000034)
    module = sources[1]
    assert (OBO.CL_0002540, RDFS.subClassOf, OBO.CL_0000134) in module
    assert (OBO.CL_0000134, RDFS.subClassOf, OBO.CL_0000034) in module
    assert inferred not in module and inferred not in artefacts["ontology.owl"]
    assert inferred in artefacts["mirkg-full.owl"]


def test_full_classification_is_the_closed_hierarchy(artefacts, sources):
    """mirkg.ttl defines no class (no equivalence, no class expression as a subclass), so the
    superclasses HermiT entails are exactly those reached along asserted rdfs:subClassOf: computed
    here by rdflib, without a reasoner."""
    merged = artefacts["ontology.owl"]
    assert not list(merged.subject_objects(OWL.equivalentClass)), "a defined class: compute the expectation anew"
    assert not [s for s in merged.subjects(RDFS.subClassOf) if isinstance(s, BNode)]
    expected = set()
    for cls in set(merged.subjects(RDFS.subClassOf)):
        for sup in merged.transitive_objects(cls, RDFS.subClassOf):
            if sup != cls and isinstance(sup, URIRef) and sup != OWL.Thing:
                expected.add((cls, sup))
    expected -= set(merged.subject_objects(RDFS.subClassOf))
    full = artefacts["mirkg-full.owl"]
    added = set(full.subject_objects(RDFS.subClassOf)) - set(merged.subject_objects(RDFS.subClassOf))
    assert added == expected and len(added) >= 1


def test_without_reasoning_the_full_file_says_it_is_not_classified():
    from mirkg.owl_release import owl_release_files

    full = Graph().parse(data=owl_release_files(_shipped_ontology(), classify=False)["mirkg-full.owl"], format="xml")
    assert (MIRKG.MatureMiRNA, RDFS.subClassOf, OBO.SO_0000276) not in full
    assert "NOT written out" in str(full.value(ONTOLOGY, DCTERMS.description))


def _shipped_ontology() -> Graph:
    from mirkg.pipeline import load_ontology_with_mappings

    return load_ontology_with_mappings(paths.ONTOLOGY)[0]


# The build runs HermiT once, on the ontology and the data's summary, and takes the ontology's
# classification from that run (mirkg.pipeline.Reasoning): sound when the ontology has no nominal
# and no universal role (mirkg.reasoning.classified_alike_with_data). Checked here with HermiT
# itself: on the shipped data, and on an ontology with a nominal, where data does change the
# classification and the build must classify the ontology alone.

@pytest.mark.slow  # three HermiT runs
@pytest.mark.java
def test_hermit_classifies_the_shipped_ontology_alike_with_its_data_and_with_their_summary(tmp_path):
    if not shutil.which("java"):
        _missing("needs Java for HermiT")
    from mirkg.owl_release import hermit_hierarchy, self_contained
    from mirkg.paths import Paths
    from mirkg.pipeline import compile_curation
    from mirkg.reasoning import check_consistency, classified_alike_with_data
    from mirkg.summary import summarise
    from mirkg.triples import triples_of

    ontology, _, curation = compile_curation(
        Paths(paths.DATA, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, tmp_path / "dist"))
    assert classified_alike_with_data(ontology)
    triples = triples_of(curation, ontology)
    data = Graph()
    for triple in triples:
        data.add(triple)
    alone = hermit_hierarchy(self_contained(ontology))
    assert (OBO.CL_0000134, OBO.CL_0000034) in {(c, s) for c, sups in alone.items() for s in sups}
    assert check_consistency(ontology, data) == alone
    assert check_consistency(ontology, summarise(ontology, triples)[0]) == alone


def _with_a_nominal(ontology: Graph) -> tuple[Graph, Graph]:
    """The shipped ontology with a class defined by a nominal (mirkg:OnlyA, the class of one
    individual, mirkg:a), and data that types that individual a Disease: with the data, OnlyA is
    a subclass of Disease; without it, it is not."""
    ontology = ontology + Graph()
    only_a, a, members = MIRKG.TestOnlyA, MIRKG.TestA, BNode()
    one_of = BNode()
    ontology.add((only_a, RDF.type, OWL.Class))
    ontology.add((only_a, OWL.equivalentClass, one_of))
    ontology.add((one_of, RDF.type, OWL.Class))
    ontology.add((one_of, OWL.oneOf, members))
    ontology.add((members, RDF.first, a))
    ontology.add((members, RDF.rest, RDF.nil))
    ontology.add((a, RDF.type, OWL.NamedIndividual))
    data = Graph()
    data.add((a, RDF.type, MIRKG.Disease))
    return ontology, data


@pytest.mark.slow  # four HermiT runs
@pytest.mark.java
def test_with_a_nominal_the_build_classifies_the_ontology_without_the_data(tmp_path):
    if not shutil.which("java"):
        _missing("needs Java for HermiT")
    from mirkg.children import OneWay
    from mirkg.owl_release import hermit_hierarchy, self_contained
    from mirkg.pipeline import _reason
    from mirkg.reasoning import check_consistency, classified_alike_with_data

    ontology, data = _with_a_nominal(_shipped_ontology())
    assert not classified_alike_with_data(ontology)
    # why it matters: the data makes HermiT put OnlyA under Disease
    assert MIRKG.Disease in check_consistency(ontology, data)[MIRKG.TestOnlyA]
    assert MIRKG.Disease not in hermit_hierarchy(self_contained(ontology)).get(MIRKG.TestOnlyA, set())
    summary = OneWay()
    summary.send((data.serialize(format="nt", encoding="utf-8"), {"representatives": 1, "individuals": 1}))
    whole = tmp_path / "data.nt"
    data.serialize(whole, format="nt", encoding="utf-8")
    on, files = _reason(ontology, summary, whole)
    assert on.startswith("the summary")
    full = Graph().parse(data=files["mirkg-full.owl"], format="xml")
    assert (MIRKG.TestOnlyA, RDFS.subClassOf, MIRKG.Disease) not in full
    assert (OBO.CL_0002540, RDFS.subClassOf, OBO.CL_0000034) in full  # classified all the same


def test_an_import_the_release_cannot_merge_stops_the_build():
    from mirkg.errors import BuildError
    from mirkg.owl_release import owl_release_files

    ontology = _shipped_ontology()
    ontology.add((ONTOLOGY, OWL.imports, URIRef("http://example.org/elsewhere")))
    with pytest.raises(BuildError, match="http://example.org/elsewhere"):
        owl_release_files(ontology, classify=False)


def test_a_header_behind_the_release_version_stops_the_build():
    from mirkg.errors import BuildError
    from mirkg.owl_release import owl_release_files

    ontology = _shipped_ontology()
    ontology.set((ONTOLOGY, OWL.versionInfo, Literal("0.0.9")))
    with pytest.raises(BuildError, match="versionInfo 0.0.9"):
        owl_release_files(ontology, classify=False)


def test_a_whole_build_with_a_header_behind_the_release_stops_saying_why(tmp_path):
    """The OWL artefacts are made in HermiT's child while the build makes the data's summary: a
    child that stops on them first must stop the build with its words (not leave the build
    waiting on the summary it can no longer hand over)."""
    root = tmp_path / "root"
    for folder in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(paths.ROOT / folder, root / folder)
    source = root / "ontology" / "mirkg.ttl"
    text = source.read_text(encoding="utf-8")
    assert f'owl:versionInfo "{__version__}"' in text
    source.write_text(text.replace(f'owl:versionInfo "{__version__}"', 'owl:versionInfo "0.0.9"'), encoding="utf-8")
    done = subprocess.run([sys.executable, "build.py", "--root", str(root), "--dist", str(tmp_path / "dist")],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "owl:versionInfo 0.0.9" in done.stderr and "update the ontology's header" in done.stderr
    assert not (tmp_path / "dist").exists()


def test_the_catalog_maps_every_import_of_the_source_to_a_local_module(sources):
    ns = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
    entries = {e.get("name"): e.get("uri") for e in ET.parse(CATALOG).getroot().iter(f"{ns}uri")}
    imports = {str(o) for o in sources[0].objects(ONTOLOGY, OWL.imports)}
    assert imports and imports <= set(entries)
    for iri in imports:
        local = _turtle(CATALOG.parent / entries[iri])
        assert (URIRef(iri), RDF.type, OWL.Ontology) in local


# ------------------------------------------------------------------------------------------------
# The OWL API: Debian's libowlapi-java, default settings, no network


JARS = sorted(Path("/usr/share/java").glob("*.jar")) if Path("/usr/share/java").exists() else []


@pytest.fixture(scope="module")
def owlapi(tmp_path_factory):
    """Runs a program of tests/owl/ against OWLAPI: (args) -> CompletedProcess."""
    if not (shutil.which("javac") and any(j.name.startswith("owlapi-distribution") for j in JARS)):
        _missing("needs javac and Debian libowlapi-java (apt-get install default-jdk-headless libowlapi-java)")
    out = tmp_path_factory.mktemp("owlapi")
    classpath = ":".join(str(j) for j in JARS)
    sources = [str(Path(__file__).parent / "owl" / f) for f in ("LoadOffline.java", "DLProfileCheck.java")]
    subprocess.run(["javac", "-d", str(out), "-cp", classpath, *sources], check=True, capture_output=True)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["java", "-cp", f"{out}:{classpath}", *args], check=False, capture_output=True,
                              text=True, timeout=300)

    return run


def reports(stdout: str) -> dict[str, dict]:
    """LoadOffline's output: file -> key -> value (a list for the keys given once per document)."""
    per_document = ("unparsed-triples", "guessed-types", "header")
    out: dict[str, dict] = {}
    current: dict = {}
    for line in stdout.splitlines():
        key, _, value = line.partition(" ")
        if key == "file":
            current = out[Path(value).name] = {k: [] for k in per_document}
        elif key in per_document:
            current[key].append(value)
        elif key:
            current[key] = int(value) if value.isdigit() else value
    return out


@pytest.fixture(scope="module")
def loaded(owlapi, built_dist) -> dict[str, dict]:
    result = owlapi("LoadOffline", *(str(built_dist / name) for name in OWL_FILES))
    assert result.returncode == 0, result.stderr[-3000:]
    return reports(result.stdout)


@pytest.mark.slow  # a JVM per file: OWLAPI or HermiT
@pytest.mark.java
@pytest.mark.parametrize("name", OWL_FILES)
def test_owlapi_opens_each_file_offline_with_nothing_missing(loaded, released_counts, artefacts, name):
    report = loaded[name]
    assert report["direct-imports"] == 0 and report["imports-closure"] == 1
    assert report["unparsed-triples"] == ["0"] and report["guessed-types"] == ["0"]
    assert report["header"] == ["PARSED_ONE_HEADER"]
    assert report["ontology"] == str(ONTOLOGY)
    assert report["version"] == str(artefacts[name].value(ONTOLOGY, OWL.versionIRI))
    assert {k: report[k] for k in DECLARED} == released_counts


@pytest.mark.slow  # a JVM per file: OWLAPI or HermiT
@pytest.mark.java
def test_owlapi_sees_the_classification_in_full_only(loaded, artefacts):
    added = len(set(artefacts["mirkg-full.owl"].triples((None, RDFS.subClassOf, None)))
                - set(artefacts["ontology.owl"].triples((None, RDFS.subClassOf, None))))
    assert added >= 1
    assert loaded["mirkg-full.owl"]["logical-axioms"] == loaded["ontology.owl"]["logical-axioms"] + added
    # The base module declares external terms and axiomatises none of them (ODK's base): it leaves
    # out the import module's is-a links between CL terms and the class of oa:describing, the
    # ontology's only logical axioms about external terms (issue 16).
    merged = artefacts["ontology.owl"]
    about_external = [t for t in merged.triples((None, RDFS.subClassOf, None)) if not is_own(t[0])]
    about_external += [t for t in merged.triples((None, RDF.type, None))
                       if isinstance(t[0], URIRef) and not is_own(t[0]) and t[2] not in DECLARATION_TYPES]
    assert len(about_external) == 4, about_external
    assert loaded["mirkg-base.owl"]["logical-axioms"] == loaded["ontology.owl"]["logical-axioms"] - len(about_external)


@pytest.mark.slow  # a JVM per file: OWLAPI or HermiT
@pytest.mark.java
def test_owlapi_loads_the_source_through_the_catalog_offline(owlapi, sources):
    result = owlapi("LoadOffline", "--catalog", str(CATALOG), str(SOURCE))
    assert result.returncode == 0, result.stderr[-3000:]
    report = reports(result.stdout)[SOURCE.name]
    assert report["direct-imports"] == 1 and report["imports-closure"] == 2
    assert report["unparsed-triples"] == ["0", "0"] and report["header"] == ["PARSED_ONE_HEADER"] * 2
    assert {k: report[k] for k in DECLARED} == expected_counts(*sources)


@pytest.mark.slow  # a JVM per file: OWLAPI or HermiT
@pytest.mark.java
def test_without_the_catalog_the_import_is_not_skipped_silently(owlapi):
    # The loader's default settings throw on an import they cannot fetch: what made the tests
    # above able to fail, and what a user of the old release met.
    result = owlapi("LoadOffline", str(SOURCE))
    assert result.returncode != 0
    assert "UnloadableImportException" in result.stderr and str(IMPORT_IRI) in result.stderr


@pytest.mark.slow  # a JVM per file: OWLAPI or HermiT
@pytest.mark.java
def test_another_ontology_imports_base_as_the_readme_says(owlapi, built_dist, tmp_path, artefacts):
    version = artefacts["mirkg-base.owl"].value(ONTOLOGY, OWL.versionIRI)
    shutil.copy(built_dist / "mirkg-base.owl", tmp_path / "mirkg-base.owl")  # beside the importing ontology
    (tmp_path / "mine.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"<http://example.org/mine> a owl:Ontology ; owl:imports <{version}> .\n"
        "<http://example.org/MyMiRNA> a owl:Class ; rdfs:subClassOf <https://w3id.org/mirkg/MicroRNA> .\n",
        encoding="utf-8")
    (tmp_path / "catalog-v001.xml").write_text(
        '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        f'  <uri name="{version}" uri="mirkg-base.owl"/>\n</catalog>\n', encoding="utf-8")
    result = owlapi("LoadOffline", "--catalog", str(tmp_path / "catalog-v001.xml"), str(tmp_path / "mine.ttl"))
    assert result.returncode == 0, result.stderr[-3000:]
    report = reports(result.stdout)["mine.ttl"]
    assert report["imports-closure"] == 2
    base_classes = {c for c in artefacts["mirkg-base.owl"].subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    assert report["classes"] == len(base_classes) + 1


@pytest.mark.slow  # a JVM per file: OWLAPI or HermiT
@pytest.mark.java
@pytest.mark.parametrize("name", OWL_FILES)
def test_each_file_is_in_the_owl2_dl_profile(owlapi, built_dist, name):
    result = owlapi("DLProfileCheck", str(built_dist / name))
    assert result.returncode == 0 and result.stdout.strip().endswith("in profile"), result.stdout


# ------------------------------------------------------------------------------------------------
# owlready2, as a user opens a file, and HermiT


@pytest.fixture(scope="module")
def hermit():
    from mirkg.reasoning import java_available

    if not java_available():
        _missing("HermiT needs Java (apt-get install default-jre-headless)")
    import owlready2

    return owlready2


def _open(owlready2, path: Path):
    world = owlready2.World()  # a world of its own: the files share their ontology IRI
    return world, world.get_ontology(str(path)).load()


@pytest.mark.slow  # a JVM per file: OWLAPI or HermiT
@pytest.mark.java
@pytest.mark.parametrize("name", RDFXML_FILES)
def test_owlready2_opens_each_file_and_hermit_finds_it_consistent(hermit, built_dist, released_counts, name):
    world, onto = _open(hermit, built_dist / name)
    try:
        assert onto.base_iri.rstrip("/#") == str(ONTOLOGY)
        assert onto.imported_ontologies == []
        found = {
            "classes": len(list(world.classes())), "object-properties": len(list(world.object_properties())),
            "data-properties": len(list(world.data_properties())),
            "annotation-properties": len(list(world.annotation_properties())),
            "individuals": len(list(world.individuals())),
        }
        assert found == released_counts
        hermit.sync_reasoner_hermit(world, infer_property_values=False, debug=0)  # raises when inconsistent
    finally:
        world.close()


@pytest.mark.slow  # a JVM per file: OWLAPI or HermiT
@pytest.mark.java
def test_hermit_finds_the_turtle_copy_consistent(hermit, built_dist):
    # owlready2 reads RDF/XML, OWL/XML and N-Triples, not Turtle: the build's own check reads it.
    from mirkg.reasoning import check_consistency

    check_consistency(_turtle(built_dist / "ontology.ttl"))


@pytest.mark.slow  # a JVM per file: OWLAPI or HermiT
@pytest.mark.java
def test_hermit_would_reject_an_inconsistent_artefact(hermit, built_dist, tmp_path, artefacts, monkeypatch):
    # mirkg.ttl declares microRNAs and cells disjoint (owl:AllDisjointClasses): one individual of
    # both makes mirkg-full.owl inconsistent, and the check above must then fail.
    broken = artefacts["mirkg-full.owl"] + Graph()
    broken.add((URIRef("http://example.org/x"), RDF.type, MIRKG.MicroRNA))
    broken.add((URIRef("http://example.org/x"), RDF.type, MIRKG.Cell))
    path = tmp_path / "broken.owl"
    broken.serialize(path, format="xml")
    # owlready2 keeps HermiT's input file when HermiT finds no model: into this test's folder
    scratch = tmp_path / "owlready2"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    world, _ = _open(hermit, path)
    try:
        with pytest.raises(hermit.OwlReadyInconsistentOntologyError):
            hermit.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    finally:
        world.close()
