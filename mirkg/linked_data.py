"""Linked Data: every IRI of the dataset (https://w3id.org/mirkg/...) answers with a document.

The release's tree is laid out like the namespace, so that one web server (the local front of
`serve`, mirkg/front.py, or Apache with dist/.htaccess) maps `https://w3id.org/mirkg/X` to `X`:

    id/<kind>/<id>      an instance resource (of the data or of the query catalogue), or a node
     [/<part>]          minted under it that its document describes: 303 to doc/<kind>/<id>.<ext>
                        by Accept; any other IRI under id/ is 404
    <Term>, ontology    an ontology term or the ontology: 303 to its anchor in docs/index.html
                        (HTML) or to doc/ontology.<ext> (RDF)
    dataset[/...], ""   the dataset and its versions: 303 to site/index.html (HTML) or to
                        doc/dataset.<ext> (RDF, the VoID description)
    release/<v>/<file>  a download URL of the description: 302 to the release's file
    id/np/RA<hash>      a claim's nanopublication (its graphs are <IRI>#Head, #assertion, ...,
                        which a client asks for without the fragment): 303 to doc/np/RA<hash>.<ext>
                        in a format that holds named graphs (TriG, N-Quads, JSON-LD) or HTML; an
                        Accept for Turtle, N-Triples or RDF/XML alone is 406 (mirkg/nanopub_pages.py)
    graph/<v>/<name>    a named graph of this version: 303 to doc/graph/<v>/<name>.<ext>, its
                        contents, or its page; .../description, the graph `load` puts the VoID
                        description in, answers as the dataset does; another version's graph
                        is 404 (mirkg/graph_pages.py)

A resource's document is its concise bounded description (every triple with it as subject, blank
nodes closed over) and the rdfs:label of every IRI the description points to, in Turtle, JSON-LD,
N-Triples, RDF/XML and HTML. The documents are made from the release's sorted N-Triples, for any
IRI under the instance namespace, so what the data model adds flows through.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pyoxigraph as ox

from . import iris
from .dataset import DESCRIPTION_GRAPH, GRAPH
from .namespaces import MIRKG, ONTOLOGY_IRI, PREFIXES

NAMESPACE = str(MIRKG)
ID_PATH = iris.BASE[len(NAMESPACE):]  # "id/": instance IRIs, below the namespace
DOC_PATH = "doc/"
LANDING = "site/index.html"
ONTOLOGY_DOCS = "docs/index.html"
ONTOLOGY_PATH = ONTOLOGY_IRI[len(NAMESPACE):]  # "ontology"

# The formats a document is written in: media type -> file extension. HTML first: it is the
# default, what a browser gets.
FORMATS = {
    "text/html": "html",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
}
DEFAULT_MEDIA = "text/html"
# The formats the release holds for each record, as static files: what any web host serves. The
# local front (mirkg/front.py) makes the other two from the Turtle when asked, so that a large
# release is not two fifths more files.
STATIC = {media: ext for media, ext in FORMATS.items() if ext in ("html", "ttl", "jsonld")}
# A release with more records than this is written without their documents, the
# nanopublications' and the named graphs' (the stored queries' stay): `serve` makes them when they are asked for
# (mirkg/served_documents.py), and the Apache rules pass their requests to it. Every file costs
# its creation (about 0.2 ms of kernel time here) and its page's rendering: 62,000 files and half
# the build's time at scale 100; a static host of such a tree is unusual anyway.
FILES_UP_TO = 10_000
DOCUMENTS = ("auto", "files", "served")  # --documents: by the size, always files, always made by `serve`
SERVED_MARK = "doc/on-demand.txt"  # a release whose records' documents `serve` makes


RDF_SYNTAX = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
}
# A nanopublication is four named graphs: it is served in the formats that hold them (TriG as in
# nanopubs.trig, N-Quads, JSON-LD with a @graph per named graph) and as a page, all four files in
# the release. Turtle, N-Triples and RDF/XML cannot hold its graphs: flattened, its trusty URI would
# no longer verify, so an Accept for them alone gets 406 Not Acceptable with links to the others.
NANOPUB_PATH = ID_PATH + "np/"
NANOPUB_FORMATS = {
    "text/html": "html",
    "application/trig": "trig",
    "application/n-quads": "nq",
    "application/ld+json": "jsonld",
}
GRAPHLESS = ("text/turtle", "application/n-triples", "application/rdf+xml")
TRUSTY = re.compile(r"RA[A-Za-z0-9_-]{43}")  # a trusty URI's artefact code, "RA" module
# The named graphs of this version (https://w3id.org/mirkg/graph/<version>/...): their documents
# are doc/graph/<version>/<name>.<ext>, laid out like the IRIs.
GRAPH_PATH = str(GRAPH)[len(NAMESPACE):]  # "graph/<version>/"
DESCRIPTION_GRAPH_PATH = str(DESCRIPTION_GRAPH)[len(NAMESPACE):]
# Oxigraph writes a prefixed name even when its local part needs escapes (mirkgid:entity\/TRAF6),
# so the namespaces the instance IRIs fall under, whose local parts would hold slashes, stay whole.
DOCUMENT_PREFIXES = {k: v for k, v in PREFIXES.items() if not iris.BASE.startswith(v)}
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


# ------------------------------------------------------------------------------------------------
# Which document answers an IRI


def path_of(iri: str) -> str | None:
    """The path below the namespace of one of the dataset's IRIs (None for any other IRI)."""
    return iri[len(NAMESPACE):] if iri.startswith(NAMESPACE) else None


