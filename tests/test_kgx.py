"""The KGX export (dist/kgx/nodes.tsv, edges.tsv) against the curated input and the Biolink Model.

The `kgx` package does not install beside the `sssom` package here (kgx 2.7.0 needs click<8.2,
linkml 1.12 needs click>=8.3.3), so the export is checked against the Biolink Model's own schema
from the installed biolink-model package: categories are classes, predicates canonical
predicates, qualifier values members of their enumerations, columns Biolink slots. Counts are
taken from data/*.yaml read here directly, not from the code under test.
"""

from __future__ import annotations

import csv
import importlib.resources
from functools import lru_cache

import pytest
import yaml

from helpers import curated_statements
from mirkg import paths
from mirkg.identifiers import Reference
from mirkg.kgx import EDGE, EDGE_COLUMNS, MULTI, NODE_COLUMNS, kgx_files
from mirkg.mappings import load_mapping_sets
from mirkg.ontology import entity_kinds, load_ontology

KINDS = entity_kinds(load_ontology(paths.ONTOLOGY))

ASSOCIATION_REQUIRED = ("id", "subject", "predicate", "object", "knowledge_level", "agent_type")
ENUM_OF = {
    "subject_aspect_qualifier": "GeneOrGeneProductOrChemicalEntityAspectEnum",
    "object_aspect_qualifier": "GeneOrGeneProductOrChemicalEntityAspectEnum",
    "subject_direction_qualifier": "DirectionQualifierEnum",
    "object_direction_qualifier": "DirectionQualifierEnum",
    "causal_mechanism_qualifier": "CausalMechanismQualifierEnum",
    "knowledge_level": "KnowledgeLevelEnum",
    "agent_type": "AgentTypeEnum",
}
# Node ids outside the id_prefixes Biolink lists for the category, each for a stated reason:
# Biolink 4.4.6 lists MIR, HGNC, WormBase and mirbase (hairpin MI accessions) for microRNA, none
# of which names a mature miRNA (MIMAT); the "miRNA" node stands for the SO class itself.
OUTSIDE_BIOLINK_PREFIXES = {
    "SO:0000276",
    "mirbase.mature:MIMAT0000067",
    "mirbase.mature:MIMAT0000439",
    "mirbase.mature:MIMAT0000449",
    "mirbase.mature:MIMAT0003326",
}


@lru_cache(maxsize=1)
def schema() -> dict:
    path = importlib.resources.files("biolink_model") / "schema" / "biolink_model.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def element(kind: str, curie: str) -> tuple[str, dict]:
    """The Biolink class or slot a CURIE names (raises KeyError when there is none)."""
    from linkml_runtime.utils.formatutils import camelcase, underscore

    table = schema()[kind]
    fold = camelcase if kind == "classes" else underscore
    names = {fold(n): n for n in table}
    name = names[curie.removeprefix("biolink:")]
    return name, table[name] or {}


def ancestors(kind: str, name: str) -> list[str]:
    table, out = schema()[kind], []
    while name:
        out.append(name)
        item = table[name] or {}
        name = item.get("is_a")
    return out


