"""SHACL validation of the instance data, and a report a curator can read."""

from __future__ import annotations

import re
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .namespaces import ID, PREFIXES

SHAPES_FILE = "mirkg-shapes.ttl"


@dataclass(frozen=True)
class Result:
    focus: str
    path: str | None
    component: str
    severity: str  # Violation | Warning | Info
    message: str
    value: str | None
    record: str | None  # the curated id behind the focus node, when there is one
    shape: str | None = None  # the shape that reported it (sh:sourceShape), when it has an IRI


def load_shapes(directory: Path) -> Graph:
    shapes = Graph()
    for path in sorted(directory.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


ENGINES = ("turbo", "pyshacl", "turbo-oxigraph")

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


def run_shacl(data: Graph, shapes: Graph, ontology: Graph | None = None, engine: str = "turbo") -> list[Result]:
    """Every validation result, sorted, whatever its severity.

    `pyshacl` is the reference engine; `turbo` (pyshacl-turbo, same API, a Rust core) gives the
    same results, checked by the tests, in a fraction of the time. `turbo-oxigraph` leaves the
    core constraints to pyshacl-turbo and answers the SHACL-SPARQL ones once over all focus
    nodes on a pyoxigraph store (mirkg/shacl_sparql.py): the same results again, and a cost
    that grows with the data rather than with its square.
    """
    if engine == "turbo-oxigraph":
        return _run_split(data, shapes, ontology)
    if engine == "turbo":
        from pyshacl_turbo import validate

        reusing = nullcontext
    elif engine == "pyshacl":
        from pyshacl import validate

        reusing = _compiled_sparql_reused
    else:
        raise ValueError(f"unknown SHACL engine {engine!r}; use one of {ENGINES}")
    if ontology is not None:
        # The shapes follow the ontology's subclass and relation axioms, so they see both.
        data = data + ontology
    with reusing():
        _, report, _ = validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
    return results_of(report)


def _run_split(data: Graph, shapes: Graph, ontology: Graph | None) -> list[Result]:
    from . import shacl_sparql
    from .queries import store_from_ntriples

    core, constraints = shacl_sparql.split_shapes(shapes)
    results = set(run_shacl(data, core, ontology, engine="turbo"))
    graphs = (data, ontology) if ontology is not None else (data,)
    store = store_from_ntriples(*(g.serialize(format="nt", encoding="utf-8") for g in graphs))
    results |= shacl_sparql.run(store, constraints)
    return sorted(results, key=result_order)


def results_of(report: Graph) -> list[Result]:
    """The results of a SHACL validation report graph, sorted (shared by every engine's caller)."""
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        shape = report.value(node, SH.sourceShape)
        results.append(
            Result(
                focus=str(focus),
                path=path_text(report, path),
                component=str(report.value(node, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                severity=str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
                message=compact_iris(str(report.value(node, SH.resultMessage) or "")),
                value=str(value) if value is not None else None,
                record=record_of(focus),
                shape=str(shape) if isinstance(shape, URIRef) else None,
            )
        )
    return sorted(set(results), key=result_order)


def result_order(r: Result) -> tuple:
    # Every field, so that the order is total and the same in every process.
    return (r.severity, r.focus, r.path or "", r.component, r.shape or "", r.message, r.value or "", r.record or "")


_COMPILED_SPARQL: dict[tuple, object] = {}


@contextmanager
def _compiled_sparql_reused():
    """pyshacl hands rdflib the text of a SHACL-SPARQL query once per focus node, and rdflib
    parses it anew every time (about 20 ms, most of the reference engine's run). A compiled
    query can be evaluated again with other bindings (that is what rdflib's prepareQuery is
    for), so compiling each text once changes no result, only the time. The compiled queries
    are kept for the life of the process: the tests validate many small graphs in a row."""
    from rdflib.plugins.sparql import processor

    compiled = _COMPILED_SPARQL
    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items())))
            if key not in compiled:
                compiled[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
            strOrQuery = compiled[key]
        return processor.evalQuery(self.graph, strOrQuery, initBindings, base)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


# Where each kind of node of the instance data comes from: its IRI is minted from the curated
# id (mirkg/triples.py), so the IRI alone names the record, also for a span or an evidence item.
RECORD_FILES = {
    "entity": "data/entities.yaml",
    "claim": "data/statements.yaml",
    "reference": "data/citations.yaml",
    "citation": "data/citations.yaml",
    "work": "data/citations.yaml",
    "agent": "data/citations.yaml",
    "source": "data/citations.yaml",
}


def record_of(focus) -> str | None:
    """The curated id behind a node of the instance data: its own, or that of the record it
    belongs to (the claim of a span or an evidence item)."""
    if not isinstance(focus, URIRef) or not str(focus).startswith(str(ID)):
        return None
    kind, _, rest = str(focus)[len(str(ID)):].partition("/")
    if kind not in RECORD_FILES or not rest:
        return None
    return rest.split("/", 1)[0]


def record_file(focus: str) -> str | None:
    if not focus.startswith(str(ID)):
        return None
    return RECORD_FILES.get(focus[len(str(ID)):].split("/", 1)[0])


# Longest namespace first, so that mirkgid: wins over mirkg: for instance IRIs.
_NAMESPACES = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))
_LOCAL = re.compile(r"[A-Za-z0-9_./#-]*")


def curie(iri: str) -> str:
    """An IRI as a CURIE of the project's prefixes, or as <IRI> when none fits."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


_IRI_IN_TEXT = re.compile(r"<?(https?://[^\s<>\"'{}|\\^`)]+[^\s<>\"'{}|\\^`).,;:])>?")


def compact_iris(text: str) -> str:
    """A message with the IRIs the engine filled in written as CURIEs, for people."""
    return _IRI_IN_TEXT.sub(lambda m: curie(m.group(1)), text)


def path_text(report: Graph, path) -> str | None:
    """A result path as text: an IRI, ^IRI for an inverse path, "a / b" for a sequence."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{inverse}"
    items = list(report.items(path))  # a sequence path is an RDF list
    return " / ".join(str(i) for i in items) if items else str(path)


def _readable_path(path: str) -> str:
    return " / ".join(
        ("^" + curie(p[1:])) if p.startswith("^") else curie(p) for p in path.split(" / ")
    )


def _readable_value(value: str | None) -> str:
    if value is None:
        return ""
    if re.fullmatch(r"https?://\S+", value):
        return curie(value)
    short = value if len(value) <= 60 else value[:57] + "..."
    return f'"{short}"'


def format_report(results: list[Result]) -> str:
    """Results grouped by focus node, violations first; IRIs written as CURIEs."""
    if not results:
        return "SHACL: the data conforms (no violation, no warning).\n"
    grouped: dict[tuple[bool, str], list[Result]] = defaultdict(list)
    for r in results:
        grouped[(r.severity != "Violation", r.focus)].append(r)
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        counts[r.severity] += 1
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    summary = ", ".join(f"{n} {sev.lower()}(s)" for sev, n in sorted(counts.items(), key=lambda kv: order[kv[0]]))
    lines = [f"SHACL: {summary}"]
    for (_, focus), items in sorted(grouped.items()):
        record, source = items[0].record, record_file(focus)
        where = f"  (record '{record}' in {source})" if record and source else ""
        lines += ["", curie(focus) + where]
        for r in items:
            path = f" {_readable_path(r.path)}" if r.path else ""
            value = f"\n      value: {_readable_value(r.value)}" if r.value is not None else ""
            component = r.component.removesuffix("ConstraintComponent")
            lines.append(f"  {r.severity}{path} [{component}]: {r.message}{value}")
    return "\n".join(lines) + "\n"
