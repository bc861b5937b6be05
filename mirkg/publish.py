"""The release for triplestores: named graphs, dumps in every common syntax, the dataset
description (VoID + DCAT, HCLS profile) and the nanopublication view.

The dataset is split into three named graphs, each triple by the node it is about (its subject):

- https://w3id.org/mirkg/graph/ontology    the ontology and its import module;
- https://w3id.org/mirkg/graph/data        entities, claims (the n-ary claim nodes with all their
                                           links) and the direct triples (miRNA targets gene);
- https://w3id.org/mirkg/graph/provenance  what the claims rest on: text spans and selectors,
                                           evidence nodes, references and joint citations, works,
                                           agents and the source text.

The description (void.ttl) is loaded by `python build.py load` into a fourth graph,
https://w3id.org/mirkg/graph/description; it is not part of the dumps it describes.

Every file is written from sorted, canonical N-Triples/N-Quads (blank nodes labelled from their
structure), and every date comes from the release table below, never from the clock, so two
builds give the same bytes.
"""

from __future__ import annotations

import heapq
import json
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from . import __version__, iris
from .clock import Clock
from .curation import Curation
from .errors import BuildError
from .namespaces import MIRKG, PREFIXES, PROV
from .release import (
    LICENSE,
    Release,
    StagedTree,
    canonical,
    deterministic_gzip,
    graph_of_ntriples,
    sorted_ntriples,
)
from .shacl_report import format_report

GRAPH = Namespace("https://w3id.org/mirkg/graph/")
ONTOLOGY_GRAPH = GRAPH["ontology"]
DATA_GRAPH = GRAPH["data"]
PROVENANCE_GRAPH = GRAPH["provenance"]
DESCRIPTION_GRAPH = GRAPH["description"]
CONTENT_GRAPHS = (ONTOLOGY_GRAPH, DATA_GRAPH, PROVENANCE_GRAPH)

# The release date of each version of the dataset: the description's dcterms:issued and the
# nanopublications' dcterms:created come from here, so builds never read the clock. Add a line
# when mirkg.__version__ changes; the build stops if the current version has none.
RELEASE_DATES = {"0.1.0": "2026-11-26"}

DATASET = URIRef("https://w3id.org/mirkg/dataset")  # HCLS summary level (all versions)
CREATOR = "the mirkg contributors"
TITLE = "mirkg: microRNAs, mesenchymal stem cells and systemic lupus erythematosus"
DESCRIPTION = (
    "An RDF knowledge graph of the claims one paragraph of a 2021 review in Cellular & Molecular "
    "Immunology makes about how microRNAs act on mesenchymal stem cells in systemic lupus "
    "erythematosus. Every claim is anchored to the exact words of the source (offsets and quote), "
    "carries its citation, attribution, evidence and hedging, and links its entities to miRBase, "
    "HGNC, NCBI Gene, UniProt, CL, UBERON, GO and MONDO."
)
KEYWORDS = ("microRNA", "mesenchymal stem cell", "systemic lupus erythematosus", "knowledge graph",
            "curated claims", "provenance")

# Open namespaces (rdflib's DCAT and VOID are closed and warn on DCAT 3 terms such as dcat:version).
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
NP = Namespace("http://www.nanopub.org/nschema#")
PAV = Namespace("http://purl.org/pav/")
DCTYPES = Namespace("http://purl.org/dc/dcmitype/")
IDOT = Namespace("http://identifiers.org/idot/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

DESCRIPTION_PREFIXES = {
    "dcat": str(DCAT), "dcterms": str(DCTERMS), "void": str(VOID), "pav": str(PAV), "dctypes": str(DCTYPES),
    "idot": str(IDOT), "sd": str(SD), "xsd": str(XSD), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL),
    "mirkg": str(MIRKG), "mirkgid": iris.BASE, "mirkgraph": str(GRAPH), "prov": str(PROV),
}
NANOPUB_PREFIXES = {**PREFIXES, "np": str(NP), "pav": str(PAV), "mirkgraph": str(GRAPH)}

# Claim links that say where a claim comes from rather than what it says: in a claim's
# nanopublication they go to the provenance graph, not the assertion.
CLAIM_PROVENANCE_PREDICATES = {
    MIRKG.hasTextSpan, MIRKG.hasEvidence, MIRKG.hasCitation, MIRKG.citedAs, MIRKG.sourceGivesNoCitation,
    PROV.wasAttributedTo, PROV.wasDerivedFrom,
}