def read(tsv: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(tsv.decode("utf-8").splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def export(build):
    files = kgx_files(build)
    return read(files["kgx/nodes.tsv"]), read(files["kgx/edges.tsv"])


def curated(name: str) -> list[dict]:
    return yaml.safe_load((paths.DATA / name).read_text(encoding="utf-8"))


def test_exactly_one_node_per_entity(export):
    """Issue 9 acceptance: counted from data/entities.yaml."""
    nodes, _ = export
    entities = curated("entities.yaml")["entities"]
    assert len(nodes) == len(entities) == len({n["id"] for n in nodes})
    assert {n["iri"].rsplit("/", 1)[1] for n in nodes} == {e["id"] for e in entities}
    for e in entities:  # the external CURIE is the id where there is one
        node = next(n for n in nodes if n["iri"].endswith(f"/entity/{e['id']}"))
        assert node["id"] == e.get("id_curie", f"mirkg.entity:{e['id']}")


def test_exactly_one_edge_per_finding_hedged_ones_marked(export):
    """Issue 9 acceptance, as issue 16 changed it: every claim that is not a limitation is an
    edge (statements.yaml read here); hedged ones are marked by their knowledge level."""
    _, edges = export
    statements = curated_statements()
    findings = {s["id"]: s for s in statements if s.get("statement_type", "finding") == "finding"}
    assert len(findings) < len(statements)  # some claims are limitations: the filter matters
    assert len(edges) == len(findings)
    assert {e["id"] for e in edges} == {f"mirkg.claim:{sid}" for sid in findings}
    hedged = {f"mirkg.claim:{sid}" for sid, s in findings.items() if "hedge" in s}
    assert len(hedged) >= 3
    for e in edges:
        assert e["knowledge_level"] == ("prediction" if e["id"] in hedged else "knowledge_assertion"), e["id"]


def test_the_knowledge_level_follows_the_hedge(build):
    """The marker's fixture: the same claim with its hedge taken away is an assertion again."""
    from dataclasses import replace

    from mirkg.kgx import knowledge_level

    s = next(s for s in build.curation.statements if s.hedge)
    assert knowledge_level(s) == "prediction"
    assert knowledge_level(replace(s, hedge=None)) == "knowledge_assertion"


def test_edges_carry_quote_evidence_source_and_species(export):
    """supporting_text is the quote, has_evidence the ECO term, both read from statements.yaml;
    the primary knowledge source is the dataset's IRI (no infores id is registered for mirkg)."""
    _, edges = export
    statements = {f"mirkg.claim:{s['id']}": s for s in curated_statements()}
    for e in edges:
        s = statements[e["id"]]
        assert e["supporting_text"] == " ".join(s["quote"].split()), e["id"]
        assert e["has_evidence"] == (s["evidence"] if s["evidence"].startswith("ECO:") else ""), e["id"]
        assert e["primary_knowledge_source"] == "https://w3id.org/mirkg/dataset"
        assert not e["primary_knowledge_source"].startswith("infores:")
    by_id = {e["id"]: e for e in edges}
    # human: an HGNC gene, an hsa- miRNA, or patients' disease in the claim
    assert by_id["mirkg.claim:mir146a-targets-traf6"]["species_context_qualifier"] == "NCBITaxon:9606"
    assert by_id["mirkg.claim:mir153-increased-in-sle"]["species_context_qualifier"] == "NCBITaxon:9606"
    # the review's background statement about stem cells names no species
    assert by_id["mirkg.claim:msc-source-of-exosomes"]["species_context_qualifier"] == ""


def test_species_context_needs_a_human_node(build):
    """Its fixture: a claim about a human gene without it loses the species context."""
    from dataclasses import replace

    from mirkg.kgx import species_context

    c = build.curation
    s = next(s for s in c.statements if s.id == "mir146a-targets-traf6")
    assert species_context(c, s) == "NCBITaxon:9606"
    other = next(e.id for e in c.entities.values() if e.kind == "process")
    assert species_context(c, replace(s, subject=other, object=other, context={})) == ""


def test_a_value_holding_the_separator_is_refused():
    from mirkg.kgx import _single

    with pytest.raises(ValueError, match="separator"):
        _single("a | b")


def test_internalization_is_not_an_instance_level_edge(export):
    _, edges = export
    uptake = next(e for e in edges if e["id"] == "mirkg.claim:mir146a-internalized-by-mscs")
    assert uptake["predicate"] == "biolink:physically_interacts_with"
    assert all(e["predicate"] != "biolink:related_to_at_instance_level" for e in edges)


def test_every_edge_joins_two_nodes(export):
    nodes, edges = export
    ids = {n["id"] for n in nodes}
    for e in edges:
        assert e["subject"] in ids and e["object"] in ids, e["id"]
        for value in e["anatomical_context_qualifier"].split(MULTI) + [e["disease_context_qualifier"]]:
            assert value == "" or value in ids, (e["id"], value)


def test_rows_are_sorted_and_the_output_deterministic(build, export):
    nodes, edges = export
    assert [n["id"] for n in nodes] == sorted(n["id"] for n in nodes)
    assert [e["id"] for e in edges] == sorted(e["id"] for e in edges)
    assert kgx_files(build) == kgx_files(build)


def test_columns_are_biolink_slots():
    for column in NODE_COLUMNS + EDGE_COLUMNS:
        element("slots", column)  # KeyError: not a slot of the model


def test_node_categories_are_biolink_classes(export):
    nodes, _ = export
    for category in {k.biolink_category for k in KINDS.values()} | {n["category"] for n in nodes}:
        name, cls = element("classes", category)
        assert "named thing" in ancestors("classes", name), category
        assert not cls.get("mixin") and not cls.get("abstract"), category


def test_node_ids_use_the_prefixes_biolink_expects(export):
    """A node id outside its category's id_prefixes fails, unless listed (with the reason) above."""
    nodes, _ = export
    outside = set()
    for n in nodes:
        if n["id"].startswith("mirkg.entity:"):
            continue
        name, _ = element("classes", n["category"])
        allowed = {p for c in ancestors("classes", name) for p in (schema()["classes"][c] or {}).get("id_prefixes") or []}
        if n["id"].split(":", 1)[0] not in allowed:
            outside.add(n["id"])
    assert outside == OUTSIDE_BIOLINK_PREFIXES


def test_edges_use_canonical_biolink_predicates_and_valid_qualifiers(export):
    _, edges = export
    enums = schema()["enums"]
    for e in edges:
        for column in ASSOCIATION_REQUIRED:
            assert e[column], (e["id"], column)
        name, slot = element("slots", e["predicate"])
        assert "related to" in ancestors("slots", name), e["predicate"]
        assert (slot.get("annotations") or {}).get("canonical_predicate") is True, e["predicate"]
        if e["qualified_predicate"]:
            element("slots", e["qualified_predicate"])
        cls_name, cls = element("classes", e["category"])
        assert "association" in ancestors("classes", cls_name), e["category"]
        for column, slot_usage in (cls.get("slot_usage") or {}).items():
            if (slot_usage or {}).get("required") and column.replace(" ", "_") in EDGE_COLUMNS:
                assert e[column.replace(" ", "_")], (e["id"], column)  # e.g. GeneRegulatesGene's qualifiers
        for column, enum in ENUM_OF.items():
            if e[column]:
                assert e[column] in enums[enum]["permissible_values"], (e["id"], column, e[column])


def test_every_predicate_of_the_edge_table_is_used_by_a_claim_relation(build):
    directs = {str(p)[len("https://w3id.org/mirkg/"):] for r in build.curation.relations.values()
               for p in [r.iri, *r.direct_forms.values()]}
    assert set(EDGE) == directs


def test_edges_and_categories_follow_the_sssom_mappings(build, export):
    """The export writes only what ontology/mappings/mirkg-biolink.sssom.tsv says."""
    nodes, edges = export
    biolink = next(s for s in load_mapping_sets(paths.ONTOLOGY) if s.name == "mirkg-biolink")
    pairs = {(r["subject_id"], r["object_id"]) for r in biolink.rows if r["predicate_id"] != "skos:relatedMatch"}
    for e in edges:
        assert (e["original_predicate"], e["predicate"]) in pairs, e["id"]
    for kind in KINDS.values():
        cls = "mirkg:" + str(kind.iri).rsplit("/", 1)[1]
        assert (cls, kind.biolink_category) in pairs, kind


def test_publications_are_confirmed_pmids_and_dois(build, export):
    _, edges = export
    confirmed = Reference(paths.DATA / "reference").confirmed_citation_ids
    seen = set()
    for e in edges:
        for pub in filter(None, e["publications"].split(MULTI)):
            prefix, _, value = pub.partition(":")
            assert prefix in {"PMID", "doi"} and value in confirmed, (e["id"], pub)
            seen.add(pub)
    assert "PMID:31428639" in seen
    by_id = {e["id"]: e["publications"] for e in edges}
    assert by_id["mirkg.claim:mir146a-targets-traf6"] == "PMID:31428639|doi:10.1155/2019/6071308"
    # [5] alone is ambiguous between two works: no publication is claimed for it
    assert by_id["mirkg.claim:mir663-knockdown-improves-therapy"] == ""
    # the review's own uncited statements have none either
    assert by_id["mirkg.claim:msc-source-of-exosomes"] == ""
    # Issue 17: a title is its own work's, and an edge carries every publication of its assertion.
    # The title "MiR-153-3p induces immune dysregulation by inhibiting PELI1 expression ..." is Li
    # et al. 2020 (PMID 32321315, DOI 10.1080/08916934.2020.1750011) ...
    li = "PMID:32321315|doi:10.1080/08916934.2020.1750011"
    assert by_id["mirkg.claim:title-mir153-immune-dysregulation"] == li
    # ... which the paragraph's "by suppressing ... PELI1 [7]" cites as well: both edges carry it
    assert by_id["mirkg.claim:title-mir153-represses-peli1"] == by_id["mirkg.claim:mir153-suppresses-peli1"] == li
    # [4, 5] names both Geng papers as a set; the let-7f title is one of them: the paragraph's
    # Treg/Th17 claim and the title's claim carry the union (the let-7f paper's PMID is unconfirmed)
    geng = "PMID:30886422|doi:10.1038/cmi.2018.1|doi:10.3389/fimmu.2020.00233"
    assert by_id["mirkg.claim:let7f-treg-th17-imbalance"] == by_id["mirkg.claim:title-reduced-let7f-treg-th17-imbalance"] == geng


def test_mirna_targets_are_gene_regulation_edges(export):
    _, edges = export
    traf6 = next(e for e in edges if e["id"] == "mirkg.claim:mir146a-targets-traf6")
    assert (traf6["subject"], traf6["predicate"], traf6["object"]) == (
        "mirbase.mature:MIMAT0000449", "biolink:regulates", "HGNC:12036")
    assert traf6["category"] == "biolink:GeneRegulatesGeneAssociation"
    assert (traf6["object_aspect_qualifier"], traf6["object_direction_qualifier"]) == ("expression", "downregulated")
    raised = next(e for e in edges if e["id"] == "mirkg.claim:mir153-increased-in-sle")
    assert (raised["predicate"], raised["subject_direction_qualifier"]) == ("biolink:associated_with", "increased")


def test_the_release_holds_the_export_and_the_mappings(built_dist):
    """One full build: dist/ has the KGX files, the mapping RDF and non-empty answers to 80/81."""
    assert (built_dist / "kgx" / "nodes.tsv").read_bytes().count(b"\n") == 1 + len(curated("entities.yaml")["entities"])
    assert (built_dist / "kgx" / "edges.tsv").exists() and (built_dist / "mappings.ttl").exists()
    for name in ("80-claims-as-biolink", "81-wikidata-ready-statements"):
        assert (built_dist / "queries" / f"{name}.tsv").read_text(encoding="utf-8").count("\n") > 10, name
