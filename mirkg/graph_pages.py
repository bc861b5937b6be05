"""A document per named graph of the dataset (doc/graph/<version>/<name>.{ttl,jsonld,html}), so
that a graph's IRI (https://w3id.org/mirkg/graph/<version>/...) answers with its contents, as
the dataset's other IRIs answer with their descriptions.

The RDF is the graph's triples, as mirkg.nq holds them under its name, in the release's sorted
order; the page gives what the description (void.ttl) says of the graph, its figures and source,
the records it holds by kind, and where to get it. Each graph is written in one pass over its
sorted lines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from . import iris
from .dataset import DESCRIPTION_FILE
from .errors import BuildError
from .named_graphs import Lines
from .linked_data import DOC_PATH, NAMESPACE, ONTOLOGY_DOCS, STATIC, serialize
from .templates import render

MAX_RECORDS = 100  # links listed per kind on a graph's page; the SPARQL endpoint has them all


@dataclass(frozen=True)
class Kind:
    name: str
    count: int
    records: list  # links (resource_pages.Link) to the first MAX_RECORDS records' pages


def _triples(lines: Lines) -> Iterator[ox.Triple]:
    """The triples of sorted N-Triples lines, parsed a piece at a time (a blank node's label
    keeps its text across pieces, so the same label is the same node)."""
    for piece in lines.pieces():
        yield from (q.triple for q in ox.parse(piece, format=ox.RdfFormat.N_TRIPLES))


def _records(lines: Lines) -> dict[str, list[str]]:
    """kind -> the IRIs of the records (not the nodes minted under them) whose triples the graph
    holds, in order; read from the lines' subjects, which are sorted."""
    found: dict[str, list[str]] = defaultdict(list)
    last = None
    for line in lines:
        if not line.startswith(b"<"):
            continue
        subject = line[1:line.index(b">")]
        if subject == last:
            continue
        last = subject
        parsed = iris.parse(subject.decode("utf-8"))
        if parsed is not None and parsed.record:
            own = f"{iris.BASE}{parsed.kind}/{parsed.record}"
            if not found[parsed.kind] or found[parsed.kind][-1] != own:
                found[parsed.kind].append(own)
    return dict(sorted(found.items()))


def described(description_nt: bytes) -> dict[str, list[ox.Triple]]:
    """What the description (void.ttl, as N-Triples) says of each IRI: IRI -> its triples."""
    said: dict[str, list[ox.Triple]] = defaultdict(list)
    for triple in ox.parse(description_nt, format=ox.RdfFormat.N_TRIPLES):
        if isinstance(triple.subject, ox.NamedNode):
            said[triple.subject.value].append(triple)
    return said


def graph_files(graphs: dict, description_nt: bytes, link: Callable[[ox.Term, str], object]
                ) -> Iterator[tuple[str, bytes]]:
    """doc/graph/<version>/<name>.<ext> of every named graph of the release, as (path, bytes).
    graphs: graph IRI -> its sorted N-Triples lines (named_graphs.Split.graphs); description_nt: the
    description (void.ttl) as N-Triples; link(term, root): a term as a page's link
    (resource_pages.Pages.link)."""
    said = described(description_nt)
    for graph, lines in sorted(graphs.items(), key=lambda kv: str(kv[0])):
        yield from one_graph_files(str(graph), lines, said.get(str(graph), []), link)


def one_graph_files(name: str, lines: Lines, said: list[ox.Triple], link: Callable[[ox.Term, str], object]
                    ) -> Iterator[tuple[str, bytes]]:
    """One named graph's documents and page: name its IRI, lines its sorted N-Triples lines,
    said what the description says of it."""
    if not name.startswith(NAMESPACE):
        raise BuildError(f"named graph {name} is outside the dataset's namespace {NAMESPACE}; "
                         "graph_pages.graph_files lays out doc/ like the namespace")
    base = DOC_PATH + name[len(NAMESPACE):]
    for ext in STATIC.values():
        if ext != "html":
            yield f"{base}.{ext}", serialize(_triples(lines), ext)
    yield f"{base}.html", page(name, base, lines, said, link)


_BLOCK = re.compile(rb"^(\S[^\n]*) \{\n", re.MULTILINE)  # a graph block's first line in Oxigraph's TriG
_PREFIX = re.compile(rb"^@prefix ([^:\s]*): <([^>]*)> \.$", re.MULTILINE)


def graph_blocks(trig: bytes) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """(the file's prefix lines, graph IRI -> the (start, end) byte offsets of its block) of
    mirkg.trig: Oxigraph's TriG, prefix lines, then a block per graph, `NAME {` to `}`, each
    graph's triples in one block."""
    first = _BLOCK.search(trig)
    header = trig[:first.start()] if first else trig
    prefixes = {m.group(1).decode(): m.group(2).decode() for m in _PREFIX.finditer(header)}
    starts = []
    for m in _BLOCK.finditer(trig):
        name = m.group(1).decode("utf-8")
        if name.startswith("<"):
            iri = name[1:-1]
        else:
            prefix, _, local = name.partition(":")
            iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)  # PN_LOCAL's escapes (\/)
        starts.append((iri, m.start()))
    ends = [start for _, start in starts[1:]] + [len(trig)]
    return header, {iri: (start, end) for (iri, start), end in zip(starts, ends)}


def graph_lines(trig: bytes, header: bytes, span: tuple[int, int]) -> Lines:
    """A named graph's triples, from its block of mirkg.trig (with the file's prefix lines,
    `header`), as sorted N-Triples lines (no newline)."""
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(header + trig[span[0]:span[1]],
                                                                             format=ox.RdfFormat.TRIG))
    return Lines.of(sorted(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines()))


def page(name: str, base: str, lines: Lines, described: Iterable[ox.Triple],
         link: Callable[[ox.Term, str], object]) -> bytes:
    root = "../" * base.count("/")
    local = base.rsplit("/", 1)[1]
    about = sorted(described, key=lambda t: (str(t.predicate), str(t.object)))
    title = next((t.object.value for t in about if t.predicate.value == "http://purl.org/dc/terms/title"), name)
    facts = [(link(t.predicate, root), link(t.object, root)) for t in about
             if t.predicate.value != "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
             and t.predicate.value != "http://purl.org/dc/terms/title"]
    kinds = [Kind(kind, len(found), [link(ox.NamedNode(iri), root) for iri in found[:MAX_RECORDS]])
             for kind, found in _records(lines).items()]
    html = render(
        "graph.html.j2", root=root, iri=name, title=title, facts=facts, kinds=kinds, max_records=MAX_RECORDS,
        triples=len(lines), formats=[(media, f"{local}.{ext}") for media, ext in STATIC.items() if ext != "html"],
        ontology_docs=ONTOLOGY_DOCS if name.endswith("/ontology") else "", description=DESCRIPTION_FILE,
    )
    return html.encode("utf-8")
