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

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from . import __version__
from .curation import Curation
from .errors import BuildError
from .namespaces import ID, MIRKG, PREFIXES, PROV
from .release import canonical, deterministic_gzip, graph_of_ntriples, sorted_ntriples
from .triples import claim_iri, source_iri

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
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
CREATOR = "the mirkg contributors"
TITLE = "mirkg: microRNAs, mesenchymal stem cells and systemic lupus erythematosus"
DESCRIPTION = (
    "An RDF knowledge graph of the claims one paragraph of a 2021 review in Cellular & Molecular "
    "Immunology makes about how microRNAs act on mesenchymal stem cells in systemic lupus "
    "erythematosus. Every claim is anchored to the exact words of the source (offsets and quote), "
    "carries its citation, attribution, evidence and hedging, and links its entities to miRBase, "
    "HGNC, NCBI Gene, UniProt, CL, UBERON, GO and MONDO."
)

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
    "mirkg": str(MIRKG), "mirkgid": str(ID), "mirkgraph": str(GRAPH), "prov": str(PROV),
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


@dataclass
class Split:
    """The dataset as named graphs: graph IRI -> sorted canonical N-Triples."""

    graphs: dict[URIRef, bytes]

    def lines(self, graph: URIRef) -> list[str]:
        return self.graphs[graph].decode("utf-8").splitlines()

    def whole(self) -> bytes:
        """The union of the graphs as sorted N-Triples (a triple in two graphs appears once)."""
        lines = sorted({ln for g in CONTENT_GRAPHS for ln in self.lines(g)})
        return ("\n".join(lines) + "\n").encode("utf-8")

    def nquads(self) -> bytes:
        lines = sorted(f"{ln[:-1].rstrip()} <{g}> ." for g in CONTENT_GRAPHS for ln in self.lines(g))
        return ("\n".join(lines) + "\n").encode("utf-8")


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


def graph_of(subject) -> URIRef:
    """The named graph an instance triple belongs to, decided by its subject."""
    iri = str(subject)
    if not iri.startswith(str(ID)):
        raise BuildError(f"instance triple about {iri}, outside {ID}: publish.graph_of does not know its graph")
    kind, *rest = iri[len(str(ID)):].split("/")
    if kind == "entity" or (kind == "claim" and len(rest) == 1):
        return DATA_GRAPH
    if kind in ("claim", "reference", "citation", "work", "agent", "source"):
        return PROVENANCE_GRAPH
    raise BuildError(f"instance node {iri} is of an unknown kind '{kind}'; publish.graph_of must place it")


def split_graphs(ontology: Graph, data: Graph) -> Split:
    parts = {DATA_GRAPH: Graph(), PROVENANCE_GRAPH: Graph()}
    for triple in data:
        parts[graph_of(triple[0])].add(triple)
    return Split({
        ONTOLOGY_GRAPH: sorted_ntriples(ontology),
        DATA_GRAPH: sorted_ntriples(parts[DATA_GRAPH]),
        PROVENANCE_GRAPH: sorted_ntriples(parts[PROVENANCE_GRAPH]),
    })


def _triples(ntriples: bytes) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]


def _serialize(items, fmt: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    return ox.serialize(items, format=fmt, prefixes=prefixes)


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


def trig_of(graphs: dict[URIRef, bytes], prefixes: dict[str, str]) -> bytes:
    """TriG of named graphs (graph IRI -> N-Triples), in graph IRI order: each graph's body is
    rdflib's Turtle (blank nodes canonical), so the bytes do not change between runs."""
    head = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(prefixes.items()))
    blocks = []
    for name in sorted(graphs):
        body = turtle_of(graphs[name], prefixes).decode("utf-8")
        lines = [ln for ln in body.splitlines() if not ln.startswith("@prefix ")]
        # Not re-indented: a line may continue a multi-line literal, whose value must not change.
        text = "\n".join(lines).strip("\n")
        blocks.append(f"<{name}> {{\n{text}\n}}\n")
    return (head + "\n" + "\n".join(blocks)).encode("utf-8")


# ------------------------------------------------------------------------------------------------
# JSON-LD


def jsonld_context() -> dict:
    """The published context: the project's prefixes. dist/context.jsonld holds it."""
    return {"@context": {prefix: ns for prefix, ns in sorted(PREFIXES.items())}}


