"""SHACL-SPARQL constraints answered once over the whole data, on a pyoxigraph store.

A SHACL engine runs a constraint's SELECT once per focus node, with $this pre-bound (SHACL 1.0
§5.3.1). Over a large graph that is most of validation's time: every run pays the query's fixed
cost, and an engine that plans part of the query without the binding scans the data each time.
Here each constraint is run once: $this becomes a variable joined with the shape's focus nodes
(the instances of its target classes), and each solution is a result for the focus node it
binds, built as pySHACL builds it: focus node, ?path, ?value or else the focus node, the
message with {?var} and {$var} filled in, the shape's severity. The core constraints stay with
a SHACL engine: `split_shapes` gives the shapes without the SHACL-SPARQL ones.

Running the query once with $this free gives, for each focus node, the solutions of the query
with $this pre-bound to it when $this is bound in every solution of the WHERE pattern and bound
before every FILTER, BIND and OPTIONAL that uses it. `split_shapes` checks that on rdflib's
algebra of each query, and refuses the rest: such bodies, what SHACL forbids where variables
are pre-bound (MINUS, VALUES, SERVICE, subqueries) or would differ over all focus nodes at once
(LIMIT, aggregates), a constraint on a property shape or on a shape other shapes use, targets
other than classes, pre-bound variables other than $this, ?failure, no message, or a shape with
a message of its own. tests/test_shapes_fixtures.py checks every fixture against pySHACL,
result by result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import OWL, RDF, RDFS, SH

from .curie import compact_iris
from .errors import BuildError
from .iris import record_of
from .shacl_report import Result

_TARGET_PARAMETERS = (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_THIS = re.compile(r"\$this\b")
_OTHER_PRE_BOUND = re.compile(r"\$(PATH|currentShape|shapesGraph)\b")
_SELECT_CLAUSE = re.compile(r"^\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?((?:[?$][A-Za-z_][A-Za-z0-9_]*\s+)+)WHERE\s*\{",
                            re.IGNORECASE)


class UnsupportedConstraint(BuildError, ValueError):
    """A SHACL-SPARQL constraint this runner cannot answer as pySHACL would. A BuildError, so
    that SHACL's child, which checks the constraints in a build, hands it over as it is."""


@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef
    severity: str
    messages: tuple[str, ...]
    query: str  # the SELECT over all focus nodes at once, prefixes included


def split_shapes(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """The shapes without their SHACL-SPARQL constraints, for a core engine, and those
    constraints as queries over the whole data."""
    return core_shapes(shapes), constraints_of(shapes)


def constraints_of(shapes: Graph, pre_binding_checked: bool = True) -> list[SparqlConstraint]:
    """The SHACL-SPARQL constraints as queries over the whole data. Unless pre_binding_checked is
    False, each SELECT is parsed to check that it may run with $this free: the build leaves that
    check (a fixed cost, rdflib's SPARQL parser) to SHACL's child, which runs split_shapes while
    it waits for the data (mirkg/validation.py ShaclRun)."""
    return [
        _constraint(shapes, shape, node, pre_binding_checked)
        for shape, node in sorted(shapes.subject_objects(SH.sparql), key=lambda so: (str(so[0]), str(so[1])))
        if not _deactivated(shapes, node) and not _deactivated(shapes, shape)
    ]


def core_shapes(shapes: Graph) -> Graph:
    """The shapes without their SHACL-SPARQL constraints, for a core engine."""
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace, override=True)
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    return core


def _deactivated(shapes: Graph, node) -> bool:
    flag = shapes.value(node, SH.deactivated)
    return isinstance(flag, Literal) and flag.value is True


def _constraint(shapes: Graph, shape, node, pre_binding_checked: bool = True) -> SparqlConstraint:
    where = f"SHACL-SPARQL constraint of {shape}"
    if not isinstance(shape, URIRef) or (shape, RDF.type, SH.PropertyShape) in shapes or shapes.value(shape, SH.path):
        raise UnsupportedConstraint(
            f"{where}: not supported on a property shape or a blank node shape; put it on a node shape with an IRI")
    if any(True for p in _TARGET_PARAMETERS for _ in shapes.objects(shape, p)):
        raise UnsupportedConstraint(f"{where}: only sh:targetClass targets are supported; target the shape by class")
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        raise UnsupportedConstraint(f"{where}: implicit class targets are not supported")
    if any(True for _ in shapes.subjects(None, shape)):
        raise UnsupportedConstraint(f"{where}: the shape is used by another shape, whose conformance depends on it")
    if any(True for _ in shapes.objects(shape, SH.message)):
        raise UnsupportedConstraint(f"{where}: the shape has its own sh:message (pySHACL reports both)")
    selects = list(shapes.objects(node, SH.select))
    if len(selects) != 1:
        raise UnsupportedConstraint(f"{where}: needs exactly one sh:select")
    select = str(selects[0])
    head = _SELECT_CLAUSE.match(select)
    if head is None or "failure" in head.group(2):
        raise UnsupportedConstraint(f"{where}: needs `SELECT $this ?var ... WHERE {{`, without ?failure")
    if not _THIS.search(head.group(2)):
        raise UnsupportedConstraint(f"{where}: the SELECT must project $this")
    if _OTHER_PRE_BOUND.search(select):
        raise UnsupportedConstraint(f"{where}: only $this is pre-bound here, not $PATH, $currentShape or $shapesGraph")
    messages = tuple(str(m) for m in shapes.objects(node, SH.message))
    if not messages:
        raise UnsupportedConstraint(f"{where}: needs a sh:message (pySHACL's generic one is not reproduced)")
    problem = _pre_binding_problem(_prefixes(shapes, node) + select) if pre_binding_checked else None
    if problem:
        raise UnsupportedConstraint(f"{where}: {problem}")
    severity = shapes.value(shape, SH.severity) or SH.Violation
    targets = tuple(sorted(str(c) for c in shapes.objects(shape, SH.targetClass)))
    body = _THIS.sub("?this", select)
    # Full IRIs: the constraint's own prefixes may bind rdf: and rdfs: too.
    focus = " UNION ".join(f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> }}" for c in targets) or "FILTER (false)"
    query = (
        _prefixes(shapes, node)
        + f"SELECT * WHERE {{\n  {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }}\n  {{ {body} }}\n}}"
    )
    return SparqlConstraint(
        shape=shape,
        severity=str(severity).rsplit("#", 1)[-1],
        messages=messages,
        query=query,
    )