# The release's files: name -> (media type, what it holds). The description lists them as
# distributions; `dist/` holds each of them.
DUMPS = {
    "mirkg.trig": ("application/trig", "the dataset as three named graphs (ontology, data, provenance), TriG"),
    "mirkg.nq": ("application/n-quads", "the dataset as three named graphs (ontology, data, provenance), N-Quads, sorted"),
    "mirkg-all.ttl": ("text/turtle", "the whole dataset (ontology, data, provenance) in one graph, Turtle"),
    "mirkg-all.nt": ("application/n-triples", "the whole dataset in one graph, N-Triples, sorted"),
    "mirkg-all.nt.gz": ("application/n-triples", "the whole dataset in one graph, sorted N-Triples, gzip-compressed"),
    "mirkg-all.jsonld": ("application/ld+json", "the whole dataset in one graph, JSON-LD using context.jsonld"),
    "mirkg.ttl": ("text/turtle", "the instance data (data and provenance graphs), Turtle"),
    "mirkg.nt": ("application/n-triples", "the instance data (data and provenance graphs), N-Triples, sorted"),
    "ontology.ttl": ("text/turtle", "the ontology with its import module merged in (no owl:imports left), Turtle"),
    "ontology.nt": ("application/n-triples", "the ontology with its import module, N-Triples, sorted"),
    "ontology.owl": ("application/rdf+xml", "the ontology with its import module merged in (no owl:imports left), RDF/XML for OWL tools"),
    "mirkg-base.owl": ("application/rdf+xml", "the ontology's own axioms only, external terms declared: the module to import, RDF/XML"),
    "mirkg-full.owl": ("application/rdf+xml", "the ontology with its import module merged in and the classification HermiT infers asserted, RDF/XML"),
    "nanopubs.trig": ("application/trig", "every claim as an unsigned nanopublication (head, assertion, provenance, pubinfo), TriG"),
}
# The files that hold the whole dataset (void:dataDump).
WHOLE_DUMPS = ("mirkg.nq", "mirkg.trig", "mirkg-all.nt", "mirkg-all.nt.gz", "mirkg-all.ttl", "mirkg-all.jsonld")
CONTEXT_FILE = "context.jsonld"
DESCRIPTION_FILE = "void.ttl"


@dataclass(frozen=True)
class Split:
    """The dataset as named graphs: graph IRI -> its sorted N-Triples lines (bytes, no newline)."""

    graphs: dict[URIRef, list[bytes]]

    def whole(self) -> list[bytes]:
        """The union of the graphs, sorted (a triple in two graphs appears once): a merge of the
        graphs' sorted lines, without a set of them all."""
        merged: list[bytes] = []
        for line in heapq.merge(*self.graphs.values()):
            if not merged or merged[-1] != line:
                merged.append(line)
        return merged

    def nquads(self):
        """The N-Quads lines of every graph, sorted, each with its newline."""
        return sorted(b"%s <%s> .\n" % (ln[:-1].rstrip(), str(g).encode()) for g in CONTENT_GRAPHS
                      for ln in self.graphs[g])


def release_date() -> str:
    if __version__ not in RELEASE_DATES:
        raise BuildError(
            f"mirkg version {__version__} has no release date; add it to RELEASE_DATES in mirkg/publish.py"
        )
    return RELEASE_DATES[__version__]


def version_iri() -> URIRef:
    return URIRef(f"{DATASET}/{__version__}")


def download_url(name: str) -> URIRef:
    """Where a release file is published: the version's folder under the project's namespace."""
    return URIRef(f"https://w3id.org/mirkg/release/{__version__}/{name}")


# ------------------------------------------------------------------------------------------------
# Named graphs


def graph_of(subject: str, parsed: iris.Parsed | None = None) -> URIRef:
    """The named graph an instance triple belongs to, decided by its subject (and the subject's
    parts, when the caller has them already)."""
    parsed = parsed or iris.parse(subject)
    if parsed is None:
        raise BuildError(f"instance triple about {subject}, outside {iris.BASE}: publish.graph_of does not know its graph")
    if parsed.kind == "entity" or (parsed.kind == "claim" and not parsed.part):
        return DATA_GRAPH
    if parsed.kind in ("claim", "reference", "citation", "work", "agent", "source"):
        return PROVENANCE_GRAPH
    raise BuildError(f"instance node {subject} is of an unknown kind '{parsed.kind}'; publish.graph_of must place it")


