"""A page per resource (doc/<kind>/<id>.html): what the resource's document says, for people.

Label, types, definition, external identifiers as links and every statement about it; for a
claim its parts, evidence, hedge, citation and its quote highlighted in the source text; for
anything claims point to (an entity, a work), every claim it takes part in, with its quote and
citation. Read from the release's triples (linked_data.Graph) by the ontology's terms, not from
the curated records, so that whatever the data model adds shows up as a statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from markupsafe import Markup

from .iris import query_iri
from .linked_data import DOCUMENTS, FILES_UP_TO, ONTOLOGY_DOCS, SERVED_MARK, STATIC, Graph, document_base, path_of
from .namespaces import MIRKG, OA, PREFIXES
from .queries import CATALOG_PREFIXES, QUERY_NS, StoredQuery, query_body
from .templates import macro, render

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABELS = [ox.NamedNode(iri) for iri in ("http://www.w3.org/2000/01/rdf-schema#label",
                                         "http://www.w3.org/2004/02/skos/core#prefLabel")]
DEFINITIONS = [ox.NamedNode(iri) for iri in ("http://www.w3.org/2004/02/skos/core#definition",
                                              "http://purl.obolibrary.org/obo/IAO_0000115",
                                              "http://www.w3.org/2000/01/rdf-schema#comment")]


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


CLAIM = _n(MIRKG.Claim)
XREF = _n(MIRKG.xref)
PARTS = [_n(MIRKG[name]) for name in ("claimSubject", "claimRelation", "claimObject")]
HAS_SPAN, HAS_EVIDENCE, HAS_CITATION = _n(MIRKG.hasTextSpan), _n(MIRKG.hasEvidence), _n(MIRKG.hasCitation)
CITED_AS, HEDGE_CUE, IS_HEDGED = _n(MIRKG.citedAs), _n(MIRKG.hedgeCue), _n(MIRKG.isHedged)
HAS_SOURCE, HAS_SELECTOR = _n(OA.hasSource), _n(OA.hasSelector)
START, END, EXACT, TEXT = _n(OA.start), _n(OA.end), _n(OA.exact), _n(MIRKG.text)
IN_SOURCE = _n(MIRKG.inSource)  # the source node, which holds the text (oa:hasSource is the text's file)
# A page lists the resources that point to it up to this many (the source text is pointed to by
# every text span), and the claims that point to it up to MAX_CLAIMS (an entity takes part in a
# handful; an agent or a reference can stand behind thousands in a large release); the SPARQL
# endpoint gives them all.
MAX_REFERENCED_BY = 100
MAX_CLAIMS = 500
CACHED_NODES = 200_000  # what the page maker keeps of the nodes it has read (see Pages)
CONTEXT_CHARS = 160  # of the source text on each side of a quote, cut at a sentence when one ends there


@dataclass(frozen=True)
class Link:
    text: str
    href: str = ""
    note: str = ""

    @cached_property
    def html(self) -> Markup:
        """The link as the `link` macro writes it, rendered once per link: a page of a large
        release shows the same few thousand links hundreds of thousands of times."""
        return Markup(macro("link")(self))


@dataclass
class Quote:
    before: str
    exact: str
    after: str


@dataclass
class QueryView:
    title: str
    question: str
    answer: str
    form: str
    params: list[tuple[str, str, str, str]]  # name, IRI|literal, required|optional, description
    example: list[tuple[str, Link]]
    text: str
    answer_file: Link
    run: str


@dataclass
class ClaimView:
    link: Link
    role: str = ""
    quote: Quote | None = None
    citation: list[Link] = field(default_factory=list)
    parts: list[tuple[str, Link]] = field(default_factory=list)
    evidence: list[Link] = field(default_factory=list)
    hedge: str = ""


class Pages:
    """Pages of the resources of one release: links are relative, so the pages work from the
    file system as from any host."""

    def __init__(self, graph: Graph, terms: dict[str, str], queries: Iterable[tuple[StoredQuery, str]] = ()):
        """queries: the stored queries (their documentation, read from their files) with the path of
        their answer in the release."""
        self.graph, self.terms = graph, terms
        self.queries = {str(query_iri(q.name)): (q, answer) for q, answer in queries}
        self._properties: dict = {}
        self._labels: dict = {}
        self._links: dict = {}
        self._claims: dict = {}

    def _forget_when_large(self) -> None:
        """The caches above serve the pages of neighbouring records (a claim's parts, the
        entities its page names); kept for a whole large release they would hold every node
        twice over, so they start again past CACHED_NODES."""
        if len(self._properties) + len(self._links) > CACHED_NODES:
            for cache in (self._properties, self._labels, self._links, self._claims):
                cache.clear()

    # -- small readers of the graph ---------------------------------------------------------

    def values(self, node, predicate: ox.NamedNode) -> list:
        found = self._properties.get(node)
        if found is None:
            found = self._properties[node] = {}
            for t in self.graph.out.get(node, ()):
                found.setdefault(t.predicate, []).append(t.object)
        return found.get(predicate, [])

    def first(self, node, predicate: ox.NamedNode):
        found = self.values(node, predicate)
        return found[0] if found else None

    def label(self, node) -> str:
        found = self._labels.get(node)
        if found is None:
            found = self._labels[node] = self._label(node)
        return found

    def _label(self, node) -> str:
        for predicate in LABELS:
            value = self.first(node, predicate)
            if isinstance(value, ox.Literal):
                return value.value
        if isinstance(node, ox.NamedNode):
            return _curie(node.value)
        return str(node)

    def href(self, node, root: str) -> str:
        """Where a link to the node goes from a page `root` below the tree's top."""
        if not isinstance(node, ox.NamedNode):
            return ""
        base = document_base(node.value)
        if base is not None:
            return f"{root}{base}.html" if node in self.graph.out else ""
        local = path_of(node.value)
        if local is not None and local in self.terms:
            anchor = self.terms[local]
            return f"{root}{ONTOLOGY_DOCS}" + (f"#{anchor}" if anchor else "")
        return node.value

    def link(self, node, root: str) -> Link:
        """The node as a link from a page `root` below the top; one Link per node and root, so
        that its HTML is rendered once."""
        key = (node, root)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = self._link(node, root)
        return found

    def _link(self, node, root: str) -> Link:
        if isinstance(node, ox.Literal):
            return Link(node.value, note=f"@{node.language}" if node.language else "")
        if isinstance(node, ox.BlankNode) and not any(self.values(node, p) for p in LABELS):
            # a node without a name of its own (a prefix declaration of the query catalogue) is
            # shown by what it says, which is its identity
            said = sorted((self.label(t.predicate), self.link(t.object, root).text) for t in self.graph.out.get(node, ()))
            return Link("; ".join(f"{p}: {o}" for p, o in said) or str(node))
        return Link(self.label(node), self.href(node, root))

    def is_claim(self, node) -> bool:
        return CLAIM in self.values(node, RDF_TYPE)

    # -- views ------------------------------------------------------------------------------

    def quote(self, claim) -> Quote | None:
        span = self.first(claim, HAS_SPAN)
        if span is None:
            return None
        start = end = exact = None
        for selector in self.values(span, HAS_SELECTOR):
            start = start if start is not None else self.first(selector, START)
            end = end if end is not None else self.first(selector, END)
            exact = exact if exact is not None else self.first(selector, EXACT)
        source = self.first(span, IN_SOURCE)
        text = self.first(source, TEXT) if source is not None else None
        if text is not None and start is not None and end is not None:
            a, b, full = int(start.value), int(end.value), text.value
            lo = max(0, a - CONTEXT_CHARS)
            cut = full.rfind(". ", lo, a)
            lo = cut + 2 if cut >= 0 else lo
            hi = min(len(full), b + CONTEXT_CHARS)
            cut = full.find(". ", b, hi)
            hi = cut + 1 if cut >= 0 else hi
            return Quote(("…" if lo > 0 else "") + full[lo:a], full[a:b], full[b:hi] + ("…" if hi < len(full) else ""))
        return Quote("", exact.value, "") if exact is not None else None

    def citation(self, claim, root: str) -> list[Link]:
        found = [Link(v.value) for v in self.values(claim, CITED_AS)]
        for reference in self.values(claim, HAS_CITATION):
            found.append(self.link(reference, root))
            for target in (t.object for t in self.graph.out.get(reference, ())
                           if isinstance(t.object, ox.NamedNode) and document_base(t.object.value)):
                found.append(self.link(target, root))
        return found

    def claim_view(self, claim, root: str, role: str = "") -> ClaimView:
        """A claim as a page shows it; made once per claim and root (an entity's page and every
        page of the claim's parts show the same view), with the role it plays on this page."""
        key = (claim, root)
        found = self._claims.get(key)
        if found is None:
            found = self._claims[key] = self._claim_view(claim, root)
        return replace(found, role=role) if role else found

    def _claim_view(self, claim, root: str) -> ClaimView:
        hedge = ", ".join(v.value for v in self.values(claim, HEDGE_CUE))
        if not hedge and any(v.value == "true" for v in self.values(claim, IS_HEDGED)):
            hedge = "hedged"
        return ClaimView(
            link=self.link(claim, root), quote=self.quote(claim), citation=self.citation(claim, root),
            parts=[(self.label(p), self.link(v, root)) for p in PARTS for v in self.values(claim, p)],
            evidence=[self.link(t, root) for e in self.values(claim, HAS_EVIDENCE)
                      for t in self.values(e, RDF_TYPE)],
            hedge=hedge,
        )

    def query_view(self, node, root: str) -> QueryView | None:
        """A stored query's documentation: what its catalogue entry says in prose, as the parts a
        user runs it with."""
        found = self.queries.get(node.value)
        if found is None:
            return None
        query, answer = found
        example = []
        for name, value in sorted(query.example.items()):
            iri = _expand(value)
            example.append((name, self.link(ox.NamedNode(iri), root) if iri else Link(value)))
        return QueryView(
            title=query.title, question=query.question, answer=query.answer, form=query.form,
            params=[(p.name, p.kind, "required" if p.required else "optional", p.description) for p in query.params],
            example=example, text=query_body(query), answer_file=Link(answer, root + answer),
            run=f"python build.py query {query.name}" + "".join(
                f" --param {k}={v}" for k, v in sorted(query.example.items())),
        )

    def statements(self, node, root: str) -> list[tuple[Link, list[Link]]]:
        """Every statement about the node, by predicate (a blank node it points to is shown by
        what it says, in link())."""
        found: dict[str, tuple[Link, list[Link]]] = {}
        for triple in sorted(self.graph.out.get(node, ()), key=lambda t: (self.label(t.predicate), str(t.object))):
            key = triple.predicate.value
            if key not in found:
                found[key] = (self.link(triple.predicate, root), [])
            found[key][1].append(self.link(triple.object, root))
        return list(found.values())

    def page(self, base: str, nodes: list[ox.NamedNode]) -> tuple[str, bytes]:
        """The page of a record: its own node, and the nodes minted under it (a claim's span,
        selectors, evidence) each with its statements."""
        self._forget_when_large()
        node, parts = nodes[0], nodes[1:]
        root = "../" * base.count("/")
        types = self.values(node, RDF_TYPE)
        query = self.query_view(node, root)
        definition = next((v.value for p in DEFINITIONS for v in self.values(node, p)), "")
        if query is not None:
            definition = ""  # the query's section gives its question and its answer, each named
        elif not definition:
            definition = next((v.value for t in types for p in DEFINITIONS for v in self.values(t, p)
                               if isinstance(v, ox.Literal)), "")
        incoming = sorted(self.graph.into.get(node, ()), key=lambda t: (str(t.subject), str(t.predicate)))
        claims = [t for t in incoming if self.is_claim(t.subject) and not self.is_claim(node)]
        more_claims = max(0, len(claims) - MAX_CLAIMS)
        claims = [self.claim_view(t.subject, root, self.label(t.predicate)) for t in claims[:MAX_CLAIMS]]
        others = [t for t in incoming if not self.is_claim(t.subject) and t.subject != node]
        more = max(0, len(others) - MAX_REFERENCED_BY)
        others = [(self.link(t.subject, root), self.label(t.predicate)) for t in others[:MAX_REFERENCED_BY]]
        name = base.rsplit("/", 1)[-1]
        html = render(
            "resource.html.j2",
            root=root, iri=node.value, label=self.label(node), types=[self.link(t, root) for t in types],
            definition=definition, identifiers=[self.link(x, root) for x in self.values(node, XREF)],
            formats=[(media, f"{name}.{ext}") for media, ext in STATIC.items() if ext != "html"],
            claim=self.claim_view(node, root) if self.is_claim(node) else None, query=query,
            claims=claims, more_claims=more_claims, others=others, more=more, statements=self.statements(node, root),
            parts=[(p.value, self.label(p), self.statements(p, root)) for p in parts],
        )
        return f"{base}.html", html.encode("utf-8")