_THIS_VAR = Variable("this")
# What SHACL 1.0 §5.3.1.1 forbids where variables are pre-bound, and what would make one run
# over all focus nodes differ from one run per focus node (a LIMIT over all of them, an
# aggregate or a subquery over all of them).
_REFUSED = {
    "Minus": "MINUS", "values": "VALUES", "ServiceGraphPattern": "SERVICE", "Slice": "LIMIT or OFFSET",
    "Group": "GROUP BY or an aggregate", "AggregateJoin": "GROUP BY or an aggregate",
}


@lru_cache(maxsize=256)  # parsing takes tens of milliseconds; the tests split the same shapes often
def _pre_binding_problem(text: str) -> str | None:
    """Why running the SELECT once with $this free would not give, for each focus node, the
    solutions of the query with $this pre-bound to it; None when it would. It would when $this
    is bound in every solution of the WHERE pattern, and bound before every FILTER, BIND and
    OPTIONAL that uses it: pre-binding then only selects the solutions with that focus node."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        pattern = translateQuery(parseQuery(text)).algebra.p
    except Exception as error:  # the parser's own errors have no common base class
        return f"the SELECT does not parse: {error}"
    problems: list[str] = []
    # The query's own solution modifiers and projection, down to its WHERE pattern; a
    # projection further down is a subquery's.
    own, node = set(), pattern
    while node.name in ("Project", "Distinct", "Reduced", "OrderBy", "Slice"):
        own.add(id(node))
        node = node.p

    def mentions(node) -> bool:
        if node == _THIS_VAR:
            return True
        if isinstance(node, CompValue):
            return any(mentions(v) for v in node.values())
        if isinstance(node, (list, tuple, set)):
            return any(mentions(v) for v in node)
        return False

    def certain(node) -> set:
        """The variables bound in every solution of the pattern; problems noted on the way."""
        name = node.name
        if name in _REFUSED:
            problems.append(f"it uses {_REFUSED[name]}")
            if name in ("values", "ServiceGraphPattern"):
                return set()
        if name == "BGP":
            return {t for triple in node.triples for t in (triple[0], triple[2]) if isinstance(t, Variable)}
        if name == "Join":
            return certain(node.p1) | certain(node.p2)
        if name == "Union":
            return certain(node.p1) & certain(node.p2)
        if name in ("LeftJoin", "Minus"):
            bound = certain(node.p1)
            certain(node.p2)
            if _THIS_VAR not in bound and (mentions(node.p2) or mentions(node.get("expr"))):
                problems.append("$this is used in an OPTIONAL before a pattern binds it")
            return bound
        if name in ("Filter", "Extend"):
            bound = certain(node.p)
            if _THIS_VAR not in bound and mentions(node.expr):
                problems.append(f"$this is used in a {'FILTER' if name == 'Filter' else 'BIND'} where no pattern binds it")
            return bound
        if name == "Project":
            if id(node) not in own:
                problems.append("it has a subquery")
            return certain(node.p) & set(node.PV)
        if name in ("Distinct", "Reduced", "OrderBy", "Slice", "Group", "AggregateJoin", "ToMultiSet", "Graph"):
            return certain(node.p)
        problems.append(f"it uses {name}, which is not checked here")
        return set()

    if _THIS_VAR not in certain(pattern):
        problems.append("$this is not bound in every solution (a UNION branch, or only an OPTIONAL, without it)")
    return "; ".join(dict.fromkeys(problems)) or None


def _prefixes(shapes: Graph, node) -> str:
    lines = []
    for ontology in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))


def _text(term) -> str:
    """A term as str() of its rdflib form gives it, which pySHACL writes into messages."""
    return term.value


def run(store: ox.Store, constraints: list[SparqlConstraint]):
    """The results of the constraints on the store's default graph, as validation.Result."""
    results = set()
    for constraint in constraints:
        solutions = store.query(constraint.query)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {name: term for name, term in zip(names, solution) if term is not None}
            focus = row.pop("this")
            path, value = row.pop("path", None), row.pop("value", None)
            if value is None:
                value = focus  # a node shape's result has its focus node as value
            bound = {**row, "this": focus}
            if path is not None:
                bound["path"] = path
            bound["value"] = value
            for message in constraint.messages:
                for var, val in bound.items():
                    message = re.sub("{{[?$]{}}}".format(var), _text(val), message)
                results.add(Result(
                    focus=focus.value,
                    path=path.value if isinstance(path, ox.NamedNode) else None,
                    component="SPARQLConstraintComponent",
                    severity=constraint.severity,
                    message=compact_iris(message),
                    value=value.value,
                    record=record_of(URIRef(focus.value)) if isinstance(focus, ox.NamedNode) else None,
                    shape=str(constraint.shape),
                ))
    return results