def document_base(iri: str) -> str | None:
    """doc/<kind>/<id> for an instance IRI (its documents add .<ext>), None otherwise. The nodes
    minted under a record (a claim's span, selectors and evidence: mirkg/iris.py) share the
    record's document, which describes each of them: one file per record, not per node, keeps a
    large release's file count down (a claim has five nodes)."""
    parsed = iris.parse(iri)
    if parsed is None or not parsed.record or "#" in iri:
        return None
    return f"{DOC_PATH}{parsed.kind}/{parsed.record}"


def negotiate(accept: str | None, formats=FORMATS) -> str | None:
    """The media type of `formats` the Accept header prefers (q-values honoured, ties in their
    order, HTML first); HTML when there is no header or it accepts anything; None when it accepts
    none of them."""
    if not accept or not accept.strip():
        return DEFAULT_MEDIA
    best: tuple[float, int, str] | None = None
    for rank, media in enumerate(formats):
        q = _quality(accept, media)
        if q > 0 and (best is None or (q, -rank) > (best[0], best[1])):
            best = (q, -rank, media)
    return best[2] if best else None


def _quality(accept: str, media: str) -> float:
    """The q-value the header gives the media type, by its most specific matching range."""
    kind = media.split("/")[0]
    found: tuple[int, float] | None = None
    for item in accept.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        name = name.lower()
        specificity = 3 if name == media else 2 if name == f"{kind}/*" else 1 if name == "*/*" else 0
        if not specificity:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if found is None or specificity > found[0]:
            found = (specificity, q)
    return found[1] if found else 0.0


@dataclass(frozen=True)
class Answer:
    """What the server answers for a path: a redirect (303/302, `location` relative to the
    namespace root), a file to serve (200, `location` a path of the tree), 406 (no format the
    Accept names can hold the resource: `alternates` say which can), or 404."""

    status: int
    location: str = ""
    alternates: tuple[tuple[str, str], ...] = ()  # (media type, location) for every format
    negotiated: bool = False  # the answer depends on Accept (Vary: Accept)