def _with_subjects(lines):
    """Each instance line with its subject and the subject's parts (mirkg.iris.parse), parsed
    once per subject: the lines are sorted, so a subject's lines come together. Instance
    subjects are IRIs (never blank nodes), so a line's subject is the IRI it starts with."""
    last, subject, parsed = None, "", None
    for line in lines:
        raw = line[1:line.index(b">")]
        if raw != last:
            last, subject = raw, raw.decode("utf-8")
            parsed = iris.parse(subject)
        yield subject, parsed, line


def split_graphs(ontology_nt: bytes, data_nt: bytes) -> Split:
    """The release's sorted N-Triples, split by subject into the data and provenance graphs;
    the ontology in its own."""
    parts: dict[URIRef, list[bytes]] = {DATA_GRAPH: [], PROVENANCE_GRAPH: []}
    for subject, parsed, line in _with_subjects(data_nt.splitlines()):
        parts[graph_of(subject, parsed)].append(line)
    return Split({ONTOLOGY_GRAPH: ontology_nt.splitlines(), **parts})


def _parsed(ntriples: bytes):
    return (q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))


def _line_chunks(lines: list[bytes], size: int = 1 << 16):
    """The lines as N-Triples text, a chunk per `size` lines (never all of it at once)."""
    for start in range(0, len(lines), size):
        yield b"".join(ln + b"\n" for ln in lines[start:start + size])


def _parsed_lines(lines: list[bytes]):
    """The triples of N-Triples lines, parsed a chunk at a time. A blank node's label is the
    chunk's own to the parser, but keeps its text: the same label is the same node throughout."""
    for chunk in _line_chunks(lines):
        yield from _parsed(chunk)


def _gzip_file(lines: list[bytes], path: Path) -> None:
    with open(path, "wb") as out:
        deterministic_gzip(_line_chunks(lines), out)


def _bound(graph, prefixes: dict[str, str]):
    for prefix, ns in prefixes.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def turtle_of(ntriples: bytes, prefixes: dict[str, str]) -> bytes:
    """Turtle written by rdflib (IRIs that would need escapes in a prefixed name stay whole);
    blank nodes get canonical labels first, so the bytes do not change between runs."""
    out = _bound(Graph(), prefixes)
    for triple in canonical(graph_of_ntriples(ntriples)):
        out.add(triple)
    return out.serialize(format="turtle", encoding="utf-8")


def turtle_of_lines(lines: list[bytes], prefixes: dict[str, str], out: Path) -> None:
    """Turtle written by Oxigraph, a line at a time in the given (sorted) order: linear in the
    data, where rdflib's Turtle writer took most of a large build. Blank nodes keep the labels
    of the N-Triples (canonical for the ontology's), so the bytes do not change between runs."""
    ox.serialize(_parsed_lines(lines), out, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def trig_of(split: Split, prefixes: dict[str, str], out: Path) -> None:
    """TriG of the named graphs, in graph IRI order, each graph's triples sorted (Oxigraph)."""
    def quads():
        for name in sorted(split.graphs):
            graph = ox.NamedNode(str(name))
            for t in _parsed_lines(split.graphs[name]):
                yield ox.Quad(t.subject, t.predicate, t.object, graph)

    ox.serialize(quads(), out, format=ox.RdfFormat.TRIG, prefixes=prefixes)


# ------------------------------------------------------------------------------------------------
# JSON-LD


def jsonld_context() -> dict:
    """The published context: the project's prefixes. dist/context.jsonld holds it."""
    return {"@context": {prefix: ns for prefix, ns in sorted(PREFIXES.items())}}


def jsonld(whole: list[bytes], out: Path) -> None:
    """The whole dataset as JSON-LD, node objects in expanded form (written by Oxigraph, node by
    node, in subject order), in a document whose @context is the published context file, so
    that a JSON-LD processor compacts it with the project's prefixes on request."""
    with open(out, "wb") as file:
        file.write(b'{"@context": "%s",\n"@graph": ' % CONTEXT_FILE.encode())
        ox.serialize(_parsed_lines(whole), file, format=ox.RdfFormat.JSON_LD)
        file.write(b"}\n")


# ------------------------------------------------------------------------------------------------
# The dataset description: VoID + DCAT, HCLS dataset description profile


def _external_datasets(curation: Curation) -> dict[str, str]:
    """prefix -> IRI prefix of every external dataset in the checked prefix table."""
    return dict(curation.reference.prefixes)


def _external_prefix(iri: str, externals: dict[str, str]) -> str | None:
    best = None
    for prefix, ns in externals.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(externals[best])):
            best = prefix
    return best


