"""The data model means what docs/modelling.md says (issue 16): what an entity node is, what
targeting means, what a limitation says, how the evidence, the provenance, the annotations and
the labels are written, and the is-a links the queries follow. Each rule is checked on the
shipped build, and against a copy broken the way the model used to be (or could be), to show
that the check can fail. The shapes' fixtures (tests/shapes/fixtures/14x-15x) and the ontology
checks' fixtures (tests/ontology_checks/) break the rest."""

from __future__ import annotations

import csv
import hashlib
import io
import logging

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from mirkg import paths
from mirkg.errors import BuildError
from mirkg.identifiers import Reference
from mirkg.imports import build_imports
from mirkg.kgx import kgx_files
from mirkg.namespaces import ID, MIRKG, OA, OBO, PAV, PROV
from mirkg.ontology import entity_kinds, load_ontology

CLAIM = "https://w3id.org/mirkg/id/claim/"


def _sub_properties(ontology: Graph, prop: URIRef) -> set[URIRef]:
    return set(ontology.transitive_subjects(RDFS.subPropertyOf, prop))


def _super_properties(ontology: Graph, prop: URIRef) -> set[URIRef]:
    return set(ontology.transitive_objects(prop, RDFS.subPropertyOf))


# ------------------------------------------------------------------------------------------------
# 1. An entity node is a concept standing for a kind, matched to the external class.


def _externally_typed(data: Graph, kinds) -> set[tuple]:
    entities = {e for k in kinds.values() for e in data.subjects(RDF.type, k.iri)}
    return {(e, c) for e in entities for c in data.objects(e, RDF.type) if not str(c).startswith(str(MIRKG))}


def test_entity_nodes_are_matched_to_external_classes_never_typed_by_them(build):
    kinds = entity_kinds(build.ontology)
    assert _externally_typed(build.data, kinds) == set()
    reference = build.curation.reference
    for e in build.curation.entities.values():
        node = ID[f"entity/{e.id}"]
        assert set(build.data.objects(node, RDF.type)) == {kinds[e.kind].iri}, e.id
        for curie in ([e.curie] if e.curie else []) + e.xrefs:
            match = SKOS.relatedMatch if curie.startswith("uniprot:") else SKOS.exactMatch
            assert (node, match, URIRef(reference.iri(curie))) in build.data, (e.id, curie)
    # The gene TRAF6: its HGNC and NCBI Gene records name the same gene; its UniProt record is
    # the protein, a product of it.
    traf6 = ID["entity/TRAF6"]
    assert set(build.data.objects(traf6, SKOS.exactMatch)) == {
        URIRef("https://identifiers.org/hgnc:12036"), URIRef("https://identifiers.org/ncbigene:7189")}
    assert set(build.data.objects(traf6, SKOS.relatedMatch)) == {URIRef("http://purl.uniprot.org/uniprot/Q9Y4K3")}
    # The way it was: BM-MSC typed by its CL class.
    broken = build.data + Graph()
    broken.add((ID["entity/BM-MSC"], RDF.type, OBO.CL_0002540))
    assert _externally_typed(broken, kinds) == {(ID["entity/BM-MSC"], OBO.CL_0002540)}


def test_the_kinds_are_concepts_not_subclasses_of_external_classes(build):
    o = build.ontology
    assert (MIRKG.Entity, RDFS.subClassOf, SKOS.Concept) in o
    for kind in entity_kinds(o).values():
        supers = set(o.transitive_objects(kind.iri, RDFS.subClassOf)) - {kind.iri}
        assert all(str(s).startswith(str(MIRKG)) or s == SKOS.Concept for s in supers), (kind.iri, supers)


def test_kgx_nodes_are_the_classes_the_rdf_entities_match(build):
    """KGX writes class-level edges between the external ids; the RDF entity behind each node is
    matched to exactly that id: the two readings agree."""
    nodes = list(csv.DictReader(io.StringIO(kgx_files(build)["kgx/nodes.tsv"].decode()), delimiter="\t"))
    reference = build.curation.reference
    checked = 0
    for n in nodes:
        if n["id"].startswith("mirkg.entity:"):
            continue
        assert (URIRef(n["iri"]), SKOS.exactMatch, URIRef(reference.iri(n["id"]))) in build.data, n["id"]
        checked += 1
    assert checked > 25


