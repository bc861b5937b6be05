"""The dataset description (dist/void.ttl): VoID + DCAT, at the three levels of the W3C HCLS
Community Profile (https://www.w3.org/TR/hcls-dataset/), checked against its requirement table
(mirkg/hcls.py) before it is written.

- summary level, https://w3id.org/mirkg/dataset: the dataset across versions (title,
  description, publisher, licence, its current version, how often it is updated);
- version level, https://w3id.org/mirkg/dataset/<version>: this release (creator, publisher,
  version, dates, language, source, licence) and its distributions;
- distribution level: the RDF distribution, .../distribution/rdf (typed dcat:Distribution and
  void:Dataset: the whole dataset, with its counts, class and property partitions, named graphs
  (one per source among them, each with its counts and its source) and linksets, example
  resource, vocabulary and void:dataDump of each file that holds it all),
  and one distribution per release file (RDF dumps, nanopublications, KGX, SSSOM, JSON-LD), each
  with its format, media type, size and download URL.

The creator and publisher are the dataset's curators (mirkg.iris.curators_iri), described here.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS

from . import __version__, iris
from .curation import Curation
from .errors import BuildError
from .namespaces import MIRKG, PAV, PREFIXES, PROV
from .dataset import (
    DATA_GRAPH, DATASET, DCAT, DUMPS, GRAPH, ONTOLOGY_GRAPH, PROVENANCE_GRAPH, VOID, WHOLE_DUMPS,
    download_url, release_date, source_of_graph, version_iri,
)
from .release import LICENSE

DCTYPES = Namespace("http://purl.org/dc/dcmitype/")
IDOT = Namespace("http://identifiers.org/idot/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FREQ = Namespace("http://purl.org/cld/freq/")

TITLE = "mirkg: microRNAs, mesenchymal stem cells and systemic lupus erythematosus"
KEYWORDS = ("microRNA", "mesenchymal stem cell", "systemic lupus erythematosus", "knowledge graph",
            "curated claims", "provenance")
DESCRIPTION = (
    "An RDF knowledge graph of the claims one paragraph of a 2021 review in Cellular & Molecular "
    "Immunology makes about how microRNAs act on mesenchymal stem cells in systemic lupus "
    "erythematosus. Every claim is anchored to the exact words of the source (offsets and quote), "
    "carries its citation, attribution, evidence and hedging, and links its entities to miRBase, "
    "HGNC, NCBI Gene, UniProt, CL, UBERON, GO and MONDO."
)
ENGLISH = URIRef("http://lexvo.org/id/iso639-3/eng")
ONTOLOGY = URIRef("https://w3id.org/mirkg/ontology")
IANA = "http://www.iana.org/assignments/media-types/"

DESCRIPTION_PREFIXES = {
    "dcat": str(DCAT), "dcterms": str(DCTERMS), "void": str(VOID), "pav": str(PAV), "dctypes": str(DCTYPES),
    "idot": str(IDOT), "sd": str(SD), "xsd": str(XSD), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL),
    "foaf": str(FOAF), "freq": str(FREQ),
    "mirkg": str(MIRKG), "mirkgid": iris.BASE, "mirkgraph": str(GRAPH), "prov": str(PROV),
}

# Release files that are not RDF dumps, listed as distributions too: name -> (media type, what it
# holds, the standard it conforms to). The SSSOM mapping sets are found by name (mappings/*.sssom.tsv).
OTHER_FILES = {
    "kgx/nodes.tsv": ("text/tab-separated-values", "the entities as KGX nodes in Biolink Model terms, TSV",
                      "https://w3id.org/biolink/vocab/"),
    "kgx/edges.tsv": ("text/tab-separated-values", "the unhedged claims as KGX edges in Biolink Model terms, "
                      "hedged ones with a marker, TSV", "https://w3id.org/biolink/vocab/"),
    "mappings.ttl": ("text/turtle", "the ontology's mappings to OBO, Biolink and Wikidata, SSSOM as RDF, Turtle",
                     "https://w3id.org/sssom/schema/"),
    "mappings.nt": ("application/n-triples",
                    "the ontology's mappings to OBO, Biolink and Wikidata, SSSOM as RDF, N-Triples",
                    "https://w3id.org/sssom/schema/"),
}
SSSOM = ("text/tab-separated-values", "SSSOM mapping set {name}, TSV", "https://w3id.org/sssom/schema/")


def rdf_distribution() -> URIRef:
    return URIRef(f"{version_iri()}/distribution/rdf")


def distribution_files(sizes: dict[str, int]) -> dict[str, tuple[str, str, str]]:
    """Every release file the description lists: name -> (media type, what, conforms to)."""
    files = {name: (media, what, str(ONTOLOGY)) for name, (media, what) in DUMPS.items()}
    files.update(OTHER_FILES)
    for name in sorted(sizes):
        if name.startswith("mappings/") and name.endswith(".sssom.tsv"):
            media, what, standard = SSSOM
            files[name] = (media, what.format(name=name.removeprefix("mappings/").removesuffix(".sssom.tsv")), standard)
    missing = [name for name in files if name not in sizes]
    if missing:
        raise BuildError(f"the description lists files the release does not have: {', '.join(missing)}")
    return files


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


def _counts(store: ox.Store) -> dict[str, int]:
    """The store's triples, distinct subjects, distinct objects and entities (distinct subjects
    that are IRIs of the dataset's own namespace), counted in one pass over its triples."""
    query = ("SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?distinct_subjects) "
             "(COUNT(DISTINCT ?o) AS ?distinct_objects) (COUNT(DISTINCT ?entity) AS ?entities) "
             f"WHERE {{ ?s ?p ?o BIND(IF(isIRI(?s) && STRSTARTS(STR(?s), \"{iris.BASE}\"), ?s, ?none) AS ?entity) }}")
    solution = next(iter(store.query(query)))
    return {name: int(solution[name].value) for name in ("triples", "distinct_subjects", "distinct_objects", "entities")}


