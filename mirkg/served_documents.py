"""`serve`'s documents for a release written without files for its records, nanopublications and
named graphs (more records than linked_data.FILES_UP_TO): each made when it is asked for, by the
functions that write them into a smaller release, from the release's own files (mirkg.nt,
ontology.nt, queries/catalog.ttl, nanopubs.trig, mirkg.trig, void.ttl) and `serve`'s database,
so that the bytes are the ones the build would have written.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import pyoxigraph as ox

from .dataset import DESCRIPTION_FILE, DESCRIPTION_GRAPH
from .linked_data import DOC_PATH, NAMESPACE, NANOPUB_PATH, SERVED_MARK, Graph, document_base, stable_ntriples
from .graph_pages import described, graph_blocks, graph_lines, one_graph_files
from .nanopub_pages import ROOT, nanopub_at, nanopub_documents, nanopub_spans
from .resource_pages import Pages, record_files

KEPT = 64  # records, nanopublications and graphs whose documents are kept made: a client asks for a page, then its RDF


class ServedDocuments:
    """The documents of the records, nanopublications and named graphs of the release in `dist`,
    made on demand. `store` is `serve`'s database (the release's named graphs and its description);
    `terms` the ontology terms' anchors (linked_data.term_anchors)."""

    def __init__(self, dist: Path, store: ox.Store, terms: dict[str, str]):
        graphs = frozenset(g for g in store.named_graphs() if g.value != str(DESCRIPTION_GRAPH))
        catalog = stable_ntriples((dist / "queries" / "catalog.ttl").read_bytes(), "catalog")
        # not indexed: a record's nodes are found by binary search in the sorted N-Triples
        self.graph = Graph((dist / "mirkg.nt").read_bytes(), (dist / "ontology.nt").read_bytes(), store, catalog, graphs,
                           indexed=False)
        self.pages = Pages(self.graph, terms)  # the stored queries' pages are files of the release
        self.trig = (dist / "nanopubs.trig").read_bytes()
        self.header, self.spans = nanopub_spans(self.trig)
        prefix = NAMESPACE + NANOPUB_PATH
        self.nanopubs = {iri[len(prefix):]: iri for iri in self.spans if iri.startswith(prefix)}
        self.release_trig = (dist / "mirkg.trig").read_bytes()
        self.graph_header, self.graph_blocks = graph_blocks(self.release_trig)
        self.graphs = {DOC_PATH + iri[len(NAMESPACE):]: iri for iri in self.graph_blocks if iri.startswith(NAMESPACE)}
        description = ox.parse(path=dist / DESCRIPTION_FILE, format=ox.RdfFormat.TURTLE)
        self.said = described(ox.serialize((q.triple for q in description), format=ox.RdfFormat.N_TRIPLES))
        self._made: OrderedDict[str, dict[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()  # the page maker's caches are not made for threads

    @staticmethod
    def wanted(dist: Path) -> bool:
        """Whether the release in `dist` was written without its records' documents (SERVED_MARK)."""
        return (dist / SERVED_MARK).is_file()

    def describes(self, iri: str) -> bool:
        """Whether a record's document describes the instance IRI (linked_data.DocumentIndex's
        question, for the records without files: the stored queries' are files)."""
        base = document_base(iri)
        return base is not None and base not in self.graph.catalog_records and ox.NamedNode(iri) in self.graph.out

    def _is_record(self, base: str) -> bool:
        return base.count("/") == 2 and base not in self.graph.catalog_records and bool(self.graph.nodes_of(base))

    def has(self, rel: str) -> bool:
        base, dot, ext = rel.rpartition(".")
        if not dot:
            return False
        if base.startswith(DOC_PATH + "np/"):
            return base[len(DOC_PATH + "np/"):] in self.nanopubs and ext in ("trig", "nq", "jsonld", "html")
        return ext in ("ttl", "jsonld", "html") and (base in self.graphs or self._is_record(base))

    def get(self, rel: str) -> bytes | None:
        """The document at `rel` (doc/KIND/ID.EXT, doc/np/RA....EXT or doc/graph/VERSION/NAME.EXT),
        None when there is none."""
        if not self.has(rel):
            return None
        base = rel.rpartition(".")[0]
        with self._lock:
            files = self._made.get(base)
            if files is None:
                files = self._made[base] = dict(self._make(base))
                if len(self._made) > KEPT:
                    self._made.popitem(last=False)
            else:
                self._made.move_to_end(base)
        return files.get(rel)

    def _make(self, base: str):
        if base.startswith(DOC_PATH + "np/"):
            iri = self.nanopubs[base[len(DOC_PATH + "np/"):]]
            np = nanopub_at(self.trig, self.header, iri, self.spans[iri])
            return nanopub_documents(np, lambda term: self.pages.link(term, ROOT))
        if base in self.graphs:
            iri = self.graphs[base]
            lines = graph_lines(self.release_trig, self.graph_header, self.graph_blocks[iri])
            return one_graph_files(iri, lines, self.said.get(iri, []), self.pages.link)
        return record_files(self.graph, self.pages, base, self.graph.nodes_of(base))