# ------------------------------------------------------------------------------------------------
# Entity kinds: read from the ontology, the one place they are listed.


def test_entity_kinds_come_from_the_ontology(build):
    kinds = entity_kinds(build.ontology)
    assert {e.kind for e in build.curation.entities.values()} <= set(kinds)
    assert kinds["gene"].iri == MIRKG.GeneOrGeneProduct
    assert (kinds["gene"].identifier_prefix, kinds["gene"].identifier_kind) == ("HGNC", "gene")
    assert kinds["intervention"].identifier_prefix is None
    assert kinds["mirna"].biolink_category == "biolink:MicroRNA"
    broken = load_ontology(paths.ONTOLOGY)
    broken.remove((MIRKG.Cell, MIRKG.biolinkCategory, None))
    with pytest.raises(BuildError, match="Cell"):
        entity_kinds(broken)


# ------------------------------------------------------------------------------------------------
# 2. Targeting: the miRNA binds the transcript and represses the gene's expression.


def _targeting_entails_interaction(ontology: Graph) -> bool:
    interaction = {MIRKG.molecularlyInteractsWith, OBO.RO_0002436}
    return bool(_super_properties(ontology, MIRKG.targets) & interaction)


def test_targets_is_repression_of_expression_not_interaction(build):
    o = build.ontology
    assert MIRKG.repressesExpressionOf in _super_properties(o, MIRKG.targets)
    assert not _targeting_entails_interaction(o)
    assert (MIRKG.targets, MIRKG.mechanism, OBO.GO_0035195) in o  # miRNA-mediated silencing
    assert "GO:0035195" in build.curation.reference.terms
    # The KGX edges of the targeting claims say the same thing: expression, downregulated.
    edges = list(csv.DictReader(io.StringIO(kgx_files(build)["kgx/edges.tsv"].decode()), delimiter="\t"))
    targeting = [e for e in edges if e["original_predicate"] == "mirkg:targets"]
    # the paragraph's four targeting claims (miR-663/TGF-β1, let-7f/IL-6, let-7f-5p/NLRP3,
    # miR-146a/TRAF6) and the title of Tan et al. ("Let-7f-5p ameliorates inflammation by targeting NLRP3")
    assert len(targeting) == 5
    for e in targeting:
        assert (e["predicate"], e["object_aspect_qualifier"], e["object_direction_qualifier"]) == (
            "biolink:regulates", "expression", "downregulated")
    # The way it was: targets under molecularly interacts with.
    broken = o + Graph()
    broken.add((MIRKG.targets, RDFS.subPropertyOf, MIRKG.molecularlyInteractsWith))
    assert _targeting_entails_interaction(broken)


# ------------------------------------------------------------------------------------------------
# 3. The limitation says what the text says.


def test_the_limitation_reads_as_a_sole_cause_not_concluded(build):
    d = build.data
    claim = URIRef(CLAIM + "senescence-not-exclusively-exosome-uptake")
    assert {MIRKG.Claim, MIRKG.Limitation, MIRKG.ConclusionNotDrawn} <= set(d.objects(claim, RDF.type))
    assert d.value(claim, MIRKG.claimSubject) == ID["entity/endocytosis"]
    assert d.value(claim, MIRKG.claimRelation) == MIRKG.soleCauseOf
    assert d.value(claim, MIRKG.claimObject) == ID["entity/cellular-senescence"]
    assert d.value(claim, MIRKG.direction) is None  # no longer "positively regulates"
    assert d.value(claim, MIRKG.limits) == URIRef(CLAIM + "exosomes-promote-sle-msc-senescence")
    assert str(d.value(claim, MIRKG.hedgeCue)) == "unable to conclude"
    assert "(not concluded" in str(d.value(claim, RDFS.label))
    # Nothing states it as a fact.
    assert not list(d.triples((None, MIRKG.soleCauseOf, None)))
    # The other caveat of the sentence is a hedged possibility that limits the same finding.
    other = URIRef(CLAIM + "other-serum-factors-may-promote-senescence")
    assert MIRKG.ConclusionNotDrawn not in set(d.objects(other, RDF.type))
    assert d.value(other, MIRKG.limits) == URIRef(CLAIM + "exosomes-promote-sle-msc-senescence")