def _sort_json(value):
    """Arrays of property values are unordered in JSON-LD: sort them (never an @list's items)."""
    if isinstance(value, dict):
        return {k: (_sort_list(v) if k != "@list" and isinstance(v, list) else _sort_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_sort_json(v) for v in value]
    return value


def _sort_list(items: list) -> list:
    return sorted((_sort_json(v) for v in items), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))


def jsonld(whole_nt: bytes) -> bytes:
    """The whole dataset as compacted JSON-LD whose @context is the published context file."""
    graph = canonical(graph_of_ntriples(whole_nt))
    context = jsonld_context()["@context"]
    doc = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if isinstance(doc, list) or "@graph" not in doc:  # one node: rdflib writes it without @graph
        nodes = doc if isinstance(doc, list) else [{k: v for k, v in doc.items() if k != "@context"}]
        doc = {"@graph": nodes}
    out = {"@context": CONTEXT_FILE, "@graph": _sort_list(doc["@graph"])}
    return (json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


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


def statistics(split: Split, curation: Curation) -> dict:
    """The counts the description gives, computed from the dataset itself."""
    whole = _triples(split.whole())
    classes: dict[str, set] = defaultdict(set)
    properties = Counter()
    subjects, objects = set(), set()
    for t in whole:
        properties[t.predicate.value] += 1
        subjects.add(t.subject)
        objects.add(t.object)
        if t.predicate.value == str(RDF.type) and isinstance(t.object, ox.NamedNode):
            classes[t.object.value].add(t.subject)
    externals = _external_datasets(curation)
    links: Counter = Counter()
    for t in whole:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(str(MIRKG)) \
                and isinstance(t.object, ox.NamedNode):
            prefix = _external_prefix(t.object.value, externals)
            if prefix is not None:
                links[(prefix, t.predicate.value)] += 1
    entities = {s for s in subjects if isinstance(s, ox.NamedNode) and s.value.startswith(str(ID))}
    return {
        "triples": len(whole),
        "graphs": {g: len(split.lines(g)) for g in CONTENT_GRAPHS},
        "classes": {c: len(s) for c, s in sorted(classes.items())},
        "properties": dict(sorted(properties.items())),
        "distinct_subjects": len(subjects),
        "distinct_objects": len(objects),
        "entities": len(entities),
        "links": dict(sorted(links.items())),
        "externals": externals,
        "claims": len(curation.statements),
    }


def description(stats: dict, curation: Curation, files: dict[str, bytes]) -> Graph:
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
    g.add((version, DCTERMS.source, URIRef(source_iri(curation.source_info.id))))
    g.add((version, DCTERMS.conformsTo, URIRef("https://w3id.org/mirkg/ontology")))
    g.add((version, VOID.vocabulary, URIRef(str(MIRKG))))
    g.add((version, VOID.uriSpace, Literal(str(ID))))
    g.add((version, VOID.triples, Literal(stats["triples"], datatype=XSD.integer)))
    g.add((version, VOID.entities, Literal(stats["entities"], datatype=XSD.integer)))
    g.add((version, VOID.distinctSubjects, Literal(stats["distinct_subjects"], datatype=XSD.integer)))
    g.add((version, VOID.distinctObjects, Literal(stats["distinct_objects"], datatype=XSD.integer)))
    g.add((version, VOID.classes, Literal(len(stats["classes"]), datatype=XSD.integer)))
    g.add((version, VOID.properties, Literal(len(stats["properties"]), datatype=XSD.integer)))
    g.add((version, VOID.exampleResource, claim_iri(curation.statements[0].id)))

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
        g.add((node, DCAT.byteSize, Literal(len(files[name]), datatype=XSD.nonNegativeInteger)))
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


def nanopub_iri(sid: str) -> URIRef:
    return ID[f"np/{sid}"]


def nanopublications(split: Split, curation: Curation) -> bytes:
    """Each claim as an unsigned nanopublication: head, assertion, provenance and pubinfo graphs.

    Assertion: what the claim says (the claim node's own triples, and its direct triple when
    the claim has one). Provenance: where it comes from (the claim's span, selectors, evidence,
    citation and attribution; the assertion graph derived from the span and attributed to the
    agent the text names). Pubinfo: licence, creator, creation date, the dataset version.
    """
    data = graph_of_ntriples(split.graphs[DATA_GRAPH])
    provenance = graph_of_ntriples(split.graphs[PROVENANCE_GRAPH])
    created = Literal(f"{release_date()}T00:00:00Z", datatype=XSD.dateTime)
    quads: list[tuple] = []
    for s in curation.statements:
        claim = claim_iri(s.id)
        np = nanopub_iri(s.id)
        head, assertion, prov, pubinfo = (URIRef(f"{np}#{part}") for part in ("Head", "assertion", "provenance", "pubinfo"))
        quads += [(np, RDF.type, NP.Nanopublication, head), (np, NP.hasAssertion, assertion, head),
                  (np, NP.hasProvenance, prov, head), (np, NP.hasPublicationInfo, pubinfo, head)]
        for p, o in data.predicate_objects(claim):
            quads.append((claim, p, o, prov if p in CLAIM_PROVENANCE_PREDICATES else assertion))
        if not s.hedge and s.statement_type == "finding":
            subject, obj = data.value(claim, MIRKG.claimSubject), data.value(claim, MIRKG.claimObject)
            for p in data.predicates(subject, obj):
                quads.append((subject, p, obj, assertion))
        span = data.value(claim, MIRKG.hasTextSpan)
        agent = data.value(claim, PROV.wasAttributedTo)
        quads += [(assertion, PROV.wasDerivedFrom, span, prov), (assertion, PROV.wasAttributedTo, agent, prov)]
        support = [span, *provenance.objects(span, URIRef("http://www.w3.org/ns/oa#hasSelector")),
                   data.value(claim, MIRKG.hasEvidence)]
        for node in support:
            for p, o in provenance.predicate_objects(node):
                quads.append((node, p, o, prov))
        quads += [
            (np, DCTERMS.created, created, pubinfo),
            (np, DCTERMS.license, LICENSE, pubinfo),
            (np, DCTERMS.creator, Literal(CREATOR), pubinfo),
            (np, DCTERMS.isPartOf, version_iri(), pubinfo),
            (np, RDFS.label, Literal(f"nanopublication of claim {s.id}"), pubinfo),
        ]
    # Written by Oxigraph (150 small graphs: rdflib's Turtle writer took a second), sorted by
    # graph, then subject, predicate, object, so that the bytes do not change between runs. No
    # blank nodes here. Oxigraph writes a prefixed name even when its local part needs escapes
    # (mirkg:id\/np\/x\#Head), so the project's own namespaces, which prefix those IRIs, stay whole.
    nquads = "\n".join(sorted({f"{a.n3()} {b.n3()} {c.n3()} {d.n3()} ." for a, b, c, d in quads})) + "\n"
    parsed = sorted(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS),
                    key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    prefixes = {k: v for k, v in NANOPUB_PREFIXES.items() if not v.startswith(str(MIRKG))}
    return _serialize(parsed, ox.RdfFormat.TRIG, prefixes)


# ------------------------------------------------------------------------------------------------
# All the files


def release_artefacts(ontology: Graph, data: Graph, curation: Curation, existing: dict[str, bytes]) -> dict[str, bytes]:
    """The triplestore release: dumps, context, nanopublications, description."""
    split = split_graphs(ontology, data)
    whole = split.whole()
    nquads = split.nquads()
    files = {
        "mirkg.nq": nquads,
        "mirkg.trig": trig_of(split.graphs, {**PREFIXES, "mirkgraph": str(GRAPH)}),
        "mirkg-all.nt": whole,
        "mirkg-all.nt.gz": deterministic_gzip(whole),
        "mirkg-all.ttl": turtle_of(whole, PREFIXES),
        "mirkg-all.jsonld": jsonld(whole),
        CONTEXT_FILE: (json.dumps(jsonld_context(), indent=2, sort_keys=True) + "\n").encode("utf-8"),
        "nanopubs.trig": nanopublications(split, curation),
    }
    described = {**existing, **files}
    missing = [name for name in DUMPS if name not in described]
    if missing:
        raise BuildError(f"the description lists files the release does not have: {', '.join(missing)}")
    stats = statistics(split, curation)
    void = description(stats, curation, described)
    files[DESCRIPTION_FILE] = turtle_of(sorted_ntriples(void), DESCRIPTION_PREFIXES)
    return files
