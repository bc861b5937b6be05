"""The import module declares exactly the external terms in use, with the reference labels."""

import shutil

from helpers import ROOT, run
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from mirkg import paths
from mirkg.imports import build_imports, used_external_terms


def test_committed_import_module_is_current(build):
    own = Graph().parse(paths.ONTOLOGY / "mirkg.ttl", format="turtle")
    expected = build_imports(build.curation.reference, own, build.data)
    committed = Graph().parse(paths.ONTOLOGY / "imports" / "external.ttl", format="turtle")
    assert isomorphic(committed, expected), "run `python build.py imports` and commit the result"


def test_every_external_term_in_the_graph_is_declared_with_the_reference_label(build):
    committed = Graph().parse(paths.ONTOLOGY / "imports" / "external.ttl", format="turtle")
    terms = build.curation.reference.terms
    used = used_external_terms(build.data)
    assert URIRef("http://purl.obolibrary.org/obo/CL_0002540") in used
    for term in used:
        curie = build.curation.reference.converter.compress(str(term))
        assert (term, RDFS.label, Literal(terms[curie].label, lang="en")) in committed
        assert (term, RDF.type, OWL.Class) in committed or (term, RDF.type, OWL.ObjectProperty) in committed


def test_a_term_the_data_uses_left_undeclared_in_the_import_module_fails_the_build(tmp_path, capsys):
    """The build runs the undeclared-external-term check on the ontology alone
    (ontology_checks.ONTOLOGY_ONLY): a term only the data uses is caught here, by the import
    module's check on the emitted triples, before anything is written."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("data", "shapes", "queries"):
        (project / name).symlink_to(ROOT / name, target_is_directory=True)
    shutil.copytree(ROOT / "ontology", project / "ontology")
    imports = project / "ontology" / "imports" / "external.ttl"
    module = Graph().parse(imports, format="turtle")
    term = URIRef("http://purl.obolibrary.org/obo/CL_0002540")  # a cell type the data names
    assert (term, RDF.type, OWL.Class) in module
    module.remove((term, RDF.type, OWL.Class))
    imports.write_text(module.serialize(format="turtle"), encoding="utf-8")
    dist = tmp_path / "dist"

    code, _, err = run(["build", "--root", str(project), "--dist", str(dist)], capsys)

    assert code == 2 and "Traceback" not in err
    assert f"{imports.resolve()} does not declare exactly the external terms in use" in err or \
        f"{imports} does not declare exactly the external terms in use" in err, err
    assert "python build.py imports" in err
    assert not dist.exists()
