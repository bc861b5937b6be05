"""The graph as KGX TSV (dist/kgx/nodes.tsv, dist/kgx/edges.tsv), in Biolink Model terms.

One node per entity: its external CURIE as id where it has a confirmed one (HGNC:12036,
mirbase.mature:MIMAT0000449, CL:0002540, ...), else its local CURIE mirkg.entity:<id>; its
Biolink category from the kind of entity (the ontology's mirkg:biolinkCategory); its mirkg IRI in `iri`. One edge per finding: the
Biolink predicate and qualifiers of its direct property, knowledge_level / agent_type (a curator
read it from the text), the publications its citation is confirmed to resolve to (PMIDs and DOIs
only), the quote it rests on (supporting_text), its evidence (has_evidence, an ECO term), the
species it is about when its nodes say so (species_context_qualifier), the dataset as its
primary_knowledge_source, and the claim id as the edge id.

Hedged findings ("might", "suggesting", "may") are edges too, marked by their knowledge level:
`prediction` (Biolink: "a statement of a possible fact ... that lead[s] to more speculative
conclusions") where an unhedged finding is a `knowledge_assertion`. Limitations (what the text
says the evidence does not support) are not edges: an edge asserts its relation, and a limitation
does not; they are in the RDF, with their claim nodes.

primary_knowledge_source: Biolink expects an Information Resource Registry id (infores:...), and
mirkg has none registered; the column holds the dataset's own IRI (https://w3id.org/mirkg/dataset)
rather than an unregistered infores id.

Every Biolink term used here is also a mapping of the mirkg term in
ontology/mappings/mirkg-biolink.sssom.tsv, and exists in the Biolink Model: both are tested
(tests/test_kgx.py). Rows are sorted, so two builds give the same bytes.
"""

from __future__ import annotations

from .curation import Curation, Statement
from .namespaces import MIRKG
from .assertions import Merged
from .dataset import DATASET
from .triples import DIRECTION, entity_iri

BIOLINK_VERSION = "4.4.6"  # the biolink-model release the terms were checked against
# Local CURIEs with no '/' in the local part (KGX's validator refuses it): mirkg.entity:NF-kB is
# https://w3id.org/mirkg/id/entity/NF-kB, mirkg.claim:<id> the claim https://w3id.org/mirkg/id/claim/<id>.
ENTITY_PREFIX = "mirkg.entity"
CLAIM_PREFIX = "mirkg.claim"

_REGULATES_EXPRESSION = {
    "predicate": "biolink:regulates",
    "category": "biolink:GeneRegulatesGeneAssociation",
    "qualified_predicate": "biolink:causes",
    "object_aspect_qualifier": "expression",
    "object_direction_qualifier": "downregulated",
}

# local name of the direct property -> the Biolink predicate and qualifiers of its edges
EDGE = {
    "targets": {**_REGULATES_EXPRESSION, "causal_mechanism_qualifier": "post_transcriptional_regulation"},
    "repressesExpressionOf": dict(_REGULATES_EXPRESSION),
    "molecularlyInteractsWith": {"predicate": "biolink:directly_physically_interacts_with"},
    "involvedIn": {"predicate": "biolink:actively_involved_in"},
    "regulates": {"predicate": "biolink:regulates"},
    "positivelyRegulates": {"predicate": "biolink:regulates", "object_direction_qualifier": "upregulated"},
    "negativelyRegulates": {"predicate": "biolink:regulates", "object_direction_qualifier": "downregulated"},
    "differentiallyExpressedIn": {"predicate": "biolink:associated_with", "subject_aspect_qualifier": "expression"},
    "increasedIn": {
        "predicate": "biolink:associated_with",
        "subject_aspect_qualifier": "expression",
        "subject_direction_qualifier": "increased",
    },
    "decreasedIn": {
        "predicate": "biolink:associated_with",
        "subject_aspect_qualifier": "expression",
        "subject_direction_qualifier": "decreased",
    },
    "contributesTo": {"predicate": "biolink:contributes_to"},
    # only limitations use it (a sole cause the text could not conclude), and they are no edges
    "soleCauseOf": {"predicate": "biolink:causes"},
    "locatedIn": {"predicate": "biolink:located_in"},
    # Biolink has no predicate for uptake into a cell; taking up a vesicle's cargo is a physical
    # interaction of the two (and an edge between kinds, which related_to_at_instance_level is not).
    "internalizedBy": {"predicate": "biolink:physically_interacts_with"},
    "sourceOf": {"predicate": "biolink:produces"},
    "exhibits": {"predicate": "biolink:has_phenotype"},
    "increasesEfficacyOf": {"predicate": "biolink:affects"},
}
# A claim direction the direct property does not already carry becomes an object direction.
DIRECTION_VALUE = {"increase": "increased", "decrease": "decreased"}

NODE_COLUMNS = ["id", "category", "name", "iri", "xref"]
EDGE_COLUMNS = [
    "id", "subject", "predicate", "object", "category", "qualified_predicate",
    "subject_aspect_qualifier", "subject_direction_qualifier",
    "object_aspect_qualifier", "object_direction_qualifier", "causal_mechanism_qualifier",
    "anatomical_context_qualifier", "disease_context_qualifier",
    "species_context_qualifier",
    "knowledge_level", "agent_type", "primary_knowledge_source", "publications", "supporting_text", "has_evidence",
    "original_subject", "original_predicate", "original_object",
]
HUMAN = "NCBITaxon:9606"  # data/reference/identifiers.tsv
# Identifiers that name human things: HGNC genes, human (hsa-) miRNAs; and a disease context,
# which in this paragraph is always patients' disease (MONDO names human diseases).
HUMAN_GENE_PREFIXES = {"HGNC"}
HUMAN_MIRNA_LABEL = "hsa-"
MULTI = "|"  # KGX TSV separator of multivalued fields


