"""Curated records -> instance triples.

Each claim is a node (n-ary pattern) carrying its parts, evidence, citation, hedge and the text
span it rests on; an unhedged finding is also written as one direct triple so that simple
queries stay simple. Every IRI is minted from a curated id, never from a blank node, so that
two builds give the same graph.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from rdflib import Graph, Literal, URIRef, namespace

from . import iris, namespaces
from .bulk import gc_paused
from .assertions import Merged
from .curation import Curation, Entity, Statement
from .sources import Source, release_text_path
from .iris import (
    activity_iri,
    agent_iri,
    annotation_iri,
    assertion_iri,
    claim_iri,
    conflict_iri,
    entity_iri,
    evidence_iri,
    joint_iri,
    reference_iri,
    release_file_iri,
    source_iri,
    span_iri,
    work_iri,
)
from .namespaces import PREFIXES, Terms
from .ontology import label_of

DCTERMS, RDF, RDFS, SKOS, XSD = (
    Terms(n) for n in (namespace.DCTERMS, namespace.RDF, namespace.RDFS, namespace.SKOS, namespace.XSD))
MIRKG, OA, PAV, PROV = (Terms(n) for n in (namespaces.MIRKG, namespaces.OA, namespaces.PAV, namespaces.PROV))

# Who is responsible for every node the curation makes (PROV's sense of attribution), and the
# activity that made them. The agents of data/citations.yaml are whom the text credits instead.
CURATORS, CURATORS_LABEL = iris.CURATORS_ID, iris.CURATORS_NAME  # the agent void.ttl and the nanopublications name too
CURATION = "curation"

DIRECTION = {"increase": MIRKG.Increase, "decrease": MIRKG.Decrease}
RELATED_PROPERTY = {"precursor": MIRKG.precursorXref, "gene": MIRKG.geneXref, "has_part": MIRKG.subunitXref}
CONTEXT_PROPERTY = {"cell_type": MIRKG.cellContext, "tissue": MIRKG.tissueContext, "disease": MIRKG.diseaseContext}
# A gene entity stands for the gene and its products; its UniProt record is the protein, a
# product of the gene rather than the same thing. Every other identifier names the same kind.
MATCH = {"uniprot": SKOS.relatedMatch}
QUOTE_CONTEXT = 32  # characters of oa:prefix / oa:suffix around a quote

# Literals recur: the same label, quote, offset or flag in every record (and every copy of a
# record) that has it, and making an rdflib Literal (casting, checking the lexical form) costs
# far more than finding it again. Bounded, and typed so that True and 1 stay apart.
_literal = lru_cache(maxsize=1 << 16, typed=True)(Literal)
# IRIs recur as well: the entities, sources, agents and works that every claim names. Made once
# each, they are one object rather than one per triple that names them (70 MB fewer at the
# benchmark's scale 1000, while the triples are held).
entity_iri, agent_iri, activity_iri, source_iri, work_iri, reference_iri, release_file_iri = (
    lru_cache(maxsize=1 << 16)(make) for make in (entity_iri, agent_iri, activity_iri, source_iri, work_iri,
                                                  reference_iri, release_file_iri))
_CACHED = (_literal, entity_iri, agent_iri, activity_iri, source_iri, work_iri, reference_iri, release_file_iri)


def _en(text: str) -> Literal:
    return _literal(text, lang="en")


def new_graph() -> Graph:
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def build_graph(curation: Curation, ontology: Graph) -> Graph:
    g = new_graph()
    _emit(g, curation, ontology)
    return g


class _Triples(list):
    """A sink with Graph.add's signature that only collects the triples (may repeat one)."""

    add = list.append


def triples_of(curation: Curation, ontology: Graph) -> list[tuple]:
    """The instance triples as a plain list (a triple may repeat), as the build emits them: it
    writes them as N-Triples for its store and SHACL, and need not pay rdflib's indexing per
    triple. build_graph gives the same triples in an rdflib graph."""
    triples = _Triples()
    _emit(triples, curation, ontology)
    return triples


@gc_paused()
def _emit(g, curation: Curation, ontology: Graph) -> None:
    try:
        for source in curation.sources.values():
            _source(g, curation, source)
        for entity in curation.entities.values():
            _entity(g, curation, entity)
        _citations(g, curation)
        for statement in curation.statements:
            _claim(g, curation, statement, ontology)
        _merged(g, curation, ontology)
    finally:
        # Kept past the build, the cached literals and IRIs would keep their memory pinned (scattered
        # over the heap, they stop it from shrinking once the triples are dropped).
        for cached in _CACHED:
            cached.cache_clear()