def graph_counts(split, graph) -> dict[str, int]:
    """A named graph's counts, from the release's split (named_graphs.Split): its triples, and,
    for an instance graph, its entities (the distinct subjects, every one an IRI of the
    dataset's own namespace, as the RDF distribution's void:uriSpace says: the split refuses
    any other, named_graphs.graph_of)."""
    counts = {"triples": len(split.graphs[graph])}
    if graph != ONTOLOGY_GRAPH:
        counts["entities"] = split.subjects_in(graph)
    return counts


def statistics(split, store: ox.Store, curation: Curation) -> dict:
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
        **_counts(store),
        "graphs": {g: graph_counts(split, g) for g in split.graphs},
        "classes": dict(sorted(classes.items())),
        "properties": dict(sorted(properties.items())),
        "links": dict(sorted(links.items())),
        "externals": externals,
        "claims": len(curation.statements),
    }


def _local_or_external(iri: str, externals: dict[str, str]) -> str:
    prefix = _external_prefix(iri, externals)
    if prefix is not None:
        return f"{prefix}_{iri[len(externals[prefix]):]}"
    return _local(iri)



def _agents(g: Graph) -> URIRef:
    curators = iris.curators_iri()
    g.add((curators, RDF.type, FOAF.Agent))
    g.add((curators, FOAF.name, Literal(iris.CURATORS_NAME)))
    return curators


# A distribution is read from the source texts its version is read from. Up to this many, each
# distribution lists them (dcterms:source, which the HCLS profile asks of both levels); above it,
# each names its version as its source, and the version lists them all: listed on every release
# file, the 6,000 sources of the benchmark's scale 1000 made 150,000 of the description's 193,000
# triples, and most of its time.
SOURCES_PER_DISTRIBUTION = 100


def _made(g: Graph, node, curators, issued, curation: Curation, version: URIRef | None = None) -> None:
    """Who made and published a version (version None) or one of its distributions, when, under
    which licence, in which language, and from which source texts."""
    for predicate, value in ((DCTERMS.creator, curators), (DCTERMS.publisher, curators), (DCTERMS.license, LICENSE),
                             (DCTERMS.created, issued), (DCTERMS.issued, issued), (DCTERMS.language, ENGLISH)):
        g.add((node, predicate, value))
    if version is not None and len(curation.sources) > SOURCES_PER_DISTRIBUTION:
        g.add((node, DCTERMS.source, version))
        return
    for source in curation.sources:  # the texts the statements are read from
        g.add((node, DCTERMS.source, iris.source_iri(source)))


