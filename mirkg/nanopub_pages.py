"""A document per nanopublication (doc/np/RA<hash>.{trig,nq,jsonld,html}), so that its trusty
URI answers with the nanopublication, as a nanopub server does.

The TriG is the nanopublication's own part of nanopubs.trig, byte for byte: the file's prefix
lines, then its four graph blocks as the file has them, so that what a client gets verifies
against the same hash as the release's file. N-Quads and JSON-LD (a @graph per named graph) hold
the same quads. The page lists its four graphs and links the claim it publishes. One pass over
nanopubs.trig, a nanopublication at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import BuildError
from .linked_data import DOC_PATH, NAMESPACE, NANOPUB_FORMATS, NANOPUB_PATH, TRUSTY
from .templates import render

CLAIM = "https://w3id.org/mirkg/Claim"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# The graphs in the order a reader meets them (the head names the other three), by fragment.
GRAPH_ORDER = ("Head", "assertion", "provenance", "pubinfo")


@dataclass(frozen=True)
class Here:
    """A link within the page (the macros' link: text, href, note)."""

    text: str
    href: str
    note: str = ""


@dataclass(frozen=True)
class Nanopub:
    iri: str
    trig: bytes  # the file's prefix lines and the nanopublication's graph blocks, as the file has them
    quads: list[ox.Quad]


def nanopub_spans(trig: bytes) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """(the file's prefix lines, nanopublication IRI -> the (start, end) byte offsets of its graph
    blocks), in the file's order. The file is Oxigraph's TriG: prefix lines, then one block per
    graph, `<GRAPH> {` to `}` at the start of a line (graph names are whole IRIs: the project's
    namespaces have no prefix there); a nanopublication's blocks are together."""
    spans: dict[str, tuple[int, int]] = {}
    header_end, current, start, at = None, None, 0, 0
    for line in trig.splitlines(keepends=True):
        if header_end is None and line.startswith(b"<"):
            header_end = at
        if header_end is not None:
            if line.startswith(b"<") and line.rstrip().endswith(b"{"):
                iri = line[1:line.index(b">")].decode("utf-8").split("#", 1)[0]
                if iri != current:
                    if current is not None:
                        spans[current] = (start, at)
                    if iri in spans:
                        raise BuildError(f"nanopubs.trig: the graphs of {iri} are not together in the file")
                    current, start = iri, at
            elif current is None:
                raise BuildError(f"nanopubs.trig: a line outside any graph block: {line[:80]!r}")
        at += len(line)
    if current is not None:
        spans[current] = (start, at)
    return trig[:at if header_end is None else header_end], spans


def nanopub_at(trig: bytes, header: bytes, iri: str, span: tuple[int, int]) -> Nanopub:
    """The nanopublication whose graph blocks are trig[span], as its own TriG document (the file's
    prefix lines, then its blocks). A piece whose quads are not all of its graphs stops the build."""
    text = header + trig[span[0]:span[1]]
    quads = list(ox.parse(text, format=ox.RdfFormat.TRIG))
    strays = [q for q in quads if not q.graph_name.value.startswith(iri + "#")]
    if strays:
        raise BuildError(f"nanopubs.trig: the blocks of {iri} hold quads of other graphs ({strays[0]}); "
                         "nanopub_pages.split_trig expects one block per graph")
    return Nanopub(iri, text, quads)


def split_trig(trig: bytes) -> Iterator[Nanopub]:
    """Each nanopublication of nanopubs.trig as its own TriG document, in the file's order, each
    parsed back (nanopub_at): pieces that do not add up to the file stop the build."""
    header, spans = nanopub_spans(trig)
    total = 0
    for iri, span in spans.items():
        found = nanopub_at(trig, header, iri, span)
        total += len(found.quads)
        yield found
    expected = sum(1 for _ in ox.parse(trig, format=ox.RdfFormat.TRIG))
    if total != expected:
        raise BuildError(f"nanopubs.trig: its nanopublications hold {total} quads between them, the file {expected}")


def page(np: Nanopub, link_of: Callable[[ox.Term], object], root: str) -> bytes:
    """The nanopublication's page: its graphs in reading order, each with its statements grouped
    by subject, and the claim its assertion publishes. link_of names and links a term."""
    def link(term):
        # the nanopublication and its graphs are on this page: link them to their section
        if isinstance(term, ox.NamedNode) and (term.value == np.iri or term.value.startswith(np.iri + "#")):
            fragment = term.value[len(np.iri) + 1:]
            return Here(f"this nanopublication{' (' + fragment + ')' if fragment else ''}", f"#{fragment or 'top'}")
        return link_of(term)

    by_graph: dict[str, list[ox.Quad]] = {}
    for q in np.quads:
        by_graph.setdefault(q.graph_name.value, []).append(q)
    order = {name: i for i, name in enumerate(GRAPH_ORDER)}
    graphs = []
    for name in sorted(by_graph, key=lambda g: (order.get(g.split("#", 1)[1], len(order)), g)):
        subjects: dict = {}
        for q in sorted(by_graph[name], key=lambda q: (str(q.subject), str(q.predicate), str(q.object))):
            subjects.setdefault(q.subject, []).append((link(q.predicate), link(q.object)))
        graphs.append((name.split("#", 1)[1], name, [(link(s), rows) for s, rows in subjects.items()]))
    claims = sorted({q.subject for q in np.quads if q.graph_name.value == f"{np.iri}#assertion"
                     and q.predicate.value == RDF_TYPE and q.object.value == CLAIM}, key=str)
    code = np.iri.rsplit("/", 1)[1]
    html = render("nanopub.html.j2", root=root, iri=np.iri, code=code, graphs=graphs,
                  claims=[link(c) for c in claims],
                  formats=[(media, f"{code}.{ext}") for media, ext in NANOPUB_FORMATS.items() if ext != "html"])
    return html.encode("utf-8")


ROOT = "../" * (DOC_PATH + "np/").count("/")  # from a nanopublication's page to the release's root


def nanopub_documents(np: Nanopub, link_of: Callable[[ox.Term], object]) -> Iterator[tuple[str, bytes]]:
    """doc/np/RA<hash>.<ext> of one nanopublication, as (path, bytes); link_of(term) names and
    links a term from a page at ROOT."""
    code = np.iri[len(NAMESPACE + NANOPUB_PATH):]
    if not np.iri.startswith(NAMESPACE + NANOPUB_PATH) or not TRUSTY.fullmatch(code):
        raise BuildError(f"nanopubs.trig: {np.iri} is not a trusty URI under {NAMESPACE}{NANOPUB_PATH}")
    base = f"{DOC_PATH}np/{code}"
    quads = sorted(np.quads, key=str)
    yield f"{base}.trig", np.trig
    yield f"{base}.nq", ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    yield f"{base}.jsonld", ox.serialize(quads, format=ox.RdfFormat.JSON_LD)
    yield f"{base}.html", page(np, link_of, ROOT)


def nanopub_files(trig: bytes, pages, share: tuple[int, int] = (0, 1)) -> Iterator[tuple[str, bytes]]:
    """doc/np/RA<hash>.<ext> of every nanopublication of nanopubs.trig, as (path, bytes). `pages`
    (resource_pages.Pages) names and links the terms; every page is at the same depth, so a
    term's link is made once for them all (a claim's nanopublications share most of theirs).
    share (k, n): only the nanopublications whose place in the file is k modulo n (the whole
    file is still split and checked)."""
    links: dict = {}

    def link_of(term):
        found = links.get(term)
        if found is None:
            found = links[term] = pages.link(term, ROOT)
        return found

    k, n = share
    for i, np in enumerate(split_trig(trig)):
        if i % n == k:
            yield from nanopub_documents(np, link_of)