def resolve(path: str, accept: str | None, exists: Callable[[str], bool], terms: dict[str, str],
            formats=FORMATS, *, describes: Callable[[str], bool]) -> Answer:
    """The answer for `path` (the request's path below the namespace root, no leading slash).
    `exists(rel)` says whether the tree holds a file; `terms` maps an ontology term's local name
    to its anchor in the ontology documentation ("" when it has none); `formats` are the ones the
    server can give (the local front: all; a static host: STATIC). An Accept none of them
    satisfies gets HTML, the default. `describes(iri)` says whether the document of the record an
    instance IRI falls under describes it (DocumentIndex): an IRI made up below a real record
    (id/claim/X/nonsense) is not the record's, and gets a 404 like any other unknown IRI."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    media = DEFAULT_MEDIA
    if path.startswith((ID_PATH, "graph/")) or path in terms or path in ("", ONTOLOGY_PATH) or _is_dataset(path):
        media = negotiate(accept, formats) or DEFAULT_MEDIA

    def conneg(html: str, rdf_base: str) -> Answer:
        targets = tuple((m, html if m == "text/html" else f"{rdf_base}.{ext}") for m, ext in formats.items())
        return Answer(303, dict(targets)[media], targets, negotiated=True)

    if path.startswith(NANOPUB_PATH):
        return _nanopub(path[len(NANOPUB_PATH):], accept, exists)
    if path == DESCRIPTION_GRAPH_PATH:
        return conneg(LANDING, DOC_PATH + "dataset")
    if path.startswith("graph/"):
        base = DOC_PATH + path
        if path.startswith(GRAPH_PATH) and not path.endswith("/") and exists(f"{base}.html"):
            return conneg(f"{base}.html", base)
        return Answer(404)  # not a graph of this version (another version's is not in this release)
    if path.startswith(ID_PATH):
        base = document_base(NAMESPACE + path)
        if base is not None and exists(f"{base}.html") and describes(NAMESPACE + path):
            return conneg(f"{base}.html", base)
        return Answer(404)
    if path in terms or path == ONTOLOGY_PATH:
        anchor = terms.get(path, "")
        return conneg(ONTOLOGY_DOCS + (f"#{anchor}" if anchor else ""), DOC_PATH + "ontology")
    if path == "" or _is_dataset(path):
        return conneg(LANDING, DOC_PATH + "dataset")
    release = re.fullmatch(r"release/[^/]+/(.+)", path)
    if release and exists(release.group(1)):
        return Answer(302, release.group(1))
    if path and not path.endswith("/") and exists(path):
        return Answer(200, path)
    return Answer(404)


def _nanopub(code: str, accept: str | None, exists: Callable[[str], bool]) -> Answer:
    """A nanopublication's IRI: 303 to its document in a format that holds named graphs; 406 for
    an Accept that names only formats that do not (Turtle, N-Triples, RDF/XML); 404 for a code
    the release has no nanopublication for."""
    base = f"{DOC_PATH}np/{code}"
    if not TRUSTY.fullmatch(code) or not exists(f"{base}.html"):
        return Answer(404)
    targets = tuple((m, f"{base}.{ext}") for m, ext in NANOPUB_FORMATS.items())
    media = negotiate(accept, NANOPUB_FORMATS)
    if media is None and negotiate(accept, FORMATS) in GRAPHLESS:
        return Answer(406, "", targets, negotiated=True)
    return Answer(303, dict(targets)[media or DEFAULT_MEDIA], targets, negotiated=True)


def _is_dataset(path: str) -> bool:
    return path == "dataset" or path.startswith("dataset/")


def described_iris(turtle: bytes | Path) -> frozenset[str]:
    """The instance IRIs a record's Turtle document describes: its subjects under the instance
    namespace (the other subjects are the labels of what it points to, described elsewhere)."""
    parsed = ox.parse(turtle, format=ox.RdfFormat.TURTLE) if isinstance(turtle, bytes) else \
        ox.parse(path=turtle, format=ox.RdfFormat.TURTLE)
    return frozenset(q.subject.value for q in parsed
                     if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(iris.BASE))


class DocumentIndex:
    """describes() for resolve(), read from a release tree's Turtle documents: an instance IRI is
    the dataset's when its record's document describes it. Each document is read once."""

    def __init__(self, root: Path, cached: int = 4096):
        self.root = root
        self._subjects = lru_cache(maxsize=cached)(self._read)

    def _read(self, base: str) -> frozenset[str]:
        path = self.root / f"{base}.ttl"
        return described_iris(path) if path.is_file() else frozenset()

    def __call__(self, iri: str) -> bool:
        base = document_base(iri)
        return base is not None and iri in self._subjects(base)


# ------------------------------------------------------------------------------------------------
# The ontology documentation's anchors


_ENTITY_ANCHOR = re.compile(
    r'<div class="property entity" id="([^"]+)">.*?<th>IRI</th>\s*<td>\s*<code>([^<]+)</code>', re.DOTALL)


def term_anchors(docs_html: str, ontology_nt: bytes) -> dict[str, str]:
    """Local name -> anchor in the ontology documentation (pyLODE names its anchors after the
    labels) for every term of the namespace the ontology has as a subject; "" for a term the
    documentation has no section for."""
    anchors = {iri: anchor for anchor, iri in _ENTITY_ANCHOR.findall(docs_html)}
    terms = {}
    for triple in ox.parse(ontology_nt, format=ox.RdfFormat.N_TRIPLES):
        subject = triple.subject
        if isinstance(subject, ox.NamedNode):
            local = path_of(subject.value)
            if local and "/" not in local and "#" not in local and local != ONTOLOGY_PATH:
                terms[local] = anchors.get(subject.value, "")
    return dict(sorted(terms.items()))


# ------------------------------------------------------------------------------------------------
# Documents


# The subject of an N-Triples line: an IRI or a blank node label, up to the first space.
_LINE_SUBJECT = re.compile(rb"^(\S+) ", re.MULTILINE)


def subject_ranges(nt: bytes, starts: Sequence[int] = ()) -> dict[str, tuple[int, int]]:
    """Where each subject's lines sit in sorted N-Triples (a subject's lines are consecutive):
    subject in N-Triples syntax -> (start, end) byte offsets. starts: the offsets where the
    subjects' lines start, in order, when the caller knows them (named_graphs.Split.subject_starts):
    then only the subjects are read, not every line."""
    ranges: dict[str, tuple[int, int]] = {}
    if starts:
        ends = list(starts[1:]) + [len(nt)]
        for start, end in zip(starts, ends):
            subject = nt[start:nt.index(b" ", start)].decode("utf-8")
            if subject in ranges:
                raise ValueError(f"the N-Triples are not sorted: {subject} comes back")
            ranges[subject] = (start, end)
        return ranges
    last, start = None, 0
    for m in _LINE_SUBJECT.finditer(nt):
        subject = m.group(1)
        if subject != last:
            if last is not None:
                ranges[last.decode("utf-8")] = (start, m.start())
            last, start = subject, m.start()
            if last.decode("utf-8") in ranges:
                raise ValueError(f"the N-Triples are not sorted: {last.decode('utf-8')} comes back")
    if last is not None:
        ranges[last.decode("utf-8")] = (start, len(nt))
    return ranges


class SortedNTriples:
    """Lookups by subject in sorted N-Triples by binary search, with no index: for `serve`, which
    makes a large release's documents one at a time (an index of every subject would take
    seconds to make and hundreds of megabytes at scale 1000)."""

    def __init__(self, nt: bytes):
        self.nt = nt

    def first_at_least(self, key: bytes) -> int:
        """The offset of the first line that sorts at or after `key`."""
        nt, lo, hi = self.nt, 0, len(self.nt)
        while lo < hi:
            start = nt.rfind(b"\n", 0, (lo + hi) // 2) + 1
            if start < lo:
                start = lo
            if nt[start:start + len(key)] < key:
                lo = nt.find(b"\n", start) + 1 or len(nt)
            else:
                hi = start
        return lo

    def range_of(self, subject: str) -> tuple[int, int] | None:
        """Where the lines of `subject` (in N-Triples syntax) sit, None when it has none."""
        key = subject.encode("utf-8") + b" "
        start = self.first_at_least(key)
        end = self.first_at_least(key[:-1] + b"!")  # the byte after the space
        return (start, end) if end > start else None

    def subjects_under(self, iri: str) -> list[str]:
        """The IRI and the IRIs below it (IRI/...) that are subjects, in N-Triples syntax: the IRI
        first, then the others in the file's order."""
        found = [f"<{iri}>"] if self.range_of(f"<{iri}>") else []
        key = f"<{iri}/".encode("utf-8")
        start, end = self.first_at_least(key), self.first_at_least(key[:-1] + b"0")  # "0" follows "/"
        last = None
        for m in _LINE_SUBJECT.finditer(self.nt, start, end):
            if m.group(1) != last:
                last = m.group(1)
                found.append(last.decode("utf-8"))
        return found