def description(stats: dict, curation: Curation, sizes: dict[str, int]) -> Graph:
    g = Graph()
    for prefix, ns in DESCRIPTION_PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    issued = Literal(release_date(), datatype=XSD.date)
    version, rdf = version_iri(), rdf_distribution()
    title, desc = Literal(TITLE, lang="en"), Literal(DESCRIPTION, lang="en")
    curators = _agents(g)
    page = download_url("site/index.html")

    # Summary level: the dataset across versions.
    g.add((DATASET, RDF.type, DCTYPES.Dataset))
    g.add((DATASET, DCTERMS.title, title))
    g.add((DATASET, DCTERMS.description, desc))
    g.add((DATASET, DCTERMS.publisher, curators))
    g.add((DATASET, DCTERMS.license, LICENSE))
    g.add((DATASET, PAV.hasCurrentVersion, version))
    g.add((DATASET, IDOT.preferredPrefix, Literal("mirkgid")))
    g.add((DATASET, DCTERMS.accrualPeriodicity, FREQ.irregular))  # a release when the curation changes
    g.add((FREQ.irregular, RDF.type, DCTERMS.Frequency))

    # Version level: this release.
    for cls in (DCTYPES.Dataset, DCAT.Dataset):
        g.add((version, RDF.type, cls))
    g.add((version, DCTERMS.title, Literal(f"{TITLE} (version {__version__})", lang="en")))
    g.add((version, DCTERMS.description, desc))
    g.add((version, DCTERMS.isVersionOf, DATASET))
    g.add((version, PAV.version, Literal(__version__)))
    g.add((version, DCAT.version, Literal(__version__)))  # DCAT 3
    g.add((version, OWL.versionInfo, Literal(__version__)))
    # The release table gives one date per version: the day it was made and issued.
    _made(g, version, curators, issued, curation)
    for keyword in KEYWORDS:
        g.add((version, DCAT.keyword, Literal(keyword)))  # the profile types keywords as plain strings
    g.add((version, DCTERMS.conformsTo, ONTOLOGY))
    g.add((version, FOAF.page, page))

    # Distribution level: the RDF distribution, which the counts, partitions and subsets describe.
    files = distribution_files(sizes)
    _distribution(g, rdf, title=f"{TITLE} (version {__version__}), RDF",
                  what="the whole dataset (ontology, data, provenance and a graph per source) as RDF, in the formats of its dump files",
                  curators=curators, issued=issued, page=page, curation=curation)
    g.add((rdf, RDF.type, VOID.Dataset))
    g.add((rdf, DCAT.accessURL, download_url("")))
    g.add((rdf, DCTERMS.conformsTo, ONTOLOGY))
    for name in WHOLE_DUMPS:
        g.add((rdf, VOID.dataDump, download_url(name)))
        g.add((rdf, DCAT.downloadURL, download_url(name)))
        g.add((rdf, DCTERMS.format, URIRef(IANA + files[name][0])))
    g.add((rdf, VOID.vocabulary, URIRef(str(MIRKG))))
    g.add((rdf, VOID.uriSpace, Literal(iris.BASE)))
    example = curation.statements[0].id
    g.add((rdf, VOID.exampleResource, iris.claim_iri(example)))
    g.add((rdf, IDOT.exampleIdentifier, Literal(f"claim/{example}")))
    g.add((rdf, VOID.triples, Literal(stats["triples"], datatype=XSD.integer)))
    g.add((rdf, VOID.entities, Literal(stats["entities"], datatype=XSD.integer)))
    g.add((rdf, VOID.distinctSubjects, Literal(stats["distinct_subjects"], datatype=XSD.integer)))
    g.add((rdf, VOID.distinctObjects, Literal(stats["distinct_objects"], datatype=XSD.integer)))
    g.add((rdf, VOID.classes, Literal(len(stats["classes"]), datatype=XSD.integer)))
    g.add((rdf, VOID.properties, Literal(len(stats["properties"]), datatype=XSD.integer)))
    g.add((version, DCAT.distribution, rdf))

    # Named graphs: each a subset of the RDF distribution (the profile's void:subset, SHOULD at
    # the distribution level, never at the others), with its counts; a source's graph also says
    # which source its claims are read from.
    names = {ONTOLOGY_GRAPH: "the ontology and its import module",
             DATA_GRAPH: "entities, direct triples, assertions and conflicts",
             PROVENANCE_GRAPH: "references, citations, works, agents, activities and the source nodes"}
    for graph_iri, counts in stats["graphs"].items():
        source = source_of_graph(str(graph_iri))
        if source is not None:
            what = curation.sources[source]
            names[graph_iri] = (f"the claims read from source {source} ({what.part} of {what.work}), "
                                "their text spans, selectors, evidence and annotations")
            g.add((graph_iri, DCTERMS.source, iris.source_iri(source)))
        g.add((rdf, VOID.subset, graph_iri))
        g.add((graph_iri, RDF.type, VOID.Dataset))
        g.add((graph_iri, RDF.type, SD.NamedGraph))
        g.add((graph_iri, SD.name, graph_iri))
        g.add((graph_iri, DCTERMS.title, Literal(f"mirkg named graph: {names[graph_iri]}", lang="en")))
        g.add((graph_iri, VOID.triples, Literal(counts["triples"], datatype=XSD.integer)))
        if "entities" in counts:
            g.add((graph_iri, VOID.entities, Literal(counts["entities"], datatype=XSD.integer)))

    # Class and property partitions.
    for cls, count in stats["classes"].items():
        node = URIRef(f"{version}/class/{_local_or_external(cls, stats['externals'])}")
        g.add((rdf, VOID.classPartition, node))
        g.add((node, VOID["class"], URIRef(cls)))
        g.add((node, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in stats["properties"].items():
        node = URIRef(f"{version}/property/{_local_or_external(prop, stats['externals'])}")
        g.add((rdf, VOID.propertyPartition, node))
        g.add((node, VOID.property, URIRef(prop)))
        g.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))

    # Linksets: triples from the dataset's own nodes to an external dataset's IRIs.
    for (prefix, predicate), count in stats["links"].items():
        target = URIRef(f"https://bioregistry.io/registry/{prefix.lower()}")
        node = URIRef(f"{version}/linkset/{prefix}/{_local(predicate)}")
        g.add((rdf, VOID.subset, node))
        g.add((node, RDF.type, VOID.Linkset))
        g.add((node, VOID.subjectsTarget, rdf))
        g.add((node, VOID.objectsTarget, target))
        g.add((node, VOID.linkPredicate, URIRef(predicate)))
        g.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.identifier, Literal(prefix)))
        g.add((target, VOID.uriSpace, Literal(stats["externals"][prefix])))

    # A distribution per release file: its format, media type, size and URL.
    for name, (media, what, standard) in files.items():
        node = URIRef(f"{version}/distribution/{name}")
        url = download_url(name)
        _distribution(g, node, title=name, what=what, curators=curators, issued=issued, page=page, curation=curation)
        g.add((version, DCAT.distribution, node))
        g.add((node, DCTERMS.format, URIRef(IANA + media)))
        g.add((node, DCAT.mediaType, URIRef(IANA + media)))
        g.add((node, DCTERMS.conformsTo, URIRef(standard)))
        g.add((node, DCAT.downloadURL, url))
        g.add((node, DCAT.byteSize, Literal(sizes[name], datatype=XSD.nonNegativeInteger)))
        if name.endswith(".gz"):
            g.add((node, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
    return g


def _distribution(g: Graph, node: URIRef, *, title: str, what: str, curators: URIRef, issued: Literal,
                  page: URIRef, curation: Curation) -> None:
    """What every distribution says: the HCLS distribution level's MUST and SHOULD properties
    that do not depend on the file."""
    for cls in (DCAT.Distribution, DCTYPES.Dataset):
        g.add((node, RDF.type, cls))
    g.add((node, DCTERMS.title, Literal(title, lang="en")))
    g.add((node, DCTERMS.description, Literal(what, lang="en")))
    _made(g, node, curators, issued, curation, version_iri())
    g.add((node, PAV.version, Literal(__version__)))
    g.add((node, FOAF.page, page))