def _source(g: Graph, c: Curation, source: Source) -> None:
    node = source_iri(source.id)
    g.add((node, RDF.type, MIRKG.SourceText))
    if source.work == c.source_info.id:  # the review, known by its journal and date only
        info = c.source_info
        g.add((node, RDFS.label, _en(f"review {source.part} ({info.journal}, {info.year})")))
        g.add((node, DCTERMS.bibliographicCitation, _literal(f"{info.journal} ({info.year})")))
        g.add((node, DCTERMS.issued, _literal(info.published_online, datatype=XSD.date)))
        if info.note:
            g.add((node, MIRKG.curatorNote, _en(info.note)))
    else:
        work = c.works[source.work]
        first_author = work.authors.split(",")[0].split()[0]
        g.add((node, RDFS.label, _en(f"{source.part} of {first_author} et al. ({work.year})")))
        g.add((node, DCTERMS.isPartOf, work_iri(work.id)))
        if source.note:
            g.add((node, MIRKG.curatorNote, _en(source.note)))
    # the text itself, as the release ships it: what the spans' selectors select from
    g.add((node, DCTERMS.hasFormat, release_file_iri(release_text_path(source.id))))
    g.add((node, MIRKG.text, _literal(source.text.text)))
    g.add((node, MIRKG.sha256, _literal(source.text.sha256)))


def _entity(g: Graph, c: Curation, e: Entity) -> None:
    node = entity_iri(e.id)
    # The node is a concept standing for a kind (docs/modelling.md): typed by its mirkg class
    # only, and matched, never typed, to the external class or record of the kind.
    g.add((node, RDF.type, c.kinds[e.kind].iri))
    g.add((node, RDFS.label, _en(e.name)))
    g.add((node, SKOS.prefLabel, _en(e.name)))
    g.add((node, DCTERMS.identifier, _literal(e.id)))
    for label in e.written:
        g.add((node, MIRKG.labelAsWritten, _literal(label)))
    if e.curie:
        g.add((node, MIRKG.identifierStatus, MIRKG.Resolved))
        g.add((node, DCTERMS.identifier, _literal(e.curie)))
    else:
        g.add((node, MIRKG.identifierStatus, MIRKG.Unresolved))
        g.add((node, MIRKG.unresolvedBecause, _en(e.unresolved)))
    for curie in ([e.curie] if e.curie else []) + e.xrefs:
        iri = URIRef(c.reference.iri(curie))
        g.add((node, MIRKG.xref, iri))
        g.add((node, MATCH.get(curie.split(":", 1)[0], SKOS.exactMatch), iri))
    for kind, curies in e.related.items():
        for curie in curies:
            g.add((node, RELATED_PROPERTY[kind], URIRef(c.reference.iri(curie))))
    for part in e.parts:
        g.add((node, MIRKG.involves, entity_iri(part)))
    if e.change:
        g.add((node, MIRKG.direction, DIRECTION[e.change]))
    if e.note:
        g.add((node, MIRKG.curatorNote, _en(e.note)))


def _work_ids(c: Curation, g: Graph, node: URIRef, prefix: str, value: str | None) -> None:
    if value:
        curie = f"{prefix}:{value}"
        g.add((node, DCTERMS.identifier, _literal(curie)))
        g.add((node, MIRKG.xref, URIRef(c.reference.iri(curie))))


def _merged(g, c: Curation, ontology: Graph) -> None:
    """The assertions (what claims of several sources say alike), the works each claim traces
    back to, and the conflicts between claims (mirkg.assertions gives the rules)."""
    merged = Merged.of(c)
    for s in c.statements:
        for work in sorted(merged.works_of(s)):
            if work in c.works:  # an unidentified reference or the review itself is no work node
                g.add((claim_iri(s.id), MIRKG.tracesTo, work_iri(work)))
    for a in merged.assertions:
        node = assertion_iri(a.id)
        first = a.evidence[0]
        direction = DIRECTION.get(first.direction) if first.direction else None
        relation = label_of(ontology, first.relation.direct_property(direction))
        g.add((node, RDF.type, MIRKG.Assertion))
        g.add((node, RDFS.label, _en(f"{c.entities[a.subject].name} {relation} {c.entities[a.object].name}")))
        for s in a.evidence:
            g.add((node, MIRKG.supportedBy, claim_iri(s.id)))
        g.add((node, MIRKG.independentWorks, _literal(len(merged.independent_works(a)), datatype=XSD.nonNegativeInteger)))
        g.add((node, MIRKG.statedPlainly, _literal(a.stated_plainly)))
    for conflict in merged.conflicts:
        key = json.dumps([conflict.kind, conflict.first.id, conflict.second.id]).encode("utf-8")
        node = conflict_iri(f"{conflict.kind.replace(' ', '-')}-{hashlib.sha256(key).hexdigest()[:10]}")
        g.add((node, RDF.type, MIRKG.Conflict))
        g.add((node, RDFS.label, _en(f"{conflict.kind}: {conflict.first.id} and {conflict.second.id}")))
        g.add((node, MIRKG.conflictKind, _literal(conflict.kind)))
        g.add((node, RDFS.comment, _en(conflict.explanation)))
        for s in (conflict.first, conflict.second):
            g.add((node, MIRKG.conflictBetween, claim_iri(s.id)))