PARSED_NODES = 100_000  # what a Graph keeps of the nodes it has parsed


class _Out:
    """A node's triples as subject, in N-Triples order: parsed from the release's sorted N-Triples
    where they sit (an index of byte offsets, not of triples: a large release's triples held as
    Python objects take gigabytes; or, not indexed, found by binary search), then the
    ontology's and the query catalogue's."""

    def __init__(self, data_nt: bytes, small: dict, indexed: bool = True, starts: Sequence[int] = ()):
        self.data_nt, self.small = data_nt, small
        self.ranges = subject_ranges(data_nt, starts) if indexed else None
        self.sorted = SortedNTriples(data_nt)
        self._parsed: dict = {}  # the nodes of neighbouring records, asked for again and again

    def where(self, node) -> tuple[int, int] | None:
        return self.ranges.get(str(node)) if self.ranges is not None else self.sorted.range_of(str(node))

    def get(self, node, default=()) -> list[ox.Triple]:
        found = self._parsed.get(node)
        if found is None:
            if len(self._parsed) > PARSED_NODES:
                self._parsed.clear()
            found = []
            where = self.where(node)
            if where is not None:
                found = [q.triple for q in ox.parse(self.data_nt[where[0]:where[1]], format=ox.RdfFormat.N_TRIPLES)]
            found = self._parsed[node] = found + self.small.get(node, [])
        return found or default

    def __contains__(self, node) -> bool:
        return self.where(node) is not None or node in self.small


