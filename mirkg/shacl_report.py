"""SHACL validation results, whichever engine found them, and the report a curator reads."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .curie import compact_iris, curie
from .iris import record_file, record_of


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