def _expand(value: str) -> str:
    """The IRI a stored query's example value names (<...>, a full IRI or a CURIE of the
    project's prefixes), "" for a literal."""
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    if value.startswith(("http://", "https://")):
        return value
    prefix, colon, local = value.partition(":")
    return PREFIXES[prefix] + local if colon and prefix in PREFIXES else ""


# The prefixes a page abbreviates IRIs with: the data's, and the query catalogue's vocabularies
# (SHACL, schema.org, sparql-examples) for the stored queries' pages.
PAGE_PREFIXES = {**{k: v for k, v in CATALOG_PREFIXES.items() if v != QUERY_NS}, **PREFIXES}


def _curie(iri: str) -> str:
    for prefix, namespace in sorted(PAGE_PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def record_files(graph: Graph, pages: Pages, base: str, nodes: list[ox.NamedNode]):
    """One record's document in every static format and its page, as (path, bytes)."""
    from .linked_data import serialize

    triples = graph.document(nodes)
    for ext in STATIC.values():
        if ext != "html":
            yield f"{base}.{ext}", serialize(triples, ext)
    yield pages.page(base, nodes)


def resource_files(graph: Graph, terms: dict[str, str], queries: Iterable[tuple[StoredQuery, str]] = (),
                   share: tuple[int, int] = (0, 1), bases: Iterable[str] | None = None):
    """doc/: every record's document in every format and its page, from the release's triples,
    as (path, bytes) one file at a time (a large release's documents are never held at once).
    share (k, n): only the records whose place in the sorted list is k modulo n, so that n
    processes can make them together; bases: only these records."""
    pages = Pages(graph, terms, queries)
    k, n = share
    records = graph.records if bases is None else {b: graph.records[b] for b in sorted(bases)}
    for i, (base, nodes) in enumerate(records.items()):
        if i % n == k:
            yield from record_files(graph, pages, base, nodes)


def record_index(data_nt: bytes, ontology_nt: bytes, store: ox.Store, catalog_ttl: bytes = b"",
                 subject_starts: Sequence[int] = ()) -> Graph:
    """The index of the release's triples by record that LinkedDataFiles reads (the data's, the
    ontology's, and the stored queries' catalogue, catalog_ttl), made now: it needs neither the
    description nor the ontology's documentation, so the build makes it while those wait, and
    a forked share of the documents finds it made. subject_starts: where each subject's lines
    start in data_nt, when the caller found them already (named_graphs.Split.subject_starts)."""
    from .linked_data import stable_ntriples

    index = Graph(data_nt, ontology_nt, store, stable_ntriples(catalog_ttl, "catalog") if catalog_ttl else b"",
                  starts=subject_starts)
    index.records  # noqa: B018
    return index


class LinkedDataFiles:
    """What makes the release's IRIs dereferenceable, as (path, bytes): every record's documents
    (those of record_index, the data's and the stored queries' of the catalogue, with `queries` their
    documentation and the path of their answer), the ontology's and the description's
    (doc/ontology.*, doc/dataset.*), each nanopublication's (doc/np/*, from the TriG file nanopubs_trig), each
    named graph's (doc/graph/*, from `graphs`: graph IRI -> its sorted N-Triples lines) and the
    Apache rules (.htaccess). The records' files can be made in shares, by processes forked from
    this one. documents (DOCUMENTS):
    whether the data's records, the nanopublications and the named graphs get files; when they do
    not (`served`, "auto" above FILES_UP_TO records), SERVED_MARK says so instead."""

    def __init__(self, index: Graph, ontology_nt: bytes, description_nt: bytes, docs_html: str,
                 queries: Iterable[tuple[StoredQuery, str]] = (),
                 nanopubs_trig: Path | None = None, graphs: dict | None = None, documents: str = "files"):
        from .linked_data import term_anchors

        self.ontology_nt, self.description_nt = ontology_nt, description_nt
        self.queries, self.nanopubs_trig, self.graphs = list(queries), nanopubs_trig, graphs
        if documents not in DOCUMENTS:
            raise ValueError(f"documents: {documents!r} is not one of {', '.join(DOCUMENTS)}")
        self.terms = term_anchors(docs_html, ontology_nt)
        self.graph = index
        self.served = documents == "served" or (documents == "auto" and len(self.graph.records) > FILES_UP_TO)

    def shared(self, share: tuple[int, int] = (0, 1)):
        """The files there is one of per record or nanopublication (nearly all of them), those
        of the share (k, n): see resource_files and nanopub_files."""
        from .nanopub_pages import nanopub_files

        if self.served:
            yield from resource_files(self.graph, self.terms, self.queries, share, self.graph.catalog_records)
            return
        yield from resource_files(self.graph, self.terms, self.queries, share)
        if self.nanopubs_trig is not None:
            yield from nanopub_files(self.nanopubs_trig.read_bytes(), Pages(self.graph, self.terms), share)

    def rest(self):
        """Everything but the shared files."""
        from .graph_pages import graph_files
        from .linked_data import graph_documents, htaccess

        yield from graph_documents("ontology", self.ontology_nt).items()
        yield from graph_documents("dataset", self.description_nt).items()
        pages = Pages(self.graph, self.terms)
        if self.graphs and not self.served:
            yield from graph_files(self.graphs, self.description_nt, pages.link)
        if self.served:
            yield SERVED_MARK, render("on-demand.txt.j2", records=len(self.graph.records),
                                      files_up_to=FILES_UP_TO).encode("utf-8")
        yield ".htaccess", htaccess(self.terms, self.graph.records, served=self.served).encode("utf-8")

    def __iter__(self):
        yield from self.shared()
        yield from self.rest()