class _Into:
    """A node's triples as object: from the release's store, which indexes them by object (their
    subjects and predicates are IRIs, which the store keeps as they are), then the query
    catalogue's. The store holds the instance data and the ontology in its default graph, as
    the build's does, or `graphs` says which named graphs hold them (`serve`'s database, which
    also holds the description: a triple is taken once, however many of them hold it)."""

    def __init__(self, store: ox.Store, small: dict, graphs: frozenset | None = None):
        self.store, self.small, self.graphs = store, small, graphs

    def get(self, node, default=()) -> list[ox.Triple]:
        found = []
        if isinstance(node, ox.NamedNode):
            if self.graphs is None:
                found = [q.triple for q in self.store.quads_for_pattern(None, None, node, ox.DefaultGraph())]
            else:
                found = list(dict.fromkeys(q.triple for q in self.store.quads_for_pattern(None, None, node, None)
                                           if q.graph_name in self.graphs))
        found += self.small.get(node, [])
        return found or default


class Graph:
    """The release's triples indexed for documents: by subject (offsets into the sorted
    N-Triples), by object (the release's store) and the labels."""

    def __init__(self, data_nt: bytes, ontology_nt: bytes, store: ox.Store, catalog_nt: bytes = b"",
                 graphs: frozenset | None = None, indexed: bool = True, starts: Sequence[int] = ()):
        """data_nt: the release's sorted instance N-Triples; store: the instance data and the
        ontology in its default graph, or in the named graphs `graphs`; catalog_nt (the stored
        queries, queries/catalog.ttl as N-Triples, not in the store) holds instance IRIs
        documents are made for too. indexed: the subjects' offsets are indexed (for making
        every document; starts: where the subjects' lines start, when the caller found them:
        subject_ranges); otherwise found by binary search, and `records` is not available."""
        small_out: dict = defaultdict(list)
        small_into: dict = defaultdict(list)
        for source, catalog in ((ontology_nt, False), (catalog_nt, True)):
            for triple in ox.parse(source, format=ox.RdfFormat.N_TRIPLES):
                small_out[triple.subject].append(triple)
                if catalog and isinstance(triple.object, ox.NamedNode):
                    small_into[triple.object].append(triple)
        self.out = _Out(data_nt, small_out, indexed, starts)
        self.into = _Into(store, small_into, graphs)
        self._catalog_subjects = [s for s in small_out if isinstance(s, ox.NamedNode) and s.value.startswith(iris.BASE)]

    def labels(self, node) -> list[ox.Triple]:
        return [t for t in self.out.get(node, ()) if t.predicate.value == LABEL]

    @cached_property
    def records(self) -> dict[str, list[ox.NamedNode]]:
        """Document base -> the instance IRIs it describes (the record's own first), for every
        instance IRI with a description."""
        if self.out.ranges is None:
            raise ValueError("linked_data.Graph: records needs the index (indexed=True)")
        # IRIs as text, sorted and made nodes once each (a node per subject, sorted by its value,
        # took most of this at scale 1000)
        subjects = {s[1:-1] for s in self.out.ranges if s.startswith("<")}
        subjects.update(s.value for s in self._catalog_subjects)
        found: dict[str, list[ox.NamedNode]] = defaultdict(list)
        for s in sorted(subjects):
            base = document_base(s)
            if base is not None:
                found[base].append(ox.NamedNode(s))  # sorted: a record's own IRI before those minted under it
        return dict(sorted(found.items()))

    @cached_property
    def catalog_records(self) -> frozenset[str]:
        """The document bases of the stored queries' records (the query catalogue's)."""
        return frozenset(b for b in (document_base(s.value) for s in self._catalog_subjects) if b is not None)

    def nodes_of(self, base: str) -> list[ox.NamedNode]:
        """records[base], found by binary search (a graph made with indexed=False): the record's
        IRI and those minted under it that are subjects, the record's own first, or [] when it
        has none."""
        iri = NAMESPACE + ID_PATH + base[len(DOC_PATH):]
        catalog = [s for s in self._catalog_subjects if document_base(s.value) == base]
        found = {ox.NamedNode(s[1:-1]) for s in self.out.sorted.subjects_under(iri)} | set(catalog)
        return sorted((n for n in found if document_base(n.value) == base), key=lambda n: n.value)

    def cbd(self, node: ox.NamedNode) -> list[ox.Triple]:
        """The concise bounded description: the node's triples, blank nodes closed over."""
        found, todo, seen = [], [node], {node}
        while todo:
            for triple in self.out.get(todo.pop(), ()):
                found.append(triple)
                if isinstance(triple.object, ox.BlankNode) and triple.object not in seen:
                    seen.add(triple.object)
                    todo.append(triple.object)
        return found

    def document(self, nodes: list[ox.NamedNode]) -> list[ox.Triple]:
        """The nodes' CBDs and the labels of the IRIs they point to, sorted and each triple once."""
        triples = {t for node in nodes for t in self.cbd(node)}
        for triple in list(triples):
            if isinstance(triple.object, ox.NamedNode):
                triples.update(self.labels(triple.object))
        return sorted(triples, key=str)