# ------------------------------------------------------------------------------------------------
# 5. SKOS integrity, with skosify's checks (S13 label overlap, S14 one prefLabel per language,
# S27 related/broader, hierarchy cycles and redundancy) on the release as users load it.


def _skos_problems(graph: Graph, ontology: Graph, caplog) -> list[str]:
    import skosify.check

    g = graph + Graph()
    # skosify reads the SKOS properties themselves; a sub-property is a label too (RDFS entailment).
    for label in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
        for sub in _sub_properties(ontology + graph, label) - {label}:
            for s, o in graph.subject_objects(sub):
                g.add((s, label, o))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        skosify.check.label_overlap(g)
        skosify.check.preflabel_uniqueness(g, policy="shortest")  # its default, 'all', it rejects
        skosify.check.disjoint_relations(g)
        skosify.check.hierarchy_cycles(g)
        skosify.check.hierarchical_redundancy(g)
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_release_passes_skosify_checks(built_dist, caplog):
    release = Graph().parse(built_dist / "mirkg-all.nt", format="nt")
    assert _skos_problems(release, Graph(), caplog) == []
    # mirkg:labelAsWritten is no SKOS label any more ...
    assert not _super_properties(release, MIRKG.labelAsWritten) & {SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel}
    # ... and as one (with a mention that repeats the preferred label), it clashes, as it did.
    broken = release + Graph()
    broken.add((MIRKG.labelAsWritten, RDFS.subPropertyOf, SKOS.hiddenLabel))
    broken.add((ID["entity/TRAF6"], MIRKG.labelAsWritten, Literal("TRAF6", lang="en")))
    problems = _skos_problems(broken, Graph(), caplog)
    assert any("entity/TRAF6" in p and "prefLabel and hiddenLabel" in p for p in problems), problems
    # ... and two preferred labels in one language break S14.
    broken = release + Graph()
    broken.add((ID["entity/TRAF6"], SKOS.prefLabel, Literal("TNF receptor associated factor 6", lang="en")))
    assert any("entity/TRAF6" in p for p in _skos_problems(broken, Graph(), caplog))


# ------------------------------------------------------------------------------------------------
# 7. Web Annotation: every span is an annotation's target, the source text ships.


def test_each_claim_is_the_body_of_an_annotation_on_its_span(build, built_dist):
    d = build.data
    sums = dict(reversed(line.split("  ", 1)) for line in (built_dist / "SHA256SUMS").read_text().splitlines())
    for folder in (paths.DATA / "sources").iterdir():
        if not folder.is_dir():
            continue
        name = f"sources/{folder.name}.txt"  # each source's text, under its id (= its folder's name here)
        source_bytes = (folder / "text.txt").read_bytes()
        assert (built_dist / name).read_bytes() == source_bytes
        assert sums[name] == hashlib.sha256(source_bytes).hexdigest()
    for s in build.curation.statements:
        claim, span = URIRef(CLAIM + s.id), URIRef(CLAIM + s.id + "/span")
        annotations = set(d.subjects(OA.hasBody, claim))
        assert len(annotations) == 1, s.id
        a = annotations.pop()
        assert (a, RDF.type, OA.Annotation) in d
        assert (a, OA.hasTarget, span) in d and (a, OA.motivatedBy, OA.describing) in d
        assert (a, DCTERMS.creator, ID["agent/mirkg-contributors"]) in d
        source = d.value(span, OA.hasSource)
        # the annotation source is the release file: its path in dist/ after the version folder
        assert str(source).endswith(f"/sources/{s.source}.txt") and "/release/" in str(source), source


# ------------------------------------------------------------------------------------------------
# 8. PROV: the curators are responsible for the nodes; whom the text credits is its own property.


