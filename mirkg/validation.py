"""SHACL validation of the instance data, by one of three engines.

`pyshacl` is the reference engine; `turbo` (pyshacl-turbo, same API, a Rust core) gives the
same results, checked by the tests, in a fraction of the time; `turbo-oxigraph`, the build's
default, leaves the core constraints to pyshacl-turbo and answers the SHACL-SPARQL ones once over
all focus nodes on the build's pyoxigraph store (mirkg/shacl_sparql.py): the same results again,
at a cost that grows with the data rather than with its square. The results and the report a
curator reads are in mirkg/shacl_report.py.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import chain
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from . import shacl_sparql
from .bulk import give_back_freed_memory
from .children import in_child
from .shacl_report import Result, result_order, results_of


def load_shapes(directory: Path) -> Graph:
    shapes = Graph()
    for path in sorted(directory.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


ENGINES = ("turbo-oxigraph", "turbo", "pyshacl")
DEFAULT_ENGINE = ENGINES[0]

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def shape_shares(shapes: Graph, parts: int) -> list[Graph]:
    """The shapes graph `parts` times over, each copy keeping the targets of a share of the
    shapes (and every other triple, so that shapes reached through sh:node, sh:or and the like
    still work). Validating the shares side by side gives the whole validation's results: each
    result is reported by the targeted shape it comes from, which is targeted in one share.
    The shares are balanced by a rough weight (constraints, SPARQL ones counting more)."""
    targeted = sorted({s for p in _TARGETS for s in shapes.subjects(p, None)}, key=str)
    if parts <= 1 or len(targeted) < 2:
        return [shapes]

    def weight(shape) -> int:
        return 1 + len(set(shapes.objects(shape, SH.property))) + 8 * len(set(shapes.objects(shape, SH.sparql)))

    loads, owner = [0] * parts, {}
    for shape in sorted(targeted, key=lambda s: (-weight(s), str(s))):
        lightest = loads.index(min(loads))
        owner[shape] = lightest
        loads[lightest] += weight(shape)
    shares = []
    for part in range(parts):
        share = Graph()
        for triple in shapes:
            if triple[1] in _TARGETS and owner.get(triple[0], part) != part:
                continue
            share.add(triple)
        shares.append(share)
    return shares


# What a shape may say when its core constraints read the data only through the predicates its
# paths, targets and property pairs name (SHACL 1.0 §2-4, without inference): any other SHACL term
# (sh:sparql, a SPARQL or custom target, a rule, a custom constraint component) or a closed shape
# may read any triple.
_PAIRS = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.targetSubjectsOf, SH.targetObjectsOf)
_READ_ONLY_BY_NAME = {
    *_PAIRS, SH.targetClass, SH.targetNode, SH.property, SH.path, SH.inversePath, SH.alternativePath,
    SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath, SH["class"], SH.datatype, SH.nodeKind, SH.minCount,
    SH.maxCount, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength,
    SH.pattern, SH.flags, SH.languageIn, SH.uniqueLang, SH["not"], SH["and"], SH["or"], SH.xone, SH.node,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
    SH.hasValue, SH["in"], SH.closed, SH.ignoredProperties, SH.severity, SH.message, SH.name, SH.description,
    SH.order, SH.group, SH.deactivated, SH.defaultValue, SH.declare, SH.prefixes, SH.prefix, SH.namespace,
    # a query is run only through sh:sparql, sh:target or a validator, which are not in this list:
    # the SHACL-SPARQL constraints the build answers on its store leave theirs behind (_split)
    SH.select, SH.ask,
}


def predicates_read(shapes: Graph) -> frozenset[bytes] | None:
    """The predicates, as N-Triples IRIs (b"<…>"), of every data triple the core constraints of
    `shapes` can read, or None when they may read any. A triple with another predicate changes
    no result: dropping it before the engine reads the data spares its memory and time (0.08 GB
    and 4 s of CPU at scale 1000). rdf:type and rdfs:subClassOf are always read (targets, sh:class)."""
    for predicate in set(shapes.predicates()):
        if str(predicate).startswith(str(SH)) and predicate not in _READ_ONLY_BY_NAME:
            return None
    if any(flag.toPython() is True for flag in shapes.objects(None, SH.closed)):
        return None
    named = {RDF.type, RDFS.subClassOf} | {p for pair in _PAIRS for p in shapes.objects(None, pair)}
    seen: set = set()
    for path in shapes.objects(None, SH.path):
        stack = [path]
        while stack:  # a path's IRIs, through its sequences, alternatives and inverses
            node = stack.pop()
            if isinstance(node, URIRef):
                if node != RDF.nil:  # the end of a sequence's or alternatives' list
                    named.add(node)
            elif node not in seen:  # (a malformed list may loop)
                seen.add(node)
                stack.extend(shapes.objects(node, None))
    return frozenset(b"<%s>" % str(p).encode() for p in named if isinstance(p, URIRef))


def lines_read(pieces, predicates: frozenset[bytes] | None):
    """N-Triples pieces of whole lines, each without the lines whose predicate is not in
    `predicates` (predicates_read; None keeps every line)."""
    if predicates is None:
        yield from pieces
        return
    for piece in pieces:
        kept = []
        for line in piece.splitlines(keepends=True):
            parts = line.split(b" ", 2)
            if len(parts) < 3 or parts[1] in predicates:  # a line it cannot cut, the engine judges
                kept.append(line)
        yield b"".join(kept)


def _read_by(data: Graph, predicates: frozenset[bytes] | None) -> Graph:
    """lines_read on an rdflib graph."""
    if predicates is None:
        return data
    read = Graph()
    for triple in data:
        if b"<%s>" % str(triple[1]).encode() in predicates:
            read.add(triple)
    return read


def _split(shapes: Graph, engine: str) -> tuple[Graph, list]:
    """The shapes the core engine checks, and the SHACL-SPARQL constraints left to the store."""
    _check_engine(engine)
    if engine == "turbo-oxigraph":
        return shacl_sparql.split_shapes(shapes)
    return shapes, []


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}; use one of {ENGINES}")


def run_shacl(data: Graph, shapes: Graph, ontology: Graph | None = None, engine: str = DEFAULT_ENGINE) -> list[Result]:
    """Every validation result on rdflib graphs, in this process, sorted, whatever its severity:
    for shape fixtures and the `validate` command's callers that hold a graph. The build runs the
    same engines on its N-Triples (ShaclRun)."""
    from .queries import store_from_ntriples

    core, constraints = _split(shapes, engine)
    # The shapes follow the ontology's subclass and relation axioms, so they see both.
    read = _read_by(data, predicates_read(core))
    union = read + ontology if ontology is not None else read
    found = set(_core_results(engine, union, core))
    if constraints:
        graphs = (data, ontology) if ontology is not None else (data,)
        store = store_from_ntriples(*(g.serialize(format="nt", encoding="utf-8") for g in graphs))
        found |= shacl_sparql.run(store, constraints)
    return sorted(found, key=result_order)


class ShaclRun:
    """SHACL as the build runs it, on two cores. The core constraints run in a child forked
    first, while this process is small, reading the ontology and then the data's N-Triples as
    the feed hands them over (mirkg/children.py); the SHACL-SPARQL constraints run here on the
    build's store (`finish`). `budget` (seconds from when the data is all written, or None)
    stops a child that takes longer: then `finish` gives None."""

    def __init__(self, shapes: Graph, engine: str, ontology_nt: bytes, feed, budget: float | None = None):
        # The child splits the shapes itself, checking the SHACL-SPARQL constraints (rdflib's
        # SPARQL parser, a fixed cost) while it waits for the data; an UnsupportedConstraint
        # comes back from it as it is. This process only builds their queries.
        _check_engine(engine)
        self.constraints = (shacl_sparql.constraints_of(shapes, pre_binding_checked=False)
                            if engine == "turbo-oxigraph" else [])
        self._child = in_child(_validate_fed, engine, ontology_nt, feed, shapes, budget=budget)
        self.times: dict[str, float] = {}

    def data_written(self) -> None:
        self._child.start_budget()

    def finish(self, store) -> list[Result] | None:
        # The child first: evaluating the SHACL-SPARQL constraints holds memory (a third of a
        # gigabyte at scale 1000), which beside the child's validation made the build's peak. On
        # a busy machine the wait costs little: the child has the CPU this process leaves. A
        # constraint the engine cannot run is refused by the child, in its words.
        start = time.perf_counter()
        outcome, _ = self._child()
        self.times["waiting for the core constraints"] = time.perf_counter() - start
        if outcome is None:
            return None
        start = time.perf_counter()
        found = shacl_sparql.run(store, self.constraints) if self.constraints else set()
        self.times["SHACL-SPARQL constraints on the store"] = time.perf_counter() - start
        core_results, child_times = outcome
        self.times.update(child_times)
        return sorted(set(core_results) | found, key=result_order)

    def stop(self) -> None:
        self._child.stop()


def _validate_fed(engine: str, ontology_nt: bytes, feed, shapes: Graph):
    """In the child: the shapes split (and their SHACL-SPARQL constraints checked), then the
    ontology's and the feed's N-Triples validated; (results, times)."""
    try:
        shapes, _ = _split(shapes, engine)
    except shacl_sparql.UnsupportedConstraint:
        for _ in feed:  # the parent writes on until it hears of the refusal
            pass
        raise
    start = time.perf_counter()
    data = _engine_input(engine, chain((ontology_nt,), lines_read(feed, predicates_read(shapes))))
    give_back_freed_memory()  # what reading freed, which the C library kept through the validation (24 MB at scale 1000)
    read = time.perf_counter() - start - feed.idle
    start = time.perf_counter()
    results = _core_results(engine, data, shapes)
    return results, {"core constraints: reading the N-Triples": read,
                     "core constraints: validating": time.perf_counter() - start}


def _engine_input(engine: str, pieces):
    """What the engine reads the N-Triples pieces from: for pyshacl-turbo, rdflib-turbo's native
    dataset (it then validates without turning every triple into an rdflib term) or the text
    joined when that dataset cannot be used; for pyshacl, an rdflib graph."""
    if engine == "pyshacl":
        graph = Graph()
        for piece in pieces:
            graph.parse(data=piece, format="nt")
        return graph
    dataset = _native_dataset()
    if dataset is None:
        return b"".join(pieces)
    data = dataset()
    for piece in pieces:
        for part in _parts(piece):
            data.parse(data=part, format="nt")
    return data


def _native_dataset():
    """rdflib-turbo's native dataset when its SHACL engine is pyshacl-turbo's own; else None."""
    try:
        import pyshacl_turbo
        import rdflib_turbo
    except ImportError:
        return None
    if rdflib_turbo._native.SHACL_ENGINE_FINGERPRINT != pyshacl_turbo._native.SHACL_ENGINE_FINGERPRINT:
        return None
    return rdflib_turbo.Dataset


def _parts(chunk: bytes, size: int = 1 << 25):
    """N-Triples in parts of about `size` bytes, cut at line ends, when it has no blank node
    (whose label is the document's own): decoding a part at a time spares holding all of it
    decoded at once (a quarter of a gigabyte at scale 1000)."""
    if len(chunk) <= size or b"_:" in chunk:
        yield chunk
        return
    start = 0
    while start < len(chunk):
        end = chunk.find(b"\n", start + size)
        end = len(chunk) if end < 0 else end + 1
        yield chunk[start:end]
        start = end


def _core_results(engine: str, data, shapes: Graph, parts: int | None = None) -> list[Result]:
    """The engine's results on an rdflib graph, N-Triples text or rdflib-turbo's native dataset.
    On the native dataset the shapes are validated in `parts` shares side by side (default: one
    per CPU), each in its own thread over the same dataset: the engine runs without Python's
    lock (at scale 1000 on two cores: 47 s instead of 63 s)."""
    options = {"inference": "none", "advanced": True, "allow_warnings": True}
    if engine == "pyshacl":
        from pyshacl import validate
    else:
        from pyshacl_turbo import validate
    if isinstance(data, bytes):
        return results_of(validate(data, shacl_graph=shapes, data_graph_format="nt", **options)[1])
    if isinstance(data, Graph):
        return results_of(validate(data, shacl_graph=shapes, **options)[1])

    def one(share):
        return results_of(validate(data, shacl_graph=share, **options)[1])

    shares = shape_shares(shapes, parts or os.cpu_count() or 1)
    with ThreadPoolExecutor(len(shares)) as pool:
        found = [r for share_results in pool.map(one, shares) for r in share_results]
    return sorted(set(found), key=result_order)