def stable_ntriples(turtle: bytes, label: str) -> bytes:
    """Turtle as sorted N-Triples whose blank nodes are named `label`0, `label`1, ... in the order
    the parser meets them, so that the same text gives the same bytes every run (a parser names
    them anew each time)."""
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term, ox.BlankNode(f"{label}{len(names)}"))
        return term

    triples = [ox.Triple(stable(q.subject), q.predicate, stable(q.object))
               for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]
    return ox.serialize(sorted(set(triples), key=str), format=ox.RdfFormat.N_TRIPLES)


def serialize(triples: Iterable[ox.Triple], ext: str) -> bytes:
    """A document's RDF in one of the formats (Oxigraph's writers: the same bytes every run for
    the same sorted triples)."""
    if ext in ("ttl", "rdf"):
        return ox.serialize(triples, format=RDF_SYNTAX[ext], prefixes=DOCUMENT_PREFIXES)
    return ox.serialize(triples, format=RDF_SYNTAX[ext])


def graph_documents(name: str, nt: bytes) -> dict[str, bytes]:
    """doc/<name>.<ext> of a whole graph (the ontology, the dataset description) in each RDF
    format; its HTML is the ontology documentation or the dataset page."""
    triples = sorted((q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)), key=str)
    return {f"{DOC_PATH}{name}.{ext}": serialize(triples, ext) for ext in RDF_SYNTAX}