def test_provenance_names_the_curators_and_keeps_the_texts_attribution(build):
    d = build.data
    curators, curation = ID["agent/mirkg-contributors"], ID["activity/curation"]
    assert (curation, RDF.type, PROV.Activity) in d and (curation, PROV.wasAssociatedWith, curators) in d
    for s in build.curation.statements:
        claim = URIRef(CLAIM + s.id)
        assert set(d.objects(claim, PROV.wasAttributedTo)) == {curators}, s.id
        assert (claim, PROV.wasGeneratedBy, curation) in d
        assert set(d.objects(claim, MIRKG.attributedInText)) == {ID[f"agent/{s.attributed_to}"]}, s.id
    # the works' authors the text names, with PAV
    assert (ID["work/li-2020-mir153"], PAV.authoredBy, ID["agent/li-et-al"]) in d
    assert not list(d.triples((None, URIRef(str(MIRKG) + "authorOf"), None)))


# ------------------------------------------------------------------------------------------------
# 9. ECO: NAS for what the text gives no reference for; TAS only with one.


def test_evidence_is_tas_with_a_reference_and_nas_without(build):
    terms = Reference(paths.DATA / "reference").terms
    assert terms["ECO:0000303"].label == "author statement without traceable support used in manual assertion"
    assert "eco.obo" in terms["ECO:0000303"].source
    d = build.data
    for s in build.curation.statements:
        evidence = set(d.objects(URIRef(CLAIM + s.id + "/evidence"), RDF.type)) - {MIRKG.Evidence}
        assert evidence == {OBO.ECO_0000304 if s.citation else OBO.ECO_0000303}, s.id
    assert not list(d.triples((None, RDF.type, URIRef(str(MIRKG) + "UncitedAuthorStatement"))))


# ------------------------------------------------------------------------------------------------
# 12. The import module carries the is-a links between the terms in use, each with its source.


def test_import_module_links_cl_terms_with_their_source(build):
    module = Graph().parse(paths.ONTOLOGY / "imports" / "external.ttl", format="turtle")
    links = {(OBO.CL_0002540, OBO.CL_0000134), (OBO.CL_0002569, OBO.CL_0000134), (OBO.CL_0000134, OBO.CL_0000034)}
    assert {(s, o) for s, o in module.subject_objects(RDFS.subClassOf)} == links
    for sub, sup in links:
        axioms = [a for a in module.subjects(OWL.annotatedSource, sub) if module.value(a, OWL.annotatedTarget) == sup]
        assert len(axioms) == 1 and "cl-edit.owl" in str(module.value(axioms[0], DCTERMS.source)), (sub, sup)
    # Query 10 follows them instead of naming the MSC subclasses.
    query = (paths.QUERIES / "10-mirna-msc-processes.rq").read_text()
    assert "rdfs:subClassOf* obo:CL_0000134" in query
    assert "CL_0002540" not in query and "CL_0002569" not in query


def test_an_is_a_link_to_an_unconfirmed_term_is_refused(build, tmp_path):
    import shutil

    ref = tmp_path / "reference"
    shutil.copytree(paths.DATA / "reference", ref)
    with open(ref / "is_a.tsv", "a", encoding="utf-8") as f:
        f.write("CL:0000134\tCL:0000048\tinvented for the test\t\n")  # CL:0000048 is not in the table
    with pytest.raises(BuildError, match="CL:0000048"):
        build_imports(Reference(ref), build.data)


# ------------------------------------------------------------------------------------------------
# 13. Labels carry their language, dates their type, claim labels their hedge.


def test_labels_are_tagged_dates_typed_and_hedges_kept(build):
    d, o = build.data, build.ontology
    for s, label in d.subject_objects(RDFS.label):
        assert isinstance(label, Literal) and label.language == "en", (s, label)
    for s, label in d.subject_objects(SKOS.prefLabel):
        assert label.language == "en", (s, label)
    for graph in (d, o):
        for prop in (DCTERMS.created, DCTERMS.issued, DCTERMS.date):
            for s, value in graph.subject_objects(prop):
                assert value.datatype in (XSD.date, XSD.gYear, XSD.dateTime), (s, prop, value)
    for s in build.curation.statements:
        label = str(d.value(URIRef(CLAIM + s.id), RDFS.label))
        assert (s.hedge in label) if s.hedge else ("hedged" not in label), (s.id, label)