def _citations(g: Graph, c: Curation) -> None:
    for w in c.works.values():
        node = work_iri(w.id)
        g.add((node, RDF.type, MIRKG.Work))
        g.add((node, RDFS.label, _en(f"{w.authors.split(',')[0].split(' et al')[0]} et al. {w.year}")))
        g.add((node, DCTERMS.title, _en(w.title)))
        g.add((node, DCTERMS.creator, _literal(w.authors)))
        g.add((node, DCTERMS.bibliographicCitation, _literal(w.journal)))
        g.add((node, DCTERMS.date, _literal(str(w.year), datatype=XSD.gYear)))
        _work_ids(c, g, node, "doi", w.doi)
        _work_ids(c, g, node, "pubmed", w.pmid)
        _work_ids(c, g, node, "pmc", w.pmcid)
        if w.note:
            g.add((node, MIRKG.curatorNote, _en(w.note)))
    status = {"resolved": MIRKG.Resolved, "ambiguous": MIRKG.Ambiguous, "unresolved": MIRKG.Unresolved}
    for r in c.references.values():
        node = reference_iri(r.number)
        g.add((node, RDF.type, MIRKG.Reference))
        g.add((node, RDFS.label, _en(f"reference [{r.number}]")))
        g.add((node, MIRKG.referenceNumber, _literal(r.number)))
        g.add((node, MIRKG.citedAs, _literal(f"[{r.number}]")))
        g.add((node, MIRKG.identifierStatus, status[r.status]))
        if r.work:
            g.add((node, MIRKG.resolvesTo, work_iri(r.work)))
        for w in r.candidates:
            g.add((node, MIRKG.candidateWork, work_iri(w)))
        if r.note:
            g.add((node, MIRKG.curatorNote, _en(r.note)))
    cited = {s.citation: s.citation_numbers for s in c.statements if len(s.citation_numbers) > 1}
    for cited_as in sorted(set(cited) | set(c.joints)):
        numbers = c.joints[cited_as].numbers if cited_as in c.joints else cited[cited_as]
        works = c.joints[cited_as].works if cited_as in c.joints else []
        node = joint_iri(numbers)
        g.add((node, RDF.type, MIRKG.JointCitation))
        g.add((node, RDFS.label, _en(f"joint citation {cited_as}")))
        g.add((node, MIRKG.citedAs, _literal(cited_as)))
        for n in numbers:
            g.add((node, MIRKG.hasMember, reference_iri(n)))
        g.add((node, MIRKG.identifierStatus, MIRKG.Resolved if works else MIRKG.Unresolved))
        for w in works:
            g.add((node, MIRKG.resolvesTo, work_iri(w)))
        note = c.joints[cited_as].note if cited_as in c.joints else None
        if note:
            g.add((node, MIRKG.curatorNote, _en(note)))
    for a in c.agents.values():
        node = agent_iri(a.id)
        g.add((node, RDF.type, PROV.Agent))
        g.add((node, RDFS.label, _en(a.label)))
        if a.work:
            g.add((work_iri(a.work), PAV.authoredBy, node))
    curators, curation = agent_iri(CURATORS), activity_iri(CURATION)
    g.add((curators, RDF.type, PROV.Agent))
    g.add((curators, RDFS.label, _en(CURATORS_LABEL)))
    g.add((curation, RDF.type, PROV.Activity))
    g.add((curation, RDFS.label, _en("curation of the sources into claims")))
    g.add((curation, PROV.wasAssociatedWith, curators))
    for source in c.sources.values():
        g.add((curation, PROV.used, source_iri(source.id)))


def citation_node(s: Statement) -> URIRef | None:
    if not s.citation_numbers:
        return None
    if len(s.citation_numbers) == 1:
        return reference_iri(s.citation_numbers[0])
    return joint_iri(s.citation_numbers)