# ------------------------------------------------------------------------------------------------
# The same rules for Apache


# Apache matches Accept by pattern, in this order: a browser's header names text/html and also
# */*, so HTML is tried first; an RDF client's names its syntax; no match falls through to HTML.
APACHE_ORDER = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]


def htaccess(terms: dict[str, str], records: dict[str, list[ox.NamedNode]], served: bool = False) -> str:
    """dist/.htaccess: resolve() as Apache mod_rewrite rules, for a static host (and for a w3id.org
    registration that forwards the namespace to it). `records` (Graph.records) says which IRIs
    each record's document describes: those 303, any other IRI under id/ is 404. served: the
    release holds no files for its records' and nanopublications' documents (they are made by
    `serve`), so a record's IRI 303s without asking for its file, and the documents' requests
    are passed to `serve` at the URL the server's configuration Defines as MIRKG_FRONT."""
    from .templates import render

    return render("htaccess.j2", formats=[(re.escape(m), FORMATS[m]) for m in APACHE_ORDER if m in STATIC],
                  nanopub_formats=[(re.escape(m), ext, m) for m, ext in NANOPUB_FORMATS.items()],
                  graphless="|".join(re.escape(m) for m in GRAPHLESS), nanopub_path=NANOPUB_PATH,
                  trusty=TRUSTY.pattern, graph_path=re.escape(GRAPH_PATH),
                  description_graph=re.escape(DESCRIPTION_GRAPH_PATH),
                  described=described_patterns(records), served=served,
                  served_kinds=sorted({base[len(DOC_PATH):].split("/", 1)[0] for base in records} | {"np", "graph"}),
                  terms=terms, id_path=ID_PATH, doc_path=DOC_PATH, landing=LANDING, docs=ONTOLOGY_DOCS,
                  ontology=ONTOLOGY_PATH, types={ext: media for media, ext in FORMATS.items()})


def described_patterns(records: dict[str, list[ox.NamedNode]]) -> list[tuple[str, str]]:
    """The instance IRIs the documents describe, as few regular expressions as keep them exact:
    (the record, KIND/ID, as a group; what may follow it). The parts every record of a kind has
    (a claim's /span, /evidence, ... and "" for the record's own IRI) make one pattern for the
    kind; a part only some records have is listed with each of them. Read from the documents'
    triples, so a part the data model adds or drops changes the rules with it."""
    parts_of: dict[str, dict[str, set[str]]] = defaultdict(dict)  # kind -> record -> parts
    for base, nodes in records.items():
        kind, record = base[len(DOC_PATH):].split("/", 1)
        own = f"{NAMESPACE}{ID_PATH}{kind}/{record}"
        parts_of[kind][record] = {n.value[len(own):] for n in nodes}

    def tail(parts) -> str:
        named = [re.escape(p) for p in sorted(parts) if p]
        if not named:
            return ""
        return "(?:" + "|".join(named) + ")" + ("?" if "" in parts else "")

    patterns = []
    for kind, by_record in sorted(parts_of.items()):
        common = set.intersection(*by_record.values())
        if common:
            patterns.append((f"({re.escape(kind)}/[^/]+)", tail(common)))
        for record, parts in sorted(by_record.items()):
            if parts - common:
                patterns.append((f"({re.escape(kind)}/{re.escape(record)})", tail(parts - common)))
    return patterns
