"""Stored SPARQL queries: reading them with their documentation, binding parameters safely,
and running them on an embedded store (pyoxigraph) or on rdflib.

A parameter value is turned into an RDF term by the RDF library, which checks and escapes it; the
term, in the library's own N-Triples form, is bound to the query variable with a trailing VALUES
clause. The raw value is never pasted into the query text, and the same bound text runs on every
engine and endpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib import Literal as RLiteral
from rdflib import URIRef

from .errors import BuildError

HEADER = re.compile(r"#\s?(\w+):\s*(.*)")
FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # IRI | literal
    required: bool
    description: str


@dataclass
class StoredQuery:
    name: str
    path: Path
    text: str
    title: str
    question: str
    answer: str
    params: list[Param] = field(default_factory=list)
    example: dict[str, str] = field(default_factory=dict)

    @property
    def form(self) -> str:
        body = "\n".join(ln for ln in self.text.splitlines() if not ln.lstrip().startswith(("#", "PREFIX", "prefix")))
        match = re.search(r"\b(" + "|".join(FORMS) + r")\b", body, re.IGNORECASE)
        return match.group(1).upper() if match else "SELECT"


def parse_query_file(path: Path) -> StoredQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER.fullmatch(line)
        if match:
            last = match.group(1)
            fields.setdefault(last, []).append(match.group(2).strip())
        elif last:  # a continuation line of the previous field
            fields[last][-1] += " " + line.lstrip("#").strip()
    for key in ("title", "question", "answer"):
        if key not in fields:
            raise BuildError(f"{path}: the header has no '# {key}:' line; every stored query documents its {key}")
    params = []
    for spec in fields.get("param", []):
        parts = spec.split(None, 3)
        if len(parts) < 4 or parts[1] not in ("IRI", "literal") or parts[2] not in ("required", "optional"):
            raise BuildError(f"{path}: '# param: {spec}' should read '# param: NAME IRI|literal required|optional DESCRIPTION'")
        params.append(Param(parts[0], parts[1], parts[2] == "required", parts[3]))
    example = {}
    for spec in fields.get("example", []):
        for pair in spec.split():
            key, _, value = pair.partition("=")
            example[key] = value
    return StoredQuery(
        name=path.stem, path=path, text=text, title=fields["title"][0], question=fields["question"][0],
        answer=fields["answer"][0], params=params, example=example,
    )


def load_queries(directory: Path) -> list[StoredQuery]:
    return [parse_query_file(p) for p in sorted(directory.glob("*.rq"))]


def find_query(queries: list[StoredQuery], name: str) -> StoredQuery:
    for q in queries:
        if name in (q.name, q.path.name) or q.name.split("-", 1)[-1] == name or q.name.split("-", 1)[0] == name:
            return q
    raise BuildError(f"no stored query named '{name}'; known: {', '.join(q.name for q in queries)}")


# ------------------------------------------------------------------------------------------------
# Parameters


def parse_term(value: str, kind: str, expand) -> ox.NamedNode | ox.Literal:
    """An RDF term from a command-line value: an IRI (<...>, http(s)://..., or a CURIE) or a literal."""
    if kind == "literal":
        return ox.Literal(value)
    iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", iri):
        expanded = expand(iri)
        if expanded is None:
            raise BuildError(f"'{value}' is neither an IRI nor a CURIE with a known prefix")
        iri = expanded
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise BuildError(f"'{value}' is not a valid IRI: {exc}") from None


def bind(query: StoredQuery, values: dict[str, str], expand) -> dict[str, ox.NamedNode | ox.Literal]:
    known = {p.name: p for p in query.params}
    for name in values:
        if name not in known:
            raise BuildError(f"query {query.name} has no parameter '{name}'; it takes: {', '.join(known) or 'none'}")
    for p in query.params:
        if p.required and p.name not in values:
            raise BuildError(f"query {query.name} needs --param {p.name}=... ({p.description})")
    return {name: parse_term(value, known[name].kind, expand) for name, value in values.items()}


# ------------------------------------------------------------------------------------------------
# Engines and results


@dataclass
class Answer:
    form: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # N-Triples-syntax terms, '' when unbound
    boolean: bool | None = None
    triples: list[str] = field(default_factory=list)  # sorted N-Triples lines

    def normalised(self):
        """What two engines must agree on: sorted rows, the boolean, or the sorted triples."""
        return (self.form, self.columns, sorted(self.rows), self.boolean, sorted(self.triples))


def _ox_term(term) -> str:
    return "" if term is None else str(term)


def bound_text(query: StoredQuery, bindings: dict) -> str:
    """The query with its parameters bound by a trailing VALUES clause."""
    if not bindings:
        return query.text
    names = sorted(bindings)
    variables = " ".join(f"?{n}" for n in names)
    terms = " ".join(str(bindings[n]) for n in names)
    return f"{query.text.rstrip()}\nVALUES ({variables}) {{ ({terms}) }}\n"


def run_oxigraph(store: ox.Store, query: StoredQuery, bindings: dict) -> Answer:
    result = store.query(bound_text(query, bindings))
    if isinstance(result, ox.QueryBoolean):
        return Answer("ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [tuple(_ox_term(sol[c]) for c in columns) for sol in result]
        return Answer("SELECT", columns, rows)
    triples = sorted(f"{t.subject} {t.predicate} {t.object} ." for t in result)
    return Answer(query.form, triples=triples)


def _rdflib_term(term) -> str:
    """The term in N-Triples syntax, written as pyoxigraph writes it, so both engines compare."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, RLiteral):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
        return str(ox.Literal(str(term)))
    return term.n3()


def run_rdflib(graph: Graph, query: StoredQuery, bindings: dict) -> Answer:
    result = graph.query(bound_text(query, bindings))
    if result.type == "ASK":
        return Answer("ASK", boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        columns = [str(v) for v in result.vars]
        rows = [tuple(_rdflib_term(row[c]) for c in columns) for row in result]
        return Answer("SELECT", columns, rows)
    triples = sorted(f"{_rdflib_term(s)} {_rdflib_term(p)} {_rdflib_term(o)} ." for s, p, o in result.graph)
    return Answer(query.form, triples=triples)


def parse_term_text(term: str):
    """The RDF term written in N-Triples syntax in an answer row, as a pyoxigraph term."""
    triple = next(iter(ox.parse(f"<x:s> <x:p> {term} .".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)))
    return triple.object


def store_from_ntriples(ntriples: bytes) -> ox.Store:
    store = ox.Store()
    store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return store


def answer_as_tsv(answer: Answer) -> str:
    """The answer as SPARQL TSV (SELECT), a boolean line (ASK), or N-Triples (CONSTRUCT), sorted."""
    if answer.form == "ASK":
        return "true\n" if answer.boolean else "false\n"
    if answer.form == "SELECT":
        lines = ["\t".join("?" + c for c in answer.columns)]
        lines += ["\t".join(row) for row in sorted(answer.rows)]
        return "\n".join(lines) + "\n"
    return "".join(t + "\n" for t in sorted(answer.triples))
