"""Writing dist/: every file is prepared in memory, then the folder is replaced in one step.

A failed build leaves the previous dist/ exactly as it was: the new tree is written beside it and
swapped in by renames only when complete.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from .bulk import gc_paused


def canonical(graph: Graph) -> Graph:
    """The graph with its blank nodes relabelled from their structure (RDF canonicalisation).

    rdflib's parser names blank nodes at random, so the ontology's class expressions would get new
    labels on every run; canonical labels keep N-Triples and N-Quads byte-identical across builds.
    """
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    # A build canonicalises the same content many times over (the ontology, read back from its
    # own canonical N-Triples by graph_of_ntriples); the labelling is a function of the triples,
    # so it is computed once per distinct content, and a canonical graph is its own answer.
    key = frozenset(graph)
    triples = _CANONICAL.get(key)
    if triples is None:
        triples = tuple(to_canonical_graph(graph))
        mark_canonical(triples)
        _CANONICAL[key] = triples
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in triples:
        out.add(triple)
    return out


_CANONICAL: dict[frozenset, tuple] = {}
_CACHE_SIZE = 64
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def mark_canonical(triples) -> None:
    """Record that these triples' blank node labels are already a function of their content
    (canonical labels, or labels derived from the content when the graph was made), so that
    canonical() keeps them as they are."""
    triples = tuple(triples)
    if len(_CANONICAL) >= _CACHE_SIZE:
        _CANONICAL.clear()
    _CANONICAL[frozenset(triples)] = triples


def graph_of_ntriples(data: bytes) -> Graph:
    """N-Triples read into an rdflib graph with their blank node labels kept (rdflib's own parser
    renames them at random), so that a graph read back from canonical N-Triples stays canonical."""
    import pyoxigraph as ox

    def term(t):
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == _XSD_STRING:  # written plain, as rdflib's parser reads it
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    graph = Graph()
    for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


def sorted_ntriples(graph: Graph) -> bytes:
    return sorted_ntriples_text(canonical(graph).serialize(format="nt", encoding="utf-8"))


def sorted_ntriples_text(data: bytes) -> bytes:
    """N-Triples text in the release's form: each line once, sorted. The lines are sorted as
    UTF-8 bytes: the same order as sorting the text (UTF-8 keeps code point order), and much
    cheaper than sorting and joining text that is not all ASCII."""
    return _sorted_lines(set(_lines(data)))


def sorted_ntriples_file(path: Path, piece: int = 1 << 25) -> bytes:
    """sorted_ntriples_text of a file's N-Triples, read `piece` bytes (to a line's end) at a
    time, so that the text is never held whole beside its lines."""
    lines: set = set()
    with open(path, "rb") as file:
        while text := file.read(piece):
            text += file.readline()
            lines.update(_lines(text))
    return _sorted_lines(lines)


def _lines(text: bytes):
    """The N-Triples lines of the text, blank ones left out."""
    return (ln for ln in text.splitlines() if ln.strip())


def _sorted_lines(lines) -> bytes:
    with gc_paused():
        return b"\n".join(sorted(lines)) + b"\n"


def sorted_ntriples_of(triples) -> bytes:
    """sorted_ntriples for triples without blank nodes given as a list (triples.triples_of),
    without building an rdflib graph. Checked equal to sorted_ntriples by the tests
    (tests/test_bench.py)."""
    lines: set = set()
    for piece in _line_pieces(triples, len(triples) or 1):
        lines.update(piece)
    return _sorted_lines(lines)


def ntriples_pieces(triples, piece_triples: int = 1 << 16):
    """The N-Triples of triples without blank nodes given as a list (triples.triples_of),
    unsorted, one piece per `piece_triples` triples: a line per triple, in the triples' order
    (a triple listed twice is written twice). For a reader that can start on the first pieces
    before the last are written (the benchmark's SHACL process); sorted_ntriples_text of their
    concatenation is sorted_ntriples_of(triples)."""
    for lines in _line_pieces(triples, piece_triples):
        yield b"\n".join(lines) + b"\n"


def _line_pieces(triples, piece_triples: int):
    """The triples' N-Triples lines, a list per `piece_triples` triples: rdflib's N-Triples
    writer, term by term, each term written once however often it recurs."""
    from rdflib.plugins.serializers.nt import _quoteLiteral

    written: dict = {}

    def term(t) -> bytes:
        text = written.get(t)
        if text is None:
            text = written[t] = (_quoteLiteral(t) if isinstance(t, Literal) else t.n3()).encode("utf-8")
        return text

    for start in range(0, len(triples), piece_triples):
        with gc_paused():
            lines = [b"%s %s %s ." % (term(s), term(p), term(o)) for s, p, o in triples[start:start + piece_triples]]
        yield lines


def turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def deterministic_gzip(data: bytes) -> bytes:
    """gzip with no file name and mtime 0 in its header, so the same input gives the same bytes."""
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return out.getvalue()


def sha256sums(files: dict[str, bytes]) -> bytes:
    """`sha256sum`'s format ("<hex>  <path>"), one line per file, sorted by path; verifiable
    with `sha256sum -c SHA256SUMS` from inside the release folder."""
    lines = [f"{hashlib.sha256(content).hexdigest()}  {rel}\n" for rel, content in sorted(files.items())]
    return "".join(lines).encode("utf-8")


def write_tree(target: Path, files: dict[str, bytes]) -> None:
    """Replace `target` by a folder holding exactly `files` (relative path -> bytes)."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    holder = None
    try:
        for rel, content in sorted(files.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if target.exists():
            holder = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rename(target, holder / target.name)
        os.rename(staging, target)
    except BaseException:
        if holder is not None and not target.exists():
            os.rename(holder / target.name, target)
        shutil.rmtree(staging, ignore_errors=True)
        if holder is not None:
            shutil.rmtree(holder, ignore_errors=True)
        raise
    if holder is not None:
        shutil.rmtree(holder, ignore_errors=True)
