"""What names a release of the dataset: its version's IRIs (dataset, named graphs, download
folder), its release date, and its files. One place, which the writers (mirkg/publish.py), the
description (mirkg/void.py) and the exports (mirkg/kgx.py) all read.
"""

from __future__ import annotations

from functools import cache

from rdflib import Namespace, URIRef

from . import __version__
from .errors import BuildError

# The named graphs carry the dataset's version, so that two releases loaded into one store keep
# their triples apart and a graph IRI always names the same content.
GRAPH = Namespace(f"https://w3id.org/mirkg/graph/{__version__}/")
ONTOLOGY_GRAPH = GRAPH["ontology"]
DATA_GRAPH = GRAPH["data"]
PROVENANCE_GRAPH = GRAPH["provenance"]
DESCRIPTION_GRAPH = GRAPH["description"]
# The graphs every release has; beside them, one graph per source (source_graph).
SHARED_GRAPHS = (ONTOLOGY_GRAPH, DATA_GRAPH, PROVENANCE_GRAPH)
SOURCE_GRAPHS = f"{GRAPH}source/"


@cache  # one IRI object per source: the named graphs' split names one per run of lines (50,000 at scale 1000)
def source_graph(source_id: str) -> URIRef:
    """The named graph of one source: the claims read from it and the nodes minted under them."""
    return URIRef(f"{SOURCE_GRAPHS}{source_id}")


def source_of_graph(graph: str) -> str | None:
    """The source id of a source graph of this version; None for any other IRI."""
    if not graph.startswith(SOURCE_GRAPHS):
        return None
    rest = graph[len(SOURCE_GRAPHS):]
    return rest if rest and "/" not in rest else None


def content_graphs(source_ids) -> tuple[URIRef, ...]:
    """The dataset's named graphs: the shared ones, then one per source in source id order (the
    order `load` replaces them in)."""
    return (*SHARED_GRAPHS, *(source_graph(s) for s in sorted(source_ids)))

# The release date of each version of the dataset: the description's dcterms:issued and the
# nanopublications' dcterms:created come from here, so builds never read the clock. Add a line
# when mirkg.__version__ changes; the build stops if the current version has none.
RELEASE_DATES = {"0.1.0": "2026-11-26"}

DATASET = URIRef("https://w3id.org/mirkg/dataset")  # HCLS summary level (all versions)

# Open namespaces (rdflib's DCAT and VOID are closed and warn on DCAT 3 terms such as dcat:version).
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")

# The release's files: name -> (media type, what it holds). The description lists them as
# distributions; `dist/` holds each of them.
DUMPS = {
    "mirkg.trig": ("application/trig", "the dataset as named graphs (ontology, data, provenance, and one per source), TriG"),
    "mirkg.nq": ("application/n-quads", "the dataset as named graphs (ontology, data, provenance, and one per source), N-Quads, sorted"),
    "mirkg-all.ttl": ("text/turtle", "the whole dataset (all its named graphs) in one graph, Turtle"),
    "mirkg-all.nt": ("application/n-triples", "the whole dataset in one graph, N-Triples, sorted"),
    "mirkg-all.nt.gz": ("application/n-triples", "the whole dataset in one graph, sorted N-Triples, gzip-compressed"),
    "mirkg-all.jsonld": ("application/ld+json", "the whole dataset in one graph, JSON-LD using context.jsonld"),
    "mirkg-claims.jsonld": ("application/ld+json", "the claims for JSON developers: one object per claim with its "
                            "evidence, text span and selectors nested, JSON-LD using context.jsonld"),
    "mirkg.ttl": ("text/turtle", "the instance data (data, provenance and source graphs), Turtle"),
    "mirkg.nt": ("application/n-triples", "the instance data (data, provenance and source graphs), N-Triples, sorted"),
    "ontology.ttl": ("text/turtle", "the ontology with its import module merged in (no owl:imports left), Turtle"),
    "ontology.nt": ("application/n-triples", "the ontology with its import module, N-Triples, sorted"),
    "ontology.owl": ("application/rdf+xml", "the ontology with its import module merged in (no owl:imports left), RDF/XML for OWL tools"),
    "mirkg-base.owl": ("application/rdf+xml", "the ontology's own axioms only, external terms declared: the module to import, RDF/XML"),
    "mirkg-full.owl": ("application/rdf+xml", "the ontology with its import module merged in and the classification HermiT infers asserted, RDF/XML"),
    "nanopubs.trig": ("application/trig", "every claim as a nanopublication with a trusty URI (head, assertion, provenance, pubinfo), TriG"),
}
# The files that hold the whole dataset (void:dataDump).
WHOLE_DUMPS = ("mirkg.nq", "mirkg.trig", "mirkg-all.nt", "mirkg-all.nt.gz", "mirkg-all.ttl", "mirkg-all.jsonld")
CONTEXT_FILE = "context.jsonld"
DESCRIPTION_FILE = "void.ttl"


def release_date() -> str:
    if __version__ not in RELEASE_DATES:
        raise BuildError(
            f"mirkg version {__version__} has no release date; add it to RELEASE_DATES in mirkg/dataset.py"
        )
    return RELEASE_DATES[__version__]


def version_iri() -> URIRef:
    return URIRef(f"{DATASET}/{__version__}")


def download_url(name: str) -> URIRef:
    """Where a release file is published: the version's folder under the project's namespace."""
    return URIRef(f"https://w3id.org/mirkg/release/{__version__}/{name}")
