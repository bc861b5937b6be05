"""SHACL validation of the instance data with pyshacl, and a report a curator can read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SH

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


def load_shapes(directory: Path) -> Graph:
    shapes = Graph()
    for path in sorted(directory.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


ENGINES = ("turbo", "pyshacl")


def run_shacl(data: Graph, shapes: Graph, ontology: Graph | None = None, engine: str = "turbo") -> list[Result]:
    """Every validation result, sorted, whatever its severity.

    `pyshacl` is the reference engine; `turbo` (pyshacl-turbo, same API, a Rust core) gives the
    same results, checked by the tests, in a fraction of the time.
    """
    if engine == "turbo":
        from pyshacl_turbo import validate
    elif engine == "pyshacl":
        from pyshacl import validate
    else:
        raise ValueError(f"unknown SHACL engine {engine!r}; use one of {ENGINES}")
    if ontology is not None:
        # The shapes follow the ontology's subclass and relation axioms, so they see both.
        data = data + ontology
    _, report, _ = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        record = _record_of(data, focus)
        results.append(
            Result(
                focus=str(focus),
                path=_path_text(report, path),
                component=str(report.value(node, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                severity=str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
                message=str(report.value(node, SH.resultMessage) or ""),
                value=str(value) if value is not None else None,
                record=str(record) if record is not None else None,
            )
        )
    return sorted(set(results), key=lambda r: (r.severity, r.focus, r.path or "", r.component, r.message))


def _record_of(data: Graph, focus) -> str | None:
    """The curated id behind a node: its own, or that of the record it belongs to (a span)."""
    if not isinstance(focus, URIRef):
        return None
    for node in [focus, *data.subjects(None, focus)]:
        value = data.value(node, DCTERMS.identifier)
        if value is not None:
            return str(value)
    return None


def _path_text(report: Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    items = list(report.items(path))  # a sequence path is an RDF list
    return " / ".join(str(i) for i in items) if items else str(path)


def format_report(results: list[Result]) -> str:
    """Results grouped by focus node, violations first."""
    if not results:
        return "SHACL: the data conforms (no violation, no warning).\n"
    grouped: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in results:
        grouped[(r.severity != "Violation", r.focus)].append(r)
    lines = []
    for (_, focus), items in sorted(grouped.items()):
        record = items[0].record
        lines.append(f"{focus}" + (f"  [record '{record}']" if record else ""))
        for r in items:
            where = f" ({r.path.rsplit('/', 1)[-1]})" if r.path else ""
            lines.append(f"  {r.severity}{where}: {r.message}" + (f" [value: {r.value}]" if r.value else ""))
    counts = defaultdict(int)
    for r in results:
        counts[r.severity] += 1
    summary = ", ".join(f"{n} {sev.lower()}(s)" for sev, n in sorted(counts.items()))
    return f"SHACL: {summary}\n" + "\n".join(lines) + "\n"