def _claim(g: Graph, c: Curation, s: Statement, ontology: Graph) -> None:
    node = claim_iri(s.id)
    subject, obj = entity_iri(s.subject), entity_iri(s.object)
    direction = DIRECTION.get(s.direction) if s.direction else None
    predicate = s.relation.direct_property(direction)
    predicate_label = label_of(ontology, predicate)
    hedged = s.hedge is not None

    g.add((node, RDF.type, MIRKG.Claim))
    if s.statement_type != "finding":
        g.add((node, RDF.type, MIRKG.Limitation))
    if s.statement_type == "conclusion_not_drawn":
        g.add((node, RDF.type, MIRKG.ConclusionNotDrawn))
    g.add((node, RDFS.label, _en(claim_label(c, s, predicate_label))))
    g.add((node, DCTERMS.identifier, _literal(s.id)))
    g.add((node, MIRKG.claimSubject, subject))
    g.add((node, MIRKG.claimRelation, s.relation.iri))
    g.add((node, MIRKG.claimObject, obj))
    if direction is not None:
        g.add((node, MIRKG.direction, direction))
    for key, value in s.context.items():
        g.add((node, CONTEXT_PROPERTY[key], entity_iri(value)))
    if s.via:
        g.add((node, MIRKG.via, entity_iri(s.via)))
    if s.subject_aspect:
        g.add((node, MIRKG.subjectAspect, _literal(s.subject_aspect)))
    g.add((node, MIRKG.isHedged, _literal(hedged)))
    if hedged:
        g.add((node, MIRKG.hedgeCue, _literal(s.hedge)))
    cited = citation_node(s)
    if cited is not None:
        g.add((node, MIRKG.hasCitation, cited))
        g.add((node, MIRKG.citedAs, _literal(s.citation)))
    else:
        g.add((node, MIRKG.sourceGivesNoCitation, _literal(True)))
    g.add((node, MIRKG.attributedInText, agent_iri(s.attributed_to)))
    g.add((node, PROV.wasAttributedTo, agent_iri(CURATORS)))
    g.add((node, PROV.wasGeneratedBy, activity_iri(CURATION)))
    g.add((node, PROV.wasDerivedFrom, source_iri(s.source)))
    if s.limits:
        g.add((node, MIRKG.limits, claim_iri(s.limits)))
    if s.note:
        g.add((node, MIRKG.curatorNote, _en(s.note)))

    evidence = evidence_iri(s.id)
    g.add((node, MIRKG.hasEvidence, evidence))
    g.add((evidence, RDF.type, MIRKG.Evidence))
    g.add((evidence, RDF.type, URIRef(c.reference.iri(s.evidence))))
    if cited is not None:
        g.add((evidence, MIRKG.evidenceSource, cited))

    _span(g, c, s, node)

    if not hedged and s.statement_type == "finding":
        g.add((subject, predicate, obj))


def claim_label(c: Curation, s: Statement, predicate_label: str) -> str:
    """Subject, relation and object, and what the text says of them: a conclusion it could not
    draw says so, a hedged claim keeps its hedge."""
    label = f"{c.entities[s.subject].name} {predicate_label} {c.entities[s.object].name}"
    if s.statement_type == "conclusion_not_drawn":
        return f"{label} (not concluded: \u201c{s.hedge}\u201d)" if s.hedge else f"{label} (not concluded)"
    return f"{label} (hedged: \u201c{s.hedge}\u201d)" if s.hedge else label


def _span(g: Graph, c: Curation, s: Statement, claim: URIRef) -> None:
    span, text = span_iri(s.id), c.sources[s.source].text.text
    position, quote = span_iri(s.id, "position"), span_iri(s.id, "quote")
    source = source_iri(s.source)
    g.add((claim, MIRKG.hasTextSpan, span))
    g.add((span, RDF.type, MIRKG.TextSpan))
    g.add((span, MIRKG.inSource, source))
    # The annotation source is the source text file of the release, which a client can fetch
    # and apply the selectors to.
    g.add((span, OA.hasSource, release_file_iri(release_text_path(s.source))))
    annotation = annotation_iri(s.id)
    g.add((annotation, RDF.type, OA.Annotation))
    g.add((annotation, OA.hasTarget, span))
    g.add((annotation, OA.hasBody, claim))
    g.add((annotation, OA.motivatedBy, OA.describing))
    g.add((annotation, DCTERMS.creator, agent_iri(CURATORS)))
    g.add((span, OA.hasSelector, position))
    g.add((span, OA.hasSelector, quote))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, _literal(s.span.start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, _literal(s.span.end, datatype=XSD.nonNegativeInteger)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, _literal(s.span.exact)))
    g.add((quote, OA.prefix, _literal(text[max(0, s.span.start - QUOTE_CONTEXT): s.span.start])))
    g.add((quote, OA.suffix, _literal(text[s.span.end: s.span.end + QUOTE_CONTEXT])))