def node_id(c: Curation, eid: str) -> str:
    """The entity's confirmed external CURIE, or its local id."""
    return c.entities[eid].curie or f"{ENTITY_PREFIX}:{eid}"


def is_edge(s: Statement) -> bool:
    """A finding, hedged or not (limitations are not edges)."""
    return s.statement_type == "finding"


def knowledge_level(s: Statement) -> str:
    """Biolink's knowledge level: the hedge's marker."""
    return "prediction" if s.hedge else "knowledge_assertion"


def is_human(c: Curation, eid: str) -> bool:
    """The entity's identifier names a human thing (a human gene or miRNA)."""
    curie = c.entities[eid].curie
    if curie is None:
        return False
    if curie.split(":", 1)[0] in HUMAN_GENE_PREFIXES:
        return True
    term = c.reference.terms.get(curie)
    return term is not None and term.kind.endswith("mirna") and term.label.startswith(HUMAN_MIRNA_LABEL)


def species_context(c: Curation, s: Statement) -> str:
    """Human when the claim's nodes or its disease context say so; left empty otherwise (the
    text names no species for, e.g., its background statements about stem cells)."""
    nodes = [s.subject, s.object, *s.context.values()]
    return HUMAN if "disease" in s.context or any(is_human(c, n) for n in nodes) else ""


def _confirmed_works(c: Curation, s: Statement) -> list[str]:
    """The works a claim is confirmed to rest on: those its citation resolves to (ambiguous and
    unresolved references give none), or, without a citation, the work its source belongs to
    (a title is its own work's)."""
    if len(s.citation_numbers) == 1:
        ref = c.references.get(s.citation_numbers[0])
        return [ref.work] if ref is not None and ref.work else []
    if len(s.citation_numbers) > 1:
        return list(c.joints[s.citation].works) if s.citation in c.joints else []
    work = c.sources[s.source].work
    return [work] if work in c.works else []


def publications(c: Curation, s: Statement, merged: Merged | None = None) -> list[str]:
    """PMIDs and DOIs of the works the claim rests on, and, given the merged view, of those every
    other claim of its assertion rests on: an edge carries every publication that supports it."""
    claims = merged.assertion_of[s.id].evidence if merged is not None else (s,)
    found = set()
    for wid in {w for claim in claims for w in _confirmed_works(c, claim)}:
        w = c.works[wid]
        if w.pmid:
            found.add(f"PMID:{w.pmid}")
        if w.doi:
            found.add(f"doi:{w.doi}")
    return sorted(found)


def nodes(c: Curation) -> list[dict[str, str]]:
    rows = []
    for e in c.entities.values():
        rows.append({
            "id": node_id(c, e.id),
            "category": c.kinds[e.kind].biolink_category,
            "name": e.name,
            "iri": str(entity_iri(e.id)),
            "xref": MULTI.join(sorted(e.xrefs)),
        })
    return sorted(rows, key=lambda r: r["id"])


def edges(c: Curation) -> list[dict[str, str]]:
    rows = []
    merged = Merged.of(c)
    for s in c.statements:
        if not is_edge(s):
            continue
        direction = DIRECTION.get(s.direction) if s.direction else None
        prop = str(s.relation.direct_property(direction))
        local = prop[len(str(MIRKG)):]
        spec = dict(EDGE[local])
        if s.direction and not any(k.endswith("direction_qualifier") for k in spec):
            spec["object_direction_qualifier"] = DIRECTION_VALUE[s.direction]
        anatomy = [node_id(c, s.context[k]) for k in ("cell_type", "tissue") if k in s.context]
        row = {
            "id": f"{CLAIM_PREFIX}:{s.id}",
            "subject": node_id(c, s.subject),
            "object": node_id(c, s.object),
            "category": spec.pop("category", "biolink:Association"),
            **spec,
            "anatomical_context_qualifier": MULTI.join(anatomy),
            "disease_context_qualifier": node_id(c, s.context["disease"]) if "disease" in s.context else "",
            "species_context_qualifier": species_context(c, s),
            "knowledge_level": knowledge_level(s),
            "agent_type": "manual_agent",
            "primary_knowledge_source": str(DATASET),
            "publications": MULTI.join(publications(c, s, merged)),
            "supporting_text": _single(s.quote),
            "has_evidence": s.evidence if s.evidence.startswith("ECO:") else "",
            "original_subject": f"{ENTITY_PREFIX}:{s.subject}",
            "original_predicate": f"mirkg:{local}",
            "original_object": f"{ENTITY_PREFIX}:{s.object}",
        }
        rows.append(row)
    return sorted(rows, key=lambda r: r["id"])


def _single(value: str) -> str:
    """A value of a multivalued column that holds one value: it must not hold the separator."""
    if MULTI in value:
        raise ValueError(f"a KGX value holds the separator {MULTI!r}: {value!r}")
    return value


def tsv(rows: list[dict[str, str]], columns: list[str]) -> bytes:
    lines = ["\t".join(columns)]
    for row in rows:
        unknown = set(row) - set(columns)
        assert not unknown, unknown
        values = [row.get(col, "") for col in columns]
        for v in values:
            if any(ch in v for ch in "\t\r\n"):
                raise ValueError(f"a KGX value holds a tab or line break: {v!r}")
        lines.append("\t".join(values))
    return ("\n".join(lines) + "\n").encode("utf-8")


def kgx_files(build) -> dict[str, bytes]:
    c = build.curation
    return {
        "kgx/nodes.tsv": tsv(nodes(c), NODE_COLUMNS),
        "kgx/edges.tsv": tsv(edges(c), EDGE_COLUMNS),
    }