def _local(iri: str) -> str:
    for prefix, ns in sorted({**PREFIXES, **DESCRIPTION_PREFIXES}.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}_{iri[len(ns):]}"
    raise BuildError(f"no prefix for {iri} in the dataset description's prefix table")


def _count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query)))[0].value)


def statistics(split: Split, store: ox.Store, curation: Curation) -> dict:
    """The counts the description gives, computed from the dataset itself: the release's store
    holds the whole dataset (ontology and instance data) in its default graph."""
    classes = {row[0].value: int(row[1].value) for row in store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c")}
    properties = {row[0].value: int(row[1].value) for row in store.query(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")}
    externals = _external_datasets(curation)
    links: Counter = Counter()
    # Links from the dataset's own IRIs (ontology terms and instance nodes) to external IRIs,
    # counted per predicate and object by the store.
    for row in store.query(f"SELECT ?p ?o (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o) "
                           f"&& STRSTARTS(STR(?s), \"{MIRKG}\") && !STRSTARTS(STR(?o), \"{MIRKG}\")) }} "
                           "GROUP BY ?p ?o"):
        prefix = _external_prefix(row[1].value, externals)
        if prefix is not None:
            links[(prefix, row[0].value)] += int(row[2].value)
    return {
        "triples": _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        "graphs": {g: len(split.graphs[g]) for g in CONTENT_GRAPHS},
        "classes": dict(sorted(classes.items())),
        "properties": dict(sorted(properties.items())),
        "distinct_subjects": _count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        "distinct_objects": _count(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        "entities": _count(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o "
                                  f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{iris.BASE}\")) }}"),
        "links": dict(sorted(links.items())),
        "externals": externals,
        "claims": len(curation.statements),
    }


def description(stats: dict, curation: Curation, sizes: dict[str, int]) -> Graph:
    g = Graph()
    for prefix, ns in DESCRIPTION_PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    issued = Literal(release_date(), datatype=XSD.date)
    version = version_iri()
    title, desc = Literal(TITLE, lang="en"), Literal(DESCRIPTION, lang="en")

    # Summary level: the dataset across versions.
    g.add((DATASET, RDF.type, DCTYPES.Dataset))
    g.add((DATASET, DCTERMS.title, title))
    g.add((DATASET, DCTERMS.description, desc))
    g.add((DATASET, DCTERMS.license, LICENSE))
    g.add((DATASET, DCTERMS.creator, Literal(CREATOR)))
    g.add((DATASET, PAV.hasCurrentVersion, version))
    g.add((DATASET, IDOT.preferredPrefix, Literal("mirkgid")))

    # Version level: this release, with its statistics (a void:Dataset as well, so that VoID
    # tools find the counts on the node they load).
    for cls in (DCTYPES.Dataset, DCAT.Dataset, VOID.Dataset):
        g.add((version, RDF.type, cls))
    g.add((version, DCTERMS.title, Literal(f"{TITLE} (version {__version__})", lang="en")))
    g.add((version, DCTERMS.description, desc))
    g.add((version, DCTERMS.isVersionOf, DATASET))
    g.add((version, PAV.version, Literal(__version__)))
    g.add((version, DCAT.version, Literal(__version__)))  # DCAT 3
    g.add((version, OWL.versionInfo, Literal(__version__)))
    g.add((version, DCTERMS.issued, issued))
    g.add((version, DCTERMS.license, LICENSE))
    g.add((version, DCTERMS.creator, Literal(CREATOR)))
    g.add((version, DCTERMS.language, URIRef("http://lexvo.org/id/iso639-3/eng")))
    g.add((version, DCTERMS.source, iris.source_iri(curation.source_info.id)))
    g.add((version, DCTERMS.conformsTo, URIRef("https://w3id.org/mirkg/ontology")))
    for keyword in KEYWORDS:
        g.add((version, DCAT.keyword, Literal(keyword, lang="en")))
    g.add((version, VOID.vocabulary, URIRef(str(MIRKG))))
    g.add((version, VOID.uriSpace, Literal(iris.BASE)))
    g.add((version, VOID.triples, Literal(stats["triples"], datatype=XSD.integer)))
    g.add((version, VOID.entities, Literal(stats["entities"], datatype=XSD.integer)))
    g.add((version, VOID.distinctSubjects, Literal(stats["distinct_subjects"], datatype=XSD.integer)))
    g.add((version, VOID.distinctObjects, Literal(stats["distinct_objects"], datatype=XSD.integer)))
    g.add((version, VOID.classes, Literal(len(stats["classes"]), datatype=XSD.integer)))
    g.add((version, VOID.properties, Literal(len(stats["properties"]), datatype=XSD.integer)))
    g.add((version, VOID.exampleResource, iris.claim_iri(curation.statements[0].id)))

    # Named graphs: each a subset with its own count.
    names = {ONTOLOGY_GRAPH: "the ontology and its import module",
             DATA_GRAPH: "entities, claims and direct triples",
             PROVENANCE_GRAPH: "text spans, selectors, evidence, references, works, agents and the source"}
    for graph_iri in CONTENT_GRAPHS:
        g.add((version, VOID.subset, graph_iri))
        g.add((graph_iri, RDF.type, VOID.Dataset))
        g.add((graph_iri, RDF.type, SD.NamedGraph))
        g.add((graph_iri, SD.name, graph_iri))
        g.add((graph_iri, DCTERMS.title, Literal(f"mirkg named graph: {names[graph_iri]}", lang="en")))
        g.add((graph_iri, VOID.triples, Literal(stats["graphs"][graph_iri], datatype=XSD.integer)))

    # Class and property partitions.
    for cls, count in stats["classes"].items():
        node = URIRef(f"{version}/class/{_local_or_external(cls, stats['externals'])}")
        g.add((version, VOID.classPartition, node))
        g.add((node, VOID["class"], URIRef(cls)))
        g.add((node, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in stats["properties"].items():
        node = URIRef(f"{version}/property/{_local_or_external(prop, stats['externals'])}")
        g.add((version, VOID.propertyPartition, node))
        g.add((node, VOID.property, URIRef(prop)))
        g.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))

    # Linksets: triples from the dataset's own nodes to an external dataset's IRIs.
    for (prefix, predicate), count in stats["links"].items():
        target = URIRef(f"https://bioregistry.io/registry/{prefix.lower()}")
        node = URIRef(f"{version}/linkset/{prefix}/{_local(predicate)}")
        g.add((version, VOID.subset, node))
        g.add((node, RDF.type, VOID.Linkset))
        g.add((node, VOID.subjectsTarget, version))
        g.add((node, VOID.objectsTarget, target))
        g.add((node, VOID.linkPredicate, URIRef(predicate)))
        g.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.identifier, Literal(prefix)))
        g.add((target, VOID.uriSpace, Literal(stats["externals"][prefix])))

    # Distributions: the release's files with their media types and sizes.
    for name, (media, what) in DUMPS.items():
        node = URIRef(f"{version}/distribution/{name}")
        url = download_url(name)
        g.add((version, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(name)))
        g.add((node, DCTERMS.description, Literal(what, lang="en")))
        g.add((node, DCTERMS.format, URIRef(f"http://www.iana.org/assignments/media-types/{media}")))
        g.add((node, DCAT.mediaType, URIRef(f"http://www.iana.org/assignments/media-types/{media}")))
        g.add((node, DCAT.downloadURL, url))
        g.add((node, DCAT.byteSize, Literal(sizes[name], datatype=XSD.nonNegativeInteger)))
        g.add((node, DCTERMS.license, LICENSE))
        g.add((node, DCTERMS.issued, issued))
        if name.endswith(".gz"):
            g.add((node, DCAT.compressFormat, URIRef("http://www.iana.org/assignments/media-types/application/gzip")))
        if name in WHOLE_DUMPS:
            g.add((version, VOID.dataDump, url))
    return g


def _local_or_external(iri: str, externals: dict[str, str]) -> str:
    prefix = _external_prefix(iri, externals)
    if prefix is not None:
        return f"{prefix}_{iri[len(externals[prefix]):]}"
    return _local(iri)


# ------------------------------------------------------------------------------------------------
# Nanopublications


_ENTITY = str(iris.entity_iri("")).encode()
_PROVENANCE_PREDICATES = {f"<{p}>".encode() for p in CLAIM_PROVENANCE_PREDICATES}
_NT = {name: f"<{term}>".encode() for name, term in {
    "type": RDF.type, "Nanopublication": NP.Nanopublication, "hasAssertion": NP.hasAssertion,
    "hasProvenance": NP.hasProvenance, "hasPublicationInfo": NP.hasPublicationInfo,
    "wasDerivedFrom": PROV.wasDerivedFrom, "wasAttributedTo": PROV.wasAttributedTo,
    "created": DCTERMS.created, "license": DCTERMS.license, "creator": DCTERMS.creator,
    "isPartOf": DCTERMS.isPartOf, "label": RDFS.label, "claimSubject": MIRKG.claimSubject,
    "claimObject": MIRKG.claimObject, "hasTextSpan": MIRKG.hasTextSpan}.items()}


def _terms(line: bytes) -> tuple[bytes, bytes, bytes]:
    """Subject, predicate and object of an N-Triples line whose subject and predicate are IRIs
    (as every instance triple's are), in their N-Triples form."""
    subject, predicate, rest = line.split(b" ", 2)
    return subject, predicate, rest[:-2].rstrip()


def nanopublications(split: Split, curation: Curation) -> bytes:
    """Each claim as an unsigned nanopublication: head, assertion, provenance and pubinfo graphs.

    Assertion: what the claim says (the claim node's own triples, and its direct triple when
    the claim has one). Provenance: where it comes from (the claim's span, selectors, evidence,
    citation and attribution; the assertion graph derived from the span and attributed to the
    agent the text names). Pubinfo: licence, creator, creation date, the dataset version.

    Made as N-Quads text in one pass over the release's lines: a claim's own node and the nodes
    minted under it (evidence, span, selectors) are found by their IRIs (mirkg/iris.py). The
    quads are in graph, subject, predicate, object order (claims by id: their graphs' IRIs sort
    as the ids do, since `#` sorts before any character of an id), which Oxigraph writes as TriG,
    so that the bytes do not change between runs. No blank nodes here."""
    of_claim: dict[str, list[bytes]] = defaultdict(list)
    between: dict[tuple[bytes, bytes], list[bytes]] = defaultdict(list)
    for graph in (DATA_GRAPH, PROVENANCE_GRAPH):
        for _, parsed, line in _with_subjects(split.graphs[graph]):
            if parsed.kind == "claim":
                of_claim[parsed.record].append(line)
            elif parsed.kind == "entity" and line.count(_ENTITY) >= 2:
                subject, _, obj = _terms(line)
                between[(subject, obj)].append(line)
    created = Literal(f"{release_date()}T00:00:00Z", datatype=XSD.dateTime).n3().encode()
    pubinfo_lines = (
        (_NT["created"], created),
        (_NT["license"], f"<{LICENSE}>".encode()),
        (_NT["creator"], Literal(CREATOR).n3().encode()),
        (_NT["isPartOf"], f"<{version_iri()}>".encode()),
    )
    out: list[bytes] = []
    for s in sorted(curation.statements, key=lambda s: s.id):
        claim, np = f"<{iris.claim_iri(s.id)}>".encode(), f"<{iris.nanopub_iri(s.id)}>".encode()
        head, assertion, prov, pubinfo = (b"%s#%s>" % (np[:-1], part)
                                          for part in (b"Head", b"assertion", b"provenance", b"pubinfo"))
        graphs: dict[bytes, set[bytes]] = {head: set(), assertion: set(), prov: set(), pubinfo: set()}
        graphs[head].update({b"%s %s %s" % (np, _NT["type"], _NT["Nanopublication"]),
                             b"%s %s %s" % (np, _NT["hasAssertion"], assertion),
                             b"%s %s %s" % (np, _NT["hasProvenance"], prov),
                             b"%s %s %s" % (np, _NT["hasPublicationInfo"], pubinfo)})
        values: dict[bytes, bytes] = {}
        for line in of_claim[s.id]:
            subject, predicate, obj = _terms(line)
            if subject == claim:
                values.setdefault(predicate, obj)
                graph = prov if predicate in _PROVENANCE_PREDICATES else assertion
            else:  # its evidence, span and selectors
                graph = prov
            graphs[graph].add(b"%s %s %s" % (subject, predicate, obj))
        if not s.hedge and s.statement_type == "finding":
            pair = (values[_NT["claimSubject"]], values[_NT["claimObject"]])
            graphs[assertion].update(line[:-2].rstrip() for line in between[pair])
        graphs[prov].update({b"%s %s %s" % (assertion, _NT["wasDerivedFrom"], values[_NT["hasTextSpan"]]),
                             b"%s %s %s" % (assertion, _NT["wasAttributedTo"], values[_NT["wasAttributedTo"]])})
        label = Literal(f"nanopublication of claim {s.id}").n3().encode()
        graphs[pubinfo].update(b"%s %s %s" % (np, p, o) for p, o in (*pubinfo_lines, (_NT["label"], label)))
        for graph in sorted(graphs):
            out += [b"%s %s .\n" % (triple, graph) for triple in sorted(graphs[graph])]
    # Oxigraph writes a prefixed name even when its local part needs escapes
    # (mirkg:id\/np\/x\#Head), so the project's own namespaces, which prefix those IRIs, stay whole.
    prefixes = {k: v for k, v in NANOPUB_PREFIXES.items() if not v.startswith(str(MIRKG))}
    return ox.serialize(ox.parse(b"".join(out), format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG,
                        prefixes=prefixes)


# ------------------------------------------------------------------------------------------------
# All the files


def write_release(release: Release, dist: Path, started: float) -> None:
    """dist/, every file made from the release object, written into a staging folder that
    replaces dist/ in one step when all are written. Each file's time goes into timings.json."""
    from .docs import OntologyDocs
    from .kgx import kgx_files
    from .mappings import mapping_files
    from .queries import answer_as_tsv, catalog_turtle
    from .resource_pages import linked_data_files
    from .site import site_files

    clock = Clock(release.timings)
    docs = OntologyDocs(release.ontology)  # pyLODE, in a child process, while the rest is written
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gzip")
    try:
        with StagedTree(dist) as tree:
            def put(files: dict[str, bytes], stage: str) -> None:
                for name, content in files.items():
                    tree.write(name, content)
                clock.lap(f"release: {stage}")

            put({"mirkg.nt": release.data_nt, "ontology.nt": release.ontology_nt}, "N-Triples")
            tree.write_with("mirkg.ttl", lambda path: ox.serialize(
                _parsed(release.data_nt), path, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
            clock.lap("release: Turtle")
            put({"validation-report.txt": format_report(list(release.results)).encode("utf-8")}, "validation report")
            answers = {}
            for query in release.queries:
                answer = release.answers[query.name]
                suffix = {"SELECT": "tsv", "ASK": "txt"}.get(answer.form, "nt")
                answers[f"queries/{query.name}.{suffix}"] = answer_as_tsv(answer).encode("utf-8")
            answers["queries/catalog.ttl"] = catalog_turtle(list(release.queries)).encode("utf-8")
            put(answers, "stored queries' answers and catalogue")
            put(mapping_files(list(release.mapping_sets)), "mappings")
            put(kgx_files(release), "KGX")
            split = split_graphs(release.ontology_nt, release.data_nt)
            clock.lap("release: split by graph")
            put({"build-report.md": build_report(release).encode("utf-8")}, "build report")
            tree.write("mirkg.nq", split.nquads())
            clock.lap("release: N-Quads")
            trig_prefixes = {**PREFIXES, "mirkgraph": str(GRAPH)}
            tree.write_with("mirkg.trig", partial(trig_of, split, trig_prefixes))
            clock.lap("release: TriG")
            whole = split.whole()
            tree.write("mirkg-all.nt", _line_chunks(whole))
            # gzip in a thread (zlib works without Python's lock) while the rest is written.
            gzipped = pool.submit(tree.write_with, "mirkg-all.nt.gz", partial(_gzip_file, whole))
            clock.lap("release: whole N-Triples")
            tree.write_with("mirkg-all.ttl", partial(turtle_of_lines, whole, PREFIXES))
            clock.lap("release: whole Turtle")
            tree.write_with("mirkg-all.jsonld", partial(jsonld, whole))
            put({CONTEXT_FILE: (json.dumps(jsonld_context(), indent=2, sort_keys=True) + "\n").encode("utf-8")},
                "JSON-LD")
            gzipped.result()
            clock.lap("release: whole N-Triples gzipped (waited for)")
            del whole
            put(dict(release.owl_files), "OWL artefacts")
            put({"nanopubs.trig": nanopublications(split, release.curation)}, "nanopublications")
            missing = [name for name in DUMPS if name not in tree.sizes]
            if missing:
                raise BuildError(f"the description lists files the release does not have: {', '.join(missing)}")
            stats = statistics(split, release.store, release.curation)
            void = description(stats, release.curation, tree.sizes)
            put({DESCRIPTION_FILE: turtle_of(sorted_ntriples(void), DESCRIPTION_PREFIXES)}, "VoID description")
            put(site_files(release, void), "dataset page")  # its Dataset JSON-LD is read from the description
            docs_html = docs.result()
            put({"docs/index.html": docs_html}, "ontology documentation (pyLODE, waited for)")
            for name, content in linked_data_files(release.data_nt, release.ontology_nt, sorted_ntriples(void),
                                                    docs_html.decode("utf-8")):
                tree.write(name, content)  # one at a time: a large release's documents are never held at once
            clock.lap("release: Linked Data (a document and a page per record, .htaccess)")
            tree.write("SHA256SUMS", tree.sums())  # every file above; timings.json varies from run to run
            release.timings["total before the swap"] = round(time.perf_counter() - started, 4)
            tree.write("timings.json", (json.dumps(release.timings, indent=2) + "\n").encode("utf-8"))
            tree.commit()
    finally:
        pool.shutdown(cancel_futures=True)
        docs.cancel()


def build_report(release: Release) -> str:
    c = release.curation
    kinds = Counter(e.kind for e in c.entities.values())
    unresolved = sorted(e.id for e in c.entities.values() if e.curie is None)
    hedged = [s for s in c.statements if s.hedge]
    lines = [
        f"# mirkg build report (version {__version__})",
        "",
        f"- source: data/source/review.txt, sha256 {c.source.sha256}",
        f"- statements: {len(c.statements)} ({len(hedged)} hedged, "
        f"{sum(s.statement_type == 'limitation' for s in c.statements)} limitations, "
        f"{sum(s.citation is None for s in c.statements)} without a reference number)",
        f"- entities: {len(c.entities)} ({len(c.entities) - len(unresolved)} with a confirmed identifier, "
        f"{len(unresolved)} unresolved)",
        "- entities by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())),
        f"- references: {len(c.references)} ("
        + ", ".join(f"{s} {n}" for s, n in sorted(Counter(r.status for r in c.references.values()).items())) + ")",
        f"- triples: {release.triple_count} instance, {release.ontology_triple_count} ontology "
        "(with its import module and mapping links)",
        "",
        "## Unresolved entities",
        "",
        *(f"- {eid}: {c.entities[eid].unresolved}" for eid in unresolved),
        "",
        "## Validation",
        "",
        f"{len(release.violations)} violation(s), "
        f"{sum(r.severity == 'Warning' for r in release.results)} warning(s); details in validation-report.txt.",
        "",
        *(f"- {r.severity}: {r.record or r.focus}: {r.message}" for r in release.results),
        "",
        "## OWL reasoning",
        "",
        release.reasoning,
        "",
        "## Stored queries",
        "",
        "| query | question | answer |",
        "|---|---|---|",
    ]
    for q in release.queries:
        a = release.answers[q.name]
        size = {"ASK": str(a.boolean).lower(), "SELECT": f"{len(a.rows)} row(s)"}.get(a.form, f"{len(a.triples)} triple(s)")
        example = " ".join(f"{k}={v}" for k, v in q.example.items())
        lines.append(f"| {q.name}{' (' + example + ')' if example else ''} | {q.question} | {size} |")
    lines += ["", "Stage timings vary from run to run, so they are kept out of this file: see timings.json.", ""]
    return "\n".join(lines)
